//! Watching the knowledge base: which files changed, debounced, as one batch.
//!
//! `content/`, `templates/`, `static/` and `i18n/` are watched recursively, as folders
//! and never as single files: editors save by writing a temporary file and renaming it
//! over the old one, which would end a watch on the file itself. The root is watched
//! too (not recursively), to notice when one of those folders appears or goes away.
//! Each rebuild reloads the whole content tree, so files created in a brand-new folder
//! before its watch was added are still picked up.
//!
//! Events are debounced per path for [`DEBOUNCE`]: the few events of one save arrive as
//! one batch, so one save is one rebuild.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use anyhow::{Context, Result};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};

use crate::load::{CONTENT_DIR, is_ignored};
use crate::load::{I18N_DIR, STATIC_DIR, TEMPLATES_DIR};

/// How long a path must stay quiet before its change is reported. Editors write a
/// save in well under 10 ms (vim: rename, write, chmod, delete the backup); 50 ms
/// merges those steps into one rebuild and stays far below what a reader notices.
pub const DEBOUNCE: Duration = Duration::from_millis(50);
/// How often the debouncer looks for quiet paths: adds at most this much to a change.
const TICK: Duration = Duration::from_millis(10);
/// How often `--poll` scans the folders. It compares contents, not only modification
/// times (whole seconds there), so that two saves within a second are both seen.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The folders of a knowledge base that a rebuild reads.
pub(crate) const WATCHED_DIRS: [&str; 4] = [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR, I18N_DIR];

/// What the watcher reports.
#[derive(Debug)]
pub(crate) enum WatchEvent {
    /// These files changed (relative to the root); empty when the system lost track
    /// and everything must be read again.
    Changed(Vec<PathBuf>),
    /// The watcher itself failed, e.g. out of inotify watches.
    Failed(String),
}

