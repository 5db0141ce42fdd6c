//! The `errbook` binary: parse the command line, run, and pick the exit status.
//!
//! Exit status: 0 success, 1 problems in the content (or an I/O failure, or no confident
//! match for `lookup`), 2 usage errors.

use std::process::ExitCode;

use clap::Parser;

use errbook::cli::Cli;
use errbook::cmd::Outcome;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match errbook::run(&cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::ContentErrors | Outcome::NoMatch) => ExitCode::from(1),
        Ok(Outcome::Usage) => ExitCode::from(2),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}
