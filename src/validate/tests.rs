//! The rules of one entry file, as tables: a mistake made in the minimal fixture's
//! entry, and the problem it must cause (message, line, column, hint), found in memory
//! by [`entry_from_str`] (load and validate, without the disk). The rules across files, and what `build` does with the
//! problems, are tested through the command in `tests/testsuite/diagnostics.rs`.

use std::path::Path;

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{Entry, Languages};
use crate::pipeline::entry_from_str;

const QUOTA: &str = include_str!("../../tests/fixtures/minimal/content/errors/openai/quota.yaml");

/// `yaml` checked as `content/errors/openai/quota.yaml` of a site in French and English.
fn check(yaml: &str) -> (Option<Entry>, Diagnostics) {
    let path = Path::new("content/errors/openai/quota.yaml");
    entry_from_str(yaml, path, &Languages::new(vec!["fr".into(), "en".into()]))
}

/// The fixture's entry with its first `from` replaced by `to`.
fn edited(from: &str, to: &str) -> String {
    assert!(QUOTA.contains(from), "the fixture lacks {from:?}");
    QUOTA.replacen(from, to, 1)
}

/// Every problem, as the terminal shows them, for a failing test to say what it found.
fn shown(diagnostics: &Diagnostics) -> String {
    diagnostics.render(&annotate_snippets::Renderer::plain())
}

/// One mistake and the problem it causes.
struct Row {
    yaml: String,
    severity: Severity,
    message: &'static str,
    line: usize,
    column: usize,
    hint: &'static str,
}

fn error(yaml: String, message: &'static str, at: (usize, usize), hint: &'static str) -> Row {
    Row {
        yaml,
        severity: Severity::Error,
        message,
        line: at.0,
        column: at.1,
        hint,
    }
}

fn warning(yaml: String, message: &'static str, at: (usize, usize), hint: &'static str) -> Row {
    Row {
        severity: Severity::Warning,
        ..error(yaml, message, at, hint)
    }
}

/// Checks each row: its problem is found, where it is, with its hint and the line it
/// is on for the snippet; an error leaves no entry, a warning keeps it.
fn assert_rows(rows: Vec<Row>) {
    for row in rows {
        let (entry, diagnostics) = check(&row.yaml);
        let found = diagnostics.iter().find(|d| d.message.contains(row.message));
        let Some(found) = found else {
            panic!("no {:?} among:\n{}", row.message, shown(&diagnostics));
        };
        let position = found.position.as_deref().expect("a position");
        let line = row.yaml.lines().nth(row.line - 1).unwrap_or_default();
        assert_eq!(
            (found.severity, position.line, position.column),
            (row.severity, row.line, row.column),
            "{:?}:\n{found}",
            row.message
        );
        assert_eq!(position.source_line, line, "{:?}", row.message);
        let hint = found.hint.as_deref().unwrap_or_default();
        assert!(hint.contains(row.hint), "{:?}: hint {hint:?}", row.message);
        assert_eq!(
            entry.is_some(),
            !diagnostics.has_errors(),
            "{}",
            row.message
        );
        assert_eq!(
            diagnostics.has_errors(),
            row.severity == Severity::Error,
            "{}",
            shown(&diagnostics)
        );
    }
}

#[test]
fn the_fixture_entry_converts_without_a_problem() {
    let (entry, diagnostics) = check(QUOTA);
    assert!(diagnostics.is_empty(), "{}", shown(&diagnostics));
    let entry = entry.expect("an entry");
    assert_eq!(
        (entry.code.as_str(), entry.slug.as_str(), entry.http_status),
        ("insufficient_quota", "quota", Some(429))
    );
    let steps: Vec<&str> = entry.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(steps, ["add-card"]);
    assert_eq!(entry.title.get(1), "Insufficient quota");
}

#[test]
fn yaml_mistakes_are_reported_where_they_are_with_a_hint() {
    assert_rows(vec![
        error(
            edited(
                "title:\n  fr: Quota insuffisant",
                "title: {fr: Quota insuffisant",
            ),
            "this `{…}` mapping is never closed",
            (7, 8),
            "end it with `}` after its last item",
        ),
        error(String::new(), "the file is empty", (1, 1), "errbook new"),
        error(
            edited("retryable: false\n", "retryable: false\nretryable: true\n"),
            "duplicate key `retryable`",
            (5, 1),
            "may appear only once",
        ),
        error(
            edited("message: \"You", "message: !!python/object:os.system \"You"),
            "unsupported tag `!!python/object:os.system`",
            // The parser points at the tagged value.
            (6, 36),
            "remove the tag",
        ),
        error(
            edited("retryable: false", "retryable: no"),
            "expected `true` or `false`",
            (4, 12),
            "`no`",
        ),
    ]);
}

#[test]
fn fields_must_be_known_present_and_of_their_type() {
    assert_rows(vec![
        error(
            edited("summary:", "sumary:"),
            "unknown field `sumary`",
            (10, 1),
            "did you mean `summary`?",
        ),
        error(
            edited("updated: 2026-01-17\n", ""),
            "missing required field `updated`",
            (1, 1),
            "add `updated:`",
        ),
        error(
            edited("    title: {fr: Paiement échoué, en: Failed payment}\n", ""),
            "missing required field `title`",
            (20, 5),
            "add `title:`",
        ),
        error(
            edited("http_status: 429", "http_status: beaucoup"),
            "wrong type: expected a whole number",
            (3, 14),
            "errbook schema",
        ),
        error(
            edited("http_status: 429", "http_status: [429]"),
            "wrong type: expected one value, not a list",
            (3, 14),
            "errbook schema",
        ),
        error(
            edited("kind: recommended", "kind: best"),
            "unknown value `best`",
            (39, 11),
            "recommended",
        ),
    ]);
}

