//! Paints the context-switch scene: the CPU's registers and CR3, the TLB, and the control
//! blocks the registers are saved to and loaded from.
//!
//! Layout, as fractions of the area below the caption: the CPU at the top left, the TLB at
//! the top right, and below them the control blocks grouped by process (each group is the
//! process's PCB, naming its page table). Save and load arrows cross the gap in between.

use super::scene::{Inputs, Scene, Scripted};
use crate::lesson::SceneSpec;
use crate::sim;
use egui::{Align2, Color32, Rect, Stroke, StrokeKind, pos2, vec2};

use super::draw::{Canvas, Fonts};
use super::style::{RegionColor, SceneStyle};
use crate::lesson::Language;
use crate::sim::context_switch::{Event, Process, State, Task, TlbEntry};

/// The CPU's rows, top to bottom; the last is the page-table base.
const REGISTER_NAMES: [&str; 5] = ["PC", "SP", "R0", "R1", "CR3"];
/// The row of the general register holding the address last accessed.
const ADDRESS_ROW: usize = 3;

/// Where each TLB column starts, as a fraction of the table's width: index, page, frame,
/// owner (or ASID tag), state, and the lookup result.
const COLUMNS: [f32; 6] = [0.0, 0.08, 0.26, 0.44, 0.60, 0.80];

/// Where everything is, computed once per frame from the body rectangle.
struct Layout {
    cpu: Rect,
    /// The register rows' area inside the CPU box, below its title.
    registers: Rect,
    tlb: Rect,
    /// The TLB's inside: title, header, rows and status, one line each.
    tlb_inner: Rect,
    line_h: f32,
    group_p: Rect,
    group_q: Rect,
    /// Height of a group's title line, at the group's bottom.
    group_title: f32,
    pad: f32,
}

impl Layout {
    fn new(body: Rect, fonts: &Fonts, tlb_rows: usize) -> Self {
        let x = |f: f32| body.left() + body.width() * f;
        let y = |f: f32| body.top() + body.height() * f;
        let pad = (body.width().min(body.height()) * 0.02).clamp(3.0, 10.0);
        let cpu = Rect::from_min_max(pos2(x(0.0), y(0.0)), pos2(x(0.40), y(0.54)));
        let cpu_inner = cpu.shrink(pad);
        let registers = Rect::from_min_max(
            pos2(cpu_inner.left(), cpu_inner.top() + fonts.label.size * 1.6),
            cpu_inner.max,
        );
        let tlb = Rect::from_min_max(pos2(x(0.46), y(0.0)), pos2(x(1.0), y(0.54)));
        let tlb_inner = tlb.shrink(pad);
        // Title, header, the rows, and room for a status line that may wrap once.
        let line_h = tlb_inner.height() / (tlb_rows as f32 + 3.6);
        Self {
            cpu,
            registers,
            tlb,
            tlb_inner,
            line_h,
            group_p: Rect::from_min_max(pos2(x(0.0), y(0.68)), pos2(x(0.62), y(1.0))),
            group_q: Rect::from_min_max(pos2(x(0.66), y(0.68)), pos2(x(1.0), y(1.0))),
            group_title: fonts.small.size * 1.6,
            pad,
        }
    }

    fn register_row(&self, row: usize) -> Rect {
        let h = self.registers.height() / REGISTER_NAMES.len() as f32;
        Rect::from_min_size(
            pos2(self.registers.left(), self.registers.top() + h * row as f32),
            vec2(self.registers.width(), h),
        )
        .shrink2(vec2(0.0, h * 0.08))
    }

    /// The box a register's value is written in, right of its name.
    fn register_value(&self, row: usize) -> Rect {
        let rect = self.register_row(row);
        Rect::from_min_max(pos2(rect.left() + rect.width() * 0.2, rect.top()), rect.max)
    }

    /// Line `line` of the TLB: 0 title, 1 header, 2.. the entries.
    fn tlb_line(&self, line: usize) -> Rect {
        Rect::from_min_size(
            pos2(
                self.tlb_inner.left(),
                self.tlb_inner.top() + self.line_h * line as f32,
            ),
            vec2(self.tlb_inner.width(), self.line_h),
        )
    }

    fn tlb_entry(&self, index: usize) -> Rect {
        self.tlb_line(index + 2)
            .shrink2(vec2(0.0, self.line_h * 0.06))
    }

