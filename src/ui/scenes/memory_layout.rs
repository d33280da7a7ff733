//! Paints the memory-layout scene: regions along an address axis, stack frames and heap
//! blocks animated as the program runs, pointers drawn as arrows, and the overflow past the
//! stack's limit.

use super::scene::{Inputs, Scene, Scripted};
use crate::lesson::SceneSpec;
use crate::sim;
use egui::{Align2, Pos2, Rect, Stroke, StrokeKind, pos2, vec2};

use crate::lesson::Language;
use crate::sim::memory_layout::{Change, Frame, Region, State, Value};

use super::draw::{Canvas, words};
use super::style::RegionColor;

fn region_name(region: Region, lang: Language) -> &'static str {
    match region {
        Region::Code => words(lang, "code (.text)", "코드 (.text)"),
        Region::Rodata => words(
            lang,
            "read-only data (.rodata)",
            "읽기 전용 데이터 (.rodata)",
        ),
        Region::Data => words(lang, "data (.data)", "데이터 (.data)"),
        Region::Bss => words(lang, "bss (.bss)", "bss (.bss)"),
        Region::Heap => words(lang, "heap", "힙"),
        Region::Stack => words(lang, "stack", "스택"),
    }
}

fn region_color(region: Region) -> RegionColor {
    match region {
        Region::Code => RegionColor::Code,
        Region::Rodata => RegionColor::ReadOnly,
        Region::Data => RegionColor::Data,
        Region::Bss => RegionColor::Bss,
        Region::Heap => RegionColor::Heap,
        Region::Stack => RegionColor::Stack,
    }
}

fn frame_label(frame: &Frame, lang: Language) -> String {
    let slots: Vec<String> = frame
        .slots
        .iter()
        .map(|slot| match &slot.value {
            Value::Number(n) => format!("{}={n}", slot.name),
            Value::Pointer(id) => format!("{}=&block{id}", slot.name),
            Value::Dangling => format!("{}=?", slot.name),
        })
        .collect();
    let back = words(lang, "returns to", "복귀:");
    format!(
        "{}({})  · {back} {}",
        frame.function,
        slots.join(", "),
        frame.return_to
    )
}

/// Paints `state`, animating what changed since `previous`.
/// The scene as the registry builds it.
pub fn build(spec: &SceneSpec, _: &Inputs) -> Box<dyn Scene> {
    let params = sim::memory_layout::Params {
        stack_limit: spec.stack_limit.map_or(6, |l| l as usize),
    };
    Scripted::boxed(
        sim::memory_layout::script(&params),
        |s| &s.caption,
        |canvas, state, previous, _, lang| paint(canvas, state, previous, lang),
    )
}

pub fn paint(canvas: &Canvas, state: &State, previous: Option<&State>, lang: Language) {
    let layout = Layout::new(canvas.rect, state.stack_limit);
    paint_axis(canvas, &layout, lang);
    for (region, band) in layout.bands {
        paint_static_region(
            canvas,
            band,
            region,
            state,
            lang,
            state.change == Change::Loaded,
        );
    }
    paint_dynamic_zone(canvas, &layout, lang);
    let pointers = paint_frames(canvas, &layout, state, previous, lang);
    paint_heap(canvas, &layout, state, previous, &pointers, lang);
    paint_legend(canvas, layout.legend, lang);
}

/// Where everything goes, computed once per frame: the address axis, the fixed regions at
/// the bottom, and the dynamic zone above them with the stack from the top and the heap
/// from the bottom.
struct Layout {
    area: Rect,
    axis_x: f32,
    column: Rect,
    bands: [(Region, Rect); 4],
    dynamic: Rect,
    frame_height: f32,
    stack: Rect,
    heap: Rect,
    label_x: f32,
    legend: Rect,
}

