//! The animated diagrams: one painter per scene over the pure simulations in [`crate::sim`],
//! a timeline with play, pause, step, back, speed and restart, and live mode, which draws the
//! lab's real threads and processes into the threads and processes scenes.

mod context_switch;
mod critical_section;
mod deadlock;
pub mod draw;
mod interleavings;
pub use interleavings::game_threads;
pub mod live;
mod memory_layout;
mod processes;
mod program_vs_process;
pub mod provenance;
pub mod scene;
mod shared_stack;
pub mod style;
mod threads;
mod time_slicing;
mod timeline_ui;

use crate::lab::memory_map::{MemoryMap, Part};
use crate::lab::os::CpuFlags;
use crate::lesson::{Language, SceneKind, SceneSpec};
use crate::sim::context_switch::TlbTagging;
use crate::sim::{self, Timeline};

use super::strings::words as in_language;
use draw::Canvas;
use live::Live;
use scene::{Inputs, Scene};
use style::SceneStyle;

pub use timeline_ui::timeline_ui;

/// What a script was built from; a different key means a new script from step 0.
#[derive(Debug, Clone, PartialEq)]
struct SceneKey {
    spec: SceneSpec,
    /// Which lesson step asked for it.
    owner: (u64, usize),
    /// Threads drawn in live mode.
    live_threads: usize,
    /// Whether the program-vs-process figures were measured.
    measured: bool,
}

/// The diagram of the current step and its timeline.
pub struct DiagramPanel {
    key: Option<SceneKey>,
    script: Option<Box<dyn Scene>>,
    pub timeline: Timeline,
    /// The real memory map has been asked of the lab once.
    asked_for_map: bool,
    /// How this machine's CPU treats TLB entries, read from its flags the first time a
    /// diagram needs it (never per frame); tests set it.
    tlb: Option<TlbTagging>,
    /// What this machine does, for the scenes that show a choice between machines.
    note: Option<sim::Caption>,
}

impl Default for DiagramPanel {
    fn default() -> Self {
        Self {
            key: None,
            script: None,
            timeline: Timeline::new(1),
            asked_for_map: false,
            tlb: None,
            note: None,
        }
    }
}

/// Most threads the threads scene draws as columns.
const MAX_DRAWN_THREADS: usize = *crate::limits::SCENE_THREADS.end() as usize;

impl DiagramPanel {
    /// Makes sure the script for `spec` is loaded; a new one starts at its first step.
    pub fn load(
        &mut self,
        spec: &SceneSpec,
        owner: (u64, usize),
        live: Option<&Live>,
        map: Option<&MemoryMap>,
    ) {
        let live_threads = live.map_or(0, |l| l.threads.len().min(MAX_DRAWN_THREADS));
        let key = SceneKey {
            spec: spec.clone(),
            owner,
            live_threads,
            measured: map.is_some(),
        };
        if self.key.as_ref() == Some(&key) {
            return;
        }
        let tlb = *self.tlb.get_or_insert_with(this_machines_tlb);
        self.note =
            (spec.kind == SceneKind::ContextSwitch).then(|| sim::context_switch::machine_note(tlb));
        let inputs = Inputs {
            live_threads,
            map,
            tlb,
        };
        let Some(script) = scene::build(spec, &inputs) else {
            return;
        };
        // Live threads coming and going keep the position; anything else starts over.
        let same_scene = self
            .key
            .as_ref()
            .is_some_and(|k| k.spec == key.spec && k.owner == key.owner);
        if !same_scene {
            self.timeline = Timeline::new(script.steps());
        } else {
            // Same scene, more or fewer live threads: keep the place, the speed and playback.
            let old = std::mem::replace(&mut self.timeline, Timeline::new(script.steps()));
            for _ in 0..old.step().min(script.steps() - 1) {
                self.timeline.step_forward();
            }
            self.timeline.advance(10.0);
            self.timeline.set_speed(old.speed());
            if old.is_playing() {
                self.timeline.play();
            }
        }
        self.script = Some(script);
        self.key = Some(key);
    }

    /// What the user may choose at the current step (threads that may run next), for a
    /// scene the user drives; empty otherwise.
    pub fn choices(&self) -> Vec<usize> {
        self.script
            .as_ref()
            .map_or_else(Vec::new, |s| s.choices(self.timeline.step()))
    }

