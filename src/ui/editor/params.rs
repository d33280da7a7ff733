//! Which parameters each diagram and each experiment takes, within which bounds, and what
//! they start from: the rules the editor follows so that it never writes a lesson that
//! loading would refuse (the tests check every kind against the real validation).

use std::ops::RangeInclusive;

use crate::lab::experiment::family;
use crate::lesson::limits;
use crate::lesson::{ExperimentKind, ExperimentSpec, SceneKind, SceneSpec};

/// A parameter of a diagram, by the key a lesson file gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SceneParam {
    Live,
    StackLimit,
    Threads,
    Ipc,
    Pcid,
}

/// True when the diagram `kind` is drawn differently for `param`.
pub fn scene_uses(kind: SceneKind, param: SceneParam) -> bool {
    use SceneKind as K;
    match param {
        SceneParam::Live => matches!(kind, K::ThreadsInProcess | K::ProcessesSideBySide),
        SceneParam::StackLimit => kind == K::MemoryLayout,
        SceneParam::Threads => matches!(
            kind,
            K::ThreadsInProcess | K::CriticalSection | K::Interleavings | K::TimeSlicing
        ),
        SceneParam::Ipc => kind == K::ProcessesSideBySide,
        SceneParam::Pcid => kind == K::ContextSwitch,
    }
}

/// Frames a memory-layout diagram allows when the lesson does not say (as the scene does).
pub const STACK_LIMIT_DEFAULT: u32 = 6;

/// Threads a diagram draws when the lesson does not say (as the scenes do).
pub fn scene_threads_default(kind: SceneKind) -> u32 {
    match kind {
        SceneKind::Interleavings => 2,
        _ => 3,
    }
}

/// The diagram `kind`, keeping those parameters of `old` that `kind` uses too: the others
/// would be hidden from the author yet still saved.
pub fn with_scene_kind(old: Option<&SceneSpec>, kind: SceneKind) -> SceneSpec {
    let uses = |param| scene_uses(kind, param);
    SceneSpec {
        kind,
        live: old.is_some_and(|o| o.live) && uses(SceneParam::Live),
        stack_limit: old
            .and_then(|o| o.stack_limit)
            .filter(|_| uses(SceneParam::StackLimit)),
        threads: old
            .and_then(|o| o.threads)
            .filter(|_| uses(SceneParam::Threads)),
        ipc: old.and_then(|o| o.ipc).filter(|_| uses(SceneParam::Ipc)),
        pcid: old.and_then(|o| o.pcid).filter(|_| uses(SceneParam::Pcid)),
    }
}

/// A parameter of an experiment, by the key a lesson file gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExperimentParam {
    Threads,
    Processes,
    Samples,
    Increments,
    Runs,
    Millis,
    CpuBound,
    Pin,
}

impl ExperimentParam {
    pub const ALL: [ExperimentParam; 8] = [
        ExperimentParam::Threads,
        ExperimentParam::Processes,
        ExperimentParam::Samples,
        ExperimentParam::Increments,
        ExperimentParam::Runs,
        ExperimentParam::Millis,
        ExperimentParam::CpuBound,
        ExperimentParam::Pin,
    ];

    /// The key lesson files, measurements and the lab's families use.
    pub fn file_name(self) -> &'static str {
        match self {
            ExperimentParam::Threads => "threads",
            ExperimentParam::Processes => "processes",
            ExperimentParam::Samples => "samples",
            ExperimentParam::Increments => "increments",
            ExperimentParam::Runs => "runs",
            ExperimentParam::Millis => "millis",
            ExperimentParam::CpuBound => "cpu_bound",
            ExperimentParam::Pin => "pin",
        }
    }
}

/// The values validation accepts for the count `param` of `kind`; `None` for a switch.
pub fn count_range(kind: ExperimentKind, param: ExperimentParam) -> Option<RangeInclusive<u32>> {
    use ExperimentParam as P;
    Some(match param {
        P::Threads => kind.thread_range(),
        P::Processes if kind.races() => limits::RACE_THREADS,
        P::Processes => limits::PROCESSES,
        P::Samples => limits::SAMPLES,
        P::Increments => limits::INCREMENTS,
        P::Runs => limits::RUNS,
        P::Millis => limits::CONTENTION_MILLIS,
        P::CpuBound | P::Pin => return None,
    })
}

/// True when validation accepts `param` on an experiment of `kind` at all.
pub fn experiment_allows(kind: ExperimentKind, param: ExperimentParam) -> bool {
    param != ExperimentParam::Pin || matches!(kind, ExperimentKind::CtxSwitch | ExperimentKind::Ipc)
}

