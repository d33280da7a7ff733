//! Threads at a lock, the scene behind the three conditions of a critical section: who is
//! inside, who waits and in which order, and who is busy elsewhere. A thread asks, waits in
//! the queue while another is inside, enters when its turn comes, and leaves. The lock here is
//! fair (first come, first served), so every wait is bounded by the turns ahead of it.

use std::collections::VecDeque;

use super::{Caption, Script};

/// How many threads take turns (the lesson's `threads`, 2 to 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    pub threads: usize,
}

impl Default for Params {
    fn default() -> Self {
        Self { threads: 3 }
    }
}

/// Where a thread is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Doing other work, outside the critical section and not asking.
    Elsewhere,
    /// Asked for the lock and waits in the queue.
    Waiting,
    /// Holds the lock: inside the critical section.
    Inside,
}

/// One step of the scene.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Where each thread is, by thread number.
    pub places: Vec<Place>,
    /// Waiting threads, first in line first.
    pub queue: VecDeque<usize>,
    /// Times each thread has been inside.
    pub turns: Vec<u32>,
    /// The thread that moved in this step.
    pub moved: Option<usize>,
    pub caption: Caption,
}

impl State {
    /// The thread inside, if any.
    pub fn inside(&self) -> Option<usize> {
        self.places.iter().position(|&p| p == Place::Inside)
    }
}

/// Builds the script one event at a time, checking the lock's rules as it goes.
struct Lock {
    state: State,
    steps: Vec<State>,
}

impl Lock {
    /// Thread `t` asks: it enters at once if the lock is free (progress), else it queues.
    fn ask(&mut self, t: usize, caption: Caption) {
        if self.state.inside().is_none() && self.state.queue.is_empty() {
            self.state.places[t] = Place::Inside;
            self.state.turns[t] += 1;
        } else {
            self.state.places[t] = Place::Waiting;
            self.state.queue.push_back(t);
        }
        self.record(t, caption);
    }

    /// The thread inside leaves; the first in line enters (bounded waiting).
    fn leave(&mut self, caption: Caption) {
        let Some(t) = self.state.inside() else { return };
        self.state.places[t] = Place::Elsewhere;
        if let Some(next) = self.state.queue.pop_front() {
            self.state.places[next] = Place::Inside;
            self.state.turns[next] += 1;
        }
        self.record(t, caption);
    }

    fn record(&mut self, t: usize, caption: Caption) {
        self.state.moved = Some(t);
        self.state.caption = caption;
        self.steps.push(self.state.clone());
    }
}

/// Every step, computed once.
pub fn script(params: &Params) -> Script<State> {
    let n = params.threads.clamp(2, 5);
    let name = |t: usize| format!("T{}", t + 1);
    let first = State {
        places: vec![Place::Elsewhere; n],
        queue: VecDeque::new(),
        turns: vec![0; n],
        moved: None,
        caption: Caption::new(
            "The critical section is free, and every thread is busy elsewhere.",
            "임계 구역은 비어 있고, 모든 스레드가 다른 일을 하고 있습니다.",
        ),
    };
    let mut lock = Lock {
        state: first.clone(),
        steps: Vec::new(),
    };
    lock.ask(
        0,
        Caption::new(
            "T1 asks for the lock. Nobody is inside, so it enters at once: progress, a free lock is never held back.",
            "T1이 락을 요청합니다. 안에 아무도 없으므로 곧바로 들어갑니다. 진행 조건: 빈 락은 미뤄지지 않습니다.",
        ),
    );
    for t in 1..n {
        lock.ask(
            t,
            Caption::new(
                format!("{} asks while T1 is inside, so it waits in line: mutual exclusion, one thread inside at a time.", name(t)),
                format!("{}는 T1이 안에 있을 때 요청했으므로 줄을 서서 기다립니다. 상호 배제: 안에는 한 번에 한 스레드만 있습니다.", name(t)),
            ),
        );
    }
    lock.leave(Caption::new(
        "T1 leaves; the first thread in line, T2, enters. The lock serves threads in the order they asked.",
        "T1이 나가고 줄의 맨 앞 T2가 들어갑니다. 이 락은 요청한 순서대로 들여보냅니다.",
    ));
    lock.ask(
        0,
        Caption::new(
            "T1 asks again at once, but it joins the back of the line: it cannot jump ahead of threads already waiting.",
            "T1이 곧바로 다시 요청하지만 줄의 맨 뒤에 섭니다. 이미 기다리는 스레드를 앞지를 수 없습니다.",
        ),
    );
    while lock.state.inside().is_some() && lock.steps.len() < 4 * n {
        let leaving = lock.state.inside().map_or_else(String::new, name);
        lock.leave(Caption::new(
            format!("{leaving} leaves, and the next in line enters. Every waiting thread's turn comes after at most the turns of those ahead of it: bounded waiting."),
            format!("{leaving}가 나가고 다음 차례가 들어갑니다. 기다리는 스레드는 앞선 스레드들의 차례만큼만 기다립니다. 한정된 대기입니다."),
        ));
    }
    Script::new(first, lock.steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_two_inside_and_a_free_lock_is_taken_at_once() {
        for threads in 2..=5 {
            let script = script(&Params { threads });
            for state in script.states() {
                let inside = state.places.iter().filter(|&&p| p == Place::Inside).count();
                assert!(inside <= 1, "{state:?}");
                // Progress: nobody waits while the section is free.
                if inside == 0 {
                    assert!(state.queue.is_empty(), "{state:?}");
                }
            }
        }
    }

    #[test]
    fn threads_enter_in_the_order_they_asked_and_everyone_gets_a_turn() {
        let script = script(&Params { threads: 4 });
        let entries: Vec<usize> = script
            .states()
            .windows(2)
            .filter_map(|w| w[1].inside().filter(|&t| Some(t) != w[0].inside()))
            .collect();
        assert_eq!(entries, [0, 1, 2, 3, 0]);
        let last = script.state(script.len() - 1);
        assert!(last.turns.iter().all(|&t| t >= 1), "{last:?}");
    }
}
