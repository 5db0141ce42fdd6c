//! How the indexes are laid out in files (see `render/search.rs`), all content-hashed:
//! per language a manifest, term shards cut by sorted term ranges, and entry chunks;
//! for lookup, a keys file and chunks of match rules.

use std::fmt::Write as _;

use serde::Serialize;

use super::OutputFile;
use super::search::{ENTRIES_PER_CHUNK, Index, SEARCH_VERSION, SECTION_BITS, SHARD_BYTES};
use crate::search::LookupIndex;
use crate::search::keys::{LOOKUP_KEYS, LookupKeys};

/// The manifest of one language, and its shard and chunk files.
pub(super) fn write_index(
    index: &Index,
    lang: &str,
    lookup_keys: &str,
) -> (String, Vec<OutputFile>) {
    #[derive(Serialize)]
    struct Manifest<'a> {
        version: u32,
        lang: &'a str,
        section_bits: u32,
        per_chunk: usize,
        /// `[first term, file]` of every term shard, in term order.
        shards: Vec<(String, String)>,
        chunks: Vec<String>,
        lookup: &'a str,
    }
    let mut files = Vec::new();
    let mut shards = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut first = String::new();
    let mut size = 0;
    for (term, postings) in &index.terms {
        if current.is_empty() {
            first = term.clone();
        }
        let item = format!(
            "{}:{}",
            serde_json::to_string(term).expect("strings serialize"),
            encode_postings(postings)
        );
        size += item.len() + 1;
        current.push(item);
        if size >= SHARD_BYTES {
            shards.push((first.clone(), hashed_file(lang, "t", &current, &mut files)));
            current.clear();
            size = 0;
        }
    }
    if !current.is_empty() || shards.is_empty() {
        shards.push((first, hashed_file(lang, "t", &current, &mut files)));
    }
    let chunks = index
        .entries
        .chunks(ENTRIES_PER_CHUNK)
        .map(|rows| {
            let json = serde_json::to_string(rows).expect("entries serialize");
            let path = format!("search/{lang}/e-{}.json", content_hash(json.as_bytes()));
            files.push(OutputFile::new(path.clone(), json));
            path
        })
        .collect();
    let manifest = Manifest {
        version: SEARCH_VERSION,
        lang,
        section_bits: SECTION_BITS,
        per_chunk: ENTRIES_PER_CHUNK,
        shards,
        chunks,
        lookup: lookup_keys,
    };
    let json = serde_json::to_string(&manifest).expect("the manifest serializes");
    (json, files)
}

/// Entries per chunk of match rules.
pub const RULES_PER_CHUNK: usize = 64;

/// The lookup files for the browser and for `errbook lookup` on a built site:
/// `lookup/r-<hash>.json` chunks of rules, and `lookup/keys.json` ([`LookupKeys`]), so
/// that a lookup reads the keys and the few chunks of its candidates rather than every
/// rule. Returns the keys file's path with its version (`lookup/keys.json?v=…`).
pub(super) fn write_lookup_keys(lookup: &LookupIndex, files: &mut Vec<OutputFile>) -> String {
    let chunks = lookup
        .entries
        .chunks(RULES_PER_CHUNK)
        .map(|rules| {
            let json = serde_json::to_string(rules).expect("rules serialize");
            let path = format!("lookup/r-{}.json", content_hash(json.as_bytes()));
            files.push(OutputFile::new(path.clone(), json));
            path
        })
        .collect();
    let keys = LookupKeys::new(lookup, RULES_PER_CHUNK, chunks);
    let json = serde_json::to_string(&keys).expect("lookup keys serialize");
    let versioned = format!("{LOOKUP_KEYS}?v={}", content_hash(json.as_bytes()));
    files.push(OutputFile::new(LOOKUP_KEYS.into(), json));
    versioned
}

/// Writes one term shard (`{"term":[…],…}`) under its content hash; returns its path.
fn hashed_file(lang: &str, kind: &str, items: &[String], files: &mut Vec<OutputFile>) -> String {
    let json = format!("{{{}}}", items.join(","));
    let path = format!(
        "search/{lang}/{kind}-{}.json",
        content_hash(json.as_bytes())
    );
    files.push(OutputFile::new(path.clone(), json));
    path
}

/// `[doc, weight, doc, weight…]` with each doc as the difference from the previous one.
fn encode_postings(postings: &[(u32, u32)]) -> String {
    let mut out = String::from("[");
    let mut previous = 0;
    for (i, (doc, weight)) in postings.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{},{weight}", doc - previous);
        previous = *doc;
    }
    out.push(']');
    out
}

/// A short content hash (FNV-1a, 64 bits) for file names and cache-busting queries.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:012x}", hash >> 16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_are_delta_coded_pairs() {
        let cases: [(&[(u32, u32)], &str); 3] = [
            (&[], "[]"),
            (&[(64, 10)], "[64,10]"),
            (&[(3, 1), (64, 110), (130, 3)], "[3,1,61,110,66,3]"),
        ];
        for (postings, expected) in cases {
            assert_eq!(encode_postings(postings), expected);
        }
    }

    #[test]
    fn content_hashes_are_stable_and_differ_with_content() {
        assert_eq!(content_hash(b"errbook"), content_hash(b"errbook"));
        assert_ne!(content_hash(b"errbook"), content_hash(b"errbooK"));
        assert_eq!(content_hash(b"").len(), 12);
    }
}
