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
pub mod picture_view;
pub mod present;
pub mod recovery;
pub mod scenes;
pub mod settings;
mod step_view;
mod stepper_panel;
mod stepper_view;
pub mod strings;
mod theme;
pub mod timeline_plot;
mod workers_view;

pub use app::{Environment, ProcLabApp, StartOptions};
pub use command::Command;
pub use document::Document;

/// ProcLab's own icon (drawn for the project, `assets/icon/proclab.svg`), as the window shows it.
const WINDOW_ICON: &[u8] = include_bytes!("../../assets/icon/proclab-256.png");

/// Opens the ProcLab window and runs until it is closed.
pub fn run(start: StartOptions) -> eframe::Result<()> {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("ProcLab")
        .with_app_id("proclab")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([720.0, 480.0]);
    // A broken icon is no reason not to open the window.
    if let Ok(icon) = eframe::icon_data::from_png_bytes(WINDOW_ICON) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "ProcLab",
        options,
        Box::new(|cc| Ok(Box::new(ProcLabApp::from_creation_context(cc, start)))),
    )
}

#[cfg(test)]
mod tests {
    use super::WINDOW_ICON;

    #[test]
    fn the_window_icon_is_a_square_png_the_window_can_use() {
        let icon = eframe::icon_data::from_png_bytes(WINDOW_ICON).unwrap();
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
    }

    #[test]
    fn the_desktop_entry_starts_proclab_with_its_icon() {
        let entry = include_str!("../../assets/proclab.desktop");
        for line in ["Exec=proclab %f", "Icon=proclab", "Type=Application"] {
            assert!(entry.lines().any(|l| l == line), "missing {line}");
        }
    }
}
