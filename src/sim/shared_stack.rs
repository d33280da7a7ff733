//! What goes wrong if two threads share one stack: the scene behind "why does every thread
//! get its own stack?".
//!
//! Threads A and B are (wrongly) given the same stack region, so both stack pointers start at
//! the same top. A calls `f`, the scheduler switches to B, and B's call to `g` lands on the
//! very slots that hold A's frame: A's return address and local variable are overwritten.
//! When A later returns from `f`, it pops B's return address and jumps into B's code.
//!
//! The stack is a column of slots numbered from the top (slot 0, the highest address)
//! downwards, the direction a real stack grows. The outcome is not scripted by hand: pushes
//! and pops run on the model, and `corrupted` and `control_broken` follow from what they do.

use super::{Caption, Script};

/// Step at which B's call overwrites A's return address.
pub const RETURN_ADDRESS_OVERWRITTEN_AT: usize = 4;

/// Step at which A returns through the overwritten slot and jumps to the wrong code.
pub const CONTROL_BROKEN_AT: usize = 8;

/// What a return-address slot's label starts with; the rest is where the return goes.
const RETURN_PREFIX: &str = "ret » ";

/// Where A's call to `f` was made, and where `f` must return to.
const A_CALL_SITE: &str = "run_a+0x17";
const A_RETURN: &str = "run_a+0x1c";
/// Where B's call to `g` was made, and where `g` must return to.
const B_CALL_SITE: &str = "run_b+0x1f";
const B_RETURN: &str = "run_b+0x24";

/// The values the threads store in their local variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    /// What A's `f` stores in its local `x`.
    pub a_local: i64,
    /// What B's `g` stores in its local `y`; differs from `a_local` so A's wrong read shows.
    pub b_local: i64,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            a_local: 5,
            b_local: 7,
        }
    }
}

/// One of the two threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Thread {
    A,
    B,
}

impl Thread {
    /// The thread's one-letter name, as the diagram writes it.
    pub fn name(self) -> &'static str {
        match self {
            Thread::A => "A",
            Thread::B => "B",
        }
    }

    /// The other thread.
    pub fn other(self) -> Thread {
        match self {
            Thread::A => Thread::B,
            Thread::B => Thread::A,
        }
    }
}

/// What a stack slot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotKind {
    /// Where the caller continues when the function returns.
    ReturnAddress,
    /// A value passed to the function.
    Argument,
    /// A local variable of the function.
    Local,
}

/// One slot of the stack: who wrote it last and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// The thread whose value is in the slot now.
    pub owner: Thread,
    /// What the value is for.
    pub kind: SlotKind,
    /// The value as the diagram shows it, e.g. "ret » run_a+0x1c" or "x = 5".
    pub label: String,
    /// The other thread whose value this write destroyed, if it landed on a live slot of it.
    pub overwrote: Option<Thread>,
}

impl Slot {
    /// Where a return through this slot goes, if it holds a return address.
    pub fn return_target(&self) -> Option<&str> {
        match self.kind {
            SlotKind::ReturnAddress => self.label.strip_prefix(RETURN_PREFIX),
            _ => None,
        }
    }
}

/// What one thread's registers say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadState {
    /// Stack pointer as a slot index: the number of slots from the top this thread believes
    /// it has in use, so the next push writes slot `sp`.
    pub sp: usize,
    /// Program counter, as "function+offset".
    pub pc: String,
}

/// What happened in a step, so a painter knows what to point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The starting picture: nothing pushed yet.
    Start,
    /// The running thread pushed a slot (a call's return address or a local variable).
    Push,
    /// The scheduler switched to the other thread.
    Switch,
    /// The running thread read a slot of its frame.
    Read,
    /// The running thread returned, popping its frame.
    Return,
    /// The closing summary; nothing new happens.
    Summary,
}

/// One step of the scene.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The slots written so far, slot 0 at the top (highest address). Popping does not erase
    /// memory, so popped slots stay with their old values, as in a real stack.
    pub slots: Vec<Slot>,
    /// The thread the CPU runs now.
    pub running: Thread,
    /// Thread A's SP and PC.
    pub a: ThreadState,
    /// Thread B's SP and PC.
    pub b: ThreadState,
    /// What this step did.
    pub event: Event,
    /// The slot this step is about: pushed, read or popped.
    pub focus: Option<usize>,
    /// Index of the return-address slot that the other thread overwrote, from that step on.
    pub corrupted: Option<usize>,
    /// The thread whose value now sits in the corrupted slot.
    pub corrupted_by: Option<Thread>,
    /// True from the step a thread returned through a return address that was not its own.
    pub control_broken: bool,
    pub caption: Caption,
}

