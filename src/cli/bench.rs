//! `proclab bench frame`: how long the app's CPU side takes to draw one frame of each
//! animated diagram at 1920x1080 (the egui pass and tessellation; no GPU), as median and p99.
//!
//! Two clocks, side by side: the UI thread's own CPU time (its thread CPU clock, which a
//! virtual machine's preemption or another busy process does not inflate) and the wall time
//! the frame took (which they do: a frame descheduled halfway lands in the wall p99).

use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::lab::experiment::{Figure, Unit, Words, family};
use crate::lab::os::thread_cpu_time;
use crate::lab::runner::Runner;
use crate::lab::stats::Summary;
use crate::lab::{Lab, LabCommand, LabConfig, LabEvent, WorkerKind};
use crate::lesson::{Language, SceneKind, SceneSpec};
use crate::ui::distribution_plot::distribution_plot_ui;
use crate::ui::fonts::{find_korean_font, install_korean_font};
use crate::ui::scenes::DiagramPanel;
use crate::ui::scenes::live::Live;
use crate::ui::scenes::style::SceneStyle;
use crate::ui::timeline_plot::timeline_plot_ui;

/// Real threads drawn into the threads scene, as the budget asks.
const LIVE_THREADS: u32 = 64;
const WARM_UP_FRAMES: u32 = 30;

#[derive(Serialize)]
struct SceneFigures {
    scene: &'static str,
    frames: usize,
    /// The UI thread's CPU time per frame.
    cpu_median_ms: f64,
    cpu_p99_ms: f64,
    /// Wall time per frame, preemption included.
    wall_median_ms: f64,
    wall_p99_ms: f64,
    wall_max_ms: f64,
    /// Tessellated vertices in a typical frame: evidence that the frame really drew.
    median_vertices: f64,
    live_threads: usize,
    /// True when a race saturated every CPU while these frames were drawn.
    under_load: bool,
}

/// What one row of the benchmark draws.
enum Drawing {
    Scene(SceneKind),
    /// A measured distribution of this many samples, as the evidence panel plots it.
    Plot(usize),
    /// A real timeline's view of this many threads with this many events each.
    Timeline {
        lanes: usize,
        events: usize,
    },
}

/// Samples in the plot the benchmark draws.
const PLOT_SAMPLES: usize = 10_000;

/// Threads, and events each, in the timeline the benchmark draws.
const TIMELINE_LANES: usize = 64;
const TIMELINE_EVENTS: usize = 10_000;

/// How `proclab bench frame` runs.
#[derive(Debug, Clone, Copy)]
pub struct BenchRun {
    /// Only this scene (and no plot); every scene and the plot when `None`.
    pub scene: Option<SceneKind>,
    pub frames: u32,
    /// Draw while a real race keeps every CPU busy.
    pub under_load: bool,
    pub json: bool,
}