    fn column_x(&self, column: usize) -> f32 {
        let fraction = COLUMNS.get(column).copied().unwrap_or(1.0);
        self.tlb_inner.left() + self.tlb_inner.width() * fraction + 3.0
    }

    fn group(&self, process: Process) -> Rect {
        match process {
            Process::P => self.group_p,
            Process::Q => self.group_q,
        }
    }

    /// A task's control block, side by side with its process's other threads.
    fn tcb(&self, task: Task) -> Rect {
        let process = task.process();
        let group = self.group(process);
        let inner = Rect::from_min_max(
            group.min + vec2(self.pad, self.pad),
            pos2(group.right() - self.pad, group.bottom() - self.group_title),
        );
        let mut siblings = Task::ALL.iter().filter(|t| t.process() == process);
        let count = siblings.clone().count().max(1);
        let index = siblings.position(|t| *t == task).unwrap_or(0);
        let gap = inner.width() * 0.04;
        let width = (inner.width() - gap * (count - 1) as f32) / count as f32;
        Rect::from_min_size(
            pos2(inner.left() + (width + gap) * index as f32, inner.top()),
            vec2(width, inner.height()),
        )
    }
}

/// Paints one step of the context-switch scene into `canvas.rect`.
/// The scene as the registry builds it.
/// A lesson may ask for either kind of CPU; left open, it is this machine's.
pub fn build(spec: &SceneSpec, inputs: &Inputs) -> Box<dyn Scene> {
    let params = sim::context_switch::Params {
        pcid: spec.pcid.unwrap_or(inputs.tlb.tagged()),
    };
    Scripted::boxed(
        sim::context_switch::script(&params),
        |s| &s.caption,
        |canvas, state, previous, _, lang| paint(canvas, state, previous, lang),
    )
}

pub fn paint(canvas: &Canvas, state: &State, previous: Option<&State>, lang: Language) {
    let ko = lang == Language::Ko;
    let fonts = Fonts::new(canvas.style, canvas.rect);
    let body = canvas.rect;
    if body.width() < 80.0 || body.height() < 60.0 {
        return;
    }
    let layout = Layout::new(body, &fonts, state.tlb.len());

    cpu(canvas, &layout, state, previous, &fonts, ko);
    tlb(canvas, &layout, state, previous, &fonts, ko);
    blocks(canvas, &layout, state, previous, &fonts, ko);
    switch_arrows(canvas, &layout, state, &fonts, ko);
    access_arrow(canvas, &layout, state);
}

/// The text of a CPU row's value.
fn register_text(state: &State, row: usize, ko: bool) -> String {
    let registers = &state.registers;
    match row {
        0 => format!("{:#x}", registers.pc),
        1 => format!("{:#x}", registers.sp),
        2 => format!("{:#x}", registers.r0),
        3 => format!("{:#x}", registers.r1),
        _ => {
            let base = state.cr3.page_table_base();
            let name = state.cr3.name();
            if ko {
                format!("{base:#x} · {name}의 페이지 테이블")
            } else {
                format!("{base:#x} · page table {name}")
            }
        }
    }
}

/// The CPU box: which task runs, its registers, and CR3. A value that changed fades from
/// the old to the new one.
fn cpu(
    canvas: &Canvas,
    layout: &Layout,
    state: &State,
    previous: Option<&State>,
    fonts: &Fonts,
    ko: bool,
) {
    let style = canvas.style;
    let t = canvas.eased();
    canvas.labelled_box(layout.cpu, style.region(RegionColor::Free), "", false);
    let running = state.running.name();
    let title = if ko {
        format!("CPU · {running} 실행 중")
    } else {
        format!("CPU · running {running}")
    };
    let title_pos = pos2(
        layout.cpu.left() + layout.pad,
        layout.cpu.top() + layout.pad,
    );
    canvas.text(title_pos, Align2::LEFT_TOP, title, &fonts.label, style.text);

    for (row, name) in REGISTER_NAMES.iter().enumerate() {
        let rect = layout.register_row(row);
        canvas.text(
            pos2(rect.left(), rect.center().y),
            Align2::LEFT_CENTER,
            name,
            &fonts.mono,
            style.text,
        );
        let value_rect = layout.register_value(row);
        let now = register_text(state, row, ko);
        let before = previous.map(|p| register_text(p, row, ko));
        let changed = before.as_ref().is_some_and(|b| *b != now);
        canvas.labelled_box(value_rect, style.background, "", changed);
        let pos = pos2(value_rect.left() + 4.0, value_rect.center().y);
        match before {
            Some(old) if changed => {
                // The old value sinks away as the new one rises into place.
                let lift = value_rect.height() * 0.3;
                let color = style.text.gamma_multiply(1.0 - t);
                canvas.text(
                    pos + vec2(0.0, t * lift),
                    Align2::LEFT_CENTER,
                    old,
                    &fonts.mono,
                    color,
                );
                let color = style.text.gamma_multiply(t.max(0.05));
                canvas.text(
                    pos + vec2(0.0, (1.0 - t) * -lift),
                    Align2::LEFT_CENTER,
                    now.as_str(),
                    &fonts.mono,
                    color,
                );
            }
            _ => {
                canvas.text(
                    pos,
                    Align2::LEFT_CENTER,
                    now.as_str(),
                    &fonts.mono,
                    style.text,
                );
            }
        }
    }
}

