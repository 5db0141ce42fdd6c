//! How the indexes are laid out in files (see `render/search.rs`), all content-hashed:
//! per language a manifest, term shards cut by sorted term ranges, and entry chunks;
//! for lookup, a keys file and chunks of match rules.

use serde::Serialize;

use super::search::{
    ENTRIES_PER_CHUNK, EntryRow, Index, Postings, SEARCH_VERSION, SECTION_BITS, SHARD_BYTES,
};
use super::{OutputFile, Sink};
use crate::search::LookupIndex;
use crate::search::keys::{LOOKUP_KEYS, LookupKeys};

/// Files handed to the sink at once: the shards and chunks of a large index are put as
/// they are made, never all held.
const FILES_PER_PUT: usize = 64;

/// Puts the shard and chunk files of one language into `sink` as they are made, and
/// returns its manifest.
pub(super) fn write_index(index: &Index, lang: &str, lookup_keys: &str, sink: &dyn Sink) -> String {
    #[derive(Serialize)]
    struct Manifest<'a> {
        version: u32,
        lang: &'a str,
        section_bits: u32,
        per_chunk: usize,
        /// `[first term, file]` of every term shard, in term order.
        shards: Vec<(String, String)>,
        chunks: &'a [String],
        lookup: &'a str,
    }
    let mut files = Vec::new();
    let mut shards = Vec::new();
    // The shard being filled: `{"term":[…],"term":[…]`, closed when it reaches its size.
    let mut shard: Vec<u8> = Vec::with_capacity(SHARD_BYTES + 1024);
    let mut first = String::new();
    for (term, postings) in &index.terms {
        if shard.is_empty() {
            first = term.clone();
            shard.push(b'{');
        } else {
            shard.push(b',');
        }
        serde_json::to_writer(&mut shard, term).expect("strings serialize");
        shard.push(b':');
        encode_postings(postings, &mut shard);
        if shard.len() >= SHARD_BYTES {
            shards.push((first.clone(), hashed_shard(lang, &mut shard, &mut files)));
            put_some(&mut files, sink);
        }
    }
    if shard.is_empty() && shards.is_empty() {
        // No term at all: one empty shard, so that the manifest always names one.
        shard.push(b'{');
    }
    if !shard.is_empty() {
        shards.push((first, hashed_shard(lang, &mut shard, &mut files)));
    }
    sink.put(files);
    let manifest = Manifest {
        version: SEARCH_VERSION,
        lang,
        section_bits: SECTION_BITS,
        per_chunk: ENTRIES_PER_CHUNK,
        shards,
        chunks: &index.chunks,
        lookup: lookup_keys,
    };
    serde_json::to_string(&manifest).expect("the manifest serializes")
}

/// The entry chunks of one language, written as the entries are indexed, in order, so
/// that the rows of every entry are never all held.
pub(super) struct EntryChunks<'a> {
    lang: &'a str,
    sink: &'a dyn Sink,
    /// The rows of the chunk being filled.
    rows: Vec<EntryRow>,
    files: Vec<OutputFile>,
    paths: Vec<String>,
}

impl<'a> EntryChunks<'a> {
    pub(super) fn new(lang: &'a str, sink: &'a dyn Sink) -> Self {
        EntryChunks {
            lang,
            sink,
            rows: Vec::with_capacity(ENTRIES_PER_CHUNK),
            files: Vec::new(),
            paths: Vec::new(),
        }
    }

    /// Adds the next entry's row.
    pub(super) fn push(&mut self, row: EntryRow) {
        self.rows.push(row);
        if self.rows.len() == ENTRIES_PER_CHUNK {
            self.write_chunk();
        }
    }

    /// Writes the last chunk, and returns the paths of every chunk, in order.
    pub(super) fn finish(mut self) -> Vec<String> {
        if !self.rows.is_empty() {
            self.write_chunk();
        }
        self.sink.put(std::mem::take(&mut self.files));
        self.paths
    }

