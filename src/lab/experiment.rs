//! One shape for every measurement family. A family is one module holding both halves of its
//! experiment (the parent's, and the child's started through [`super::child`]) and one
//! [`Family`] value that says what it is called, which parameters it takes within which
//! bounds, and how to run it. [`FAMILIES`] lists them; the command line's `measure KIND`, the
//! app's evidence panel and the [`super::runner::Runner`] find them there.
//!
//! A run returns a [`Report`]: the figures as data (each a distribution with its samples,
//! median, p10, p90 and count), a note in both languages, and the family's own typed result as
//! JSON, so that the app and the command line render any family without knowing it.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use super::error::LabError;
use super::os::Machine;
use super::stats::Summary;
pub use super::timeline::{Lane, Span, ThreadState, Timeline};

/// Every measurement family, in the order the command line lists them. Adding a family is
/// its module and one line here.
pub const FAMILIES: &[&Family] = &[
    &super::spawn_cost::FAMILY,
    &super::race::FAMILY,
    &super::locks::FAMILY,
    &super::fairness::FAMILY,
    &super::ctx_switch::FAMILY,
    &super::timeslice::FAMILY,
    &super::tlb_ring::FAMILY,
    &super::ipc::FAMILY,
    &super::deadlock::FAMILY,
    &super::crash::FAMILY,
    &super::stepped::FAMILY,
];

/// The family called `name` (as lessons write it) or `command` (as `proclab measure` does).
pub fn family(name: &str) -> Option<&'static Family> {
    FAMILIES
        .iter()
        .copied()
        .find(|f| f.name == name || f.command == name)
}

/// Text in both teaching languages (figures' labels, notes, facts).
pub use crate::words::Words;

/// One parameter a family takes.
#[derive(Debug)]
pub struct Param {
    /// As lessons and the command line name it (`samples` is `--samples`).
    pub name: &'static str,
    /// What it counts, in English and Korean.
    pub en: &'static str,
    pub ko: &'static str,
    /// Values accepted; anything else is refused, never clamped.
    pub range: RangeInclusive<u32>,
    pub default: u32,
}

/// The threads that race or contend, as every race and lock family takes them.
pub const RACING_THREADS: Param = Param {
    name: "threads",
    en: "Threads",
    ko: "스레드",
    range: crate::limits::RACE_THREADS,
    default: 4,
};

/// A parameter given as text, which the family parses and checks when it runs.
#[derive(Debug)]
pub struct TextParam {
    /// As the command line names it (`schedule` is `--schedule`).
    pub name: &'static str,
    pub en: &'static str,
    pub ko: &'static str,
}

/// A measurement family.
#[derive(Debug)]
pub struct Family {
    /// As lessons name it (`spawn-cost`).
    pub name: &'static str,
    /// As `proclab measure` names it (`spawn`).
    pub command: &'static str,
    /// One line for `proclab measure --help`.
    pub about: &'static str,
    pub params: &'static [Param],
    /// The parameters given as text (a schedule, say), parsed by the family itself.
    pub texts: &'static [TextParam],
    /// The parent's half: runs the measurement, children started from `job.worker_exe`.
    pub run: fn(&Params, &Job) -> Result<Report, LabError>,
}

impl Param {
    /// True for a yes-or-no parameter (0 or 1), shown as a checkbox.
    pub fn is_switch(&self) -> bool {
        self.range == (0..=1)
    }
}

impl Family {
    /// The parameter called `name`, if this family takes it.
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// Every parameter at its default.
    pub fn defaults(&self) -> Params {
        Params {
            numbers: self.params.iter().map(|p| (p.name, p.default)).collect(),
            texts: BTreeMap::new(),
        }
    }

    /// `values` checked against this family's parameters: unknown names and values out of
    /// range are refused with the bounds; missing ones take their defaults.
    pub fn params_from(&self, values: &[(&str, u32)]) -> Result<Params, LabError> {
        let mut params = self.defaults();
        for &(name, value) in values {
            let param = self.param(name).ok_or_else(|| LabError::UnknownParam {
                family: self.name,
                name: name.to_owned(),
            })?;
            if !param.range.contains(&value) {
                return Err(LabError::OutOfRange {
                    name: param.name,
                    value,
                    low: *param.range.start(),
                    high: *param.range.end(),
                });
            }
            params.numbers.insert(param.name, value);
        }
        Ok(params)
    }

