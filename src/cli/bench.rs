//! `proclab bench frame`: how long the app's CPU side takes to draw one frame of each
//! animated diagram at 1920x1080 (the egui pass and tessellation; no GPU), as median and p99.

use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::lab::stats::Summary;
use crate::lab::{Lab, LabCommand, LabConfig, LabEvent, WorkerKind};
use crate::lesson::{Language, SceneKind, SceneSpec};
use crate::ui::fonts::{find_korean_font, install_korean_font};
use crate::ui::scenes::DiagramPanel;
use crate::ui::scenes::live::Live;
use crate::ui::scenes::style::SceneStyle;

/// Real threads drawn into the threads scene, as the budget asks.
const LIVE_THREADS: u32 = 64;
const WARM_UP_FRAMES: u32 = 30;

#[derive(Serialize)]
struct SceneFigures {
    scene: &'static str,
    frames: usize,
    median_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    /// Tessellated vertices in a typical frame: evidence that the frame really drew.
    median_vertices: f64,
    live_threads: usize,
}

/// Runs the benchmark for `scene`, or for every scene, printing a table or JSON to `out`.
pub fn run_bench(
    scene: Option<SceneKind>,
    frames: u32,
    out: &mut impl Write,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let scenes: Vec<SceneKind> = scene.map_or_else(|| SceneKind::ALL.to_vec(), |s| vec![s]);
    let live = if scenes.contains(&SceneKind::ThreadsInProcess) {
        Some(start_live_threads()?)
    } else {
        None
    };
    let mut results = Vec::new();
    for kind in scenes {
        let live_data = (kind == SceneKind::ThreadsInProcess)
            .then(|| live.as_ref().map(|(_, l)| l.clone()))
            .flatten();
        let (times, vertices) = time_frames(kind, frames, live_data.as_ref());
        let summary = Summary::of(&times).ok_or_else(|| anyhow::anyhow!("no frames"))?;
        let vertices = Summary::of(&vertices).map_or(0.0, |v| v.median);
        results.push(SceneFigures {
            scene: kind.file_name(),
            frames: summary.samples,
            median_ms: summary.median,
            p99_ms: summary.p99,
            max_ms: summary.max,
            median_vertices: vertices,
            live_threads: live_data.map_or(0, |l| l.threads.len()),
        });
    }
    if let Some((lab, _)) = live {
        lab.shutdown();
    }
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&results)?)?;
    } else {
        writeln!(
            out,
            "CPU time per frame at 1920x1080, animating (egui pass + tessellation, no GPU)"
        )?;
        writeln!(
            out,
            "{:<24} {:>7} {:>10} {:>8} {:>8} {:>9}",
            "scene", "frames", "median ms", "p99 ms", "max ms", "vertices"
        )?;
        for r in &results {
            let live = if r.live_threads > 0 {
                format!("  ({} live threads)", r.live_threads)
            } else {
                String::new()
            };
            writeln!(
                out,
                "{:<24} {:>7} {:>10.3} {:>8.3} {:>8.3} {:>9.0}{live}",
                r.scene, r.frames, r.median_ms, r.p99_ms, r.max_ms, r.median_vertices
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Starts real threads through the lab and waits for the first snapshot that lists them all.
fn start_live_threads() -> anyhow::Result<(Lab, Live)> {
    let lab = Lab::start(LabConfig::for_this_program()?)?;
    lab.send(LabCommand::StartThreads(LIVE_THREADS));
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match lab.events().recv_deadline(deadline) {
            Ok(LabEvent::Snapshot(s))
                if s.of_kind(WorkerKind::Thread).count() == LIVE_THREADS as usize =>
            {
                let live =
                    Live::from_snapshot(&s).ok_or_else(|| anyhow::anyhow!("no live threads"))?;
                return Ok((lab, live));
            }
            Ok(LabEvent::Refused(m) | LabEvent::Failed(m)) => anyhow::bail!(m),
            Ok(_) => {}
            Err(_) => anyhow::bail!("the live threads did not start"),
        }
    }
}

/// Draws `frames` frames of `kind` playing in a loop; returns each frame's time in ms and
/// its tessellated vertex count.
fn time_frames(kind: SceneKind, frames: u32, live: Option<&Live>) -> (Vec<f64>, Vec<f64>) {
    let ctx = egui::Context::default();
    install_korean_font(&ctx, find_korean_font());
    let spec = SceneSpec {
        kind,
        live: live.is_some(),
        stack_limit: None,
        threads: None,
        ipc: None,
        pcid: false,
    };
    let mut panel = DiagramPanel::default();
    let mut times = Vec::with_capacity(frames as usize);
    let mut vertices = Vec::with_capacity(frames as usize);
    let frame_time = 1.0 / 60.0;
    for frame in 0..WARM_UP_FRAMES + frames {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1920.0, 1080.0),
            )),
            time: Some(f64::from(frame) * f64::from(frame_time)),
            predicted_dt: frame_time,
            ..Default::default()
        };
        let start = Instant::now();
        let mut output = ctx.run_ui(input, |ui| {
            egui::CentralPanel::default().show(ui, |ui| {
                panel.load(&spec, (0, 0), live, None);
                if !panel.timeline.is_playing() {
                    // Loop the scene, so every frame has something moving.
                    panel.timeline.play();
                }
                let rect = ui.available_rect_before_wrap();
                let (_, painter) = ui.allocate_painter(rect.size(), egui::Sense::hover());
                let style = SceneStyle::from_visuals(ui.visuals());
                panel.paint(&painter, rect, &style, live, Language::Ko);
                panel.timeline.advance(frame_time);
            });
        });
        let primitives =
            ctx.tessellate(std::mem::take(&mut output.shapes), output.pixels_per_point);
        let took = start.elapsed();
        let drawn: usize = primitives
            .iter()
            .map(|p| match &p.primitive {
                egui::epaint::Primitive::Mesh(mesh) => mesh.vertices.len(),
                egui::epaint::Primitive::Callback(_) => 0,
            })
            .sum();
        output.textures_delta.clear();
        if frame >= WARM_UP_FRAMES {
            times.push(took.as_secs_f64() * 1000.0);
            vertices.push(drawn as f64);
        }
    }
    (times, vertices)
}
