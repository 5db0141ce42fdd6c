//! The HTTP side of `serve`: a tiny_http server answering from the current snapshot.
//!
//! Every file comes from memory; nothing is read from disk, so a path can never reach a
//! file outside the site. HTML pages get the live-reload script; responses are never
//! cached, so that a reload always shows the latest build.

use std::io::{Cursor, ErrorKind};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::thread;

use anyhow::{Context, Result, bail};
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use super::reload::{Hub, LIVE_RELOAD_PATH, ReloadMessage, inject_script};
use super::route::{Route, content_type, route};
use super::snapshot::{SharedSnapshot, Snapshot};
use crate::diagnostic::Diagnostics;
use crate::render::OutputFile;

/// How many ports after the asked one `serve` tries when it is busy.
const PORT_ATTEMPTS: u16 = 50;
/// Threads answering requests; live-reload clients get their own.
const WORKERS: usize = 4;

/// A listening socket, and whether it is on the port that was asked for.
pub struct Bound {
    pub listener: TcpListener,
    pub address: SocketAddr,
    /// The asked-for port when it was busy and another one was taken.
    pub busy_port: Option<u16>,
}

/// Binds `bind:port`, or the next free port after it when it is busy. Port 0 lets
/// the system choose.
pub fn bind(bind: IpAddr, port: u16) -> Result<Bound> {
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

/// Starts answering requests on `listener`, from `snapshot`, in background threads.
pub fn start(listener: TcpListener, snapshot: Arc<SharedSnapshot>, hub: Arc<Hub>) -> Result<()> {
    let server = Arc::new(
        Server::from_listener(listener, None)
            .map_err(|e| anyhow::anyhow!("cannot start the HTTP server: {e}"))?,
    );
    for _ in 0..WORKERS {
        let (server, snapshot, hub) =
            (Arc::clone(&server), Arc::clone(&snapshot), Arc::clone(&hub));
        thread::Builder::new()
            .name("errbook-http".into())
            .spawn(move || {
                for request in server.incoming_requests() {
                    // A bug must cost one request (tiny_http answers 500), not a thread.
                    let _ = panic::catch_unwind(AssertUnwindSafe(|| {
                        answer(request, &snapshot, &hub);
                    }));
                }
            })
            .context("cannot start the HTTP threads")?;
    }
    Ok(())
}

fn answer(request: Request, snapshot: &SharedSnapshot, hub: &Hub) {
    if request.url() == LIVE_RELOAD_PATH {
        return accept_live_reload(request, snapshot, hub);
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response = Response::from_string("only GET and HEAD are served\n")
            .with_status_code(405)
            .with_header(header("Allow", "GET, HEAD"));
        let _ = request.respond(response);
        return;
    }
    let current = snapshot.current();
    let response = match &current.site {
        Some(site) => {
            let languages = site.kb().site.languages.codes();
            match route(
                request.url(),
                |path| current.file(path).is_some(),
                languages,
            ) {
                Route::File(path) => file_response(current.file(&path), 200, &current),
                Route::Redirect(location) => Response::from_data(Vec::new())
                    .with_status_code(302)
                    .with_header(header("Location", &location)),
                Route::NotFound(path) => file_response(current.file(&path), 404, &current),
            }
        }
        None => no_site_response(&current),
    };
    let _ = request.respond(response.with_header(header("Cache-Control", "no-store")));
}

/// The bytes of `file` with status `status`; HTML gets the live-reload script.
fn file_response(
    file: Option<&Arc<OutputFile>>,
    status: u16,
    snapshot: &Snapshot,
) -> Response<Cursor<Vec<u8>>> {
    let Some(file) = file else {
        return Response::from_string("not found\n").with_status_code(404);
    };
    let kind = content_type(&file.path);
    let bytes = if kind.starts_with("text/html") {
        inject_script(&file.bytes, &snapshot.build)
    } else {
        file.bytes.clone()
    };
    Response::from_data(bytes)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", kind))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

/// Until a first build succeeds: a page listing the problems, which the live-reload
/// script also shows in its overlay and replaces with the site once they are fixed.
fn no_site_response(snapshot: &Snapshot) -> Response<Cursor<Vec<u8>>> {
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
    Response::from_data(inject_script(html.as_bytes(), &snapshot.build))
        .with_status_code(503)
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
}

/// Upgrades the request to a WebSocket and hands it to the hub, which greets it with
/// the current build and, if the last rebuild failed, its problems.
fn accept_live_reload(request: Request, snapshot: &SharedSnapshot, hub: &Hub) {
    let value = |name: &'static str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str().to_string())
    };
    let upgrade = value("Upgrade").is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    let (Some(key), true) = (value("Sec-WebSocket-Key"), upgrade) else {
        let _ = request.respond(
            Response::from_string("this address takes WebSocket connections only\n")
                .with_status_code(400),
        );
        return;
    };
    let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
    let response = Response::empty(101).with_header(header("Sec-WebSocket-Accept", &accept));
    let stream = request.upgrade("websocket", response);
    hub.connect(stream, || greeting(&snapshot.current()));
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

pub fn problems_message(diagnostics: &Diagnostics) -> String {
    ReloadMessage::Problems { diagnostics }.encode()
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
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
