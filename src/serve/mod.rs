//! `serve`: the pipeline of `build`, into memory, served with live reload.
//!
//! ```text
//! watch (notify, debounced) ──changes──▶ rebuild (pipeline::rebuild_site, partial render)
//!                                            │ swap the snapshot (Arc)   │ tell the pages
//!                                            ▼                           ▼
//! browser ◀──HTTP── server (from memory)               reload hub (WebSocket) ──▶ browser
//! ```
//!
//! One thread runs the loop below (watch events → rebuild); request threads only read
//! the current snapshot. `serve` never writes to disk: `public/` stays as it was.

mod console;
mod guard;
mod http;
mod rebuild;
mod reload;
mod route;
mod server;
mod snapshot;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};

use anyhow::{Context, Result, bail};

use crate::cache::BuildCache;
use crate::load::CONTENT_DIR;
use crate::pipeline::BuildSettings;
use console::{Console, Trigger};
use guard::HostGuard;
use rebuild::Rebuilder;
use reload::Hub;
use snapshot::SharedSnapshot;
use watch::{WatchEvent, Watcher};

pub use route::{content_type, site_path};
pub use watch::DEBOUNCE;

/// How `serve` was asked to run (from `errbook serve`'s arguments).
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// Taken if free, else the next free port; 0 lets the system pick.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Poll the folders instead of relying on the system's file events.
    pub poll: bool,
    pub quiet: bool,
    pub color: bool,
    /// Look entry files up in the parse cache (`.errbook-cache/`) before parsing them.
    pub parse_cache: bool,
    /// Host names answered besides localhost names and IP addresses (`.name` allows
    /// every name under it).
    pub allowed_hosts: Vec<String>,
}

/// What the loop reacts to.
pub(crate) enum Event {
    Watch(WatchEvent),
    /// Data files (search indexes, catalogue, sitemap) rendered in the background.
    Data(rebuild::DataReady),
    /// Ctrl-C (or SIGTERM).
    Stop,
}

impl From<WatchEvent> for Event {
    fn from(event: WatchEvent) -> Self {
        Event::Watch(event)
    }
}

/// Serves the knowledge base in `options.root` until Ctrl-C.
pub(crate) fn serve(options: &ServeOptions) -> Result<()> {
    let root = options
        .root
        .canonicalize()
        .with_context(|| format!("cannot open {}", options.root.display()))?;
    if !root.join(CONTENT_DIR).is_dir() {
        bail!(
            "{} has no {CONTENT_DIR}/ folder, so it is not a knowledge base\n  \
             help: run errbook in a knowledge base, or pass --root DIR",
            root.display()
        );
    }
    let console = Console {
        quiet: options.quiet,
        color: options.color,
    };
    let bound = server::bind(options.bind, options.port)?;
    if let Some(busy) = bound.busy_port {
        console.notice(&format!(
            "port {busy} is busy: serving on port {} instead",
            bound.address.port()
        ));
    }
    let url = local_url(bound.address);
    let (snapshot, hub) = (
        Arc::new(SharedSnapshot::default()),
        Arc::new(Hub::default()),
    );
    // The site's links and canonical URLs point at this server, not at production.
    let settings = BuildSettings {
        base_url: Some(url.clone()),
        ..BuildSettings::default()
    };
    let shared = (Arc::clone(&snapshot), Arc::clone(&hub));
    let (sender, events) = mpsc::channel();
    let mut rebuilder = Rebuilder::new(root.clone(), settings, shared, console, sender.clone());
    rebuilder.use_cache(BuildCache::for_serve(&root, options.parse_cache));
    rebuilder.rebuild(&Trigger::Start);
    let guard = HostGuard::new(&options.allowed_hosts);
    server::start(bound.listener, (Arc::clone(&snapshot), hub), guard, console)?;

    let output = snapshot
        .current()
        .site
        .as_ref()
        .map_or_else(|| PathBuf::from("public"), |s| s.kb().site.output.clone());
    let mut watcher = listen(&root, &output, options.poll, sender)?;

    if !options.bind.is_loopback() {
        rebuilder.console().notice(&format!(
            "listening on {}: anyone who can reach this machine can read the site",
            options.bind
        ));
    }
    rebuilder.console().always(&format!(
        "serving {} on {url} (Ctrl-C to stop)",
        root.display()
    ));
    if options.open {
        open_in_browser(&url, rebuilder.console());
    }
    run_loop(&events, &mut rebuilder, &mut watcher);
    rebuilder.console().status("stopped");
    Ok(())
}