fn tlb_title(pcid: bool, ko: bool) -> &'static str {
    match (pcid, ko) {
        (false, false) => "TLB (page » frame cache) · PCID off",
        (true, false) => "TLB (page » frame cache) · PCID on",
        (false, true) => "TLB (페이지 » 프레임 캐시) · PCID 꺼짐",
        (true, true) => "TLB (페이지 » 프레임 캐시) · PCID 켜짐",
    }
}

/// The TLB table: every entry with its page, frame, owner and whether it is valid; entries a
/// flush invalidates grey out and are struck through; the entry a lookup used says hit or miss.
fn tlb(
    canvas: &Canvas,
    layout: &Layout,
    state: &State,
    previous: Option<&State>,
    fonts: &Fonts,
    ko: bool,
) {
    let style = canvas.style;
    canvas.labelled_box(layout.tlb, style.region(RegionColor::Free), "", false);
    tlb_headers(canvas, layout, state.pcid, fonts, ko);
    let lookup = match (state.event, state.last_access) {
        (Event::Access, Some(access)) => Some(access),
        _ => None,
    };
    for index in 0..state.tlb.len() {
        let row = TlbRow {
            index,
            now: state.tlb.get(index).copied().flatten(),
            before: previous.and_then(|p| p.tlb.get(index).copied().flatten()),
            seen_before: previous.is_some(),
            lookup: lookup.filter(|a| a.entry == index).map(|a| a.hit),
        };
        tlb_row(canvas, layout, &row, fonts, ko);
    }
    status(canvas, layout, state, fonts, ko);
}

/// The TLB's title and its column headers.
fn tlb_headers(canvas: &Canvas, layout: &Layout, pcid: bool, fonts: &Fonts, ko: bool) {
    let style = canvas.style;
    let title = layout.tlb_line(0);
    canvas.text(
        title.left_center(),
        Align2::LEFT_CENTER,
        tlb_title(pcid, ko),
        &fonts.label,
        style.text,
    );
    let header = layout.tlb_line(1);
    let owner = match (pcid, ko) {
        (true, _) => "ASID",
        (false, true) => "소유",
        (false, false) => "owner",
    };
    let headers = if ko {
        ["#", "페이지", "프레임", owner, "상태", "조회"]
    } else {
        ["#", "page", "frame", owner, "state", "lookup"]
    };
    for (column, text) in headers.iter().enumerate() {
        let pos = pos2(layout.column_x(column), header.center().y);
        canvas.text(
            pos,
            Align2::LEFT_CENTER,
            text,
            &fonts.small,
            style.weak_text,
        );
    }
}

/// One TLB entry as this step and the one before have it.
struct TlbRow {
    index: usize,
    now: Option<TlbEntry>,
    before: Option<TlbEntry>,
    seen_before: bool,
    /// This step's lookup landed here: a hit (true) or a miss that filled it (false).
    lookup: Option<bool>,
}

impl TlbRow {
    fn changed(&self) -> bool {
        self.seen_before && self.now != self.before
    }

    /// Valid before and not now: flushed in this step.
    fn invalidated(&self) -> bool {
        self.before.is_some_and(|e| e.valid) && self.now.is_some_and(|e| !e.valid)
    }
}

