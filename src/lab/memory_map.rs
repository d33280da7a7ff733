//! Program against process: the sections of ProcLab's executable as the file on disk holds
//! them, next to the regions of the running process as the OS maps them. The first is read
//! from the ELF headers; the second from `/proc/<pid>/maps` (Linux only; elsewhere it says
//! it is unavailable rather than guessing).

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use object::{Object, ObjectSection, ReadCache};
use serde::{Deserialize, Serialize};

/// What a piece of the program holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    /// Machine code.
    Code,
    /// Constants and string literals.
    ReadOnlyData,
    /// Statics with a starting value.
    Data,
    /// Statics that start as zero: no bytes in the file, only a size.
    Bss,
    /// Memory allocated at run time.
    Heap,
    /// The main thread's stack.
    MainStack,
    /// A worker thread's stack (with its thread id).
    ThreadStack,
    /// Shared libraries (the C library, the loader, ...).
    Library,
    /// Other anonymous memory: allocator arenas, guard pages, thread stacks of no worker.
    Anonymous,
    /// Pages the kernel provides (vdso, vvar).
    Kernel,
}

/// One section of the executable file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub name: String,
    pub part: Part,
    pub size: u64,
    /// Bytes it takes in the file (zero for `.bss`).
    pub file_size: u64,
}

/// One mapping of the running process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub start: u64,
    pub end: u64,
    /// As the OS prints them: `r-xp` and the like.
    pub permissions: String,
    pub part: Part,
    /// The file mapped, or the kernel's name for the region (`[heap]`).
    pub name: String,
    /// For a worker thread's stack, its thread id.
    pub thread: Option<u32>,
}

impl Region {
    pub fn size(&self) -> u64 {
        self.end - self.start
    }
}

/// Sections and regions side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryMap {
    pub executable: PathBuf,
    pub sections: Vec<Section>,
    /// `None` where the OS offers no map of a process.
    pub regions: Option<Vec<Region>>,
    /// The default stack sizes on this machine, read at the same time.
    pub stacks: super::os::StackSizes,
}

/// The four classic sections, and the part each belongs to.
const CLASSIC_SECTIONS: &[(&str, Part)] = &[
    (".text", Part::Code),
    (".rodata", Part::ReadOnlyData),
    (".data", Part::Data),
    (".bss", Part::Bss),
];

/// Reads the sections of `executable` (only its headers are read, not the whole file).
pub fn executable_sections(executable: &Path) -> io::Result<Vec<Section>> {
    let cache = ReadCache::new(File::open(executable)?);
    let file = object::File::parse(&cache).map_err(io::Error::other)?;
    Ok(CLASSIC_SECTIONS
        .iter()
        .filter_map(|(name, part)| {
            let section = file.section_by_name(name)?;
            let file_size = section.file_range().map_or(0, |(_, size)| size);
            Some(Section {
                name: (*name).to_owned(),
                part: *part,
                size: section.size(),
                file_size,
            })
        })
        .collect())
}

/// Reads the regions of process `pid` (through `procfs`), naming the stacks of the given
/// worker threads. `None` where the OS offers no map of a process.
pub fn process_regions(
    pid: u32,
    executable: &Path,
    thread_stacks: &[(u32, usize)],
) -> Option<Vec<Region>> {
    #[cfg(target_os = "linux")]
    {
        let maps = procfs::process::Process::new(pid as i32)
            .ok()?
            .maps()
            .ok()?;
        // A program rebuilt while it runs is named "... (deleted)" by the OS; match either way.
        let executable = executable.to_string_lossy();
        let executable = executable.trim_end_matches(" (deleted)");
        let mut regions: Vec<Region> = Vec::new();
        for map in maps {
            let (start, end) = map.address;
            let name = kernel_name(&map.pathname);
            let permissions = map.perms.as_str();
            let thread = thread_stacks
                .iter()
                .find(|(_, addr)| (start..end).contains(&(*addr as u64)))
                .map(|(tid, _)| *tid);
            let after_executable_data = regions
                .last()
                .is_some_and(|r| r.part == Part::Data && r.end == start);
            let part = classify(
                &name,
                &permissions,
                executable,
                thread.is_some(),
                after_executable_data,
            );
            regions.push(Region {
                start,
                end,
                permissions,
                part,
                name,
                thread,
            });
        }
        Some(regions)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (pid, executable, thread_stacks);
        None
    }
}

