//! Threads in one process: several threads run the same code and touch the same static and
//! heap object, while each keeps only its own stack, program counter (PC) and registers.
//!
//! The script starts with the main thread alone, then creates the workers, then lets them
//! run round-robin, one thread and one code line per step, so that every effect is visible:
//! a local lands on the running thread's own stack, a push lands in the one heap object, an
//! increment changes the one static.

use super::{Caption, Script};

/// Most threads the scene simulates; more would not fit beside the shared regions.
pub const MAX_THREADS: usize = *crate::limits::SCENE_THREADS.end() as usize;

/// The worker function every thread runs; a thread's PC is an index into it.
pub const CODE: [&str; 5] = [
    "fn worker(id)",
    "  let local = id * 10",
    "  shared.push(local)",
    "  count += 1",
    "  return",
];

/// The lines a worker runs after its entry, in order, each with its own effect.
const LINE_LOCAL: usize = 1;
const LINE_PUSH: usize = 2;
const LINE_COUNT: usize = 3;

/// Simulated top of worker 1's stack. Thread stacks are mapped one below the other, each a
/// fixed size plus a guard page, so the tops are spaced evenly.
const FIRST_STACK_TOP: u64 = 0x7f3a_c000_0000;
const STACK_SPACING: u64 = 0x20_1000;
/// Bytes each simulated frame or local takes on a stack, for the stack-pointer label.
const SLOT_SIZE: u64 = 0x20;

/// Parameters a lesson may set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    /// How many worker threads main creates; clamped to `1..=MAX_THREADS`.
    pub threads: usize,
}

impl Default for Params {
    fn default() -> Self {
        Self { threads: 3 }
    }
}

/// Which part of the script a state belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Only the main thread exists.
    MainOnly,
    /// The workers have just been created.
    Created,
    /// One worker, [`State::running`], has just run one line.
    Running,
    /// Every worker has run; the summary.
    Done,
}

/// A shared item the running thread touches, so a painter can point at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shared {
    /// The heap object `shared`, a growable vector.
    Heap,
    /// The static `count` in the data region.
    Count,
}

/// One worker thread: what it owns alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    /// 1-based worker id, the argument of `worker(id)`.
    pub id: usize,
    /// Short name, "T1".
    pub name: String,
    /// Index into [`State::code`] of the line this thread is at.
    pub pc: usize,
    /// Its own stack, oldest entry first: the frame, then its locals.
    pub stack: Vec<String>,
    /// Its stack-pointer register, summarised as a label: where its stack top is now.
    pub sp: String,
}

impl Thread {
    fn new(id: usize) -> Self {
        let mut thread = Self {
            id,
            name: format!("T{id}"),
            pc: 0,
            stack: vec![format!("worker(id={id})")],
            sp: String::new(),
        };
        thread.update_sp();
        thread
    }

    /// The stack grows down, so the pointer sits one slot below the top per entry.
    fn update_sp(&mut self) {
        let top = FIRST_STACK_TOP - (self.id.saturating_sub(1) as u64) * STACK_SPACING;
        self.sp = format!("{:#x}", top - SLOT_SIZE * self.stack.len() as u64);
    }

    /// The value this thread's `local` gets, and pushes.
    pub fn local_value(&self) -> u32 {
        local_value(self.id)
    }
}

fn local_value(id: usize) -> u32 {
    u32::try_from(id).unwrap_or(u32::MAX).saturating_mul(10)
}

/// A static variable in the data region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Static {
    pub name: &'static str,
    pub value: u32,
}

/// An object on the heap: a vector of numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeapObject {
    pub name: &'static str,
    pub items: Vec<u32>,
}

/// One moment of the process.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub stage: Stage,
    /// The program's code: one copy, run by every thread.
    pub code: Vec<&'static str>,
    /// The main thread's own stack.
    pub main_stack: Vec<String>,
    /// The worker threads, in id order; empty before they are created.
    pub threads: Vec<Thread>,
    /// The data region's statics: only `count`, one for the whole process.
    pub data: Vec<Static>,
    /// The heap's objects: only `shared`, one for the whole process.
    pub heap: Vec<HeapObject>,
    /// Index into `threads` of the thread that moved; meaningful in [`Stage::Running`].
    pub running: usize,
    /// The shared item the running thread touched in this step, if any.
    pub touching: Option<Shared>,
    pub caption: Caption,
}

impl State {
    /// The value of the static `count`.
    pub fn count(&self) -> u32 {
        self.data.first().map_or(0, |s| s.value)
    }

    /// The items of the heap object `shared`.
    pub fn shared(&self) -> &[u32] {
        self.heap
            .first()
            .map(|h| h.items.as_slice())
            .unwrap_or_default()
    }

