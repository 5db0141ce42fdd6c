//! The search index of each language and the site's lookup index, as output files.
//!
//! Each language gets a small manifest, `search-index.<lang>.json`, that pages load on
//! the first focus of the search box (referenced with `?v=<hash>` so that caches stay
//! right), and, under `search/<lang>/`, content-hashed files loaded on demand:
//!
//! - *term shards*: the sorted terms cut into files of about [`SHARD_BYTES`], each term
//!   with its postings `[doc, weight, …]` (doc ids delta-coded); the manifest lists the
//!   first term of every shard, so that a term or a prefix needs one or two shards;
//! - *entry chunks*: [`ENTRIES_PER_CHUNK`] entries each, with their sections (the
//!   documents that a search returns) and what a result shows.
//!
//! A document is one section of an entry, numbered `entry << 6 | section`: the entry's
//! top (title, code, HTTP status, aliases, summary), its received error and message,
//! what it means, each cause, step and common mistake. A term's weight in a document
//! adds up the fields it appears in: [`CODE`] for a whole code, status or alias,
//! [`TITLE`] for titles and messages, [`SUMMARY`], and [`BODY`] for the rest — so an
//! exact code comes first, then titles, then the rest.
//!
//! `lookup.json` holds the match rules of every entry (`search::matcher`).

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::OutputFile;
use super::markdown::markdown_to_text;
use super::theme::Strings;
use crate::model::{Entry, KnowledgeBase, LangIndex};
use crate::search::LookupIndex;
use crate::search::tokenize::{terms, words};

pub const CODE: u32 = 100;
pub const TITLE: u32 = 10;
pub const SUMMARY: u32 = 3;
pub const BODY: u32 = 1;
/// Sections per entry, the top included; a document id is `entry << SECTION_BITS | section`.
const SECTION_BITS: u32 = 6;
const MAX_SECTIONS: usize = 1 << SECTION_BITS;
/// The target size of one term shard, in bytes of JSON.
pub const SHARD_BYTES: usize = 24 * 1024;
pub const ENTRIES_PER_CHUNK: usize = 32;
/// Format version of the search files; bump it when their shape changes.
pub const SEARCH_VERSION: u32 = 1;

/// What a section is, in the order results of equal weight are shown. An entry's
/// documents are numbered in this order, so that the browser breaks ties by document
/// number without loading the entries first.
#[derive(Clone, Copy)]
enum Kind {
    Top = 0,
    Received = 1,
    Step = 2,
    Cause = 3,
    Faq = 4,
    Meaning = 5,
}

/// The search files of a site, and the URLs pages use to load them.
pub struct SearchFiles {
    pub files: Vec<OutputFile>,
    /// Per language, in the site's order: `search-index.fr.json?v=…`.
    pub index_urls: Vec<String>,
    /// `lookup.json?v=…`
    pub lookup_url: String,
}

/// Renders the search index of every language and the lookup index.
pub fn render_search(kb: &KnowledgeBase, strings: &[Strings]) -> SearchFiles {
    let lookup = LookupIndex::build(kb, &kb.site.base_url);
    let lookup_json = serde_json::to_string(&lookup).expect("the lookup index serializes");
    let lookup_url = format!("lookup.json?v={}", content_hash(lookup_json.as_bytes()));
    let mut files = vec![OutputFile::text("lookup.json".into(), lookup_json)];
    let mut index_urls = Vec::new();
    for (lang, code) in kb.site.languages.iter() {
        let index = build_index(kb, lang, &strings[lang]);
        let (manifest, mut shards) = write_index(&index, code, &lookup_url);
        let name = format!("search-index.{code}.json");
        index_urls.push(format!("{name}?v={}", content_hash(manifest.as_bytes())));
        files.push(OutputFile::text(name, manifest));
        files.append(&mut shards);
    }
    SearchFiles {
        files,
        index_urls,
        lookup_url,
    }
}

/// An entry as a search result shows it: `[id, title, provider, code, http, summary,
/// [[anchor, kind, section title], …]]`.
type EntryRow = (
    String,
    String,
    String,
    String,
    Option<u16>,
    String,
    Vec<Section>,
);
type Section = (String, u8, String);

/// One language's index in memory.
struct Index {
    entries: Vec<EntryRow>,
    terms: BTreeMap<String, Vec<(u32, u32)>>,
}

impl Index {
    /// Adds every term of `text` to `doc`, once, with `weight`.
    fn add_text(&mut self, doc: u32, text: &str, weight: u32) {
        let distinct: HashSet<String> = terms(text).into_iter().collect();
        for term in distinct {
            self.add_term(doc, term, weight);
        }
    }

    fn add_term(&mut self, doc: u32, term: String, weight: u32) {
        let postings = self.terms.entry(term).or_default();
        match postings.last_mut() {
            Some(last) if last.0 == doc => last.1 += weight,
            _ => postings.push((doc, weight)),
        }
    }

