//! One rebuild of `serve`: run the pipeline, swap the new site in, tell the pages.
//!
//! A failed rebuild keeps the last good site and pushes its problems to every page.
//! Nothing in the content may stop `serve`: even a panic inside the pipeline (a bug)
//! becomes a problem shown like the others, and the next save tries again.

use std::any::Any;
use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use super::Event;
use super::console::{Console, Outcome, Trigger, summary};
use super::reload::{Hub, ReloadMessage};
use super::snapshot::{SharedSnapshot, SiteChange, Snapshot, compare_sites};
use crate::cache::{BuildCache, Memo};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::pipeline::{BuildSettings, RebuiltSite, rebuild_site};
use crate::render::open_search_memos;
use crate::render::{OutputFile, RenderedSite, collect_data_files};

/// Rebuilds the site into the shared snapshot, and tells the hub's pages.
pub(crate) struct Rebuilder {
    root: PathBuf,
    settings: BuildSettings,
    snapshot: Arc<SharedSnapshot>,
    hub: Arc<Hub>,
    console: Console,
    /// Names this server in build ids, so that pages reload after a restart.
    instance: String,
    generation: u64,
    /// The warnings printed last, so that the same ones are not printed at every save.
    printed_warnings: Option<Diagnostics>,
    /// What the last rebuilds kept: the files parsed and checked.
    cache: BuildCache,
    /// One thread for the data files (search indexes, catalogue, sitemap), so that
    /// rendering them in the background
    /// leaves the other cores to the next rebuild.
    data_pool: Arc<rayon::ThreadPool>,
    /// The loop's events, where data files rendered in the background are sent.
    events: Sender<Event>,
}

