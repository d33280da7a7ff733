//! Two processes of the same program side by side: the same virtual address holds different
//! values in each, because each has its own address space, and a message can only pass
//! between them through inter-process communication (IPC): a pipe, a message queue or a
//! Unix domain socket (two copies through the kernel), or shared memory (one page mapped into
//! both: the writer's own copy and none through the kernel, but the processes must
//! synchronize, and waiting costs system calls).

use super::{Caption, Script};

/// The virtual address of `x` in both processes: the same program, so the same address.
pub const X_ADDRESS: u64 = 0x5555_5555_8010;

/// The value process A gives its `x`, and then sends to B.
pub const NEW_X: u64 = 42;

/// Simulated physical addresses of each process's `x`: different frames, same offset in the
/// page (0x010), because translation keeps the offset and swaps only the page number.
const A_X_PHYSICAL: u64 = 0x2a4f_3010;
const B_X_PHYSICAL: u64 = 0x7c21_8010;
/// The shared page: one physical frame, mapped where each process's mmap happened to put it.
const SHARED_FRAME: u64 = 0x3b10_0000;
const SHARED_IN_A: u64 = 0x7f12_3456_0000;
const SHARED_IN_B: u64 = 0x7f98_7654_3000;

/// How A sends its message to B.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Ipc {
    /// A byte stream through a kernel buffer.
    #[default]
    Pipe,
    /// Whole messages kept by the kernel, boundaries included.
    MessageQueue,
    /// One physical page mapped into both address spaces.
    SharedMemory,
    /// A Unix domain socket: bytes from one socket's buffer to the other's, inside the kernel
    /// and without the TCP/IP stack (processes on one machine usually use these).
    Socket,
}

impl Ipc {
    pub const ALL: [Ipc; 4] = [Ipc::Pipe, Ipc::MessageQueue, Ipc::SharedMemory, Ipc::Socket];

    /// The mechanism's name in English.
    pub fn name_en(self) -> &'static str {
        match self {
            Ipc::Pipe => "pipe",
            Ipc::MessageQueue => "message queue",
            Ipc::SharedMemory => "shared memory",
            Ipc::Socket => "socket",
        }
    }

    /// The mechanism's name in Korean.
    pub fn name_ko(self) -> &'static str {
        match self {
            Ipc::Pipe => "파이프",
            Ipc::MessageQueue => "메시지 큐",
            Ipc::SharedMemory => "공유 메모리",
            Ipc::Socket => "소켓",
        }
    }

    /// The system calls that send and receive one message; none for shared memory, where a
    /// message is an ordinary store and load.
    pub fn calls(self) -> Option<(&'static str, &'static str)> {
        match self {
            Ipc::Pipe => Some(("write()", "read()")),
            Ipc::MessageQueue => Some(("mq_send()", "mq_receive()")),
            Ipc::Socket => Some(("send()", "recv()")),
            Ipc::SharedMemory => None,
        }
    }

    /// True when every message passes through a kernel buffer.
    pub fn goes_through_kernel(self) -> bool {
        self != Ipc::SharedMemory
    }
}

/// Parameters a lesson may set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    pub ipc: Ipc,
}

/// Where the message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Where {
    /// Not written yet.
    Nowhere,
    /// In a buffer in A's own memory.
    InA,
    /// In the kernel: a pipe buffer, a message queue, or a socket's send buffer.
    InKernel,
    /// In the kernel on B's side: a socket's receive buffer, after the network stack.
    InKernelForB,
    /// In a buffer in B's own memory.
    InB,
    /// In the page both processes map.
    InShared,
}

/// One process and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    /// "A" or "B".
    pub name: &'static str,
    /// The value of `x`, at [`X_ADDRESS`] in this process.
    pub x: u64,
    /// The physical address this process's page table maps [`X_ADDRESS`] to.
    pub x_physical: u64,
    /// The message as this process can read it in its own address space: a private buffer,
    /// or for shared memory the shared page seen through its mapping.
    pub buffer: Option<String>,
}

