//! Program against process, drawn as two tables: the executable's sections on disk and the
//! running process's regions in memory, each region named by what it holds.

use crate::lab::memory_map::{MemoryMap, Part, Region};
use crate::lab::os::StackSizes;
use crate::lesson::Language;

use super::strings::Msg;

/// The name of what a part of the map holds.
pub(super) fn part_name(part: Part) -> Msg {
    match part {
        Part::Code => Msg::PartCode,
        Part::ReadOnlyData => Msg::PartReadOnly,
        Part::Data => Msg::PartData,
        Part::Bss => Msg::PartBss,
        Part::Heap => Msg::PartHeap,
        Part::MainStack => Msg::PartMainStack,
        Part::ThreadStack => Msg::PartThreadStack,
        Part::Library => Msg::PartLibrary,
        Part::Anonymous => Msg::PartAnonymous,
        Part::Kernel => Msg::PartKernel,
    }
}

/// Bytes in the unit a person reads at a glance.
pub fn bytes(size: u64) -> String {
    match size {
        0..1024 => format!("{size} B"),
        1024..1_048_576 => format!("{:.1} KiB", size as f64 / 1024.0),
        _ => format!("{:.1} MiB", size as f64 / 1_048_576.0),
    }
}

/// Both tables, the file's on the left, under this machine's stack sizes.
pub fn memory_map_ui(ui: &mut egui::Ui, lang: Language, map: &MemoryMap) {
    ui.label(egui::RichText::new(Msg::MapNote.text(lang)).small().weak());
    stack_sizes_ui(ui, lang, &map.stacks);
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.strong(Msg::OnDisk.text(lang));
            let name = map
                .executable
                .file_name()
                .map(|n| n.to_string_lossy().into_owned());
            ui.monospace(name.unwrap_or_default());
            egui::Grid::new("sections").striped(true).show(ui, |ui| {
                for header in ["", Msg::Size.text(lang), Msg::InFile.text(lang)] {
                    ui.label(egui::RichText::new(header).strong());
                }
                ui.end_row();
                for section in &map.sections {
                    ui.monospace(&section.name);
                    ui.monospace(bytes(section.size));
                    ui.monospace(bytes(section.file_size));
                    ui.end_row();
                }
            });
        });
        ui.separator();
        ui.vertical(|ui| {
            ui.strong(Msg::InMemory.text(lang));
            match &map.regions {
                None => {
                    ui.label(Msg::MapUnavailable.text(lang));
                }
                Some(regions) => regions_ui(ui, lang, regions),
            }
        });
    });
}

/// The default stack sizes, as read from this machine: they differ between machines and
/// between languages, so the lesson points here instead of stating them.
fn stack_sizes_ui(ui: &mut egui::Ui, lang: Language, stacks: &StackSizes) {
    let unlimited = Msg::Unlimited.text(lang);
    let size = |value: Option<u64>| value.map_or(unlimited.to_owned(), bytes);
    ui.label(egui::RichText::new(Msg::StackSizesHere.text(lang)).strong());
    egui::Grid::new("stack-sizes").show(ui, |ui| {
        for (label, value) in [
            (Msg::StackMain, size(stacks.main_limit)),
            (Msg::StackRust, bytes(stacks.rust_thread)),
            (Msg::StackC, stacks.c_thread.map_or("—".to_owned(), bytes)),
        ] {
            ui.label(label.text(lang));
            ui.monospace(value);
            ui.end_row();
        }
    });
}

/// The program's own regions and the stacks one by one; libraries and other anonymous
/// memory summed up, since there are dozens of them.
fn regions_ui(ui: &mut egui::Ui, lang: Language, regions: &[Region]) {
    // (part, mappings, bytes) for the kinds shown as one line each.
    let mut totals =
        [Part::Library, Part::Anonymous, Part::Kernel].map(|part| (part, 0usize, 0u64));
    egui::Grid::new("regions").striped(true).show(ui, |ui| {
        for header in [Msg::Region, Msg::Address, Msg::Size] {
            ui.label(egui::RichText::new(header.text(lang)).strong());
        }
        ui.label("");
        ui.end_row();
        for region in regions {
            if let Some(entry) = totals.iter_mut().find(|(part, ..)| *part == region.part) {
                entry.1 += 1;
                entry.2 += region.size();
                continue;
            }
            let mut name = part_name(region.part).text(lang).to_owned();
            if let Some(tid) = region.thread {
                name.push_str(&format!(" (TID {tid})"));
            }
            ui.label(name);
            ui.monospace(format!("{:#x}", region.start));
            ui.monospace(bytes(region.size()));
            ui.monospace(&region.permissions);
            ui.end_row();
        }
        for (part, count, size) in totals.iter().filter(|(_, count, _)| *count > 0) {
            ui.label(part_name(*part).text(lang));
            ui.monospace(format!("{count} {}", Msg::Mappings.text(lang)));
            ui.monospace(bytes(*size));
            ui.label("");
            ui.end_row();
        }
    });
}