    /// `params` with the text parameter `name` set; a name this family does not take is
    /// refused.
    pub fn with_text(
        &self,
        mut params: Params,
        name: &str,
        value: &str,
    ) -> Result<Params, LabError> {
        let param =
            self.texts
                .iter()
                .find(|p| p.name == name)
                .ok_or_else(|| LabError::UnknownParam {
                    family: self.name,
                    name: name.to_owned(),
                })?;
        params.texts.insert(param.name, value.to_owned());
        Ok(params)
    }
}

/// Checked parameter values of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    numbers: BTreeMap<&'static str, u32>,
    texts: BTreeMap<&'static str, String>,
}

impl Params {
    /// The value of `name`; 0 for a parameter the family does not take.
    pub fn get(&self, name: &str) -> u32 {
        self.numbers.get(name).copied().unwrap_or(0)
    }

    /// The text given for `name`, if any (the family's default applies otherwise).
    pub fn text(&self, name: &str) -> Option<&str> {
        self.texts.get(name).map(String::as_str)
    }
}

/// What a running measurement may use and must honour.
pub struct Job<'a> {
    /// The ProcLab program, for the child halves.
    pub worker_exe: &'a Path,
    cancel: &'a AtomicBool,
    progress: &'a (dyn Fn(u32, u32) + Sync),
}

impl<'a> Job<'a> {
    pub fn new(
        worker_exe: &'a Path,
        cancel: &'a AtomicBool,
        progress: &'a (dyn Fn(u32, u32) + Sync),
    ) -> Self {
        Self {
            worker_exe,
            cancel,
            progress,
        }
    }

    /// True once the run was asked to stop: a family checks between rounds and returns what
    /// it has.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Says how far the run is: `done` of `total` steps.
    pub fn progress(&self, done: u32, total: u32) {
        (self.progress)(done, total);
    }
}

/// The CPU a pinned run shares among its sides (the first this thread may use), or `None`
/// when `pin` is off.
pub fn pinned_cpu(pin: bool) -> Result<Option<usize>, LabError> {
    if !pin {
        return Ok(None);
    }
    super::os::first_allowed_cpu()
        .map(Some)
        .map_err(LabError::measurement)
}

/// Runs `measure` on a thread of its own and waits for it, so that a measurement may pin its
/// thread to a CPU and leave the caller's thread where it was.
pub fn on_own_thread<T: Send>(
    measure: impl FnOnce() -> std::io::Result<T> + Send,
) -> Result<T, LabError> {
    std::thread::scope(|scope| {
        scope
            .spawn(measure)
            .join()
            .map_err(|_| std::io::Error::other("the measuring thread panicked"))?
    })
    .map_err(LabError::measurement)
}

/// What a figure's numbers are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    Nanoseconds,
    Bytes,
    /// A pure number, such as how many times longer one thing took than another.
    Ratio,
    /// A count of events, such as updates lost in one run.
    Count,
    /// Throughput: millions of bytes (10^6) per second.
    MegabytesPerSecond,
}

impl Unit {
    /// `value` in the unit a person reads at a glance.
    pub fn format(self, value: f64) -> String {
        let (divisor, suffix) = self.scale(value);
        match self {
            Unit::Ratio => format!("× {value:.1}"),
            Unit::Count => format!("{value:.0}"),
            Unit::MegabytesPerSecond => format!("{value:.0} MB/s"),
            Unit::Nanoseconds if divisor >= 1e6 => format!("{:.2} {suffix}", value / divisor),
            Unit::Nanoseconds => format!("{:.1} {suffix}", value / divisor),
            Unit::Bytes => format!("{:.0} {suffix}", value / divisor),
        }
    }

    /// The divisor and the unit name that suit values around `reference`: an axis of
    /// milliseconds for a median of milliseconds.
    pub fn scale(self, reference: f64) -> (f64, &'static str) {
        match self {
            Unit::Nanoseconds if reference >= 1e6 => (1e6, "ms"),
            Unit::Nanoseconds if reference >= 1e3 => (1e3, "µs"),
            Unit::Nanoseconds => (1.0, "ns"),
            Unit::Bytes => (1024.0, "KiB"),
            Unit::Ratio => (1.0, "×"),
            Unit::Count => (1.0, ""),
            Unit::MegabytesPerSecond => (1.0, "MB/s"),
        }
    }
}

