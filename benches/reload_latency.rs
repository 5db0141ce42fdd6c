//! How long from saving an entry to the reload message reaching an open page.
//!
//! Runs a real `errbook serve` (release build) on a copy of a knowledge base (the
//! shipped one by default), holds a live-reload WebSocket like a page does, saves an
//! entry again and again (changing its `updated:` date, so that its pages change), and
//! reports the median time from the write to the `reload` message, and the same minus
//! the debounce window, which a save always waits on purpose.
//!
//! ```sh
//! cargo bench --bench reload_latency                          # the shipped knowledge base
//! cargo bench --bench reload_latency -- --root DIR --edits 50 # another one
//! ```

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tungstenite::WebSocket;

struct Options {
    root: PathBuf,
    edits: usize,
    entry: Option<PathBuf>,
}

fn main() {
    let options = parse_options();
    let copy = tempfile::tempdir().expect("a temporary folder");
    for dir in ["content", "templates", "static", "i18n"] {
        copy_tree(&options.root.join(dir), &copy.path().join(dir));
    }
    let entry = options
        .entry
        .clone()
        .unwrap_or_else(|| first_entry(copy.path()));
    let entry_path = copy.path().join(&entry);
    let original = std::fs::read_to_string(&entry_path).expect("the entry");
    assert!(
        original.contains("\nupdated: "),
        "{} has no `updated:` line",
        entry.display()
    );

    let mut server = Server::start(copy.path());
    let mut socket = server.live_reload();
    let mut latencies = Vec::with_capacity(options.edits);
    for edit in 0..options.edits {
        let day = 1 + edit % 28;
        let text = replace_updated(&original, &format!("2020-01-{day:02}"));
        // Let the previous save's events drain, so that each save is measured alone.
        std::thread::sleep(Duration::from_millis(150));
        let saved = Instant::now();
        std::fs::write(&entry_path, text).expect("save");
        wait_for_reload(&mut socket);
        latencies.push(saved.elapsed());
    }
    let rebuilds = server.rebuild_times();
    report(&options, &entry, &latencies, &rebuilds);
}

fn parse_options() -> Options {
    let mut options = Options {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        edits: 20,
        entry: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--root" => options.root = args.next().expect("--root DIR").into(),
            "--edits" => {
                options.edits = args.next().and_then(|n| n.parse().ok()).expect("--edits N")
            }
            "--entry" => options.entry = args.next().map(PathBuf::from),
            _ => {} // `cargo bench` passes --bench
        }
    }
    assert!(options.edits >= 10, "at least 10 edits make a median");
    options
}

fn report(options: &Options, entry: &Path, latencies: &[Duration], rebuilds: &[u64]) {
    let window = errbook::serve::DEBOUNCE;
    let mut sorted = latencies.to_vec();
    sorted.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    let median = at(0.5);
    println!("knowledge base: {}", options.root.display());
    println!(
        "entry saved:    {} ({} saves)",
        entry.display(),
        latencies.len()
    );
    println!("debounce window: {} ms", window.as_millis());
    println!(
        "save → reload message: median {:.1} ms, min {:.1}, p90 {:.1}, max {:.1}",
        ms(median),
        ms(sorted[0]),
        ms(at(0.9)),
        ms(sorted[sorted.len() - 1])
    );
    println!(
        "beyond the debounce window: median {:.1} ms",
        ms(median.saturating_sub(window))
    );
    if !rebuilds.is_empty() {
        let mut rebuilds = rebuilds.to_vec();
        rebuilds.sort();
        println!(
            "rebuild alone (as serve prints it): median {} ms",
            rebuilds[rebuilds.len() / 2]
        );
    }
}

fn replace_updated(text: &str, date: &str) -> String {
    text.lines()
        .map(|line| {
            if line.starts_with("updated: ") {
                format!("updated: {date}")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn first_entry(root: &Path) -> PathBuf {
    let errors = root.join("content/errors");
    let mut found: Vec<PathBuf> = walk(&errors)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    found.sort();
    found
        .first()
        .expect("an entry under content/errors")
        .strip_prefix(root)
        .unwrap()
        .to_path_buf()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let Ok(items) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for item in items.flatten() {
        let path = item.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn copy_tree(from: &Path, to: &Path) {
    for file in walk(from) {
        let target = to.join(file.strip_prefix(from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&file, &target).unwrap();
    }
}

/// `errbook serve` on a free port; killed on drop.
struct Server {
    child: Child,
    address: String,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_errbook"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("errbook serve starts");
        let (sender, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let mut seen = Vec::new();
        let address = loop {
            let line = lines
                .recv_timeout(Duration::from_secs(60))
                .expect("serve prints its address");
            if let Some((_, url)) = line.split_once(" on http://") {
                break url.split('/').next().unwrap().to_string();
            }
            seen.push(line);
        };
        Server {
            child,
            address,
            lines,
            seen,
        }
    }

    fn live_reload(&self) -> WebSocket<TcpStream> {
        let stream = TcpStream::connect(&self.address).expect("connects");
        stream.set_nodelay(true).unwrap();
        let url = format!("ws://{}/__errbook/livereload", self.address);
        let (mut socket, _) = tungstenite::client(url, stream).expect("handshake");
        let hello = socket.read().expect("hello");
        assert!(hello.to_text().unwrap().contains("\"hello\""));
        socket
    }

    /// The times of the rebuilds that serve printed (`… in 12 ms, …`).
    fn rebuild_times(&mut self) -> Vec<u64> {
        std::thread::sleep(Duration::from_millis(200));
        self.seen.extend(self.lines.try_iter());
        self.seen
            .iter()
            .filter(|line| line.contains(" changed: "))
            .filter_map(|line| {
                line.split(", in ")
                    .nth(1)?
                    .split(" ms")
                    .next()?
                    .parse()
                    .ok()
            })
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_for_reload(socket: &mut WebSocket<TcpStream>) {
    loop {
        let message = socket.read().expect("the server is alive");
        if let Ok(text) = message.to_text() {
            if text.contains("\"type\":\"reload\"") {
                return;
            }
            assert!(
                !text.contains("\"problems\""),
                "the edit broke the site: {text}"
            );
        }
    }
}
