//! The authoring tools: `check`, `init`, `new`, `explain` and `schema`.

use std::path::Path;

use crate::helper::{KbTest, repo_root};

#[test]
fn check_reports_every_deliberate_mistake_at_its_exact_line() {
    let kb = KbTest::from_fixture("mistakes");
    let run = kb.run(&["check"]);
    run.fails_with(1).stderr_has("12 errors, 3 warnings");
    let expected = [
        (
            "content/errors/groq/misspelt-field.yaml:4:1",
            "unknown field `titel`",
        ),
        (
            "content/errors/groq/yes-for-a-boolean.yaml:3:12",
            "expected `true` or `false`",
        ),
        (
            "content/errors/groq/wrong-folder.yaml:2:11",
            "lives in the `groq` folder",
        ),
        (
            "content/errors/groq/old-and-untranslated.yaml:3:10",
            "`updated` is",
        ),
        (
            "content/errors/groq/old-and-untranslated.yaml:5:10",
            "`summary` is not translated into `en`",
        ),
        (
            "content/errors/openai/many-mistakes.yaml:3:14",
            "`http_status` 999 is not an HTTP status code",
        ),
        (
            "content/errors/openai/many-mistakes.yaml:4:10",
            "`updated` is in the future: 2999-01-01",
        ),
        (
            "content/errors/openai/many-mistakes.yaml:6:3",
            "`title` is not translated into `en`",
        ),
        (
            "content/errors/openai/many-mistakes.yaml:7:3",
            "unknown language `de` in `title`",
        ),
        (
            "content/errors/openai/many-mistakes.yaml:14:23",
            "unsafe link `javascript:alert(1)`",
        ),
        (
            "content/errors/openai/many-mistakes.yaml:14:73",
            "broken link `../nope/`: no entry `openai/nope`",
        ),
        (
            "content/errors/openai/many-mistakes.yaml:15:9",
            "duplicate step id `add-card`",
        ),
        (
            "content/errors/openai/same-code-unknown-alternative.yaml:1:7",
            "already has the code `insufficient_quota`",
        ),
        (
            "content/errors/openai/same-code-unknown-alternative.yaml:8:17",
            "unknown provider `mistral`",
        ),
        (
            "content/errors/openai/missing-anchor.yaml:6:31",
            "`openai/many-mistakes` has no anchor `#step-nope`",
        ),
    ];
    for (location, message) in expected {
        let block = run.stderr.split("\n\n").find(|b| b.contains(location));
        let block = block.unwrap_or_else(|| panic!("nothing at {location}:\n{}", run.stderr));
        assert!(
            block.contains(message),
            "at {location}, expected {message:?}:\n{block}"
        );
    }
}

#[test]
fn check_prints_json_for_editors_and_ci() {
    let kb = KbTest::from_fixture("mistakes");
    let run = kb.run(&["check", "--format", "json"]);
    run.fails_with(1);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    assert_eq!(report["errors"], 12);
    assert_eq!(report["warnings"], 3);
    let first = &report["diagnostics"][0];
    assert_eq!(first["file"], "content/errors/groq/misspelt-field.yaml");
    assert_eq!(first["position"]["line"], 4);
    assert_eq!(first["position"]["column"], 1);
    assert_eq!(first["severity"], "error");
    assert_eq!(first["hint"], "did you mean `title`?");
}

#[test]
fn check_is_clean_on_a_good_knowledge_base_and_strict_fails_on_warnings() {
    let kb = KbTest::minimal();
    kb.run(&["check"])
        .success()
        .stdout_has("checked 2 entries: no problems");
    let entry = "content/errors/groq/rate-limit.yaml";
    kb.write(
        entry,
        &kb.read(entry)
            .replace("en: Too many requests in a short time.", ""),
    );
    kb.run(&["check"])
        .success()
        .stderr_has("is not translated into `en`")
        .stdout_has("checked 2 entries: 1 warning\n");
    kb.run(&["check", "--strict"])
        .fails_with(1)
        .stderr_has("error: `summary` is not translated into `en`");
}

