//! What `build` writes so that people and programs find an entry: the search indexes,
//! `lookup.json`, `errors.json`, short links and aliases, the search and lookup pages.

use crate::helper::{KbTest, attribute_values};

/// The lookup fixture: entries of four providers, one with an alias.
fn built() -> KbTest {
    let kb = KbTest::from_fixture("lookup");
    kb.build().success();
    kb
}

fn json(kb: &KbTest, rel: &str) -> serde_json::Value {
    serde_json::from_str(&kb.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn every_page_loads_its_own_languages_search_index() {
    let kb = built();
    for (lang, page) in [
        ("fr", "public/fr/openai/insufficient-quota/index.html"),
        ("en", "public/en/index.html"),
        ("fr", "public/fr/search/index.html"),
        ("en", "public/en/lookup/index.html"),
    ] {
        let html = kb.read(page);
        let index = attribute_values(&html, "data-search-index");
        assert_eq!(index.len(), 1, "{page}");
        // The manifest is named without a version (the browser revalidates it), so
        // that a page does not change when another entry does; it names hashed shards.
        assert!(
            index[0].ends_with(&format!("search-index.{lang}.json")),
            "{page}"
        );
        assert!(html.contains("static/search.js"), "{page}");
        assert!(html.contains("static/search.css"), "{page}");
    }
}

#[test]
fn search_indexes_are_per_language_and_point_at_section_anchors() {
    let kb = built();
    let fr = kb.read("public/search-index.fr.json");
    let en = kb.read("public/search-index.en.json");
    let manifest: serde_json::Value = serde_json::from_str(&fr).unwrap();
    assert_eq!(manifest["lang"], "fr");
    let chunk = manifest["chunks"][0].as_str().unwrap();
    assert!(chunk.starts_with("search/fr/e-"), "content-hashed: {chunk}");
    let entries = json(&kb, &format!("public/{chunk}"));
    let quota = entries
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e[0] == "openai/insufficient-quota")
        .unwrap();
    let anchors: Vec<&str> = quota[6]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s[0].as_str().unwrap())
        .collect();
    assert_eq!(anchors, ["", "received", "step-fix"]);
    let shard = manifest["shards"][0][1].as_str().unwrap();
    let terms = json(&kb, &format!("public/{shard}"));
    for term in [
        "insufficient_quota",
        "insufficient",
        "quota",
        "429",
        "quota-exceeded",
    ] {
        assert!(terms.get(term).is_some(), "no term {term}");
    }
    assert!(
        !en.contains("search/fr/"),
        "the English index never leads to French files"
    );
}