    fn write_chunk(&mut self) {
        let json = serde_json::to_string(&self.rows).expect("entries serialize");
        self.rows.clear();
        let path = format!(
            "search/{}/e-{}.json",
            self.lang,
            content_hash(json.as_bytes())
        );
        self.files.push(OutputFile::new(path.clone(), json));
        put_some(&mut self.files, self.sink);
        self.paths.push(path);
    }
}

/// Puts `files` into `sink` once there are [`FILES_PER_PUT`] of them.
fn put_some(files: &mut Vec<OutputFile>, sink: &dyn Sink) {
    if files.len() >= FILES_PER_PUT {
        sink.put(std::mem::take(files));
    }
}

/// Entries per chunk of match rules.
pub(crate) const RULES_PER_CHUNK: usize = 64;

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

/// Closes one term shard (`{"term":[…],…}`) and writes it under its content hash;
/// returns its path. `shard` is left empty, for the next one.
fn hashed_shard(lang: &str, shard: &mut Vec<u8>, files: &mut Vec<OutputFile>) -> String {
    shard.push(b'}');
    let path = format!("search/{lang}/t-{}.json", content_hash(shard));
    files.push(OutputFile::new(path.clone(), shard.as_slice()));
    shard.clear();
    path
}

/// `[doc, weight, doc, weight…]` with each doc as the difference from the previous one.
fn encode_postings(postings: &Postings, out: &mut Vec<u8>) {
    let mut number = itoa::Buffer::new();
    out.push(b'[');
    for (i, (delta, weight)) in postings.deltas().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(number.format(delta).as_bytes());
        out.push(b',');
        out.extend_from_slice(number.format(weight).as_bytes());
    }
    out.push(b']');
}

/// A short content hash (FNV-1a, 64 bits) for file names and cache-busting queries.
pub(crate) fn content_hash(bytes: &[u8]) -> String {
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
        let cases: [(&[(u32, u32)], &str); 4] = [
            (&[], "[]"),
            (&[(64, 10)], "[64,10]"),
            (&[(3, 1), (64, 110), (130, 3)], "[3,1,61,110,66,3]"),
            // Values of several bytes each, up to the largest doc number.
            (
                &[(200, 300), (20_000, 1), (u32::MAX, 16_384)],
                "[200,300,19800,1,4294947295,16384]",
            ),
        ];
        for (postings, expected) in cases {
            let mut packed = Postings::default();
            for &(doc, weight) in postings {
                packed.push(doc, weight);
            }
            let mut out = Vec::new();
            encode_postings(&packed, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
    }

    #[test]
    fn entry_chunks_hold_the_entries_in_order_by_chunk() {
        let sink = std::sync::Mutex::new(Vec::new());
        let mut chunks = EntryChunks::new("fr", &sink);
        let rows = ENTRIES_PER_CHUNK * 2 + 6;
        for n in 0..rows {
            chunks.push((
                format!("p/e{n}"),
                String::new(),
                String::new(),
                String::new(),
                None,
                String::new(),
                Vec::new(),
            ));
        }
        let paths = chunks.finish();
        let files = sink.into_inner().unwrap();
        assert_eq!(paths.len(), 3);
        let ids: Vec<Vec<String>> = paths
            .iter()
            .map(|path| {
                assert!(path.starts_with("search/fr/e-"), "{path}");
                let file = files
                    .iter()
                    .find(|f| &f.path == path)
                    .expect("each chunk is put");
                let rows: Vec<EntryRow> = serde_json::from_slice(&file.bytes).unwrap();
                rows.into_iter().map(|row| row.0).collect()
            })
            .collect();
        let expected: Vec<String> = (0..rows).map(|n| format!("p/e{n}")).collect();
        assert_eq!(ids.concat(), expected);
        assert_eq!(ids[0].len(), ENTRIES_PER_CHUNK);
        assert_eq!(ids[2].len(), 6);
    }

    #[test]
    fn content_hashes_are_stable_and_differ_with_content() {
        assert_eq!(content_hash(b"errbook"), content_hash(b"errbook"));
        assert_ne!(content_hash(b"errbook"), content_hash(b"errbooK"));
        assert_eq!(content_hash(b"").len(), 12);
    }
}