    /// Chooses `choice` at the current step: the scene continues from there with it, and
    /// what came after is dropped (Back undoes, Step redoes).
    pub fn choose(&mut self, choice: usize) {
        let step = self.timeline.step();
        let Some(next) = self.script.as_ref().and_then(|s| s.choose(step, choice)) else {
            return;
        };
        self.timeline = Timeline::new(next.steps());
        for _ in 0..=step {
            self.timeline.step_forward();
        }
        self.script = Some(next);
    }

    /// Lets a seeded random scheduler make every remaining choice: the same seed, the same
    /// schedule.
    pub fn choose_randomly(&mut self, seed: u64) {
        let mut state = seed | 1;
        loop {
            let open = self.choices();
            if open.is_empty() {
                break;
            }
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.choose(open[((state >> 33) as usize) % open.len()]);
        }
    }

    /// Uses `tlb` as this machine's answer instead of reading the CPU's flags.
    pub fn with_tlb(mut self, tlb: TlbTagging) -> Self {
        self.tlb = Some(tlb);
        self
    }

    /// What this machine does where the scene shows a choice between machines (the
    /// context-switch scene: whether a process switch keeps TLB entries), from its flags.
    pub fn machine_note(&self, lang: Language) -> Option<&str> {
        self.note.as_ref().map(|note| in_language(note, lang))
    }

    /// True the first time it is asked: the program-vs-process scene reads the real map once.
    pub fn wants_memory_map(&mut self) -> bool {
        !std::mem::replace(&mut self.asked_for_map, true)
    }

    /// What the current step shows, in words: the picture's description for screen readers.
    pub fn caption(&self, lang: Language) -> &str {
        self.script.as_ref().map_or("", |script| {
            in_language(script.caption(self.timeline.step()), lang)
        })
    }

    /// Steps in the loaded script.
    pub fn steps(&self) -> usize {
        self.script.as_ref().map_or(0, |s| s.steps())
    }

    /// Draws the scene into `rect` with `painter`, as the timeline stands.
    pub fn paint(
        &self,
        painter: &egui::Painter,
        rect: egui::Rect,
        style: &SceneStyle,
        live: Option<&Live>,
        lang: Language,
    ) {
        if let Some(script) = &self.script {
            // Every scene stays inside its rectangle, however small: clipped once, here.
            let painter = painter.with_clip_rect(rect);
            // The legend gets a strip of its own under the picture, so it covers nothing.
            let strip = style.small.size + 8.0;
            let picture = egui::Rect::from_min_max(rect.min, rect.max - egui::vec2(0.0, strip));
            let canvas = |rect| Canvas {
                painter: &painter,
                rect,
                style,
                phase: self.timeline.visible_phase(),
            };
            // The caption across the top, drawn here once for every scene.
            let step = self.timeline.step();
            let body = draw::caption(&canvas(picture), in_language(script.caption(step), lang));
            script.paint(&canvas(body), step, live, lang);
            paint_legend(&canvas(rect), lang);
        }
    }
}

/// What the simulated mark means, at the bottom right of every diagram, legible on a
/// projector.
fn paint_legend(canvas: &Canvas, lang: Language) {
    let pad = 4.0;
    let style = canvas.style;
    let galley = canvas.painter.layout_no_wrap(
        provenance::legend(lang).to_owned(),
        style.small.clone(),
        style.text,
    );
    let size = galley.size();
    let at = canvas.rect.right_bottom() - egui::vec2(pad, pad) - size;
    let back = egui::Rect::from_min_size(at, size).expand(pad * 0.5);
    canvas.painter.rect_filled(back, 3.0, style.background);
    canvas.painter.galley(at, galley, style.text);
}

/// This machine's answer, from its CPU's flags (read once per panel, never per frame).
fn this_machines_tlb() -> TlbTagging {
    if cfg!(target_arch = "aarch64") {
        return TlbTagging::Asid;
    }
    match CpuFlags::read() {
        Some(flags) if flags.pcid => TlbTagging::Pcid {
            invpcid: flags.invpcid,
        },
        Some(_) => TlbTagging::Untagged,
        None => TlbTagging::Unknown,
    }
}