enum Backend {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

/// Watches a knowledge base for as long as it lives.
pub(crate) struct Watcher {
    backend: Backend,
    root: PathBuf,
    /// The watched folders that existed at the last [`Watcher::refresh`].
    present: Vec<&'static str>,
}

impl Watcher {
    /// Starts watching `root` (absolute) and sends every batch of relevant changes,
    /// ignoring editor temporary files and everything under `output` (relative).
    pub(crate) fn start<E: From<WatchEvent> + Send + 'static>(
        root: &Path,
        output: &Path,
        poll: bool,
        events: Sender<E>,
    ) -> Result<Watcher> {
        let (root_c, output) = (root.to_path_buf(), output.to_path_buf());
        let handler = move |result: DebounceEventResult| {
            let event = match result {
                Ok(batch) => {
                    let batch: Vec<_> = batch.into_iter().map(|e| e.event).collect();
                    match changed_paths(&root_c, &output, &batch) {
                        Some(paths) if paths.is_empty() => return,
                        Some(paths) => WatchEvent::Changed(paths),
                        None => WatchEvent::Changed(Vec::new()),
                    }
                }
                Err(errors) => WatchEvent::Failed(
                    errors
                        .iter()
                        .map(|e| e.to_string())
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            };
            let _ = events.send(E::from(event));
        };
        let backend = if poll {
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            Backend::Poll(new_debouncer_opt(
                DEBOUNCE,
                Some(TICK),
                handler,
                NoCache,
                config,
            )?)
        } else {
            Backend::Native(new_debouncer(DEBOUNCE, Some(TICK), handler)?)
        };
        let mut watcher = Watcher {
            backend,
            root: root.to_path_buf(),
            present: Vec::new(),
        };
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch {}", root.display()))?;
        watcher.refresh()?;
        Ok(watcher)
    }

    /// Watches the folders that appeared since the last call (a new `templates/`…).
    pub(crate) fn refresh(&mut self) -> Result<()> {
        for dir in WATCHED_DIRS {
            let path = self.root.join(dir);
            let exists = path.is_dir();
            let watched = self.present.contains(&dir);
            if exists && !watched {
                // A folder deleted and created again needs a fresh watch.
                let _ = self.unwatch(&path);
                self.watch(&path, RecursiveMode::Recursive)
                    .with_context(|| format!("cannot watch {} (try --poll)", path.display()))?;
                self.present.push(dir);
            } else if !exists && watched {
                self.present.retain(|d| *d != dir);
            }
        }
        Ok(())
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match &mut self.backend {
            Backend::Native(debouncer) => debouncer.watch(path, mode),
            Backend::Poll(debouncer) => debouncer.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match &mut self.backend {
            Backend::Native(debouncer) => debouncer.unwatch(path),
            Backend::Poll(debouncer) => debouncer.unwatch(path),
        }
    }
}

/// The relevant paths of a batch of events, relative to `root`, sorted and without
/// duplicates; `None` when the system asks for a full rescan.
fn changed_paths(root: &Path, output: &Path, batch: &[notify::Event]) -> Option<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for event in batch {
        if event.need_rescan() {
            return None;
        }
        // Reading a file is an event too (inotify's open): a rebuild must not cause one.
        if matches!(event.kind, EventKind::Access(_)) {
            continue;
        }
        paths.extend(
            event
                .paths
                .iter()
                .filter_map(|path| path.strip_prefix(root).ok())
                .filter(|rel| is_relevant(rel, output))
                .map(Path::to_path_buf),
        );
    }
    paths.sort();
    paths.dedup();
    Some(paths)
}

/// Whether a change at `rel` (relative to the root) can change the site: it lies in a
/// watched folder, outside the output folder, and neither it nor a folder on its way is
/// an editor's temporary file or hidden (`.git`, `.#entry.yaml`, `entry.yaml.swp`, `4913`).
pub(crate) fn is_relevant(rel: &Path, output: &Path) -> bool {
    let mut parts = rel.components();
    let in_watched_dir = match parts.next() {
        Some(Component::Normal(first)) => WATCHED_DIRS.iter().any(|d| first == *d),
        _ => false,
    };
    in_watched_dir
        && !rel.starts_with(output)
        && rel.components().all(|part| match part {
            Component::Normal(name) => !is_ignored(&name.to_string_lossy()),
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temporary_files_and_the_output_are_not_changes() {
        let cases = [
            ("content/errors/openai/quota.yaml", true),
            ("content/errors/mistral", true),
            ("content", true),
            ("templates/entry.html", true),
            ("static/style.css", true),
            ("i18n/fr.yaml", true),
            ("content/errors/openai/.quota.yaml.swp", false),
            ("content/errors/openai/quota.yaml.swx", false),
            ("content/errors/openai/4913", false),
            ("content/errors/openai/quota.yaml~", false),
            ("content/errors/openai/.#quota.yaml", false),
            ("content/errors/openai/quota.yaml.tmp", false),
            ("content/.git/index", false),
            ("public/fr/index.html", false),
            (".public.staging-12/fr/index.html", false),
            ("content/public/x.yaml", false),
            ("README.md", false),
            ("target/debug/errbook", false),
            ("../content/x.yaml", false),
        ];
        for (path, relevant) in cases {
            assert_eq!(
                is_relevant(Path::new(path), Path::new("content/public")),
                relevant,
                "{path}"
            );
        }
    }

    #[test]
    fn a_batch_keeps_each_relevant_path_once_and_skips_reads() {
        use notify::event::{AccessKind, CreateKind, ModifyKind};
        let root = Path::new("/kb");
        let event = |kind, path: &str| notify::Event::new(kind).add_path(root.join(path));
        let batch = [
            event(
                EventKind::Modify(ModifyKind::Any),
                "content/errors/a/b.yaml",
            ),
            event(
                EventKind::Create(CreateKind::File),
                "content/errors/a/b.yaml",
            ),
            event(EventKind::Create(CreateKind::File), "content/errors/a/4913"),
            event(EventKind::Access(AccessKind::Any), "content/site.yaml"),
            event(EventKind::Modify(ModifyKind::Any), "static/style.css"),
        ];
        let paths = changed_paths(root, Path::new("public"), &batch).unwrap();
        assert_eq!(
            paths,
            [
                PathBuf::from("content/errors/a/b.yaml"),
                PathBuf::from("static/style.css")
            ]
        );
    }
}
