//! Search and lookup, shared by the build and by `errbook lookup`.
//!
//! - `tokenize`: the one tokenizer (folding, elisions, codes whole and in parts);
//! - the per-language search index itself is built by `render/search.rs` with this
//!   tokenizer;
//! - `redact`, `literal`, `evidence`: a pasted error, secrets removed, read into evidence;
//! - `providers`: which provider the error names (SDK modules, hosts, hints);
//! - `matcher`: the entries' `match` rules against that evidence (`lookup.json`);
//! - `keys`: how lookup finds its candidates without reading every rule.
//!
//! - `rules`: the word lists and limits above, written for the browser.
//!
//! Everything here is pure, and `static/search/` is its port to the browser, reading its
//! lists from `rules`: the golden fixtures in `tests/fixtures/lookup/` and
//! `tests/fixtures/search/` hold both to the same answers.

mod closest;
pub(crate) mod evidence;
pub(crate) mod keys;
mod literal;
pub(crate) mod matcher;
pub(crate) mod providers;
pub(crate) mod redact;
pub(crate) mod report;
pub(crate) mod rules;
pub(crate) mod tokenize;

pub use evidence::Evidence;
pub(crate) use matcher::EntryRules;
pub use matcher::{Lookup, LookupIndex};
