//! `import`: hand-written troubleshooting documents (Markdown) → an entry's YAML.
//!
//! The reverse of the Markdown export, beside the pipeline rather than in it: it reads
//! what authors wrote before errbook, so that they need not retype it. Pure, like the
//! stages: the command reads the files and the knowledge base, and writes the result.
//!
//! `outline` cuts a document into blocks with pulldown-cmark, `document` and `items`
//! find its sections and their items by the words of `vocabulary`, `merge` aligns the
//! documents of one error in several languages into one entry, and `yaml` writes it as
//! an author would. Whatever finds no field of its own goes to the entry's `context`,
//! with a warning naming its line: nothing is dropped.

mod document;
mod ids;
mod items;
mod lists;
mod merge;
mod outline;
mod providers;
mod summary;
mod vocabulary;
mod yaml;

use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Diagnostics, Position};
use crate::model::{ChoiceKind, Date, Languages, Provider};
use crate::render::theme::Strings;

pub(crate) use document::read_document;
pub(crate) use merge::{Draft, NewProvider};
pub(crate) use summary::render_summary;
pub(crate) use vocabulary::{Kind, Label, Vocabulary};

/// A text of a document, with the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub text: String,
    pub line: usize,
}

/// A titled item: a cause, a step, a check (its title is its text), an option, a
/// question (its body is the answer), a source (its one link), or unplaced text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item {
    pub line: usize,
    pub title: String,
    pub body: Option<String>,
    pub kind: Option<ChoiceKind>,
    /// `(label, url)`.
    pub links: Vec<(String, String)>,
}

impl Item {
    pub(crate) fn new(line: usize, title: &str, body: Option<String>) -> Item {
        Item {
            line,
            title: title.trim().to_string(),
            body,
            kind: None,
            links: Vec::new(),
        }
    }
}

/// An alternative provider as a document presents it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AlternativeFound {
    pub line: usize,
    pub name: String,
    pub tagline: Option<String>,
    /// `Models`, `Quota`, `ApiKey` and `EnvVar` lines.
    pub fields: Vec<(Label, String)>,
    pub note: Option<String>,
}

/// A section recognised: its kind, how many items it gave, and its line.
pub(crate) type SectionFound = (Kind, usize, usize);

/// Something to say about a line of a document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Warning {
    pub line: usize,
    pub message: String,
    pub hint: Option<String>,
}

/// One document, read: what it says, field by field, in its language.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    /// `None` when neither the command line, the file name nor the headings tell.
    pub lang: Option<String>,
    pub title: Option<Found>,
    pub updated: Option<(Date, usize)>,
    pub received: Option<Found>,
    pub code: Option<String>,
    pub http_status: Option<u16>,
    pub meaning: Option<Found>,
    pub context: Vec<Item>,
    pub causes: Vec<Item>,
    pub steps: Vec<Item>,
    pub alternatives_intro: Option<Found>,
    pub alternatives: Vec<AlternativeFound>,
    pub checklist: Vec<Item>,
    pub options: Vec<Item>,
    pub faq: Vec<Item>,
    pub support: Vec<(Label, String)>,
    pub recap: Option<Found>,
    pub sources: Vec<Item>,
    /// Text with no field of its own, kept in `context`.
    pub unplaced: Vec<Item>,
    pub found: Vec<SectionFound>,
    pub warnings: Vec<Warning>,
}

impl Parsed {
    pub(crate) fn items_mut(&mut self, kind: Kind) -> &mut Vec<Item> {
        match kind {
            Kind::Context => &mut self.context,
            Kind::Causes => &mut self.causes,
            Kind::Steps => &mut self.steps,
            Kind::Options => &mut self.options,
            Kind::Faq => &mut self.faq,
            Kind::Checklist => &mut self.checklist,
            Kind::Sources => &mut self.sources,
            _ => &mut self.unplaced,
        }
    }

    /// How many items of `kind` have been read so far.
    pub(crate) fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Meaning => usize::from(self.meaning.is_some()),
            Kind::Recap => usize::from(self.recap.is_some()),
            Kind::Alternatives => self.alternatives.len(),
            Kind::Support => self.support.len(),
            Kind::Context => self.context.len(),
            Kind::Causes => self.causes.len(),
            Kind::Steps => self.steps.len(),
            Kind::Options => self.options.len(),
            Kind::Faq => self.faq.len(),
            Kind::Checklist => self.checklist.len(),
            Kind::Sources => self.sources.len(),
        }
    }
}

/// A document to import: its file (for messages), its text, and its language when the
/// command line or the file name says it.
pub(crate) struct Document {
    pub file: PathBuf,
    pub text: String,
    pub lang: Option<String>,
}

/// What the import needs to know of the knowledge base it imports into.
pub(crate) struct Target<'a> {
    pub languages: &'a Languages,
    /// The theme's UI strings of each language: the words the export writes.
    pub strings: &'a [(String, Strings)],
    pub providers: &'a [Provider],
    /// `--provider` and `--code`, when given.
    pub provider: Option<&'a str>,
    pub code: Option<&'a str>,
}

/// An import's result: the entry, the providers it introduces, what was read (for the
/// summary) and every warning, with its document's line.
pub(crate) struct Imported {
    pub draft: Draft,
    pub new_providers: Vec<NewProvider>,
    /// Each document's language and the sections found in it.
    pub documents: Vec<(String, Vec<SectionFound>)>,
    pub warnings: Diagnostics,
}

/// Reads `documents` (the same error in one language each) into one entry for
/// `target`; `Err` says why no entry can be made (no provider or code to name it by).
pub(crate) fn import_documents(
    documents: &[Document],
    target: &Target<'_>,
) -> Result<Imported, String> {
    let vocabulary = Vocabulary::new(target.strings);
    let mut parsed = Vec::new();
    for doc in documents {
        let mut read = read_document(&doc.text, doc.lang.as_deref(), &vocabulary);
        let lang = read
            .lang
            .take()
            .unwrap_or_else(|| target.languages.default_code().to_string());
        if target.languages.index_of(&lang).is_none() {
            let known = target.languages.codes().join(", ");
            return Err(format!(
                "{} is in `{lang}`, which is not a language of this site ({known})",
                doc.file.display()
            ));
        }
        read.lang = Some(lang);
        parsed.push(read);
    }
    let merged = merge::merge(&mut parsed, target)?;
    let mut warnings = Diagnostics::default();
    for (doc, read) in documents.iter().zip(&parsed) {
        for w in &read.warnings {
            let mut position = Position::in_source(&doc.text, w.line, 1, 1);
            position.width = position.source_line.chars().count();
            let mut diagnostic = Diagnostic::warning(&doc.file, &w.message).at(position);
            diagnostic.hint = w.hint.clone();
            warnings.push(diagnostic);
        }
    }
    Ok(Imported {
        draft: merged.0,
        new_providers: merged.1,
        documents: parsed
            .into_iter()
            .map(|p| (p.lang.unwrap_or_default(), p.found))
            .collect(),
        warnings,
    })
}

/// The YAML of an import: the entry, and each new provider's file, with their paths
/// relative to the knowledge-base root.
pub(crate) fn render_import(imported: &Imported, languages: &Languages) -> Vec<(String, String)> {
    let draft = &imported.draft;
    let mut files = vec![(
        format!("content/errors/{}/{}.yaml", draft.provider, draft.slug),
        yaml::write_entry(draft, languages),
    )];
    for provider in &imported.new_providers {
        files.push((
            format!("content/providers/{}.yaml", provider.id),
            yaml::write_provider(provider, languages),
        ));
    }
    files
}
