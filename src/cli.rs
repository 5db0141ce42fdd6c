//! The command line: global options and one argument struct per command.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::cache::BuildCache;

/// Turns YAML error entries into a searchable, bilingual troubleshooting site.
#[derive(Debug, Parser)]
#[command(name = "errbook", version, about, long_about = None)]
#[command(
    after_help = "Exit status: 0 success, 1 problems in the content (or nothing found), 2 wrong usage, 3 an ambiguous lookup (the candidates are listed)."
)]
pub struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options that every command takes.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// The knowledge base's root folder (the one that holds `content/`).
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more about what is done.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// When to use colours (`auto` honours NO_COLOR and whether output is a terminal).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Keep nothing between runs: parse every file, start builds from an empty folder,
    /// and neither read nor write `.errbook-cache/`.
    #[arg(long, global = true)]
    pub no_cache: bool,
}

impl GlobalArgs {
    /// What a command keeps between runs: the cache on disk, unless `--no-cache`.
    pub(crate) fn build_cache(&self) -> BuildCache {
        BuildCache::for_command(&self.root, !self.no_cache)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the site into the output folder (`public/` by default).
    Build(BuildArgs),
    /// Check the content, the theme and its UI strings, and print every problem, without building.
    Check(CheckArgs),
    /// Create a new knowledge base.
    Init(InitArgs),
    /// Create a new entry with every section and language, ready to fill in.
    New(NewArgs),
    /// Print an entry in the terminal.
    Explain(ExplainArgs),
    /// Print or write the JSON Schema of the YAML files, for editors.
    Schema(SchemaArgs),
    /// Serve the site from memory with live reload, rebuilding on every change.
    Serve(ServeArgs),
    /// Find the entry that explains an error message, JSON body or SDK exception
    /// (exit 0 found, 3 ambiguous: candidates listed, 1 none: closest entries offered).
    Lookup(LookupArgs),
    /// Turn hand-written troubleshooting documents (Markdown) into an entry.
    Import(ImportArgs),
    /// Translations: where they stand, confirming them, and PO files for translators.
    #[command(subcommand, name = "i18n")]
    I18n(I18nCommand),
    /// Delete folders a build left behind (run by `build` itself, in the background).
    #[command(hide = true)]
    RemoveTree(RemoveTreeArgs),
}

#[derive(Debug, Args)]
pub(crate) struct RemoveTreeArgs {
    pub dirs: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
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
pub(crate) struct CheckArgs {
    /// Treat warnings (missing translations, old dates) as errors.
    #[arg(long)]
    pub strict: bool,
    /// How to print the diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Record every published page and anchor in anchors.lock.
    #[arg(long)]
    pub update_lock: bool,
    /// Report `updated` and `last_verified` dates older than this many days.
    #[arg(long, value_name = "DAYS", default_value_t = 365)]
    pub max_age: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Where to create the knowledge base (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The site's languages, the default first.
    #[arg(long, value_delimiter = ',', default_value = "en,fr")]
    pub languages: Vec<String>,
    /// Also copy the default theme (templates, static files, UI strings) for customising.
    #[arg(long)]
    pub theme: bool,
}

#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// The entry to create, as `provider/slug` (e.g. `openai/rate-limit`).
    #[arg(value_name = "PROVIDER/SLUG")]
    pub id: String,
    /// The provider's error code, verbatim (defaults to the slug with `_` for `-`).
    #[arg(long)]
    pub code: Option<String>,
    /// The HTTP status of the error (left out of the skeleton when not given).
    #[arg(long, value_name = "CODE", value_parser = clap::value_parser!(u16).range(100..=599))]
    pub status: Option<u16>,
    /// The provider's message, verbatim (a TODO placeholder when not given).
    #[arg(long)]
    pub message: Option<String>,
    /// The provider's name, when the provider is new (a TODO placeholder when not given).
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// An error code (`insufficient_quota`), an entry id (`openai/insufficient-quota`) or an alias.
    pub query: String,
    /// The language to print in (default: the site's default language).
    #[arg(long)]
    pub lang: Option<String>,
    /// Never page the output.
    #[arg(long)]
    pub no_pager: bool,
}

#[derive(Debug, Args)]
pub(crate) struct SchemaArgs {
    /// Which file's schema to print.
    #[arg(value_enum, default_value_t = SchemaKind::Entry)]
    pub kind: SchemaKind,
    /// Write all three schemas into this folder instead (`entry.schema.json`, …).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SchemaKind {
    Entry,
    Provider,
    Site,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
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
    /// Also answer requests for this host name (repeatable; `.example.org` allows every
    /// name under it). Localhost names and IP addresses are always answered.
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The documents of one error, one per language (e.g. `quota.fr.md quota.en.md`).
    #[arg(value_name = "FILE.md", required = true)]
    pub files: Vec<PathBuf>,
    /// The provider's id (e.g. `openai`); by default, the known provider the title names.
    #[arg(long, value_name = "ID")]
    pub provider: Option<String>,
    /// The error's code, verbatim; by default, read from the document's error received.
    #[arg(long)]
    pub code: Option<String>,
    /// The language of the one document, when neither its file name (`x.fr.md`) nor its
    /// headings tell.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// Print the YAML instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
    /// Replace the entry's file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub(crate) struct LookupArgs {
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

#[derive(Debug, Subcommand)]
pub(crate) enum I18nCommand {
    /// Per language, how many fields are translated, unconfirmed, stale and missing.
    Status(I18nStatusArgs),
    /// Start the UI strings of a new language (`i18n/LANG.yaml`) from the default language's.
    Add(I18nAddArgs),
    /// Record that translations are right for their source texts as they are now.
    Confirm(I18nConfirmArgs),
    /// Write one PO file per content file with the texts to translate into a language.
    Export(I18nExportArgs),
    /// Write the translations of PO files back into the YAML files.
    Import(I18nImportArgs),
}

#[derive(Debug, Args)]
pub(crate) struct I18nAddArgs {
    /// The language to add (`de`, `pt-BR`).
    #[arg(value_name = "LANG")]
    pub lang: String,
}

#[derive(Debug, Args)]
pub(crate) struct I18nStatusArgs {
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct I18nConfirmArgs {
    /// The entry (`openai/insufficient-quota`), provider (`providers/openai`) or `site`.
    #[arg(
        value_name = "DOCUMENT",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub document: Option<String>,
    /// Only this field (`steps[add-card].title`).
    #[arg(long, requires = "document")]
    pub field: Option<String>,
    /// Only this language.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// Every translation of the knowledge base (records of removed texts are dropped).
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub(crate) struct I18nExportArgs {
    /// The language to translate into.
    #[arg(long, value_name = "LANG")]
    pub lang: String,
    /// The folder to write the PO files into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct I18nImportArgs {
    /// The folder of PO files (as `export` wrote it, translated).
    pub dir: PathBuf,
}
