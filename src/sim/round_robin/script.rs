//! The time-slicing scene's steps: an opening, one step per slice of the schedule saying why
//! it ended and who joined the queue meanwhile, and a closing step with the totals and what
//! Linux does instead of a fixed quantum.

use std::sync::Arc;

use super::{Params, Schedule, Slice, SliceEnd, TaskState, schedule};
use crate::sim::{Caption, Script};

/// One step of the scene.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The whole schedule, shared by every step (the painter reveals it up to `now`).
    pub schedule: Arc<Schedule>,
    /// Slices revealed so far.
    pub shown: usize,
    /// The slice this step is about, if any (none at the opening and the closing step).
    pub current: Option<usize>,
    /// The instant the step stands at, in ms: where the chart is revealed to.
    pub now: u32,
    /// The ready queue at `now`, first in line first.
    pub queue: Vec<usize>,
    pub caption: Caption,
}

/// Every step, computed once.
pub fn script(params: &Params) -> Script<State> {
    let schedule = Arc::new(schedule(&params.tasks, params.quantum, params.switch_cost));
    let first = State {
        schedule: Arc::clone(&schedule),
        shown: 0,
        current: None,
        now: 0,
        queue: Vec::new(),
        caption: opening(params, &schedule),
    };
    let mut told_rule = false;
    let mut rest: Vec<State> = schedule
        .slices
        .iter()
        .enumerate()
        .map(|(i, slice)| State {
            schedule: Arc::clone(&schedule),
            shown: i + 1,
            current: Some(i),
            now: slice.end,
            queue: slice.queue_after.clone(),
            caption: slice_caption(&schedule, i, &mut told_rule),
        })
        .collect();
    rest.push(State {
        schedule: Arc::clone(&schedule),
        shown: schedule.slices.len(),
        current: None,
        now: schedule.end,
        queue: Vec::new(),
        caption: closing(&schedule),
    });
    Script::new(first, rest)
}

/// "이" after a word ending in a consonant, "가" otherwise, for `작업 {n}` (and so on).
fn subject(n: usize) -> &'static str {
    // 1 일, 3 삼, 6 육, 7 칠, 8 팔 and 0 (십, 영) end in a consonant.
    if matches!(n % 10, 0 | 1 | 3 | 6 | 7 | 8) {
        "이"
    } else {
        "가"
    }
}

fn opening(params: &Params, schedule: &Schedule) -> Caption {
    let (n, q) = (params.tasks.len(), schedule.quantum);
    let io = params.tasks.iter().position(|t| t.io_total() > 0);
    let (io_en, io_ko) = io.map_or_else(Default::default, |i| {
        (
            format!(" Task {} will block on I/O.", i + 1),
            format!(" 작업 {}{} 중간에 I/O를 기다립니다.", i + 1, subject(i + 1)),
        )
    });
    let (tasks_en, share_ko) = if n == 1 {
        ("1 task uses", "씁니다")
    } else {
        ("tasks share", "나눠 씁니다")
    };
    let count_en = if n == 1 {
        String::new()
    } else {
        format!("{n} ")
    };
    Caption::new(
        format!(
            "Simulation: {count_en}{tasks_en} one CPU round robin, with a {q} ms quantum and a \
             first-in first-out ready queue.{io_en} Linux has no fixed quantum: the real \
             turns are measured beside this picture."
        ),
        format!(
            "시뮬레이션: 작업 {n}개가 퀀텀 {q} ms의 라운드 로빈으로 CPU 하나를 {share_ko}. \
             준비 큐는 먼저 온 작업이 먼저 나갑니다.{io_ko} 리눅스에는 고정 퀀텀이 없습니다. \
             실제 차례는 이 그림 옆에서 잽니다."
        ),
    )
}

fn waited_before(schedule: &Schedule, task: usize, start: u32) -> Option<u32> {
    schedule.lanes[task]
        .iter()
        .find(|s| s.end == start && s.state == TaskState::Ready)
        .map(|s| s.end - s.start)
}

