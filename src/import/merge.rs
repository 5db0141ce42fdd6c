//! The documents of one error, one per language, aligned into one entry.
//!
//! Part of `import`, after each document is read. Sections pair by kind, and their
//! items by position when every language has as many, of the same shape; otherwise
//! every language's items are kept, each in its own language, and a warning says where,
//! rather than a guess pairing the wrong texts. Alternatives pair by the provider they
//! name. The entry's provider, code and status come from the command line, or else
//! from the documents.

use super::ids::{derive_id, unique_ids};
use super::providers;
use super::{Item, Parsed, Target, Warning};
use crate::model::{ChoiceKind, Date, Support};
use crate::search::tokenize::phrase;

/// A text in some of the site's languages, `(code, text)`, in the site's order.
pub(crate) type Texts = Vec<(String, String)>;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DraftItem {
    pub id: String,
    pub title: Texts,
    pub body: Option<Texts>,
    pub kind: Option<ChoiceKind>,
    /// `(label, url)`; a source is an item with one link.
    pub links: Vec<(Texts, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DraftAlternative {
    pub provider: String,
    pub note: Option<Texts>,
}

/// The entry to write.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Draft {
    pub provider: String,
    pub slug: String,
    pub code: String,
    pub http_status: Option<u16>,
    pub updated: Date,
    pub received: Option<String>,
    pub title: Texts,
    pub meaning: Option<Texts>,
    pub context: Vec<DraftItem>,
    pub causes: Vec<DraftItem>,
    pub steps: Vec<DraftItem>,
    pub alternatives_intro: Option<Texts>,
    pub alternatives: Vec<DraftAlternative>,
    pub checklist: Vec<DraftItem>,
    pub options: Vec<DraftItem>,
    pub faq: Vec<DraftItem>,
    /// What the documents say of support that the provider's file does not.
    pub support: Support,
    pub recap: Option<Texts>,
    pub sources: Vec<DraftItem>,
}

/// A provider the knowledge base does not have yet.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewProvider {
    pub id: String,
    pub name: String,
    pub support: Support,
    pub profile: Option<Profile>,
}

/// How a new provider is presented as an alternative.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Profile {
    pub tagline: Texts,
    pub models: Texts,
    pub quota: Texts,
    pub signup: Option<String>,
    pub env_var: Option<String>,
}

