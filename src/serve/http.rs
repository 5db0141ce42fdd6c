//! The HTTP/1.1 that `serve` speaks: request heads read under limits and parsed by
//! httparse, and responses written whole from memory.
//!
//! `serve` answers GET and HEAD from memory, so it never needs a request body. Every
//! limit a hostile or broken client can meet is here: a head is at most [`MAX_HEAD`]
//! bytes and [`MAX_HEADERS`] headers, and must arrive within [`IDLE`]; a request that
//! announces a body is refused before a byte of it is read. docs/security.md says why
//! this replaces tiny_http.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// The largest request head read; browsers send 1–4 KiB.
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// The most headers a request may have.
const MAX_HEADERS: usize = 64;
/// How long a connection may wait for a whole request head, or idle between requests.
pub(crate) const IDLE: Duration = Duration::from_secs(5);
/// After a refusal, how long and how much of what the client still sends is read and
/// dropped, so that closing does not reset the connection before the refusal is read.
const LINGER: Duration = Duration::from_secs(2);
const LINGER_BYTES: usize = 64 * 1024 * 1024;

/// A request head, as `serve` needs it.
#[derive(Debug)]
pub(crate) struct Request {
    pub method: String,
    pub target: String,
    headers: Vec<(String, String)>,
    /// HTTP/1.0 or `Connection: close`: the connection ends after the reply.
    pub close: bool,
}

impl Request {
    /// The value of header `name` (any case), if present.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What reading the next request head gave.
#[derive(Debug)]
pub(crate) enum Head {
    Request(Request),
    /// A head refused with this status; the connection ends after saying so.
    Refused(u16),
    /// The client closed, or sent nothing in time.
    Gone,
}

/// Reads the next request head from `stream`. `buffer` keeps bytes read past it
/// (a pipelined request) for the next call.
pub(crate) fn read_head(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Head {
    let deadline = Instant::now() + IDLE;
    let mut chunk = [0u8; 4096];
    loop {
        match parse_head(buffer) {
            Parsed::Complete(request, length) => {
                buffer.drain(..length);
                return Head::Request(request);
            }
            Parsed::Refused(status) => return Head::Refused(status),
            Parsed::Partial if buffer.len() >= MAX_HEAD => return Head::Refused(431),
            Parsed::Partial => {}
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Head::Gone;
        }
        let room = (MAX_HEAD - buffer.len()).min(chunk.len());
        match stream.read(&mut chunk[..room]) {
            Ok(0) | Err(_) => return Head::Gone,
            Ok(read) => buffer.extend_from_slice(&chunk[..read]),
        }
    }
}

#[derive(Debug)]
enum Parsed {
    /// A whole head, and its length in bytes.
    Complete(Request, usize),
    Partial,
    Refused(u16),
}

fn parse_head(bytes: &[u8]) -> Parsed {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut head = httparse::Request::new(&mut headers);
    let length = match head.parse(bytes) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return Parsed::Partial,
        Err(httparse::Error::TooManyHeaders) => return Parsed::Refused(431),
        Err(_) => return Parsed::Refused(400),
    };
    let headers: Vec<(String, String)> = head
        .headers
        .iter()
        .map(|h| {
            let value = String::from_utf8_lossy(h.value).trim().to_string();
            (h.name.to_string(), value)
        })
        .collect();
    let has = |name: &str| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    let bodyless = |(name, value): &(String, String)| {
        !name.eq_ignore_ascii_case("Content-Length") || value == "0"
    };
    if has("Transfer-Encoding") || !headers.iter().all(bodyless) {
        return Parsed::Refused(413);
    }
    let keep_alive = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("Connection") && v.eq_ignore_ascii_case("keep-alive"));
    let close = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("Connection") && v.eq_ignore_ascii_case("close"));
    let request = Request {
        method: head.method.unwrap_or_default().to_string(),
        target: head.path.unwrap_or_default().to_string(),
        close: close || (head.version == Some(0) && !keep_alive),
        headers,
    };
    Parsed::Complete(request, length)
}

