//! A tiny static file server for the browser tests: `fetch()` needs http://, not file://.
//!
//! It serves one folder on 127.0.0.1 (a free port), folders as their `index.html`, and
//! anything else as `404.html` with status 404, like a static host; paths are checked,
//! and content types given, by `serve`'s own functions. One thread per connection; it
//! lives as long as the test process.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

use errbook::serve::{content_type, site_path};

/// Serves `root`; returns the server's base URL (`http://127.0.0.1:PORT/`).
pub fn serve(root: &Path) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port on loopback");
    let port = listener.local_addr().unwrap().port();
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || respond(stream, &root));
        }
    });
    format!("http://127.0.0.1:{port}/")
}

fn respond(mut stream: TcpStream, root: &Path) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let (status, file) = match resolve(root, path) {
        Some(file) => ("200 OK", file),
        None => ("404 Not Found", root.join("404.html")),
    };
    let body = std::fs::read(&file).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        content_type(&file.to_string_lossy()),
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// The file for a URL path, never outside `root` (the path is checked as `serve` checks it).
fn resolve(root: &Path, path: &str) -> Option<PathBuf> {
    let mut file = root.join(site_path(path)?);
    if file.is_dir() {
        file = file.join("index.html");
    }
    file.is_file().then_some(file)
}