/// One entry: its number, its fields or "empty", struck through once flushed, and the
/// lookup that landed on it.
fn tlb_row(canvas: &Canvas, layout: &Layout, row: &TlbRow, fonts: &Fonts, ko: bool) {
    let style = canvas.style;
    let t = canvas.eased();
    let rect = layout.tlb_entry(row.index);
    let (valid_fill, dead_fill) = (
        style.region(RegionColor::Data),
        style.region(RegionColor::Free),
    );
    let fill = match row.now {
        None => style.background,
        Some(entry) if entry.valid => valid_fill,
        Some(_) if row.invalidated() => valid_fill.lerp_to_gamma(dead_fill, t),
        Some(_) => dead_fill,
    };
    canvas.labelled_box(rect, fill, "", row.changed());
    let cy = rect.center().y;
    canvas.text(
        pos2(layout.column_x(0), cy),
        Align2::LEFT_CENTER,
        row.index,
        &fonts.mono,
        style.weak_text,
    );
    match row.now {
        None => {
            let empty = if ko { "비어 있음" } else { "empty" };
            canvas.text(
                pos2(layout.column_x(1), cy),
                Align2::LEFT_CENTER,
                empty,
                &fonts.small,
                style.weak_text,
            );
        }
        Some(entry) => tlb_fields(canvas, layout, row, entry, cy, fonts, ko),
    }
    if let Some(hit) = row.lookup {
        let (color, word) = lookup_word(style, hit, ko);
        canvas
            .painter
            .rect_stroke(rect, 3.0, Stroke::new(3.0, color), StrokeKind::Inside);
        let color = color.gamma_multiply(t.max(0.2));
        canvas.text(
            pos2(layout.column_x(5), cy),
            Align2::LEFT_CENTER,
            word,
            &fonts.label,
            color,
        );
    }
}

/// A filled entry's page, frame, owner and state; a fresh one fades in, a flushed one greys
/// out and is struck through as the flush reaches it.
fn tlb_fields(
    canvas: &Canvas,
    layout: &Layout,
    row: &TlbRow,
    entry: TlbEntry,
    cy: f32,
    fonts: &Fonts,
    ko: bool,
) {
    let style = canvas.style;
    let t = canvas.eased();
    let invalidated = row.invalidated();
    let base = if entry.valid {
        style.text
    } else if invalidated {
        style.text.lerp_to_gamma(style.weak_text, t)
    } else {
        style.weak_text
    };
    let color = if row.changed() && !invalidated {
        base.gamma_multiply(t.max(0.05))
    } else {
        base
    };
    let cells = [
        format!("{:#x}", entry.page),
        format!("{:#x}", entry.frame),
        entry.owner.name().to_string(),
    ];
    for (offset, cell) in cells.iter().enumerate() {
        canvas.text(
            pos2(layout.column_x(offset + 1), cy),
            Align2::LEFT_CENTER,
            cell,
            &fonts.mono,
            color,
        );
    }
    let word = match (entry.valid, ko) {
        (true, false) => "valid",
        (true, true) => "유효",
        (false, false) => "invalid",
        (false, true) => "무효",
    };
    canvas.text(
        pos2(layout.column_x(4), cy),
        Align2::LEFT_CENTER,
        word,
        &fonts.small,
        color,
    );
    if invalidated || !entry.valid {
        let reach = if invalidated { t } else { 1.0 };
        let from = pos2(layout.column_x(1) - 2.0, cy);
        let to = pos2(from.x + (layout.column_x(4) - 6.0 - from.x) * reach, cy);
        canvas
            .painter
            .line_segment([from, to], Stroke::new(1.5 * style.line, style.weak_text));
    }
}

/// "hit" or "miss" in words, with the colour that goes with them.
fn lookup_word(style: &SceneStyle, hit: bool, ko: bool) -> (Color32, &'static str) {
    match (hit, ko) {
        (true, false) => (style.good, "hit"),
        (true, true) => (style.good, "적중"),
        (false, false) => (style.danger, "miss"),
        (false, true) => (style.danger, "미스"),
    }
}

