//! The command line: global options and one argument struct per command.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Turns YAML error entries into a searchable, bilingual troubleshooting site.
#[derive(Debug, Parser)]
#[command(name = "errbook", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options that every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The knowledge base's root folder (the one that holds `content/`).
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Print only errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// When to use colours in messages.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (`public/` by default).
    Build(BuildArgs),
    /// Find the entry that explains an error message, JSON body or SDK exception.
    Lookup(LookupArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Publish under this URL instead of site.yaml's `base_url` (e.g. https://example.org/help/).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Write the site here instead of site.yaml's `output`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the output folder even if errbook did not create it.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct LookupArgs {
    /// The error, as pasted (quote it); read from stdin when absent or `-`.
    #[arg(value_name = "ERROR", num_args = 0..)]
    pub error: Vec<String>,
    /// The HTTP status the application received, when the error text lacks it.
    #[arg(long, value_name = "CODE", value_parser = clap::value_parser!(u16).range(100..=599))]
    pub status: Option<u16>,
    /// Print the URLs in this language (default: the site's first language).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// Print machine-readable results.
    #[arg(long)]
    pub json: bool,
    /// Read the match rules from this `lookup.json` instead of the knowledge base.
    #[arg(long, value_name = "FILE")]
    pub index: Option<PathBuf>,
}