#[test]
fn check_reports_what_build_would_refuse_in_the_theme_and_its_ui_strings() {
    let kb = KbTest::minimal();
    kb.write(
        "i18n/fr.yaml",
        "section_steps: Marche à suivre\nhome: [Accueil\n",
    );
    kb.write(
        "templates/entry.html",
        "{% extends \"base.html\" %}{% block main %}{% if entry %}{% endblock main %}",
    );
    kb.build()
        .fails_with(1)
        .stderr_has("i18n/fr.yaml:2:7")
        .stderr_has("templates/entry.html");
    kb.run(&["check"])
        .fails_with(1)
        .stderr_has("i18n/fr.yaml:2:7")
        .stderr_has("templates/entry.html")
        .stderr_has("2 errors");
    kb.write(
        "i18n/fr.yaml",
        "section_steps: Marche à suivre\nsection_stepz: Étapes\n",
    );
    std::fs::remove_file(kb.path("templates/entry.html")).unwrap();
    kb.run(&["check"])
        .success()
        .stderr_has("unknown UI string `section_stepz`")
        .stderr_has("i18n/fr.yaml:2:1")
        .stdout_has("checked 2 entries: 1 warning\n");
    kb.run(&["check", "--strict"]).fails_with(1);
}

#[test]
fn old_dates_are_reported_past_the_configured_age() {
    let kb = KbTest::minimal();
    kb.run(&["check", "--max-age", "100000"]).success();
    kb.run(&["check", "--max-age", "30"])
        .success()
        .stderr_has("`updated` is 321 days old (2026-01-17)");
}

#[test]
fn a_published_anchor_that_disappears_without_an_alias_is_an_error() {
    let kb = KbTest::minimal();
    kb.run(&["check", "--update-lock"])
        .success()
        .stdout_has("wrote anchors.lock");
    let lock = kb.read("anchors.lock");
    assert!(lock.contains("openai/quota#step-add-card\n"), "{lock}");
    let line = lock
        .lines()
        .position(|l| l == "openai/quota#step-add-card")
        .unwrap()
        + 1;

    let entry = "content/errors/openai/quota.yaml";
    let renamed = kb
        .read(entry)
        .replace("  - id: add-card\n", "  - id: add-payment-method\n");
    kb.write(entry, &renamed);
    kb.run(&["check"])
        .fails_with(1)
        .stderr_has(&format!("anchors.lock:{line}:1"))
        .stderr_has("published anchor `#step-add-card` of `openai/quota` has disappeared")
        .stderr_has("aliases:");

    kb.write(
        entry,
        &renamed.replace(
            "  - id: add-payment-method\n",
            "  - id: add-payment-method\n    aliases: [add-card]\n",
        ),
    );
    kb.run(&["check"]).success();
    kb.build().success();
    let page = kb.read("public/en/openai/quota/index.html");
    assert!(
        page.contains("id=\"step-add-card\""),
        "the old anchor still lands on the step"
    );
    assert!(page.contains("id=\"step-add-payment-method\""));
}

#[test]
fn a_removed_page_needs_an_alias() {
    let kb = KbTest::minimal();
    kb.run(&["check", "--update-lock"]).success();
    std::fs::rename(
        kb.path("content/errors/groq/rate-limit.yaml"),
        kb.path("content/errors/groq/too-many-requests.yaml"),
    )
    .unwrap();
    kb.run(&["check"])
        .fails_with(1)
        .stderr_has("published page `groq/rate-limit` has disappeared");
    let entry = "content/errors/groq/too-many-requests.yaml";
    kb.write(entry, &format!("aliases: [rate-limit]\n{}", kb.read(entry)));
    kb.run(&["check"]).success();
}

#[test]
fn init_with_theme_copies_the_theme_for_customising() {
    let dir = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("errbook")
        .unwrap()
        .args(["init", "--theme", "-q"])
        .arg(dir.path())
        .assert()
        .success();
    for file in [
        "templates/base.html",
        "templates/entry.html",
        "static/style.css",
        "i18n/fr.yaml",
    ] {
        assert!(
            dir.path().join(file).is_file(),
            "--theme did not copy {file}"
        );
    }
}

