//! Live reload: the messages `serve` pushes to browsers, the script that receives them,
//! and the WebSocket clients they go to.
//!
//! Each open tab holds one WebSocket, upgraded from an HTTP request on the same
//! port. WebSocket rather than server-sent events or long polling: those hold one of
//! the browser's six HTTP/1.1 connections per host for every tab, so the seventh tab of
//! the site would never load. Each client has a thread that only writes; the browser
//! sends nothing that matters, and a failed write (the tab is gone) ends the thread.

use std::net::TcpStream;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

use serde::Serialize;
use tungstenite::protocol::Role;
use tungstenite::{Message, WebSocket};

use super::server::Slot;
use crate::diagnostic::Diagnostics;

/// Where pages open their WebSocket. Site paths are lowercase slugs, so it cannot clash.
pub(crate) const LIVE_RELOAD_PATH: &str = "/__errbook/livereload";

/// The browser side, put before `</body>` of every page `serve` sends.
const SCRIPT: &str = include_str!("livereload.js");

/// A write every so often, so that the thread of a closed tab notices and ends.
const KEEPALIVE: Duration = Duration::from_secs(30);

/// What `serve` tells the pages it served.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub(crate) enum ReloadMessage<'a> {
    /// Sent on connection: the current build, which the page compares with its own.
    Hello { build: &'a str },
    /// The site changed: reload the page.
    Reload { build: &'a str },
    /// Only these stylesheets changed (site paths): swap them, keep the page.
    Css { build: &'a str, paths: &'a [String] },
    /// The last rebuild failed: show these problems over the page.
    Problems { diagnostics: &'a Diagnostics },
    /// The problems are fixed and the site is as it was: hide them.
    Fixed,
    /// Keeps the connection checked; pages ignore it.
    Ping,
}

impl ReloadMessage<'_> {
    pub(crate) fn encode(&self) -> String {
        serde_json::to_string(self).expect("reload messages serialize")
    }
}

/// `html` with the live-reload script before its last `</body>` (or at its end).
/// `build` tells the page which build it shows.
pub(crate) fn inject_script(html: &[u8], build: &str) -> Vec<u8> {
    let at = find_last_ignore_case(html, b"</body>").unwrap_or(html.len());
    let tag = format!(
        "<script data-build=\"{}\">\n{SCRIPT}</script>\n",
        escape_attribute(build)
    );
    let mut page = Vec::with_capacity(html.len() + tag.len());
    page.extend_from_slice(&html[..at]);
    page.extend_from_slice(tag.as_bytes());
    page.extend_from_slice(&html[at..]);
    page
}

fn find_last_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window.eq_ignore_ascii_case(needle))
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// The open WebSocket clients.
#[derive(Default)]
pub(crate) struct Hub {
    clients: Mutex<Vec<Sender<Arc<str>>>>,
}

impl Hub {
    /// Adds a client on an upgraded connection. `greeting` is computed while no
    /// broadcast can run, so that the client misses no message between the two.
    pub(crate) fn connect(
        &self,
        stream: TcpStream,
        slot: Slot,
        greeting: impl FnOnce() -> Vec<String>,
    ) {
        let (sender, receiver) = mpsc::channel::<Arc<str>>();
        {
            let mut clients = self.lock();
            for message in greeting() {
                let _ = sender.send(message.into());
            }
            clients.push(sender);
        }
        let socket = WebSocket::from_raw_socket(stream, Role::Server, None);
        let spawned = thread::Builder::new()
            .name("errbook-livereload".into())
            .spawn(move || {
                // The place among live-reload clients is given back when the tab is gone.
                let _slot = slot;
                run_client(socket, &receiver);
            });
        if spawned.is_err() {
            // Out of threads: the page still works, without live reload.
            self.lock().pop();
        }
    }

    /// Sends `message` to every client, and forgets the clients that are gone.
    pub(crate) fn broadcast(&self, message: &ReloadMessage<'_>) {
        let text: Arc<str> = message.encode().into();
        self.lock()
            .retain(|client| client.send(Arc::clone(&text)).is_ok());
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Sender<Arc<str>>>> {
        // A panicking client thread cannot leave the list half-updated.
        self.clients
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Writes the client's messages until its tab is gone or the hub drops it.
fn run_client<S: std::io::Read + std::io::Write>(
    mut socket: WebSocket<S>,
    messages: &mpsc::Receiver<Arc<str>>,
) {
    let ping = ReloadMessage::Ping.encode();
    loop {
        let text = match messages.recv_timeout(KEEPALIVE) {
            Ok(text) => text.to_string(),
            Err(RecvTimeoutError::Timeout) => ping.clone(),
            Err(RecvTimeoutError::Disconnected) => break,
        };
        if socket.send(Message::text(text)).is_err() {
            return;
        }
    }
    let _ = socket.close(None);
    let _ = socket.flush();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Position};

    #[test]
    fn messages_are_json_objects_tagged_by_type() {
        let paths = ["static/style.css".to_string()];
        let diagnostics: Diagnostics = [
            Diagnostic::error("content/x.yaml", "bad").at(Position::in_source("a: b\n", 1, 4, 1))
        ]
        .into_iter()
        .collect();
        let cases = [
            (
                ReloadMessage::Hello { build: "b1" },
                r#"{"type":"hello","build":"b1"}"#,
            ),
            (
                ReloadMessage::Reload { build: "b2" },
                r#"{"type":"reload","build":"b2"}"#,
            ),
            (
                ReloadMessage::Css {
                    build: "b3",
                    paths: &paths,
                },
                r#"{"type":"css","build":"b3","paths":["static/style.css"]}"#,
            ),
            (
                ReloadMessage::Problems {
                    diagnostics: &diagnostics,
                },
                r#"{"type":"problems","diagnostics":[{"severity":"error","file":"content/x.yaml","position":{"line":1,"column":4,"width":1,"source_line":"a: b"},"message":"bad","hint":null}]}"#,
            ),
            (ReloadMessage::Fixed, r#"{"type":"fixed"}"#),
            (ReloadMessage::Ping, r#"{"type":"ping"}"#),
        ];
        for (message, json) in cases {
            assert_eq!(message.encode(), json);
        }
    }

    #[test]
    fn the_script_goes_before_the_last_closing_body_tag() {
        let cases: [(&str, &str); 4] = [
            ("<body><p>x</p></body></html>", "<body><p>x</p><script"),
            ("<BODY>x</BODY>", "<BODY>x<script"),
            ("<p>no body</p>", "<p>no body</p><script"),
            ("<pre></body></pre></body>", "<pre></body></pre><script"),
        ];
        for (html, starts) in cases {
            let page = String::from_utf8(inject_script(html.as_bytes(), "b\"1")).unwrap();
            assert!(page.starts_with(starts), "{html}: {page}");
            assert!(page.contains("<script data-build=\"b&quot;1\">"), "{page}");
            assert_eq!(page.matches("</script>").count(), 1, "{html}");
        }
    }

    #[test]
    fn the_script_cannot_close_its_own_tag_early() {
        assert!(!SCRIPT.to_ascii_lowercase().contains("</script"));
        assert!(!SCRIPT.contains("<!--"));
    }
}
