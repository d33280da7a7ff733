//! Paints the program-against-process scene: the file's sections on the left, the process's
//! regions on the right filling in as the loader maps them, with arrows from section to region.

use super::scene::{Inputs, Scene, Scripted};
use crate::lesson::SceneSpec;
use crate::sim;
use egui::{Align2, Rect, pos2, vec2};

use crate::lesson::Language;
use crate::sim::program_vs_process::{RegionKind, State, region_of};

use super::draw::{Canvas, words};
use super::style::RegionColor;

fn region_name(kind: RegionKind, lang: Language) -> &'static str {
    match kind {
        RegionKind::Code => words(lang, "code", "코드"),
        RegionKind::ReadOnly => words(lang, "read-only data", "읽기 전용 데이터"),
        RegionKind::Data => words(lang, "data", "데이터"),
        RegionKind::Bss => words(lang, "bss (zero pages)", "bss (0 페이지)"),
        RegionKind::Heap => words(lang, "heap", "힙"),
        RegionKind::Libraries => words(lang, "shared libraries", "공유 라이브러리"),
        RegionKind::Stack => words(lang, "stack (main thread)", "스택 (메인 스레드)"),
    }
}

fn color(kind: RegionKind) -> RegionColor {
    match kind {
        RegionKind::Code => RegionColor::Code,
        RegionKind::ReadOnly => RegionColor::ReadOnly,
        RegionKind::Data => RegionColor::Data,
        RegionKind::Bss => RegionColor::Bss,
        RegionKind::Heap => RegionColor::Heap,
        RegionKind::Libraries => RegionColor::Kernel,
        RegionKind::Stack => RegionColor::Stack,
    }
}

fn size_text(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
    }
}

/// Box heights grow with the size, but gently, so that tiny sections stay visible.
fn weight(bytes: u64) -> f32 {
    ((bytes.max(1) as f32).log2() - 8.0).max(1.0)
}

/// Paints `state`; the region added in this step fades in with an arrow from its section.
/// The scene as the registry builds it.
/// Drawn from ProcLab's own executable and memory map once the lab has read them.
pub fn build(_: &SceneSpec, inputs: &Inputs) -> Box<dyn Scene> {
    let params = inputs.map.map(super::program_params).unwrap_or_default();
    Scripted::boxed(
        sim::program_vs_process::script(&params),
        |s| &s.caption,
        |canvas, state, _, _, lang| paint(canvas, state, lang),
    )
}

pub fn paint(canvas: &Canvas, state: &State, lang: Language) {
    let layout = Layout::new(canvas.rect);
    heading(canvas, state, &layout, lang);
    let sections = paint_sections(canvas, state, layout.file_body, lang);
    paint_regions(canvas, state, layout.memory_body, &sections, lang);
}

/// The caption across the top, the file on the left and the memory on the right.
struct Layout {
    file: Rect,
    memory: Rect,
    file_body: Rect,
    memory_body: Rect,
}

impl Layout {
    fn new(rect: Rect) -> Self {
        let area = Rect::from_min_max(pos2(rect.left(), rect.top() + 22.0), rect.max).shrink(6.0);
        let file = Rect::from_min_max(
            area.min,
            pos2(area.left() + area.width() * 0.34, area.bottom()),
        );
        let memory = Rect::from_min_max(
            pos2(area.left() + area.width() * 0.56, area.top()),
            area.max,
        );
        Self {
            file,
            memory,
            file_body: Rect::from_min_max(pos2(file.left(), file.top() + 24.0), file.max),
            memory_body: Rect::from_min_max(pos2(memory.left(), memory.top() + 24.0), memory.max),
        }
    }
}

/// Where the sizes came from, and the two columns' names.
fn heading(canvas: &Canvas, state: &State, layout: &Layout, lang: Language) {
    let style = canvas.style;
    let rect = canvas.rect;
    let source = if state.measured {
        words(
            lang,
            "measured: this ProcLab's own file and memory map",
            "실측: 이 ProcLab의 실행 파일과 메모리 지도",
        )
    } else {
        words(
            lang,
            "simulated: a typical small program",
            "시뮬레이션: 일반적인 작은 프로그램",
        )
    };
    let at = pos2(rect.right(), rect.top());
    canvas.text(at, Align2::RIGHT_TOP, source, &style.small, style.weak_text);
    for (column, name) in [
        (
            layout.file,
            words(lang, "program: file on disk", "프로그램: 디스크의 파일"),
        ),
        (
            layout.memory,
            words(lang, "process: memory", "프로세스: 메모리"),
        ),
    ] {
        canvas.text(
            column.center_top(),
            Align2::CENTER_TOP,
            name,
            &style.font,
            style.text,
        );
    }
}