#[test]
fn errors_json_lists_every_entry_with_urls_anchors_and_rules() {
    let kb = built();
    let catalogue = json(&kb, "public/errors.json");
    assert_eq!(catalogue["languages"], serde_json::json!(["fr", "en"]));
    let errors = catalogue["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 11);
    let quota = errors
        .iter()
        .find(|e| e["id"] == "openai/insufficient-quota")
        .unwrap();
    assert_eq!(quota["provider"], "openai");
    assert_eq!(quota["code"], "insufficient_quota");
    assert_eq!(quota["http_status"], 429);
    assert_eq!(quota["retryable"], false);
    assert_eq!(quota["match"]["codes"][0], "insufficient_quota");
    assert_eq!(
        quota["urls"]["en"],
        "https://help.example.org/en/openai/insufficient-quota/"
    );
    assert_eq!(
        quota["short_url"],
        "https://help.example.org/e/openai/insufficient_quota/"
    );
    assert_eq!(
        quota["anchors"],
        serde_json::json!(["received", "steps", "step-fix", "support"])
    );
}

#[test]
fn short_links_exist_per_provider_and_bare_for_unique_codes() {
    let kb = built();
    for page in [
        "public/e/openai/insufficient_quota/index.html",
        "public/e/insufficient_quota/index.html",
        "public/e/gemini/RESOURCE_EXHAUSTED/index.html",
        "public/e/RESOURCE_EXHAUSTED/index.html",
        "public/e/openai/rate_limit_exceeded/index.html",
        "public/e/groq/rate_limit_exceeded/index.html",
    ] {
        assert!(kb.exists(page), "missing {page}");
    }
    assert!(
        !kb.exists("public/e/rate_limit_exceeded/index.html"),
        "two providers share rate_limit_exceeded: no bare short link"
    );
    let page = kb.read("public/e/openai/insufficient_quota/index.html");
    // The targets are the page's links, default language first: what a reader without
    // JavaScript follows, and what the shared script picks from.
    let targets: Vec<(String, String)> = attribute_values(&page, "hreflang")
        .into_iter()
        .zip(attribute_values(&page, "href").into_iter().skip(1))
        .collect();
    assert_eq!(
        targets,
        [
            ("fr".into(), "../../../fr/openai/insufficient-quota/".into()),
            ("en".into(), "../../../en/openai/insufficient-quota/".into())
        ]
    );
    assert!(!page.contains("<script>"), "no inline script: {page}");
}

#[test]
fn redirect_pages_and_the_root_page_share_one_script_named_by_its_version() {
    let kb = built();
    let page = kb.read("public/e/openai/insufficient_quota/index.html");
    let src = attribute_values(&page, "src");
    assert_eq!(src.len(), 1, "{page}");
    let (path, version) = src[0].split_once("?v=").expect("a versioned script");
    assert_eq!(path, "../../../static/pick-language.js");
    let script = kb.read("public/static/pick-language.js");
    assert!(script.contains("location.replace("));
    assert!(script.contains("localStorage.getItem(\"errbook-lang\")"));
    // Every redirect page and the root page name the same copy.
    let alias = kb.read("public/fr/openai/quota-exceeded/index.html");
    let root = kb.read("public/index.html");
    for other in [&alias, &root] {
        let src = attribute_values(other, "src");
        assert!(
            src[0].ends_with(&format!("static/pick-language.js?v={version}")),
            "{src:?}"
        );
    }
    // A new version of the script gets a new name.
    kb.write(
        "static/pick-language.js",
        &format!("{script}\n// changed\n"),
    );
    kb.build().success();
    let page = kb.read("public/e/openai/insufficient_quota/index.html");
    assert!(!page.contains(version), "{page}");
}

#[test]
fn aliases_redirect_within_their_language() {
    let kb = built();
    let page = kb.read("public/fr/openai/quota-exceeded/index.html");
    assert_eq!(attribute_values(&page, "hreflang"), ["fr"], "{page}");
    assert!(page.contains(r#"<a href="../insufficient-quota/" hreflang="fr""#));
    assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));
    let en = kb.read("public/en/openai/quota-exceeded/index.html");
    assert_eq!(attribute_values(&en, "hreflang"), ["en"], "{en}");
    assert!(en.contains(r#"<a href="../insufficient-quota/" hreflang="en""#));
}

#[test]
fn lookup_json_holds_normalized_rules_and_provider_hints() {
    let kb = built();
    let lookup = json(&kb, "public/lookup.json");
    let gemini = lookup["providers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "gemini")
        .unwrap();
    let hints: Vec<&str> = gemini["hints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    assert!(
        hints.contains(&"ai.google.dev") && hints.contains(&"generativelanguage.googleapis.com")
    );
    let entry = lookup["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "gemini/resource-exhausted")
        .unwrap();
    assert_eq!(entry["statuses"][0], "resource_exhausted");
    assert_eq!(entry["messages"][0], "you exceeded your current quota");
    assert_eq!(entry["anchor"], "steps");
    assert_eq!(lookup["points"]["code"], 100);
}

#[test]
fn search_and_lookup_pages_exist_in_every_language() {
    let kb = built();
    for lang in ["fr", "en"] {
        let search = kb.read(&format!("public/{lang}/search/index.html"));
        assert!(search.contains("data-search-mode=\"search\""));
        let lookup = kb.read(&format!("public/{lang}/lookup/index.html"));
        assert!(lookup.contains("data-search-mode=\"lookup\""));
    }
}

#[test]
fn a_code_unfit_for_a_path_gets_a_path_safe_short_link() {
    let kb = KbTest::from_fixture("lookup");
    let path = "content/errors/deepseek/insufficient-balance.yaml";
    kb.write(
        path,
        &kb.read(path).replace(
            "code: insufficient_balance",
            "code: \"Insufficient Balance/402\"",
        ),
    );
    kb.build().success();
    assert!(kb.exists("public/e/deepseek/Insufficient-Balance-402/index.html"));
}

#[test]
fn codes_that_share_a_short_link_and_reserved_provider_ids_are_errors() {
    let kb = KbTest::from_fixture("lookup");
    kb.write(
        "content/errors/openai/other.yaml",
        &kb.read("content/errors/openai/rate-limit.yaml")
            .replace("code: rate_limit_exceeded", "code: \"rate limit exceeded\"")
            .replace("code: insufficient_quota", "code: x"),
    );
    kb.write(
        "content/errors/openai/spaced.yaml",
        &kb.read("content/errors/openai/rate-limit.yaml")
            .replace("code: rate_limit_exceeded", "code: \"rate-limit exceeded\""),
    );
    kb.write("content/providers/search.yaml", "name: Search\n");
    kb.build()
        .fails_with(1)
        .stderr_has("the short link /e/openai/rate-limit-exceeded/ is taken")
        .stderr_has("`search` cannot be a provider id");
}

#[test]
fn lookup_finds_candidates_through_keys_and_chunks_of_rules() {
    let kb = built();
    let manifest = json(&kb, "public/search-index.en.json");
    let keys_path = manifest["lookup"].as_str().unwrap();
    assert!(
        keys_path.starts_with("lookup/keys.json?v="),
        "versioned: {keys_path}"
    );
    let keys = json(&kb, "public/lookup/keys.json");
    let entry_of = |key: &str| keys["keys"][key].as_array().map(|l| l.len());
    // Identifiers, folded; a message under its rarest run of words (the first of equals).
    assert_eq!(entry_of("insufficient_quota"), Some(1));
    assert_eq!(entry_of("rate_limit_exceeded"), Some(2));
    assert_eq!(entry_of("resource_exhausted"), Some(1));
    assert_eq!(entry_of("resource"), Some(1), "resource has been exhausted");
    let chunk = keys["chunks"][0].as_str().unwrap();
    let rules = json(&kb, &format!("public/{chunk}"));
    assert_eq!(rules.as_array().unwrap().len(), 11);
}
