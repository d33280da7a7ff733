//! ProcLab teaches processes and threads: animated diagrams of process and thread memory
//! beside real threads and child processes whose timings are measured, not made up.
//!
//! The crate is layered one way: [`ui`] reads [`lesson`], [`sim`] and [`lab`] and returns
//! commands that the app applies in one place; the lower layers know nothing of the UI, share
//! the bounds in [`limits`] and the bilingual [`words`], and [`lab`] uses [`sim`]'s pure models
//! (the wait-for graph, the interleavings) to explain what real threads did. See the README
//! for the lesson format and the command line.
//!
//! `unsafe` is denied everywhere but in two modules, where each use says why it is sound:
//! `lab::shared_memory`, which maps memory shared between processes, and `lab::primitives`,
//! which calls the OS's own thread and process creation (fork, posix_spawn, pthread_create)
//! to measure them without Rust's wrappers. The stepped threads' loop in `lab::stepped` is
//! a naked function written in machine instructions, so that its listing is the same in
//! every build; ptrace goes through `nix`'s safe calls.

#![deny(unsafe_code)]

pub mod cli;
pub mod lab;
pub mod lesson;
pub mod limits;
pub mod sim;
pub mod ui;
pub mod words;