/// One line under the TLB saying what this step did to it.
fn status(canvas: &Canvas, layout: &Layout, state: &State, fonts: &Fonts, ko: bool) {
    let style = canvas.style;
    let (text, color) = match (state.event, state.last_access) {
        (Event::Access, Some(a)) => {
            let task = a.task.name();
            let text = match (a.hit, ko) {
                (true, false) => format!(
                    "{task} · page {:#x} » frame {:#x} · hit, no page-table walk",
                    a.page, a.frame
                ),
                (true, true) => format!(
                    "{task} · 페이지 {:#x} » 프레임 {:#x} · 적중, 페이지 테이블 탐색 없음",
                    a.page, a.frame
                ),
                (false, false) => format!(
                    "{task} · page {:#x} » frame {:#x} · miss, page-table walk",
                    a.page, a.frame
                ),
                (false, true) => format!(
                    "{task} · 페이지 {:#x} » 프레임 {:#x} · TLB 미스, 페이지 테이블 탐색",
                    a.page, a.frame
                ),
            };
            (text, if a.hit { style.good } else { style.danger })
        }
        (Event::ThreadSwitch, _) => {
            let text = if ko {
                "CR3 그대로 · 모든 항목이 계속 유효"
            } else {
                "CR3 unchanged · every entry stays valid"
            };
            (text.to_string(), style.good)
        }
        (Event::ProcessSwitch, _) => {
            let text = match (state.pcid, ko) {
                (false, false) => "CR3 changed · every user entry flushed",
                (false, true) => "CR3 바뀜 · 모든 사용자 페이지 항목 무효화",
                (true, false) => "CR3 changed · entries kept, tagged by process",
                (true, true) => "CR3 바뀜 · 항목은 프로세스 태그와 함께 유지",
            };
            (
                text.to_string(),
                if state.pcid { style.good } else { style.danger },
            )
        }
        _ => {
            let valid = state.valid_entries();
            let text = if ko {
                format!("유효한 항목 {valid}개")
            } else {
                format!("{valid} valid entries")
            };
            (text, style.weak_text)
        }
    };
    let color = color.gamma_multiply(canvas.eased().max(0.2));
    let top = layout.tlb_line(state.tlb.len() + 2).top() + layout.line_h * 0.15;
    let at = pos2(layout.tlb_inner.left(), top);
    canvas.wrapped(at, &text, &fonts.small, color, layout.tlb_inner.width());
}

/// The control blocks, grouped by process: each group is the process's PCB and names the
/// page table CR3 loads; inside, each thread's TCB holds its saved registers.
fn blocks(
    canvas: &Canvas,
    layout: &Layout,
    state: &State,
    previous: Option<&State>,
    fonts: &Fonts,
    ko: bool,
) {
    let style = canvas.style;
    let t = canvas.eased();
    for process in [Process::P, Process::Q] {
        let group = layout.group(process);
        // The PCB whose page table CR3 just took is what changed.
        let loaded = state.event == Event::ProcessSwitch && state.cr3 == process;
        canvas.labelled_box(group, style.region(RegionColor::Free), "", loaded);
        let name = process.name();
        let base = process.page_table_base();
        let title = if ko {
            format!("PCB {name} · 페이지 테이블 {base:#x}")
        } else {
            format!("PCB {name} · page table {base:#x}")
        };
        let pos = pos2(
            group.left() + layout.pad,
            group.bottom() - layout.group_title * 0.5,
        );
        canvas.text(pos, Align2::LEFT_CENTER, title, &fonts.small, style.text);
    }

    for task in Task::ALL {
        let Some(block) = state.block(task) else {
            continue;
        };
        let rect = layout.tcb(task);
        let running = state.running == task;
        let saved_changed = previous
            .and_then(|p| p.block(task))
            .is_some_and(|b| b.saved != block.saved);
        let status_changed = previous.is_some_and(|p| (p.running == task) != running);
        canvas.labelled_box(
            rect,
            style.region(RegionColor::Kernel),
            "",
            saved_changed || status_changed,
        );

        let name = task.name();
        let status = match (running, ko) {
            (true, false) => "on the CPU",
            (true, true) => "CPU에서 실행 중",
            (false, false) => "saved",
            (false, true) => "저장됨",
        };
        let title = format!("TCB {name} · {status}");
        let saved = block.saved;
        let first = format!("PC {:#x}  SP {:#x}", saved.pc, saved.sp);
        let second = format!("R0 {:#x}  R1 {:#x}", saved.r0, saved.r1);
        // While a task runs, its saved copy is out of date: the live values are in the CPU.
        let color = if running { style.weak_text } else { style.text };
        let color = if saved_changed {
            color.gamma_multiply(t.max(0.05))
        } else {
            color
        };
        let x = rect.left() + layout.pad;
        let line_y = |k: f32| rect.top() + rect.height() * (k + 0.75) / 3.5;
        canvas.text(
            pos2(x, line_y(0.0)),
            Align2::LEFT_CENTER,
            title,
            &fonts.small,
            style.text,
        );
        canvas.text(
            pos2(x, line_y(1.0)),
            Align2::LEFT_CENTER,
            first,
            &fonts.mono,
            color,
        );
        canvas.text(
            pos2(x, line_y(2.0)),
            Align2::LEFT_CENTER,
            second,
            &fonts.mono,
            color,
        );
    }
}

