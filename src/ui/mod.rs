//! The desktop app: panels, views and the one place commands are applied.
//!
//! Views are functions named `*_ui` that read state and return [`Command`]s; they never block
//! and never start threads of their own. File dialogs and disk I/O run in [`file_jobs`].

mod app;
mod command;
pub mod curve_plot;
pub mod distribution_plot;
mod document;
mod editor;
mod evidence;
pub mod file_jobs;
pub mod fonts;
mod lab_errors;
mod lab_panel;
mod lesson_list;
mod measurement_view;
mod memory_map_view;
mod menu_bar;
pub mod present;
pub mod recovery;
pub mod scenes;
pub mod settings;
mod step_view;
pub mod strings;
mod theme;
pub mod timeline_plot;
mod workers_view;

pub use app::{Environment, ProcLabApp, StartOptions};
pub use command::Command;
pub use document::Document;

/// Opens the ProcLab window and runs until it is closed.
pub fn run(start: StartOptions) -> eframe::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("ProcLab")
            .with_app_id("proclab")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([720.0, 480.0]),
        ..Default::default()
    };
    eframe::run_native(
        "ProcLab",
        options,
        Box::new(|cc| Ok(Box::new(ProcLabApp::from_creation_context(cc, start)))),
    )
}
