//! Stepping real threads of a real child one machine instruction at a time, with ptrace:
//! lost updates made by hand in the child's real memory, instruction pointers that move as
//! the disassembly says, and no child or traced thread left behind however a run ends.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use proclab::lab::experiment::{Job, family};
use proclab::lab::stepped::{Event, Move, Role, Session, Stepper, Update};
use serde_json::Value;

mod common;

use common::{alive, children_of};

fn exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_proclab"))
}

/// Runs `proclab measure stepped-race` as the family does, with `schedule`.
fn run_schedule(threads: u32, schedule: &str) -> Value {
    let stepped = family("stepped-race").unwrap();
    let params = stepped.params_from(&[("threads", threads)]).unwrap();
    let params = stepped.with_text(params, "schedule", schedule).unwrap();
    let cancel = AtomicBool::new(false);
    let report = (stepped.run)(&params, &Job::new(exe(), &cancel, &|_, _| {})).unwrap();
    report.json
}

#[test]
fn the_default_schedule_loses_exactly_one_update_in_the_childs_real_memory() {
    let result = run_schedule(2, proclab::lab::stepped::LOST_UPDATE);
    assert_eq!(result["real"], true);
    assert_eq!(result["expected"], 2);
    assert_eq!(
        result["actual"], 1,
        "the counter read from the child's memory"
    );
    assert_eq!(result["lost"], 1);
    assert_eq!(result["left_running"], 0);
    let texts: Vec<&str> = result["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["instruction"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "mov rax, [rdi]",
            "mov rax, [rdi]",
            "add rax, 1",
            "mov [rdi], rax",
            "add rax, 1",
            "mov [rdi], rax"
        ]
    );
    let lost = &result["lost_updates"][0];
    assert_eq!(lost["thread"], 0);
    assert_eq!(
        lost["simulated"]["schedule"],
        serde_json::json!([0, 1, 1, 1, 0, 0])
    );
    assert_eq!(lost["simulated"]["lost"], 1, "the simulation agrees");
}

#[test]
fn a_serial_schedule_loses_nothing() {
    let result = run_schedule(3, "0:inc 1:inc 2:inc");
    assert_eq!(result["expected"], 3);
    assert_eq!(result["actual"], 3);
    assert_eq!(result["lost"], 0);
    assert_eq!(result["lost_updates"], serde_json::json!([]));
}

#[test]
fn every_instruction_shown_is_the_one_the_thread_then_executes() {
    let mut session = Session::start(exe(), 2).unwrap();
    let first = session.snapshot().unwrap();
    for thread in &first.threads {
        assert_eq!(
            thread.ip, first.listing.loop_start,
            "stopped at the loop's start"
        );
    }
    // Twice round the whole loop for thread 0, jump included, then once for thread 1.
    for t in [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1] {
        let shown = session.snapshot().unwrap();
        let line = shown.threads[t]
            .line
            .expect("the thread is inside the listing");
        let listed = shown.listing.lines[line].clone();
        let executed = session.step(t).unwrap().clone();
        assert_eq!(executed.instruction, listed.text);
        assert_eq!(executed.address, listed.address);
        assert_eq!(executed.ip_after, listed.next, "{listed:?} went elsewhere");
        let after = session.snapshot().unwrap();
        assert_eq!(after.threads[t].ip, listed.next);
        // The other thread did not move.
        assert_eq!(after.threads[1 - t].ip, shown.threads[1 - t].ip);
        if listed.role == Role::Store {
            assert_eq!(
                after.counter, executed.value_before,
                "the store wrote the register"
            );
        }
    }
    let last = session.snapshot().unwrap();
    assert_eq!(last.counter, 3);
    assert_eq!(
        last.threads[0].tally, 2,
        "thread 0 counted its two increments"
    );
}

#[test]
fn a_kernel_run_counts_every_threads_increments_and_what_the_counter_lost() {
    let mut session = Session::start(exe(), 2).unwrap();
    proclab::lab::stepped::apply(
        &mut session,
        Move::Kernel { millis: 30 },
        std::thread::sleep,
    )
    .unwrap();
    let snapshot = session.snapshot().unwrap();
    let Some(Event::Kernel(run)) = snapshot.events.last() else {
        panic!("no kernel run recorded");
    };
    assert!(run.nanos >= 30_000_000, "the threads ran at least 30 ms");
    assert!(run.increments.iter().all(|&n| n > 0), "{run:?}");
    assert_eq!(snapshot.counter, run.counter_after);
    assert_eq!(snapshot.lost, run.lost(), "nothing was lost before the run");
}

