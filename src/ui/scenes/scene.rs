//! One shape for every diagram. A scene is a pure simulation (under `sim/`) and a painter
//! module here that builds it; [`SCENES`] lists them, one line each, and the diagram panel
//! draws whichever a lesson step names through the [`Scene`] trait, adding the legend once
//! for all of them. A scene kind missing from the table fails a test, not a lesson.

use crate::lab::memory_map::MemoryMap;
use crate::lesson::{Language, SceneKind, SceneSpec};
use crate::sim::context_switch::TlbTagging;
use crate::sim::{Caption, Script};

use super::draw::Canvas;
use super::live::Live;
use super::{
    context_switch, critical_section, deadlock, interleavings, memory_layout, processes,
    program_vs_process, shared_stack, threads, time_slicing,
};

/// A diagram as the panel sees it: some number of steps, each with its caption, painted on
/// a canvas.
pub trait Scene {
    /// Number of steps; at least one.
    fn steps(&self) -> usize;
    /// What step `step` shows, in both languages.
    fn caption(&self, step: usize) -> &Caption;
    /// Draws step `step` (with the move into it, as far as `canvas.phase` says).
    fn paint(&self, canvas: &Canvas, step: usize, live: Option<&Live>, lang: Language);
    /// For a scene the user drives: what may be chosen at `step` (thread numbers); empty for
    /// a scene that only plays.
    fn choices(&self, _step: usize) -> Vec<usize> {
        Vec::new()
    }
    /// The scene after choosing `choice` at `step`, whatever came after `step` dropped;
    /// `None` if it cannot be chosen there.
    fn choose(&self, _step: usize, _choice: usize) -> Option<Box<dyn Scene>> {
        None
    }
}

/// What a scene may be built from besides its lesson spec.
pub struct Inputs<'a> {
    /// Real threads drawn in live mode (0 when not live).
    pub live_threads: usize,
    /// ProcLab's own executable and memory map, once read.
    pub map: Option<&'a MemoryMap>,
    /// How this machine's CPU treats TLB entries.
    pub tlb: TlbTagging,
}

/// Builds a scene from its spec.
pub type Build = fn(&SceneSpec, &Inputs) -> Box<dyn Scene>;

/// Every scene: its kind, as lessons name it, and how to build it.
pub const SCENES: &[(SceneKind, Build)] = &[
    (SceneKind::MemoryLayout, memory_layout::build),
    (SceneKind::ThreadsInProcess, threads::build),
    (SceneKind::ProcessesSideBySide, processes::build),
    (SceneKind::SharedStack, shared_stack::build),
    (SceneKind::ContextSwitch, context_switch::build),
    (SceneKind::ProgramVsProcess, program_vs_process::build),
    (SceneKind::CriticalSection, critical_section::build),
    (SceneKind::Interleavings, interleavings::build),
    (SceneKind::TimeSlicing, time_slicing::build),
    (SceneKind::Deadlock, deadlock::build),
];

/// The scene `spec` names, built; `None` for a kind with no entry in [`SCENES`] (a test
/// makes sure there is none).
pub fn build(spec: &SceneSpec, inputs: &Inputs) -> Option<Box<dyn Scene>> {
    SCENES
        .iter()
        .find(|(kind, _)| *kind == spec.kind)
        .map(|(_, build)| build(spec, inputs))
}

/// Paints one state of a script, knowing the one before it (to show what changed).
pub type PaintState<S> = fn(&Canvas, &S, Option<&S>, Option<&Live>, Language);

/// A scene that is a precomputed script: every state, its caption, and its painter.
pub struct Scripted<S> {
    script: Script<S>,
    caption: fn(&S) -> &Caption,
    paint: PaintState<S>,
}

impl<S: 'static> Scripted<S> {
    /// A boxed scene from a script and how to read and draw its states.
    pub fn boxed(
        script: Script<S>,
        caption: fn(&S) -> &Caption,
        paint: PaintState<S>,
    ) -> Box<dyn Scene> {
        Box::new(Self {
            script,
            caption,
            paint,
        })
    }
}

impl<S> Scene for Scripted<S> {
    fn steps(&self) -> usize {
        self.script.len()
    }

    fn caption(&self, step: usize) -> &Caption {
        (self.caption)(self.script.state(step))
    }

    fn paint(&self, canvas: &Canvas, step: usize, live: Option<&Live>, lang: Language) {
        let script = &self.script;
        (self.paint)(
            canvas,
            script.state(step),
            script.previous(step),
            live,
            lang,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scene_kind_a_lesson_can_name_is_registered_once() {
        for kind in SceneKind::ALL {
            let entries = SCENES.iter().filter(|(k, _)| *k == kind).count();
            assert_eq!(entries, 1, "{kind:?}");
        }
        for (kind, _) in SCENES {
            assert!(
                SceneKind::ALL.contains(kind),
                "{kind:?} cannot be named in a lesson"
            );
        }
    }
}
