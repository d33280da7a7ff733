//! The memory of one process, step by step: a small program calls functions (stack frames
//! pushed and popped), allocates and frees a heap block pointed to from the stack, and finally
//! recurses until its stack reaches its limit and overflows.
//!
//! It also keeps two ideas apart that are easy to mix up: *regions* are static (code, rodata,
//! data, bss: fixed when the program is loaded) or dynamic (heap, stack: grow and shrink), and
//! *allocation* is static (a `static` lives for the whole run), automatic (a local lives as
//! long as its call) or dynamic (a heap block lives until it is freed).

use super::{Caption, Script};

/// Parameters a lesson may set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    /// How many frames fit on the stack before it overflows (main's included).
    pub stack_limit: usize,
}

impl Default for Params {
    fn default() -> Self {
        Self { stack_limit: 6 }
    }
}

/// Smallest and largest stack limit the scene draws legibly.
pub const STACK_LIMITS: std::ops::RangeInclusive<usize> = 3..=12;

/// A memory region of the process, from low addresses to high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Region {
    Code,
    Rodata,
    Data,
    Bss,
    Heap,
    Stack,
}

impl Region {
    /// Low to high addresses, as a typical Linux process lays them out.
    pub const ALL: [Region; 6] = [
        Region::Code,
        Region::Rodata,
        Region::Data,
        Region::Bss,
        Region::Heap,
        Region::Stack,
    ];

    /// Heap and stack change size while the program runs; the rest are fixed at load.
    pub fn is_dynamic(self) -> bool {
        matches!(self, Region::Heap | Region::Stack)
    }
}

/// A value held in a frame: a number, or a pointer to a heap block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Number(i64),
    /// Points at the heap block with this id.
    Pointer(usize),
    /// Pointed at a block that has been freed.
    Dangling,
}

/// A named value in a frame (an argument or a local).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub name: &'static str,
    pub value: Value,
}

/// One function call on the stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub function: &'static str,
    pub slots: Vec<Slot>,
    /// Where execution goes back to when the call returns.
    pub return_to: &'static str,
}

/// A block of heap memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub id: usize,
    pub bytes: usize,
}

/// A static variable and the region it lives in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Static {
    pub name: &'static str,
    pub region: Region,
    pub value: &'static str,
}

/// What a step changed, for highlighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Loaded,
    Pushed,
    Popped,
    Allocated,
    Freed,
    Overflow,
}

/// The process's memory at one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    pub statics: Vec<Static>,
    /// Bottom (main) first.
    pub frames: Vec<Frame>,
    pub heap: Vec<Block>,
    pub stack_limit: usize,
    /// The call that did not fit, once the stack has overflowed.
    pub overflow: Option<Frame>,
    /// The function running now.
    pub running: &'static str,
    pub change: Change,
    pub caption: Caption,
}

