//! Play the scheduler: `count += 1` as load, add and store in each thread, the user choosing
//! which thread runs its next instruction. Each thread's instructions, its next one and its
//! private register are drawn beside the shared counter; on the right, every possible
//! interleaving counted, with how many end at each final value. The steps so far are the
//! timeline, so Back undoes a choice and Step redoes it; a new choice drops what came after.

use egui::{Align2, Rect, pos2, vec2};

use super::draw::{Canvas, Fonts};
use super::live::Live;
use super::scene::{Inputs, Scene};
use super::style::RegionColor;
use crate::lesson::{Language, SceneSpec};
use crate::sim::Caption;
use crate::sim::interleavings::{Instr, Machine, Outcomes, Params, enumerate, replay};

/// Most threads the game offers: beyond four, the columns and the count of interleavings
/// stop being readable.
const MAX_THREADS: usize = 4;

/// How many threads the game of `spec` has.
pub fn game_threads(spec: &SceneSpec) -> usize {
    spec.threads.map_or(2, |t| t as usize).clamp(2, MAX_THREADS)
}

/// The scene as the registry builds it: `threads` threads, one increment each.
pub fn build(spec: &SceneSpec, _: &Inputs) -> Box<dyn Scene> {
    let threads = game_threads(spec);
    let params = Params {
        threads,
        increments: 1,
    };
    Box::new(Game::new(params, Vec::new(), enumerate(params)))
}

/// One game: the schedule chosen so far, every state along it, and every interleaving.
struct Game {
    params: Params,
    schedule: Vec<usize>,
    states: Vec<Machine>,
    captions: Vec<Caption>,
    outcomes: Outcomes,
}

impl Game {
    fn new(params: Params, schedule: Vec<usize>, outcomes: Outcomes) -> Self {
        let states = replay(params, &schedule);
        let captions = states
            .iter()
            .enumerate()
            .map(|(i, state)| say(state, i.checked_sub(1).map(|p| (&states[p], schedule[p]))))
            .collect();
        Self {
            params,
            schedule,
            states,
            captions,
            outcomes,
        }
    }
}

impl Scene for Game {
    fn steps(&self) -> usize {
        self.states.len()
    }

    fn caption(&self, step: usize) -> &Caption {
        &self.captions[step.min(self.captions.len() - 1)]
    }

    fn paint(&self, canvas: &Canvas, step: usize, _: Option<&Live>, lang: Language) {
        let step = step.min(self.states.len() - 1);
        paint(canvas, &self.states[step], &self.outcomes, lang);
    }

    fn choices(&self, step: usize) -> Vec<usize> {
        let state = &self.states[step.min(self.states.len() - 1)];
        (0..state.threads.len())
            .filter(|&t| state.next(t).is_some())
            .collect()
    }

    fn choose(&self, step: usize, choice: usize) -> Option<Box<dyn Scene>> {
        self.choices(step).contains(&choice).then(|| {
            let mut schedule = self.schedule[..step.min(self.schedule.len())].to_vec();
            schedule.push(choice);
            Box::new(Game::new(self.params, schedule, self.outcomes.clone())) as Box<dyn Scene>
        })
    }
}

/// What the step that led to `state` did, in words; the first state has no step before it.
fn say(state: &Machine, before: Option<(&Machine, usize)>) -> Caption {
    let Some((previous, t)) = before else {
        return Caption::new(
            "You are the scheduler: pick which thread runs its next instruction. Each thread runs count += 1 as load, add, store, with a register of its own.",
            "여러분이 스케줄러입니다. 다음 명령어를 실행할 스레드를 고르세요. 각 스레드는 count += 1을 읽기, 더하기, 쓰기로 실행하며 레지스터는 스레드마다 따로 있습니다.",
        );
    };
    let name = format!("T{}", t + 1);
    let r = state.threads[t].register;
    let mut caption = match previous.next(t) {
        Some(Instr::Load) => Caption::new(
            format!("{name} loads count ({r}) into its register."),
            format!("{name}이(가) count({r})를 자기 레지스터로 읽습니다."),
        ),
        Some(Instr::Add) => Caption::new(
            format!(
                "{name} adds 1 in its register: {r}. Memory still holds {}.",
                state.count
            ),
            format!(
                "{name}이(가) 레지스터에서 1을 더합니다: {r}. 메모리는 여전히 {}입니다.",
                state.count
            ),
        ),
        _ => Caption::new(
            format!("{name} stores {r} into count."),
            format!("{name}이(가) {r}을(를) count에 씁니다."),
        ),
    };
    if state.lost() > previous.lost() {
        caption
            .en
            .push_str(" That overwrote another thread's increment: an update is lost.");
        caption
            .ko
            .push_str(" 다른 스레드의 증가를 덮어썼습니다. 증가 하나가 사라졌습니다.");
    }
    if state.finished() {
        caption.en.push_str(&format!(
            " Done: count = {} of {} expected.",
            state.count,
            state.expected()
        ));
        caption.ko.push_str(&format!(
            " 끝: 기대값 {} 중 count = {}.",
            state.expected(),
            state.count
        ));
    }
    caption
}

/// Where things go: thread columns on the left two thirds, the shared counter above them,
/// every interleaving's outcome on the right.
struct Layout {
    counter: Rect,
    columns: Rect,
    model: Rect,
}

impl Layout {
    fn new(body: Rect) -> Self {
        let split = body.left() + body.width() * 0.64;
        let top = body.top() + body.height() * 0.22;
        Self {
            counter: Rect::from_min_max(body.min, pos2(split - 12.0, top - 8.0)),
            columns: Rect::from_min_max(pos2(body.left(), top), pos2(split - 12.0, body.bottom())),
            model: Rect::from_min_max(pos2(split, body.top()), body.max),
        }
    }