#[test]
fn new_rejects_a_malformed_id() {
    let kb = KbTest::minimal();
    kb.run(&["new", "OpenAI Quota"])
        .fails_with(1)
        .stderr_has("is not PROVIDER/SLUG");
}

#[test]
fn explain_prints_an_entry_and_its_url() {
    let kb = KbTest::minimal();
    let run = kb.run(&["explain", "insufficient_quota"]);
    run.success()
        .stdout_has("Quota insuffisant")
        .stdout_has("SOLUTIONS À APPLIQUER")
        .stdout_has("1. Ajouter une carte bancaire")
        .stdout_has("A. Résoudre (Recommandé)")
        .stdout_has("https://help.example.org/fr/openai/quota/");
    assert!(
        !run.stdout.contains('\x1b'),
        "no colour when not on a terminal"
    );
    kb.run(&["explain", "openai/quota", "--lang", "en"])
        .success()
        .stdout_has("HOW TO FIX IT")
        .stdout_has("/en/openai/quota/");
    kb.run(&["explain", "insuficient_quota"])
        .fails_with(1)
        .stderr_has("did you mean `insufficient_quota`?");
    kb.run(&["explain", "openai/quota", "--lang", "de"])
        .fails_with(2)
        .stderr_has("fr, en");
}

#[test]
fn schema_describes_entries_and_stays_in_step_with_the_shipped_copy() {
    let kb = KbTest::minimal();
    for kind in ["entry", "provider", "site"] {
        let run = kb.run(&["schema", kind]);
        run.success();
        let generated: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let shipped =
            std::fs::read_to_string(repo_root().join(format!("schemas/{kind}.schema.json")))
                .unwrap();
        let shipped: serde_json::Value = serde_json::from_str(&shipped).unwrap();
        assert_eq!(
            generated, shipped,
            "schemas/{kind}.schema.json is stale: run `errbook schema --out schemas`"
        );
    }
}

#[test]
fn every_shipped_yaml_file_is_valid_against_the_schema() {
    let schema = |kind: &str| {
        let text = std::fs::read_to_string(repo_root().join(format!("schemas/{kind}.schema.json")))
            .unwrap();
        jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
    };
    let (entry, provider, site) = (schema("entry"), schema("provider"), schema("site"));
    let content = repo_root().join("content");
    let mut checked = 0;
    for file in walk_yaml(&content) {
        let rel = file
            .strip_prefix(&content)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema="),
            "{rel} lacks the schema modeline"
        );
        let value: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
        let validator = if rel == "site.yaml" {
            &site
        } else if rel.starts_with("providers/") {
            &provider
        } else {
            &entry
        };
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{rel}: {errors:?}");
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} files found");
}

fn walk_yaml(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk_yaml(&path));
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
    out
}

#[test]
fn usage_errors_exit_with_status_2() {
    let kb = KbTest::minimal();
    kb.run(&["check", "--format", "xml"]).fails_with(2);
    kb.run(&["build", "--no-such-flag"]).fails_with(2);
}

#[test]
fn fixtures_that_match_no_entry_or_the_wrong_one_are_errors() {
    let kb = KbTest::minimal();
    let entry = "content/errors/groq/rate-limit.yaml";
    let fixtures = "fixtures:\n  - name: borrowed\n    body: '{\"error\": {\"code\": \"insufficient_quota\", \"message\": \"You exceeded your current quota\"}}'\n  - name: unrelated\n    body: the weather is nice today\n";
    kb.write(entry, &format!("{}{fixtures}", kb.read(entry)));
    let line = kb
        .read(entry)
        .lines()
        .position(|l| l.contains("name: borrowed"))
        .unwrap()
        + 2;
    kb.run(&["check"])
        .fails_with(1)
        .stderr_has(&format!("content/errors/groq/rate-limit.yaml:{line}:"))
        .stderr_has(
            "fixture `borrowed` looks up to `openai/quota`, and this entry's rules do not match it",
        )
        .stderr_has("fixture `unrelated` matches no entry");
}