impl Rebuilder {
    pub(crate) fn new(
        root: PathBuf,
        settings: BuildSettings,
        shared: (Arc<SharedSnapshot>, Arc<Hub>),
        console: Console,
        events: Sender<Event>,
    ) -> Self {
        let data_pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "errbook-data".into())
            .start_handler(|_| lower_priority())
            .build()
            .expect("a thread for the data files");
        let clock = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        Rebuilder {
            root,
            settings,
            snapshot: shared.0,
            hub: shared.1,
            console,
            instance: format!("{:x}{clock:x}", std::process::id()),
            generation: 0,
            printed_warnings: None,
            cache: BuildCache::default(),
            data_pool: Arc::new(data_pool),
            events,
        }
    }

    /// Keeps what rebuilds find in `cache`, and looks files up there.
    pub(crate) fn use_cache(&mut self, cache: BuildCache) {
        self.cache = cache;
    }

    pub(crate) fn console(&self) -> &Console {
        &self.console
    }

    /// Rebuilds, swaps the result in (or keeps the last good site), and tells the pages.
    pub(crate) fn rebuild(&mut self, trigger: &Trigger<'_>) {
        let started = Instant::now();
        match trigger {
            // The watcher lost track: read everything again.
            Trigger::Changed([]) => self.cache.clear(),
            Trigger::Changed(paths) => self.cache.forget(&self.root, paths),
            Trigger::Start => {}
        }
        let before = self.snapshot.current();
        let previous = before.site.as_deref();
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            rebuild_site(&self.root, &self.settings, previous, &mut self.cache)
        }))
        .unwrap_or_else(|panic| Err(internal_error(panic.as_ref()).into()));
        match result {
            Ok(rebuilt) => self.publish(&before, rebuilt, trigger, started),
            Err(problems) => self.keep_last_good(&before, problems, trigger),
        }
    }

    fn publish(
        &mut self,
        before: &Snapshot,
        rebuilt: RebuiltSite,
        trigger: &Trigger<'_>,
        started: Instant,
    ) {
        let change = compare_sites(before.site.as_deref(), &rebuilt.site);
        let build = match change {
            SiteChange::None if !before.build.is_empty() => before.build.clone(),
            _ => self.next_build(),
        };
        let stats = rebuilt.site.stats;
        let site = Arc::new(rebuilt.site);
        // The data files follow the pages: the first ones before serving, later ones
        // in the background, so that a reload never waits for them.
        let data = if before.site.is_none() {
            Arc::new(by_path(render_data(&site, &self.cache)))
        } else {
            if change != SiteChange::None {
                self.render_data_later(&site);
            }
            Arc::clone(&before.data)
        };
        self.snapshot.replace(Snapshot {
            site: Some(Arc::clone(&site)),
            problems: None,
            build: build.clone(),
            data,
        });
        match &change {
            SiteChange::Files(_) => self.hub.broadcast(&ReloadMessage::Reload { build: &build }),
            SiteChange::Stylesheets(paths) => {
                if before.problems.is_some() {
                    self.hub.broadcast(&ReloadMessage::Fixed);
                }
                self.hub.broadcast(&ReloadMessage::Css {
                    build: &build,
                    paths,
                });
            }
            SiteChange::None if before.problems.is_some() => {
                self.hub.broadcast(&ReloadMessage::Fixed)
            }
            SiteChange::None => {}
        }
        if self.printed_warnings.as_ref() != Some(&rebuilt.warnings) {
            self.console.diagnostics(&rebuilt.warnings);
        }
        let outcome = Outcome::Built {
            stats,
            elapsed: started.elapsed(),
            warnings: rebuilt.warnings.warning_count(),
            change: &change,
        };
        self.console.status(&summary(trigger, &outcome));
        self.printed_warnings = Some(rebuilt.warnings);
    }

    fn keep_last_good(&mut self, before: &Snapshot, problems: Diagnostics, trigger: &Trigger<'_>) {
        let problems = Arc::new(problems);
        let build = if before.build.is_empty() {
            self.next_build()
        } else {
            before.build.clone()
        };
        // Swap first: a page connecting meanwhile gets the problems in its greeting.
        self.snapshot.replace(Snapshot {
            site: before.site.clone(),
            problems: Some(Arc::clone(&problems)),
            build,
            data: Arc::clone(&before.data),
        });
        self.hub.broadcast(&ReloadMessage::Problems {
            diagnostics: &problems,
        });
        self.console.diagnostics(&problems);
        let outcome = Outcome::Failed {
            errors: problems.error_count(),
            warnings: problems.warning_count(),
            serving: before.site.is_some(),
        };
        self.console.notice(&summary(trigger, &outcome));
        self.printed_warnings = None;
    }

    /// Renders the data files of `site` on the data thread, and sends them to the
    /// loop, which swaps them in with [`Rebuilder::data_ready`]. A site replaced before
    /// its turn came is skipped.
    fn render_data_later(&self, site: &Arc<RenderedSite>) {
        let site = Arc::clone(site);
        let snapshot = Arc::clone(&self.snapshot);
        let pool = Arc::clone(&self.data_pool);
        let events = self.events.clone();
        // The search terms of unchanged entries come from the cache's memos, through a
        // handle of the thread's own, which leaves the memos as the last build wrote them.
        let cache = self.cache.reader();
        std::thread::spawn(move || {
            let files = pool.install(|| {
                let current = snapshot.current();
                let still_served = current.site.as_ref().is_some_and(|s| Arc::ptr_eq(s, &site));
                still_served.then(|| render_data(&site, &cache))
            });
            if let Some(files) = files {
                let _ = events.send(Event::Data(DataReady { site, files }));
            }
        });
    }

    /// Swaps in the data files rendered in the background, if their site is still
    /// the one served. Pages do not change, so none reloads.
    pub(crate) fn data_ready(&mut self, ready: DataReady) {
        let current = self.snapshot.current();
        if !current
            .site
            .as_ref()
            .is_some_and(|s| Arc::ptr_eq(s, &ready.site))
        {
            return;
        }
        self.snapshot.replace(Snapshot {
            site: current.site.clone(),
            problems: current.problems.clone(),
            build: current.build.clone(),
            data: Arc::new(by_path(ready.files)),
        });
    }

    fn next_build(&mut self) -> String {
        self.generation += 1;
        format!("{}-{}", self.instance, self.generation)
    }
}

/// Lets the data thread yield to rebuilds: on Linux, the lowest scheduling priority
/// (`nice 19`) for the calling thread.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        let thread = rustix::thread::gettid();
        let _ = rustix::process::setpriority_process(Some(thread), 19);
    }
}

/// The data files of a site, rendered after the site was published.
pub(crate) struct DataReady {
    site: Arc<RenderedSite>,
    files: Vec<OutputFile>,
}

fn by_path(files: Vec<OutputFile>) -> HashMap<String, Arc<OutputFile>> {
    files
        .into_iter()
        .map(|file| (file.path.clone(), Arc::new(file)))
        .collect()
}

/// A panic in the pipeline, as a problem: serve goes on, and says it is a bug.
fn internal_error(panic: &(dyn Any + Send)) -> Diagnostic {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    Diagnostic::error("errbook", format!("internal error while building: {message}")).with_hint(
        "this is a bug in errbook, not in your files; please report it with the change that caused it",
    )
}
/// The data files of `site` (search indexes, catalogue, sitemap), with the search terms
/// of unchanged entries from the memos of `cache`, saved back if `cache` saves them.
fn render_data(site: &RenderedSite, cache: &BuildCache) -> Vec<OutputFile> {
    let memos = open_search_memos(cache, &site.kb().site.languages);
    memos.iter().flatten().for_each(Memo::preload);
    let files = collect_data_files(site.kb(), site.theme(), memos.as_ref());
    memos.iter().flatten().for_each(Memo::save);
    files
}
