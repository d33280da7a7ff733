//! The app's side of the lab: the running [`Lab`] of live workers and the [`Runner`] of
//! measurements (each started on first use), the latest snapshot, the last refusal, and for
//! every measurement family its parameters, its run under way and its last report.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::lab::experiment::{FAMILIES, Family, Report};
use crate::lab::memory_map::MemoryMap;
use crate::lab::runner::{RunEvent, RunId, Runner};
use crate::lab::{Lab, LabCommand, LabConfig, LabError, LabEvent, LabSnapshot, Load, Wake};

use super::scenes::live::Live;
use super::stepper_panel::{StepperOrder, StepperPanel};

/// What the evidence area shows and the handles behind it.
pub struct LabPanel {
    worker_exe: Option<PathBuf>,
    wake: Option<Wake>,
    lab: Option<Lab>,
    /// The registry as last reported.
    pub snapshot: LabSnapshot,
    /// The same, as live mode draws it (`None` while nothing runs); made once per snapshot.
    pub live: Option<Live>,
    /// The last refusal or failure, shown until the next request.
    pub message: Option<LabError>,
    /// Counts the user asked for (bounded by the widgets).
    pub threads: u32,
    pub processes: u32,
    /// How hard workers work, as the step or the user chose.
    pub load: Load,
    runner: Option<Runner>,
    /// What draws the window (read from the first frame; `None` headless).
    pub renderer: Option<Renderer>,
    /// One per measurement family, in registry order.
    pub measurements: Vec<Measurement>,
    /// The program's sections and the process's regions, as last read.
    pub memory_map: Option<MemoryMap>,
    /// Real threads stepped one instruction at a time.
    pub stepper: StepperPanel,
}

impl LabPanel {
    /// `worker_exe` is the ProcLab program children are started from; `None` where it
    /// cannot be found, which the evidence area then says.
    pub fn new(worker_exe: Option<PathBuf>, ctx: &egui::Context) -> Self {
        let ctx = ctx.clone();
        Self {
            worker_exe,
            wake: Some(Arc::new(move || ctx.request_repaint())),
            lab: None,
            snapshot: LabSnapshot::default(),
            live: None,
            message: None,
            threads: 4,
            processes: 2,
            load: Load::Parked,
            runner: None,
            renderer: None,
            measurements: FAMILIES.iter().map(|f| Measurement::new(f)).collect(),
            memory_map: None,
            stepper: StepperPanel::default(),
        }
    }

    /// Carries out an order for the stepped threads, given on the step `owner`.
    pub fn stepper_order(&mut self, order: StepperOrder, owner: (u64, usize)) {
        let (exe, wake) = (self.worker_exe.as_ref(), self.wake.as_ref());
        self.stepper.apply(order, owner, exe, wake);
    }

    /// Reads what the lab and the measurement reported since the last frame.
    pub fn poll(&mut self) {
        self.stepper.poll();
        if let Some(lab) = &self.lab {
            for event in lab.events().try_iter() {
                match event {
                    LabEvent::Snapshot(snapshot) => {
                        self.live = Live::from_snapshot(&snapshot);
                        self.snapshot = snapshot;
                    }
                    LabEvent::Refused(message) | LabEvent::Failed(message) => {
                        self.message = Some(message);
                    }
                    LabEvent::MemoryMap(map) => self.memory_map = Some(*map),
                }
            }
        }
        let events: Vec<RunEvent> = self
            .runner
            .as_ref()
            .map(|r| r.events().try_iter().collect())
            .unwrap_or_default();
        for event in events {
            self.on_run_event(event);
        }
    }

    fn on_run_event(&mut self, event: RunEvent) {
        let id = match &event {
            RunEvent::Started { id, .. }
            | RunEvent::Progress { id, .. }
            | RunEvent::Finished { id, .. }
            | RunEvent::Failed { id, .. } => *id,
        };
        let Some(measurement) = self
            .measurements
            .iter_mut()
            .find(|m| m.running.is_some_and(|r| r.id == id))
        else {
            return;
        };
        match event {
            RunEvent::Started { .. } => {}
            RunEvent::Progress { done, total, .. } => {
                measurement.running = Some(Running { id, done, total });
            }
            RunEvent::Finished { report, .. } => {
                measurement.running = None;
                measurement.report = Some(*report);
            }
            RunEvent::Failed { error, .. } => {
                measurement.running = None;
                self.message = Some(error);
            }
        }
    }

