//! The files `init` and `new` write: a starter knowledge base and entry skeletons.
//!
//! Pure functions from a few names and the site's languages to file contents, so that
//! they can be tested without a disk; the commands only write them. What the author
//! must still write is a placeholder that `check` recognises (a text starting with
//! `TODO`, a link to example.org), never a plausible guess that could be published.

/// The texts of the starter entry, in the languages errbook knows; others get the
/// English text under their own key, marked for translation.
const STARTER: &[(&str, [&str; 6])] = &[
    (
        "en",
        [
            "Rate limit reached",
            "Too many requests in a short time: wait, then retry more slowly.",
            "The provider refuses requests beyond a number per minute.",
            "Wait, then retry",
            "Wait a few seconds, then retry with an exponential backoff.",
            "Retried with a backoff",
        ],
    ),
    (
        "fr",
        [
            "Limite de débit atteinte",
            "Trop de requêtes en peu de temps : attendez, puis réessayez plus lentement.",
            "Le fournisseur refuse les requêtes au-delà d'un certain nombre par minute.",
            "Attendre, puis réessayer",
            "Attendez quelques secondes, puis réessayez avec un délai croissant.",
            "Réessayé avec un délai croissant",
        ],
    ),
];

/// A file to create, relative to the knowledge-base root.
pub(crate) struct ScaffoldFile {
    pub path: String,
    pub text: String,
}

/// The files of a new knowledge base in `languages` (the first is the default).
pub(crate) fn starter_knowledge_base(languages: &[String], today: &str) -> Vec<ScaffoldFile> {
    let site = format!(
        "# yaml-language-server: $schema=../schemas/site.schema.json\n\
         # The site: its title, where it is published, and its languages (the first is the default).\n\
         title:\n{title}base_url: https://example.org/help/\nlanguages: [{langs}]\noutput: public\n",
        title = localized(languages, |_| "Help centre".to_string(), 2),
        langs = languages.join(", "),
    );
    let provider = "# yaml-language-server: $schema=../../schemas/provider.schema.json\n\
         # A provider whose errors this knowledge base explains.\n\
         name: Example AI\n\
         homepage: https://example.org/\n\
         support:\n  docs: https://example.org/docs/errors\n  status: https://example.org/status\n"
        .to_string();
    let text = |i: usize| move |lang: &str| starter_text(lang, i);
    let entry = format!(
        r#"# yaml-language-server: $schema=../../../schemas/entry.schema.json
# An example entry: copy it, or run `errbook new example-ai/<slug>`.
code: rate_limit_exceeded
provider: example-ai
http_status: 429
retryable: true
updated: {today}
last_verified: {today}
message: "Rate limit reached. Please try again later."
match:
  codes: [rate_limit_exceeded]
  http_status: [429]
title:
{title}summary:
{summary}meaning:
{meaning}steps:
  - id: wait
    title:
{step}    body:
{body}checklist:
  - id: backoff
    text:
{check}sources:
  - title: Example AI errors
    url: https://example.org/docs/errors
"#,
        title = localized(languages, text(0), 2),
        summary = localized(languages, text(1), 2),
        meaning = localized(languages, text(2), 2),
        step = localized(languages, text(3), 6),
        body = localized(languages, text(4), 6),
        check = localized(languages, text(5), 6),
    );
    vec![
        ScaffoldFile {
            path: "content/site.yaml".into(),
            text: site,
        },
        ScaffoldFile {
            path: "content/providers/example-ai.yaml".into(),
            text: provider,
        },
        ScaffoldFile {
            path: "content/errors/example-ai/rate-limit.yaml".into(),
            text: entry,
        },
        ScaffoldFile {
            path: ".gitignore".into(),
            text: "/public\n/.public.*\n".into(),
        },
    ]
}

fn starter_text(lang: &str, index: usize) -> String {
    let known = STARTER.iter().find(|(l, _)| *l == lang);
    match known {
        Some((_, texts)) => texts[index].to_string(),
        None => format!("{} (translate me)", STARTER[0].1[index]),
    }
}

/// A map from each language to its text, indented by `indent` spaces.
fn localized(languages: &[String], text: impl Fn(&str) -> String, indent: usize) -> String {
    let pad = " ".repeat(indent);
    languages
        .iter()
        .map(|lang| format!("{pad}{lang}: {}\n", yaml_string(&text(lang))))
        .collect()
}

