//! `serve` under hostile and clumsy clients: oversized requests, idle and half-open
//! connections, running out of file descriptors, foreign `Host` and `Origin` headers.
//! Everything stays on loopback and stops by itself; after each abuse, a normal request
//! must still be answered quickly.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use tungstenite::client::IntoClientRequest;
use tungstenite::http::HeaderValue;

use crate::helper::KbTest;
use crate::helper::{PATIENCE, eventually};
use crate::served::Served;

const QUOTA_PAGE: &str = "/fr/openai/quota/";

/// Sends `bytes` (stopping quietly if the server closes first) and returns the status
/// of the reply, if one comes within `wait`.
fn status_of(address: SocketAddr, bytes: &[u8], wait: Duration) -> Option<u16> {
    let mut stream = TcpStream::connect(address).ok()?;
    stream.set_read_timeout(Some(wait)).unwrap();
    stream.set_write_timeout(Some(wait)).unwrap();
    for chunk in bytes.chunks(64 * 1024) {
        if stream.write_all(chunk).is_err() {
            break;
        }
    }
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    let text = String::from_utf8_lossy(&reply);
    text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

/// `GET path` as a browser on this machine sends it; the time the reply took.
fn timed_get(served: &Served, path: &str) -> (u16, Duration) {
    let start = Instant::now();
    let reply = served.get(path);
    (reply.status, start.elapsed())
}

/// Opens the live-reload WebSocket with this `Origin` (none when `None`): the status
/// of the refusal, or 101 when it is accepted.
fn live_reload_status(address: SocketAddr, origin: Option<&str>) -> u16 {
    let url = format!("ws://{address}/__errbook/livereload");
    let mut request = url.into_client_request().unwrap();
    if let Some(origin) = origin {
        let value = HeaderValue::from_str(origin).unwrap();
        request.headers_mut().insert("Origin", value);
    }
    let stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    match tungstenite::client(request, stream) {
        Ok(_) => 101,
        Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(response))) => {
            response.status().as_u16()
        }
        Err(e) => panic!("the handshake failed without an HTTP answer: {e}"),
    }
}

#[test]
fn a_request_claiming_an_enormous_body_is_refused_and_serve_lives_on() {
    let kb = KbTest::minimal();
    let mut served = kb.serve();
    for length in ["9223372036854775807", "18446744073709551615", "99999999999"] {
        let request = format!(
            "GET /fr/ HTTP/1.1\r\nHost: {}\r\nContent-Length: {length}\r\n\r\n",
            served.address
        );
        let status = status_of(served.address, request.as_bytes(), PATIENCE);
        assert_eq!(status, Some(413), "Content-Length: {length}");
    }
    assert!(served.is_running(), "{}", served.stderr());
    assert_eq!(served.get(QUOTA_PAGE).status, 200);
}

#[test]
#[cfg(target_os = "linux")] // prlimit
fn serve_keeps_accepting_after_running_out_of_file_descriptors() {
    let kb = KbTest::minimal();
    let mut served = kb.serve_under(&["prlimit", "--nofile=128:128"], &["--port", "0"], &[]);
    // More connections than descriptors: the extra ones are refused or wait, none
    // stops the listener.
    let held: Vec<_> = (0..150)
        .filter_map(|_| TcpStream::connect(served.address).ok())
        .collect();
    thread::sleep(Duration::from_millis(500));
    drop(held);
    let status = eventually(PATIENCE, || {
        Some(served.get(QUOTA_PAGE).status).filter(|s| *s == 200)
    });
    assert_eq!(status, Some(200), "{}", served.stderr());
    assert!(served.is_running());
}

#[test]
fn a_huge_header_is_refused_before_it_is_read_whole() {
    let kb = KbTest::minimal();
    let served = kb.serve();
    let mut request = format!("GET / HTTP/1.1\r\nHost: {}\r\nX-Big: ", served.address);
    request.push_str(&"a".repeat(16 * 1024 * 1024));
    let status = status_of(served.address, request.as_bytes(), PATIENCE);
    assert_eq!(status, Some(431));
    assert_eq!(served.get(QUOTA_PAGE).status, 200);
}