/// True when running `kind` reads `param`: the workers panel its threads, processes and load,
/// a measurement family the parameters it declares.
pub fn experiment_uses(kind: ExperimentKind, param: ExperimentParam) -> bool {
    use ExperimentParam as P;
    match kind {
        ExperimentKind::Workers | ExperimentKind::MemoryProbe => {
            matches!(param, P::Threads | P::Processes | P::CpuBound)
        }
        measured => {
            family(measured.file_name()).is_some_and(|f| f.param(param.file_name()).is_some())
        }
    }
}

/// True when the editor shows `param` for `spec`: validation accepts it, and the experiment
/// reads it or the lesson gives it anyway (so that the author can see it and take it out).
pub fn experiment_shows(spec: &ExperimentSpec, param: ExperimentParam) -> bool {
    experiment_allows(spec.kind, param)
        && (experiment_uses(spec.kind, param) || is_given(spec, param))
}

fn is_given(spec: &ExperimentSpec, param: ExperimentParam) -> bool {
    count_of(spec, param).is_some() || flag_of(spec, param)
}

/// The count `param` of `spec` (`None` for a switch or when the lesson leaves it out).
pub fn count_of(spec: &ExperimentSpec, param: ExperimentParam) -> Option<u32> {
    use ExperimentParam as P;
    match param {
        P::Threads => spec.threads,
        P::Processes => spec.processes,
        P::Samples => spec.samples,
        P::Increments => spec.increments,
        P::Runs => spec.runs,
        P::Millis => spec.millis,
        P::CpuBound | P::Pin => None,
    }
}

/// The switch `param` of `spec` (`false` for a count).
pub fn flag_of(spec: &ExperimentSpec, param: ExperimentParam) -> bool {
    match param {
        ExperimentParam::CpuBound => spec.cpu_bound,
        ExperimentParam::Pin => spec.pin,
        _ => false,
    }
}

/// The field of `spec` that holds the count `param`; `None` for a switch.
pub fn count_mut(spec: &mut ExperimentSpec, param: ExperimentParam) -> Option<&mut Option<u32>> {
    use ExperimentParam as P;
    Some(match param {
        P::Threads => &mut spec.threads,
        P::Processes => &mut spec.processes,
        P::Samples => &mut spec.samples,
        P::Increments => &mut spec.increments,
        P::Runs => &mut spec.runs,
        P::Millis => &mut spec.millis,
        P::CpuBound | P::Pin => return None,
    })
}

/// The field of `spec` that holds the switch `param`; `None` for a count.
pub fn flag_mut(spec: &mut ExperimentSpec, param: ExperimentParam) -> Option<&mut bool> {
    match param {
        ExperimentParam::CpuBound => Some(&mut spec.cpu_bound),
        ExperimentParam::Pin => Some(&mut spec.pin),
        _ => None,
    }
}

/// What a count starts from when the author sets it: the family's own default, else the
/// workers panel's, always within the range.
pub fn count_default(kind: ExperimentKind, param: ExperimentParam) -> u32 {
    let Some(range) = count_range(kind, param) else {
        return 0;
    };
    let declared = family(kind.file_name()).and_then(|f| f.param(param.file_name()));
    let fallback = match param {
        ExperimentParam::Threads => 4,
        ExperimentParam::Processes => 2,
        _ => *range.start(),
    };
    declared
        .map_or(fallback, |p| p.default)
        .clamp(*range.start(), *range.end())
}