/// What step `i` says: who ran when, why it stopped, who joined the queue meanwhile.
fn slice_caption(schedule: &Schedule, i: usize, told_rule: &mut bool) -> Caption {
    let slice = &schedule.slices[i];
    let (t, start, end) = (slice.task + 1, slice.start, slice.end);
    let before = schedule.slices[..i]
        .iter()
        .rposition(|s| s.task == slice.task);
    let (mut en, mut ko) = match (before, waited_before(schedule, slice.task, start)) {
        (Some(b), Some(w)) => {
            let others = i - b - 1;
            let (turns_en, turns_ko) = match others {
                0 => (String::new(), String::new()),
                1 => (
                    ", while 1 other turn ran,".to_owned(),
                    " 다른 차례가 1번 지나갔고,".to_owned(),
                ),
                n => (
                    format!(", while {n} other turns ran,"),
                    format!("(그사이 다른 차례 {n}번)"),
                ),
            };
            (
                format!(
                    "Task {t} is back after {w} ms in the ready queue{turns_en} and runs {start}–{end} ms."
                ),
                format!(
                    "작업 {t}{} 준비 큐에서 {w} ms 기다린 뒤{turns_ko} {start}–{end} ms에 실행합니다.",
                    subject(t)
                ),
            )
        }
        _ => (
            format!("Task {t} runs {start}–{end} ms."),
            format!("작업 {t}{} {start}–{end} ms에 실행합니다.", subject(t)),
        ),
    };
    let ending = ending(schedule, slice);
    en.push_str(&ending.en);
    ko.push_str(&ending.ko);
    for joined in joined(schedule, slice) {
        en.push_str(&joined.en);
        ko.push_str(&joined.ko);
    }
    let waited = waited_before(schedule, slice.task, start);
    let after_expiry = before.is_some_and(|b| schedule.slices[b].ended == SliceEnd::Expired);
    if let (true, Some(w), false) = (after_expiry, waited, *told_rule) {
        *told_rule = true;
        en.push_str(
            " When k tasks are always ready and each uses its whole quantum q, each waits \
             (k-1) x q between its turns.",
        );
        ko.push_str(
            " 작업 k개가 늘 준비되어 있고 저마다 퀀텀 q를 다 쓰면, 각 작업은 차례 사이에 \
             (k-1) x q를 기다립니다.",
        );
        let others = before.map_or(0, |b| i - b - 1) as u32;
        if others > 0 && w == others * schedule.quantum {
            let q = schedule.quantum;
            en.push_str(&format!(" Here: {others} x {q} = {w} ms."));
            ko.push_str(&format!(" 여기서는 {others} x {q} = {w} ms입니다."));
        }
    }
    Caption { en, ko }
}

/// Why the slice ended and where the CPU goes next.
fn ending(schedule: &Schedule, slice: &Slice) -> Caption {
    let q = schedule.quantum;
    let next = slice.queue_after.first().map(|n| n + 1);
    match (slice.ended, next) {
        (SliceEnd::Expired, Some(n)) if n == slice.task + 1 => Caption::new(
            format!(" Its {q} ms quantum expires, but nobody else is ready, so it runs on."),
            format!(" 퀀텀 {q} ms가 끝났지만 준비된 다른 작업이 없어 계속 실행합니다."),
        ),
        (SliceEnd::Expired, _) => Caption::new(
            format!(
                " Its {q} ms quantum expires: the kernel saves its registers and puts it at the \
                 back of the ready queue."
            ),
            format!(
                " 퀀텀 {q} ms가 끝나 커널이 레지스터를 저장하고 작업을 준비 큐의 맨 뒤에 넣습니다."
            ),
        ),
        (SliceEnd::Blocked, Some(n)) => Caption::new(
            format!(
                " Then it waits for I/O: blocked, not ready, it leaves the CPU, which goes to \
                 task {n}, first in the queue."
            ),
            format!(
                " 이어서 I/O를 기다립니다. 준비가 아니라 I/O 대기 상태이므로 CPU를 내놓고, CPU는 큐의 \
                 맨 앞 작업 {n}에게 갑니다."
            ),
        ),
        (SliceEnd::Blocked, None) => Caption::new(
            " Then it waits for I/O, and with no task ready the CPU is idle.",
            " 이어서 I/O를 기다립니다. 준비된 작업이 없으므로 CPU는 쉽니다.",
        ),
        (SliceEnd::Finished, _) => Caption::new(
            format!(" Its work is done: it completes at {} ms.", slice.end),
            format!(" 할 일을 마쳐 {} ms에 끝납니다.", slice.end),
        ),
    }
}

