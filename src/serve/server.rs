//! The HTTP side of `serve`: connections accepted under limits, each answered from the
//! current snapshot by its own thread.
//!
//! Every file comes from memory; nothing is read from disk, so a path can never reach a
//! file outside the site. HTML pages get the live-reload script; responses are never
//! cached, so that a reload always shows the latest build. No client can stop the
//! server: connections beyond [`Limits`] are refused at once, accept errors (such as
//! running out of file descriptors) are waited out and reported, and requests are read
//! under the limits of [`super::http`].

use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::console::Console;
use super::guard::HostGuard;
use super::http::{Head, Request, Response, read_head, refuse};
use super::reload::{Hub, LIVE_RELOAD_PATH, ReloadMessage, inject_script};
use super::route::{Route, content_type, route};
use super::snapshot::{SharedSnapshot, Snapshot};
use crate::diagnostic::Diagnostics;
use crate::render::OutputFile;

/// How many ports after the asked one `serve` tries when it is busy.
const PORT_ATTEMPTS: u16 = 50;

/// A listening socket, and whether it is on the port that was asked for.
pub(crate) struct Bound {
    pub listener: TcpListener,
    pub address: SocketAddr,
    /// The asked-for port when it was busy and another one was taken.
    pub busy_port: Option<u16>,
}

/// Binds `bind:port`, or the next free port after it when it is busy. Port 0 lets
/// the system choose.
pub(crate) fn bind(bind: IpAddr, port: u16) -> Result<Bound> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORT_ATTEMPTS - 1)
    };
    for candidate in port..=last {
        match TcpListener::bind((bind, candidate)) {
            Ok(listener) => {
                let address = listener.local_addr()?;
                let busy_port = (candidate != port).then_some(port);
                return Ok(Bound {
                    listener,
                    address,
                    busy_port,
                });
            }
            Err(e) if e.kind() == ErrorKind::AddrInUse => continue,
            Err(e) => {
                return Err(e).with_context(|| format!("cannot listen on {bind}:{candidate}"));
            }
        }
    }
    bail!("ports {port} to {last} on {bind} are all busy; pick another with --port")
}

/// How many connections may be open at once, bounded by the file descriptors the
/// process may open, so that rebuilds can still read the content.
#[derive(Debug, Clone, Copy)]
struct Limits {
    connections: usize,
    live_reload: usize,
}

impl Limits {
    fn from_descriptors() -> Self {
        #[cfg(target_os = "linux")]
        let descriptors = rustix::process::getrlimit(rustix::process::Resource::Nofile)
            .current
            .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
        #[cfg(not(target_os = "linux"))]
        let descriptors = 1024;
        Limits {
            connections: (descriptors / 4).clamp(4, 256),
            live_reload: (descriptors / 8).clamp(2, 64),
        }
    }
}

/// A count of what is open, and the most that may be.
struct Slots {
    open: AtomicUsize,
    most: usize,
}

/// One place in [`Slots`], given back when dropped (the connection ended).
pub(crate) struct Slot(Arc<Slots>);

impl Slots {
    fn new(most: usize) -> Arc<Self> {
        Arc::new(Slots {
            open: AtomicUsize::new(0),
            most,
        })
    }

    fn take(self: &Arc<Self>) -> Option<Slot> {
        let taken = self
            .open
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |open| {
                (open < self.most).then_some(open + 1)
            });
        taken.is_ok().then(|| Slot(Arc::clone(self)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::AcqRel);
    }
}

/// What every connection thread shares.
struct Shared {
    snapshot: Arc<SharedSnapshot>,
    hub: Arc<Hub>,
    guard: HostGuard,
    live_reload: Arc<Slots>,
}

/// Starts answering requests on `listener`, from `snapshot`, in background threads.
pub(crate) fn start(
    listener: TcpListener,
    (snapshot, hub): (Arc<SharedSnapshot>, Arc<Hub>),
    guard: HostGuard,
    console: Console,
) -> Result<()> {
    let limits = Limits::from_descriptors();
    let shared = Arc::new(Shared {
        snapshot,
        hub,
        guard,
        live_reload: Slots::new(limits.live_reload),
    });
    let connections = Slots::new(limits.connections);
    thread::Builder::new()
        .name("errbook-accept".into())
        .spawn(move || accept_forever(&listener, &connections, &shared, console))
        .context("cannot start the HTTP thread")?;
    Ok(())
}