#[test]
fn an_idle_connection_is_closed_by_the_server() {
    let kb = KbTest::minimal();
    let served = kb.serve();
    let mut idle = TcpStream::connect(served.address).unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let start = Instant::now();
    let mut byte = [0u8; 1];
    let read = idle.read(&mut byte);
    assert!(matches!(read, Ok(0)) || read.is_err(), "{read:?}");
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn requests_for_a_foreign_host_are_refused_as_dns_rebinding() {
    let kb = KbTest::minimal();
    let served = kb.serve();
    let port = served.address.port();
    let ask = |host: &str| {
        served
            .request(&format!(
                "GET {QUOTA_PAGE} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            ))
            .status
    };
    for host in [
        "evil.example",
        &format!("evil.example:{port}"),
        "localhost.evil",
    ] {
        assert_eq!(ask(host), 403, "Host: {host}");
    }
    let loopback_names = [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        "app.localhost".to_string(),
    ];
    for host in loopback_names {
        assert_eq!(ask(&host), 200, "Host: {host}");
    }
}

#[test]
fn a_host_allowed_by_option_is_served() {
    let kb = KbTest::minimal();
    let served = kb.serve_with(&["--port", "0", "--allow-host", "docs.test"]);
    let reply = served.request(&format!(
        "GET {QUOTA_PAGE} HTTP/1.1\r\nHost: docs.test:{}\r\nConnection: close\r\n\r\n",
        served.address.port()
    ));
    assert_eq!(reply.status, 200);
}

#[test]
fn live_reload_refuses_pages_of_other_origins() {
    let kb = KbTest::minimal();
    kb.write("content/errors/openai/broken.yaml", "code: [unclosed\n");
    let served = kb.serve();
    for origin in [
        "http://evil.example",
        "null",
        "http://127.0.0.1.evil.example",
    ] {
        assert_eq!(
            live_reload_status(served.address, Some(origin)),
            403,
            "{origin}"
        );
    }
    let own = format!("http://{}", served.address);
    let own_name = format!("http://localhost:{}", served.address.port());
    assert_eq!(live_reload_status(served.address, Some(&own)), 101);
    assert_eq!(live_reload_status(served.address, Some(&own_name)), 101);
    assert_eq!(live_reload_status(served.address, None), 101);
}

/// Everything at once, as a bounded load-and-abuse run: the last ordinary request must
/// still be answered in under a second.
#[test]
fn serve_answers_quickly_after_a_bounded_load_and_abuse_run() {
    let started = Instant::now();
    let kb = KbTest::minimal();
    let mut served = kb.serve();
    let address = served.address;
    let host = format!("Host: {address}\r\n");

    let pages: Vec<_> = (0..40).map(|_| served.live_reload()).collect();
    let idle: Vec<_> = (0..30)
        .filter_map(|_| TcpStream::connect(address).ok())
        .collect();
    let half_open: Vec<_> = (0..30)
        .filter_map(|_| {
            let mut stream = TcpStream::connect(address).ok()?;
            stream.write_all(b"GET /fr/ HTTP/1.1\r\nHost: ").ok()?;
            Some(stream)
        })
        .collect();
    let hostile = [
        format!("GET / HTTP/1.1\r\n{host}X: {}\r\n\r\n", "h".repeat(1 << 20)),
        format!(
            "POST / HTTP/1.1\r\n{host}Content-Length: 4194304\r\n\r\n{}",
            "b".repeat(1 << 22)
        ),
        format!("GET / HTTP/1.1\r\n{host}Transfer-Encoding: chunked\r\n\r\nffffffff\r\n"),
        format!("GET /fr/ HTTP/1.1\r\n{host}Content-Length: 9223372036854775807\r\n\r\n"),
        "GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n".to_string(),
        format!(
            "GET /__errbook/livereload HTTP/1.1\r\n{host}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: null\r\n\r\n"
        ),
        "\u{0}\u{1}\u{2} garbage\r\n\r\n".to_string(),
    ];
    thread::scope(|scope| {
        for request in &hostile {
            scope.spawn(move || status_of(address, request.as_bytes(), Duration::from_secs(5)));
        }
        for _ in 0..8 {
            scope.spawn(|| {
                for _ in 0..25 {
                    assert_eq!(served.get(QUOTA_PAGE).status, 200);
                }
            });
        }
    });

    let (status, took) = timed_get(&served, QUOTA_PAGE);
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(1), "the last GET took {took:?}");
    assert!(served.is_running(), "{}", served.stderr());
    drop((pages, idle, half_open));
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}
