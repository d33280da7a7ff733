//! A program becoming a process: the sections of the executable file are mapped, one by one,
//! into the regions of the new process, then the heap and the stack appear. The sizes come
//! from the caller: measured from ProcLab's own executable and memory map when the lab has
//! read them, or a typical layout when it has not (and then the scene says so).

use super::{Caption, Script};

/// A section of the executable file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSection {
    pub name: String,
    pub size: u64,
    /// Bytes it takes in the file; `.bss` takes none.
    pub file_size: u64,
}

/// The kinds of region the scene draws, from low addresses to high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegionKind {
    Code,
    ReadOnly,
    Data,
    Bss,
    Heap,
    Libraries,
    Stack,
}

/// A region of the process, with its size in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedRegion {
    pub kind: RegionKind,
    pub size: u64,
}

/// What the scene shows: measured figures, or a typical layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    pub sections: Vec<FileSection>,
    pub regions: Vec<MappedRegion>,
    /// True when the figures were read from the running ProcLab.
    pub measured: bool,
}

impl Default for Params {
    /// A typical small program, for when nothing has been measured.
    fn default() -> Self {
        let section = |name: &str, size, file_size| FileSection {
            name: name.into(),
            size,
            file_size,
        };
        let region = |kind, size| MappedRegion { kind, size };
        Self {
            sections: vec![
                section(".text", 900 * 1024, 900 * 1024),
                section(".rodata", 200 * 1024, 200 * 1024),
                section(".data", 16 * 1024, 16 * 1024),
                section(".bss", 12 * 1024, 0),
            ],
            regions: vec![
                region(RegionKind::Code, 900 * 1024),
                region(RegionKind::ReadOnly, 204 * 1024),
                region(RegionKind::Data, 16 * 1024),
                region(RegionKind::Bss, 12 * 1024),
                region(RegionKind::Heap, 132 * 1024),
                region(RegionKind::Libraries, 4 * 1024 * 1024),
                region(RegionKind::Stack, 132 * 1024),
            ],
            measured: false,
        }
    }
}

/// The region a section is loaded into.
pub fn region_of(section: &str) -> Option<RegionKind> {
    match section {
        ".text" => Some(RegionKind::Code),
        ".rodata" => Some(RegionKind::ReadOnly),
        ".data" => Some(RegionKind::Data),
        ".bss" => Some(RegionKind::Bss),
        _ => None,
    }
}

/// One step of loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    pub sections: Vec<FileSection>,
    pub regions: Vec<MappedRegion>,
    /// Regions that exist in the process so far.
    pub present: Vec<RegionKind>,
    /// The region this step added.
    pub added: Option<RegionKind>,
    pub measured: bool,
    pub caption: Caption,
}

fn kib(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / 1_048_576.0)
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