#[test]
fn closing_a_stepper_in_the_middle_of_a_kernel_run_kills_and_reaps_its_child() {
    let wake: proclab::lab::Wake = Arc::new(|| {});
    let stepper = Stepper::start(exe().to_owned(), 2, wake).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let pid = loop {
        if let Some(Update::Changed(snapshot)) = stepper.updates().next() {
            break snapshot.pid;
        }
        assert!(Instant::now() < deadline, "the stepper never started");
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(alive(pid));
    stepper.send(Move::Kernel { millis: 1000 });
    std::thread::sleep(Duration::from_millis(50));
    let closing = Instant::now();
    drop(stepper);
    assert!(
        closing.elapsed() < Duration::from_millis(900),
        "closing waited for the kernel run"
    );
    assert!(!alive(pid), "child {pid} outlived its stepper");
}

#[test]
fn cancelling_a_run_leaves_no_child_behind() {
    let stepped = family("stepped-race").unwrap();
    let params = stepped.params_from(&[]).unwrap();
    let params = stepped
        .with_text(
            params,
            "schedule",
            "0:load kernel:200 kernel:200 kernel:200",
        )
        .unwrap();
    let cancel = AtomicBool::new(false);
    let report = std::thread::scope(|scope| {
        let running = scope.spawn(|| (stepped.run)(&params, &Job::new(exe(), &cancel, &|_, _| {})));
        std::thread::sleep(Duration::from_millis(250));
        cancel.store(true, std::sync::atomic::Ordering::Relaxed);
        running.join().unwrap().unwrap()
    });
    assert!(report.cancelled);
    assert_eq!(report.json["left_running"], 0);
    let pid = report.json["pid"].as_u64().unwrap() as u32;
    assert!(!alive(pid));
}

#[test]
fn killing_the_app_during_a_stepping_run_leaves_no_child_or_traced_thread() {
    // Orphans come to this test process, which can then see how they ended.
    rustix::process::set_child_subreaper(Some(rustix::process::getpid())).unwrap();
    let mut app = Command::new(exe())
        .args([
            "measure",
            "stepped-race",
            "--schedule",
            "0:load kernel:1000 kernel:1000",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let traced = loop {
        let children = children_of(app.id());
        if let Some(&child) = children.first() {
            let status = std::fs::read_to_string(format!("/proc/{child}/task/{child}/status"));
            let tasks = std::fs::read_dir(format!("/proc/{child}/task")).map_or(0, |t| t.count());
            if status.is_ok() && tasks >= 3 {
                break child;
            }
        }
        assert!(Instant::now() < deadline, "the app never started its child");
        std::thread::sleep(Duration::from_millis(5));
    };
    std::thread::sleep(Duration::from_millis(200));
    app.kill().unwrap();
    app.wait().unwrap();
    // The orphan is ours now: it must end by itself, killed, and be reaped here.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let mut status = 0;
        let reaped = unsafe { libc::waitpid(traced as i32, &mut status, libc::WNOHANG) };
        if reaped == traced as i32 {
            assert!(libc::WIFSIGNALED(status), "the child ended by {status:#x}");
            break;
        }
        assert!(
            reaped == 0 || !alive(traced),
            "waitpid failed while the child lives"
        );
        if reaped != 0 {
            break;
        }
        assert!(Instant::now() < deadline, "child {traced} outlived the app");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(!alive(traced));
}

/// Starts `proclab` with a seccomp filter that makes every ptrace call fail with EPERM, as
/// a locked-down container's profile may.
fn without_ptrace(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure only makes two system calls between fork and exec.
    unsafe {
        command.pre_exec(common::forbid_ptrace);
    }
}

#[test]
fn where_ptrace_is_refused_the_command_says_why_and_fails_without_hanging() {
    let mut command = Command::new(exe());
    command
        .args(["measure", "stepped-race"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    without_ptrace(&mut command);
    let started = Instant::now();
    let mut app = command.spawn().unwrap();
    while app.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(30) {
            app.kill().unwrap();
            panic!("the command hung where ptrace is refused");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let output = app.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "it succeeded without ptrace");
    assert!(said.contains("may not trace its own child"), "{said}");
    assert!(said.contains("EPERM"), "{said}");
    assert!(said.contains("seccomp"), "{said}");
    assert!(said.contains("SYS_PTRACE"), "what would allow it: {said}");
}

#[test]
fn a_schedule_that_does_not_parse_names_the_move_and_is_a_usage_error() {
    let output = Command::new(exe())
        .args(["measure", "stepped-race", "--schedule", "0:load 5:inc"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("schedule move 2 (\"5:inc\")"), "{said}");
    assert!(said.contains("threads are 0 to 1"), "{said}");
}