#[test]
fn statuses_dates_codes_and_aliases_are_checked_against_their_limits() {
    let aliases: Vec<String> = (0..40).map(|i| format!("old-{i}")).collect();
    assert_rows(vec![
        error(
            edited("http_status: 429", "http_status: 999"),
            "`http_status` 999 is not an HTTP status code",
            (3, 14),
            "from 100 to 599",
        ),
        error(
            edited("updated: 2026-01-17", "updated: 2026-02-30"),
            "`updated` is not a valid date: `2026-02-30`",
            (5, 10),
            "YYYY-MM-DD",
        ),
        error(
            QUOTA.replacen("insufficient_quota", &"q".repeat(300), 1),
            "`code` is 300 bytes long; the most is 128",
            (1, 7),
            "short link",
        ),
        error(
            format!("aliases: [{}]\n{QUOTA}", "a".repeat(200)),
            "alias is 200 bytes long; the most is 128",
            (1, 11),
            "shorter slug",
        ),
        // The 33rd alias is pointed at: `old-32`, after ten of 7 characters and 22 of 8.
        error(
            format!("aliases: [{}]\n{QUOTA}", aliases.join(", ")),
            "40 aliases; an entry may have at most 32",
            (1, 11 + 10 * 7 + 22 * 8),
            "each alias is a page",
        ),
    ]);
}

#[test]
fn ids_must_be_anchors_and_unique_within_their_kind() {
    assert_rows(vec![
        error(
            edited("id: failed-payment", "id: no-card"),
            "duplicate cause id `no-card`",
            (20, 9),
            "line 17 already uses it",
        ),
        error(
            edited("id: add-card", "id: Add_Card"),
            "step id `Add_Card` cannot be used as an anchor",
            (23, 9),
            "lowercase letters, digits and dashes",
        ),
    ]);
}

#[test]
fn texts_need_the_default_language_and_only_the_sites_languages() {
    assert_rows(vec![
        error(
            edited("en: Insufficient quota", "eng: Insufficient quota"),
            "unknown language `eng` in `title`",
            (9, 3),
            "did you mean `en`?",
        ),
        error(
            edited("  fr: Quota insuffisant\n", ""),
            "`title` has no `fr` text (the default language)",
            (8, 3),
            "add `fr:`",
        ),
        warning(
            edited("  en: Insufficient quota\n", ""),
            "`title` is not translated into `en`",
            (8, 3),
            "\"not translated yet\" notice",
        ),
        warning(
            edited(
                "title: {fr: Paiement échoué, en: Failed payment}",
                "title: {fr: Paiement échoué}",
            ),
            "`cause[failed-payment].title` is not translated into `en`",
            (21, 12),
            "until `en:` is added",
        ),
        error(
            edited(
                "updated: 2026-01-17\n",
                "updated: 2026-01-17\nsource_language: eng\n",
            ),
            "`source_language` `eng` is not one of the site's languages",
            (6, 18),
            "did you mean `en`? The site's languages are: fr, en",
        ),
    ]);
}

#[test]
fn links_and_urls_take_only_safe_schemes() {
    assert_rows(vec![
        error(
            edited(
                "body: {fr: Ajoutez une carte.",
                "body: {fr: \"[ici](javascript:alert(1))\"",
            ),
            "unsafe link `javascript:alert(1)` in `cause[no-card].body`",
            (19, 23),
            "http(s), mailto, or relative",
        ),
        error(
            edited(
                "body: {fr: Ajoutez une carte.",
                "body: {fr: \"[ici](//evil.example/a:b)\"",
            ),
            "unsafe link `//evil.example/a:b`",
            (19, 23),
            "http(s), mailto, or relative",
        ),
        // In a block of several lines, the link is pointed at on its own line.
        error(
            edited(
                "  fr: Le compte **n'a plus de crédit**.",
                "  fr: |\n    Le compte\n    n'a [plus](data:text/html,x) de crédit.",
            ),
            "unsafe link `data:text/html,x` in `meaning`",
            (16, 16),
            "http(s), mailto, or relative",
        ),
        error(
            edited(
                "url: https://platform.openai.com/account/billing/payment-methods",
                "url: ftp://platform.openai.com/billing",
            ),
            "`url` must be an absolute http(s) URL",
            (30, 14),
            "write it in full",
        ),
    ]);
}

#[test]
fn control_characters_and_placeholders_are_caught() {
    assert_rows(vec![
        error(
            edited("fr: Quota insuffisant", "fr: \"Quota\\e]0;PWNED\\a\\e[2J\""),
            "`title` holds the control character U+001B",
            (8, 7),
            "drives a terminal",
        ),
        warning(
            edited("fr: Quota insuffisant", "fr: TODO"),
            "`title` is not filled in yet",
            (8, 7),
            "replace the TODO placeholder",
        ),
        warning(
            edited(
                "url: https://platform.openai.com/account/billing/payment-methods",
                "url: https://example.org/billing",
            ),
            "`url` is a placeholder link",
            (30, 14),
            "reserved for examples",
        ),
    ]);
}