impl Layout {
    fn new(rect: Rect, stack_limit: usize) -> Self {
        let area = rect.shrink(6.0);
        let axis_x = area.left() + 70.0;
        let column = Rect::from_min_max(
            pos2(axis_x + 8.0, area.top()),
            pos2(area.left() + area.width() * 0.62, area.bottom()),
        );
        let shares = [
            (Region::Code, 0.11),
            (Region::Rodata, 0.07),
            (Region::Data, 0.07),
            (Region::Bss, 0.07),
        ];
        let mut bottom = column.bottom();
        let bands = shares.map(|(region, share)| {
            let top = bottom - column.height() * share;
            let band = Rect::from_min_max(pos2(column.left(), top), pos2(column.right(), bottom));
            bottom = top - 2.0;
            (region, band)
        });
        let dynamic = Rect::from_min_max(column.min, pos2(column.right(), bottom));
        let frame_height = (dynamic.height() * 0.62 / (stack_limit as f32 + 1.0)).clamp(14.0, 40.0);
        let stack = Rect::from_min_max(
            dynamic.min,
            pos2(
                dynamic.right(),
                dynamic.top() + frame_height * stack_limit as f32,
            ),
        );
        let heap = Rect::from_min_max(
            pos2(dynamic.left(), dynamic.bottom() - dynamic.height() * 0.22),
            dynamic.max,
        );
        Self {
            area,
            axis_x,
            column,
            bands,
            dynamic,
            frame_height,
            stack,
            heap,
            label_x: column.right() + 10.0,
            legend: Rect::from_min_max(
                pos2(column.right() + 10.0, stack.bottom() + 24.0),
                pos2(area.right(), heap.top() - 40.0),
            ),
        }
    }

    /// The place of the stack's `index`-th frame from the top.
    fn slot(&self, index: usize) -> Rect {
        let top = self.dynamic.top() + self.frame_height * index as f32;
        Rect::from_min_size(
            pos2(self.dynamic.left() + 4.0, top + 1.0),
            vec2(self.dynamic.width() - 36.0, self.frame_height - 2.0),
        )
    }

    /// The place of the `index`-th heap block from the bottom.
    fn block(&self, index: usize) -> Rect {
        let height = (self.heap.height() / 3.0).min(30.0);
        let bottom = self.heap.bottom() - 4.0 - height * index as f32;
        Rect::from_min_max(
            pos2(self.heap.left() + 40.0, bottom - height + 2.0),
            pos2(self.heap.right() - 60.0, bottom),
        )
    }
}

/// The address axis: high at the top, low at the bottom.
fn paint_axis(canvas: &Canvas, layout: &Layout, lang: Language) {
    let style = canvas.style;
    let (x, area) = (layout.axis_x, layout.area);
    canvas.arrow(
        pos2(x, area.bottom()),
        pos2(x, area.top()),
        style.weak_text,
        1.5,
    );
    for (y, anchor, en, ko) in [
        (
            area.top(),
            Align2::RIGHT_TOP,
            "high\naddresses",
            "높은\n주소",
        ),
        (
            area.bottom(),
            Align2::RIGHT_BOTTOM,
            "low\naddresses",
            "낮은\n주소",
        ),
    ] {
        canvas.text(
            pos2(x - 6.0, y),
            anchor,
            words(lang, en, ko),
            &style.small,
            style.weak_text,
        );
    }
}

/// Free space between the stack and the heap, each region named with the way it grows, and
/// the stack's limit with the guard page below it.
fn paint_dynamic_zone(canvas: &Canvas, layout: &Layout, lang: Language) {
    let style = canvas.style;
    let (stack, heap, x) = (layout.stack, layout.heap, layout.label_x);
    canvas
        .painter
        .rect_filled(layout.dynamic, 4.0, style.region(RegionColor::Free));
    canvas.painter.rect_filled(
        stack,
        4.0,
        style.region(RegionColor::Stack).gamma_multiply(0.5),
    );
    canvas.painter.rect_filled(
        heap,
        4.0,
        style.region(RegionColor::Heap).gamma_multiply(0.5),
    );
    let arrow_x = layout.column.right() - 12.0;
    canvas.text(
        pos2(x, stack.top()),
        Align2::LEFT_TOP,
        region_name(Region::Stack, lang),
        &style.font,
        style.text,
    );
    let grows_down = words(
        lang,
        "grows down, one frame per call",
        "아래로 자람, 호출마다 프레임 하나",
    );
    canvas.text(
        pos2(x, stack.top() + 18.0),
        Align2::LEFT_TOP,
        grows_down,
        &style.small,
        style.weak_text,
    );
    canvas.arrow(
        pos2(arrow_x, stack.top() + 6.0),
        pos2(arrow_x, stack.top() + 30.0),
        style.text,
        1.5,
    );
    canvas.text(
        pos2(x, heap.bottom()),
        Align2::LEFT_BOTTOM,
        region_name(Region::Heap, lang),
        &style.font,
        style.text,
    );
    let grows_up = words(
        lang,
        "grows up, blocks live until freed",
        "위로 자람, 블록은 해제될 때까지",
    );
    canvas.text(
        pos2(x, heap.bottom() - 18.0),
        Align2::LEFT_BOTTOM,
        grows_up,
        &style.small,
        style.weak_text,
    );
    canvas.arrow(
        pos2(arrow_x, heap.bottom() - 6.0),
        pos2(arrow_x, heap.bottom() - 30.0),
        style.text,
        1.5,
    );
    let limit = stack.bottom();
    canvas.dashed(
        pos2(layout.dynamic.left(), limit),
        pos2(layout.dynamic.right() + 6.0, limit),
        style.danger,
    );
    let guard = words(
        lang,
        "stack limit · guard page below",
        "스택 한계 · 아래는 가드 페이지",
    );
    canvas.text(
        pos2(x, limit),
        Align2::LEFT_CENTER,
        guard,
        &style.small,
        style.danger,
    );
}