/// A double-quoted YAML string, so that `:` or `#` in the text never changes its meaning.
pub(crate) fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).expect("strings serialize")
}

/// What `errbook new` is told about the error; the rest is left to fill in.
pub(crate) struct EntryFacts<'a> {
    pub provider: &'a str,
    pub code: &'a str,
    pub http_status: Option<u16>,
    pub message: Option<&'a str>,
}

/// The skeleton of a new entry: every section, every language, with comments.
pub(crate) fn entry_skeleton(facts: &EntryFacts<'_>, languages: &[String], today: &str) -> String {
    let todo =
        |what: &str, indent: usize| localized(languages, |_| format!("TODO: {what}"), indent);
    let (provider, code) = (facts.provider, facts.code);
    let status = match facts.http_status {
        Some(status) => format!("http_status: {status}\n"),
        None => "# http_status: 429          # the HTTP status, if the error has one\n".into(),
    };
    let match_status = match facts.http_status {
        Some(status) => format!("  http_status: [{status}]\n"),
        None => String::new(),
    };
    let message = facts.message.map_or_else(
        || yaml_string("TODO: the provider's message, verbatim (never translated)"),
        yaml_string,
    );
    format!(
        r#"# yaml-language-server: $schema=../../../schemas/entry.schema.json
# One error of {provider}. Replace every TODO; `errbook check` lists those left.
# Texts are one string for every language, or one per language. Markdown is allowed in
# meaning, body, answer, recap, note and checklist text. Ids become anchors (#step-<id>).

code: {code}                # the provider's code, verbatim
provider: {provider}
{status}retryable: false            # does retrying help?
updated: {today}
last_verified: {today}      # when the facts were last checked against the provider's docs
# aliases: [old-slug]       # former slugs that must keep resolving
received: "TODO: the error as the application reports it"   # e.g. Error code: 429 - {code}
message: {message}
match:                      # how `errbook lookup` recognises the error (docs/lookup.md)
  codes: [{code}]           # a body's "code"; its "type" goes in `types:`
{match_status}
title:
{title}summary:                    # one sentence, shown in lists and search results
{summary}meaning:                    # what the error means (Markdown)
{meaning}context: []                 # facts verified in the application: [{{id, title, body}}]
causes:
  - id: first-cause
    title:
{cause}    body:
{cause_body}steps:
  - id: first-step
    title:
{step}    body:
{step_body}# alternatives:             # other providers to use meanwhile (with `alternative:` in their file)
#   providers: [{{provider: other-provider}}]
checklist:
  - id: first-check
    text:
{check}options:                    # what to do now: A recommended, B temporary
  - id: fix
    kind: recommended
    title:
{option}    body:
{option_body}faq:                        # common mistakes
  - id: first-mistake
    question:
{question}    answer:
{answer}recap:
{recap}sources:                    # the provider's documentation pages the facts come from
  - title: TODO documentation page
    url: https://example.org/docs
fixtures: []                # real error bodies: [{{name, http_status, body}}]
"#,
        title = todo("title", 2),
        summary = todo("summary", 2),
        meaning = todo("what the error means", 2),
        cause = todo("cause", 6),
        cause_body = todo("how to recognise it", 6),
        step = todo("step", 6),
        step_body = todo("what to do, with links", 6),
        check = todo("something to check", 6),
        option = todo("option", 6),
        option_body = todo("how", 6),
        question = todo("what people say", 6),
        answer = todo("the answer", 6),
        recap = todo("the short version", 2),
    )
}

/// A provider file for `new` when the provider does not exist yet.
pub(crate) fn provider_skeleton(id: &str, name: Option<&str>) -> String {
    let name = name.map_or_else(|| yaml_string(&format!("TODO {id}")), yaml_string);
    format!(
        "# yaml-language-server: $schema=../../schemas/provider.schema.json\n# The provider `{id}`. Support links are shown on each of its entries.\nname: {name}\nsupport:\n  docs: https://example.org/docs   # TODO: its documentation of errors\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localized_texts_are_quoted_for_every_language() {
        let langs = vec!["fr".to_string(), "de".to_string()];
        let text = localized(&langs, |l| starter_text(l, 1), 2);
        assert!(
            text.contains("  fr: \"Trop de requêtes en peu de temps : attendez"),
            "{text}"
        );
        assert!(text.contains("  de: \"Too many requests in a short time: wait, then retry more slowly. (translate me)\""), "{text}");
    }
}
