//! The search index of each language and the site's lookup index, as output files.
//!
//! Each language gets a small manifest, `search-index.<lang>.json`, that pages load on
//! the first focus of the search box (always revalidated: it is the one file without a hash, so that caches stay
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
//! Languages, and entries within a language, are indexed in parallel; `shards.rs`
//! lays the files out. The terms of each entry are looked up in a memo of the cache
//! ([`SearchMemos`]), under a hash of the entry's documents, so that an entry indexed as
//! it is by an earlier build is not tokenized again; the pipeline reads the memos
//! before and saves them after. `lookup.json` holds the match rules of
//! every entry (`search::matcher`).

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use super::shards::{EntryChunks, write_index, write_lookup_keys};
use super::{OutputFile, Sink};
use pulldown_cmark::{Event, Parser};

use super::theme::Strings;
use crate::cache::{BuildCache, Memo};
use crate::model::{Entry, KnowledgeBase, LangIndex, Languages, item_anchor};
use crate::search::LookupIndex;
use crate::search::tokenize::{for_each_term, words};

pub(crate) const CODE: u32 = 100;
pub(crate) const TITLE: u32 = 10;
pub(crate) const SUMMARY: u32 = 3;
pub(crate) const BODY: u32 = 1;
/// Sections per entry, the top included; a document id is `entry << SECTION_BITS | section`.
pub(super) const SECTION_BITS: u32 = 6;
const MAX_SECTIONS: usize = 1 << SECTION_BITS;
/// The target size of one term shard, in bytes of JSON.
pub(crate) const SHARD_BYTES: usize = 24 * 1024;
pub(crate) const ENTRIES_PER_CHUNK: usize = 32;
/// Format version of the search files; bump it when their shape changes.
pub(crate) const SEARCH_VERSION: u32 = 1;

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

/// The memos of the search terms of entries, one per language in the site's order.
pub(crate) type SearchMemos = Vec<Memo<IndexedTerms>>;

/// The memos of search terms of the cache, for `languages`; nothing is read yet.
pub(crate) fn open_search_memos(cache: &BuildCache, languages: &Languages) -> Option<SearchMemos> {
    let codes = languages.codes();
    let memos = codes
        .iter()
        .map(|code| cache.memo(&format!("search-{code}"), MEMO_SOURCES));
    memos.collect()
}

/// Renders the lookup index and the search index of every language into `sink`, a
/// language at a time, each file as it is made, so that they are not all held at once. With
/// `memos`, the terms of entries indexed by an earlier run come from them, and the
/// terms found are added to them.
pub(crate) fn render_search(
    kb: &KnowledgeBase,
    strings: &[Strings],
    sink: &dyn Sink,
    memos: Option<&SearchMemos>,
) {
    let lookup = LookupIndex::build(kb, &kb.site.base_url);
    let lookup_json = serde_json::to_string(&lookup).expect("the lookup index serializes");
    let mut files = vec![OutputFile::new("lookup.json".into(), lookup_json)];
    let keys_path = write_lookup_keys(&lookup, &mut files);
    drop(lookup);
    sink.put(files);
    // A language at a time: each index is built in parallel already, and two held at
    // once would double what indexing a large knowledge base needs.
    for (lang, code) in kb.site.languages.iter() {
        let memo = memos.map(|memos| &memos[lang]);
        let chunks = EntryChunks::new(code, sink);
        let index = build_index(kb, lang, &strings[lang], memo, chunks);
        let manifest = write_index(&index, code, &keys_path, sink);
        drop(index);
        sink.put(vec![OutputFile::new(index_url(code), manifest)]);
    }
}

/// The search manifest of the language `code`, from the site root. Pages name it without
/// a version, so that they do not change when another entry does: the browser
/// revalidates it, and it names content-hashed shards.
pub(crate) fn index_url(code: &str) -> String {
    format!("search-index.{code}.json")
}

/// An entry as a search result shows it: `[id, title, provider, code, http, summary,
/// [[anchor, kind, section title], …]]`.
pub(super) type EntryRow = (
    String,
    String,
    String,
    String,
    Option<u16>,
    String,
    Vec<Section>,
);
pub(super) type Section = (String, u8, String);