/// The lab's reading of ProcLab, as the program-vs-process scene takes it.
pub(super) fn program_params(map: &MemoryMap) -> sim::program_vs_process::Params {
    use sim::program_vs_process::{FileSection, MappedRegion, Params, RegionKind};
    let sections = map
        .sections
        .iter()
        .map(|s| FileSection {
            name: s.name.clone(),
            size: s.size,
            file_size: s.file_size,
        })
        .collect();
    // Without a process map the whole picture is the typical one, labelled simulated, rather
    // than real sections beside empty regions.
    let Some(regions) = map.regions.as_deref() else {
        return Params::default();
    };
    let total = |part: Part| {
        regions
            .iter()
            .filter(|r| r.part == part)
            .map(|r| r.size())
            .sum::<u64>()
    };
    let kinds = [
        (RegionKind::Code, Part::Code),
        (RegionKind::ReadOnly, Part::ReadOnlyData),
        (RegionKind::Data, Part::Data),
        (RegionKind::Bss, Part::Bss),
        (RegionKind::Heap, Part::Heap),
        (RegionKind::Libraries, Part::Library),
        (RegionKind::Stack, Part::MainStack),
    ];
    Params {
        sections,
        regions: kinds
            .into_iter()
            .map(|(kind, part)| MappedRegion {
                kind,
                size: total(part),
            })
            .collect(),
        measured: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::IpcKind;
    use crate::sim::context_switch::TlbTagging;
    use egui::epaint::Shape;

    /// Every piece of text a shape tree draws.
    fn texts(shape: &Shape, out: &mut Vec<String>) {
        match shape {
            Shape::Text(text) => out.push(text.galley.text().to_owned()),
            Shape::Vec(shapes) => shapes.iter().for_each(|s| texts(s, out)),
            _ => {}
        }
    }

    /// The text of every step of `spec`'s diagram, painted at projector size.
    fn painted_text(spec: &SceneSpec, tlb: TlbTagging) -> Vec<Vec<String>> {
        let mut panel = DiagramPanel::default().with_tlb(tlb);
        panel.load(spec, (0, 0), None, None);
        let ctx = egui::Context::default();
        let mut steps = Vec::new();
        for step in 0..panel.steps() {
            while panel.timeline.step() < step {
                panel.timeline.step_forward();
            }
            panel.timeline.advance(10.0);
            let output = ctx.run_ui(egui::RawInput::default(), |ui| {
                let style = SceneStyle::from_visuals(ui.visuals());
                let rect = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 720.0));
                panel.paint(ui.painter(), rect, &style, None, Language::En);
            });
            let mut found = Vec::new();
            for clipped in &output.shapes {
                texts(&clipped.shape, &mut found);
            }
            output.drop_without_applying_deltas();
            steps.push(found);
        }
        steps
    }

    #[test]
    fn every_simulated_value_that_looks_real_carries_the_mark_and_the_legend_explains_it() {
        for kind in SceneKind::ALL {
            for (pcid, ipc) in [(None, None), (Some(true), Some(IpcKind::SharedMemory))] {
                let spec = SceneSpec {
                    kind,
                    live: false,
                    stack_limit: None,
                    threads: None,
                    ipc,
                    pcid,
                };
                for (step, found) in painted_text(&spec, TlbTagging::Untagged).iter().enumerate() {
                    let all = found.join(" | ");
                    let unmarked: Vec<String> = found
                        .iter()
                        .flat_map(|t| provenance::unmarked_hex(t))
                        .collect();
                    assert!(
                        unmarked.is_empty(),
                        "{kind:?} step {step}: {unmarked:?} in {all}"
                    );
                    assert!(
                        found.iter().any(|t| t == provenance::legend(Language::En)),
                        "{kind:?} step {step} has no legend: {all}"
                    );
                }
            }
        }
        // Not vacuous: the context-switch diagram draws marked registers and page tables.
        let spec = SceneSpec {
            kind: SceneKind::ContextSwitch,
            live: false,
            stack_limit: None,
            threads: None,
            ipc: None,
            pcid: None,
        };
        let first = painted_text(&spec, TlbTagging::Untagged)
            .remove(0)
            .join(" ");
        assert!(first.contains("0x1a2000*"), "{first}");
    }
}
