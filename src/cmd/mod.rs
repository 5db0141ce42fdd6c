//! The commands: each parses nothing and decides nothing beyond its own job, and hands
//! its outcome back to `main`, which alone prints diagnostics and picks the exit status.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod explain;
pub(crate) mod i18n;
pub(crate) mod import;
pub(crate) mod init;
pub(crate) mod lookup;
pub(crate) mod new;
pub(crate) mod schema;
pub(crate) mod serve;

use std::io::IsTerminal;

use annotate_snippets::Renderer;

use crate::cli::{ColorChoice, GlobalArgs};
use crate::diagnostic::Diagnostics;

/// How a command ended, for `main` to turn into an exit status.
pub enum Outcome {
    Success,
    /// The content has errors; they were printed.
    ContentErrors,
    /// What was asked for does not exist; that was said.
    NotFound,
    /// Several answers fit, or one too weakly: they were listed, for the user to choose.
    Ambiguous,
    /// The command line asked for something impossible; that was said.
    UsageError,
}

impl Outcome {
    /// The exit status, the same for every command: 0 success, 1 problems or nothing
    /// found, 2 wrong usage, 3 an ambiguous answer.
    pub fn exit_code(&self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::ContentErrors | Outcome::NotFound => 1,
            Outcome::UsageError => 2,
            Outcome::Ambiguous => 3,
        }
    }
}

/// Whether to colour output going to a stream that is (or not) a terminal.
pub(crate) fn use_color(global: &GlobalArgs, is_terminal: bool) -> bool {
    match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Creates `root/rel` with `bytes` unless it exists; returns whether it was created.
pub(crate) fn create_file(root: &std::path::Path, rel: &str, bytes: &[u8]) -> anyhow::Result<bool> {
    use anyhow::Context;
    let path = root.join(rel);
    if path.exists() {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    std::io::Write::write_all(&mut file, bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(true)
}

/// Writes `text` to stdout. Unlike `print!`, a reader that went away (`| head`) is
/// an error, which `main` turns into a quiet exit, not a panic.
pub(crate) fn print_out(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Says on stderr which files an answer was given without (`explain`, `lookup`).
pub(crate) fn print_skipped(skipped: &[std::path::PathBuf], global: &GlobalArgs) {
    if skipped.is_empty() || global.quiet {
        return;
    }
    let files: Vec<String> = skipped.iter().map(|f| f.display().to_string()).collect();
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "warning: answered without {} file(s) that have errors: {}\n  help: `errbook check` shows what is wrong in them\n",
            files.len(),
            files.join(", ")
        )
        .as_bytes(),
    );
}

/// Prints diagnostics to stderr, coloured when stderr is a terminal (or when asked).
pub(crate) fn print_diagnostics(diagnostics: &Diagnostics, global: &GlobalArgs) {
    if diagnostics.is_empty() || (global.quiet && !diagnostics.has_errors()) {
        return;
    }
    let renderer = if use_color(global, std::io::stderr().is_terminal()) {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    // A closed stderr must not turn problems in the content into a panic.
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        diagnostics.render(&renderer).as_bytes(),
    );
}
