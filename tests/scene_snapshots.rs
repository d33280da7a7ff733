//! One image snapshot per diagram at a fixed step, in the dark theme (Korean labels) and the
//! light theme (English labels), rendered on the CPU through lavapipe. A snapshot is taken
//! with the step's animation settled, so the picture is the same every run.

mod common;

use egui_kittest::Harness;
use proclab::lesson::{Language, SceneKind, SceneSpec};
use proclab::ui::fonts::{find_korean_font, install_korean_font};
use proclab::ui::scenes::DiagramPanel;
use proclab::ui::scenes::style::SceneStyle;

/// The step each scene is shown at: one where its point is visible.
fn telling_step(kind: SceneKind) -> usize {
    match kind {
        SceneKind::MemoryLayout => 4,
        SceneKind::ThreadsInProcess => 5,
        SceneKind::ProcessesSideBySide => 3,
        SceneKind::SharedStack => proclab::sim::shared_stack::RETURN_ADDRESS_OVERWRITTEN_AT,
        SceneKind::ContextSwitch => 6,
        SceneKind::ProgramVsProcess => 4,
        SceneKind::CriticalSection => 4,
        SceneKind::Interleavings => 0,
        SceneKind::TimeSlicing => 7,
        // Two threads: the cycle closes when the second asks.
        SceneKind::Deadlock => 4,
    }
}

fn snapshot(kind: SceneKind, theme: egui::Theme, language: Language) {
    common::require_korean_font();
    let spec = SceneSpec {
        kind,
        live: false,
        stack_limit: None,
        threads: None,
        ipc: None,
        pcid: Some(false),
    };
    let mut panel = DiagramPanel::default();
    panel.load(&spec, (0, 0), None, None);
    for _ in 0..telling_step(kind) {
        panel.timeline.step_forward();
    }
    panel.timeline.advance(10.0);
    let mut harness = Harness::builder()
        .with_size([960.0, 600.0])
        .with_theme(theme)
        .with_context_setup(|ctx| {
            install_korean_font(ctx, find_korean_font());
        })
        .build_ui_state(
            move |ui, panel: &mut DiagramPanel| {
                let rect = ui.available_rect_before_wrap();
                let (_, painter) = ui.allocate_painter(rect.size(), egui::Sense::hover());
                let style = SceneStyle::from_visuals(ui.visuals());
                panel.paint(&painter, rect, &style, None, language);
            },
            panel,
        );
    harness.run();
    let theme_name = match theme {
        egui::Theme::Dark => "dark",
        egui::Theme::Light => "light",
    };
    harness.snapshot(format!(
        "scene_{}_{theme_name}",
        kind.file_name().replace('-', "_")
    ));
}

macro_rules! scene_snapshots {
    ($($name:ident: $kind:expr, $theme:expr, $language:expr;)*) => {
        $(
            #[test]
            fn $name() {
                snapshot($kind, $theme, $language);
            }
        )*
    };
}

use Language::{En, Ko};
use egui::Theme::{Dark, Light};

scene_snapshots! {
    memory_layout_dark: SceneKind::MemoryLayout, Dark, Ko;
    memory_layout_light: SceneKind::MemoryLayout, Light, En;
    threads_in_process_dark: SceneKind::ThreadsInProcess, Dark, Ko;
    threads_in_process_light: SceneKind::ThreadsInProcess, Light, En;
    processes_side_by_side_dark: SceneKind::ProcessesSideBySide, Dark, Ko;
    processes_side_by_side_light: SceneKind::ProcessesSideBySide, Light, En;
    shared_stack_dark: SceneKind::SharedStack, Dark, Ko;
    shared_stack_light: SceneKind::SharedStack, Light, En;
    context_switch_dark: SceneKind::ContextSwitch, Dark, Ko;
    context_switch_light: SceneKind::ContextSwitch, Light, En;
    program_vs_process_dark: SceneKind::ProgramVsProcess, Dark, Ko;
    program_vs_process_light: SceneKind::ProgramVsProcess, Light, En;
    critical_section_dark: SceneKind::CriticalSection, Dark, Ko;
    critical_section_light: SceneKind::CriticalSection, Light, En;
    interleavings_dark: SceneKind::Interleavings, Dark, Ko;
    interleavings_light: SceneKind::Interleavings, Light, En;
    time_slicing_dark: SceneKind::TimeSlicing, Dark, Ko;
    time_slicing_light: SceneKind::TimeSlicing, Light, En;
    deadlock_dark: SceneKind::Deadlock, Dark, Ko;
    deadlock_light: SceneKind::Deadlock, Light, En;
}