/// Merges `docs` (their languages set, all different) into one draft.
pub(crate) fn merge(
    docs: &mut [Parsed],
    target: &Target<'_>,
) -> Result<(Draft, Vec<NewProvider>), String> {
    let lang_index = |p: &Parsed| {
        target
            .languages
            .index_of(p.lang.as_deref().unwrap_or(""))
            .unwrap_or(0)
    };
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| lang_index(&docs[i]));
    if order
        .windows(2)
        .any(|w| lang_index(&docs[w[0]]) == lang_index(&docs[w[1]]))
    {
        return Err("two documents are in the same language: give one document per language (and --lang when their headings do not tell)".into());
    }
    let lead = order[0];
    let texts = |f: &dyn Fn(&Parsed) -> Option<String>| -> Option<Texts> {
        let t: Texts = order
            .iter()
            .filter_map(|&i| f(&docs[i]).map(|text| (lang(&docs[i]), text)))
            .collect();
        (!t.is_empty()).then_some(t)
    };
    let title = texts(&|p| p.title.as_ref().map(|t| t.text.clone()));
    let meaning = texts(&|p| p.meaning.as_ref().map(|t| t.text.clone()));
    let recap = texts(&|p| p.recap.as_ref().map(|t| t.text.clone()));
    let intro = texts(&|p| p.alternatives_intro.as_ref().map(|t| t.text.clone()));
    let received = first_agreed(docs, &order, "error received", |p| {
        p.received.as_ref().map(|r| (r.text.clone(), r.line))
    });
    let updated = first_agreed(docs, &order, "date", |p| p.updated);
    let provider = entry_provider(docs, lead, target, title.as_ref())?;
    let code = match target.code {
        Some(code) => code.to_string(),
        None => docs[lead]
            .code
            .clone()
            .or_else(|| received.as_deref().and_then(code_in))
            .ok_or("cannot tell the error's code from the document: give it with --code")?,
    };
    let slug = derive_id(&code).ok_or(format!(
        "`{code}` gives no usable file name: give another --code"
    ))?;
    let http_status = docs[lead]
        .http_status
        .or_else(|| received.as_deref().and_then(status_in));
    let mut new_providers = Vec::new();
    let alternatives = providers::merge_alternatives(docs, &order, target, &mut new_providers);
    let support = providers::merge_support(docs, &order, target, &provider, &mut new_providers);
    let mut context = merge_items(docs, &order, |p| &p.context, "context");
    context.extend(merge_items(docs, &order, |p| &p.unplaced, "text"));
    reassign_ids(&mut context, "context");
    let draft = Draft {
        provider: provider.clone(),
        slug,
        code,
        http_status,
        updated: updated.unwrap_or_else(Date::today),
        received,
        title: title.unwrap_or_else(|| vec![(lang(&docs[lead]), "TODO: title".to_string())]),
        meaning,
        context,
        causes: merge_items(docs, &order, |p| &p.causes, "cause"),
        steps: merge_items(docs, &order, |p| &p.steps, "step"),
        alternatives_intro: intro,
        alternatives,
        checklist: merge_items(docs, &order, |p| &p.checklist, "check"),
        options: merge_items(docs, &order, |p| &p.options, "option"),
        faq: merge_items(docs, &order, |p| &p.faq, "question"),
        support,
        recap,
        sources: merge_items(docs, &order, |p| &p.sources, "source"),
    };
    Ok((draft, new_providers))
}

pub(super) fn lang(p: &Parsed) -> String {
    p.lang.clone().unwrap_or_default()
}

pub(super) fn warn(doc: &mut Parsed, line: usize, message: String) {
    doc.warnings.push(Warning {
        line,
        message,
        hint: None,
    });
}

/// The first document's value, with a warning on each other document that says another.
fn first_agreed<T: PartialEq + std::fmt::Display>(
    docs: &mut [Parsed],
    order: &[usize],
    what: &str,
    get: impl Fn(&Parsed) -> Option<(T, usize)>,
) -> Option<T> {
    let mut kept: Option<T> = None;
    for &i in order {
        let Some((value, line)) = get(&docs[i]) else {
            continue;
        };
        match &kept {
            None => kept = Some(value),
            Some(k) if *k != value => {
                warn(
                    &mut docs[i],
                    line,
                    format!(
                        "this {what} (“{value}”) is not the other document's (“{k}”), which is kept"
                    ),
                );
            }
            Some(_) => {}
        }
    }
    kept
}

/// Items of one kind from every document: paired by position when they align, else
/// all kept, each in its language.
fn merge_items(
    docs: &mut [Parsed],
    order: &[usize],
    field: fn(&Parsed) -> &Vec<Item>,
    what: &str,
) -> Vec<DraftItem> {
    let lists: Vec<(usize, Vec<Item>)> = order
        .iter()
        .map(|&i| (i, field(&docs[i]).clone()))
        .filter(|(_, items)| !items.is_empty())
        .collect();
    let shape = |items: &[Item]| -> Vec<(Option<ChoiceKind>, usize)> {
        items.iter().map(|i| (i.kind, i.links.len())).collect()
    };
    let aligned = lists.windows(2).all(|w| shape(&w[0].1) == shape(&w[1].1));
    let mut merged = Vec::new();
    if aligned {
        let count = lists.first().map_or(0, |(_, items)| items.len());
        for n in 0..count {
            let row: Vec<(String, &Item)> = lists
                .iter()
                .map(|(i, items)| (lang(&docs[*i]), &items[n]))
                .collect();
            merged.push(draft_item(&row));
        }
    } else {
        let counts: Vec<String> = lists
            .iter()
            .map(|(i, items)| format!("{} in {}", items.len(), lang(&docs[*i])))
            .collect();
        for (i, items) in &lists {
            let message = format!(
                "the {what} items do not align across languages ({}): each language's are kept, in its language alone; pair them by hand",
                counts.join(", ")
            );
            let line = items[0].line;
            let code = lang(&docs[*i]);
            warn(&mut docs[*i], line, message);
            merged.extend(items.iter().map(|item| draft_item(&[(code.clone(), item)])));
        }
    }
    reassign_ids(&mut merged, what);
    merged
}

