//! Shared set-up for the UI tests: the real app in an egui_kittest harness, with file dialogs
//! answered by the test instead of a person.

#![allow(dead_code)] // Each test file uses its own part of this module.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use proclab::lesson::{BUILTIN_LESSONS, Language, Lesson};
use proclab::ui::file_jobs::FileDialogs;
use proclab::ui::fonts::find_korean_font;
use proclab::ui::settings::Settings;
use proclab::ui::{Environment, ProcLabApp, StartOptions};

/// File dialogs that give the answers a test queued, and "cancel" when none is left.
#[derive(Default)]
pub struct ScriptedDialogs {
    pub open: Mutex<Vec<PathBuf>>,
    pub save: Mutex<Vec<PathBuf>>,
    /// When set, the save dialog stays open until the test sends on the other end.
    pub save_gate: Mutex<Option<crossbeam_channel::Receiver<()>>>,
}

impl ScriptedDialogs {
    pub fn answer_open(&self, path: PathBuf) {
        self.open.lock().unwrap().push(path);
    }
    pub fn answer_save(&self, path: PathBuf) {
        self.save.lock().unwrap().push(path);
    }

    /// Keeps the next save dialog open until the returned sender is used.
    pub fn hold_save_dialog(&self) -> crossbeam_channel::Sender<()> {
        let (release, gate) = crossbeam_channel::bounded(1);
        *self.save_gate.lock().unwrap() = Some(gate);
        release
    }
}

impl FileDialogs for ScriptedDialogs {
    fn pick_lesson_to_open(&self) -> Option<PathBuf> {
        self.open.lock().unwrap().pop()
    }
    fn pick_save_path(&self, _suggested_name: &str) -> Option<PathBuf> {
        let gate = self.save_gate.lock().unwrap().take();
        if let Some(gate) = gate {
            let _ = gate.recv();
        }
        self.save.lock().unwrap().pop()
    }
}

/// Fails with instructions when the machine has no Korean font (kittest cannot draw Hangul
/// without one, and ships none).
pub fn require_korean_font() {
    assert!(
        find_korean_font().is_some(),
        "no Korean font found: install one (Debian/Ubuntu: apt-get install fonts-nanum) \
         or run ./scripts/install-deps"
    );
}

/// The app at 1280x800 with default settings but for `settings`, and scripted dialogs.
pub fn harness_with(
    settings: Settings,
    start: StartOptions,
    dialogs: Arc<ScriptedDialogs>,
) -> Harness<'static, ProcLabApp> {
    harness_sized(settings, start, dialogs, [1280.0, 800.0])
}

/// The app in a window of `size` pixels, as [`harness_with`] sets it up otherwise.
pub fn harness_sized(
    settings: Settings,
    start: StartOptions,
    dialogs: Arc<ScriptedDialogs>,
    size: [f32; 2],
) -> Harness<'static, ProcLabApp> {
    harness_keeping_recovery(settings, start, dialogs, size, None)
}

/// The app keeping its recovery copy in `recovery_dir` (by default tests keep none).
pub fn harness_keeping_recovery(
    settings: Settings,
    start: StartOptions,
    dialogs: Arc<ScriptedDialogs>,
    size: [f32; 2],
    recovery_dir: Option<PathBuf>,
) -> Harness<'static, ProcLabApp> {
    require_korean_font();
    // The harness sets its own theme after the app is built, so it must be told ours.
    let theme = match settings.theme {
        egui::ThemePreference::Light => egui::Theme::Light,
        _ => egui::Theme::Dark,
    };
    let mut harness = Harness::builder()
        .with_size(size)
        .with_theme(theme)
        // A diagram step animates for a moment before it settles.
        .with_max_steps(60)
        .build_eframe(move |cc| {
            let environment = Environment {
                dialogs,
                find_korean_font,
                worker_exe: Some(PathBuf::from(env!("CARGO_BIN_EXE_proclab"))),
                recovery_dir: recovery_dir.clone(),
            };
            ProcLabApp::new(&cc.egui_ctx, settings, start, environment)
        });
    harness.run();
    harness
}

