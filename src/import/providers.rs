//! The providers an imported document names: the entry's own, and the alternatives it
//! suggests.
//!
//! Part of `import`'s merge. A provider the knowledge base has is referred to, and
//! where a document presents it otherwise than its file does, a warning says so (pages
//! show the file's presentation); a provider it lacks gets a new file, with what the
//! documents say of it.

use super::ids::derive_id;
use super::merge::{DraftAlternative, NewProvider, Profile, Texts, lang, warn};
use super::vocabulary::Label;
use super::{Parsed, Target};
use crate::model::{Provider, Support};
use crate::search::tokenize::phrase;

/// The provider named `name`: known, or new in this import.
fn provider_named<'p>(providers: &'p [Provider], name: &str) -> Option<&'p Provider> {
    let id = derive_id(name);
    providers
        .iter()
        .find(|p| phrase(&p.name) == phrase(name) || Some(&p.id) == id.as_ref())
}

pub(super) fn merge_alternatives(
    docs: &mut [Parsed],
    order: &[usize],
    target: &Target<'_>,
    new_providers: &mut Vec<NewProvider>,
) -> Vec<DraftAlternative> {
    let mut merged: Vec<DraftAlternative> = Vec::new();
    for &i in order {
        let code = lang(&docs[i]);
        let lang_index = target.languages.index_of(&code).unwrap_or(0);
        for found in docs[i].alternatives.clone() {
            let id = match provider_named(target.providers, &found.name) {
                Some(known) => {
                    compare_profile(&mut docs[i], known, lang_index, &found);
                    known.id.clone()
                }
                None => add_profile(new_providers, &code, &found),
            };
            let note = found.note.clone().map(|n| (code.clone(), n));
            match merged.iter_mut().find(|a| a.provider == id) {
                Some(existing) => {
                    if let Some(note) = note {
                        existing.note.get_or_insert_with(Vec::new).push(note);
                    }
                }
                None => merged.push(DraftAlternative {
                    provider: id,
                    note: note.map(|n| vec![n]),
                }),
            }
        }
    }
    merged
}

/// Warns where the document presents a known provider otherwise than its file does.
fn compare_profile(
    doc: &mut Parsed,
    known: &Provider,
    lang: usize,
    found: &super::AlternativeFound,
) {
    let Some(profile) = &known.alternative else {
        let message = format!(
            "{} has no `alternative:` in its provider file, so pages cannot present it",
            known.name
        );
        warn(doc, found.line, message);
        return;
    };
    let mut differences = Vec::new();
    let mut compare = |what: &str, ours: &str, theirs: Option<&str>| {
        if let Some(theirs) = theirs.filter(|t| *t != ours) {
            differences.push(format!("{what} “{theirs}” (the provider's: “{ours}”)"));
        }
    };
    compare(
        "tagline",
        profile.tagline.get(lang),
        found.tagline.as_deref(),
    );
    let field = |label: Label| {
        found
            .fields
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, v)| v.as_str())
    };
    compare("models", profile.models.get(lang), field(Label::Models));
    compare("quota", profile.quota.get(lang), field(Label::Quota));
    compare("API key", &profile.signup, field(Label::ApiKey));
    if !differences.is_empty() {
        let message = format!(
            "{} is presented here otherwise than in its provider file, whose presentation pages show: {}",
            known.name,
            differences.join(", ")
        );
        warn(doc, found.line, message);
    }
}

/// Records the profile of a provider new to the knowledge base; returns its id.
fn add_profile(
    new_providers: &mut Vec<NewProvider>,
    lang: &str,
    found: &super::AlternativeFound,
) -> String {
    let id = derive_id(&found.name).unwrap_or_else(|| "provider".to_string());
    let index = match new_providers.iter().position(|p| p.id == id) {
        Some(i) => i,
        None => {
            new_providers.push(NewProvider {
                id: id.clone(),
                name: found.name.clone(),
                support: Support::default(),
                profile: None,
            });
            new_providers.len() - 1
        }
    };
    let profile = new_providers[index]
        .profile
        .get_or_insert_with(Profile::default);
    let field = |label: Label| {
        found
            .fields
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, v)| v.clone())
    };
    let add = |texts: &mut Texts, value: Option<String>| {
        if let Some(value) = value {
            texts.push((lang.to_string(), value));
        }
    };
    add(&mut profile.tagline, found.tagline.clone());
    add(&mut profile.models, field(Label::Models));
    add(&mut profile.quota, field(Label::Quota));
    profile.signup = profile.signup.take().or(field(Label::ApiKey));
    profile.env_var = profile.env_var.take().or(field(Label::EnvVar));
    id
}

/// The support the documents give: all of it on a new provider, and on a known one
/// only what its file does not already say.
pub(super) fn merge_support(
    docs: &mut [Parsed],
    order: &[usize],
    target: &Target<'_>,
    provider: &str,
    new_providers: &mut Vec<NewProvider>,
) -> Support {
    let mut found = Support::default();
    for &i in order {
        for (label, value) in docs[i].support.clone() {
            let slot = match label {
                Label::Email => &mut found.email,
                Label::Documentation => &mut found.docs,
                Label::Status => &mut found.status,
                _ => &mut found.url,
            };
            slot.get_or_insert(value);
        }
    }
    match target.providers.iter().find(|p| p.id == provider) {
        Some(known) => {
            let differs = |ours: &Option<String>, theirs: Option<String>| {
                theirs.filter(|t| Some(t) != ours.as_ref())
            };
            Support {
                email: differs(&known.support.email, found.email),
                url: differs(&known.support.url, found.url),
                docs: differs(&known.support.docs, found.docs),
                status: differs(&known.support.status, found.status),
            }
        }
        None => {
            let name = name_in_titles(docs, provider);
            new_providers.insert(
                0,
                NewProvider {
                    id: provider.to_string(),
                    name,
                    support: found,
                    profile: None,
                },
            );
            Support::default()
        }
    }
}

/// A new provider's name as a title writes it (`Acme` in `Erreur Acme 42`), or its id.
fn name_in_titles(docs: &[Parsed], id: &str) -> String {
    docs.iter()
        .filter_map(|p| p.title.as_ref())
        .flat_map(|t| t.text.split(|c: char| !(c.is_alphanumeric() || c == '-')))
        .find(|w| w.eq_ignore_ascii_case(id))
        .unwrap_or(id)
        .to_string()
}
