//! The lesson model: the plain serde types a lesson file is made of.
//!
//! A lesson is data, never code: it names diagrams and experiments by enum, carries text in
//! Korean and English, and bounds every count (see [`super::limits`]).

use serde::{Deserialize, Serialize};

/// The lesson file format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// A whole lesson: metadata and ordered steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Format version of the file; must equal [`FORMAT_VERSION`].
    pub format: u32,
    /// Shown in the lesson picker and the window title.
    pub title: Text,
    /// One or two sentences shown under the title in the picker.
    #[serde(default, skip_serializing_if = "Text::is_absent")]
    pub summary: Text,
    /// Free-form author credit.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    /// While presenting, "next" first plays the diagram's next stage and moves to the next
    /// step only after its last, as the builds of a slide do.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub builds: bool,
    /// The steps, in teaching order; at least one.
    pub steps: Vec<Step>,
}

/// One screen of a lesson: narration beside a diagram, with optional evidence and quiz.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub title: Text,
    /// Markdown shown to the audience.
    pub narration: Text,
    /// Speaker notes, shown to the presenter only.
    #[serde(default, skip_serializing_if = "Text::is_absent")]
    pub notes: Text,
    /// The simulated diagram this step explains with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene: Option<SceneSpec>,
    /// The real experiment this step proves it with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experiment: Option<ExperimentSpec>,
    /// Review questions asked at the end of the step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quiz: Vec<Question>,
}

/// Text in both teaching languages; either may be absent and falls back to the other.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ko: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

/// A language lessons and the UI are written in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Ko,
    #[default]
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Ko, Language::En];

    /// The other teaching language, used as the fallback.
    pub fn other(self) -> Language {
        match self {
            Language::Ko => Language::En,
            Language::En => Language::Ko,
        }
    }

    /// The language's name written in itself, as a language menu shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::Ko => "한국어",
            Language::En => "English",
        }
    }
}

impl Text {
    /// Text with both languages given.
    pub fn new(ko: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            ko: Some(ko.into()),
            en: Some(en.into()),
        }
    }

    /// The text in `language` if it has any, else in the other language, else "".
    pub fn get(&self, language: Language) -> &str {
        self.exact(language)
            .or_else(|| self.exact(language.other()))
            .unwrap_or("")
    }

    /// The text in exactly `language`, if it is present and not blank.
    pub fn exact(&self, language: Language) -> Option<&str> {
        let text = match language {
            Language::Ko => self.ko.as_deref(),
            Language::En => self.en.as_deref(),
        };
        text.filter(|t| !t.trim().is_empty())
    }

    /// The stored text in exactly `language`, blank or not ("" when absent); what an editor shows.
    pub fn raw(&self, language: Language) -> &str {
        match language {
            Language::Ko => self.ko.as_deref(),
            Language::En => self.en.as_deref(),
        }
        .unwrap_or("")
    }

    /// Replaces the text in `language`; an empty string removes it, so it falls back again.
    pub fn set(&mut self, language: Language, text: String) {
        let text = (!text.is_empty()).then_some(text);
        match language {
            Language::Ko => self.ko = text,
            Language::En => self.en = text,
        }
    }

    /// True when neither language is given at all (blank text still counts as given, so
    /// that what was loaded is saved back unchanged).
    pub fn is_absent(&self) -> bool {
        self.ko.is_none() && self.en.is_none()
    }

    /// True when neither language has any non-blank text.
    pub fn is_empty(&self) -> bool {
        Language::ALL.iter().all(|&l| self.exact(l).is_none())
    }
}

/// Which diagram a step shows, and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SceneSpec {
    pub kind: SceneKind,
    /// Draw the lab's real workers into the diagram instead of simulated ones.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub live: bool,
    /// memory-layout: frames that fit on the stack before it overflows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack_limit: Option<u32>,
    /// threads-in-process: simulated threads (live mode draws the real ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threads: Option<u32>,
    /// processes-side-by-side: the IPC path to show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipc: Option<IpcKind>,
    /// context-switch: `true` draws a CPU that tags TLB entries by address space (PCID/ASID)
    /// and keeps them across a process switch, `false` one that flushes them. Absent: as this
    /// machine's CPU flags say, read when the diagram is built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pcid: Option<bool>,
}

