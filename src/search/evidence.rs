//! What a pasted error says about itself: the evidence that lookup weighs.
//!
//! A pasted error is redacted, then read in three ways at once:
//! - its structured fields, wherever they sit (a JSON body, a Python SDK repr, a Google
//!   `google.rpc.Status` with `details`, or a body embedded in a message): `code`,
//!   `type`, `status`, `reason` and the HTTP status;
//! - its HTTP status written as text (`Error code: 429`, `HTTP 503`, `… ClientError: 429`);
//! - its words and its phrase, for messages, free-standing codes and provider hints;
//! - the hosts of its URLs, which name providers (`search/providers.rs`).
//!
//! `static/search/evidence.js` reads errors the same way, with the key lists below (see
//! `rules.rs`); the golden fixtures check that both reach the same evidence and answers.

use std::collections::BTreeSet;

use super::literal::{Literal, find_objects};
use super::providers::hosts_in;
use super::redact::redact;
use super::tokenize::{phrase, words};

/// Longer pastes are cut here: an error body is never this long, and lookup stays fast.
pub(crate) const MAX_INPUT_CHARS: usize = 20_000;

/// How deep lookup reads bodies nested in messages (a JSON error inside a string).
pub(crate) const MAX_NESTING: usize = 3;

/// Keys whose value is an HTTP status (`{"status": 429}`), once lowercased.
pub(crate) const STATUS_KEYS: &[&str] = &[
    "code",
    "status",
    "status_code",
    "statuscode",
    "http_status",
    "httpstatus",
    "http_code",
];

/// Keys whose value is an error message.
pub(crate) const MESSAGE_KEYS: &[&str] =
    &["message", "msg", "detail", "error_description", "error"];

/// Keys whose string value is an identifier, and the list of the evidence it joins.
pub(crate) const LIST_KEYS: &[(&str, List)] = &[
    ("code", List::Codes),
    ("error_code", List::Codes),
    ("errorcode", List::Codes),
    ("type", List::Types),
    ("status", List::Statuses),
    ("reason", List::Reasons),
];

/// The words after which a three-digit number is an HTTP status (`Error code: 429`,
/// `HTTP/1.1 503`), besides names ending in `error` or `exception`.
pub(crate) const STATUS_PRECEDERS: &[&str] = &["code", "status", "http", "1.0", "1.1", "2"];

/// The identifier lists of [`Evidence`], by the name the browser gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum List {
    Codes,
    Types,
    Statuses,
    Reasons,
}

/// The evidence found in one pasted error. Identifiers are folded (lowercase).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub http_status: Option<u16>,
    pub codes: Vec<String>,
    pub types: Vec<String>,
    pub statuses: Vec<String>,
    pub reasons: Vec<String>,
    /// Every word of the text and of its decoded strings, whole and in parts.
    pub words: BTreeSet<String>,
    /// The text and its decoded strings as phrases, with a space at each end.
    pub phrase: String,
    /// Whether a structured field held a message (`message`, `detail`, `error`…).
    pub has_message: bool,
    /// Words written in capitals (`UNAVAILABLE`, `RESOURCE_EXHAUSTED`), folded: how codes
    /// stand out in a line of log.
    pub shouted: BTreeSet<String>,
    /// The hosts of the URLs in the text, folded (`console.groq.com`).
    pub hosts: Vec<String>,
}

impl Evidence {
    /// Reads `text`; `http_status` is the status the caller knows, if any, and wins.
    pub fn read(text: &str, http_status: Option<u16>) -> Evidence {
        let text: String = text.chars().take(MAX_INPUT_CHARS).collect();
        let text = redact(&text);
        let mut evidence = Evidence::default();
        let mut strings = Vec::new();
        for object in find_objects(&text) {
            evidence.collect(&object, "", &mut strings, 0);
        }
        let mut phrases = vec![phrase(&text)];
        for s in &strings {
            phrases.push(phrase(s));
        }
        for source in std::iter::once(&text).chain(&strings) {
            for word in words(source) {
                evidence.words.extend(word.parts);
                evidence.words.insert(word.whole);
            }
        }
        evidence.phrase = format!(" {} ", phrases.join(" | "));
        evidence.shouted = shouted_words(&text);
        evidence.hosts = hosts_in(&text);
        evidence.http_status = http_status
            .or(evidence.http_status)
            .or_else(|| status_in_text(&text));
        evidence
    }

    fn collect(&mut self, value: &Literal, key: &str, strings: &mut Vec<String>, depth: usize) {
        match value {
            Literal::Map(items) => {
                for (k, v) in items {
                    self.collect(v, &k.to_ascii_lowercase(), strings, depth);
                }
            }
            Literal::List(items) => {
                for v in items {
                    self.collect(v, key, strings, depth);
                }
            }
            Literal::Number(n) => {
                if is_status_key(key) {
                    self.note_status(*n);
                }
            }
            Literal::Str(s) => self.collect_string(s, key, strings, depth),
            Literal::Null | Literal::Bool(_) => {}
        }
    }

