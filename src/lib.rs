//! errbook turns a folder of YAML error entries into a searchable, bilingual
//! troubleshooting site and the Markdown documents teams used to write by hand.
//!
//! The pipeline, stage by stage (see `pipeline.rs`):
//! `load` (YAML → raw types) → `validate` (raw → `model`, every rule, all diagnostics)
//! → `render` (model → output files, pure) → `write` (atomic swap into `public/`).

pub mod cli;
pub mod cmd;
pub mod diagnostic;
mod load;
pub mod model;
pub mod pipeline;
pub mod render;
pub mod search;
mod validate;
pub mod write;

use anyhow::Result;

use cli::{Cli, Command};
use cmd::Outcome;

/// Runs one command line.
pub fn run(cli: &Cli) -> Result<Outcome> {
    match &cli.command {
        Command::Build(args) => cmd::build::run(args, &cli.global),
        Command::Lookup(args) => cmd::lookup::run(args, &cli.global),
    }
}
