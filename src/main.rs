//! The `errbook` binary: parse the command line, run, and pick the exit status.
//!
//! Exit status: 0 success, 1 problems in the content (or an I/O failure, or no confident
//! match for `lookup`), 2 usage errors.

use std::process::ExitCode;

use clap::Parser;

use errbook::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match errbook::run(&cli) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}