/// Builds the script: load, call, return, allocate, use, free, then recurse to overflow.
pub fn script(params: &Params) -> Script<State> {
    let limit = params
        .stack_limit
        .clamp(*STACK_LIMITS.start(), *STACK_LIMITS.end());
    let mut state = State {
        statics: vec![
            Static {
                name: "GREETING",
                region: Region::Rodata,
                value: "\"hello\"",
            },
            Static {
                name: "count",
                region: Region::Data,
                value: "1",
            },
            Static {
                name: "total",
                region: Region::Bss,
                value: "0",
            },
        ],
        frames: vec![frame("main", vec![], "(start)")],
        heap: Vec::new(),
        stack_limit: limit,
        overflow: None,
        running: "main",
        change: Change::Loaded,
        caption: Caption::new(
            "Loaded: code, constants (rodata), initialised statics (data) and zeroed statics (bss) are fixed in size; main's frame is the first on the stack.",
            "적재 완료: 코드, 상수(rodata), 초깃값이 있는 정적 변수(data), 0으로 시작하는 정적 변수(bss)는 크기가 고정됩니다. 스택에는 main의 프레임이 처음으로 올라갑니다.",
        ),
    };
    let first = state.clone();
    let mut steps = Vec::new();
    let mut push = |state: &mut State, change, caption| {
        state.change = change;
        state.caption = caption;
        steps.push(state.clone());
    };

    state
        .frames
        .push(frame("sum", vec![number("a", 3), number("b", 4)], "main"));
    state.running = "sum";
    push(
        &mut state,
        Change::Pushed,
        Caption::new(
            "main calls sum(3, 4): the arguments travel in registers (rdi and rsi on x86-64) and call pushes the return address, the place in main to come back to; sum's frame keeps a and b as its locals.",
            "main이 sum(3, 4)를 호출합니다. 인자는 레지스터로 전달되고(x86-64에서는 rdi와 rsi), call 명령이 main으로 돌아갈 복귀 주소를 푸시합니다. sum의 프레임은 a와 b를 지역 변수로 보관합니다.",
        ),
    );

    state.frames.pop();
    state.running = "main";
    state.frames[0].slots.push(number("x", 7));
    push(
        &mut state,
        Change::Popped,
        Caption::new(
            "sum returns 7: its frame is popped, and its locals are gone. main keeps the result in its local x.",
            "sum이 7을 돌려주고 프레임이 사라집니다. 지역 변수도 함께 사라지고, main은 결과를 지역 변수 x에 둡니다.",
        ),
    );

    state.heap.push(Block { id: 1, bytes: 256 });
    state.frames[0].slots.push(Slot {
        name: "buf",
        value: Value::Pointer(1),
    });
    push(
        &mut state,
        Change::Allocated,
        Caption::new(
            "main allocates 256 bytes on the heap. The pointer buf is a local on the stack; the block it points to lives until it is freed.",
            "main이 힙에 256바이트를 할당합니다. 포인터 buf는 스택의 지역 변수이고, 가리키는 블록은 해제될 때까지 남습니다.",
        ),
    );

    state.frames.push(frame(
        "fill",
        vec![Slot {
            name: "p",
            value: Value::Pointer(1),
        }],
        "main",
    ));
    state.running = "fill";
    push(
        &mut state,
        Change::Pushed,
        Caption::new(
            "fill(buf) gets a copy of the pointer, not of the block: two stack slots, one heap block.",
            "fill(buf)은 블록이 아니라 포인터의 복사본을 받습니다. 스택 칸은 둘, 힙 블록은 하나입니다.",
        ),
    );

    state.frames.pop();
    state.running = "main";
    push(
        &mut state,
        Change::Popped,
        Caption::new(
            "fill returns; its copy of the pointer goes with its frame, the block stays.",
            "fill이 반환되면 포인터 복사본은 프레임과 함께 사라지지만 블록은 남습니다.",
        ),
    );

    state.heap.clear();
    for slot in &mut state.frames[0].slots {
        if slot.value == Value::Pointer(1) {
            slot.value = Value::Dangling;
        }
    }
    push(
        &mut state,
        Change::Freed,
        Caption::new(
            "main frees the block: the heap memory goes back to the allocator. buf still holds the old address, now dangling (Rust forbids using it).",
            "main이 블록을 해제해 힙 메모리가 할당자로 돌아갑니다. buf에는 옛 주소가 남아 댕글링 포인터가 됩니다(Rust는 사용을 막습니다).",
        ),
    );

    // Recursion until the next frame would not fit.
    let mut depth = 1;
    loop {
        let call = frame(
            "depth",
            vec![number("n", depth)],
            if depth == 1 { "main" } else { "depth" },
        );
        if state.frames.len() >= limit {
            state.overflow = Some(call);
            push(
                &mut state,
                Change::Overflow,
                Caption::new(
                    format!(
                        "Stack overflow: the call depth({depth}) needs frame {} but only {limit} fit. It hits the guard page below the stack and the OS stops the process.",
                        limit + 1
                    ),
                    format!(
                        "스택 오버플로: depth({depth}) 호출에는 {}번째 프레임이 필요하지만 {limit}개까지만 들어갑니다. 스택 아래의 가드 페이지에 닿아 운영체제가 프로세스를 멈춥니다.",
                        limit + 1
                    ),
                ),
            );
            break;
        }
        state.frames.push(call);
        state.running = "depth";
        let frames = state.frames.len();
        push(
            &mut state,
            Change::Pushed,
            Caption::new(
                format!(
                    "depth({depth}) calls itself: frame {frames} of {limit}. Each call needs its own frame."
                ),
                format!(
                    "depth({depth})가 자기 자신을 호출합니다. 프레임 {frames}/{limit}. 호출마다 프레임이 하나씩 필요합니다."
                ),
            ),
        );
        depth += 1;
    }
    Script::new(first, steps)
}

fn frame(function: &'static str, slots: Vec<Slot>, return_to: &'static str) -> Frame {
    Frame {
        function,
        slots,
        return_to,
    }
}

fn number(name: &'static str, value: i64) -> Slot {
    Slot {
        name,
        value: Value::Number(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stack_overflows_exactly_when_frames_would_exceed_the_limit() {
        for limit in STACK_LIMITS {
            let script = script(&Params { stack_limit: limit });
            let states = script.states();
            let first_overflow = states.iter().position(|s| s.overflow.is_some()).unwrap();
            assert_eq!(first_overflow, states.len() - 1, "overflow ends the script");
            let before = &states[first_overflow - 1];
            assert_eq!(before.frames.len(), limit, "the stack was exactly full");
            assert!(
                states.iter().all(|s| s.frames.len() <= limit),
                "never more than fit"
            );
            assert!(
                states[..first_overflow]
                    .iter()
                    .all(|s| s.overflow.is_none())
            );
        }
    }

    #[test]
    fn stepping_forward_then_back_gives_the_same_state() {
        let script = script(&Params::default());
        for step in 1..script.len() {
            assert_eq!(script.previous(step), Some(script.state(step - 1)));
        }
    }

    #[test]
    fn freeing_leaves_a_dangling_pointer_on_the_stack_and_no_block() {
        let script = script(&Params::default());
        let freed = script
            .states()
            .iter()
            .find(|s| s.change == Change::Freed)
            .unwrap();
        assert!(freed.heap.is_empty());
        assert!(
            freed.frames[0]
                .slots
                .iter()
                .any(|s| s.value == Value::Dangling)
        );
    }

    #[test]
    fn out_of_range_limits_are_clamped() {
        assert_eq!(script(&Params { stack_limit: 1 }).state(0).stack_limit, 3);
        assert_eq!(script(&Params { stack_limit: 99 }).state(0).stack_limit, 12);
    }
}