/// One measured distribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub label: Words,
    pub unit: Unit,
    pub summary: Summary,
    /// Every sample, in the order taken, for plots.
    pub samples: Vec<f64>,
}

impl Figure {
    /// A figure from its samples; `None` when there are none.
    pub fn of(label: Words, unit: Unit, samples: Vec<f64>) -> Option<Self> {
        Some(Self {
            label,
            unit,
            summary: Summary::of(&samples)?,
            samples,
        })
    }
}

/// The result of one run, as data any view can render.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub family: &'static str,
    pub machine: Machine,
    pub figures: Vec<Figure>,
    /// How to read the figures: what was measured, how, and what it leaves out.
    pub note: Words,
    /// Single values worth reading on their own (the last run's expected, actual and lost).
    pub facts: Vec<Fact>,
    /// True when the run was cancelled and the figures are what it had by then.
    pub cancelled: bool,
    /// What really ran when, for a family that records it (drawn as a Gantt chart).
    pub timeline: Option<Timeline>,
    /// Measured cost against a parameter the run varied (drawn as lines with their spread).
    pub curves: Vec<Curve>,
    /// A picture of what the run saw (a wait-for graph, crashed processes).
    pub picture: Option<super::picture::Picture>,
    /// The family's own typed result, for `--json`.
    #[serde(skip)]
    pub json: serde_json::Value,
}

/// A measured quantity against a parameter the run varied: one point per value, each with
/// its median and spread.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Curve {
    pub label: Words,
    /// What the x values count (ring size, message bytes).
    pub x_label: Words,
    /// Drawn on a base-2 logarithmic axis (sizes that double).
    pub x_log2: bool,
    pub unit: Unit,
    pub points: Vec<CurvePoint>,
}

/// One value of the varied parameter and what was measured there.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CurvePoint {
    pub x: f64,
    pub summary: Summary,
}

/// One value with its label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub label: Words,
    pub value: String,
}

impl Report {
    /// A report of `family` from its figures and note; `typed` becomes its JSON.
    pub fn new(
        family: &'static str,
        machine: Machine,
        figures: Vec<Figure>,
        note: Words,
        typed: &impl Serialize,
    ) -> Result<Self, LabError> {
        Ok(Self {
            family,
            machine,
            figures,
            note,
            facts: Vec::new(),
            cancelled: false,
            timeline: None,
            curves: Vec::new(),
            picture: None,
            json: serde_json::to_value(typed).map_err(LabError::measurement)?,
        })
    }

    /// The same report, marked as cut short by a cancel when `cancelled`.
    pub fn cancelled(mut self, cancelled: bool) -> Self {
        self.cancelled = cancelled;
        self
    }

    /// The same report with what ran when.
    pub fn timeline(mut self, timeline: Timeline) -> Self {
        self.timeline = Some(timeline);
        self
    }

    /// The same report with a picture of what the run saw.
    pub fn picture(mut self, picture: super::picture::Picture) -> Self {
        self.picture = Some(picture);
        self
    }

    /// The same report with a curve added.
    pub fn curve(mut self, curve: Curve) -> Self {
        self.curves.push(curve);
        self
    }

    /// The same report with a fact added.
    pub fn fact(mut self, en: &str, ko: &str, value: impl ToString) -> Self {
        self.facts.push(Fact {
            label: Words::new(en, ko),
            value: value.to_string(),
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_has_a_unique_name_and_defaults_within_bounds() {
        for (i, a) in FAMILIES.iter().enumerate() {
            for b in &FAMILIES[i + 1..] {
                for name in [b.name, b.command] {
                    assert!(name != a.name && name != a.command, "{name} is taken twice");
                }
            }
        }
        for family in FAMILIES {
            assert_eq!(family.params_from(&[]), Ok(family.defaults()));
            for param in family.params {
                assert!(param.range.contains(&param.default), "{}", param.name);
            }
        }
    }

    #[test]
    fn parameters_out_of_range_or_unknown_are_refused_with_the_bounds() {
        let family = FAMILIES[0];
        let param = &family.params[0];
        let over = param.range.end() + 1;
        let refused = family.params_from(&[(param.name, over)]).unwrap_err();
        assert!(refused.to_string().contains(&param.range.end().to_string()));
        assert!(family.params_from(&[("bananas", 1)]).is_err());
        let top = *param.range.end();
        assert_eq!(
            family
                .params_from(&[(param.name, top)])
                .unwrap()
                .get(param.name),
            top
        );
    }
}