    fn collect_string(&mut self, s: &str, key: &str, strings: &mut Vec<String>, depth: usize) {
        let trimmed = s.trim();
        if let Ok(n) = trimmed.parse::<u16>()
            && is_status_key(key)
        {
            self.note_status(f64::from(n));
            return;
        }
        if !trimmed.is_empty() && is_message_key(key) {
            self.has_message = true;
        }
        let folded = trimmed.to_lowercase();
        let list = LIST_KEYS
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, list)| match list {
                List::Codes => &mut self.codes,
                List::Types => &mut self.types,
                List::Statuses => &mut self.statuses,
                List::Reasons => &mut self.reasons,
            });
        if let Some(list) = list
            && !folded.is_empty()
            && !list.contains(&folded)
        {
            list.push(folded);
        }
        strings.push(s.to_string());
        if depth < MAX_NESTING && trimmed.contains('{') {
            for object in find_objects(trimmed) {
                self.collect(&object, "", strings, depth + 1);
            }
        }
    }

    fn note_status(&mut self, n: f64) {
        if self.http_status.is_none() && n.fract() == 0.0 && (100.0..=599.0).contains(&n) {
            self.http_status = Some(n as u16);
        }
    }
}

/// ASCII words of letters, digits and `_` with at least four letters, all capitals.
fn shouted_words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| {
            w.bytes().filter(u8::is_ascii_alphabetic).count() >= 4
                && !w.bytes().any(|b| b.is_ascii_lowercase())
        })
        .map(str::to_ascii_lowercase)
        .collect()
}

fn is_message_key(key: &str) -> bool {
    MESSAGE_KEYS.contains(&key)
}

fn is_status_key(key: &str) -> bool {
    STATUS_KEYS.contains(&key)
}

/// An HTTP status written as text: a three-digit number after `code`, `status`, `http`
/// or an exception's name (`RateLimitError: 429`), or opening the text.
fn status_in_text(text: &str) -> Option<u16> {
    let wholes: Vec<String> = words(text).into_iter().map(|w| w.whole).collect();
    wholes.iter().enumerate().find_map(|(i, w)| {
        let n: u16 = w.parse().ok().filter(|n| (100..=599).contains(n))?;
        let after = |prev: &str| {
            STATUS_PRECEDERS.contains(&prev)
                || prev.ends_with("error")
                || prev.ends_with("exception")
        };
        (w.len() == 3 && (i == 0 || after(&wholes[i - 1]))).then_some(n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        text: &'static str,
        http: Option<u16>,
        codes: &'static [&'static str],
        types: &'static [&'static str],
        statuses: &'static [&'static str],
        reasons: &'static [&'static str],
    }

    #[test]
    fn evidence_is_read_from_every_form_of_error() {
        let cases = [
            Case {
                text: "Error code: 429 - {'error': {'message': 'You exceeded your current quota', 'type': 'insufficient_quota', 'param': None, 'code': 'insufficient_quota'}}",
                http: Some(429),
                codes: &["insufficient_quota"],
                types: &["insufficient_quota"],
                statuses: &[],
                reasons: &[],
            },
            Case {
                text: r#"{"error": {"code": 400, "message": "API key not valid.", "status": "INVALID_ARGUMENT", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com"}]}}"#,
                http: Some(400),
                codes: &[],
                types: &[],
                statuses: &["invalid_argument"],
                reasons: &["api_key_invalid"],
            },
            Case {
                text: "google.genai.errors.ClientError: 429 RESOURCE_EXHAUSTED. {'error': {'message': 'quota', 'status': 'RESOURCE_EXHAUSTED'}}",
                http: Some(429),
                codes: &[],
                types: &[],
                statuses: &["resource_exhausted"],
                reasons: &[],
            },
            Case {
                text: r#"{"detail": "{\"error\": {\"code\": \"model_not_found\", \"status\": 404}}"}"#,
                http: Some(404),
                codes: &["model_not_found"],
                types: &[],
                statuses: &[],
                reasons: &[],
            },
            Case {
                text: "HTTP/1.1 503 Service Unavailable",
                http: Some(503),
                codes: &[],
                types: &[],
                statuses: &[],
                reasons: &[],
            },
            Case {
                text: "You exceeded your current quota; 1234 tokens, try again in 429 ms",
                http: None,
                codes: &[],
                types: &[],
                statuses: &[],
                reasons: &[],
            },
        ];
        for case in cases {
            let e = Evidence::read(case.text, None);
            assert_eq!(e.http_status, case.http, "{}", case.text);
            assert_eq!(e.codes, case.codes, "{}", case.text);
            assert_eq!(e.types, case.types, "{}", case.text);
            assert_eq!(e.statuses, case.statuses, "{}", case.text);
            assert_eq!(e.reasons, case.reasons, "{}", case.text);
        }
    }

    #[test]
    fn the_callers_status_wins_and_secrets_never_reach_the_evidence() {
        let e = Evidence::read(
            "Error code: 401 - key sk-proj-abcdefghijklmnop is wrong",
            Some(403),
        );
        assert_eq!(e.http_status, Some(403));
        assert!(!e.phrase.contains("abcdefgh"), "{}", e.phrase);
        assert!(e.words.iter().all(|w| !w.contains("abcdefgh")));
    }
}