/// The page both processes map, for shared memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedPage {
    /// Its one physical frame.
    pub frame: u64,
    /// Where it appears in A's address space.
    pub in_a: u64,
    /// Where it appears in B's; need not equal `in_a`.
    pub in_b: u64,
    /// What has been written into it.
    pub content: Option<String>,
}

/// One moment of the two processes.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub ipc: Ipc,
    pub a: Process,
    pub b: Process,
    /// The message A sends: its new x.
    pub message: String,
    pub message_at: Where,
    /// What the kernel holds for the message, if anything.
    pub kernel_buffer: Option<String>,
    /// The page mapped into both, once set up (shared memory only).
    pub shared_page: Option<SharedPage>,
    /// Copies of the message made so far.
    pub copies: u32,
    /// System calls made so far to pass the message.
    pub syscalls: u32,
    /// The system call made in this step, if one was.
    pub call: Option<&'static str>,
    /// Shared memory: the step warns that reader and writer must synchronize.
    pub needs_sync: bool,
    pub caption: Caption,
}

impl State {
    /// True when B can read the message in its own address space.
    pub fn b_has_message(&self) -> bool {
        self.b.buffer.as_deref() == Some(self.message.as_str())
    }
}

impl Process {
    fn new(name: &'static str, x_physical: u64) -> Self {
        Self {
            name,
            x: 0,
            x_physical,
            buffer: None,
        }
    }
}

/// Every step of the scene for `params`: 6 or 7 steps, depending on the IPC.
pub fn script(params: &Params) -> Script<State> {
    let ipc = params.ipc;
    let first = State {
        ipc,
        a: Process::new("A", A_X_PHYSICAL),
        b: Process::new("B", B_X_PHYSICAL),
        message: format!("x={NEW_X}"),
        message_at: Where::Nowhere,
        kernel_buffer: None,
        shared_page: None,
        copies: 0,
        syscalls: 0,
        call: None,
        needs_sync: false,
        caption: Caption::new(
            format!(
                "Two processes run the same program. Each has x at {X_ADDRESS:#x}, and both hold 0."
            ),
            format!(
                "두 프로세스가 같은 프로그램을 실행합니다. 둘 다 x가 {X_ADDRESS:#x}에 있고 값은 0입니다."
            ),
        ),
    };
    let mut rest = Vec::new();
    let mut state = first.clone();

    state.a.x = NEW_X;
    state.caption = Caption::new(
        format!(
            "A sets x = {NEW_X} and only A's x changes. Same virtual address, different memory: each process's page table maps it to a different physical frame."
        ),
        format!(
            "A가 x = {NEW_X}로 바꾸면 A의 x만 바뀝니다. 가상 주소는 같아도 각 프로세스의 페이지 테이블이 서로 다른 물리 프레임으로 연결하기 때문입니다."
        ),
    );
    rest.push(state.clone());

    match ipc.calls() {
        Some((send, receive)) => through_kernel(&mut state, &mut rest, send, receive),
        None => through_shared_page(&mut state, &mut rest),
    }
    Script::new(first, rest)
}

