//! `errbook lookup`: golden fixtures, every entry's own fixtures, exit statuses and
//! secrets. The browser test (`browser.rs`) checks the same golden file in JavaScript.

use std::path::Path;

use serde::Deserialize;

use errbook::pipeline::load_knowledge_base;
use errbook::search::{Evidence, LookupIndex};

use crate::helper::{KbTest, fixture, repo_root};

/// One real error body and the entry it must resolve to (`None`: no confident match).
#[derive(Debug, Deserialize)]
pub struct GoldenCase {
    pub name: String,
    pub body: String,
    #[serde(default)]
    pub http_status: Option<u16>,
    pub expect: Option<String>,
}

pub fn golden_cases() -> Vec<GoldenCase> {
    let text = std::fs::read_to_string(fixture("lookup/golden.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The knowledge base the golden cases are written against: one entry per kind of
/// error, and providers that share codes and messages.
pub fn lookup_kb() -> KbTest {
    KbTest::from_fixture("lookup")
}

fn lookup_json(kb: &KbTest, case: &GoldenCase) -> serde_json::Value {
    let status = case.http_status.map(|s| s.to_string());
    let mut args = vec!["lookup", "--json"];
    if let Some(status) = &status {
        args.extend(["--status", status]);
    }
    args.extend(["--", &case.body]);
    let run = kb.run(&args);
    let json: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{}: not JSON ({e}):\n{}", case.name, run.stdout));
    let status = match json["confidence"].as_str().unwrap() {
        "found" => 0,
        "ambiguous" => 3,
        _ => 1,
    };
    assert_eq!(run.code, status, "{}", case.name);
    assert_eq!(json["confident"], status == 0, "{}", case.name);
    json
}

fn best_confident(json: &serde_json::Value) -> Option<String> {
    json["confident"]
        .as_bool()
        .unwrap()
        .then(|| json["matches"][0]["id"].as_str().unwrap().to_string())
}

#[test]
fn golden_errors_look_up_to_their_entries_from_the_content() {
    let kb = lookup_kb();
    for case in golden_cases() {
        let json = lookup_json(&kb, &case);
        assert_eq!(
            best_confident(&json),
            case.expect,
            "{}: {json:#}",
            case.name
        );
    }
}

#[test]
fn golden_errors_look_up_the_same_from_the_built_site() {
    let kb = lookup_kb();
    kb.build().success();
    // A stale index must not be used: the built one is newer than every content file.
    for case in golden_cases() {
        let json = lookup_json(&kb, &case);
        assert_eq!(best_confident(&json), case.expect, "{}", case.name);
    }
    let index = kb.path("public/lookup.json");
    let via_file = kb.run(&[
        "lookup",
        "--index",
        index.to_str().unwrap(),
        "429 RESOURCE_EXHAUSTED",
    ]);
    via_file.success().stdout_has("gemini/resource-exhausted");
}

#[test]
fn a_fresh_built_index_is_read_instead_of_the_content() {
    let kb = lookup_kb();
    kb.build().success();
    let keys: serde_json::Value =
        serde_json::from_str(&kb.read("public/lookup/keys.json")).unwrap();
    let chunk = format!("public/{}", keys["chunks"][0].as_str().unwrap());
    let rules = kb.read(&chunk);
    kb.write(
        &chunk,
        &rules.replace("\"gemini/unavailable\"", "\"gemini/from-the-built-index\""),
    );
    kb.run(&["lookup", "503 UNAVAILABLE"])
        .success()
        .stdout_has("gemini/from-the-built-index");
}

#[test]
fn a_stale_built_index_is_not_trusted() {
    let kb = lookup_kb();
    kb.build().success();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let path = "content/errors/deepseek/insufficient-balance.yaml";
    kb.write(
        path,
        &kb.read(path)
            .replace("Insufficient Balance", "Out of credit"),
    );
    kb.run(&["lookup", "Error code: 402 - Out of credit"])
        .success()
        .stdout_has("deepseek/insufficient-balance");
}

/// Every fixture of every entry resolves, confidently, to that entry and no other.
fn assert_fixtures_resolve_to_their_entries(root: &Path) -> usize {
    let (kb, diagnostics) = load_knowledge_base(root);
    let kb = kb.unwrap_or_else(|| panic!("{diagnostics:?}"));
    let index = LookupIndex::build(&kb, &kb.site.base_url);
    let mut checked = 0;
    for entry in &kb.entries {
        for fixture in &entry.fixtures {
            let name = fixture.name.as_deref().unwrap_or("fixture");
            let found = index.lookup(&Evidence::read(&fixture.body, fixture.http_status));
            let ids: Vec<(&str, i32)> = found
                .candidates
                .iter()
                .map(|c| (index.entries[c.entry].id.as_str(), c.score))
                .collect();
            assert!(
                found.confident && ids[0].0 == entry.id(),
                "{} ({name}) looks up to {ids:?}, confident: {}",
                entry.id(),
                found.confident
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_fixture_of_the_shipped_content_resolves_to_its_entry_and_no_other() {
    let checked = assert_fixtures_resolve_to_their_entries(&repo_root());
    assert!(checked >= 2, "the shipped entries carry fixtures");
}

#[test]
fn every_fixture_of_the_lookup_fixture_resolves_to_its_entry() {
    assert!(assert_fixtures_resolve_to_their_entries(&fixture("lookup")) >= 4);
}

#[test]
fn lookup_prints_the_anchored_url_and_runners_up() {
    let kb = lookup_kb();
    let groq = golden_cases()
        .into_iter()
        .find(|c| c.expect.as_deref() == Some("groq/rate-limit"))
        .unwrap();
    kb.run(&["lookup", "--lang", "en", "--", &groq.body])
        .success()
        .stdout_has("groq/rate-limit")
        .stdout_has("https://help.example.org/en/groq/rate-limit/#steps")
        .stdout_has("runners-up:\nopenai/rate-limit");
    kb.run(&["lookup", "You exceeded your current quota"])
        .fails_with(3)
        .stdout_has("ambiguous")
        .stdout_has("gemini/resource-exhausted")
        .stdout_has("openai/insufficient-quota");
    kb.run(&["lookup", "nothing to see"])
        .fails_with(1)
        .stdout_has("no entry explains this error\n");
    let closest = kb.run(&["lookup", "my quota ran out of balance"]);
    closest
        .fails_with(1)
        .stdout_has("no entry explains this error; not a match, but the closest entries are:")
        .stdout_has("quota");
    assert!(!closest.stdout.contains("score"), "{}", closest.stdout);
}

#[test]
fn lookup_reads_stdin_and_reports_usage_errors_with_status_2() {
    let kb = lookup_kb();
    kb.run_with_stdin(&["lookup"], "429 RESOURCE_EXHAUSTED\n")
        .success()
        .stdout_has("gemini/resource-exhausted");
    kb.run_with_stdin(&["lookup", "-"], "Error code: 429 - insufficient_quota")
        .success()
        .stdout_has("openai/insufficient-quota");
    kb.run_with_stdin(&["lookup"], "  \n")
        .fails_with(2)
        .stderr_has("no error to look up");
    kb.run(&["lookup", "--lang", "de", "x"])
        .fails_with(2)
        .stderr_has("no language `de`");
    kb.run(&["lookup", "--status", "42", "x"]).fails_with(2);
}

#[test]
fn lookup_json_has_ids_codes_scores_and_urls_per_language() {
    let kb = lookup_kb();
    let run = kb.run(&["lookup", "--json", "Error code: 429 - insufficient_quota"]);
    run.success();
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let best = &json["matches"][0];
    assert_eq!(best["id"], "openai/insufficient-quota");
    assert_eq!(best["provider"], "openai");
    assert_eq!(best["code"], "insufficient_quota");
    assert_eq!(best["http_status"], 429);
    assert!(best["score"].as_i64().unwrap() > 0);
    assert_eq!(
        best["urls"]["fr"],
        "https://help.example.org/fr/openai/insufficient-quota/#steps"
    );
    assert_eq!(
        best["urls"]["en"],
        "https://help.example.org/en/openai/insufficient-quota/#steps"
    );
    assert_eq!(json["evidence"]["http_status"], 429);
}

#[test]
fn secrets_in_a_pasted_error_never_reach_the_output() {
    let kb = lookup_kb();
    let error = "Error code: 401 - {'error': {'message': 'Incorrect API key provided: \
                 sk-proj-SECRETsecret12345. Org org-SECRETorg123456, key AIzaSECRETsecretSECRET12345', \
                 'code': 'invalid_api_key'}}";
    for args in [vec!["lookup", "--json", error], vec!["lookup", error]] {
        let run = kb.run(&args);
        run.success().stdout_has("openai/invalid-api-key");
        assert!(!run.stdout.contains("SECRET") && !run.stderr.contains("SECRET"));
    }
}