/// The ways two processes can talk, as the processes scene draws them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IpcKind {
    Pipe,
    MessageQueue,
    SharedMemory,
    Socket,
}

impl IpcKind {
    /// The name lesson files use for this path.
    pub fn file_name(self) -> &'static str {
        match self {
            IpcKind::Pipe => "pipe",
            IpcKind::MessageQueue => "message-queue",
            IpcKind::SharedMemory => "shared-memory",
            IpcKind::Socket => "socket",
        }
    }

    pub const ALL: [IpcKind; 4] = [
        IpcKind::Pipe,
        IpcKind::MessageQueue,
        IpcKind::SharedMemory,
        IpcKind::Socket,
    ];
}

/// The diagrams ProcLab can draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SceneKind {
    /// Code, rodata, data, bss, heap and stack of one process.
    MemoryLayout,
    /// Several threads sharing code, data and heap, each with its own stack and registers.
    ThreadsInProcess,
    /// Separate address spaces and the IPC paths between them.
    ProcessesSideBySide,
    /// Two threads forced onto one stack, corrupting each other.
    SharedStack,
    /// Registers, page-table base and TLB across a switch on one CPU.
    ContextSwitch,
    /// The executable's sections on disk becoming the process's regions in memory.
    ProgramVsProcess,
    /// Threads at a lock: who is inside, who waits in which order, who is elsewhere.
    CriticalSection,
    /// Play the scheduler: load, add and store of `count += 1`, the user picking who runs.
    Interleavings,
    /// Round-robin time slicing of one CPU, simulated, as a Gantt chart.
    TimeSlicing,
    /// Threads in a ring taking two locks each until the wait-for graph has a cycle.
    Deadlock,
}

impl SceneKind {
    /// The name lesson files use for this scene.
    pub fn file_name(self) -> &'static str {
        match self {
            SceneKind::MemoryLayout => "memory-layout",
            SceneKind::ThreadsInProcess => "threads-in-process",
            SceneKind::ProcessesSideBySide => "processes-side-by-side",
            SceneKind::SharedStack => "shared-stack",
            SceneKind::ContextSwitch => "context-switch",
            SceneKind::ProgramVsProcess => "program-vs-process",
            SceneKind::CriticalSection => "critical-section",
            SceneKind::Interleavings => "interleavings",
            SceneKind::TimeSlicing => "time-slicing",
            SceneKind::Deadlock => "deadlock",
        }
    }

    pub const ALL: [SceneKind; 10] = [
        SceneKind::MemoryLayout,
        SceneKind::ThreadsInProcess,
        SceneKind::ProcessesSideBySide,
        SceneKind::SharedStack,
        SceneKind::ContextSwitch,
        SceneKind::ProgramVsProcess,
        SceneKind::CriticalSection,
        SceneKind::Interleavings,
        SceneKind::TimeSlicing,
        SceneKind::Deadlock,
    ];
}

/// Which real experiment a step runs, with bounded parameters.
///
/// Every parameter is optional; the lab chooses a documented default when one is absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExperimentSpec {
    pub kind: ExperimentKind,
    /// Worker threads to start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threads: Option<u32>,
    /// Child processes to start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processes: Option<u32>,
    /// Measured repetitions after the warm-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<u32>,
    /// race, locks: increments each thread makes per run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub increments: Option<u32>,
    /// race, locks: how many times the run is repeated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs: Option<u32>,
    /// fairness: how long each lock is contended, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub millis: Option<u32>,
    /// workers: compute without pause, so that more workers than cores really compete for
    /// the CPUs (by default they wait for orders and use no CPU).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cpu_bound: bool,
    /// ctx-switch, ipc: both sides pinned to one CPU, so that every hand-over is a switch.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pin: bool,
}