/// Pipe, message queue and socket: A's buffer, a kernel buffer, B's buffer; two copies, each
/// made by a system call.
fn through_kernel(
    state: &mut State,
    rest: &mut Vec<State>,
    send: &'static str,
    receive: &'static str,
) {
    let ipc = state.ipc;
    let message = state.message.clone();
    let (en, ko) = (ipc.name_en(), ipc.name_ko());
    // Korean picks the particle by the last syllable: 소켓으로, but 파이프로 and 메시지 큐로.
    let through_ko = if ipc == Ipc::Socket {
        format!("{ko}으로")
    } else {
        format!("{ko}로")
    };

    state.a.buffer = Some(message.clone());
    state.message_at = Where::InA;
    state.caption = Caption::new(
        format!(
            "A cannot write into B's memory, so it puts the message {message} in its own buffer, to send through a {en}."
        ),
        format!(
            "A는 B의 메모리에 쓸 수 없으므로, {through_ko} 보낼 메시지 {message}를 먼저 자기 버퍼에 담습니다."
        ),
    );
    rest.push(state.clone());

    state.kernel_buffer = Some(message.clone());
    state.message_at = Where::InKernel;
    state.copies += 1;
    state.syscalls += 1;
    state.call = Some(send);
    state.caption = match ipc {
        Ipc::MessageQueue => Caption::new(
            format!(
                "{send} is a system call: the kernel copies the message into its queue (copy 1) and keeps it as one whole message."
            ),
            format!(
                "{send}는 시스템 콜입니다. 커널이 메시지를 큐로 복사하고(복사 1) 하나의 메시지 단위로 보관합니다."
            ),
        ),
        Ipc::Socket => Caption::new(
            format!(
                "{send} is a system call: the kernel copies the bytes into the socket's send buffer (copy 1)."
            ),
            format!(
                "{send}는 시스템 콜입니다. 커널이 바이트를 소켓의 송신 버퍼로 복사합니다(복사 1)."
            ),
        ),
        _ => Caption::new(
            format!(
                "{send} is a system call: the kernel copies the bytes from A's buffer into the pipe's kernel buffer (copy 1)."
            ),
            format!(
                "{send}는 시스템 콜입니다. 커널이 A의 버퍼에서 파이프의 커널 버퍼로 바이트를 복사합니다(복사 1)."
            ),
        ),
    };
    rest.push(state.clone());

    if ipc == Ipc::Socket {
        // The kernel moves the data from one socket's buffer to the other's; no copy to or
        // from a process happens, so the counters stay.
        state.message_at = Where::InKernelForB;
        state.call = None;
        state.caption = Caption::new(
            "This is a Unix domain socket, the usual kind between processes on one machine: the kernel moves the bytes to B's receive buffer without the TCP/IP stack. (TCP over loopback, 127.0.0.1, would pass through the whole TCP/IP stack.)",
            "이것은 한 컴퓨터 안의 프로세스끼리 흔히 쓰는 유닉스 도메인 소켓입니다. 커널이 TCP/IP 스택 없이 바이트를 B의 수신 버퍼로 옮깁니다. (루프백 127.0.0.1 위의 TCP라면 TCP/IP 스택 전체를 거칩니다.)",
        );
        rest.push(state.clone());
    }

    state.kernel_buffer = None;
    state.b.buffer = Some(message.clone());
    state.message_at = Where::InB;
    state.copies += 1;
    state.syscalls += 1;
    state.call = Some(receive);
    state.caption = match ipc {
        Ipc::MessageQueue => Caption::new(
            format!(
                "B calls {receive}: the kernel copies the whole message into B's buffer (copy 2). A queue keeps message boundaries, so B gets exactly one message."
            ),
            format!(
                "B가 {receive}를 호출하면 커널이 메시지 전체를 B의 버퍼로 복사합니다(복사 2). 메시지 큐는 경계를 지키므로 B는 정확히 메시지 하나를 받습니다."
            ),
        ),
        Ipc::Socket => Caption::new(
            format!(
                "B calls {receive}: the kernel copies the bytes from the receive buffer into B's buffer (copy 2)."
            ),
            format!(
                "B가 {receive}를 호출하면 커널이 수신 버퍼의 바이트를 B의 버퍼로 복사합니다(복사 2)."
            ),
        ),
        _ => Caption::new(
            format!(
                "B calls {receive}: the kernel copies the bytes into B's buffer (copy 2). A pipe is a byte stream, so it keeps no message boundaries."
            ),
            format!(
                "B가 {receive}를 호출하면 커널이 바이트를 B의 버퍼로 복사합니다(복사 2). 파이프는 바이트 스트림이라 메시지 경계를 지키지 않습니다."
            ),
        ),
    };
    rest.push(state.clone());

    state.call = None;
    state.caption = match ipc {
        Ipc::Socket => Caption::new(
            format!(
                "Unix domain socket: 2 copies and 2 system calls per message; the same calls over TCP also reach other machines, at the price of the TCP/IP stack. B's own x is still {}.",
                state.b.x
            ),
            format!(
                "유닉스 도메인 소켓은 메시지마다 복사 2번과 시스템 콜 2번이 듭니다. 같은 호출을 TCP로 하면 TCP/IP 스택을 거치는 대신 다른 컴퓨터와도 통신할 수 있습니다. B의 x는 여전히 {}입니다.",
                state.b.x
            ),
        ),
        _ => Caption::new(
            format!(
                "{}: 2 copies and 2 system calls per message, and the kernel keeps the processes apart. B holds {message}, yet its own x is still {}.",
                capitalised(en),
                state.b.x
            ),
            format!(
                "{ko}는 메시지마다 복사 2번과 시스템 콜 2번이 들고, 커널이 두 프로세스를 떼어 놓습니다. B는 {message}를 받았지만 자기 x는 여전히 {}입니다.",
                state.b.x
            ),
        ),
    };
    rest.push(state.clone());
}