/// One sentence per task that joined the queue during the slice, saying so when it came at
/// the instant the quantum expired (and so went ahead of the preempted task).
fn joined(schedule: &Schedule, slice: &Slice) -> Vec<Caption> {
    slice
        .joined
        .iter()
        .map(|&(j, at)| {
            let n = j + 1;
            let from_io = schedule.lanes[j]
                .iter()
                .any(|s| s.end == at && s.state == TaskState::Blocked);
            let (how_en, how_ko) = if from_io {
                ("is back from I/O", "I/O를 마치고")
            } else {
                ("arrives", "도착해")
            };
            let tie = at == slice.end && slice.ended == SliceEnd::Expired;
            if tie {
                let p = slice.task + 1;
                Caption::new(
                    format!(
                        " Task {n} {how_en} at {at} ms, the instant the quantum expires: it is \
                         queued ahead of task {p}."
                    ),
                    format!(
                        " 작업 {n}{} 퀀텀이 끝나는 바로 그때({at} ms) {how_ko} 준비 큐에 들어가므로 작업 \
                         {p}보다 앞에 섭니다.",
                        subject(n)
                    ),
                )
            } else {
                Caption::new(
                    format!(" Meanwhile task {n} {how_en} at {at} ms and joins the ready queue."),
                    format!(
                        " 그사이 작업 {n}{} {at} ms에 {how_ko} 준비 큐에 들어갑니다.",
                        subject(n)
                    ),
                )
            }
        })
        .collect()
}

fn closing(schedule: &Schedule) -> Caption {
    let (end, switches) = (schedule.end, schedule.switches);
    let idle: u32 = schedule.idle.iter().map(|(a, b)| b - a).sum();
    let waits = schedule
        .waiting
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    Caption::new(
        format!(
            "All tasks complete by {end} ms after {switches} context switches, the CPU idle \
             for {idle} ms; task by task they waited {waits} ms in the ready queue. This is a \
             simulation: Linux has no fixed quantum. Its scheduler (EEVDF since 6.6, CFS \
             before) gives each runnable task a slice derived from a base slice (CFS shared a \
             target latency among the runnable tasks); the experiment beside measures the \
             real turns."
        ),
        format!(
            "모든 작업이 {end} ms까지 끝납니다. 컨텍스트 스위칭은 {switches}번, CPU가 쉰 시간은 \
             {idle} ms이고, 작업별로 준비 큐에서 기다린 시간은 {waits} ms입니다. 이것은 \
             시뮬레이션입니다. 리눅스에는 고정 퀀텀이 없습니다. 스케줄러(6.6부터 EEVDF, 그 전에는 \
             CFS)는 기본 슬라이스로부터 정한 슬라이스를 실행 가능한 작업마다 줍니다(CFS는 목표 \
             지연 시간을 실행 가능한 작업 수로 나눴습니다). 실제 차례는 옆의 실험이 잽니다."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_per_slice_between_an_opening_and_a_closing_that_say_it_is_simulated() {
        for tasks in 1..=8 {
            let script = script(&Params::example(tasks));
            let schedule = &script.state(0).schedule;
            assert_eq!(script.len(), schedule.slices.len() + 2);
            assert!(script.state(0).caption.en.starts_with("Simulation"));
            assert!(script.state(0).caption.ko.starts_with("시뮬레이션"));
            let last = script.state(script.len() - 1);
            assert!(
                last.caption.en.contains("simulation"),
                "{}",
                last.caption.en
            );
            assert_eq!((last.now, last.current), (schedule.end, None));
            for (i, slice) in schedule.slices.iter().enumerate() {
                let state = script.state(i + 1);
                assert_eq!(state.current, Some(i));
                assert_eq!((state.now, &state.queue), (slice.end, &slice.queue_after));
                assert!(!state.caption.en.is_empty() && !state.caption.ko.is_empty());
            }
        }
    }

    #[test]
    fn captions_tell_the_tie_the_io_and_the_waiting_rule() {
        let script = script(&Params::example(3));
        let en: Vec<&str> = script
            .states()
            .iter()
            .map(|s| s.caption.en.as_str())
            .collect();
        let all = en.join("\n");
        assert!(all.contains("waits for I/O"), "{all}");
        assert!(all.contains("back from I/O"), "{all}");
        assert!(all.contains("(k-1) x q"), "{all}");
        assert_eq!(all.matches("(k-1) x q").count(), 1, "said once");
        assert!(all.contains("back of the ready queue"), "{all}");
        assert!(
            all.contains("queued ahead of task 1"),
            "the tie rule: {all}"
        );
        assert!(all.contains("Here: 2 x 10 = 20 ms"), "{all}");
    }

    #[test]
    fn korean_subject_particles_follow_the_number() {
        assert_eq!(format!("작업 1{}", subject(1)), "작업 1이");
        assert_eq!(format!("작업 2{}", subject(2)), "작업 2가");
        assert_eq!(format!("작업 3{}", subject(3)), "작업 3이");
        assert_eq!(format!("작업 5{}", subject(5)), "작업 5가");
    }
}