    fn column(&self, t: usize, threads: usize) -> Rect {
        let width = self.columns.width() / threads.max(1) as f32;
        Rect::from_min_size(
            pos2(self.columns.left() + width * t as f32, self.columns.top()),
            vec2(width - 8.0, self.columns.height()),
        )
    }
}

fn paint(canvas: &Canvas, state: &Machine, outcomes: &Outcomes, lang: Language) {
    let body = canvas.rect;
    let fonts = Fonts::new(canvas.style, canvas.rect);
    let layout = Layout::new(body);
    paint_counter(canvas, layout.counter, state, &fonts, lang);
    for t in 0..state.threads.len() {
        paint_thread(
            canvas,
            layout.column(t, state.threads.len()),
            state,
            t,
            &fonts,
            lang,
        );
    }
    paint_model(canvas, layout.model, outcomes, state, &fonts, lang);
}

/// The shared counter in memory, with what was expected and what has been lost so far.
fn paint_counter(canvas: &Canvas, rect: Rect, state: &Machine, fonts: &Fonts, lang: Language) {
    let style = canvas.style;
    canvas.labelled_box(rect, style.region(RegionColor::Data), "", false);
    let text = match lang {
        Language::En => format!("shared memory: count = {}", state.count),
        Language::Ko => format!("공유 메모리: count = {}", state.count),
    };
    canvas.text(
        rect.center() - vec2(0.0, rect.height() * 0.15),
        Align2::CENTER_CENTER,
        text,
        &fonts.label,
        style.text,
    );
    let sums = match lang {
        Language::En => format!(
            "expected {} · lost so far {}",
            state.expected(),
            state.lost()
        ),
        Language::Ko => format!(
            "기대값 {} · 지금까지 잃은 증가 {}",
            state.expected(),
            state.lost()
        ),
    };
    let color = if state.lost() > 0 {
        style.danger
    } else {
        style.weak_text
    };
    canvas.text(
        rect.center() + vec2(0.0, rect.height() * 0.25),
        Align2::CENTER_CENTER,
        sums,
        &fonts.small,
        color,
    );
}

/// One thread: its instructions with the next one marked, and its register.
fn paint_thread(
    canvas: &Canvas,
    rect: Rect,
    state: &Machine,
    t: usize,
    fonts: &Fonts,
    lang: Language,
) {
    let style = canvas.style;
    let thread = &state.threads[t];
    let next = state.next(t);
    canvas.labelled_box(rect, style.region(RegionColor::Stack), "", next.is_none());
    let line = rect.height() / (state.length as f32 + 4.0);
    let at = |row: f32| pos2(rect.left() + 10.0, rect.top() + line * (row + 0.6));
    let title = match (next, lang) {
        (None, Language::En) => format!("T{} · done (key {})", t + 1, t + 1),
        (None, Language::Ko) => format!("T{} · 끝 (키 {})", t + 1, t + 1),
        (Some(_), _) => format!(
            "T{} · {} {}",
            t + 1,
            if lang == Language::En { "key" } else { "키" },
            t + 1
        ),
    };
    canvas.text(
        at(0.0),
        Align2::LEFT_CENTER,
        title,
        &fonts.label,
        style.text,
    );
    for i in 0..state.length {
        let instr = Instr::INCREMENT[i % 3];
        let (mark, color) = match i.cmp(&thread.done) {
            std::cmp::Ordering::Less => ("  ", style.weak_text),
            std::cmp::Ordering::Equal => ("› ", style.highlight),
            std::cmp::Ordering::Greater => ("  ", style.text),
        };
        canvas.text(
            at(1.2 + i as f32),
            Align2::LEFT_CENTER,
            format!("{mark}{}", instr.text()),
            &fonts.mono,
            color,
        );
    }
    let register = match lang {
        Language::En => format!("register r = {}", thread.register),
        Language::Ko => format!("레지스터 r = {}", thread.register),
    };
    canvas.text(
        at(state.length as f32 + 2.2),
        Align2::LEFT_CENTER,
        register,
        &fonts.mono,
        style.text,
    );
}

/// Every interleaving counted: one bar per final value, the one this game is heading for
/// outlined when it is over.
fn paint_model(
    canvas: &Canvas,
    rect: Rect,
    outcomes: &Outcomes,
    state: &Machine,
    fonts: &Fonts,
    lang: Language,
) {
    let style = canvas.style;
    let title = match lang {
        Language::En => format!("every interleaving: {} in all", outcomes.interleavings),
        Language::Ko => format!("가능한 모든 순서: 모두 {}가지", outcomes.interleavings),
    };
    canvas.text(
        rect.center_top(),
        Align2::CENTER_TOP,
        title,
        &fonts.label,
        style.text,
    );
    let rows = outcomes.finals.len().max(1) as f32;
    let row_h = (rect.height() - 30.0) / rows;
    for (i, (&value, &count)) in outcomes.finals.iter().enumerate() {
        let share = count as f32 / outcomes.interleavings.max(1) as f32;
        let top = rect.top() + 30.0 + row_h * i as f32;
        let bar = Rect::from_min_size(
            pos2(rect.left(), top + 4.0),
            vec2(rect.width() * share.max(0.02), row_h - 8.0),
        );
        let reached = state.finished() && state.count == value;
        canvas.labelled_box(bar, style.region(RegionColor::Heap), "", reached);
        let text = match lang {
            Language::En => format!("count = {value}: {count} ({:.0}%)", share * 100.0),
            Language::Ko => format!("count = {value}: {count}가지 ({:.0}%)", share * 100.0),
        };
        canvas.text(
            pos2(rect.left() + 6.0, bar.center().y),
            Align2::LEFT_CENTER,
            text,
            &fonts.small,
            style.text,
        );
    }
}
