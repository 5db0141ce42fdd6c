//! Turns one raw entry into a model entry, checking everything inside the file.
//!
//! Rules that need other files (unknown providers, duplicate codes across entries) are
//! in `rules.rs`; here each entry is checked on its own, so entries convert in parallel.

use std::collections::HashMap;

use super::context::FileChecker;
use crate::load::{EntryPath, Place, RawAlternatives, RawEntry, RawMatch, RawSupport, Str};
use crate::model::{
    Alternative, Alternatives, Check, Choice, Date, Entry, Faq, Fixture, Link, MatchRules, Section,
    Source, Step, Support,
};

/// Converts `raw`, located at `path`; provider support is merged in later.
pub(crate) fn convert_entry(c: &mut FileChecker<'_>, path: &EntryPath, raw: &RawEntry) -> Entry {
    let updated = date(c, &raw.updated, "updated");
    let last_verified = raw
        .last_verified
        .as_ref()
        .map(|d| date(c, d, "last_verified"));
    if let Some(language) = &raw.source_language {
        source_language(c, language);
    }
    Entry {
        provider: raw.provider.value.clone(),
        slug: path.slug.clone(),
        source: c.file.path.clone(),
        code: code(c, &raw.code),
        http_status: raw
            .http_status
            .as_ref()
            .map(|s| status(c, s.value, &s.location)),
        retryable: raw.retryable,
        common: raw.common.unwrap_or(false),
        updated,
        last_verified,
        aliases: aliases(c, &raw.aliases),
        received: c.optional_plain(&raw.received, "received"),
        message: c.optional_plain(&raw.message, "message"),
        match_rules: match_rules(raw.match_rules.as_ref()),
        title: c.text(&raw.title, "title"),
        summary: c.text(&raw.summary, "summary"),
        meaning: raw.meaning.as_ref().map(|m| c.markdown(m, "meaning")),
        context: sections(c, &raw.context, "context"),
        causes: sections(c, &raw.causes, "cause"),
        steps: steps(c, raw),
        alternatives: raw.alternatives.as_ref().map(|a| alternatives(c, a)),
        checklist: checklist(c, raw),
        options: choices(c, raw),
        faq: faq(c, raw),
        support: raw
            .support
            .as_ref()
            .map(|s| support(c, s))
            .unwrap_or_default(),
        recap: raw.recap.as_ref().map(|r| c.markdown(r, "recap")),
        sources: raw
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| Source {
                title: c.text(&s.title, &format!("sources[{i}].title")),
                url: c.url(&s.url, &format!("sources[{i}].url")),
            })
            .collect(),
        fixtures: raw
            .fixtures
            .iter()
            .map(|f| Fixture {
                name: f.name.as_ref().map(|n| n.value.clone()),
                http_status: f.http_status,
                body: f.body.value.clone(),
            })
            .collect(),
    }
}

fn date(c: &mut FileChecker<'_>, raw: &Str, field: &str) -> Date {
    Date::parse(&raw.value).unwrap_or_else(|| {
        c.error(
            &raw.location,
            raw.value.chars().count(),
            format!("`{field}` is not a valid date: `{}`", raw.value),
        )
        .hint = Some("write dates as YYYY-MM-DD, e.g. `2026-01-17`".into());
        Date {
            year: 1970,
            month: 1,
            day: 1,
        }
    })
}

/// An entry's `source_language` must be one of the site's: translations are compared
/// with its texts.
fn source_language(c: &mut FileChecker<'_>, raw: &Str) {
    if c.languages.index_of(&raw.value).is_none() {
        let hint = c.languages_hint(&raw.value);
        c.error(
            &raw.location,
            raw.value.chars().count(),
            format!(
                "`source_language` `{}` is not one of the site's languages",
                raw.value
            ),
        )
        .hint = Some(hint);
    }
}

fn status(c: &mut FileChecker<'_>, value: u16, at: &Place) -> u16 {
    if !(100..=599).contains(&value) {
        c.error(
            at,
            3,
            format!("`http_status` {value} is not an HTTP status code"),
        )
        .hint = Some("HTTP status codes range from 100 to 599".into());
    }
    value
}

/// The longest code or alias, in bytes: each becomes a folder name (a short link, a
/// redirect page), and file systems refuse names over 255 bytes.
const MAX_NAME_BYTES: usize = 128;
/// The most aliases an entry may have: each is a page of the site in every language.
const MAX_ALIASES: usize = 32;

fn code(c: &mut FileChecker<'_>, raw: &Str) -> String {
    let path_length = crate::model::code_path(&raw.value).map_or(0, |p| p.len());
    let length = raw.value.len().max(path_length);
    if length > MAX_NAME_BYTES {
        c.error(
            &raw.location,
            1,
            format!("`code` is {length} bytes long; the most is {MAX_NAME_BYTES}"),
        )
        .hint = Some(
            "a code becomes the folder of its short link; keep the code as the API returns it"
                .into(),
        );
    }
    raw.value.clone()
}

