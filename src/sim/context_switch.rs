//! A context switch on one CPU, the scene behind "why is a thread switch cheaper than a
//! process switch?".
//!
//! The CPU has a program counter, a stack pointer, two general registers, a page-table base
//! register (CR3, as x86 calls it) and a small TLB that caches page-to-frame translations.
//! Process P has threads P1 and P2; process Q has one thread, Q1. Each task's registers are
//! saved in its control block while it is not running.
//!
//! A thread switch only swaps registers: CR3 stays and the TLB keeps helping. A process switch
//! also loads the other process's page table into CR3; without tagged TLB entries every entry
//! must then be flushed. With tags (PCID on x86, ASID on ARM) entries survive the switch but
//! only match accesses of the process they belong to.
//!
//! Nothing here is scripted by hand beyond which task runs and which address it touches:
//! hits, misses, fills and flushes follow from the model.

use super::{Caption, Script};

/// How many entries the simulated TLB has; real ones have dozens to thousands.
pub const TLB_ENTRIES: usize = 4;

/// Page size as a shift: 4 KiB pages, as on x86-64 and most ARM systems.
const PAGE_SHIFT: u32 = 12;

/// How the CPU treats TLB entries across a process switch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    /// True: entries are tagged with their process (PCID/ASID) and kept across a process
    /// switch. False: a process switch flushes the whole TLB.
    pub pcid: bool,
}

/// One of the two processes: one address space, one page table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Process {
    P,
    Q,
}

impl Process {
    /// The process's name, as the diagram writes it.
    pub fn name(self) -> &'static str {
        match self {
            Process::P => "P",
            Process::Q => "Q",
        }
    }

    /// Physical address of the process's page table: what CR3 holds while it runs.
    pub fn page_table_base(self) -> u64 {
        match self {
            Process::P => 0x1a_2000,
            Process::Q => 0x2b_7000,
        }
    }

    /// The physical frame the process's page table maps `page` to, if any. The two
    /// processes use the same virtual pages for different frames: same addresses, separate
    /// memory.
    pub fn translate(self, page: u64) -> Option<u64> {
        match (self, page) {
            (Process::P, 0x10) => Some(0x3a),
            (Process::P, 0x11) => Some(0x52),
            (Process::P, 0x7d) => Some(0x91),
            (Process::P, 0x7e) => Some(0x90),
            (Process::Q, 0x10) => Some(0x64),
            (Process::Q, 0x11) => Some(0x65),
            (Process::Q, 0x7f) => Some(0x70),
            _ => None,
        }
    }
}

/// A schedulable task: a thread of one of the processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Task {
    P1,
    P2,
    Q1,
}

impl Task {
    /// Every task, in the order control blocks are listed.
    pub const ALL: [Task; 3] = [Task::P1, Task::P2, Task::Q1];

    /// The task's name, as the diagram writes it.
    pub fn name(self) -> &'static str {
        match self {
            Task::P1 => "P1",
            Task::P2 => "P2",
            Task::Q1 => "Q1",
        }
    }

    /// The process the task is a thread of.
    pub fn process(self) -> Process {
        match self {
            Task::P1 | Task::P2 => Process::P,
            Task::Q1 => Process::Q,
        }
    }

    /// Where the task stood when the scene begins: each thread at its own place in the code
    /// and with its own stack.
    fn initial_registers(self) -> Registers {
        match self {
            Task::P1 => Registers {
                pc: 0x1_00a0,
                sp: 0x7e_f80,
                r0: 0,
                r1: 0,
            },
            Task::P2 => Registers {
                pc: 0x1_0200,
                sp: 0x7d_f40,
                r0: 3,
                r1: 0,
            },
            Task::Q1 => Registers {
                pc: 0x1_0040,
                sp: 0x7f_e00,
                r0: 9,
                r1: 0,
            },
        }
    }
}

/// The registers a switch saves and restores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Registers {
    /// Program counter: the next instruction.
    pub pc: u64,
    /// Stack pointer: the top of the task's own stack.
    pub sp: u64,
    /// General register: here, the value last loaded from memory.
    pub r0: u64,
    /// General register: here, the address last accessed.
    pub r1: u64,
}