/// One language's index in memory: the paths of its entry chunks (already written),
/// in order, and the terms with their postings.
pub(super) struct Index {
    pub chunks: Vec<String>,
    pub terms: Vec<(String, Postings)>,
}

/// A term's postings, `(doc, weight)` in increasing order of doc, packed as they are
/// added: each doc as the difference from the one before, then its weight, in LEB128.
/// Most take two or three bytes rather than eight: a language's postings are the
/// largest part of its index (7.8 million at 20,000 entries).
#[derive(Default)]
pub(super) struct Postings {
    bytes: Vec<u8>,
    last: u32,
}

impl Postings {
    /// Adds a posting; `doc` is past every doc added before.
    pub(super) fn push(&mut self, doc: u32, weight: u32) {
        debug_assert!(
            self.bytes.is_empty() || doc > self.last,
            "postings come in order"
        );
        leb128_push(&mut self.bytes, doc - self.last);
        leb128_push(&mut self.bytes, weight);
        self.last = doc;
    }

    /// Each posting as `(difference from the doc before, weight)`, in order.
    pub(super) fn deltas(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut bytes = self.bytes.iter();
        std::iter::from_fn(move || Some((leb128_next(&mut bytes)?, leb128_next(&mut bytes)?)))
    }
}

fn leb128_push(bytes: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        bytes.push((value as u8) | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
}

fn leb128_next(bytes: &mut std::slice::Iter<'_, u8>) -> Option<u32> {
    let mut value = 0;
    let mut shift = 0;
    loop {
        let byte = *bytes.next()?;
        value |= u32::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(value);
        }
        shift += 7;
    }
}

/// The term maps' hasher: fast on short strings, and seeded the same in every run. The
/// keys are our own terms, so SipHash's defence against crafted keys buys nothing here.
type TermHasher = foldhash::fast::FixedState;

/// Entries are indexed in parallel by batches of this many, then merged in order.
const BATCH: usize = 256;

/// What the terms of an entry are made by: a memo of them made by another version of
/// this code is another memo.
const MEMO_SOURCES: &[&str] = &[
    env!("CARGO_PKG_VERSION"),
    include_str!("search.rs"),
    include_str!("../search/tokenize.rs"),
];

/// One term (by its number in the entry) in one of the entry's documents (by its
/// number in the entry), with its weight there.
type Posting = (u32, u32, u32);

/// The terms of one entry, each once, and its postings, gathered a document at a time:
/// a term's text is kept once per entry, not once per document.
#[derive(Default)]
struct EntryTerms {
    /// The entry's terms, numbered in the order they were met.
    numbers: HashMap<String, u32, TermHasher>,
    /// By term number: the last document it was met in, its weight there, and the last
    /// field that added to it (a term counts once per field).
    current: Vec<(Option<u32>, u32, u32)>,
    /// The terms met in the document being gathered.
    met: Vec<u32>,
    postings: Vec<Posting>,
    doc: Option<u32>,
    field: u32,
}

/// An indexed entry: its terms by number, and its postings.
#[derive(Serialize, Deserialize)]
pub(crate) struct IndexedTerms {
    terms: Vec<String>,
    postings: Vec<Posting>,
}

impl EntryTerms {
    /// Adds every term of `text` to `doc`, once, with `weight`.
    fn add_text(&mut self, doc: u32, text: &str, weight: u32) {
        let field = self.start_field(doc);
        for_each_term(text, |term| self.add(term, weight, field));
    }

    /// A code, status or alias: its whole words weigh [`CODE`], its parts [`TITLE`].
    fn add_identifier(&mut self, doc: u32, id: &str) {
        self.add_text(doc, id, TITLE);
        let field = self.start_field(doc);
        for word in words(id) {
            self.add(&word.whole, CODE - TITLE, field);
        }
    }

    /// One term alone, as a field of its own.
    fn add_term(&mut self, doc: u32, term: &str, weight: u32) {
        let field = self.start_field(doc);
        self.add(term, weight, field);
    }

