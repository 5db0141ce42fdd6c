//! Part of stage 3, render: the units a site is rendered in, and what each depends on.
//!
//! A *unit* is what renders as a whole: an entry's pages (HTML and Markdown, every
//! language), one shared page (home, provider, 404, search and lookup pages, the
//! language chooser), one redirect page. This file states once what a unit's files are
//! made from; `serve` compares those inputs with its previous render's, in memory
//! (`reuse.rs`), and `build` hashes them into the unit's [`Fingerprints`], which the
//! write stage compares with those the live site's manifest recorded.
//!
//! Every page depends on the *frame*: the site configuration, the providers, the
//! theme's templates and UI strings (no page embeds a static file), and errbook itself.
//! Besides:
//! - an entry's pages depend on that entry, and on no other entry;
//! - a home page depends on every entry, a provider's page on that provider's entries,
//!   and the 404, search and lookup pages and the language chooser on no entry;
//! - a redirect page depends on its entry and the languages it leads to.
//!
//! The data files (search and lookup indexes, catalogue, sitemap) and the static files
//! are not units: they are made afresh by every render.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::links::Redirect;
use super::pages::SharedPage;
use super::theme::Theme;
use crate::model::{Entry, KnowledgeBase, LangIndex};

/// One unit of the site.
pub(super) enum Unit<'k> {
    Entry(&'k Arc<Entry>),
    Shared(&'k SharedPage),
    Redirect(&'k Redirect),
}

/// What a unit's files are made from, besides the frame and the unit itself.
pub(super) struct Inputs<'k> {
    /// The entries the unit shows, in the order it shows them.
    pub entries: &'k [Arc<Entry>],
    /// The languages a redirect leads to; none for other units.
    pub languages: &'k [LangIndex],
}

impl<'k> Unit<'k> {
    /// What the unit's files are made from, in `kb`.
    pub(super) fn inputs(&self, kb: &'k KnowledgeBase) -> Inputs<'k> {
        let (entries, languages): (&[Arc<Entry>], &[LangIndex]) = match self {
            Unit::Entry(entry) => (std::slice::from_ref(*entry), &[]),
            Unit::Shared(SharedPage::Chooser | SharedPage::Fixed(_)) => (&[], &[]),
            Unit::Shared(SharedPage::Home(_)) => (&kb.entries, &[]),
            Unit::Shared(SharedPage::Provider(id, _)) => (kb.entries_of(id), &[]),
            Unit::Redirect(redirect) => {
                (std::slice::from_ref(&redirect.entry), &redirect.languages)
            }
        };
        Inputs { entries, languages }
    }

    /// What tells the unit from every other of the site.
    fn hash_identity(&self, hasher: &mut Xxh3) {
        match self {
            Unit::Entry(entry) => (0u8, &entry.provider, &entry.slug).hash(hasher),
            Unit::Shared(page) => (1u8, page).hash(hasher),
            Unit::Redirect(redirect) => (2u8, &redirect.path).hash(hasher),
        }
    }
}

impl Inputs<'_> {
    /// Whether two units are made from the same inputs; an entry that `serve` did not
    /// parse again is the same `Arc`, and is not compared field by field.
    pub(super) fn same_as(&self, other: &Inputs<'_>) -> bool {
        self.languages == other.languages
            && self.entries.len() == other.entries.len()
            && self
                .entries
                .iter()
                .zip(other.entries)
                .all(|(a, b)| Arc::ptr_eq(a, b) || a == b)
    }
}

/// The fingerprint of each unit of a site: a hash of the frame, of the unit itself and
/// of its inputs. Two renders of a unit with the same fingerprint write the same bytes.
pub(crate) struct Fingerprints<'k> {
    kb: &'k KnowledgeBase,
    frame: u128,
    /// Each entry's hash, by the address of the entry.
    entries: HashMap<usize, u128, foldhash::fast::RandomState>,
}

impl<'k> Fingerprints<'k> {
    /// The fingerprints of the units of `kb` rendered with `theme` by the errbook whose
    /// stamp is `program`.
    pub(crate) fn new(kb: &'k KnowledgeBase, theme: &Theme, program: u128) -> Self {
        let mut hasher = Xxh3::new();
        (program, theme.pages_fingerprint(), &kb.site, &kb.providers).hash(&mut hasher);
        let entries = kb
            .entries
            .par_iter()
            .map(|entry| {
                let mut hasher = Xxh3::new();
                entry.hash(&mut hasher);
                (address(entry), hasher.digest128())
            })
            .collect();
        Fingerprints {
            kb,
            frame: hasher.digest128(),
            entries,
        }
    }

    /// The fingerprint of `unit`.
    pub(super) fn of(&self, unit: &Unit<'_>) -> u128 {
        let mut hasher = Xxh3::new();
        hasher.write_u128(self.frame);
        unit.hash_identity(&mut hasher);
        let inputs = unit.inputs(self.kb);
        for entry in inputs.entries {
            hasher.write_u128(self.entries[&address(entry)]);
        }
        inputs.languages.hash(&mut hasher);
        hasher.digest128()
    }
}

fn address(entry: &Arc<Entry>) -> usize {
    Arc::as_ptr(entry) as usize
}