/// A task's control block (TCB; for Q1, the only thread, also what its PCB points at):
/// where its registers wait while it is not running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlBlock {
    pub task: Task,
    /// The registers as saved when the task last left the CPU; stale while it runs.
    pub saved: Registers,
}

/// One cached translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TlbEntry {
    /// Virtual page number.
    pub page: u64,
    /// Physical frame number.
    pub frame: u64,
    /// The process whose page table the translation came from; with PCID this is the tag.
    pub owner: Process,
    /// False once the entry was invalidated; its old contents stay visible but unused.
    pub valid: bool,
}

/// A memory access and how the TLB answered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    pub task: Task,
    /// Virtual page number accessed.
    pub page: u64,
    /// Physical frame it translated to.
    pub frame: u64,
    /// True if the TLB had the translation; false if the page table had to be walked.
    pub hit: bool,
    /// The TLB entry that answered (hit) or was filled (miss).
    pub entry: usize,
}

/// What happened in a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A task runs; nothing else changes.
    Running,
    /// The running task accessed memory.
    Access,
    /// Switch between threads of the same process.
    ThreadSwitch,
    /// Switch to a thread of another process.
    ProcessSwitch,
}

/// Which task left the CPU and which took it, on a switch step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Switch {
    pub from: Task,
    pub to: Task,
}

/// One step of the scene.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Whether the CPU tags TLB entries (PCID/ASID), as the parameters said.
    pub pcid: bool,
    pub running: Task,
    /// The CPU's registers: the running task's live values.
    pub registers: Registers,
    /// Whose page table the page-table base register points at.
    pub cr3: Process,
    /// The TLB; `None` is an entry never filled.
    pub tlb: Vec<Option<TlbEntry>>,
    /// Control blocks of every task, in [`Task::ALL`] order.
    pub blocks: Vec<ControlBlock>,
    /// The running task's latest memory access; cleared by a switch.
    pub last_access: Option<Access>,
    pub event: Event,
    /// Set on switch steps only.
    pub switch: Option<Switch>,
    pub caption: Caption,
}

impl State {
    /// How many TLB entries are valid.
    pub fn valid_entries(&self) -> usize {
        self.tlb.iter().flatten().filter(|e| e.valid).count()
    }

    /// The control block of `task`.
    pub fn block(&self, task: Task) -> Option<&ControlBlock> {
        self.blocks.iter().find(|b| b.task == task)
    }
}

/// Builds the script: the machine's current state and every step recorded so far.
struct Machine {
    state: State,
    rest: Vec<State>,
    /// Round-robin replacement once every entry is valid.
    next_victim: usize,
}

impl Machine {
    fn record(&mut self, event: Event, caption: Caption) {
        self.state.event = event;
        self.state.caption = caption;
        self.rest.push(self.state.clone());
        // A switch is an event of its own step only.
        self.state.switch = None;
    }

    /// The running task loads from `address`, which holds `value`.
    fn access(&mut self, address: u64, value: u64) -> Access {
        let task = self.state.running;
        let process = task.process();
        let page = address >> PAGE_SHIFT;
        // The script touches only mapped pages (a test checks); a page fault is another lesson.
        let frame = process.translate(page).unwrap_or_default();
        // Without PCID all valid entries belong to the current process anyway (a process
        // switch flushed the rest), so comparing the owner is right in both modes.
        let found = self
            .state
            .tlb
            .iter()
            .position(|e| e.is_some_and(|e| e.valid && e.page == page && e.owner == process));
        let (hit, entry) = match found {
            Some(index) => (true, index),
            None => {
                let index = self.victim();
                self.state.tlb[index] = Some(TlbEntry {
                    page,
                    frame,
                    owner: process,
                    valid: true,
                });
                (false, index)
            }
        };
        let registers = &mut self.state.registers;
        registers.pc += 4;
        registers.r0 = value;
        registers.r1 = address;
        let access = Access {
            task,
            page,
            frame,
            hit,
            entry,
        };
        self.state.last_access = Some(access);
        access
    }

    /// The entry a miss fills: the first one not in use, else the next in turn.
    fn victim(&mut self) -> usize {
        if let Some(free) = self
            .state
            .tlb
            .iter()
            .position(|e| !e.is_some_and(|e| e.valid))
        {
            return free;
        }
        let index = self.next_victim % self.state.tlb.len().max(1);
        self.next_victim += 1;
        index
    }