fn draft_item(row: &[(String, &Item)]) -> DraftItem {
    let lead = row[0].1;
    let body: Texts = row
        .iter()
        .filter_map(|(l, item)| item.body.clone().map(|b| (l.clone(), b)))
        .collect();
    DraftItem {
        id: String::new(),
        title: row
            .iter()
            .map(|(l, item)| (l.clone(), item.title.clone()))
            .collect(),
        body: (!body.is_empty()).then_some(body),
        kind: lead.kind,
        links: (0..lead.links.len())
            .map(|k| {
                let labels = row
                    .iter()
                    .map(|(l, item)| (l.clone(), item.links[k].0.clone()))
                    .collect();
                (labels, lead.links[k].1.clone())
            })
            .collect(),
    }
}

fn reassign_ids(items: &mut [DraftItem], fallback: &str) {
    let ids = unique_ids(items.iter().map(|i| i.title[0].1.as_str()), fallback);
    for (item, id) in items.iter_mut().zip(ids) {
        item.id = id;
    }
}

/// `--provider`, or the known provider the title names.
fn entry_provider(
    docs: &[Parsed],
    lead: usize,
    target: &Target<'_>,
    title: Option<&Texts>,
) -> Result<String, String> {
    if let Some(id) = target.provider {
        return Ok(id.to_string());
    }
    let words: Vec<String> = title
        .into_iter()
        .flatten()
        .map(|(_, t)| format!(" {} ", phrase(t)))
        .chain(
            docs[lead]
                .received
                .iter()
                .map(|r| format!(" {} ", phrase(&r.text))),
        )
        .collect();
    target
        .providers
        .iter()
        .find(|p| {
            let name = format!(" {} ", phrase(&p.name));
            words.iter().any(|w| w.contains(&name))
        })
        .map(|p| p.id.clone())
        .ok_or_else(|| {
            "cannot tell the provider from the document's title: give it with --provider"
                .to_string()
        })
}

/// The code in `Error code: 429 - insufficient_quota`: its last word that looks like
/// one (`snake_case`, or `UPPER_CASE`).
fn code_in(received: &str) -> Option<String> {
    received
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .rfind(|w| w.contains('_') || (w.len() > 2 && !w.chars().any(char::is_lowercase)))
        .map(str::to_string)
}

/// The one HTTP status in `Error code: 429 - …`.
fn status_in(received: &str) -> Option<u16> {
    let statuses: Vec<u16> = received
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 3)
        .filter_map(|w| w.parse().ok())
        .filter(|s| (100..=599).contains(s))
        .collect();
    match statuses.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_statuses_are_read_from_the_error_received() {
        let cases = [
            (
                "Error code: 429 - insufficient_quota",
                Some("insufficient_quota"),
                Some(429),
            ),
            (
                "429 RESOURCE_EXHAUSTED",
                Some("RESOURCE_EXHAUSTED"),
                Some(429),
            ),
            (
                "Error code: 498 - capacity_exceeded",
                Some("capacity_exceeded"),
                Some(498),
            ),
            ("Something went wrong", None, None),
        ];
        for (received, code, status) in cases {
            assert_eq!(code_in(received).as_deref(), code, "{received:?}");
            assert_eq!(status_in(received), status, "{received:?}");
        }
    }
}