/// Runs the benchmark, printing a table or JSON to `out`.
pub fn run_bench(run: BenchRun, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let mut drawings: Vec<Drawing> = match run.scene {
        Some(scene) => vec![Drawing::Scene(scene)],
        None => SceneKind::ALL.into_iter().map(Drawing::Scene).collect(),
    };
    if run.scene.is_none() {
        drawings.push(Drawing::Plot(PLOT_SAMPLES));
        drawings.push(Drawing::Timeline {
            lanes: TIMELINE_LANES,
            events: TIMELINE_EVENTS,
        });
    }
    let live = if drawings
        .iter()
        .any(|d| matches!(d, Drawing::Scene(SceneKind::ThreadsInProcess)))
    {
        Some(start_live_threads()?)
    } else {
        None
    };
    let load = run.under_load.then(start_race).transpose()?;
    let mut results = Vec::new();
    for drawing in &drawings {
        let live_data = matches!(drawing, Drawing::Scene(SceneKind::ThreadsInProcess))
            .then(|| live.as_ref().map(|(_, l)| l.clone()))
            .flatten();
        let timed = time_frames(drawing, run.frames, live_data.as_ref());
        results.push(figures(
            drawing,
            &timed,
            live_data.as_ref(),
            run.under_load,
        )?);
    }
    drop(load);
    if let Some((lab, _)) = live {
        lab.shutdown();
    }
    if run.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&results)?)?;
    } else {
        write_table(out, &results, run.under_load)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Keeps every CPU busy with a real race (the race family, as the app runs it) until the
/// runner is dropped, which cancels it.
fn start_race() -> anyhow::Result<Runner> {
    let runner = Runner::start(std::env::current_exe()?, None)?;
    let race = family("race").ok_or_else(|| anyhow::anyhow!("no race family"))?;
    let cpus = std::thread::available_parallelism().map_or(2, |n| n.get() as u32);
    let params = race.params_from(&[
        ("threads", cpus.clamp(2, 16)),
        ("increments", 10_000_000),
        ("runs", 100),
    ])?;
    runner.run(race, params);
    Ok(runner)
}

fn figures(
    drawing: &Drawing,
    timed: &FrameTimes,
    live: Option<&Live>,
    under_load: bool,
) -> anyhow::Result<SceneFigures> {
    let summary = |values: &[f64]| Summary::of(values).ok_or_else(|| anyhow::anyhow!("no frames"));
    let (wall, cpu) = (summary(&timed.wall_ms)?, summary(&timed.cpu_ms)?);
    Ok(SceneFigures {
        scene: match drawing {
            Drawing::Scene(kind) => kind.file_name(),
            Drawing::Plot(_) => "plot-10000-samples",
            Drawing::Timeline { .. } => "timeline-64x10000-events",
        },
        frames: wall.samples,
        cpu_median_ms: cpu.median,
        cpu_p99_ms: cpu.p99,
        wall_median_ms: wall.median,
        wall_p99_ms: wall.p99,
        wall_max_ms: wall.max,
        median_vertices: Summary::of(&timed.vertices).map_or(0.0, |v| v.median),
        live_threads: live.map_or(0, |l| l.threads.len()),
        under_load,
    })
}

fn write_table(
    out: &mut impl Write,
    results: &[SceneFigures],
    under_load: bool,
) -> std::io::Result<()> {
    writeln!(
        out,
        "Time per frame at 1920x1080, animating (egui pass + tessellation, no GPU): the UI \
         thread's CPU time, and the wall time (which includes any time the thread was not \
         on a CPU){}",
        if under_load {
            ", while a race kept every CPU busy"
        } else {
            ""
        }
    )?;
    writeln!(
        out,
        "{:<24} {:>7} {:>9} {:>8} {:>10} {:>9} {:>9} {:>9}",
        "drawing", "frames", "cpu med", "cpu p99", "wall med", "wall p99", "wall max", "vertices"
    )?;
    for r in results {
        let live = if r.live_threads > 0 {
            format!("  ({} live threads)", r.live_threads)
        } else {
            String::new()
        };
        writeln!(
            out,
            "{:<24} {:>7} {:>9.3} {:>8.3} {:>10.3} {:>9.3} {:>9.3} {:>9.0}{live}",
            r.scene,
            r.frames,
            r.cpu_median_ms,
            r.cpu_p99_ms,
            r.wall_median_ms,
            r.wall_p99_ms,
            r.wall_max_ms,
            r.median_vertices
        )?;
    }
    Ok(())
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
            Ok(LabEvent::Refused(e) | LabEvent::Failed(e)) => anyhow::bail!(e),
            Ok(_) => {}
            Err(_) => anyhow::bail!("the live threads did not start"),
        }
    }
}

/// Draws one frame, given the time a frame advances the animation.
type Drawer<'a> = Box<dyn FnMut(&mut egui::Ui, f32) + 'a>;

