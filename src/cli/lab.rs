//! `proclab lab`: the lab's registry without a window, for scripts and tests.

use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::lab::memory_map::Part;
use crate::lab::{
    Lab, LabCommand, LabConfig, LabEvent, LabSnapshot, Load, MemoryReport, WorkerRow, hex,
};

/// Options of `proclab lab`.
#[derive(Debug, Clone, Copy)]
pub struct LabRun {
    pub threads: u32,
    pub processes: u32,
    pub seconds: u64,
    /// Workers compute without pause.
    pub cpu_bound: bool,
    pub json: bool,
}

/// Runs the lab for the given time, printing the registry to `out` once a second.
pub fn run_lab(run: LabRun, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let lab = Lab::start(LabConfig::for_this_program()?)?;
    if run.cpu_bound {
        lab.send(LabCommand::SetLoad(Load::CpuBound));
    }
    if run.threads > 0 {
        lab.send(LabCommand::StartThreads(run.threads));
    }
    if run.processes > 0 {
        lab.send(LabCommand::StartProcesses(run.processes));
    }
    let start = Instant::now();
    let end = start + Duration::from_secs(run.seconds);
    let mut latest = LabSnapshot::default();
    let mut failed = false;
    for tick in 1..=run.seconds {
        let print_at = (start + Duration::from_secs(tick)).min(end);
        while let Ok(event) = lab.events().recv_deadline(print_at) {
            match event {
                LabEvent::Snapshot(snapshot) => latest = snapshot,
                LabEvent::Refused(message) | LabEvent::Failed(message) => {
                    eprintln!("proclab lab: {message}");
                    failed = true;
                }
                LabEvent::MemoryMap(_) => {}
            }
        }
        if run.json {
            let line = RegistryLine::new(tick, &latest);
            writeln!(out, "{}", serde_json::to_string(&line)?)?;
        } else {
            write_table(out, tick, &latest)?;
        }
        out.flush()?;
    }
    let took = lab.shutdown();
    eprintln!(
        "proclab lab: stopped, joined and reaped every worker in {} ms",
        took.as_millis()
    );
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Serialize)]
struct RegistryLine {
    seconds: u64,
    pid: u32,
    shared: ProbeJson,
    /// The region of ProcLab's map that holds the shared heap object.
    shared_heap_region: Option<Part>,
    workers: Vec<WorkerJson>,
}

#[derive(Serialize)]
struct ProbeJson {
    stack_addr: String,
    heap_addr: String,
    own_heap_addr: String,
    static_addr: String,
    heap_value: u64,
    static_value: u64,
}

#[derive(Serialize)]
struct WorkerJson {
    kind: crate::lab::WorkerKind,
    id: u32,
    os_id: u32,
    name: String,
    state: Option<crate::lab::OsState>,
    cpu_time_ms: Option<f64>,
    voluntary_switches: Option<u64>,
    involuntary_switches: Option<u64>,
    resident_bytes: Option<u64>,
    /// Fractions of the last sampling interval spent on a CPU and waiting for one.
    on_cpu_share: Option<f64>,
    waiting_share: Option<f64>,
    heap_region: Option<Part>,
    own_heap_region: Option<Part>,
    #[serde(flatten)]
    probe: ProbeJson,
}

impl ProbeJson {
    fn new(memory: &MemoryReport) -> Self {
        Self {
            stack_addr: hex(memory.stack_addr),
            heap_addr: hex(memory.heap_addr),
            own_heap_addr: hex(memory.own_heap_addr),
            static_addr: hex(memory.static_addr),
            heap_value: memory.heap_value,
            static_value: memory.static_value,
        }
    }
}

impl RegistryLine {
    fn new(seconds: u64, snapshot: &LabSnapshot) -> Self {
        Self {
            seconds,
            pid: snapshot.pid,
            shared: ProbeJson::new(&snapshot.shared),
            shared_heap_region: snapshot.shared_heap_region,
            workers: snapshot.workers.iter().map(WorkerJson::new).collect(),
        }
    }
}

impl WorkerJson {
    fn new(row: &WorkerRow) -> Self {
        Self {
            kind: row.kind,
            id: row.id.0,
            os_id: row.os_id,
            name: row.name.clone(),
            state: row.os.state,
            cpu_time_ms: row.os.cpu_time.map(|t| t.as_secs_f64() * 1000.0),
            voluntary_switches: row.os.voluntary_switches,
            involuntary_switches: row.os.involuntary_switches,
            resident_bytes: row.os.resident_bytes,
            on_cpu_share: row.share.map(|s| s.on_cpu),
            waiting_share: row.share.map(|s| s.waiting),
            heap_region: row.regions.heap,
            own_heap_region: row.regions.own_heap,
            probe: ProbeJson::new(&row.memory),
        }
    }
}

fn write_table(out: &mut impl Write, tick: u64, snapshot: &LabSnapshot) -> std::io::Result<()> {
    writeln!(
        out,
        "-- {tick} s -- ProcLab pid {}; shared heap object at {}, static at {}",
        snapshot.pid,
        hex(snapshot.shared.heap_addr),
        hex(snapshot.shared.static_addr)
    )?;
    writeln!(
        out,
        "{:<8} {:>8} {:<10} {:>9} {:>7} {:>7} {:>16} {:>16}",
        "kind", "id", "state", "cpu ms", "vol", "invol", "stack", "heap"
    )?;
    for row in &snapshot.workers {
        let state = row
            .os
            .state
            .map_or("unknown".to_owned(), |s| format!("{s:?}").to_lowercase());
        let figure = |v: Option<u64>| v.map_or("-".to_owned(), |v| v.to_string());
        writeln!(
            out,
            "{:<8} {:>8} {:<10} {:>9} {:>7} {:>7} {:>16} {:>16}",
            format!("{:?}", row.kind).to_lowercase(),
            row.os_id,
            state,
            row.os.cpu_time.map_or("-".to_owned(), |t| format!(
                "{:.1}",
                t.as_secs_f64() * 1000.0
            )),
            figure(row.os.voluntary_switches),
            figure(row.os.involuntary_switches),
            hex(row.memory.stack_addr),
            hex(row.memory.heap_addr),
        )?;
    }
    Ok(())
}
