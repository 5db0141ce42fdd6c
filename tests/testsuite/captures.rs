//! Lookup stays trustworthy while content is being written: an entry whose rules take
//! other entries' errors is named, at its own file and line, by `check`, `build` and
//! `serve` alike; `explain` and `lookup` answer from the valid entries; and every
//! command ends quietly when its reader goes away.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::helper::KbTest;
use crate::lookup::lookup_kb;

const CULPRIT: &str = "content/errors/groq/overloaded.yaml";

/// A new entry whose only rule is a short, generic message that other providers send.
const GENERIC_ENTRY: &str = r#"code: overloaded
provider: groq
http_status: 503
retryable: true
updated: 2026-01-17
message: "Overloaded"
match: {messages: ["overloaded"]}
title: {fr: Surcharge, en: Overload}
summary: {fr: Résumé., en: Summary.}
steps:
  - id: fix
    title: {fr: Réessayer, en: Retry}
"#;

fn assert_names_the_culprit(stderr: &str) {
    assert!(
        stderr.contains(&format!("{CULPRIT}:7:")),
        "the culprit's rule, at its line:\n{stderr}"
    );
    assert!(
        stderr.contains("this entry's rules capture errors of other entries")
            && stderr.contains("of `deepseek/server-overloaded` (content/errors/deepseek/server-overloaded.yaml:13)")
            && stderr.contains("make this entry's rule specific"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("error: fixture"),
        "the victims are not blamed:\n{stderr}"
    );
}

#[test]
fn an_entry_that_captures_others_errors_is_named_by_check_and_build_at_its_rule() {
    let kb = lookup_kb();
    kb.write(CULPRIT, GENERIC_ENTRY);
    let check = kb.run(&["check"]);
    check.fails_with(1);
    assert_names_the_culprit(&check.stderr);
    let build = kb.build();
    build.fails_with(1);
    assert_names_the_culprit(&build.stderr);
    assert!(!kb.path("public").exists(), "a failed build writes nothing");
}

#[test]
fn serve_names_the_capturing_entry_as_build_does() {
    let kb = lookup_kb();
    let served = kb.serve();
    served.wait_for_stdout("serving");
    kb.write(CULPRIT, GENERIC_ENTRY);
    let line = served.wait_for_stderr(&format!("{CULPRIT}:7:"));
    assert!(line.contains(CULPRIT), "{line}");
    served.wait_for_stderr("still serving the last good site");
    assert_names_the_culprit(&served.stderr());
}

#[test]
fn explain_and_lookup_answer_from_the_valid_entries_and_name_the_broken_files() {
    let kb = lookup_kb();
    kb.write("content/errors/groq/draft.yaml", "code: [half written\n");
    kb.write(CULPRIT, GENERIC_ENTRY);
    let lookup = kb.run(&["lookup", "503 UNAVAILABLE"]);
    lookup.success().stdout_has("gemini/unavailable");
    for file in ["content/errors/groq/draft.yaml", CULPRIT] {
        assert!(lookup.stderr.contains(file), "{}", lookup.stderr);
    }
    assert!(
        lookup.stderr.contains("answered without 2 file(s)"),
        "{}",
        lookup.stderr
    );
    kb.run(&["explain", "--no-pager", "gemini/unavailable"])
        .success()
        .stdout_has("UNAVAILABLE")
        .stderr_has("content/errors/groq/draft.yaml");

    // Without a valid site file there is nothing to answer from.
    kb.write("content/site.yaml", "base_url: [\n");
    kb.run(&["lookup", "503 UNAVAILABLE"])
        .fails_with(1)
        .stderr_has("content/site.yaml");
}

/// Runs `errbook --root KB ARGS` with a stdout whose reader is already gone.
fn run_into_a_closed_pipe(kb: &KbTest, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_errbook"))
        .arg("--root")
        .arg(kb.root())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (child.wait().unwrap().code(), stderr)
}

#[test]
fn commands_end_quietly_when_their_reader_goes_away() {
    let kb = lookup_kb();
    let cases: [&[&str]; 4] = [
        &["lookup", "--json", "503 UNAVAILABLE"],
        &["lookup", "503 UNAVAILABLE"],
        &["schema", "entry"],
        &["explain", "--no-pager", "gemini/unavailable"],
    ];
    for args in cases {
        let (code, stderr) = run_into_a_closed_pipe(&kb, args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?} said:\n{stderr}");
    }
}