/// Accepts connections until the process ends: an accept error is waited out (once
/// said), never the end of the server.
fn accept_forever(
    listener: &TcpListener,
    connections: &Arc<Slots>,
    shared: &Arc<Shared>,
    console: Console,
) {
    let mut said = None::<Instant>;
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::Interrupted | ErrorKind::ConnectionAborted
                ) =>
            {
                continue;
            }
            Err(e) => {
                if said.is_none_or(|at| at.elapsed() > Duration::from_secs(60)) {
                    console.notice(&format!(
                        "cannot accept connections ({}); waiting for some to close",
                        e.to_string().to_lowercase()
                    ));
                    said = Some(Instant::now());
                }
                thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        let Some(slot) = connections.take() else {
            refuse_busy(stream);
            continue;
        };
        let shared = Arc::clone(shared);
        let spawned = thread::Builder::new()
            .name("errbook-http".into())
            .spawn(move || answer_connection(stream, &shared, slot));
        if spawned.is_err() {
            thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Too many connections: say so without waiting on the client.
fn refuse_busy(mut stream: TcpStream) {
    let _ = stream.set_nonblocking(true);
    let _ = Response::text(503, "serve is busy: too many connections\n")
        .with_header("Retry-After", "1")
        .write_to(&mut stream, false, true);
}

/// Answers the requests of one connection until it closes, idles, or is upgraded.
fn answer_connection(mut stream: TcpStream, shared: &Shared, slot: Slot) {
    let _ = stream.set_write_timeout(Some(super::http::IDLE));
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::new();
    loop {
        let request = match read_head(&mut stream, &mut buffer) {
            Head::Gone => return,
            Head::Refused(status) => return refuse(stream, status),
            Head::Request(request) => request,
        };
        if !shared.guard.allows_host(request.header("Host")) {
            let text = "serve answers localhost names and IP addresses only; \
                        allow another name with --allow-host NAME\n";
            let _ = Response::text(403, text).write_to(&mut stream, false, true);
            return;
        }
        if request.target == LIVE_RELOAD_PATH {
            drop(slot);
            return accept_live_reload(stream, &request, shared);
        }
        let head_only = request.method == "HEAD";
        let written =
            answer(&request, &shared.snapshot).write_to(&mut stream, head_only, request.close);
        if written.is_err() || request.close {
            return;
        }
    }
}

fn answer(request: &Request, snapshot: &SharedSnapshot) -> Response {
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        return Response::text(405, "only GET and HEAD are served\n")
            .with_header("Allow", "GET, HEAD");
    }
    let current = snapshot.current();
    let response = match &current.site {
        Some(site) => {
            let languages = site.kb().site.languages.codes();
            match route(
                &request.target,
                |path| current.file(path).is_some(),
                languages,
            ) {
                Route::File(path) => file_response(current.file(&path), 200, &current),
                Route::Redirect(location) => {
                    Response::new(302, Vec::new()).with_header("Location", &location)
                }
                Route::NotFound(path) => file_response(current.file(&path), 404, &current),
            }
        }
        None => no_site_response(&current),
    };
    response.with_header("Cache-Control", "no-store")
}

/// The bytes of `file` with status `status`; HTML gets the live-reload script.
fn file_response(file: Option<&Arc<OutputFile>>, status: u16, snapshot: &Snapshot) -> Response {
    let Some(file) = file else {
        return Response::text(404, "not found\n");
    };
    let kind = content_type(&file.path);
    let bytes = if kind.starts_with("text/html") {
        inject_script(&file.bytes, &snapshot.build)
    } else {
        file.bytes.clone()
    };
    Response::new(status, bytes)
        .with_header("Content-Type", kind)
        .with_header("X-Content-Type-Options", "nosniff")
}

/// Until a first build succeeds: a page listing the problems, which the live-reload
/// script also shows in its overlay and replaces with the site once they are fixed.
fn no_site_response(snapshot: &Snapshot) -> Response {
    let problems = snapshot
        .problems
        .as_deref()
        .map(|p| p.render(&annotate_snippets::Renderer::plain()))
        .unwrap_or_default();
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>errbook: the site could not be built</title>\n</head>\n<body>\n\
         <h1>The site could not be built</h1>\n\
         <p>Fix these problems and save: this page updates by itself.</p>\n\
         <pre>{}</pre>\n</body>\n</html>\n",
        escape_html(&problems)
    );
    Response::new(503, inject_script(html.as_bytes(), &snapshot.build))
        .with_header("Content-Type", "text/html; charset=utf-8")
}

/// Upgrades the request to a WebSocket and hands it to the hub, which greets it with
/// the current build and, if the last rebuild failed, its problems. Only pages of this
/// server (or clients that are not pages) get them: the problems quote the content.
fn accept_live_reload(mut stream: TcpStream, request: &Request, shared: &Shared) {
    let upgrade = request
        .header("Upgrade")
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    let key = request.header("Sec-WebSocket-Key").filter(|_| upgrade);
    let (status, text) = if !shared.guard.allows_origin(request.header("Origin")) {
        (403, "live reload is for this server's pages only\n")
    } else if let Some(key) = key {
        match shared.live_reload.take() {
            Some(slot) => return upgrade_to_live_reload(stream, key, slot, shared),
            None => (503, "too many pages hold live reload\n"),
        }
    } else {
        (400, "this address takes WebSocket connections only\n")
    };
    let _ = Response::text(status, text).write_to(&mut stream, false, true);
}

fn upgrade_to_live_reload(mut stream: TcpStream, key: &str, slot: Slot, shared: &Shared) {
    let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
    let response = Response::new(101, Vec::new())
        .with_header("Upgrade", "websocket")
        .with_header("Connection", "Upgrade")
        .with_header("Sec-WebSocket-Accept", &accept);
    if response.write_to(&mut stream, false, false).is_ok() {
        let snapshot = &shared.snapshot;
        shared
            .hub
            .connect(stream, slot, || greeting(&snapshot.current()));
    }
}

fn greeting(snapshot: &Snapshot) -> Vec<String> {
    let mut messages = vec![
        ReloadMessage::Hello {
            build: &snapshot.build,
        }
        .encode(),
    ];
    if let Some(problems) = &snapshot.problems {
        messages.push(problems_message(problems));
    }
    messages
}

pub(crate) fn problems_message(diagnostics: &Diagnostics) -> String {
    ReloadMessage::Problems { diagnostics }.encode()
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_port_is_skipped_for_the_next_free_one() {
        let loopback = IpAddr::from([127, 0, 0, 1]);
        let taken = TcpListener::bind((loopback, 0)).unwrap();
        let port = taken.local_addr().unwrap().port();
        match bind(loopback, port) {
            Ok(bound) => {
                assert_ne!(bound.address.port(), port);
                assert_eq!(bound.busy_port, Some(port));
            }
            // The next ports may all be taken on a busy machine; then say so.
            Err(e) => assert!(e.to_string().contains("all busy"), "{e}"),
        }
        let free = bind(loopback, 0).unwrap();
        assert_eq!(free.busy_port, None);
    }
}
