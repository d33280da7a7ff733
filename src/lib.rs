//! ProcLab teaches processes and threads: animated diagrams of process and thread memory
//! beside real threads and child processes whose timings are measured, not made up.
//!
//! The crate is layered one way: [`ui`] reads [`lesson`], [`sim`] and [`lab`] and returns
//! commands that the app applies in one place; the lower layers know nothing of the UI or of
//! each other, and share only the bounds in [`limits`]. See the README for the lesson format
//! and the command line.
//!
//! `unsafe` is denied everywhere but in two modules, where each use says why it is sound:
//! `lab::shared_memory`, which maps memory shared between processes, and `lab::primitives`,
//! which calls the OS's own thread and process creation (fork, posix_spawn, pthread_create)
//! to measure them without Rust's wrappers.

#![deny(unsafe_code)]

pub mod cli;
pub mod lab;
pub mod lesson;
pub mod limits;
pub mod sim;
pub mod ui;
