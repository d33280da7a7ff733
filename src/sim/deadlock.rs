//! Threads in a ring heading into a deadlock, step by step: each takes its own lock, then
//! asks for its neighbour's and waits; once the last one asks, the wait-for graph has a
//! cycle and nobody can go on. Then the way out (the process is killed) and the fix (one
//! global order: the last thread asks for the lower lock first and waits holding nothing).

use super::wait_for::{WaitForGraph, lock_name};
use super::{Caption, Script};

/// How many threads sit in the ring (the lesson's `threads`, 2 to 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    pub threads: usize,
}

impl Default for Params {
    fn default() -> Self {
        Self { threads: 2 }
    }
}

/// What a step shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Taking and asking, before the cycle closes.
    Forming,
    /// Every thread waits on the next: the cycle.
    Deadlocked,
    /// The process was killed: its threads and locks are gone.
    Killed,
    /// The fix, one global order: no cycle can form.
    GlobalOrder,
}

/// One step of the scene.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub graph: WaitForGraph,
    pub stage: Stage,
    pub caption: Caption,
}

/// The step of a real ring run that matches `acts`: how many locks its threads had taken,
/// plus how many of them then waited for a second one, at the same moment.
pub fn step_for_acts(threads: usize, acts: usize) -> usize {
    acts.min(killed_step(threads) - 1)
}

/// The step at which the process of a ring of `threads` is killed: after each thread has
/// taken one lock and asked for another.
pub fn killed_step(threads: usize) -> usize {
    2 * threads.clamp(2, 5) + 1
}

/// Every step, computed once.
pub fn script(params: &Params) -> Script<State> {
    let n = params.threads.clamp(2, 5);
    let name = |t: usize| format!("T{}", t + 1);
    let mut graph = WaitForGraph {
        holders: vec![None; n],
        waiting: vec![None; n],
    };
    let first = State {
        graph: graph.clone(),
        stage: Stage::Forming,
        caption: Caption::new(
            format!(
                "{n} threads and {n} locks. Each thread needs its own lock and the next one's."
            ),
            format!("스레드 {n}개와 락 {n}개. 스레드마다 자기 락과 다음 락이 필요합니다."),
        ),
    };
    let mut steps = Vec::new();
    let mut push = |graph: &WaitForGraph, stage, caption| {
        steps.push(State {
            graph: graph.clone(),
            stage,
            caption,
        })
    };
    for t in 0..n {
        graph.holders[t] = Some(t);
        push(
            &graph,
            Stage::Forming,
            Caption::new(
                format!("{} takes lock {}: it was free.", name(t), lock_name(t)),
                format!(
                    "{}이(가) 락 {}을(를) 잡습니다. 비어 있었습니다.",
                    name(t),
                    lock_name(t)
                ),
            ),
        );
    }
    for t in 0..n {
        let wanted = (t + 1) % n;
        graph.waiting[t] = Some(wanted);
        let holder = name(wanted);
        let stage = if t + 1 == n {
            Stage::Deadlocked
        } else {
            Stage::Forming
        };
        let caption = match stage {
            Stage::Deadlocked => Caption::new(
                format!(
                    "{} asks for {}, held by {holder}. Now every thread waits for the next: a cycle in the wait-for graph. Deadlock: no thread can let go, none will ever go on.",
                    name(t),
                    lock_name(wanted)
                ),
                format!(
                    "{}이(가) {holder}이(가) 잡은 {}을(를) 요청합니다. 이제 모든 스레드가 다음 스레드를 기다립니다. 대기 그래프의 순환, 교착 상태입니다. 누구도 락을 놓을 수 없고 누구도 나아가지 못합니다.",
                    name(t),
                    lock_name(wanted)
                ),
            ),
            _ => Caption::new(
                format!(
                    "{} asks for {}, held by {holder}, and waits, still holding {}.",
                    name(t),
                    lock_name(wanted),
                    lock_name(t)
                ),
                format!(
                    "{}이(가) {holder}이(가) 잡은 {}을(를) 요청하고, {}을(를) 쥔 채 기다립니다.",
                    name(t),
                    lock_name(wanted),
                    lock_name(t)
                ),
            ),
        };
        push(&graph, stage, caption);
    }
    push(
        &graph,
        Stage::Killed,
        Caption::new(
            "ProcLab finds the cycle in the graph the locks report, kills the process and reaps it. The threads and their locks go with it.",
            "ProcLab은 락이 알려 준 그래프에서 순환을 찾아 프로세스를 종료하고 회수합니다. 스레드와 락도 함께 사라집니다.",
        ),
    );
    let mut fixed = WaitForGraph {
        holders: vec![None; n],
        waiting: vec![None; n],
    };
    fixed.holders[0] = Some(0);
    fixed.holders[1 % n] = Some(0);
    fixed.waiting[n - 1] = Some(0);
    push(
        &fixed,
        Stage::GlobalOrder,
        Caption::new(
            format!(
                "The fix: every thread takes the lower lock first. {} asks for A before {}, so it waits holding nothing, and T1 can take both: no cycle.",
                name(n - 1),
                lock_name(n - 1)
            ),
            format!(
                "해결책: 모든 스레드가 낮은 락부터 잡습니다. {}은(는) {}보다 A를 먼저 요청하므로 아무것도 쥐지 않은 채 기다리고, T1은 둘 다 잡을 수 있습니다. 순환이 없습니다.",
                name(n - 1),
                lock_name(n - 1)
            ),
        ),
    );
    Script::new(first, steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cycle_closes_exactly_when_the_last_thread_asks() {
        for n in 2..=5 {
            let script = script(&Params { threads: n });
            assert_eq!(script.len(), 2 * n + 3);
            for step in 0..script.len() {
                let state = script.state(step);
                let cyclic = state.graph.cycle().is_some();
                let expect = matches!(state.stage, Stage::Deadlocked | Stage::Killed);
                assert_eq!(cyclic, expect, "{n} threads, step {step}");
            }
            assert_eq!(script.state(2 * n).stage, Stage::Deadlocked);
            assert_eq!(step_for_acts(n, 99), 2 * n);
        }
    }
}
