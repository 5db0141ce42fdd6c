//! What `serve` prints: one line per rebuild on stdout (what changed, pages rendered,
//! time, warnings), and diagnostics on stderr, the way `build` prints them.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use annotate_snippets::Renderer;

use super::snapshot::SiteChange;
use crate::diagnostic::{Diagnostics, count};
use crate::render::RenderStats;

/// Where `serve`'s messages go, and how.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Console {
    pub quiet: bool,
    pub color: bool,
}

impl Console {
    /// A status line: rebuilds, the address. `--quiet` keeps only errors.
    pub(crate) fn status(&self, line: &str) {
        if !self.quiet {
            write_line(&mut std::io::stdout(), line);
        }
    }

    /// What `serve` must always say, such as where it serves.
    pub(crate) fn always(&self, line: &str) {
        write_line(&mut std::io::stdout(), line);
    }

    /// Something the author should act on, even with `--quiet`.
    pub(crate) fn notice(&self, line: &str) {
        write_line(&mut std::io::stderr(), line);
    }

    pub(crate) fn diagnostics(&self, diagnostics: &Diagnostics) {
        if diagnostics.is_empty() || (self.quiet && !diagnostics.has_errors()) {
            return;
        }
        let renderer = if self.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let _ = write!(std::io::stderr(), "{}", diagnostics.render(&renderer));
    }
}

/// `serve` never dies for its console: a closed pipe only silences it.
fn write_line(out: &mut impl Write, line: &str) {
    let _ = writeln!(out, "{line}");
}

/// Why a rebuild ran.
pub(crate) enum Trigger<'a> {
    Start,
    /// These files changed; none when the watcher lost track and everything was read.
    Changed(&'a [PathBuf]),
}

/// How a rebuild ended.
pub(crate) enum Outcome<'a> {
    Built {
        stats: RenderStats,
        elapsed: Duration,
        warnings: usize,
        change: &'a SiteChange,
    },
    Failed {
        errors: usize,
        warnings: usize,
        /// Whether an older site is still served.
        serving: bool,
    },
}

/// The one line a rebuild prints.
pub(crate) fn summary(trigger: &Trigger<'_>, outcome: &Outcome<'_>) -> String {
    let what = match trigger {
        Trigger::Start => "initial build".to_string(),
        Trigger::Changed([]) => "files changed (full rescan)".to_string(),
        Trigger::Changed(paths) => {
            let mut shown: Vec<String> = paths
                .iter()
                .take(3)
                .map(|p| p.display().to_string())
                .collect();
            if paths.len() > 3 {
                shown.push(format!("{} more", paths.len() - 3));
            }
            format!("{} changed", shown.join(", "))
        }
    };
    match outcome {
        Outcome::Built {
            stats,
            elapsed,
            warnings,
            change,
        } => {
            if let Trigger::Start = trigger {
                return format!(
                    "{what}: {} rendered in {} ms, {}",
                    count(stats.pages_rendered, "page"),
                    elapsed.as_millis(),
                    count(*warnings, "warning"),
                );
            }
            let effect = match change {
                SiteChange::Files(_) => "",
                SiteChange::Stylesheets(_) => "; stylesheets swapped",
                SiteChange::None => "; the site is unchanged",
            };
            format!(
                "{what}: {} re-rendered, {} reused, in {} ms, {}{effect}",
                count(stats.pages_rendered, "page"),
                stats.pages_reused,
                elapsed.as_millis(),
                count(*warnings, "warning"),
            )
        }
        Outcome::Failed {
            errors,
            warnings,
            serving,
        } => format!(
            "{what}: build failed with {} and {}; {}",
            count(*errors, "error"),
            count(*warnings, "warning"),
            if *serving {
                "still serving the last good site"
            } else {
                "nothing to serve until it is fixed"
            }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rebuild_is_one_line_saying_what_changed_and_what_it_cost() {
        let quota = [PathBuf::from("content/errors/openai/quota.yaml")];
        let many: Vec<PathBuf> = (1..=5)
            .map(|i| PathBuf::from(format!("c/{i}.yaml")))
            .collect();
        let stats = RenderStats {
            pages_rendered: 12,
            pages_reused: 2,
        };
        let built = |change| Outcome::Built {
            stats,
            elapsed: Duration::from_millis(14),
            warnings: 1,
            change,
        };
        let files = SiteChange::Files(3);
        let css = SiteChange::Stylesheets(vec!["static/style.css".into()]);
        let cases = [
            (
                Trigger::Changed(&quota),
                built(&files),
                "content/errors/openai/quota.yaml changed: 12 pages re-rendered, 2 reused, in 14 ms, 1 warning",
            ),
            (
                Trigger::Start,
                built(&css),
                "initial build: 12 pages rendered in 14 ms, 1 warning",
            ),
            (
                Trigger::Changed(&many),
                built(&SiteChange::None),
                "c/1.yaml, c/2.yaml, c/3.yaml, 2 more changed: 12 pages re-rendered, 2 reused, in 14 ms, 1 warning; the site is unchanged",
            ),
            (
                Trigger::Changed(&quota),
                Outcome::Failed {
                    errors: 2,
                    warnings: 0,
                    serving: true,
                },
                "content/errors/openai/quota.yaml changed: build failed with 2 errors and 0 warnings; still serving the last good site",
            ),
            (
                Trigger::Changed(&[]),
                Outcome::Failed {
                    errors: 1,
                    warnings: 1,
                    serving: false,
                },
                "files changed (full rescan): build failed with 1 error and 1 warning; nothing to serve until it is fixed",
            ),
        ];
        for (trigger, outcome, line) in cases {
            assert_eq!(summary(&trigger, &outcome), line);
        }
    }
}
