//! The diagram's timeline driven through its controls in the real app: play advances the
//! steps by itself, pause holds them, step and back move one at a time, restart returns to
//! the start, and the picture follows.

mod common;

use std::sync::Arc;

use common::{click, harness};
use egui_kittest::kittest::Queryable;
use proclab::lesson::{Language, SceneKind, SceneSpec};
use proclab::sim::context_switch::TlbTagging;
use proclab::ui::scenes::DiagramPanel;

#[test]
fn play_pause_step_back_and_restart_drive_the_diagram() {
    let mut harness = harness(Arc::default());
    // Step 2 of the first lesson shows the memory layout.
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    let steps = harness.state().diagram_timeline().steps();
    assert!(steps > 5);
    harness.get_by_label(&format!("1 / {steps}"));

    click(&mut harness, "한 단계");
    assert_eq!(harness.state().diagram_timeline().step(), 1);
    harness.get_by_label(&format!("2 / {steps}"));
    click(&mut harness, "한 단계");
    click(&mut harness, "뒤로");
    assert_eq!(harness.state().diagram_timeline().step(), 1);

    harness.get_by_label("재생").click();
    // Playing keeps repainting, so step frames instead of waiting for quiet.
    harness.run_steps(400);
    let playing_at = harness.state().diagram_timeline().step();
    assert!(playing_at > 1, "play moved on by itself");
    assert!(harness.state().diagram_timeline().is_playing() || playing_at == steps - 1);

    if harness.state().diagram_timeline().is_playing() {
        harness.get_by_label("일시 정지").click();
        harness.run_steps(2);
    }
    let paused_at = harness.state().diagram_timeline().step();
    harness.run_steps(200);
    assert_eq!(
        harness.state().diagram_timeline().step(),
        paused_at,
        "paused holds still"
    );

    click(&mut harness, "처음으로");
    assert_eq!(harness.state().diagram_timeline().step(), 0);
    harness.get_by_label(&format!("1 / {steps}"));
}

#[test]
fn a_new_step_of_the_lesson_starts_its_diagram_from_the_beginning() {
    let mut harness = harness(Arc::default());
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    click(&mut harness, "한 단계");
    assert_eq!(harness.state().diagram_timeline().step(), 1);
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    assert_eq!(harness.state().diagram_timeline().step(), 0);
}

#[test]
fn space_plays_and_pauses_the_diagram_and_the_picture_is_described() {
    let mut harness = harness(Arc::default());
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    // Screen readers get the step's caption as the picture's description.
    let first = proclab::sim::memory_layout::script(&Default::default());
    harness.get_by_label(&first.state(0).caption.ko);

    harness.key_press(egui::Key::Space);
    harness.run_steps(2);
    assert!(harness.state().diagram_timeline().is_playing());
    harness.key_press(egui::Key::Space);
    harness.run_steps(2);
    assert!(!harness.state().diagram_timeline().is_playing());
}

/// The process-switch step of the context-switch scene, as a panel with `tlb` draws it.
fn process_switch_caption(tlb: TlbTagging, pcid: Option<bool>) -> (String, Option<String>) {
    let spec = SceneSpec {
        kind: SceneKind::ContextSwitch,
        live: false,
        stack_limit: None,
        threads: None,
        ipc: None,
        pcid,
    };
    let mut panel = DiagramPanel::default().with_tlb(tlb);
    panel.load(&spec, (0, 0), None, None);
    // Steps 0-5 run P1 and P2; the sixth is the switch to Q1.
    for _ in 0..6 {
        panel.timeline.step_forward();
    }
    let note = panel.machine_note(Language::En).map(str::to_owned);
    (panel.caption(Language::En).to_owned(), note)
}

#[test]
fn the_context_switch_follows_this_machines_flags_unless_the_lesson_says() {
    let (tagged, tagged_note) = process_switch_caption(TlbTagging::Pcid { invpcid: true }, None);
    assert!(tagged.contains("stay, tagged P"), "{tagged}");
    assert!(tagged_note.unwrap().contains("reports pcid and invpcid"));

    let (untagged, untagged_note) = process_switch_caption(TlbTagging::Untagged, None);
    assert!(untagged.contains("flushed"), "{untagged}");
    assert!(untagged_note.unwrap().contains("does not report pcid"));

    // A lesson that asks for a tagged CPU gets one, and the note still says what this one does.
    let (forced, note) = process_switch_caption(TlbTagging::Untagged, Some(true));
    assert!(forced.contains("stay, tagged P"), "{forced}");
    assert!(note.unwrap().contains("does not report pcid"));
}