    /// Saves the running task's registers, loads `to`'s, and for another process also its
    /// page table, flushing the TLB unless entries are tagged.
    fn switch_to(&mut self, to: Task) -> Event {
        let state = &mut self.state;
        let from = state.running;
        if let Some(block) = state.blocks.iter_mut().find(|b| b.task == from) {
            block.saved = state.registers;
        }
        if let Some(block) = state.blocks.iter().find(|b| b.task == to) {
            state.registers = block.saved;
        }
        state.running = to;
        state.switch = Some(Switch { from, to });
        state.last_access = None;
        if from.process() == to.process() {
            return Event::ThreadSwitch;
        }
        state.cr3 = to.process();
        if !state.pcid {
            // Untagged entries cannot tell whose translation they hold: all must go.
            for entry in state.tlb.iter_mut().flatten() {
                entry.valid = false;
            }
        }
        Event::ProcessSwitch
    }
}

/// How a CPU treats TLB entries across a process switch, as read from the machine (the
/// simulation itself never reads anything; the app passes this in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlbTagging {
    /// x86 with process-context identifiers; `invpcid` says whether the CPU can also drop
    /// one address space's entries selectively.
    Pcid { invpcid: bool },
    /// ARM: entries always carry an address-space identifier.
    Asid,
    /// x86 without PCID: loading CR3 drops every non-global entry.
    Untagged,
    /// The flags could not be read.
    Unknown,
}

impl TlbTagging {
    /// True when entries survive a process switch (while few processes take turns).
    pub fn tagged(self) -> bool {
        matches!(self, TlbTagging::Pcid { .. } | TlbTagging::Asid)
    }
}

/// What this machine does on a process switch, in words, from the flags read on it.
pub fn machine_note(tagging: TlbTagging) -> Caption {
    match tagging {
        TlbTagging::Pcid { invpcid } => Caption::new(
            format!(
                "This machine: the CPU reports pcid{} (read now from its flags). Linux tags TLB \
                 entries with one of 6 address-space ids per CPU, so a process switch keeps \
                 them as long as no more than 6 processes take turns on that CPU.",
                if invpcid {
                    " and invpcid"
                } else {
                    ", not invpcid"
                }
            ),
            format!(
                "이 컴퓨터: CPU가 pcid{}를 보고합니다(지금 플래그에서 읽음). 리눅스는 CPU마다 주소 \
                 공간 ID 6개로 TLB 항목에 태그를 붙이므로, 한 CPU에서 번갈아 실행되는 프로세스가 \
                 6개를 넘지 않는 동안은 프로세스 전환 뒤에도 항목이 남습니다.",
                if invpcid {
                    "와 invpcid"
                } else {
                    "(invpcid는 없음)"
                }
            ),
        ),
        TlbTagging::Asid => Caption::new(
            "This machine: an ARM CPU, whose TLB entries always carry an address-space id (ASID), \
             so a process switch need not flush them.",
            "이 컴퓨터: ARM CPU입니다. TLB 항목에 늘 주소 공간 ID(ASID)가 붙으므로 프로세스 \
             전환 때 비우지 않아도 됩니다.",
        ),
        TlbTagging::Untagged => Caption::new(
            "This machine: the CPU does not report pcid (read now from its flags), so every \
             process switch that loads CR3 flushes the TLB's non-global entries, which is every \
             user page; entries for kernel pages marked global stay.",
            "이 컴퓨터: CPU가 pcid를 보고하지 않습니다(지금 플래그에서 읽음). 그래서 CR3를 바꾸는 \
             프로세스 전환마다 TLB의 전역이 아닌 항목, 즉 모든 사용자 페이지 항목이 비워집니다. \
             전역으로 표시된 커널 페이지 항목은 남습니다.",
        ),
        TlbTagging::Unknown => Caption::new(
            "This machine: ProcLab could not read the CPU's flags, so it cannot say whether a \
             process switch here keeps TLB entries.",
            "이 컴퓨터: ProcLab이 CPU 플래그를 읽지 못해, 여기서 프로세스 전환 때 TLB 항목이 \
             남는지 말할 수 없습니다.",
        ),
    }
}