impl State {
    /// The registers of `thread`.
    pub fn thread(&self, thread: Thread) -> &ThreadState {
        match thread {
            Thread::A => &self.a,
            Thread::B => &self.b,
        }
    }

    fn thread_mut(&mut self, thread: Thread) -> &mut ThreadState {
        match thread {
            Thread::A => &mut self.a,
            Thread::B => &mut self.b,
        }
    }

    /// The running thread pushes a slot at its SP, overwriting whatever is there.
    fn push(&mut self, kind: SlotKind, label: String) -> usize {
        let thread = self.running;
        let index = self.thread(thread).sp;
        // A slot of the other thread that is still inside its frame is live data: writing
        // over it is the corruption this scene is about.
        let overwrote = self
            .slots
            .get(index)
            .filter(|old| old.owner != thread && index < self.thread(old.owner).sp)
            .map(|old| old.owner);
        if overwrote.is_some()
            && self.corrupted.is_none()
            && self
                .slots
                .get(index)
                .is_some_and(|old| old.kind == SlotKind::ReturnAddress)
        {
            self.corrupted = Some(index);
            self.corrupted_by = Some(thread);
        }
        let slot = Slot {
            owner: thread,
            kind,
            label,
            overwrote,
        };
        if index < self.slots.len() {
            self.slots[index] = slot;
        } else {
            self.slots.push(slot);
        }
        self.thread_mut(thread).sp = index + 1;
        index
    }

    /// The running thread returns: it pops its local, then the return address, and jumps
    /// wherever that address says. Returns the index of the popped return-address slot.
    fn return_from_call(&mut self) -> Option<usize> {
        let thread = self.running;
        // The frame is [return address, local]; SP sits below the local.
        let ret_index = self.thread(thread).sp.checked_sub(2)?;
        let slot = self.slots.get(ret_index)?;
        let target = slot.return_target()?.to_string();
        let foreign = slot.owner != thread;
        let state = self.thread_mut(thread);
        state.sp = ret_index;
        state.pc = target;
        if foreign {
            self.control_broken = true;
        }
        Some(ret_index)
    }
}

/// Records a finished step: the event, what it is about, and its caption.
fn record(
    rest: &mut Vec<State>,
    state: &mut State,
    event: Event,
    focus: Option<usize>,
    caption: Caption,
) {
    state.event = event;
    state.focus = focus;
    state.caption = caption;
    rest.push(state.clone());
}

