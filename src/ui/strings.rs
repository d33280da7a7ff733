//! Every piece of UI text in both languages, checked by the compiler.
//!
//! Lesson text comes from lesson files; this module holds only the app's own words.

use crate::lab::experiment::Words;
use crate::lesson::Language;

macro_rules! messages {
    ($($name:ident => $en:literal, $ko:literal;)*) => {
        /// A fixed piece of UI text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($name),* }

        impl Msg {
            /// Every message, for checks that all of them can be drawn.
            pub const ALL: &'static [Msg] = &[$(Msg::$name),*];

            /// The text in `language`.
            pub fn text(self, language: Language) -> &'static str {
                match (self, language) {
                    $((Msg::$name, Language::En) => $en, (Msg::$name, Language::Ko) => $ko,)*
                }
            }
        }
    };
}

/// `words` in `language`: the lab's bilingual text as the app shows it.
pub fn words(words: &Words, language: Language) -> &str {
    match language {
        Language::En => &words.en,
        Language::Ko => &words.ko,
    }
}

messages! {
    File => "File", "파일";
    Open => "Open…", "열기…";
    Save => "Save", "저장";
    SaveAs => "Save As…", "다른 이름으로 저장…";
    Recent => "Open Recent", "최근 파일";
    NoRecent => "No recent files", "최근 파일 없음";
    Quit => "Quit", "종료";
    View => "View", "보기";
    LanguageLabel => "Language", "언어";
    Theme => "Theme", "테마";
    ThemeSystem => "System", "시스템";
    ThemeLight => "Light", "밝게";
    ThemeDark => "Dark", "어둡게";
    ZoomIn => "Zoom in", "확대";
    ZoomOut => "Zoom out", "축소";
    ZoomReset => "Reset zoom", "원래 크기";
    Present => "Present", "발표 모드";
    LeavePresentation => "Leave presentation", "발표 모드 끝내기";
    Edit => "Edit step", "단계 편집";
    StopEditing => "Done editing", "편집 마치기";
    Lessons => "Lessons", "강의";
    BuiltIn => "Built in", "기본 제공";
    OpenedFile => "Opened file", "연 파일";
    Previous => "‹ Previous", "‹ 이전";
    Next => "Next ›", "다음 ›";
    First => "First step", "첫 단계";
    Last => "Last step", "마지막 단계";
    Step => "Step", "단계";
    Diagram => "Diagram (simulated)", "그림 (시뮬레이션)";
    DiagramMeasuredSizes => "Diagram (simulated loading, measured sizes)", "그림 (적재 과정은 시뮬레이션, 크기는 실측)";
    DiagramLive => "Diagram (live: real workers drawn in)", "그림 (실시간: 실제 작업자 표시)";
    Evidence => "Evidence (measured)", "증거 (실측)";
    NoDiagram => "This step has no diagram.", "이 단계에는 그림이 없습니다.";
    NoExperiment => "This step runs no experiment.", "이 단계에서는 실험을 하지 않습니다.";
    Quiz => "Review", "복습 문제";
    Correct => "Correct.", "정답입니다.";
    Wrong => "Not quite; the right answer is marked.", "틀렸습니다. 정답을 표시했습니다.";
    RightAnswer => "— right answer", "— 정답";
    YourAnswer => "— your answer", "— 내 답";
    Notes => "Speaker notes", "발표자 노트";
    Title => "Title", "제목";
    Narration => "Narration (Markdown)", "설명 (Markdown)";
    Unsaved => "unsaved changes", "저장하지 않은 변경";
    UnsavedTitle => "Unsaved changes", "저장하지 않은 변경 사항";
    UnsavedBody => "This lesson has changes that are not saved. Save them first?", "이 강의에 저장하지 않은 변경 사항이 있습니다. 먼저 저장할까요?";
    SaveFirst => "Save", "저장";
    Discard => "Don't save", "저장 안 함";
    Cancel => "Cancel", "취소";
    Dismiss => "Dismiss", "닫기";
    CannotOpen => "Could not open the lesson. Nothing was changed.", "강의를 열 수 없습니다. 아무것도 바뀌지 않았습니다.";
    CannotSave => "Could not save the lesson. The file on disk was not changed.", "강의를 저장할 수 없습니다. 디스크의 파일은 바뀌지 않았습니다.";
    Opening => "Opening…", "여는 중…";
    Saving => "Saving…", "저장하는 중…";
    Saved => "Saved", "저장했습니다";
    Exported => "Exported", "내보냈습니다";
    Exporting => "Exporting…", "내보내는 중…";
    CannotExport => "Could not export the measurement", "측정을 내보내지 못했습니다";
    ExportCsv => "Export CSV…", "CSV로 내보내기…";
    ExportJson => "Export JSON…", "JSON으로 내보내기…";
    Busy => "Busy with another file operation; try again in a moment.", "다른 파일 작업 중입니다. 잠시 후 다시 시도하세요.";
    NoKoreanFont => "No Korean font was found, so Korean text cannot be shown. Install one (on Debian/Ubuntu: sudo apt-get install fonts-nanum) and restart.", "한글 글꼴을 찾지 못했습니다.";
    ThreadsLabel => "Threads", "스레드";
    ProcessesLabel => "Processes", "프로세스";
    StartThreads => "Start threads", "스레드 시작";
    StartProcesses => "Start processes", "프로세스 시작";
    StopAll => "Stop all", "모두 멈추기";
    ThreadCap => "1 to 64 at once", "동시에 1~64개";
    ProcessCap => "1 to 16 at once", "동시에 1~16개";
    NoWorkers => "Nothing is running. Start threads or processes to see their real ids, states and addresses.", "실행 중인 것이 없습니다. 스레드나 프로세스를 시작하면 실제 ID, 상태, 주소가 보입니다.";
    MeasuredLive => "Measured: read from the operating system every half second.", "실측: 운영체제에서 0.5초마다 읽은 값입니다.";
    SharedProbe => "ProcLab itself", "ProcLab 자신";
    ColumnKind => "kind", "종류";
    ColumnId => "TID / PID", "TID / PID";
    ColumnState => "state", "상태";
    ColumnCpu => "CPU ms", "CPU ms";
    ColumnSwitches => "switches (vol/invol)", "전환 (자발/비자발)";
    ColumnResident => "resident", "상주 메모리";
    ColumnStack => "stack (a local)", "스택 (지역 변수)";
    ColumnHeap => "heap object", "힙 객체";
    ColumnStatic => "static", "정적 변수";
    ColumnValue => "value seen", "읽은 값";
    ClaimProcessWrite => "after a process writes, no one else reads the new value: each process has its own copy (press a write button).", "한 프로세스가 쓰면 다른 누구도 새 값을 읽지 못합니다. 프로세스마다 자기 복사본이 있습니다 (쓰기 버튼을 누르세요).";
    ClaimThreadWrite => "after a thread writes, ProcLab and every thread read the new value (press a write button).", "한 스레드가 쓰면 ProcLab과 모든 스레드가 새 값을 읽습니다 (쓰기 버튼을 누르세요).";
    ClaimThreadsShare => "every thread sees the heap object and the static at ProcLab's own addresses.", "모든 스레드가 힙 객체와 정적 변수를 ProcLab과 같은 주소에서 봅니다.";
    ClaimThreadStacks => "each thread has a stack address of its own (needs two threads).", "스레드마다 스택 주소가 다릅니다 (스레드 두 개 이상 필요).";
    FindingNotYet => "Not shown yet:", "아직 보이지 않음:";
    FindingContradicted => "Contradicted:", "반대로 나타남:";
    FindingHolds => "Shown:", "확인됨:";
    FairShare => "at most on a CPU each:", "각자 CPU를 쓸 수 있는 최대 비율:";
    WorkersNow => "workers:", "작업자:";
    CpusHere => "CPUs ProcLab may use:", "ProcLab이 쓸 수 있는 CPU:";
    CpuBoundHint => "Workers then compute all the time, so more workers than CPUs compete and take turns. They run at nice 10 so that this window stays responsive; they still compete with each other.", "작업자가 쉬지 않고 계산하므로, CPU보다 많은 작업자는 서로 경쟁하며 번갈아 실행됩니다. 이 창이 잘 반응하도록 nice 10으로 실행하지만, 작업자끼리는 똑같이 경쟁합니다.";
    CpuBound => "Compute without pause (CPU-bound)", "쉬지 않고 계산 (CPU 바운드)";
    RegionArena => "anonymous mapping: a thread arena", "익명 매핑: 스레드용 아레나";
    RegionMainHeap => "[heap]: the main arena", "[heap]: 메인 아레나";
    ColumnShare => "on CPU / waiting (last 0.5 s)", "CPU 사용 / 대기 (최근 0.5초)";
    ColumnOwnHeap => "own heap block", "자기 힙 블록";
    KindThread => "thread", "스레드";
    KindProcess => "process", "프로세스";
    StateRunning => "running or ready (R)", "실행 또는 준비 (R)";
    StateSleeping => "sleeping", "대기";
    StateBlocked => "blocked", "블록";
    StateStopped => "stopped", "정지";
    StateZombie => "zombie", "좀비";
    StateExited => "exited", "종료";
    StateUnknown => "unknown", "알 수 없음";
    WriteFromThread => "Write from the first thread", "첫 스레드에서 쓰기";
    WriteFromProcess => "Write from the first process", "첫 프로세스에서 쓰기";
    WriteExplained => "A write changes the heap object and the static as the writer sees them; the table then shows what every worker reads back.", "쓰기는 쓰는 쪽이 보는 힙 객체와 정적 변수를 바꿉니다. 그다음 표에서 각 작업자가 다시 읽은 값을 볼 수 있습니다.";
    Measure => "Measure", "측정";
    Measuring => "Measuring", "측정 중";
    Median => "median", "중앙값";
    CancelledPartial => "Cancelled: these figures are the samples taken before the stop.", "취소됨: 멈추기 전까지 잰 표본의 수치입니다.";
    Samples => "samples", "표본";
    ComparisonExplained => "Side by side: each box spans p10 to p90 with the median across it; whiskers reach from the smallest sample to p99.", "나란히 비교: 상자는 p10부터 p90까지이고 가운데 선이 중앙값입니다. 수염은 가장 작은 표본부터 p99까지입니다.";
    Renderer => "drawn by", "화면 그리기:";
    SoftwareRenderer => "a software renderer, which shares the CPUs with what was measured", "소프트웨어 렌더러 (측정 대상과 CPU를 나눠 씀)";
    GpuRenderer => "a GPU", "GPU";
    AboveP99 => "samples above the 99th percentile are not drawn; the largest:", "개 표본은 99번째 백분위수보다 커서 그리지 않았습니다. 가장 큰 값:";
    WhatRanWhen => "What really ran when (measured)", "실제로 언제 무엇이 돌았나 (측정)";
    TimeMs => "time (ms)", "시간 (ms)";
    GraphAtCursor => "Wait-for graph at {t} ms (the timeline's cursor)", "타임라인 커서 {t} ms 시점의 대기 그래프";
    GraphWhenFound => "Wait-for graph when the cycle was found (measured)", "순환을 찾았을 때의 대기 그래프 (측정)";
    GraphLegend => "Solid arrow: the lock is held by that thread. Dashed arrow: the thread waits for that lock. Red: the cycle.", "실선 화살표: 그 스레드가 락을 잡고 있음. 점선 화살표: 스레드가 그 락을 기다림. 빨강: 순환.";
    WaitsForHeldBy => "{t} waits for {l}, held by {h}", "{t}은(는) {h}이(가) 잡은 {l}을(를) 기다림";
    WaitsFor => "{t} waits for {l}", "{t}은(는) {l}을(를) 기다림";
    CycleDeadlock => "A cycle: none of these threads can ever go on. Deadlock.", "순환: 이 스레드들은 누구도 더 나아갈 수 없습니다. 교착 상태.";
    NoCycle => "No cycle: every chain of waits ends at a thread that can go on.", "순환 없음: 기다림의 사슬마다 끝에 나아갈 수 있는 스레드가 있습니다.";
    RecoveredByKill => "ProcLab killed the child process and reaped it; nothing of it is left.", "ProcLab이 자식 프로세스를 종료하고 회수했습니다. 남은 것은 없습니다.";
    CrashPictureTitle => "Which threads died (measured: the kernel's thread counts)", "어떤 스레드가 죽었나 (측정: 커널의 스레드 수)";
    CrashScenario => "Scenario", "시나리오";
    CrashingProcess => "Crashing process", "죽는 프로세스";
    SiblingProcess => "Sibling process", "형제 프로세스";
    CrashExit => "How it ended", "끝난 방식";
    LivedOn => "lived on", "계속 실행";
    ThreadsAliveOf => "{alive} of {all} threads alive", "스레드 {all}개 중 {alive}개 살아 있음";
    KernelAccount => "The kernel's account (schedstat): {run} ms on a CPU, {wait} ms waiting for one, put on a CPU {slices} times", "커널의 기록 (schedstat): CPU에서 {run} ms, CPU를 기다리며 {wait} ms, CPU에 오른 횟수 {slices}번";
    TimelineProvenance => "Measured: when each thread asked for, got and let go of a lock, and slept, by its own clock. Inferred: waiting for a CPU (a gap in the thread's own clock readings, seen only while it spins) and hand-overs. Drag to pan, scroll to zoom, double-click for all, click to place the cursor; hover a lane's name for the kernel's account.", "측정: 스레드가 자기 시계로 기록한 락 요청, 획득, 해제와 잠든 시간. 추정: CPU 대기(스레드가 돌며 읽은 시계의 틈, 돌고 있을 때만 보임)와 넘겨줌. 끌어서 이동, 스크롤로 확대, 두 번 클릭하면 전체, 클릭하면 커서를 놓습니다. 레인 이름 위에 올리면 커널의 기록이 보입니다.";
    LaneRunning => "running", "실행 중";
    LaneRunnable => "waiting for a CPU (inferred)", "CPU 대기 (추정)";
    LaneSleeping => "asleep", "잠듦";
    LaneBlocked => "blocked on a lock", "락에서 막힘";
    LaneHolding => "holds a lock", "락을 잡고 있음";
    HandOverInferred => "hand-over: a release, then the waiter's acquire (inferred)", "넘겨줌: 해제 뒤 기다리던 스레드의 획득 (추정)";
    ShowDistribution => "Click a row to plot its distribution.", "행을 누르면 그 분포를 그립니다.";
    NotMeasuredYet => "Not measured yet on this machine. Press Measure.", "이 컴퓨터에서는 아직 측정하지 않았습니다. 측정을 누르세요.";
    ReadMap => "Read the program and the process", "프로그램과 프로세스 읽기";
    OnDisk => "Program: sections of the file on disk", "프로그램: 디스크의 파일 섹션";
    InMemory => "Process: regions mapped in memory", "프로세스: 메모리에 매핑된 영역";
    InFile => "in the file", "파일 안 크기";
    Size => "size", "크기";
    Region => "region", "영역";
    Address => "address", "주소";
    Mappings => "mappings", "매핑";
    MapUnavailable => "This system offers no map of a running process.", "이 시스템은 실행 중인 프로세스의 메모리 지도를 제공하지 않습니다.";
    MapNote => "Read from the executable's headers and from the OS. .bss takes no bytes in the file, only a size; in memory it becomes zero-filled pages. Worker threads' stacks appear once threads are started; their size is the mapping's.", "실행 파일 헤더와 운영체제에서 읽었습니다. .bss는 파일에서 크기만 차지하고 메모리에서는 0으로 채운 페이지가 됩니다. 작업 스레드의 스택은 스레드를 시작하면 나타나며, 크기는 그 매핑의 크기입니다.";
    StackSizesHere => "Default stack sizes on this machine (read now)", "이 컴퓨터의 기본 스택 크기 (지금 읽은 값)";
    StackMain => "main thread, at most (ulimit -s)", "메인 스레드 최대 크기 (ulimit -s)";
    StackRust => "a thread ProcLab (Rust) spawns", "ProcLab(Rust)이 만드는 스레드";
    StackC => "a C program's pthread, by default", "C 프로그램의 pthread 기본값";
    Unlimited => "unlimited", "무제한";
    PartCode => "code", "코드";
    PartReadOnly => "read-only data", "읽기 전용 데이터";
    PartData => "data", "데이터";
    PartBss => "bss", "bss";
    PartHeap => "heap", "힙";
    PartMainStack => "main thread's stack", "메인 스레드 스택";
    PartThreadStack => "worker thread's stack", "작업 스레드 스택";
    PartLibrary => "shared libraries", "공유 라이브러리";
    PartAnonymous => "other anonymous memory", "기타 익명 메모리";
    PartKernel => "kernel-provided pages", "커널 제공 페이지";
    TimelineRestart => "Restart", "처음으로";
    TimelineBack => "Back", "뒤로";
    TimelinePlay => "Play", "재생";
    TimelinePause => "Pause", "일시 정지";
    TimelineStep => "Step", "한 단계";
    RunNext => "Run next:", "다음 실행:";
    RandomScheduler => "Random scheduler (the rest)", "무작위 스케줄러 (나머지)";
    TimelineSpeed => "Speed", "속도";
    LiveWaiting => "Live mode: start threads or processes in the evidence area to draw the real ones here.", "실시간 모드: 증거 영역에서 스레드나 프로세스를 시작하면 실제 모습이 여기에 그려집니다.";
    BlackScreen => "Black screen", "검은 화면";
    WhiteScreen => "White screen", "흰 화면";
    StepList => "Steps", "단계 목록";
    StepListHint => "Click a step, or type its number and press Enter.", "단계를 누르거나 번호를 입력하고 Enter를 누르세요.";
    GoToStep => "Go to step", "이동할 단계:";
    PresenterView => "Presenter view", "발표자 화면";
    NowShowing => "Now showing", "지금 보이는 단계";
    NextUp => "Next", "다음 단계";
    LastStepNow => "This is the last step.", "마지막 단계입니다.";
    NoNotes => "No speaker notes for this step.", "이 단계에는 발표자 노트가 없습니다.";
    Elapsed => "Elapsed", "경과 시간";
    Clock => "Clock", "현재 시각";
    QuizRevealHint => "Next (Page Down, Space) shows the answer.", "다음(Page Down, Space)을 누르면 정답이 나옵니다.";
    PresentFromHere => "Present from this step", "이 단계부터 발표";
    ProjectorTheme => "Projector theme while presenting", "발표할 때 프로젝터 테마";
    EditMenu => "Edit", "편집";
    NewLesson => "New lesson", "새 강의";
    NewLessonTitle => "New lesson", "새 강의";
    Untitled => "New lesson, not saved yet", "새 강의 (아직 저장 안 함)";
    ExportView => "Export view as PNG…", "화면을 PNG로 내보내기…";
    Undo => "Undo", "실행 취소";
    Redo => "Redo", "다시 실행";
    RecoveryTitle => "Unsaved work was found", "저장하지 않은 작업이 남아 있습니다";
    RecoveryBody => "ProcLab stopped before this lesson's last edits were saved. Restore them?", "ProcLab이 이 강의의 마지막 편집을 저장하기 전에 멈췄습니다. 복구할까요?";
    Restore => "Restore", "복구";
    DiscardRecovery => "Discard", "버리기";
    RecoveredFrom => "Kept at", "보관한 시각:";
    EditLessonSection => "Lesson details", "강의 정보";
    EditStepsSection => "Steps", "단계 목록";
    EditThisStepSection => "This step", "이 단계";
    EditDiagramSection => "Diagram", "그림";
    EditExperimentSection => "Experiment", "실험";
    EditQuizSection => "Review questions", "복습 문제";
    LessonTitle => "Lesson title", "강의 제목";
    Summary => "Summary", "요약";
    Author => "Author", "저자";
    NarrationField => "Narration", "설명";
    MarkdownHint => "Markdown: **bold**, *italic*, lists, `code`", "Markdown: **굵게**, *기울임*, 목록, `코드`";
    Preview => "Preview", "미리 보기";
    NeedsText => "Needs text in at least one language.", "한 언어 이상으로 내용을 써야 합니다.";
    AddStep => "Add step", "단계 추가";
    DuplicateStep => "Duplicate step", "단계 복제";
    DeleteStep => "Delete step", "단계 삭제";
    MoveStepUp => "Move step up", "단계를 위로";
    MoveStepDown => "Move step down", "단계를 아래로";
    NewStep => "New step", "새 단계";
    BuildsSetting => "Presenting: next plays the diagram's stages before the next step", "발표할 때 다음 단계로 가기 전에 그림의 진행 단계를 먼저 재생";
    NewStepNarration => "What this step explains.", "이 단계에서 설명할 내용.";
    OnlyStep => "A lesson needs at least one step, so its only step cannot be deleted.", "강의에는 단계가 하나 이상 있어야 하므로 하나뿐인 단계는 삭제할 수 없습니다.";
    StepsHint => "Drag a step to move it; Alt+Up and Alt+Down move the current step.", "단계를 끌어서 옮길 수 있습니다. Alt+Up, Alt+Down으로 현재 단계를 옮깁니다.";
    SceneKindLabel => "Diagram kind", "그림 종류";
    ExperimentKindLabel => "Experiment kind", "실험 종류";
    NoneChoice => "None", "없음";
    SceneLive => "Live: draw the real workers", "실시간: 실제 작업자를 그림에 표시";
    StackLimit => "Stack frames before overflow", "오버플로 전까지 스택 프레임 수";
    SceneThreads => "Threads drawn", "그릴 스레드 수";
    IpcPath => "IPC path", "IPC 경로";
    IpcDefault => "Default (pipe)", "기본값 (pipe)";
    Pcid => "TLB tagging (PCID)", "TLB 태그 (PCID)";
    PcidMachine => "As this machine", "이 컴퓨터대로";
    PcidOn => "On", "켬";
    PcidOff => "Off", "끔";
    SetValue => "set", "지정";
    ExperimentThreads => "Threads", "스레드 수";
    ExperimentProcesses => "Processes", "프로세스 수";
    SamplesField => "Samples", "표본 수";
    Increments => "Increments per thread", "스레드당 증가 횟수";
    Runs => "Runs", "반복 횟수";
    Millis => "Duration (ms)", "지속 시간 (ms)";
    Pin => "Pin both sides to one CPU", "양쪽을 CPU 하나에 고정";
    Question => "Question", "문제";
    Prompt => "Prompt", "질문";
    Choice => "Choice", "보기";
    ChoicesHint => "The marked choice is the right answer.", "표시한 보기가 정답입니다.";
    ChoiceLimits => "Choices per question", "문제당 보기 수";
    AddChoice => "Add choice", "보기 추가";
    DeleteChoice => "Delete choice", "보기 삭제";
    Explanation => "Explanation", "해설";
    AddQuestion => "Add question", "문제 추가";
    DeleteQuestion => "Delete question", "문제 삭제";
    MoveQuestionUp => "Move question up", "문제를 위로";
    MoveQuestionDown => "Move question down", "문제를 아래로";
    NewQuestion => "New question", "새 문제";
    NoQuestions => "This step has no review questions.", "이 단계에는 복습 문제가 없습니다.";
    StepStart => "Start real threads", "실제 스레드 시작";
    StepRestart => "Restart (a fresh child)", "다시 시작 (새 자식 프로세스)";
    StepClose => "End the run", "실행 끝내기";
    StepStarting => "Starting a child and stopping its threads with ptrace...", "자식 프로세스를 시작하고 ptrace로 스레드를 멈추는 중...";
    StepNoUndo => "A real machine cannot undo an instruction: Restart starts a fresh child.", "실제 기계는 명령어를 되돌릴 수 없습니다. 다시 시작하면 새 자식 프로세스가 시작됩니다.";
    StepOne => "Step", "한 명령어";
    StepToStore => "Run to its store", "쓰기까지 실행";
    StepKernelMillis => "Kernel time (ms)", "커널 시간 (ms)";
    StepKernel => "Let the kernel schedule them", "커널이 스케줄하게 두기";
    StepCost => "What one single step costs here (measured)", "여기서 단일 스텝 하나에 드는 시간 (측정값)";
    StepMirrorStopped => "The diagram beside stopped following: it plays each of its threads' first increment, and no kernel runs. Restart to compare again.", "옆 그림은 여기서 따라가기를 멈췄습니다. 그림은 스레드마다 첫 증가만, 커널 실행 없이 재생합니다. 다시 비교하려면 다시 시작하세요.";
    BuiltinReadOnly => "Built-in lessons are part of the program; your edits will be saved to a new file.", "기본 제공 강의는 프로그램에 들어 있으므로 편집한 내용은 새 파일로 저장됩니다.";
}

/// Marks a lesson with unsaved edits. Signs must be in egui's own fonts, which have few of
/// them, because a machine may have no other font (tests check).
pub const UNSAVED_MARK: &str = "•";

/// "Step 2 / 5" in the chosen language.
pub fn step_counter(language: Language, index: usize, count: usize) -> String {
    format!("{} {} / {}", Msg::Step.text(language), index + 1, count)
}