/// Every step of the scene, computed once.
pub fn script(params: &Params) -> Script<State> {
    let first = State {
        pcid: params.pcid,
        running: Task::P1,
        registers: Task::P1.initial_registers(),
        cr3: Process::P,
        tlb: vec![None; TLB_ENTRIES],
        blocks: Task::ALL
            .iter()
            .map(|&task| ControlBlock {
                task,
                saved: task.initial_registers(),
            })
            .collect(),
        last_access: None,
        event: Event::Running,
        switch: None,
        caption: Caption::new(
            "P1, a thread of process P, runs on the CPU. CR3 points at P's page table, and the TLB is still empty.",
            "프로세스 P의 스레드 P1이 CPU에서 실행됩니다. CR3는 P의 페이지 테이블을 가리키고, TLB는 아직 비어 있습니다.",
        ),
    };
    let mut m = Machine {
        state: first.clone(),
        rest: Vec::new(),
        next_victim: 0,
    };

    // P1 touches the heap page all of P's threads share: first a miss, then a hit.
    let a = m.access(0x1_1008, 42);
    m.record(
        Event::Access,
        Caption::new(
            format!(
                "P1 reads page {:#x}: a TLB miss. The CPU walks P's page table and caches {:#x} » frame {:#x}.",
                a.page, a.page, a.frame
            ),
            format!(
                "P1이 {:#x} 페이지를 읽습니다. TLB 미스이므로 CPU가 P의 페이지 테이블을 탐색하고 {:#x} » 프레임 {:#x} 변환을 캐시합니다.",
                a.page, a.page, a.frame
            ),
        ),
    );
    let a = m.access(0x1_1010, 43);
    m.record(
        Event::Access,
        Caption::new(
            format!("P1 reads page {:#x} again: a TLB hit, so no page-table walk is needed.", a.page),
            format!("P1이 {:#x} 페이지를 다시 읽습니다. TLB 적중이므로 페이지 테이블을 탐색하지 않습니다.", a.page),
        ),
    );

    let event = m.switch_to(Task::P2);
    m.record(
        event,
        Caption::new(
            "Thread switch P1 » P2 in the same process: P1's registers are saved to its TCB and P2's are loaded. CR3 stays, so every TLB entry stays valid.",
            "같은 프로세스 안의 스레드 전환 P1 » P2: P1의 레지스터를 TCB에 저장하고 P2의 레지스터를 불러옵니다. CR3가 그대로이므로 TLB 항목도 모두 유효합니다.",
        ),
    );

    let a = m.access(0x1_1008, 42);
    m.record(
        Event::Access,
        Caption::new(
            format!(
                "P2 reads the shared page {:#x} and hits the entry P1 filled: threads share one address space.",
                a.page
            ),
            format!(
                "P2가 공유 {:#x} 페이지를 읽고 P1이 채운 항목에서 적중합니다. 스레드들은 주소 공간 하나를 함께 씁니다.",
                a.page
            ),
        ),
    );
    let a = m.access(0x7d_f40, 3);
    m.record(
        Event::Access,
        Caption::new(
            format!(
                "P2 touches its own stack page {:#x}: a miss, and that translation is cached too.",
                a.page
            ),
            format!(
                "P2가 자기 스택 페이지 {:#x}에 접근합니다. TLB 미스이므로 이 변환도 TLB에 캐시됩니다.",
                a.page
            ),
        ),
    );

    let event = m.switch_to(Task::Q1);
    let caption = if params.pcid {
        Caption::new(
            "Process switch P2 » Q1: registers are saved and loaded, and CR3 now points at Q's page table, yet P's TLB entries stay, tagged P. \
             CPUs that tag entries (PCID on x86, ASID on ARM) need not flush them; Linux keeps only a few tags per CPU, so this holds while few processes take turns.",
            "프로세스 전환 P2 » Q1: 레지스터를 저장하고 불러오며 CR3가 Q의 페이지 테이블을 가리키지만, P의 TLB 항목은 P 태그가 붙은 채 남습니다. \
             항목에 태그를 붙이는 CPU(x86의 PCID, ARM의 ASID)는 비우지 않아도 됩니다. 리눅스는 CPU마다 태그를 몇 개만 쓰므로, 번갈아 실행되는 프로세스가 적을 때만 그렇습니다.",
        )
    } else {
        Caption::new(
            "Process switch P2 » Q1: registers are saved and loaded, CR3 now points at Q's page table, and every non-global TLB entry is flushed: all user pages (kernel pages marked global would stay; this model draws none). \
             CPUs that tag entries (PCID on x86, ASID on ARM) need not flush them.",
            "프로세스 전환 P2 » Q1: 레지스터를 저장하고 불러오며, CR3가 Q의 페이지 테이블을 가리키고 전역이 아닌 TLB 항목, 즉 모든 사용자 페이지 항목이 비워집니다(전역으로 표시된 커널 페이지 항목은 남지만 이 모형에는 없습니다). \
             항목에 태그를 붙이는 CPU(x86의 PCID, ARM의 ASID)는 비우지 않아도 됩니다.",
        )
    };
    m.record(event, caption);

    // Q1 uses the same virtual page number as P, but Q's page table maps it elsewhere.
    let a = m.access(0x1_1008, 7);
    let caption = if params.pcid {
        Caption::new(
            format!(
                "Q1 reads its page {:#x}: still a miss, because the cached {:#x} entry is tagged P. Q's page table maps it to frame {:#x}, now cached for Q.",
                a.page, a.page, a.frame
            ),
            format!(
                "Q1이 자기 {:#x} 페이지를 읽지만 캐시된 {:#x} 항목은 P 태그라서 여전히 TLB 미스입니다. Q의 페이지 테이블은 이를 프레임 {:#x}에 매핑하며, 이제 Q용으로 캐시됩니다.",
                a.page, a.page, a.frame
            ),
        )
    } else {
        Caption::new(
            format!(
                "Q1 reads its page {:#x}: a miss, because the TLB was flushed. Q's page table maps it to frame {:#x}, not P's frame.",
                a.page, a.frame
            ),
            format!(
                "Q1이 자기 {:#x} 페이지를 읽습니다. TLB가 비워졌으므로 TLB 미스입니다. Q의 페이지 테이블은 이를 P와 다른 프레임 {:#x}에 매핑합니다.",
                a.page, a.frame
            ),
        )
    };
    m.record(Event::Access, caption);
    let a = m.access(0x7f_e00, 1);
    m.record(
        Event::Access,
        Caption::new(
            format!(
                "Q1 touches its stack page {:#x}: another miss and another page-table walk. After a process switch, each page the new task uses misses once.",
                a.page
            ),
            format!(
                "Q1이 스택 페이지 {:#x}에 접근합니다. 또 TLB 미스가 나서 페이지 테이블을 다시 탐색합니다. 프로세스 전환 직후에는 새 작업이 쓰는 페이지마다 한 번씩 TLB 미스가 납니다.",
                a.page
            ),
        ),
    );

    if params.pcid {
        // Only tagged entries have anything to offer when P comes back.
        let event = m.switch_to(Task::P1);
        m.record(
            event,
            Caption::new(
                "Process switch Q1 » P1: P1's registers come back from its TCB and CR3 points at P's page table again. With PCID, P's tagged entries are still valid.",
                "프로세스 전환 Q1 » P1: P1의 레지스터를 TCB에서 불러오고 CR3가 다시 P의 페이지 테이블을 가리킵니다. PCID 덕분에 P 태그가 붙은 항목이 아직 유효합니다.",
            ),
        );
        let a = m.access(0x1_1008, 42);
        m.record(
            Event::Access,
            Caption::new(
                format!(
                    "P1 reads page {:#x} and hits the entry filled before Q ran: the tagged translation survived both process switches.",
                    a.page
                ),
                format!(
                    "P1이 {:#x} 페이지를 읽고 Q가 실행되기 전에 채운 항목에서 적중합니다. 태그가 붙은 변환이 두 번의 프로세스 전환을 견뎠습니다.",
                    a.page
                ),
            ),
        );
    }

    let running = m.state.running.name();
    m.record(
        Event::Running,
        Caption::new(
            format!(
                "{running} runs on. A thread switch swaps registers only; a process switch also swaps the page table (CR3) and, without tags, loses the TLB's cached translations."
            ),
            format!(
                "{running}이 계속 실행됩니다. 스레드 전환은 레지스터만 바꾸고, 프로세스 전환은 페이지 테이블(CR3)까지 바꾸며 태그가 없으면 TLB에 캐시된 변환도 잃습니다."
            ),
        ),
    );

    Script::new(first, m.rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn states(pcid: bool) -> Vec<State> {
        script(&Params { pcid }).states().to_vec()
    }

    fn position(states: &[State], event: Event) -> usize {
        states.iter().position(|s| s.event == event).unwrap()
    }

    fn drawable(text: &str) -> bool {
        text.chars().all(|c| {
            c.is_ascii() || ('\u{AC00}'..='\u{D7A3}').contains(&c) || "•×…·—«»‹›".contains(c)
        })
    }

    #[test]
    fn pcid_is_off_by_default() {
        assert!(!Params::default().pcid);
        assert!(!script(&Params::default()).state(0).pcid);
    }

    #[test]
    fn the_first_access_misses_and_fills_then_the_second_hits() {
        let states = states(false);
        let accesses: Vec<Access> = states
            .iter()
            .filter(|s| s.event == Event::Access)
            .filter_map(|s| s.last_access)
            .collect();
        assert!(!accesses[0].hit);
        assert!(accesses[1].hit);
        assert_eq!(accesses[0].entry, accesses[1].entry);
        assert_eq!(states[1].valid_entries(), 1);
    }

    #[test]
    fn a_thread_switch_keeps_cr3_and_every_tlb_entry() {
        for pcid in [false, true] {
            let states = states(pcid);
            let at = position(&states, Event::ThreadSwitch);
            let (before, after) = (&states[at - 1], &states[at]);
            assert!(before.valid_entries() > 0);
            assert_eq!(after.valid_entries(), before.valid_entries());
            assert_eq!(after.tlb, before.tlb);
            assert_eq!(after.cr3, before.cr3);
            // Registers: saved to P1's TCB, loaded from P2's.
            assert_eq!(
                after.switch,
                Some(Switch {
                    from: Task::P1,
                    to: Task::P2
                })
            );
            assert_eq!(after.block(Task::P1).unwrap().saved, before.registers);
            assert_eq!(after.registers, before.block(Task::P2).unwrap().saved);
            // P2's next access, to the page P1 used, hits.
            let next = &states[at + 1];
            assert_eq!(next.event, Event::Access);
            assert!(next.last_access.unwrap().hit);
        }
    }

    #[test]
    fn a_process_switch_without_pcid_changes_cr3_and_flushes_the_tlb() {
        let states = states(false);
        let at = position(&states, Event::ProcessSwitch);
        let (before, after) = (&states[at - 1], &states[at]);
        assert!(before.valid_entries() > 0);
        assert_eq!(after.valid_entries(), 0);
        assert_ne!(after.cr3, before.cr3);
        assert_eq!(after.cr3, Process::Q);
        assert_eq!(after.registers, before.block(Task::Q1).unwrap().saved);
        assert_eq!(after.block(Task::P2).unwrap().saved, before.registers);
    }

    #[test]
    fn with_pcid_a_process_switch_keeps_the_entries() {
        let states = states(true);
        let at = position(&states, Event::ProcessSwitch);
        let (before, after) = (&states[at - 1], &states[at]);
        assert_eq!(after.valid_entries(), before.valid_entries());
        assert_ne!(after.cr3, before.cr3);
    }

    #[test]
    fn the_first_access_after_a_process_switch_misses() {
        for pcid in [false, true] {
            let states = states(pcid);
            let at = position(&states, Event::ProcessSwitch);
            let next = states[at..]
                .iter()
                .find(|s| s.event == Event::Access)
                .unwrap();
            let access = next.last_access.unwrap();
            assert_eq!(access.task, Task::Q1);
            assert!(!access.hit, "pcid {pcid}");
        }
    }

    #[test]
    fn with_pcid_p1_hits_a_page_it_used_before_after_q_ran() {
        let states = states(true);
        let switch_back = states
            .iter()
            .position(|s| s.event == Event::ProcessSwitch && s.running == Task::P1)
            .unwrap();
        let earlier: Vec<u64> = states[..switch_back]
            .iter()
            .filter_map(|s| s.last_access)
            .filter(|a| a.task == Task::P1)
            .map(|a| a.page)
            .collect();
        let later = states[switch_back..]
            .iter()
            .filter(|s| s.event == Event::Access)
            .find_map(|s| s.last_access)
            .unwrap();
        assert_eq!(later.task, Task::P1);
        assert!(earlier.contains(&later.page));
        assert!(later.hit);
        // P1 resumed exactly where it left off before the thread switch.
        let left = position(&states, Event::ThreadSwitch);
        assert_eq!(states[switch_back].registers, states[left - 1].registers);
    }

    #[test]
    fn without_pcid_there_is_nothing_to_come_back_to() {
        let states = states(false);
        assert_eq!(
            states
                .iter()
                .filter(|s| s.event == Event::ProcessSwitch)
                .count(),
            1
        );
    }

    #[test]
    fn the_process_switch_caption_names_tagged_tlbs_but_no_machine() {
        for pcid in [false, true] {
            let states = states(pcid);
            let caption = &states[position(&states, Event::ProcessSwitch)].caption;
            for word in ["PCID", "ASID", "x86", "ARM", "flush"] {
                assert!(caption.en.contains(word), "{word}: {}", caption.en);
            }
            for word in ["PCID", "ASID", "태그"] {
                assert!(caption.ko.contains(word), "{word}: {}", caption.ko);
            }
        }
    }

    #[test]
    fn no_caption_states_a_machines_cpu_features() {
        for pcid in [false, true] {
            for state in states(pcid) {
                for claim in ["developed", "this machine", "has PCID", "has pcid"] {
                    assert!(!state.caption.en.contains(claim), "{}", state.caption.en);
                }
                for claim in ["개발한 컴퓨터", "이 컴퓨터"] {
                    assert!(!state.caption.ko.contains(claim), "{}", state.caption.ko);
                }
            }
        }
    }

    #[test]
    fn the_machine_note_says_what_the_flags_read() {
        let tagged = machine_note(TlbTagging::Pcid { invpcid: false });
        assert!(tagged.en.contains("reports pcid") && tagged.en.contains("not invpcid"));
        assert!(tagged.ko.contains("pcid") && tagged.ko.contains("보고합니다"));
        let untagged = machine_note(TlbTagging::Untagged);
        assert!(untagged.en.contains("does not report pcid") && untagged.en.contains("flushes"));
        assert!(untagged.ko.contains("보고하지 않습니다"));
        assert_ne!(tagged, untagged);
        assert!(TlbTagging::Pcid { invpcid: true }.tagged() && !TlbTagging::Untagged.tagged());
        assert!(
            machine_note(TlbTagging::Unknown)
                .en
                .contains("could not read")
        );
        assert!(machine_note(TlbTagging::Asid).en.contains("ASID"));
    }

    #[test]
    fn every_access_uses_the_running_process_page_table() {
        for pcid in [false, true] {
            for state in states(pcid) {
                if let Some(a) = state.last_access {
                    assert_eq!(a.task, state.running);
                    assert_eq!(Some(a.frame), a.task.process().translate(a.page));
                    let entry = state.tlb[a.entry].unwrap();
                    assert_eq!(
                        (entry.page, entry.frame, entry.owner),
                        (a.page, a.frame, a.task.process())
                    );
                    assert!(entry.valid);
                }
                assert_eq!(state.cr3, state.running.process());
                assert_eq!(state.tlb.len(), TLB_ENTRIES);
            }
        }
    }

    #[test]
    fn all_captions_are_bilingual_distinct_and_drawable() {
        for pcid in [false, true] {
            let states = states(pcid);
            for pair in states.windows(2) {
                assert_ne!(pair[0].caption, pair[1].caption);
            }
            for state in &states {
                assert!(drawable(&state.caption.en), "{}", state.caption.en);
                assert!(drawable(&state.caption.ko), "{}", state.caption.ko);
                assert!(
                    state
                        .caption
                        .ko
                        .chars()
                        .any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
                );
            }
        }
    }
}