    /// Adds `weight` to `term` in the current document, once per field.
    fn add(&mut self, term: &str, weight: u32, field: u32) {
        let number = match self.numbers.get(term) {
            Some(&number) => number,
            None => {
                let number = self.current.len() as u32;
                self.numbers.insert(term.to_string(), number);
                self.current.push((None, 0, 0));
                number
            }
        };
        let (doc, total, last) = &mut self.current[number as usize];
        if *doc != self.doc {
            (*doc, *total, *last) = (self.doc, weight, field);
            self.met.push(number);
        } else if *last != field {
            *total += weight;
            *last = field;
        }
    }

    fn start_field(&mut self, doc: u32) -> u32 {
        if self.doc != Some(doc) {
            self.flush();
            self.doc = Some(doc);
        }
        self.field += 1;
        self.field
    }

    fn flush(&mut self) {
        if let Some(doc) = self.doc {
            let current = &self.current;
            let postings = self.met.drain(..).map(|n| (n, doc, current[n as usize].1));
            self.postings.extend(postings);
        }
    }

    /// The terms and the postings, document by document.
    fn finish(mut self) -> IndexedTerms {
        self.flush();
        let mut terms = vec![String::new(); self.current.len()];
        for (term, number) in self.numbers {
            terms[number as usize] = term;
        }
        IndexedTerms {
            terms,
            postings: self.postings,
        }
    }
}

/// The index of the language `lang`, its entry chunks written into `chunks` as the
/// entries are indexed.
fn build_index(
    kb: &KnowledgeBase,
    lang: LangIndex,
    strings: &Strings,
    memo: Option<&Memo<IndexedTerms>>,
    mut chunks: EntryChunks<'_>,
) -> Index {
    // Every term once, numbered; the postings of each, by number.
    let mut numbers: HashMap<String, u32, TermHasher> = HashMap::default();
    let mut postings: Vec<Postings> = Vec::new();
    for (b, batch) in kb.entries.chunks(BATCH).enumerate() {
        let indexed: Vec<(EntryRow, IndexedTerms)> = batch
            .par_iter()
            .map(|entry| {
                let provider = kb.provider(&entry.provider).map_or("", |p| p.name.as_str());
                let cx = EntryContext {
                    lang,
                    strings,
                    provider,
                };
                let (sections, terms) = index_entry(entry, &cx, memo);
                let row = (
                    entry.id(),
                    entry.title.get(lang).to_string(),
                    provider.to_string(),
                    entry.code.clone(),
                    entry.http_status,
                    entry.summary.get(lang).to_string(),
                    sections,
                );
                (row, terms)
            })
            .collect();
        for (i, (row, indexed)) in indexed.into_iter().enumerate() {
            chunks.push(row);
            let first_doc = ((b * BATCH + i) as u32) << SECTION_BITS;
            let global: Vec<u32> = indexed
                .terms
                .into_iter()
                .map(|term| {
                    let next = postings.len() as u32;
                    *numbers.entry(term).or_insert_with(|| {
                        postings.push(Postings::default());
                        next
                    })
                })
                .collect();
            for (term, doc, weight) in indexed.postings {
                postings[global[term as usize] as usize].push(first_doc | doc, weight);
            }
        }
    }
    let mut terms: Vec<(String, Postings)> = numbers
        .into_iter()
        .map(|(term, n)| (term, std::mem::take(&mut postings[n as usize])))
        .collect();
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Index {
        chunks: chunks.finish(),
        terms,
    }
}

/// What indexing an entry needs to know besides the entry.
struct EntryContext<'a> {
    lang: LangIndex,
    strings: &'a Strings,
    /// The provider's name.
    provider: &'a str,
}

/// A field of a document: its text, whether that text is Markdown (indexed by its
/// words, without markup), and its weight.
type Field<'a> = (Cow<'a, str>, bool, u32);

/// A section to index, and its fields.
type Document<'a> = (Section, Vec<Field<'a>>);

