//! The command line: global options and one argument struct per command.

use std::net::IpAddr;
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
    /// Serve the site from memory with live reload, rebuilding on every change.
    Serve(ServeArgs),
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
pub struct ServeArgs {
    /// Port to listen on; when it is busy, the next free one is taken. 0 lets the system pick.
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on. The default keeps the site on this machine; 0.0.0.0 shares it.
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Look for changes by polling, where file events do not work (network or container folders).
    #[arg(long)]
    pub poll: bool,
}
