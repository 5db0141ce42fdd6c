//! The commands: each parses nothing and decides nothing beyond its own job, and hands
//! its outcome back to `main`, which alone prints diagnostics and picks the exit status.

pub mod build;
pub mod lookup;

use std::io::IsTerminal;

use annotate_snippets::Renderer;

use crate::cli::{ColorChoice, GlobalArgs};
use crate::diagnostic::Diagnostics;

/// How a command ended, for `main` to turn into an exit status.
pub enum Outcome {
    Success,
    /// The content has errors; they were printed.
    ContentErrors,
    /// `lookup` found no confident match (exit 1).
    NoMatch,
    /// The command line was wrong in a way clap cannot see; the problem was printed (exit 2).
    Usage,
}

/// Prints diagnostics to stderr, coloured when stderr is a terminal (or when asked).
pub fn print_diagnostics(diagnostics: &Diagnostics, global: &GlobalArgs) {
    if diagnostics.is_empty() || (global.quiet && !diagnostics.has_errors()) {
        return;
    }
    let color = match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    eprint!("{}", diagnostics.render(&renderer));
}
