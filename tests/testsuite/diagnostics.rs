//! Problems in content: each is reported with file:line:column, a message and a hint,
//! all of them at once, with exit status 1 and the previous site untouched.

use crate::helper::KbTest;

const ENTRY: &str = "content/errors/openai/quota.yaml";

/// One broken knowledge base and what `build` must say about it.
struct Case {
    name: &'static str,
    /// The file to edit in the minimal fixture, and how.
    file: &'static str,
    edit: fn(&str) -> String,
    /// `file:line:col` as printed.
    location: &'static str,
    message: &'static str,
    hint: &'static str,
}

fn replace(from: &'static str, to: &'static str) -> impl Fn(&str) -> String {
    move |text: &str| {
        assert!(text.contains(from), "the fixture lacks {from:?}");
        text.replacen(from, to, 1)
    }
}

/// One problem of each stage, through `build`: the rules of one entry file are tabled,
/// in memory, in `src/validate/tests.rs`; here what a user sees of them.
fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "malformed YAML",
            file: ENTRY,
            edit: |t| {
                replace(
                    "title:\n  fr: Quota insuffisant",
                    "title: {fr: Quota insuffisant",
                )(t)
            },
            location: "content/errors/openai/quota.yaml:7:8",
            message: "this `{…}` mapping is never closed",
            hint: "end it with `}` after its last item",
        },
        Case {
            name: "two entries with the same provider and code",
            file: "content/errors/openai/quota2.yaml",
            edit: |_| {
                include_str!("../fixtures/minimal/content/errors/openai/quota.yaml").to_string()
            },
            location: "content/errors/openai/quota2.yaml:1:7",
            message: "another `openai` entry already has the code `insufficient_quota`",
            hint: "content/errors/openai/quota.yaml:1 has it too",
        },
        Case {
            name: "unknown provider",
            file: "content/errors/groq/rate-limit.yaml",
            edit: |t| replace("provider: groq", "provider: grok")(t),
            location: "content/errors/groq/rate-limit.yaml:2:11",
            message: "unknown provider `grok`",
            hint: "did you mean `groq`?",
        },
        Case {
            name: "unknown provider among alternatives",
            file: ENTRY,
            edit: |t| replace("- provider: groq", "- provider: mistral")(t),
            location: "content/errors/openai/quota.yaml:33:17",
            message: "unknown provider `mistral` in `alternatives`",
            hint: "content/providers/mistral.yaml",
        },
        Case {
            name: "unsafe link scheme",
            file: ENTRY,
            edit: |t| {
                replace(
                    "body: {fr: Ajoutez une carte.",
                    "body: {fr: \"[ici](javascript:alert(1))\"",
                )(t)
            },
            location: "content/errors/openai/quota.yaml:19:23",
            message: "unsafe link `javascript:alert(1)`",
            hint: "http(s), mailto, or relative",
        },
    ]
}

#[test]
fn each_problem_names_its_file_line_column_and_loses_nothing() {
    for case in cases() {
        let kb = KbTest::minimal();
        kb.build().success();
        let before = kb.snapshot("public");
        let original = if kb.exists(case.file) {
            kb.read(case.file)
        } else {
            String::new()
        };
        kb.write(case.file, &(case.edit)(&original));
        let run = kb.build();
        assert_eq!(run.code, 1, "{}: exit status\n{}", case.name, run.stderr);
        assert!(
            run.stderr.contains(case.location),
            "{}: no {} in\n{}",
            case.name,
            case.location,
            run.stderr
        );
        assert!(
            run.stderr.contains(case.message),
            "{}: no {:?} in\n{}",
            case.name,
            case.message,
            run.stderr
        );
        assert!(
            run.stderr.contains(case.hint),
            "{}: no hint {:?} in\n{}",
            case.name,
            case.hint,
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", case.name);
        assert_eq!(
            kb.snapshot("public"),
            before,
            "{}: public/ changed",
            case.name
        );
    }
}

#[test]
fn a_non_utf8_file_is_pointed_at_its_first_bad_byte() {
    let kb = KbTest::minimal();
    kb.write_bytes(ENTRY, b"code: x\ntitle:\n  fr: Quota d\xe9pass\xe9\n");
    kb.build()
        .fails_with(1)
        .stderr_has("content/errors/openai/quota.yaml:3:14")
        .stderr_has("the file is not valid UTF-8")
        .stderr_has("save the file as UTF-8");
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let kb = KbTest::minimal();
    kb.write(ENTRY, &kb.read(ENTRY).replace("summary:", "sumary:"));
    kb.write(
        "content/errors/groq/rate-limit.yaml",
        &kb.read("content/errors/groq/rate-limit.yaml")
            .replace("provider: groq", "provider: grok"),
    );
    kb.write("content/errors/groq/empty.yaml", "");
    let run = kb.build();
    run.fails_with(1)
        .stderr_has("content/errors/openai/quota.yaml:10:1")
        .stderr_has("content/errors/groq/rate-limit.yaml:2:11")
        .stderr_has("content/errors/groq/empty.yaml:1:1")
        .stderr_has("3 errors");
}

#[test]
fn a_missing_translation_is_a_warning_and_the_page_says_so() {
    let kb = KbTest::minimal();
    kb.write(
        ENTRY,
        &kb.read(ENTRY).replace(
            "    title: {fr: Carte bancaire non ajoutée, en: No bank card added}",
            "    title: {fr: Carte bancaire non ajoutée}",
        ),
    );
    let run = kb.build();
    run.success()
        .stderr_has("warning: `cause[no-card].title` is not translated into `en`")
        .stderr_has("content/errors/openai/quota.yaml:18:12");
    let page = kb.read("public/en/openai/quota/index.html");
    assert!(
        page.contains("<span lang=\"fr\">Carte bancaire non ajoutée</span>"),
        "the French text, marked as French"
    );
    assert!(page.contains("Not translated yet"), "a visible notice");
}

#[test]
fn a_knowledge_base_without_content_says_how_to_start() {
    let kb = KbTest::minimal();
    std::fs::remove_dir_all(kb.path("content")).unwrap();
    kb.build()
        .fails_with(1)
        .stderr_has("content/site.yaml")
        .stderr_has("errbook init");
}

#[test]
fn a_file_that_does_not_parse_is_reported_once_and_not_again_through_other_files() {
    let kb = KbTest::minimal();
    let linking = ENTRY;
    kb.write(
        linking,
        &kb.read(linking).replace(
            "en: The account **has no credit left**.",
            "en: \"The account has no credit left: [wait](../../groq/rate-limit/#step-wait).\"",
        ),
    );
    kb.run(&["check"]).success();

    let target = "content/errors/groq/rate-limit.yaml";
    let fine = kb.read(target);
    kb.write(
        target,
        &fine.replace("updated:", "message: \"Rate limit reached\nupdated:"),
    );
    kb.run(&["check"])
        .fails_with(1)
        .stderr_has("error: this quoted string is never closed")
        .stderr_has("rate-limit.yaml:5:10")
        .stderr_has("1 error, 0 warnings");
    kb.write(target, &fine);

    let provider = "content/providers/groq.yaml";
    kb.write(
        provider,
        &kb.read(provider).replace("name: Groq", "name: [Groq"),
    );
    let run = kb.run(&["check"]);
    run.fails_with(1)
        .stderr_has("this `[…]` list is never closed")
        .stderr_has("1 error, 0 warnings");
    assert!(!run.stderr.contains("unknown provider"), "{}", run.stderr);
}