/// Every step of the scene, computed once.
pub fn script(params: &Params) -> Script<State> {
    let x = params.a_local;
    let y = params.b_local;
    let first = State {
        slots: Vec::new(),
        running: Thread::A,
        a: ThreadState {
            sp: 0,
            pc: A_CALL_SITE.to_string(),
        },
        b: ThreadState {
            sp: 0,
            pc: B_CALL_SITE.to_string(),
        },
        event: Event::Start,
        focus: None,
        corrupted: None,
        corrupted_by: None,
        control_broken: false,
        caption: Caption::new(
            "Threads A and B are wrongly given one stack region to share. Both stack pointers (SP) start at the same top.",
            "스레드 A와 B가 잘못해서 스택 영역 하나를 나눠 쓰게 되었습니다. 두 스택 포인터(SP)가 같은 꼭대기에서 시작합니다.",
        ),
    };
    let mut s = first.clone();
    let mut rest = Vec::new();

    // 1. A calls f: the call instruction pushes where A must continue afterwards.
    let at = s.push(
        SlotKind::ReturnAddress,
        format!("{RETURN_PREFIX}{A_RETURN}"),
    );
    s.a.pc = "f+0x0".to_string();
    record(
        &mut rest,
        &mut s,
        Event::Push,
        Some(at),
        Caption::new(
            format!(
                "A calls f. The call pushes A's return address, {A_RETURN}, where A must continue when f ends."
            ),
            format!(
                "A가 f를 호출합니다. 호출하면서 f가 끝난 뒤 A가 이어 갈 곳인 복귀 주소({A_RETURN})를 푸시합니다."
            ),
        ),
    );

    // 2. f keeps a local variable in its frame, below the return address.
    let at = s.push(SlotKind::Local, format!("x = {x}"));
    s.a.pc = "f+0x08".to_string();
    record(
        &mut rest,
        &mut s,
        Event::Push,
        Some(at),
        Caption::new(
            format!("Inside f, A stores its local variable x = {x} just below the return address."),
            format!("f 안에서 A가 지역 변수 x(값 {x})를 복귀 주소 바로 아래에 저장합니다."),
        ),
    );

    // 3. The time slice ends in the middle of f.
    s.running = Thread::B;
    record(
        &mut rest,
        &mut s,
        Event::Switch,
        None,
        Caption::new(
            "The scheduler pauses A in the middle of f and switches to B. B's SP still points at the top of the shared region.",
            "스케줄러가 f를 실행하던 A를 멈추고 B로 전환합니다. B의 SP는 여전히 공유 영역의 꼭대기를 가리킵니다.",
        ),
    );

    // 4. B's call writes its return address where A's already is.
    let at = s.push(
        SlotKind::ReturnAddress,
        format!("{RETURN_PREFIX}{B_RETURN}"),
    );
    s.b.pc = "g+0x0".to_string();
    record(
        &mut rest,
        &mut s,
        Event::Push,
        Some(at),
        Caption::new(
            "B calls g and pushes its return address into the same slot: A's return address is overwritten.",
            "B가 g를 호출하며 같은 칸에 자기 복귀 주소를 푸시합니다. A의 복귀 주소가 덮어써졌습니다.",
        ),
    );

    // 5. B's local lands on A's local.
    let at = s.push(SlotKind::Local, format!("y = {y}"));
    s.b.pc = "g+0x06".to_string();
    record(
        &mut rest,
        &mut s,
        Event::Push,
        Some(at),
        Caption::new(
            format!(
                "g stores its local y = {y} where A's x was, so A's local variable is overwritten too."
            ),
            format!(
                "g가 지역 변수 y(값 {y})를 A의 x가 있던 자리에 저장합니다. A의 지역 변수도 덮어써졌습니다."
            ),
        ),
    );

    // 6. Back to A, whose registers are exactly as they were.
    s.running = Thread::A;
    record(
        &mut rest,
        &mut s,
        Event::Switch,
        None,
        Caption::new(
            "The scheduler switches back to A. Its SP and PC are as they were, but the frame they point at now holds B's data.",
            "스케줄러가 다시 A로 전환합니다. A의 SP와 PC는 그대로지만, 가리키는 프레임에는 이제 B의 데이터가 들어 있습니다.",
        ),
    );

    // 7. A uses its local: the value is B's.
    let local = s.a.sp.checked_sub(1);
    s.a.pc = "f+0x0c".to_string();
    record(
        &mut rest,
        &mut s,
        Event::Read,
        local,
        Caption::new(
            format!("A reads x and gets {y} instead of {x}: its result is silently wrong."),
            format!(
                "A가 x를 읽습니다. 기대한 값은 {x}이지만 실제로 나온 값은 {y}이므로 결과가 소리 없이 틀어집니다."
            ),
        ),
    );

    // 8. A returns through the slot B overwrote.
    let popped = s.return_from_call();
    let target = s.a.pc.clone();
    record(
        &mut rest,
        &mut s,
        Event::Return,
        popped,
        Caption::new(
            format!(
                "A returns from f and pops B's return address, not its own, so it jumps to {target} in B's code. \
                 A is in the wrong place: the program crashes or misbehaves."
            ),
            format!(
                "A가 f에서 반환하면서 자기 것이 아닌 B의 복귀 주소를 꺼내 B의 코드 안 {target} 위치로 뜁니다. \
                 엉뚱한 곳으로 간 것이므로 프로그램이 죽거나 이상하게 동작합니다."
            ),
        ),
    );

    // 9. The lesson.
    record(
        &mut rest,
        &mut s,
        Event::Summary,
        None,
        Caption::new(
            "A stack records one chain of calls: its return addresses and locals. That is why every thread gets a stack of its own.",
            "스택은 호출 흐름 하나의 복귀 주소와 지역 변수를 기록합니다. 그래서 스레드마다 자기 스택을 따로 받습니다.",
        ),
    );

    Script::new(first, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn states() -> Vec<State> {
        script(&Params::default()).states().to_vec()
    }

    /// Characters the app's fonts can draw: ASCII, Hangul and a few signs.
    fn drawable(text: &str) -> bool {
        text.chars().all(|c| {
            c.is_ascii() || ('\u{AC00}'..='\u{D7A3}').contains(&c) || "•×…·—«»‹›".contains(c)
        })
    }

    #[test]
    fn the_script_has_seven_to_ten_steps_and_the_marked_steps_exist() {
        let states = states();
        assert!((7..=10).contains(&states.len()), "{} steps", states.len());
        const { assert!(RETURN_ADDRESS_OVERWRITTEN_AT < CONTROL_BROKEN_AT) };
        assert!(CONTROL_BROKEN_AT < states.len());
    }

    #[test]
    fn both_threads_start_at_the_same_top_of_an_empty_stack() {
        let first = &states()[0];
        assert!(first.slots.is_empty());
        assert_eq!(first.a.sp, 0);
        assert_eq!(first.b.sp, 0);
        assert_eq!(first.running, Thread::A);
        assert_eq!(first.corrupted, None);
        assert!(!first.control_broken);
    }

    #[test]
    fn the_return_address_is_first_overwritten_exactly_at_its_step_and_stays_so() {
        let states = states();
        let first = states.iter().position(|s| s.corrupted.is_some());
        assert_eq!(first, Some(RETURN_ADDRESS_OVERWRITTEN_AT));
        assert!(
            states[RETURN_ADDRESS_OVERWRITTEN_AT..]
                .iter()
                .all(|s| s.corrupted.is_some())
        );

        let step = &states[RETURN_ADDRESS_OVERWRITTEN_AT];
        let index = step.corrupted.unwrap();
        let slot = &step.slots[index];
        assert_eq!(slot.kind, SlotKind::ReturnAddress);
        assert_eq!(slot.owner, Thread::B);
        assert_eq!(slot.overwrote, Some(Thread::A));
        assert_eq!(step.corrupted_by, Some(Thread::B));
        // Before B's call, the same slot held A's own return address.
        let before = &states[RETURN_ADDRESS_OVERWRITTEN_AT - 1].slots[index];
        assert_eq!(
            (before.owner, before.kind),
            (Thread::A, SlotKind::ReturnAddress)
        );
    }

    #[test]
    fn control_first_breaks_exactly_at_its_step_with_a_jump_into_b_code() {
        let states = states();
        let first = states.iter().position(|s| s.control_broken);
        assert_eq!(first, Some(CONTROL_BROKEN_AT));
        assert!(states[CONTROL_BROKEN_AT..].iter().all(|s| s.control_broken));

        let step = &states[CONTROL_BROKEN_AT];
        assert_eq!(step.event, Event::Return);
        assert_eq!(step.running, Thread::A);
        assert_eq!(step.a.pc, B_RETURN, "A continues where B should have");
        assert_ne!(step.a.pc, A_RETURN);
        assert_eq!(
            step.focus, step.corrupted,
            "the popped slot is the overwritten one"
        );
    }

    #[test]
    fn the_captions_of_the_marked_steps_say_what_happened() {
        let states = states();
        for step in [RETURN_ADDRESS_OVERWRITTEN_AT, CONTROL_BROKEN_AT] {
            let caption = &states[step].caption;
            assert!(caption.en.contains("return address"), "{}", caption.en);
            assert!(caption.ko.contains("복귀 주소"), "{}", caption.ko);
        }
        let overwritten = &states[RETURN_ADDRESS_OVERWRITTEN_AT].caption;
        assert!(overwritten.en.contains("overwritten") && overwritten.ko.contains("덮어"));
        let broken = &states[CONTROL_BROKEN_AT].caption;
        assert!(broken.en.contains("wrong place") && broken.en.contains("crash"));
        assert!(broken.ko.contains("엉뚱한 곳") && broken.ko.contains("죽거나"));
        let last = &states.last().unwrap().caption;
        assert!(last.en.contains("own") && last.ko.contains("자기 스택"));
    }

    #[test]
    fn a_reads_b_value_from_its_own_frame() {
        let params = Params {
            a_local: 11,
            b_local: 99,
        };
        let states = script(&params).states().to_vec();
        let read = states.iter().find(|s| s.event == Event::Read).unwrap();
        let slot = &read.slots[read.focus.unwrap()];
        assert_eq!((slot.owner, slot.kind), (Thread::B, SlotKind::Local));
        assert_eq!(slot.label, "y = 99");
        assert_eq!(slot.overwrote, Some(Thread::A));
        assert!(read.caption.en.contains("99") && read.caption.en.contains("11"));
    }

    #[test]
    fn every_step_shows_something_new_and_one_thread_runs_at_a_time() {
        let states = states();
        for pair in states.windows(2) {
            assert_ne!(pair[0], pair[1]);
            assert_ne!(pair[0].caption, pair[1].caption);
        }
        // Only the running thread's registers move.
        for pair in states.windows(2) {
            let idle = pair[1].running.other();
            if pair[0].running == pair[1].running {
                assert_eq!(pair[0].thread(idle), pair[1].thread(idle));
            }
        }
    }

    #[test]
    fn all_text_is_bilingual_and_drawable() {
        for state in states() {
            assert!(!state.caption.en.is_empty() && !state.caption.ko.is_empty());
            assert!(
                state
                    .caption
                    .ko
                    .chars()
                    .any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
            );
            assert!(drawable(&state.caption.en), "{}", state.caption.en);
            assert!(drawable(&state.caption.ko), "{}", state.caption.ko);
            assert!(drawable(&state.a.pc) && drawable(&state.b.pc));
            for slot in &state.slots {
                assert!(drawable(&slot.label), "{}", slot.label);
            }
        }
    }
}
