//! Progress of long commands, on a terminal.
//!
//! A command that takes longer than a second (or `ERRBOOK_PROGRESS_AFTER` milliseconds)
//! shows, on standard error, its stage and a count (`rendering [=====>   ] 4512/10000
//! entries`), redrawn in place and cleared before the one-line summary. Nothing is shown
//! when standard error is not a terminal, or with `--quiet`.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a command runs before its progress is shown.
const DEFAULT_DELAY: Duration = Duration::from_secs(1);

/// The progress of one command; cheap to update from many threads.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Progress that is never shown.
    pub(crate) fn hidden() -> Self {
        Progress { bar: None }
    }

    /// Progress on standard error when it is a terminal and `quiet` is off, shown once
    /// the command has run for a second.
    pub(crate) fn on_terminal(quiet: bool) -> Self {
        if quiet || !std::io::stderr().is_terminal() {
            return Self::hidden();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(stage_style(None));
        let weak = bar.downgrade();
        let delay = std::env::var("ERRBOOK_PROGRESS_AFTER")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(DEFAULT_DELAY, Duration::from_millis);
        std::thread::spawn(move || {
            std::thread::sleep(delay);
            if let Some(bar) = weak.upgrade()
                && !bar.is_finished()
            {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                bar.enable_steady_tick(Duration::from_millis(100));
            }
        });
        Progress { bar: Some(bar) }
    }

    /// Starts a stage: `name` and, when the amount of work is known, `total` `units`.
    pub(crate) fn stage(&self, name: &str, total: Option<usize>, units: &'static str) {
        let Some(bar) = &self.bar else { return };
        bar.set_length(total.unwrap_or(0) as u64);
        bar.set_position(0);
        bar.set_prefix(name.to_string());
        bar.set_message(units);
        bar.set_style(stage_style(total));
    }

    /// Counts `done` more units of the current stage.
    pub(crate) fn advance(&self, done: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(done as u64);
        }
    }

    /// Clears the progress line, before the summary is printed.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// A bar with a count when the amount of work is known, a spinner otherwise.
fn stage_style(total: Option<usize>) -> ProgressStyle {
    let template = match total {
        Some(_) => "{prefix:>10} [{bar:30}] {pos}/{len} {msg}",
        None => "{prefix:>10} {spinner} {msg}",
    };
    ProgressStyle::with_template(template)
        .expect("the templates are valid")
        .progress_chars("=> ")
        .tick_chars("-\\|/ ")
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