/// Indexes the sections of one entry: its sections in document order, and its terms,
/// from `memo` when an earlier run indexed the same documents.
fn index_entry(
    entry: &Entry,
    cx: &EntryContext<'_>,
    memo: Option<&Memo<IndexedTerms>>,
) -> (Vec<Section>, IndexedTerms) {
    let mut docs = documents(entry, cx);
    docs.truncate(MAX_SECTIONS);
    let terms = match memo {
        Some(memo) => {
            let key = memo_key(entry, &docs);
            memo.get(key).unwrap_or_else(|| {
                let terms = index_documents(entry, &docs);
                memo.put(key, &terms);
                terms
            })
        }
        None => index_documents(entry, &docs),
    };
    let sections = docs.into_iter().map(|(section, _)| section).collect();
    (sections, terms)
}

/// The terms of the documents of `entry`, numbered from 0 in the entry.
fn index_documents(entry: &Entry, docs: &[Document<'_>]) -> IndexedTerms {
    let mut index = EntryTerms::default();
    for (doc, (_, fields)) in docs.iter().enumerate() {
        let doc = doc as u32;
        for (text, markdown, weight) in fields {
            if *markdown {
                index.add_text(doc, &markdown_words(text), *weight);
            } else {
                index.add_text(doc, text, *weight);
            }
        }
        if doc == 0 {
            let ids = std::iter::once(&entry.code).chain(&entry.aliases);
            for id in ids {
                index.add_identifier(doc, id);
            }
            if let Some(status) = entry.http_status {
                index.add_term(doc, &status.to_string(), CODE);
            }
        }
    }
    index.finish()
}

/// The key of an entry's terms in the memo: a hash of everything [`index_documents`]
/// reads.
fn memo_key(entry: &Entry, docs: &[Document<'_>]) -> u128 {
    let mut hasher = Xxh3::new();
    // Each text with a number, and its length: no two different inputs hash the same
    // bytes.
    let mut add = |number: u64, text: &str| {
        hasher.update(&number.to_le_bytes());
        hasher.update(&(text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    };
    for ((anchor, kind, title), fields) in docs {
        add(u64::from(*kind), anchor);
        add(fields.len() as u64, title);
        for (text, markdown, weight) in fields {
            add(u64::from(*markdown) << 32 | u64::from(*weight), text);
        }
    }
    add(entry.aliases.len() as u64, &entry.code);
    for alias in &entry.aliases {
        add(0, alias);
    }
    let status = entry.http_status.map_or(0, |status| u64::from(status) + 1);
    add(status, "");
    hasher.digest128()
}

/// The documents of an entry, in [`Kind`] order: top, received, steps, causes, common
/// mistakes, meaning.
fn documents<'a>(entry: &'a Entry, cx: &EntryContext<'_>) -> Vec<Document<'a>> {
    let lang = cx.lang;
    let label = |key: &str| {
        cx.strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    };
    let plain = |text: &'a str, weight| (Cow::Borrowed(text), false, weight);
    let markdown = |text: &'a crate::model::Text| (Cow::Borrowed(text.get(lang)), true, BODY);
    let mut docs: Vec<Document> = Vec::new();
    let title = entry.title.get(lang);
    let top = vec![
        plain(title, TITLE),
        plain(entry.summary.get(lang), SUMMARY),
        (
            format!("{} {}", entry.provider, cx.provider).into(),
            false,
            BODY,
        ),
    ];
    docs.push(((String::new(), Kind::Top as u8, title.to_string()), top));
    if entry.message.is_some() || entry.received.is_some() {
        let fields = [&entry.received, &entry.message]
            .into_iter()
            .flatten()
            .map(|m| plain(m, TITLE))
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
        let mut fields = vec![plain(title.get(lang), TITLE)];
        fields.extend(body.map(markdown));
        let section = (
            item_anchor(prefix, id),
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
        docs.push((section, vec![markdown(meaning)]));
    }
    docs
}

/// The words of a Markdown text, for the tokenizer: its text and code, without markup.
fn markdown_words(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        if let Event::Text(t) | Event::Code(t) = event {
            out.push_str(&t);
            out.push(' ');
        }
    }
    out
}