/// Starts watching, and handling Ctrl-C: both arrive as events on `sender`'s channel.
fn listen(root: &Path, output: &Path, poll: bool, sender: Sender<Event>) -> Result<Watcher> {
    let watcher = Watcher::start(root, output, poll, sender.clone())?;
    ctrlc::set_handler(move || {
        let _ = sender.send(Event::Stop);
    })
    .context("cannot handle Ctrl-C")?;
    Ok(watcher)
}

/// Rebuilds after each batch of changes until asked to stop.
fn run_loop(events: &Receiver<Event>, rebuilder: &mut Rebuilder, watcher: &mut Watcher) {
    while let Ok(event) = events.recv() {
        let mut changed: Vec<PathBuf> = match event {
            Event::Stop => return,
            Event::Watch(WatchEvent::Failed(error)) => {
                rebuilder.console().notice(&format!(
                    "watching failed: {error}\n  help: if native file events are unreliable \
                     here (network or container folders), restart with --poll"
                ));
                continue;
            }
            Event::Watch(WatchEvent::Changed(paths)) => paths,
            Event::Data(ready) => {
                rebuilder.data_ready(ready);
                continue;
            }
        };
        // Changes that arrived during the last rebuild make one rebuild, not several.
        while let Ok(event) = events.try_recv() {
            match event {
                Event::Stop => return,
                Event::Watch(WatchEvent::Changed(paths)) => {
                    changed = merge(changed, paths);
                }
                Event::Watch(WatchEvent::Failed(_)) => {}
                Event::Data(ready) => rebuilder.data_ready(ready),
            }
        }
        if let Err(error) = watcher.refresh() {
            rebuilder.console().notice(&format!("{error:#}"));
        }
        rebuilder.rebuild(&Trigger::Changed(&changed));
    }
}

/// Two batches as one; an empty batch (a full rescan) absorbs the others.
fn merge(mut batch: Vec<PathBuf>, more: Vec<PathBuf>) -> Vec<PathBuf> {
    if batch.is_empty() || more.is_empty() {
        return Vec::new();
    }
    batch.extend(more);
    batch.sort();
    batch.dedup();
    batch
}

/// The address to open: a server listening on every interface is opened on localhost.
fn local_url(address: SocketAddr) -> String {
    let mut address = address;
    if address.ip().is_unspecified() {
        address.set_ip(match address.ip() {
            IpAddr::V4(_) => IpAddr::from([127, 0, 0, 1]),
            IpAddr::V6(_) => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        });
    }
    format!("http://{address}/")
}

fn open_in_browser(url: &str, console: &Console) {
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    let spawned = std::process::Command::new(program)
        .args(args)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(error) = spawned {
        console.notice(&format!(
            "cannot open a browser ({program}: {error}); open {url}"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_merge_and_a_rescan_absorbs_them() {
        let paths = |list: &[&str]| list.iter().map(PathBuf::from).collect::<Vec<_>>();
        let cases = [
            (
                paths(&["b", "a"]),
                paths(&["a", "c"]),
                paths(&["a", "b", "c"]),
            ),
            (paths(&["a"]), paths(&[]), paths(&[])),
            (paths(&[]), paths(&["a"]), paths(&[])),
        ];
        for (batch, more, merged) in cases {
            assert_eq!(merge(batch, more), merged);
        }
    }

    #[test]
    fn the_url_to_open_is_local() {
        let cases = [
            ("127.0.0.1:1111", "http://127.0.0.1:1111/"),
            ("0.0.0.0:1111", "http://127.0.0.1:1111/"),
            ("[::]:1111", "http://[::1]:1111/"),
            ("192.168.1.2:80", "http://192.168.1.2:80/"),
        ];
        for (address, url) in cases {
            assert_eq!(local_url(address.parse().unwrap()), url);
        }
    }
}
