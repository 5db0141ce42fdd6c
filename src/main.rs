//! The `errbook` binary: parse the command line, run, and pick the exit status.
//!
//! Exit status: 0 success, 1 problems in the content (or an I/O failure, or no match for
//! `lookup`), 2 usage errors, 3 an ambiguous `lookup`. A closed pipe (`| head`) ends
//! any command quietly, with status 0, as the reader asked for no more.

use std::process::ExitCode;

use clap::Parser;

use errbook::cli::Cli;

/// glibc's allocator spent a quarter of a 10,000-entry build in malloc and free
/// (many small strings, on every thread); mimalloc halves that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match errbook::run(&cli) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