/// The name `/proc/<pid>/maps` prints for a mapping: a path, a bracketed kernel name, or
/// nothing for anonymous memory.
#[cfg(target_os = "linux")]
fn kernel_name(path: &procfs::process::MMapPath) -> String {
    use procfs::process::MMapPath;
    match path {
        MMapPath::Path(path) => path
            .to_string_lossy()
            .trim_end_matches(" (deleted)")
            .to_owned(),
        MMapPath::Heap => "[heap]".into(),
        MMapPath::Stack => "[stack]".into(),
        MMapPath::TStack(tid) => format!("[stack:{tid}]"),
        MMapPath::Vdso => "[vdso]".into(),
        MMapPath::Vvar => "[vvar]".into(),
        MMapPath::Vsyscall => "[vsyscall]".into(),
        MMapPath::Rollup => "[rollup]".into(),
        MMapPath::Anonymous => String::new(),
        MMapPath::Vsys(key) => format!("/SYSV{key:08x}"),
        MMapPath::Other(name) => name.clone(),
    }
}

/// The part of the map that holds `address`, if any region does.
pub fn part_of(regions: &[Region], address: usize) -> Option<Part> {
    let address = address as u64;
    regions
        .iter()
        .find(|r| (r.start..r.end).contains(&address))
        .map(|r| r.part)
}

fn classify(
    name: &str,
    permissions: &str,
    executable: &str,
    thread_stack: bool,
    after_data: bool,
) -> Part {
    if thread_stack {
        return Part::ThreadStack;
    }
    match name {
        "[heap]" => Part::Heap,
        "[stack]" => Part::MainStack,
        "[vdso]" | "[vvar]" | "[vsyscall]" | "[vvar_vclock]" => Part::Kernel,
        // The zero-filled rest of .bss follows the file's data as anonymous memory.
        "" if after_data && permissions.starts_with("rw") => Part::Bss,
        "" => Part::Anonymous,
        _ if name == executable => {
            if permissions.contains('x') {
                Part::Code
            } else if permissions.starts_with("rw") {
                Part::Data
            } else {
                Part::ReadOnlyData
            }
        }
        _ => Part::Library,
    }
}

/// The executable's sections and this process's regions.
pub fn read(executable: &Path, thread_stacks: &[(u32, usize)]) -> io::Result<MemoryMap> {
    Ok(MemoryMap {
        executable: executable.to_owned(),
        sections: executable_sections(executable)?,
        regions: process_regions(std::process::id(), executable, thread_stacks),
        stacks: super::os::StackSizes::read(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn mappings_get_the_names_the_kernel_prints() {
        use procfs::process::MMapPath;
        let replaced = MMapPath::Path("/opt/my apps/proclab (deleted)".into());
        assert_eq!(kernel_name(&replaced), "/opt/my apps/proclab");
        assert_eq!(kernel_name(&MMapPath::Anonymous), "");
        assert_eq!(kernel_name(&MMapPath::Heap), "[heap]");
    }

    #[test]
    fn regions_are_classified_by_name_permissions_and_neighbours() {
        let exe = "/usr/bin/proclab";
        assert_eq!(classify(exe, "r-xp", exe, false, false), Part::Code);
        assert_eq!(classify(exe, "r--p", exe, false, false), Part::ReadOnlyData);
        assert_eq!(classify(exe, "rw-p", exe, false, false), Part::Data);
        assert_eq!(classify("", "rw-p", exe, false, true), Part::Bss);
        assert_eq!(classify("", "rw-p", exe, false, false), Part::Anonymous);
        assert_eq!(classify("", "rw-p", exe, true, false), Part::ThreadStack);
        assert_eq!(classify("[heap]", "rw-p", exe, false, false), Part::Heap);
        assert_eq!(
            classify("/lib/libc.so.6", "r-xp", exe, false, false),
            Part::Library
        );
    }
}