/// The app as a first-time user sees it (Korean, dark theme), with scripted dialogs.
pub fn harness(dialogs: Arc<ScriptedDialogs>) -> Harness<'static, ProcLabApp> {
    let settings = Settings {
        theme: egui::ThemePreference::Dark,
        ..Settings::default()
    };
    harness_with(settings, StartOptions::default(), dialogs)
}

/// Steps the harness until no file job is under way (they run on their own threads).
pub fn wait_for_file_job(harness: &mut Harness<'static, ProcLabApp>) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        harness.step();
        if !harness.state().is_busy() {
            break;
        }
        assert!(Instant::now() < deadline, "the file job did not finish");
        std::thread::sleep(Duration::from_millis(5));
    }
    harness.run();
}

/// Built-in lesson `index`, parsed.
pub fn builtin(index: usize) -> Lesson {
    BUILTIN_LESSONS[index].load().unwrap()
}

/// The title of step `step` of built-in lesson `lesson` in `language`.
pub fn step_title(lesson: usize, step: usize, language: Language) -> String {
    builtin(lesson).steps[step]
        .title
        .exact(language)
        .unwrap()
        .to_owned()
}

/// Clicks the widget labelled `label` and lets the app settle.
pub fn click(harness: &mut Harness<'static, ProcLabApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run();
}

/// Steps the app (the lab wakes it from other threads) until `done` holds.
pub fn step_until(
    harness: &mut Harness<'static, ProcLabApp>,
    what: &str,
    done: impl Fn(&ProcLabApp) -> bool,
) {
    // A guard against a hang, not a speed limit: a loaded machine may take its time.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(harness.state()) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    harness.step();
}

/// Opens the editor and types `text` at the end of the current step's Korean title.
pub fn type_into_title(harness: &mut Harness<'static, ProcLabApp>, text: &str) {
    if harness.query_by_label("제목 (한국어)").is_none() {
        click(harness, "단계 편집");
    }
    harness.get_by_label("제목 (한국어)").focus();
    harness.run();
    harness.key_press(Key::End);
    harness.get_by_label("제목 (한국어)").type_text(text);
    harness.run();
}

/// Makes every ptrace call of this thread, and of the threads and processes it starts from
/// now on, fail with EPERM, as a locked-down container's seccomp profile may. Other threads
/// of the test process are untouched.
pub fn forbid_ptrace() -> std::io::Result<()> {
    let filter = [
        // Load the system call's number.
        libc::sock_filter {
            code: 0x20,
            jt: 0,
            jf: 0,
            k: 0,
        },
        // If it is ptrace, fall through to the refusal; else skip it.
        libc::sock_filter {
            code: 0x15,
            jt: 0,
            jf: 1,
            k: libc::SYS_ptrace as u32,
        },
        libc::sock_filter {
            code: 0x06,
            jt: 0,
            jf: 0,
            k: libc::SECCOMP_RET_ERRNO | libc::EPERM as u32,
        },
        libc::sock_filter {
            code: 0x06,
            jt: 0,
            jf: 0,
            k: libc::SECCOMP_RET_ALLOW,
        },
    ];
    let program = libc::sock_fprog {
        len: filter.len() as u16,
        filter: filter.as_ptr() as *mut libc::sock_filter,
    };
    // SAFETY: `program` points at `filter`, both alive for the call; the kernel copies them.
    let installed = unsafe {
        libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0
            && libc::prctl(libc::PR_SET_SECCOMP, libc::SECCOMP_MODE_FILTER, &program) == 0
    };
    match installed {
        true => Ok(()),
        false => Err(std::io::Error::last_os_error()),
    }
}

/// The child processes of `pid`, as the kernel lists them for each of its threads.
pub fn children_of(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
        .flat_map(|c| {
            c.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect()
}

/// True while `pid` names a process the kernel still holds (running, or not yet reaped).
pub fn alive(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}