/// The stack's frames (a new one slides in, a popped one fades out, one that does not fit
/// overflows); returns where pointers to heap blocks start.
fn paint_frames(
    canvas: &Canvas,
    layout: &Layout,
    state: &State,
    previous: Option<&State>,
    lang: Language,
) -> Vec<(Pos2, usize)> {
    let style = canvas.style;
    let grew = previous.is_some_and(|p| state.frames.len() > p.frames.len());
    let mut pointers = Vec::new();
    for (index, frame) in state.frames.iter().enumerate() {
        let is_new = grew && index + 1 == state.frames.len();
        let mut r = layout.slot(index);
        if is_new {
            // Slides in from the right as the call happens.
            r = r.translate(vec2((1.0 - canvas.eased()) * r.width() * 0.5, 0.0));
        }
        let running = frame.function == state.running && index + 1 == state.frames.len();
        canvas.labelled_box(r, style.region(RegionColor::Stack), "", is_new);
        let color = if running {
            style.text
        } else {
            style.text.gamma_multiply(0.85)
        };
        canvas.text(
            r.left_center() + vec2(6.0, 0.0),
            Align2::LEFT_CENTER,
            frame_label(frame, lang),
            &style.mono,
            color,
        );
        for slot in &frame.slots {
            if let Value::Pointer(id) = slot.value {
                pointers.push((r.right_center(), id));
            }
        }
    }
    if let Some(prev) = previous
        && prev.frames.len() > state.frames.len()
        && let Some(gone) = prev.frames.last()
    {
        fading_outline(
            canvas,
            layout.slot(prev.frames.len() - 1),
            &frame_label(gone, lang),
            &style.mono,
            0.0,
        );
    }
    if let Some(overflow) = &state.overflow {
        paint_overflow(canvas, layout.slot(state.frames.len()), overflow, lang);
    }
    pointers
}

/// Something that went away in this step, outlined and fading where it was.
fn fading_outline(canvas: &Canvas, r: Rect, text: &str, font: &egui::FontId, floor: f32) {
    let style = canvas.style;
    let fade = 1.0 - canvas.eased();
    canvas.painter.rect_stroke(
        r,
        4.0,
        Stroke::new(
            2.0 * style.line,
            style.highlight.gamma_multiply(fade.max(floor)),
        ),
        StrokeKind::Inside,
    );
    let at = r.left_center() + vec2(6.0, 0.0);
    canvas.text(
        at,
        Align2::LEFT_CENTER,
        text,
        font,
        style
            .weak_text
            .gamma_multiply(if floor > 0.0 { 1.0 } else { fade }),
    );
}

/// The frame that does not fit, below the limit, with the alarm in its outline and words.
fn paint_overflow(canvas: &Canvas, slot: Rect, overflow: &Frame, lang: Language) {
    let style = canvas.style;
    let r = slot.translate(vec2(0.0, 4.0));
    let r = r.translate(vec2((1.0 - canvas.eased()) * r.width() * 0.3, 0.0));
    canvas
        .painter
        .rect_filled(r, 4.0, style.danger.gamma_multiply(0.35));
    canvas.painter.rect_stroke(
        r,
        4.0,
        Stroke::new(3.0 * style.line, style.danger),
        StrokeKind::Inside,
    );
    let text = format!(
        "{}  · {}",
        frame_label(overflow, lang),
        words(lang, "does not fit: OVERFLOW", "들어갈 자리 없음: 오버플로")
    );
    // The outline and the word carry the alarm; the text itself stays readable.
    canvas.text(
        r.left_center() + vec2(6.0, 0.0),
        Align2::LEFT_CENTER,
        text,
        &style.mono,
        style.text,
    );
}