fn aliases(c: &mut FileChecker<'_>, raw: &[Str]) -> Vec<String> {
    if let Some(extra) = raw.get(MAX_ALIASES) {
        c.error(
            &extra.location,
            1,
            format!(
                "{} aliases; an entry may have at most {MAX_ALIASES}",
                raw.len()
            ),
        )
        .hint = Some(
            "each alias is a page in every language; keep the former slugs that are still linked"
                .into(),
        );
    }
    let mut seen = HashMap::new();
    raw.iter()
        .map(|alias| {
            if alias.value.len() > MAX_NAME_BYTES {
                c.error(
                    &alias.location,
                    1,
                    format!(
                        "alias is {} bytes long; the most is {MAX_NAME_BYTES}",
                        alias.value.len()
                    ),
                )
                .hint = Some("an alias becomes a folder of the site; use a shorter slug".into());
                return alias.value.clone();
            }
            c.id(alias, "alias", &mut seen)
        })
        .collect()
}

/// Former ids of an item: slugs that no other item of its kind uses.
fn item_aliases(
    c: &mut FileChecker<'_>,
    raw: &[Str],
    kind: &str,
    seen: &mut HashMap<String, Place>,
) -> Vec<String> {
    raw.iter().map(|a| c.id(a, kind, seen)).collect()
}

fn match_rules(raw: Option<&RawMatch>) -> MatchRules {
    let Some(raw) = raw else {
        return MatchRules::default();
    };
    let strings = |v: &[Str]| v.iter().map(|s| s.value.clone()).collect();
    MatchRules {
        codes: strings(&raw.codes),
        types: strings(&raw.types),
        statuses: strings(&raw.statuses),
        reasons: strings(&raw.reasons),
        http_status: raw.http_status.iter().map(|s| s.value).collect(),
        messages: strings(&raw.messages),
    }
}

fn sections(c: &mut FileChecker<'_>, raw: &[crate::load::RawSection], kind: &str) -> Vec<Section> {
    let mut seen = HashMap::new();
    raw.iter()
        .map(|s| {
            let id = c.id(&s.id, kind, &mut seen);
            Section {
                aliases: item_aliases(c, &s.aliases, kind, &mut seen),
                title: c.text(&s.title, &format!("{kind}[{id}].title")),
                body: s
                    .body
                    .as_ref()
                    .map(|b| c.markdown(b, &format!("{kind}[{id}].body"))),
                id,
            }
        })
        .collect()
}

fn steps(c: &mut FileChecker<'_>, raw: &RawEntry) -> Vec<Step> {
    let mut seen = HashMap::new();
    raw.steps
        .iter()
        .map(|s| {
            let id = c.id(&s.id, "step", &mut seen);
            Step {
                aliases: item_aliases(c, &s.aliases, "step", &mut seen),
                title: c.text(&s.title, &format!("steps[{id}].title")),
                body: s
                    .body
                    .as_ref()
                    .map(|b| c.markdown(b, &format!("steps[{id}].body"))),
                links: s
                    .links
                    .iter()
                    .map(|l| Link {
                        label: c.text(&l.label, &format!("steps[{id}].links.label")),
                        url: c.url(&l.url, "url"),
                    })
                    .collect(),
                id,
            }
        })
        .collect()
}

fn alternatives(c: &mut FileChecker<'_>, raw: &RawAlternatives) -> Alternatives {
    let mut seen = HashMap::new();
    Alternatives {
        intro: raw
            .intro
            .as_ref()
            .map(|i| c.markdown(i, "alternatives.intro")),
        items: raw
            .providers
            .iter()
            .map(|a| {
                let provider = c.id(&a.provider, "alternative", &mut seen);
                Alternative {
                    note: a
                        .note
                        .as_ref()
                        .map(|n| c.markdown(n, &format!("alternatives[{provider}].note"))),
                    provider,
                }
            })
            .collect(),
    }
}

fn checklist(c: &mut FileChecker<'_>, raw: &RawEntry) -> Vec<Check> {
    let mut seen = HashMap::new();
    raw.checklist
        .iter()
        .map(|item| {
            let id = c.id(&item.id, "checklist", &mut seen);
            Check {
                aliases: item_aliases(c, &item.aliases, "checklist", &mut seen),
                text: c.markdown(&item.text, &format!("checklist[{id}].text")),
                id,
            }
        })
        .collect()
}

fn choices(c: &mut FileChecker<'_>, raw: &RawEntry) -> Vec<Choice> {
    let mut seen = HashMap::new();
    raw.options
        .iter()
        .map(|o| {
            let id = c.id(&o.id, "option", &mut seen);
            Choice {
                aliases: item_aliases(c, &o.aliases, "option", &mut seen),
                title: c.text(&o.title, &format!("options[{id}].title")),
                kind: o.kind,
                body: c.markdown(&o.body, &format!("options[{id}].body")),
                id,
            }
        })
        .collect()
}

fn faq(c: &mut FileChecker<'_>, raw: &RawEntry) -> Vec<Faq> {
    let mut seen = HashMap::new();
    raw.faq
        .iter()
        .map(|f| {
            let id = c.id(&f.id, "faq", &mut seen);
            Faq {
                aliases: item_aliases(c, &f.aliases, "faq", &mut seen),
                question: c.text(&f.question, &format!("faq[{id}].question")),
                answer: c.markdown(&f.answer, &format!("faq[{id}].answer")),
                id,
            }
        })
        .collect()
}

/// Support links; also used for providers.
pub(crate) fn support(c: &mut FileChecker<'_>, raw: &RawSupport) -> Support {
    Support {
        email: raw.email.as_ref().map(|e| c.email(e, "support.email")),
        url: c.optional_url(&raw.url, "support.url"),
        docs: c.optional_url(&raw.docs, "support.docs"),
        status: c.optional_url(&raw.status, "support.status"),
    }
}
