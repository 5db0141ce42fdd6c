//! errbook turns a folder of YAML error entries into a searchable, bilingual
//! troubleshooting site and the Markdown documents teams used to write by hand.
//!
//! The pipeline, stage by stage (see `pipeline/mod.rs`):
//! `load` (YAML → raw types) → `validate` (raw → `model`, every rule, all diagnostics)
//! → `render` (model → output files, pure) → `write` (atomic swap into `public/`), or
//! → `serve` (in memory, rebuilt on every change, with live reload).

mod cache;
pub mod cli;
mod cmd;
pub mod diagnostic;
mod fs;
mod i18n;
mod import;
mod load;
pub mod model;
pub mod pipeline;
mod progress;
mod render;
mod scaffold;
pub mod search;
pub mod serve;
mod validate;
mod write;

use anyhow::Result;

use cli::{Cli, Command};
use cmd::Outcome;

/// Runs one command line.
pub fn run(cli: &Cli) -> Result<Outcome> {
    match &cli.command {
        Command::Build(args) => cmd::build::run(args, &cli.global),
        Command::Check(args) => cmd::check::run(args, &cli.global),
        Command::Schema(args) => cmd::schema::run(args, &cli.global),
        Command::Init(args) => cmd::init::run(args, &cli.global),
        Command::New(args) => cmd::new::run(args, &cli.global),
        Command::Explain(args) => cmd::explain::run(args, &cli.global),
        Command::RemoveTree(args) => cmd::build::run_remove_tree(args),
        Command::Serve(args) => cmd::serve::run(args, &cli.global),
        Command::Lookup(args) => cmd::lookup::run(args, &cli.global),
        Command::Import(args) => cmd::import::run(args, &cli.global),
        Command::I18n(command) => cmd::i18n::run(command, &cli.global),
    }
}