    /// A code, status or alias: its whole words weigh [`CODE`], its parts [`TITLE`].
    fn add_identifier(&mut self, doc: u32, id: &str) {
        self.add_text(doc, id, TITLE);
        let wholes: HashSet<String> = words(id).into_iter().map(|w| w.whole).collect();
        for whole in wholes {
            self.add_term(doc, whole, CODE - TITLE);
        }
    }
}

fn build_index(kb: &KnowledgeBase, lang: LangIndex, strings: &Strings) -> Index {
    let mut index = Index {
        entries: Vec::with_capacity(kb.entries.len()),
        terms: BTreeMap::new(),
    };
    for (i, entry) in kb.entries.iter().enumerate() {
        let provider = kb.provider(&entry.provider).map_or("", |p| p.name.as_str());
        let cx = EntryContext {
            lang,
            strings,
            provider,
        };
        let sections = add_entry(&mut index, i as u32, entry, &cx);
        index.entries.push((
            entry.id(),
            entry.title.get(lang).to_string(),
            provider.to_string(),
            entry.code.clone(),
            entry.http_status,
            entry.summary.get(lang).to_string(),
            sections,
        ));
    }
    index
}

/// What indexing an entry needs to know besides the entry.
struct EntryContext<'a> {
    lang: LangIndex,
    strings: &'a Strings,
    /// The provider's name.
    provider: &'a str,
}

/// Indexes the sections of one entry; returns them in document order.
fn add_entry(index: &mut Index, number: u32, entry: &Entry, cx: &EntryContext<'_>) -> Vec<Section> {
    let lang = cx.lang;
    let label = |key: &str| {
        cx.strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    };
    let text = |t: &crate::model::Text| markdown_to_text(t.get(lang));
    let mut docs: Vec<(Section, Vec<(String, u32)>)> = Vec::new();
    let title = entry.title.get(lang).to_string();
    let mut top = vec![
        (title.clone(), TITLE),
        (entry.summary.get(lang).into(), SUMMARY),
    ];
    top.push((format!("{} {}", entry.provider, cx.provider), BODY));
    docs.push(((String::new(), Kind::Top as u8, title), top));
    if entry.message.is_some() || entry.received.is_some() {
        let fields = [&entry.received, &entry.message]
            .into_iter()
            .flatten()
            .map(|m| (m.clone(), TITLE))
            .collect();
        let section = ("received".into(), Kind::Received as u8, label("received"));
        docs.push((section, fields));
    }
    let titled = entry
        .steps
        .iter()
        .map(|s| ("step", Kind::Step, &s.id, &s.title, s.body.as_ref()))
        .chain(entry.causes.iter().map(|c| {
            let body = c.body.as_ref();
            ("cause", Kind::Cause, &c.id, &c.title, body)
        }))
        .chain(
            entry
                .faq
                .iter()
                .map(|f| ("faq", Kind::Faq, &f.id, &f.question, Some(&f.answer))),
        );
    for (prefix, kind, id, title, body) in titled {
        let mut fields = vec![(title.get(lang).to_string(), TITLE)];
        fields.extend(body.map(|b| (text(b), BODY)));
        let section = (
            format!("{prefix}-{id}"),
            kind as u8,
            title.get(lang).to_string(),
        );
        docs.push((section, fields));
    }
    if let Some(meaning) = &entry.meaning {
        let section = (
            "meaning".into(),
            Kind::Meaning as u8,
            label("section_meaning"),
        );
        docs.push((section, vec![(text(meaning), BODY)]));
    }
    docs.truncate(MAX_SECTIONS);
    let mut sections = Vec::with_capacity(docs.len());
    for (local, (section, fields)) in docs.into_iter().enumerate() {
        let doc = number << SECTION_BITS | local as u32;
        for (field, weight) in fields {
            index.add_text(doc, &field, weight);
        }
        if local == 0 {
            let ids = std::iter::once(&entry.code).chain(&entry.aliases);
            for id in ids {
                index.add_identifier(doc, id);
            }
            if let Some(status) = entry.http_status {
                index.add_term(doc, status.to_string(), CODE);
            }
        }
        sections.push(section);
    }
    sections
}

/// The manifest of one language, and its shard and chunk files.
fn write_index(index: &Index, lang: &str, lookup_url: &str) -> (String, Vec<OutputFile>) {
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
            files.push(OutputFile::text(path.clone(), json));
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
        lookup: lookup_url,
    };
    let json = serde_json::to_string(&manifest).expect("the manifest serializes");
    (json, files)
}

/// Writes one term shard (`{"term":[…],…}`) under its content hash; returns its path.
fn hashed_file(lang: &str, kind: &str, items: &[String], files: &mut Vec<OutputFile>) -> String {
    let json = format!("{{{}}}", items.join(","));
    let path = format!(
        "search/{lang}/{kind}-{}.json",
        content_hash(json.as_bytes())
    );
    files.push(OutputFile::text(path.clone(), json));
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
        out.push_str(&format!("{},{weight}", doc - previous));
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