    /// The thread that moved in this step, if one did.
    pub fn running_thread(&self) -> Option<&Thread> {
        match self.stage {
            Stage::Running => self.threads.get(self.running),
            _ => None,
        }
    }
}

/// Every step of the scene for `params`: 3 × threads + 3 steps.
pub fn script(params: &Params) -> Script<State> {
    let n = params.threads.clamp(1, MAX_THREADS);
    let first = State {
        stage: Stage::MainOnly,
        code: CODE.to_vec(),
        main_stack: vec!["main()".to_owned()],
        threads: Vec::new(),
        data: vec![Static {
            name: "count",
            value: 0,
        }],
        heap: vec![HeapObject {
            name: "shared",
            items: Vec::new(),
        }],
        running: 0,
        touching: None,
        caption: Caption::new(
            "The process starts with one thread, main. The code, the static count = 0 and one heap object, shared, are already there.",
            "프로세스는 main 스레드 하나로 시작합니다. 코드, 정적 변수 count = 0, 힙 객체 shared가 이미 준비되어 있습니다.",
        ),
    };

    let mut rest = Vec::new();
    let mut state = first.clone();

    state.stage = Stage::Created;
    state.threads = (1..=n).map(Thread::new).collect();
    // main waits for its workers; that call is a frame on main's own stack.
    state.main_stack.push("join()".to_owned());
    let plural = if n == 1 { "thread" } else { "threads" };
    state.caption = Caption::new(
        format!(
            "main creates {n} {plural}. Each gets its own stack and its own PC, which starts at line 1 of the same code."
        ),
        format!(
            "main 스레드가 스레드 {n}개를 만듭니다. 각 스레드는 자기 스택과 PC를 따로 받고, PC는 같은 코드의 1번째 줄에서 시작합니다."
        ),
    );
    rest.push(state.clone());

    // Round-robin: every thread runs one line before any runs the next, so the interleaving
    // shows that they all share one heap object and one static.
    state.stage = Stage::Running;
    for line in [LINE_LOCAL, LINE_PUSH, LINE_COUNT] {
        for index in 0..n {
            if let Some((touching, caption)) = run_line(&mut state, index, line) {
                state.running = index;
                state.touching = touching;
                state.caption = caption;
                rest.push(state.clone());
            }
        }
    }

    state.stage = Stage::Done;
    state.running = 0;
    state.touching = None;
    state.caption = Caption::new(
        "Code, data and heap exist once and every thread shares them; each thread keeps only its own stack, PC and registers.",
        "코드, 데이터, 힙은 하나만 있고 모든 스레드가 공유합니다. 각 스레드는 자신의 스택과 PC, 레지스터만 따로 가집니다.",
    );
    rest.push(state);

    Script::new(first, rest)
}