impl ExperimentSpec {
    /// The numeric parameters the step gives, by the names measurements use.
    pub fn values(&self) -> Vec<(&'static str, u32)> {
        [
            ("threads", self.threads),
            ("processes", self.processes),
            ("samples", self.samples),
            ("increments", self.increments),
            ("runs", self.runs),
            ("millis", self.millis),
            ("pin", self.pin.then_some(1)),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name, value?)))
        .collect()
    }
}

/// The families of real experiments the lab runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExperimentKind {
    /// Live worker threads and child processes with their ids, states and addresses.
    Workers,
    /// Creation cost of a thread against a child process.
    SpawnCost,
    /// Where stacks, heap and statics really live, per thread and per process.
    MemoryProbe,
    /// Lost updates of `count += 1` on real threads.
    Race,
    /// The race fixed by a mutex, an atomic and per-thread sums, and what each costs.
    Locks,
    /// An unfair lock against a fair one under contention.
    Fairness,
    /// Context-switch cost: threads against processes, over pipes and a futex.
    CtxSwitch,
    /// Real time slices of CPU-bound threads sharing one CPU, and the kernel's account.
    Timeslice,
    /// Cost per hop round a ring of threads against a ring of processes, by working set.
    TlbRing,
    /// IPC between two processes: latency and throughput of six methods.
    Ipc,
    /// Threads in a ring that really deadlock, the cycle found and recovered; then the fixes.
    Deadlock,
    /// Threads crashing in a child process beside a sibling that survives.
    Crash,
    /// `count += 1` on real threads stopped with ptrace, stepped one instruction at a time.
    SteppedRace,
}

impl ExperimentKind {
    /// The name lesson files use for this experiment.
    pub fn file_name(self) -> &'static str {
        match self {
            ExperimentKind::Workers => "workers",
            ExperimentKind::SpawnCost => "spawn-cost",
            ExperimentKind::MemoryProbe => "memory-probe",
            ExperimentKind::Race => "race",
            ExperimentKind::Locks => "locks",
            ExperimentKind::Fairness => "fairness",
            ExperimentKind::CtxSwitch => "ctx-switch",
            ExperimentKind::Timeslice => "timeslice",
            ExperimentKind::TlbRing => "tlb-ring",
            ExperimentKind::Ipc => "ipc",
            ExperimentKind::Deadlock => "deadlock",
            ExperimentKind::Crash => "crash",
            ExperimentKind::SteppedRace => "stepped-race",
        }
    }

    /// True for kinds whose threads race or contend: their thread counts have a range of
    /// their own (at least two, and few enough that each is seen in the plots).
    pub fn races(self) -> bool {
        use ExperimentKind as K;
        matches!(
            self,
            K::Race | K::Locks | K::Fairness | K::Timeslice | K::Deadlock | K::Crash
        )
    }

    /// The thread counts a lesson may ask of this kind.
    pub fn thread_range(self) -> std::ops::RangeInclusive<u32> {
        match self {
            ExperimentKind::SteppedRace => crate::limits::STEPPED_THREADS,
            kind if kind.races() => crate::limits::RACE_THREADS,
            _ => crate::limits::THREADS,
        }
    }

    pub const ALL: [ExperimentKind; 13] = [
        ExperimentKind::Workers,
        ExperimentKind::SpawnCost,
        ExperimentKind::MemoryProbe,
        ExperimentKind::Race,
        ExperimentKind::Locks,
        ExperimentKind::Fairness,
        ExperimentKind::CtxSwitch,
        ExperimentKind::Timeslice,
        ExperimentKind::TlbRing,
        ExperimentKind::Ipc,
        ExperimentKind::Deadlock,
        ExperimentKind::Crash,
        ExperimentKind::SteppedRace,
    ];
}

/// A multiple-choice review question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub prompt: Text,
    /// At least two choices.
    pub choices: Vec<Text>,
    /// Index into `choices` of the right answer, counting from 0.
    pub answer: u32,
    /// Why the answer is right; shown after answering.
    #[serde(default, skip_serializing_if = "Text::is_absent")]
    pub explanation: Text,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_the_names_serde_reads_and_writes() {
        for kind in SceneKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.file_name()));
        }
        for kind in ExperimentKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.file_name()));
        }
        for kind in IpcKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.file_name()));
        }
    }
}