    /// Sends a command, starting the lab first if it is not running.
    pub fn send(&mut self, command: LabCommand) {
        self.message = None;
        if self.lab.is_none() {
            let Some(worker_exe) = self.worker_exe.clone() else {
                self.message = Some(LabError::NoProgramFile);
                return;
            };
            let config = LabConfig {
                worker_exe,
                wake: self.wake.clone(),
            };
            match Lab::start(config) {
                Ok(lab) => {
                    if self.load != Load::Parked {
                        lab.send(LabCommand::SetLoad(self.load));
                    }
                    self.lab = Some(lab);
                }
                Err(e) => {
                    self.message = Some(LabError::LabStart(e.to_string()));
                    return;
                }
            }
        }
        if let Some(lab) = &self.lab {
            lab.send(command);
        }
    }

    /// Sets how hard workers work, now and for those started later; a lab that is not running
    /// is not started for it.
    pub fn set_load(&mut self, load: Load) {
        self.load = load;
        if let Some(lab) = &self.lab {
            lab.send(LabCommand::SetLoad(load));
        }
    }

    /// Starts a run of the family called `name` with the parameters shown, unless one runs.
    pub fn measure(&mut self, name: &str) {
        self.message = None;
        if self.runner.is_none() {
            let Some(worker_exe) = self.worker_exe.clone() else {
                self.message = Some(LabError::NoProgramFile);
                return;
            };
            match Runner::start(worker_exe, self.wake.clone()) {
                Ok(runner) => self.runner = Some(runner),
                Err(e) => {
                    self.message = Some(LabError::Measurement(e.to_string()));
                    return;
                }
            }
        }
        let Some(runner) = &self.runner else { return };
        let Some(measurement) = self.measurements.iter_mut().find(|m| m.family.name == name) else {
            return;
        };
        if measurement.running.is_some() {
            return;
        }
        match measurement.family.params_from(&measurement.values()) {
            Ok(params) => {
                let id = runner.run(measurement.family, params);
                measurement.running = Some(Running {
                    id,
                    done: 0,
                    total: 1,
                });
            }
            Err(error) => self.message = Some(error),
        }
    }

    /// Asks the run of `name` to stop; it reports what it measured so far.
    pub fn cancel_measurement(&self, name: &str) {
        let running = self.measurement(name).and_then(|m| m.running);
        if let (Some(runner), Some(running)) = (&self.runner, running) {
            runner.cancel(running.id);
        }
    }

    /// The state of the family called `name`.
    pub fn measurement(&self, name: &str) -> Option<&Measurement> {
        self.measurements.iter().find(|m| m.family.name == name)
    }

    pub fn measurement_mut(&mut self, name: &str) -> Option<&mut Measurement> {
        self.measurements.iter_mut().find(|m| m.family.name == name)
    }

    /// Stops every worker and the measurement; returns how long stopping took.
    pub fn shutdown(&mut self) -> Duration {
        self.runner = None;
        for measurement in &mut self.measurements {
            measurement.running = None;
        }
        let took = self.lab.take().map(Lab::shutdown).unwrap_or_default();
        self.snapshot = LabSnapshot::default();
        self.live = None;
        took
    }
}

/// The graphics adapter that draws the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renderer {
    /// True for a software renderer (no GPU), which takes CPU time from what is measured.
    pub software: bool,
    pub name: String,
}

/// A run under way: its id and how far it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Running {
    pub id: RunId,
    pub done: u32,
    pub total: u32,
}

/// One measurement family as the evidence area shows it.
pub struct Measurement {
    pub family: &'static Family,
    /// The value of each of the family's parameters, in its order; bounded by the widgets.
    pub values: Vec<u32>,
    pub running: Option<Running>,
    /// The last finished (or cancelled) run.
    pub report: Option<Report>,
    /// Which of the report's figures is plotted.
    pub plotted: usize,
}

impl Measurement {
    fn new(family: &'static Family) -> Self {
        Self {
            family,
            values: family.params.iter().map(|p| p.default).collect(),
            running: None,
            report: None,
            plotted: 0,
        }
    }

    /// The parameters as named values.
    pub fn values(&self) -> Vec<(&'static str, u32)> {
        self.family
            .params
            .iter()
            .zip(&self.values)
            .map(|(p, v)| (p.name, *v))
            .collect()
    }

    /// Sets the parameter called `name`, if the family takes it.
    pub fn set(&mut self, name: &str, value: u32) {
        if let Some(index) = self.family.params.iter().position(|p| p.name == name) {
            self.values[index] = value;
        }
    }
}