/// Moves thread `index` to `line` and applies that line's effect; returns what it touched
/// and the caption, or None if there is no such thread.
fn run_line(state: &mut State, index: usize, line: usize) -> Option<(Option<Shared>, Caption)> {
    let thread = state.threads.get_mut(index)?;
    thread.pc = line;
    let name = thread.name.clone();
    let value = thread.local_value();
    let shown = line + 1;
    match line {
        LINE_LOCAL => {
            thread.stack.push(format!("local = {value}"));
            thread.update_sp();
            Some((
                None,
                Caption::new(
                    format!(
                        "{name}'s PC moves to line {shown}: local ({value}) goes on {name}'s own stack, so no other thread sees it."
                    ),
                    format!(
                        "{name}의 PC가 {shown}번째 줄로 갑니다. 지역 변수 local({value})은 {name} 자신의 스택에 놓이므로 다른 스레드는 보지 못합니다."
                    ),
                ),
            ))
        }
        LINE_PUSH => {
            if let Some(object) = state.heap.first_mut() {
                object.items.push(value);
            }
            Some((
                Some(Shared::Heap),
                Caption::new(
                    format!(
                        "{name} runs line {shown} and pushes {value} into shared, the one heap object every thread uses."
                    ),
                    format!(
                        "{name} 스레드가 {shown}번째 줄을 실행해 shared에 {value}을 넣습니다. shared는 모든 스레드가 함께 쓰는 힙 객체 하나입니다."
                    ),
                ),
            ))
        }
        LINE_COUNT => {
            let count = state.data.first_mut().map_or(0, |s| {
                s.value += 1;
                s.value
            });
            Some((
                Some(Shared::Count),
                Caption::new(
                    format!(
                        "{name} runs line {shown}: count is now {count}. It is one static in data for all threads, so real code needs a lock or an atomic here."
                    ),
                    format!(
                        "{name} 스레드가 {shown}번째 줄을 실행해 count는 이제 {count}입니다. 데이터 영역의 count는 모든 스레드가 함께 쓰는 변수 하나라서, 실제 코드에서는 락이나 원자적 연산이 필요합니다."
                    ),
                ),
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_sizes() -> impl Iterator<Item = usize> {
        1..=MAX_THREADS
    }

    #[test]
    fn every_stack_holds_only_its_own_threads_values() {
        for n in all_sizes() {
            for state in script(&Params { threads: n }).states() {
                for thread in &state.threads {
                    let own = [
                        format!("worker(id={})", thread.id),
                        format!("local = {}", thread.id * 10),
                    ];
                    assert!(
                        thread.stack.len() <= own.len(),
                        "{}: {:?}",
                        thread.name,
                        thread.stack
                    );
                    assert_eq!(
                        thread.stack.as_slice(),
                        &own[..thread.stack.len()],
                        "{} holds another thread's values",
                        thread.name
                    );
                }
            }
        }
    }

    #[test]
    fn there_is_one_heap_object_and_one_count_and_every_thread_updates_them() {
        for n in all_sizes() {
            let script = script(&Params { threads: n });
            for state in script.states() {
                assert_eq!(state.heap.len(), 1, "one heap object");
                assert_eq!(state.data.len(), 1, "one static");
                assert_eq!(
                    state.code,
                    CODE.to_vec(),
                    "one copy of the code, never changed"
                );
            }
            let last = script.state(script.len() - 1);
            assert_eq!(last.count(), n as u32);
            let mut pushed = last.shared().to_vec();
            pushed.sort_unstable();
            let expected: Vec<u32> = (1..=n as u32).map(|id| id * 10).collect();
            assert_eq!(pushed, expected, "each thread pushed its own local once");
        }
    }

    #[test]
    fn the_step_count_depends_only_on_the_number_of_threads() {
        for n in all_sizes() {
            let a = script(&Params { threads: n });
            let b = script(&Params { threads: n });
            assert_eq!(a, b, "deterministic");
            assert_eq!(a.len(), 3 * n + 3);
        }
        assert_eq!(script(&Params::default()).len(), 12);
    }

    #[test]
    fn thread_counts_are_clamped() {
        assert_eq!(
            script(&Params { threads: 0 }),
            script(&Params { threads: 1 })
        );
        assert_eq!(
            script(&Params { threads: 100 }),
            script(&Params {
                threads: MAX_THREADS
            })
        );
    }

    #[test]
    fn only_the_running_thread_moves_and_it_touches_what_its_line_uses() {
        let script = script(&Params { threads: 4 });
        for step in 1..script.len() {
            let (before, now) = (script.state(step - 1), script.state(step));
            let Some(running) = now.running_thread() else {
                continue;
            };
            for (old, new) in before.threads.iter().zip(&now.threads) {
                if new.id == running.id {
                    assert_eq!(new.pc, old.pc + 1, "the PC moves one line");
                } else {
                    assert_eq!(old, new, "{} did not run", new.name);
                }
            }
            let expected = match running.pc {
                LINE_PUSH => Some(Shared::Heap),
                LINE_COUNT => Some(Shared::Count),
                _ => None,
            };
            assert_eq!(now.touching, expected);
            assert_eq!(
                now.count() != before.count(),
                expected == Some(Shared::Count)
            );
            assert_eq!(
                now.shared().len() != before.shared().len(),
                expected == Some(Shared::Heap)
            );
        }
    }

    #[test]
    fn main_starts_alone_and_the_stack_pointers_differ() {
        let script = script(&Params { threads: 3 });
        assert!(script.state(0).threads.is_empty());
        let created = script.state(1);
        assert_eq!(created.threads.len(), 3);
        assert!(created.threads.iter().all(|t| t.pc == 0));
        let mut sps: Vec<&str> = created.threads.iter().map(|t| t.sp.as_str()).collect();
        sps.dedup();
        assert_eq!(sps.len(), 3, "each thread's stack is somewhere else");
    }

    #[test]
    fn captions_are_bilingual_and_use_only_drawable_characters() {
        let drawable = |c: char| {
            c.is_ascii() || ('\u{AC00}'..='\u{D7A3}').contains(&c) || "•×…·—«»‹›".contains(c)
        };
        for n in all_sizes() {
            for state in script(&Params { threads: n }).states() {
                assert!(!state.caption.en.is_empty() && !state.caption.ko.is_empty());
                for c in state.caption.en.chars().chain(state.caption.ko.chars()) {
                    assert!(drawable(c), "no glyph for {c:?}");
                }
            }
        }
    }

    #[test]
    fn stepping_back_gives_the_exact_previous_state() {
        let script = script(&Params::default());
        for step in 1..script.len() {
            assert_eq!(script.previous(step), Some(script.state(step - 1)));
        }
    }
}
