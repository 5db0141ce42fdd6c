//! `Served`: a real `errbook serve` process on a free port, with the clients to talk to
//! it: raw HTTP requests (so that any path can be sent as is) and a live-reload
//! WebSocket. The process is killed when the test ends, however it ends.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use tungstenite::WebSocket;

use crate::helper::{KbTest, PATIENCE, eventually};

/// A running `errbook serve`.
pub struct Served {
    child: Child,
    pub address: SocketAddr,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl KbTest {
    /// Starts `errbook serve --port 0` on this knowledge base and waits until it answers.
    pub fn serve(&self) -> Served {
        self.serve_with(&["--port", "0"])
    }

    pub fn serve_with(&self, args: &[&str]) -> Served {
        self.serve_with_env(args, &[])
    }

    /// `errbook serve ARGS`, with these variables set in its environment.
    pub fn serve_with_env(&self, args: &[&str], vars: &[(&str, &str)]) -> Served {
        self.serve_under(&[], args, vars)
    }

    /// `errbook serve ARGS`, started by `wrapper` (e.g. `prlimit --nofile=N`) when not empty.
    pub fn serve_under(&self, wrapper: &[&str], args: &[&str], vars: &[(&str, &str)]) -> Served {
        let binary = env!("CARGO_BIN_EXE_errbook");
        let mut command = match wrapper.split_first() {
            Some((program, rest)) => {
                let mut command = Command::new(program);
                command.args(rest).arg(binary);
                command
            }
            None => Command::new(binary),
        };
        let mut child = command
            .arg("serve")
            .args(args)
            .arg("--root")
            .arg(self.root())
            .envs(vars.iter().copied())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("errbook starts");
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        let mut served = Served {
            child,
            address: "127.0.0.1:1".parse().unwrap(),
            stdout,
            stderr,
        };
        let line = served.wait_for_stdout(" on http://");
        let url = line.split(" on http://").nth(1).unwrap();
        served.address = url.split('/').next().unwrap().parse().unwrap();
        served
    }

    /// Replaces the first `from` with `to` in `rel`, asserting that it is there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} lacks {from:?}");
        self.write(rel, &text.replacen(from, to, 1))
    }

    /// Saves `rel` the way many editors do: write a temporary file, rename it over.
    pub fn rename_save(&self, rel: &str, text: &str) -> &Self {
        let temporary = format!("{rel}.tmp");
        self.write(&temporary, text);
        std::fs::rename(self.path(&temporary), self.path(rel)).unwrap();
        self
    }
}

fn collect(stream: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&text);
    thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            let mut text = sink.lock().unwrap();
            text.push_str(&line);
            text.push('\n');
        }
    });
    text
}

/// One HTTP response, its body as text.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Served {
    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits for a line of stdout that contains `needle`, and returns it.
    #[track_caller]
    pub fn wait_for_stdout(&self, needle: &str) -> String {
        self.wait_for_line(&self.stdout, needle)
    }

    #[track_caller]
    pub fn wait_for_stderr(&self, needle: &str) -> String {
        self.wait_for_line(&self.stderr, needle)
    }

    #[track_caller]
    fn wait_for_line(&self, text: &Mutex<String>, needle: &str) -> String {
        let found = eventually(PATIENCE * 2, || {
            let text = text.lock().unwrap();
            text.lines()
                .find(|l| l.contains(needle))
                .map(str::to_string)
        });
        found.unwrap_or_else(|| {
            panic!(
                "no line with {needle:?}\nstdout:\n{}\nstderr:\n{}",
                self.stdout(),
                self.stderr()
            )
        })
    }

    /// `GET target`, with the target sent exactly as given (no normalisation).
    pub fn get(&self, target: &str) -> Reply {
        self.request(&format!(
            "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        ))
    }

    /// Sends a raw request and reads the whole reply.
    pub fn request(&self, raw: &str) -> Reply {
        let mut stream = TcpStream::connect(self.address).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream.write_all(raw.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines.next().unwrap_or_default();
        let status = status.split(' ').nth(1).and_then(|s| s.parse().ok());
        let headers = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        Reply {
            status: status.unwrap_or_else(|| panic!("no status in {text:?}")),
            headers,
            body: body.to_string(),
        }
    }

    /// Waits until `GET path` gives a body that contains `needle`, and returns it.
    #[track_caller]
    pub fn wait_for_page(&self, path: &str, needle: &str) -> Reply {
        eventually(PATIENCE, || {
            Some(self.get(path)).filter(|r| r.body.contains(needle))
        })
        .unwrap_or_else(|| panic!("{path} never showed {needle:?}:\n{}", self.stdout()))
    }

    /// A live-reload client, greeted already (its `hello` is read).
    pub fn live_reload(&self) -> LiveReload {
        let stream = TcpStream::connect(self.address).unwrap();
        // The handshake waits as long as any answer may take on a busy machine; the
        // messages after it are polled, a short timeout at a time.
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let url = format!("ws://{}/__errbook/livereload", self.address);
        let (socket, _) = tungstenite::client(url, stream).expect("WebSocket handshake");
        socket
            .get_ref()
            .set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let mut client = LiveReload { socket };
        client.expect("hello");
        client
    }

    /// Whether the process still runs.
    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Sends Ctrl-C and waits for the process to end.
    #[cfg(unix)]
    pub fn interrupt(&mut self) -> ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(sent.success());
        let status = eventually(PATIENCE, || self.child.try_wait().unwrap());
        status.unwrap_or_else(|| panic!("serve did not stop:\n{}", self.stdout()))
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A WebSocket client of `serve`'s live reload, as a page holds one.
pub struct LiveReload {
    socket: WebSocket<TcpStream>,
}

impl LiveReload {
    /// The next message other than a keepalive, within `timeout`.
    pub fn next(&mut self, timeout: Duration) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            match self.socket.read() {
                Ok(message) if message.is_text() => {
                    let value: Value = serde_json::from_str(message.to_text().unwrap()).unwrap();
                    if value["type"] != "ping" {
                        return Some(value);
                    }
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("the live-reload connection failed: {e}"),
            }
        }
        None
    }

    /// The next message, which must be of type `kind`.
    #[track_caller]
    pub fn expect(&mut self, kind: &str) -> Value {
        match self.next(PATIENCE) {
            Some(message) if message["type"] == kind => message,
            Some(message) => panic!("expected a {kind:?} message, got {message}"),
            None => panic!("no {kind:?} message came"),
        }
    }
}
