//! The app's side of the lab: the running [`Lab`] (started on first use), the latest
//! snapshot it sent, the last refusal, and a creation-cost measurement under way.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::lab::memory_map::MemoryMap;
use crate::lab::spawn_cost::{SpawnCost, SpawnCostJob};
use crate::lab::{Lab, LabCommand, LabConfig, LabError, LabEvent, LabSnapshot, Load, Wake};

use super::scenes::live::Live;

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
    pub samples: u32,
    /// How hard workers work, as the step or the user chose.
    pub load: Load,
    spawn_job: Option<SpawnCostJob>,
    /// The last finished creation-cost measurement.
    pub spawn_cost: Option<SpawnCost>,
    /// The program's sections and the process's regions, as last read.
    pub memory_map: Option<MemoryMap>,
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
            samples: 200,
            load: Load::Parked,
            spawn_job: None,
            spawn_cost: None,
            memory_map: None,
        }
    }

    /// Reads what the lab and the measurement reported since the last frame.
    pub fn poll(&mut self) {
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
        if let Some(outcome) = self.spawn_job.as_mut().and_then(SpawnCostJob::try_result) {
            self.spawn_job = None;
            match outcome {
                Ok(cost) => self.spawn_cost = Some(cost),
                Err(e) => self.message = Some(LabError::Measurement(e.to_string())),
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

    /// Starts a creation-cost measurement unless one is running.
    pub fn measure_spawn(&mut self) {
        if self.spawn_job.is_some() {
            return;
        }
        let Some(worker_exe) = self.worker_exe.clone() else {
            self.message = Some(LabError::NoProgramFile);
            return;
        };
        match SpawnCostJob::start(worker_exe, self.samples, self.wake.clone()) {
            Ok(job) => self.spawn_job = Some(job),
            Err(e) => self.message = Some(LabError::Measurement(e.to_string())),
        }
    }

    pub fn cancel_measurement(&self) {
        if let Some(job) = &self.spawn_job {
            job.cancel();
        }
    }

    /// Rounds done and in all, while a measurement runs.
    pub fn measurement_progress(&self) -> Option<(u32, u32)> {
        self.spawn_job.as_ref().map(SpawnCostJob::progress)
    }

    /// Stops every worker and the measurement; returns how long stopping took.
    pub fn shutdown(&mut self) -> Duration {
        self.spawn_job = None;
        let took = self.lab.take().map(Lab::shutdown).unwrap_or_default();
        self.snapshot = LabSnapshot::default();
        self.live = None;
        took
    }
}