/// Shared memory: one page in both address spaces; A stores, B loads, nothing is copied.
fn through_shared_page(state: &mut State, rest: &mut Vec<State>) {
    let message = state.message.clone();

    state.shared_page = Some(SharedPage {
        frame: SHARED_FRAME,
        in_a: SHARED_IN_A,
        in_b: SHARED_IN_B,
        content: None,
    });
    state.caption = Caption::new(
        "A and B map one shared page: the same physical frame appears in both address spaces, at different virtual addresses. Setting this up takes system calls (shm_open, mmap).",
        "A와 B가 공유 페이지 하나를 매핑합니다. 같은 물리 프레임이 두 주소 공간에 서로 다른 가상 주소로 나타나며, 이렇게 준비하는 데는 시스템 콜(shm_open, mmap)이 듭니다.",
    );
    rest.push(state.clone());

    if let Some(page) = state.shared_page.as_mut() {
        page.content = Some(message.clone());
    }
    state.a.buffer = Some(message.clone());
    state.message_at = Where::InShared;
    state.caption = Caption::new(
        format!(
            "A copies {message} into the shared page with ordinary stores: one copy, made by A itself, with no system call and nothing through the kernel."
        ),
        format!(
            "A가 일반 메모리 쓰기로 {message}를 공유 페이지에 복사합니다. A 자신이 하는 복사 한 번이며, 시스템 콜도 커널을 거치는 일도 없습니다."
        ),
    );
    rest.push(state.clone());

    state.b.buffer = Some(message.clone());
    state.caption = Caption::new(
        format!(
            "B reads the same physical page through its own mapping and sees {message} where A put it: no second copy unless B wants one."
        ),
        format!(
            "B는 자신의 매핑으로 같은 물리 페이지를 읽어 A가 둔 자리에서 {message}를 봅니다. B가 원하지 않으면 두 번째 복사는 없습니다."
        ),
    );
    rest.push(state.clone());

    state.needs_sync = true;
    state.caption = Caption::new(
        "Nothing tells B when A has finished writing, so the two must synchronize, for example with a semaphore or futex kept in the shared page; waiting and waking through it take system calls whenever one side has to block.",
        "A가 쓰기를 끝냈는지 B에게 알려 주는 것이 없으므로, 공유 페이지에 둔 세마포어나 퓨텍스 같은 동기화가 필요합니다. 한쪽이 기다려야 할 때마다 기다리고 깨우는 데 시스템 콜이 듭니다.",
    );
    rest.push(state.clone());

    state.caption = Caption::new(
        format!(
            "Shared memory: one copy (A's own) and no system call per message while nobody waits; the processes must synchronize themselves, and a wait or a wake-up costs system calls. Which IPC is fastest is measured, not assumed. B's own x is still {}.",
            state.b.x
        ),
        format!(
            "공유 메모리는 아무도 기다리지 않는 동안 메시지마다 복사 한 번(A 자신의 쓰기)과 시스템 콜 0번이 듭니다. 동기화는 프로세스가 직접 해야 하며, 기다리거나 깨울 때는 시스템 콜이 듭니다. 어느 IPC가 가장 빠른지는 가정하지 않고 잽니다. B의 x는 여전히 {}입니다.",
            state.b.x
        ),
    );
    rest.push(state.clone());
}

