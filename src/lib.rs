//! ProcLab teaches processes and threads: animated diagrams of process and thread memory
//! beside real threads and child processes whose timings are measured, not made up.
//!
//! The crate is layered one way: [`ui`] reads [`lesson`] (and, later, `sim` and `lab`) and
//! returns commands that the app applies in one place; the lower layers know nothing of the
//! UI. See the README for the lesson format and the command line.

#![forbid(unsafe_code)]

pub mod cli;
pub mod lab;
pub mod lesson;
pub mod limits;
pub mod sim;
pub mod ui;
