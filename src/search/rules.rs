//! The search rules the browser needs, taken from the Rust constants that define them.
//!
//! The browser cuts queries, redacts pastes and reads errors with the same word lists
//! and limits as this crate (stop words, elisions, secret prefixes, the keys of a JSON
//! error…). Rather than a hand copy in JavaScript, the theme writes them at the head of
//! the assembled `search.js` (`render/script.rs`), as `var RULES = {…};`, so that a change
//! here reaches both sides at once. The scores of the matcher travel in `lookup.json`.

use serde::Serialize;

use super::evidence::{
    LIST_KEYS, List, MAX_INPUT_CHARS, MAX_NESTING, MESSAGE_KEYS, STATUS_KEYS, STATUS_PRECEDERS,
};
use super::literal::{MAX_ATTEMPTS, MAX_DEPTH};
use super::providers::HOST_ENDS;
use super::redact::{MIN_SECRET_LEN, REDACTED, SECRET_PREFIXES};
use super::tokenize::{ELISIONS, STOP_WORDS};

/// Every rule the browser's search and lookup read, as one JSON object.
#[derive(Serialize)]
struct Rules {
    stop_words: &'static [&'static str],
    elisions: &'static [&'static str],
    secret_prefixes: &'static [&'static str],
    min_secret_len: usize,
    redacted: &'static str,
    max_input_chars: usize,
    max_nesting: usize,
    max_depth: usize,
    max_attempts: usize,
    status_keys: &'static [&'static str],
    message_keys: &'static [&'static str],
    list_keys: &'static [(&'static str, List)],
    status_preceders: &'static [&'static str],
    host_ends: &'static str,
}

/// The JavaScript statement that declares the rules: `var RULES = {…};`.
pub(crate) fn rules_script() -> String {
    let rules = Rules {
        stop_words: STOP_WORDS,
        elisions: ELISIONS,
        secret_prefixes: SECRET_PREFIXES,
        min_secret_len: MIN_SECRET_LEN,
        redacted: REDACTED,
        max_input_chars: MAX_INPUT_CHARS,
        max_nesting: MAX_NESTING,
        max_depth: MAX_DEPTH,
        max_attempts: MAX_ATTEMPTS,
        status_keys: STATUS_KEYS,
        message_keys: MESSAGE_KEYS,
        list_keys: LIST_KEYS,
        status_preceders: STATUS_PRECEDERS,
        host_ends: HOST_ENDS,
    };
    let json = serde_json::to_string(&rules).expect("the rules are plain data");
    format!("var RULES = {json};\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_are_one_javascript_statement_holding_the_rust_lists() {
        let script = rules_script();
        let json = script
            .strip_prefix("var RULES = ")
            .and_then(|s| s.strip_suffix(";\n"))
            .expect("one statement");
        let rules: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(
            rules["stop_words"].as_array().unwrap().len(),
            STOP_WORDS.len()
        );
        assert_eq!(rules["elisions"][9], "jusqu");
        assert_eq!(rules["secret_prefixes"][0], "sk-");
        assert_eq!(rules["list_keys"][0], serde_json::json!(["code", "codes"]));
        assert_eq!(rules["max_input_chars"], 20_000);
    }
}