/// The file's sections, top to bottom in file order; returns where each was drawn.
fn paint_sections(
    canvas: &Canvas,
    state: &State,
    body: Rect,
    lang: Language,
) -> Vec<(Option<RegionKind>, Rect)> {
    let style = canvas.style;
    let total: f32 = state
        .sections
        .iter()
        .map(|s| weight(s.file_size.max(1)))
        .sum::<f32>()
        .max(1.0);
    let mut y = body.top();
    let mut drawn = Vec::new();
    for section in &state.sections {
        let height = body.height() * 0.8 * weight(section.file_size.max(1)) / total;
        let r = Rect::from_min_size(pos2(body.left(), y), vec2(body.width(), height.max(22.0)));
        let fill = region_of(&section.name)
            .map_or(style.region(RegionColor::Free), |k| style.region(color(k)));
        let label = format!(
            "{}  {} · {} {}",
            section.name,
            size_text(section.size),
            size_text(section.file_size),
            words(lang, "in file", "파일 안")
        );
        canvas.labelled_box(r, fill, "", false);
        canvas.text(
            r.left_center() + vec2(6.0, 0.0),
            Align2::LEFT_CENTER,
            label,
            &style.small,
            style.text,
        );
        drawn.push((region_of(&section.name), r));
        y = r.bottom() + 4.0;
    }
    drawn
}

/// The process's regions, low addresses at the bottom; the one just mapped grows an arrow
/// from the section it came from.
fn paint_regions(
    canvas: &Canvas,
    state: &State,
    body: Rect,
    sections: &[(Option<RegionKind>, Rect)],
    lang: Language,
) {
    let style = canvas.style;
    let total: f32 = state
        .regions
        .iter()
        .map(|r| weight(r.size))
        .sum::<f32>()
        .max(1.0);
    let mut bottom = body.bottom();
    for region in &state.regions {
        let height = (body.height() * 0.9 * weight(region.size) / total).max(22.0);
        let r = Rect::from_min_max(
            pos2(body.left(), bottom - height),
            pos2(body.right(), bottom),
        );
        bottom = r.top() - 3.0;
        if !state.present.contains(&region.kind) {
            // Not mapped yet: a faint line where it will be, kept below the heading.
            if r.top() >= body.top() {
                canvas.dashed(
                    r.left_top(),
                    r.right_top(),
                    style.weak_text.gamma_multiply(0.4),
                );
            }
            continue;
        }
        let added = state.added == Some(region.kind);
        let fade = if added { canvas.eased() } else { 1.0 };
        let fill = style
            .region(color(region.kind))
            .gamma_multiply(0.3 + 0.7 * fade);
        canvas.labelled_box(r, fill, "", added);
        let label = format!(
            "{}  {}",
            region_name(region.kind, lang),
            size_text(region.size)
        );
        canvas.text(
            r.left_center() + vec2(6.0, 0.0),
            Align2::LEFT_CENTER,
            label,
            &style.small,
            style.text,
        );
        if added
            && let Some((_, from)) = sections.iter().find(|(kind, _)| *kind == Some(region.kind))
        {
            canvas.growing_arrow(
                from.right_center(),
                r.left_center(),
                canvas.eased(),
                style.highlight,
                2.0,
            );
        }
    }
    for (y, anchor, word) in [
        (
            body.bottom(),
            Align2::RIGHT_BOTTOM,
            words(lang, "low", "낮은 주소"),
        ),
        (
            body.top(),
            Align2::RIGHT_TOP,
            words(lang, "high", "높은 주소"),
        ),
    ] {
        canvas.text(
            pos2(body.left() - 6.0, y),
            anchor,
            word,
            &style.small,
            style.weak_text,
        );
    }
}