/// A response, written whole.
pub(crate) struct Response {
    pub status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    pub(crate) fn new(status: u16, body: Vec<u8>) -> Self {
        Response {
            status,
            headers: Vec::new(),
            body,
        }
    }

    /// A plain-text response, for refusals and errors.
    pub(crate) fn text(status: u16, text: &str) -> Self {
        Response::new(status, text.as_bytes().to_vec())
            .with_header("Content-Type", "text/plain; charset=utf-8")
    }

    pub(crate) fn with_header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    /// Writes the response; a HEAD request gets the head only. `close` says that the
    /// connection ends after it. A 101 is written as given: the connection changes hands.
    pub(crate) fn write_to(
        &self,
        stream: &mut impl Write,
        head_only: bool,
        close: bool,
    ) -> io::Result<()> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if self.status != 101 {
            head.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
            let connection = if close { "close" } else { "keep-alive" };
            head.push_str(&format!("Connection: {connection}\r\n"));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        if !head_only {
            bytes.extend_from_slice(&self.body);
        }
        stream.write_all(&bytes)?;
        stream.flush()
    }
}

/// Says `status` and ends the connection, reading what the client still sends for a
/// moment so that it sees the answer rather than a reset.
pub(crate) fn refuse(mut stream: TcpStream, status: u16) {
    let text = format!("{} {}\n", status, reason(status));
    if Response::text(status, &text)
        .write_to(&mut stream, false, true)
        .is_err()
    {
        return;
    }
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + LINGER;
    let mut sink = [0u8; 16 * 1024];
    let mut drained = 0;
    while drained < LINGER_BYTES {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(read) => drained += read,
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        101 => "Switching Protocols",
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(head: &str) -> Option<u16> {
        match parse_head(head.as_bytes()) {
            Parsed::Complete(..) => Some(200),
            Parsed::Partial => None,
            Parsed::Refused(status) => Some(status),
        }
    }

    #[test]
    fn heads_that_announce_a_body_or_break_the_syntax_are_refused() {
        let many_headers = format!("GET / HTTP/1.1\r\n{}\r\n", "X: y\r\n".repeat(65));
        let cases = [
            ("GET / HTTP/1.1\r\nHost: a\r\n\r\n", Some(200)),
            ("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", Some(200)),
            ("GET / HTTP/1.1\r\nHost: a\r\n", None),
            (
                "GET / HTTP/1.1\r\nContent-Length: 9223372036854775807\r\n\r\n",
                Some(413),
            ),
            (
                "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
                Some(413),
            ),
            (
                "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                Some(413),
            ),
            ("GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n", Some(413)),
            ("\u{0}\u{1} garbage\r\n\r\n", Some(400)),
            (many_headers.as_str(), Some(431)),
        ];
        for (head, expected) in cases {
            assert_eq!(status(head), expected, "{head:?}");
        }
    }

    #[test]
    fn http_1_0_and_connection_close_end_the_connection_after_the_reply() {
        let cases = [
            ("GET / HTTP/1.1\r\n\r\n", false),
            ("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", true),
            ("GET / HTTP/1.0\r\n\r\n", true),
            ("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", false),
        ];
        for (head, close) in cases {
            let Parsed::Complete(request, length) = parse_head(head.as_bytes()) else {
                panic!("{head:?} is a whole head");
            };
            assert_eq!(request.close, close, "{head:?}");
            assert_eq!(length, head.len());
        }
    }

    #[test]
    fn a_head_request_gets_the_length_of_the_body_without_it() {
        let response = Response::new(200, b"hello".to_vec()).with_header("X-A", "b");
        let mut bytes = Vec::new();
        response.write_to(&mut bytes, true, false).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "HTTP/1.1 200 OK\r\nX-A: b\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n"
        );
    }
}