/// Heap blocks from the bottom of the heap, each pointed at by the frames that hold its
/// address; blocks freed in this step fade out where they were.
fn paint_heap(
    canvas: &Canvas,
    layout: &Layout,
    state: &State,
    previous: Option<&State>,
    pointers: &[(Pos2, usize)],
    lang: Language,
) {
    let style = canvas.style;
    let allocated = state.change == Change::Allocated;
    for (index, block) in state.heap.iter().enumerate() {
        let r = layout.block(index);
        let strength = if allocated {
            0.4 + 0.6 * canvas.eased()
        } else {
            1.0
        };
        let fill = style.region(RegionColor::Heap).gamma_multiply(strength);
        canvas.labelled_box(
            r,
            fill,
            &format!("block{} · {} B", block.id, block.bytes),
            allocated,
        );
        for (from, _) in pointers.iter().filter(|(_, id)| *id == block.id) {
            canvas.arrow(
                *from + vec2(2.0, 0.0),
                r.right_center() + vec2(2.0, 0.0),
                style.highlight,
                2.0,
            );
        }
    }
    if let Some(prev) = previous
        && state.change == Change::Freed
    {
        for (index, block) in prev.heap.iter().enumerate() {
            let r = layout.block(index);
            let fade = 1.0 - canvas.eased();
            canvas.painter.rect_stroke(
                r,
                4.0,
                Stroke::new(
                    2.0 * style.line,
                    style.highlight.gamma_multiply(fade.max(0.3)),
                ),
                StrokeKind::Inside,
            );
            let text = format!("block{} {}", block.id, words(lang, "freed", "해제됨"));
            canvas.text(
                r.center(),
                Align2::CENTER_CENTER,
                text,
                &style.small,
                style.weak_text,
            );
        }
    }
}

/// A fixed region with the statics that live in it.
fn paint_static_region(
    canvas: &Canvas,
    band: Rect,
    region: Region,
    state: &State,
    lang: Language,
    highlighted: bool,
) {
    let style = canvas.style;
    canvas.labelled_box(
        band,
        style.region(region_color(region)),
        "",
        highlighted && canvas.phase < 1.0,
    );
    canvas.text(
        band.left_center() + vec2(6.0, 0.0),
        Align2::LEFT_CENTER,
        region_name(region, lang),
        &style.small,
        style.text,
    );
    let statics: Vec<String> = state
        .statics
        .iter()
        .filter(|s| s.region == region)
        .map(|s| format!("{} = {}", s.name, s.value))
        .collect();
    if !statics.is_empty() {
        canvas.text(
            band.right_center() - vec2(8.0, 0.0),
            Align2::RIGHT_CENTER,
            statics.join(", "),
            &style.mono,
            style.text,
        );
    }
    if region == Region::Code {
        canvas.text(
            band.right_center() - vec2(8.0, 0.0),
            Align2::RIGHT_CENTER,
            "main · sum · fill · depth",
            &style.mono,
            style.weak_text,
        );
    }
}

/// The two distinctions the scene is about, in words.
fn paint_legend(canvas: &Canvas, rect: Rect, lang: Language) {
    if rect.height() < 60.0 || rect.width() < 120.0 {
        return;
    }
    let style = canvas.style;
    let lines = [
        words(lang, "Regions", "영역"),
        words(
            lang,
            "· static: code, rodata, data, bss (fixed at load)",
            "· 정적: 코드, rodata, data, bss (적재 때 고정)",
        ),
        words(
            lang,
            "· dynamic: heap, stack (grow and shrink)",
            "· 동적: 힙, 스택 (늘고 줄어듦)",
        ),
        words(lang, "Allocation", "할당"),
        words(
            lang,
            "· static: count, total (whole run)",
            "· 정적: count, total (실행 내내)",
        ),
        words(
            lang,
            "· automatic: locals (one call)",
            "· 자동: 지역 변수 (호출 동안)",
        ),
        words(
            lang,
            "· dynamic: heap blocks (until freed)",
            "· 동적: 힙 블록 (해제할 때까지)",
        ),
    ];
    let step = (rect.height() / lines.len() as f32).min(18.0);
    for (i, line) in lines.iter().enumerate() {
        let heading = i == 0 || i == 3;
        let font = if heading { &style.font } else { &style.small };
        let color = if heading { style.text } else { style.weak_text };
        canvas.text(
            pos2(rect.left(), rect.top() + step * i as f32),
            Align2::LEFT_TOP,
            *line,
            font,
            color,
        );
    }
}