/// The experiment `kind`, keeping those parameters of `old` that `kind` reads, each brought
/// into the range `kind` accepts (racing kinds take fewer threads than the workers panel).
pub fn with_experiment_kind(old: Option<&ExperimentSpec>, kind: ExperimentKind) -> ExperimentSpec {
    let mut spec = ExperimentSpec {
        kind,
        threads: None,
        processes: None,
        samples: None,
        increments: None,
        runs: None,
        millis: None,
        cpu_bound: false,
        pin: false,
    };
    let Some(old) = old else {
        return spec;
    };
    let kept = ExperimentParam::ALL
        .into_iter()
        .filter(|&p| experiment_allows(kind, p) && experiment_uses(kind, p));
    for param in kept {
        if let (Some(range), Some(value)) = (count_range(kind, param), count_of(old, param))
            && let Some(field) = count_mut(&mut spec, param)
        {
            *field = Some(value.clamp(*range.start(), *range.end()));
        }
        if let Some(field) = flag_mut(&mut spec, param) {
            *field = flag_of(old, param);
        }
    }
    spec
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{IpcKind, Lesson, Step, Text, to_toml};

    /// True when a lesson whose only step has this diagram and experiment saves (saving
    /// loads the text back, which validates it).
    fn saves(scene: Option<SceneSpec>, experiment: Option<ExperimentSpec>) -> bool {
        let lesson = Lesson {
            format: crate::lesson::FORMAT_VERSION,
            title: Text::new("강의", "Lesson"),
            summary: Text::default(),
            author: String::new(),
            builds: false,
            steps: vec![Step {
                title: Text::new("단계", "Step"),
                narration: Text::new("설명", "Narration"),
                notes: Text::default(),
                scene,
                experiment,
                quiz: Vec::new(),
            }],
        };
        to_toml(&lesson).is_ok()
    }

    #[test]
    fn every_diagram_parameter_the_editor_offers_saves_at_both_ends() {
        for kind in SceneKind::ALL {
            let mut spec = with_scene_kind(None, kind);
            spec.live = scene_uses(kind, SceneParam::Live);
            spec.ipc = scene_uses(kind, SceneParam::Ipc).then_some(IpcKind::Socket);
            spec.pcid = scene_uses(kind, SceneParam::Pcid).then_some(false);
            for end in [0, 1] {
                let pick = |r: RangeInclusive<u32>| if end == 0 { *r.start() } else { *r.end() };
                spec.stack_limit =
                    scene_uses(kind, SceneParam::StackLimit).then(|| pick(limits::STACK_LIMIT));
                spec.threads =
                    scene_uses(kind, SceneParam::Threads).then(|| pick(limits::SCENE_THREADS));
                assert!(saves(Some(spec.clone()), None), "{spec:?}");
            }
        }
    }

    #[test]
    fn a_new_diagram_kind_keeps_only_what_it_uses() {
        let threads = SceneSpec {
            kind: SceneKind::ThreadsInProcess,
            live: true,
            stack_limit: None,
            threads: Some(5),
            ipc: None,
            pcid: None,
        };
        let lock = with_scene_kind(Some(&threads), SceneKind::CriticalSection);
        assert_eq!((lock.live, lock.threads), (false, Some(5)));
        let layout = with_scene_kind(Some(&lock), SceneKind::MemoryLayout);
        assert_eq!(layout, with_scene_kind(None, SceneKind::MemoryLayout));
    }

    #[test]
    fn every_experiment_parameter_the_editor_shows_saves_at_both_ends() {
        for kind in ExperimentKind::ALL {
            for end in [0, 1] {
                let mut spec = with_experiment_kind(None, kind);
                for param in ExperimentParam::ALL
                    .into_iter()
                    .filter(|&p| experiment_allows(kind, p))
                {
                    if let Some(range) = count_range(kind, param) {
                        let value = if end == 0 {
                            *range.start()
                        } else {
                            *range.end()
                        };
                        *count_mut(&mut spec, param).unwrap() = Some(value);
                    }
                    if let Some(flag) = flag_mut(&mut spec, param) {
                        *flag = true;
                    }
                }
                assert!(saves(None, Some(spec.clone())), "{spec:?}");
            }
        }
    }

    #[test]
    fn pin_is_offered_only_where_validation_accepts_it() {
        let mut spec = with_experiment_kind(None, ExperimentKind::Race);
        spec.pin = true;
        assert!(!saves(None, Some(spec)), "validation refuses pin on race");
        for kind in ExperimentKind::ALL {
            let pins = matches!(kind, ExperimentKind::CtxSwitch | ExperimentKind::Ipc);
            assert_eq!(
                experiment_allows(kind, ExperimentParam::Pin),
                pins,
                "{kind:?}"
            );
        }
    }

    #[test]
    fn the_editors_ranges_are_the_ones_the_lab_families_accept() {
        for kind in ExperimentKind::ALL {
            let Some(family) = family(kind.file_name()) else {
                assert!(matches!(
                    kind,
                    ExperimentKind::Workers | ExperimentKind::MemoryProbe
                ));
                continue;
            };
            for param in ExperimentParam::ALL {
                if let (Some(declared), Some(range)) =
                    (family.param(param.file_name()), count_range(kind, param))
                {
                    assert_eq!(declared.range, range, "{kind:?} {param:?}");
                    let default = count_default(kind, param);
                    assert!(range.contains(&default), "{kind:?} {param:?}");
                }
            }
        }
    }

    #[test]
    fn a_new_experiment_kind_brings_kept_values_into_its_range() {
        let mut workers = with_experiment_kind(None, ExperimentKind::Workers);
        workers.threads = Some(64);
        workers.processes = Some(1);
        workers.cpu_bound = true;
        let race = with_experiment_kind(Some(&workers), ExperimentKind::Race);
        assert_eq!(race.threads, Some(*limits::RACE_THREADS.end()));
        assert_eq!(race.processes, Some(*limits::RACE_THREADS.start()));
        assert!(!race.cpu_bound, "race does not read cpu_bound");
        let mut ctx = with_experiment_kind(None, ExperimentKind::CtxSwitch);
        ctx.pin = true;
        let ipc = with_experiment_kind(Some(&ctx), ExperimentKind::Ipc);
        assert!(ipc.pin);
        assert!(!with_experiment_kind(Some(&ctx), ExperimentKind::Workers).pin);
    }
}
