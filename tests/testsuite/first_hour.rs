//! A new author's first hour, as a terminal session: `init`, `new` for a provider the
//! knowledge base does not have yet, `check` listing every placeholder, filling them in,
//! a strict check, and a build.

use std::collections::BTreeSet;

use crate::helper::KbTest;

/// Every line of `text` that holds a placeholder in a value (not in a comment): a
/// `TODO` text or a link to example.org.
fn placeholder_lines(text: &str) -> BTreeSet<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with('#'))
        .filter(|(_, line)| {
            let value = line.split(" #").next().unwrap_or(line);
            value.contains("TODO") || value.contains("example.org")
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// What an author does by hand: real texts and links instead of the placeholders.
fn fill_in(text: &str) -> String {
    text.replace("\"TODO: ", "\"")
        .replace("\"TODO ", "\"")
        .replace("TODO ", "")
        .replace("https://example.org/", "https://docs.anthropic.com/")
}

const FILES: [&str; 5] = [
    "content/site.yaml",
    "content/providers/example-ai.yaml",
    "content/errors/example-ai/rate-limit.yaml",
    "content/providers/anthropic.yaml",
    "content/errors/anthropic/overloaded.yaml",
];

#[test]
fn an_author_goes_from_init_to_a_published_entry_with_check_naming_each_placeholder() {
    let kb = KbTest::empty();
    let root = kb.root().to_str().unwrap().to_string();
    kb.run(&["init", &root, "--languages", "en,fr"]).success();
    kb.run(&["build"]).success();
    kb.run(&[
        "new",
        "anthropic/overloaded",
        "--code",
        "overloaded_error",
        "--status",
        "529",
    ])
    .success()
    .stdout_has("created content/providers/anthropic.yaml")
    .stdout_has("created content/errors/anthropic/overloaded.yaml");
    let entry = kb.read("content/errors/anthropic/overloaded.yaml");
    assert!(entry.contains("\nhttp_status: 529\n"), "{entry}");
    assert!(entry.contains("  http_status: [529]\n"), "{entry}");
    assert!(
        !entry.contains("400"),
        "no guessed status is written:\n{entry}"
    );

    // `check` warns about each placeholder, at its line, and about nothing else.
    let run = kb.run(&["check", "--format", "json"]);
    run.success();
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut reported: BTreeSet<(String, usize)> = BTreeSet::new();
    for d in report["diagnostics"].as_array().unwrap() {
        assert_eq!(d["severity"], "warning", "{d}");
        let file = d["file"].as_str().unwrap().to_string();
        reported.insert((file, d["position"]["line"].as_u64().unwrap() as usize));
    }
    let mut expected = BTreeSet::new();
    for file in FILES {
        for line in placeholder_lines(&kb.read(file)) {
            expected.insert((file.to_string(), line));
        }
    }
    assert!(expected.len() > 30, "{expected:?}");
    assert_eq!(reported, expected);
    for placeholder in [
        "content/providers/anthropic.yaml:3:7",
        "`name` is not filled in yet",
        "`message` is not filled in yet",
        "`received` is not filled in yet",
        "`sources[0].url` is a placeholder link",
        "`base_url` is a placeholder link",
    ] {
        kb.run(&["check"]).success().stderr_has(placeholder);
    }
    kb.run(&["check", "--strict"])
        .fails_with(1)
        .stderr_has("error: `summary` is not filled in yet");

    for file in FILES {
        kb.write(file, &fill_in(&kb.read(file)));
    }
    kb.run(&["check", "--strict"])
        .success()
        .stdout_has("checked 2 entries: no problems");
    kb.run(&["build"]).success();
    let page = kb.read("public/en/anthropic/overloaded/index.html");
    assert!(page.contains("<code>overloaded_error</code>"), "{page}");
    assert!(page.contains("<dd>529</dd>"), "{page}");

    kb.run(&["new", "anthropic/overloaded"])
        .fails_with(1)
        .stderr_has("never overwrites");
    kb.run(&["init", &root])
        .success()
        .stdout_has("kept existing content/site.yaml");
}

#[test]
fn new_writes_the_status_message_and_provider_name_it_is_given() {
    let kb = KbTest::empty();
    let root = kb.root().to_str().unwrap().to_string();
    kb.run(&["init", &root, "-q"]).success();
    kb.run(&[
        "new",
        "anthropic/overloaded",
        "--status",
        "529",
        "--message",
        "Overloaded: try again \"later\"",
        "--name",
        "Anthropic",
    ])
    .success();
    let entry = kb.read("content/errors/anthropic/overloaded.yaml");
    assert!(
        entry.contains("message: \"Overloaded: try again \\\"later\\\"\"\n"),
        "{entry}"
    );
    assert!(entry.contains("code: overloaded "), "{entry}");
    assert!(
        kb.read("content/providers/anthropic.yaml")
            .contains("name: \"Anthropic\"\n")
    );
    let run = kb.run(&["check"]);
    run.success();
    assert!(!run.stderr.contains("`message`"), "{}", run.stderr);
    assert!(!run.stderr.contains("`name`"), "{}", run.stderr);

    kb.run(&["new", "anthropic/other", "--status", "42"])
        .fails_with(2)
        .stderr_has("42 is not in 100..=599");
}
