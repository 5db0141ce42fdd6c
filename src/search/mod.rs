//! Search and lookup, shared by the build and by `errbook lookup`.
//!
//! - `tokenize`: the one tokenizer (folding, elisions, codes whole and in parts);
//! - the per-language search index itself is built by `render/search.rs` with this
//!   tokenizer;
//! - `redact`, `literal`, `evidence`: a pasted error, secrets removed, read into evidence;
//! - `matcher`: the entries' `match` rules against that evidence (`lookup.json`);
//! - `keys`: how lookup finds its candidates without reading every rule.
//!
//! Everything here is pure, and `static/search.js` is its port to the browser: the
//! golden fixtures in `tests/fixtures/lookup/` hold both to the same answers.

pub mod evidence;
pub mod keys;
mod literal;
pub mod matcher;
pub mod redact;
pub mod report;
pub mod tokenize;

pub use evidence::Evidence;
pub use matcher::{Candidate, EntryRules, Lookup, LookupIndex};