/// What draws one frame of `drawing`.
fn drawer<'a>(drawing: &Drawing, live: Option<&'a Live>) -> Drawer<'a> {
    match *drawing {
        Drawing::Scene(kind) => {
            let spec = SceneSpec {
                kind,
                live: live.is_some(),
                stack_limit: None,
                threads: None,
                ipc: None,
                pcid: Some(false),
            };
            let mut panel = DiagramPanel::default();
            Box::new(move |ui, frame_time| {
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
            })
        }
        Drawing::Plot(count) => {
            // A long-tailed distribution, as measured timings are.
            let samples = (0..count)
                .map(|i| {
                    1000.0 + (i as f64 * 7919.0) % 997.0 + if i % 100 == 0 { 50_000.0 } else { 0.0 }
                })
                .collect();
            let label = Words::new("benchmark samples", "벤치마크 표본");
            let figure = Figure::of(label, Unit::Nanoseconds, samples);
            Box::new(move |ui, _| {
                if let Some(figure) = &figure {
                    distribution_plot_ui(ui, Language::Ko, figure, 600.0);
                }
            })
        }
        Drawing::Timeline { lanes, events } => {
            let timeline = busy_timeline(lanes, events);
            Box::new(move |ui, _| {
                timeline_plot_ui(ui, Language::Ko, "bench", &timeline);
            })
        }
    }
}

/// A timeline of `lanes` threads with `events` events each, taking and releasing two locks,
/// sleeping, and losing the CPU now and then, every few microseconds.
fn busy_timeline(lanes: usize, events: usize) -> crate::lab::timeline::Timeline {
    use crate::lab::trace::{Event, EventKind, Recorded, timeline_of};
    let pattern = [
        EventKind::Requested,
        EventKind::Acquired,
        EventKind::GapBegan,
        EventKind::GapEnded,
        EventKind::Released,
        EventKind::SleepBegan,
        EventKind::SleepEnded,
    ];
    let threads = (0..lanes)
        .map(|lane| Recorded {
            label: Words::new(format!("T{}", lane + 1), format!("T{}", lane + 1)),
            kernel: None,
            events: (0..events)
                .map(|i| Event {
                    at: (i as u64) * 3_000 + (lane as u64) * 700,
                    kind: pattern[i % pattern.len()],
                    object: ((i / pattern.len() + lane) % 2) as u32,
                })
                .collect(),
            end: (events as f64) * 3_000.0,
        })
        .collect();
    timeline_of(threads, vec!["A".into(), "B".into()], 0)
}

/// Each measured frame's wall time and UI-thread CPU time in ms, and its vertex count.
struct FrameTimes {
    wall_ms: Vec<f64>,
    cpu_ms: Vec<f64>,
    vertices: Vec<f64>,
}

/// Draws `frames` frames of `drawing` (a scene playing in a loop), after a warm-up.
fn time_frames(drawing: &Drawing, frames: u32, live: Option<&Live>) -> FrameTimes {
    let ctx = egui::Context::default();
    install_korean_font(&ctx, find_korean_font());
    let mut draw = drawer(drawing, live);
    let mut timed = FrameTimes {
        wall_ms: Vec::with_capacity(frames as usize),
        cpu_ms: Vec::with_capacity(frames as usize),
        vertices: Vec::with_capacity(frames as usize),
    };
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
        let cpu_start = thread_cpu_time();
        let mut output = ctx.run_ui(input, |ui| {
            egui::CentralPanel::default().show(ui, |ui| draw(ui, frame_time));
        });
        let primitives =
            ctx.tessellate(std::mem::take(&mut output.shapes), output.pixels_per_point);
        let took = start.elapsed();
        let cpu = thread_cpu_time().saturating_sub(cpu_start);
        let drawn: usize = primitives
            .iter()
            .map(|p| match &p.primitive {
                egui::epaint::Primitive::Mesh(mesh) => mesh.vertices.len(),
                egui::epaint::Primitive::Callback(_) => 0,
            })
            .sum();
        output.textures_delta.clear();
        if frame >= WARM_UP_FRAMES {
            timed.wall_ms.push(took.as_secs_f64() * 1000.0);
            timed.cpu_ms.push(cpu.as_secs_f64() * 1000.0);
            timed.vertices.push(drawn as f64);
        }
    }
    timed
}