/// On a switch: registers go from the CPU to the old task's TCB (save), then from the new
/// task's TCB to the CPU (load); on a process switch CR3 also takes the new page table.
fn switch_arrows(canvas: &Canvas, layout: &Layout, state: &State, fonts: &Fonts, ko: bool) {
    let style = canvas.style;
    let Some(switch) = state.switch else { return };
    if !matches!(state.event, Event::ThreadSwitch | Event::ProcessSwitch) {
        return;
    }
    let t = canvas.eased();
    // Saving happens first, then loading: each takes half the move.
    let save = (t * 2.0).clamp(0.0, 1.0);
    let load = (t * 2.0 - 1.0).clamp(0.0, 1.0);
    let cpu = layout.cpu;
    let from = layout.tcb(switch.from);
    let to = layout.tcb(switch.to);

    let save_start = pos2(cpu.center().x - cpu.width() * 0.2, cpu.bottom() + 2.0);
    let save_end = pos2(from.center().x - from.width() * 0.15, from.top() - 2.0);
    canvas.growing_arrow(save_start, save_end, save, style.highlight, 2.5);
    if save > 0.5 {
        let label = if ko {
            format!("{} 레지스터 저장", switch.from.name())
        } else {
            format!("save {}'s registers", switch.from.name())
        };
        let mid = save_start.lerp(save_end, 0.5);
        canvas.text(
            mid + vec2(-4.0, 0.0),
            Align2::RIGHT_CENTER,
            label,
            &fonts.small,
            style.text,
        );
    }

    let load_start = pos2(to.center().x + to.width() * 0.15, to.top() - 2.0);
    let load_end = pos2(cpu.center().x + cpu.width() * 0.05, cpu.bottom() + 2.0);
    canvas.growing_arrow(load_start, load_end, load, style.highlight, 2.5);
    if load > 0.5 {
        let label = if ko {
            format!("{} 레지스터 불러오기", switch.to.name())
        } else {
            format!("load {}'s registers", switch.to.name())
        };
        let mid = load_start.lerp(load_end, 0.5);
        canvas.text(
            mid + vec2(4.0, 0.0),
            Align2::LEFT_CENTER,
            label,
            &fonts.small,
            style.text,
        );
    }

    if state.event == Event::ProcessSwitch {
        let group = layout.group(state.cr3);
        let start = pos2(group.right() - group.width() * 0.06, group.top() - 2.0);
        let end = pos2(cpu.right() - cpu.width() * 0.08, cpu.bottom() + 2.0);
        canvas.growing_arrow(start, end, load, style.highlight, 2.5);
        if load > 0.5 {
            let name = state.cr3.name();
            let label = if ko {
                format!("CR3 « {name}의 페이지 테이블")
            } else {
                format!("CR3 « page table {name}")
            };
            // Near the page table's end of the arrow, so it clears the "load" label, which
            // sits halfway along the other arrow.
            let near = start.lerp(end, 0.2);
            canvas.text(
                near + vec2(6.0, 0.0),
                Align2::LEFT_CENTER,
                label,
                &fonts.small,
                style.text,
            );
        }
    }
}

/// On an access: an arrow from the address register to the TLB entry that answered (hit)
/// or was filled (miss); the entry and the status line say which in words.
fn access_arrow(canvas: &Canvas, layout: &Layout, state: &State) {
    let (Event::Access, Some(access)) = (state.event, state.last_access) else {
        return;
    };
    let (color, _) = lookup_word(canvas.style, access.hit, false);
    let from = layout.register_value(ADDRESS_ROW);
    let row = layout.tlb_entry(access.entry);
    let start = pos2(from.right() + 2.0, from.center().y);
    let end = pos2(row.left() - 2.0, row.center().y);
    canvas.growing_arrow(start, end, canvas.eased().max(0.05), color, 2.5);
}