/// The name with its first letter in upper case, to start a sentence.
fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn last(ipc: Ipc) -> State {
        let script = script(&Params { ipc });
        script.state(script.len() - 1).clone()
    }

    #[test]
    fn after_a_sets_x_only_a_changes() {
        for ipc in Ipc::ALL {
            let script = script(&Params { ipc });
            let (before, after) = (script.state(0), script.state(1));
            assert_eq!((before.a.x, before.b.x), (0, 0), "both start at 0");
            assert_eq!(after.a.x, NEW_X);
            assert_eq!(after.b.x, 0, "B's x is unchanged");
            assert!(
                script.states().iter().all(|s| s.b.x == 0),
                "nothing ever writes B's x"
            );
            assert_ne!(
                after.a.x_physical, after.b.x_physical,
                "different frames behind one address"
            );
            assert_eq!(
                after.a.x_physical & 0xfff,
                X_ADDRESS & 0xfff,
                "translation keeps the page offset"
            );
        }
    }

    #[test]
    fn kernel_paths_copy_twice_and_shared_memory_never() {
        for ipc in [Ipc::Pipe, Ipc::MessageQueue, Ipc::Socket] {
            let end = last(ipc);
            assert_eq!((end.copies, end.syscalls), (2, 2), "{ipc:?}");
        }
        let end = last(Ipc::SharedMemory);
        assert_eq!((end.copies, end.syscalls), (0, 0));
        assert!(
            end.needs_sync,
            "shared memory ends with the synchronization warning"
        );
    }

    #[test]
    fn b_ends_up_holding_the_message_in_every_variant() {
        for ipc in Ipc::ALL {
            let end = last(ipc);
            assert!(end.b_has_message(), "{ipc:?}");
            let expected = if ipc.goes_through_kernel() {
                Where::InB
            } else {
                Where::InShared
            };
            assert_eq!(end.message_at, expected, "{ipc:?}");
        }
    }

    #[test]
    fn each_copy_moves_the_message_across_the_user_kernel_boundary() {
        let in_kernel = |w: Where| matches!(w, Where::InKernel | Where::InKernelForB);
        for ipc in Ipc::ALL {
            let script = script(&Params { ipc });
            assert!(
                (6..=9).contains(&script.len()),
                "{ipc:?}: {} steps",
                script.len()
            );
            for step in 1..script.len() {
                let (before, now) = (script.state(step - 1), script.state(step));
                assert!(now.copies >= before.copies && now.syscalls >= before.syscalls);
                let crossed = in_kernel(before.message_at) != in_kernel(now.message_at);
                assert_eq!(now.copies > before.copies, crossed, "{ipc:?} step {step}");
                assert_eq!(now.call.is_some(), crossed, "a system call makes each copy");
            }
            let kernel_seen = script.states().iter().any(|s| in_kernel(s.message_at));
            assert_eq!(kernel_seen, ipc.goes_through_kernel(), "{ipc:?}");
        }
    }

    #[test]
    fn the_shared_page_appears_at_different_addresses_over_one_frame() {
        let end = last(Ipc::SharedMemory);
        let page = end
            .shared_page
            .as_ref()
            .map(|p| (p.in_a, p.in_b, p.content.clone()));
        assert_eq!(
            page,
            Some((SHARED_IN_A, SHARED_IN_B, Some(end.message.clone())))
        );
        assert!(last(Ipc::Pipe).shared_page.is_none());
    }

    #[test]
    fn captions_are_bilingual_and_use_only_drawable_characters() {
        let drawable = |c: char| {
            c.is_ascii() || ('\u{AC00}'..='\u{D7A3}').contains(&c) || "•×…·—«»‹›".contains(c)
        };
        for ipc in Ipc::ALL {
            for state in script(&Params { ipc }).states() {
                assert!(!state.caption.en.is_empty() && !state.caption.ko.is_empty());
                for c in state.caption.en.chars().chain(state.caption.ko.chars()) {
                    assert!(drawable(c), "no glyph for {c:?}");
                }
            }
        }
    }
}