/// Builds the script: the file alone, then each region as the loader and the program make it.
pub fn script(params: &Params) -> Script<State> {
    let size_of = |name: &str| {
        params
            .sections
            .iter()
            .find(|s| s.name == name)
            .map_or(0, |s| s.size)
    };
    let mut state = State {
        sections: params.sections.clone(),
        regions: params.regions.clone(),
        present: Vec::new(),
        added: None,
        measured: params.measured,
        caption: Caption::new(
            "The program: a file on disk. Its sections hold code, constants and initial values; nothing runs yet.",
            "프로그램은 디스크의 파일입니다. 섹션에 코드, 상수, 초깃값이 담겨 있을 뿐 아직 아무것도 실행되지 않습니다.",
        ),
    };
    let first = state.clone();
    let mut steps = Vec::new();
    let stages = [
        (
            RegionKind::Code,
            Caption::new(
                format!(
                    "exec maps .text ({}) as code: readable and executable, not writable. Pages are read from the file when first touched.",
                    kib(size_of(".text"))
                ),
                format!(
                    "exec가 .text({})를 코드 영역으로 매핑합니다. 읽기와 실행만 되고 쓰기는 안 됩니다. 페이지는 처음 쓸 때 파일에서 읽습니다.",
                    kib(size_of(".text"))
                ),
            ),
        ),
        (
            RegionKind::ReadOnly,
            Caption::new(
                format!(
                    ".rodata ({}) becomes read-only data: string literals and constant tables.",
                    kib(size_of(".rodata"))
                ),
                format!(
                    ".rodata({})는 읽기 전용 데이터가 됩니다. 문자열 리터럴과 상수 표가 여기 있습니다.",
                    kib(size_of(".rodata"))
                ),
            ),
        ),
        (
            RegionKind::Data,
            Caption::new(
                format!(
                    ".data ({}) is mapped writable and copy-on-write: the file keeps the initial values, the process gets its own copy of a page when it writes.",
                    kib(size_of(".data"))
                ),
                format!(
                    ".data({})는 쓰기 가능하고 쓸 때 복사(copy-on-write)로 매핑됩니다. 파일은 초깃값을 지키고, 프로세스는 쓰는 순간 자기 페이지를 얻습니다.",
                    kib(size_of(".data"))
                ),
            ),
        ),
        (
            RegionKind::Bss,
            Caption::new(
                format!(
                    ".bss ({}) takes no bytes in the file, only its size: the kernel hands out zero-filled pages.",
                    kib(size_of(".bss"))
                ),
                format!(
                    ".bss({})는 파일에서 크기만 차지합니다. 커널이 0으로 채운 페이지를 줍니다.",
                    kib(size_of(".bss"))
                ),
            ),
        ),
        (
            RegionKind::Stack,
            Caption::new(
                "Still inside exec, the kernel builds the main thread's stack (arguments, environment, auxiliary vector) and maps the dynamic loader. No section of the file becomes the stack.",
                "아직 exec 안에서 커널이 메인 스레드의 스택(인자, 환경 변수, 보조 벡터)을 만들고 동적 로더를 매핑합니다. 스택은 파일의 어떤 섹션에서도 오지 않습니다.",
            ),
        ),
        (
            RegionKind::Libraries,
            Caption::new(
                "exec returns into the loader, which runs in user space: it maps the shared libraries (the C library and others), whose pages are shared with every process using them, then jumps to the program's entry.",
                "exec가 끝나면 사용자 공간의 로더가 실행되어 공유 라이브러리(C 라이브러리 등)를 매핑하고 프로그램의 시작점으로 뜁니다. 라이브러리 페이지는 그것을 쓰는 모든 프로세스와 공유됩니다.",
            ),
        ),
        (
            RegionKind::Heap,
            Caption::new(
                "The first allocation makes the heap. Stack and heap are the two regions that change size while the process runs.",
                "첫 할당이 힙을 만듭니다. 스택과 힙은 실행 중에 크기가 바뀌는 두 영역입니다.",
            ),
        ),
    ];
    for (kind, caption) in stages {
        state.present.push(kind);
        state.added = Some(kind);
        state.caption = caption;
        steps.push(state.clone());
    }
    Script::new(first, steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_classic_section_is_mapped_before_the_heap_and_stack_appear() {
        let script = script(&Params::default());
        let last = script.state(script.len() - 1);
        for section in &last.sections {
            let region = region_of(&section.name).unwrap();
            let mapped_at = script
                .states()
                .iter()
                .position(|s| s.present.contains(&region))
                .unwrap();
            let stack_at = script
                .states()
                .iter()
                .position(|s| s.present.contains(&RegionKind::Stack))
                .unwrap();
            assert!(mapped_at < stack_at);
        }
        assert_eq!(script.state(0).present, Vec::new());
    }

    #[test]
    fn the_kernel_builds_the_stack_before_the_loader_maps_the_libraries() {
        let script = script(&Params::default());
        let first = |kind| {
            script
                .states()
                .iter()
                .position(|s| s.present.contains(&kind))
        };
        assert!(first(RegionKind::Stack) < first(RegionKind::Libraries));
        assert!(first(RegionKind::Libraries) < first(RegionKind::Heap));
    }

    #[test]
    fn captions_carry_the_measured_sizes() {
        let mut params = Params::default();
        params.sections[0].size = 5 * 1024 * 1024;
        params.measured = true;
        let script = script(&params);
        assert!(script.state(1).caption.en.contains("5.0 MiB"));
        assert!(script.state(1).measured);
    }
}
