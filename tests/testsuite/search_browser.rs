//! The site in a real browser (headless Chromium, driven by `headless_chrome`): search as
//! you type, pasted errors, the lookup page, short links, and the JavaScript matcher
//! against the Rust one on the golden fixtures.
//!
//! Each test serves the output of `build` over http://127.0.0.1 (`http.rs`). Without
//! `/usr/bin/chromium` the tests say so and pass, unless `CI` is set: then they fail,
//! since CI installs Chromium (`.ci/run`).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use headless_chrome::{Browser, Tab};

use errbook::pipeline::load_knowledge_base;
use errbook::search::{Evidence, LookupIndex};

use crate::clients::{assert_answers, client_cases};
use crate::helper::{KbTest, copy_tree, fixture, repo_root};
use crate::http::serve;
use crate::lookup::{golden_cases, lookup_kb};

/// Chromium, launched as in `browser.rs`.
pub fn browser() -> Option<Browser> {
    crate::browser::chromium()
}

/// A built knowledge base and the URL it is served at.
pub(crate) struct Served {
    _kb: KbTest,
    pub(crate) url: String,
}

/// The shipped knowledge base (the seed entry), built and served once.
pub(crate) fn shipped_site() -> &'static Served {
    static SITE: OnceLock<Served> = OnceLock::new();
    SITE.get_or_init(|| {
        let kb = KbTest::from_fixture("minimal");
        std::fs::remove_dir_all(kb.path("content")).unwrap();
        copy_tree(&repo_root().join("content"), &kb.path("content"));
        kb.build().success();
        let url = serve(&kb.path("public"));
        Served { _kb: kb, url }
    })
}

/// The lookup fixture (four providers that share codes and messages), built and served.
fn lookup_site() -> &'static Served {
    static SITE: OnceLock<Served> = OnceLock::new();
    SITE.get_or_init(|| {
        let kb = lookup_kb();
        kb.build().success();
        let url = serve(&kb.path("public"));
        Served { _kb: kb, url }
    })
}

/// Opens the English lookup page of the site at `url` for `error`, and waits until
/// `until` holds (`status()` is the text of the page's status line).
fn open_lookup(tab: &Tab, url: &str, error: &str, until: &str) {
    let query = error.replace(' ', "%20");
    tab.navigate_to(&format!("{url}en/lookup/?q={query}"))
        .unwrap();
    let status = "(() => document.getElementById('search-page-status').textContent)";
    wait_for(tab, &until.replace("status()", &format!("{status}()")));
}

/// Runs `expression` (which may return a promise) and returns its value as JSON; the
/// expression's value is passed through `JSON.stringify` in the page.
pub fn eval(tab: &Tab, expression: &str) -> serde_json::Value {
    let wrapped = format!(
        "Promise.resolve({expression}).then(v => JSON.stringify(v === undefined ? null : v))"
    );
    let result = tab.evaluate(&wrapped, true).expect("the expression runs");
    let text = result
        .value
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_else(|| panic!("no value for {expression}: {:?}", result.description));
    serde_json::from_str(&text).unwrap()
}

/// Waits until `expression` is true in the page (it may navigate meanwhile).
pub fn wait_for(tab: &Tab, expression: &str) {
    let start = Instant::now();
    loop {
        let done = tab
            .evaluate(&format!("!!({expression})"), false)
            .ok()
            .and_then(|r| r.value)
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if done {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "timed out waiting for {expression}; at {}",
            tab.get_url()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn href(tab: &Tab) -> String {
    eval(tab, "location.href").as_str().unwrap().to_string()
}

#[test]
fn typing_a_query_shows_ranked_highlighted_results_and_enter_opens_the_anchor() {
    let Some(browser) = browser() else { return };
    let site = shipped_site();
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{}fr/", site.url)).unwrap();
    tab.wait_for_element("#search-q").unwrap().click().unwrap();
    tab.type_str("carte bancaire").unwrap();
    wait_for(&tab, "document.querySelector('#search-result-0')");
    let first = eval(&tab, "document.querySelector('#search-result-0').href");
    assert!(
        first
            .as_str()
            .unwrap()
            .ends_with("/fr/openai/insufficient-quota/#step-add-card"),
        "{first}"
    );
    let marks = eval(
        &tab,
        "[...document.querySelectorAll('#search-result-0 mark')].map(m => m.textContent)",
    );
    assert_eq!(marks, serde_json::json!(["carte", "bancaire"]));
    tab.press_key("ArrowDown").unwrap();
    let active = eval(
        &tab,
        "document.querySelector('#search-q').getAttribute('aria-activedescendant')",
    );
    assert_eq!(active, "search-result-0");
    tab.press_key("Enter").unwrap();
    wait_for(
        &tab,
        "location.pathname.endsWith('/fr/openai/insufficient-quota/')",
    );
    assert!(href(&tab).ends_with("#step-add-card"));

    // Escape closes the list; the English index never answers with French pages.
    tab.navigate_to(&format!("{}en/", site.url)).unwrap();
    tab.wait_for_element("#search-q").unwrap().click().unwrap();
    tab.type_str("bank card").unwrap();
    wait_for(&tab, "document.querySelector('#search-result-0')");
    let urls = eval(
        &tab,
        "[...document.querySelectorAll('#search-results .sr-link')].map(a => a.href)",
    );
    let urls = urls.as_array().unwrap();
    assert!(
        urls[0]
            .as_str()
            .unwrap()
            .ends_with("/en/openai/insufficient-quota/#step-add-card")
    );
    assert!(urls.iter().all(|u| u.as_str().unwrap().contains("/en/")));
    tab.press_key("Escape").unwrap();
    wait_for(&tab, "document.querySelector('#search-results').hidden");
}

#[test]
fn exact_codes_come_first_and_the_search_page_keeps_the_query() {
    let Some(browser) = browser() else { return };
    let site = shipped_site();
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{}en/search/?q=insufficient_quota", site.url))
        .unwrap();
    wait_for(&tab, "document.querySelector('#search-page-results li')");
    // A code is an exact match: its entry comes first, at the section to start with.
    let first = eval(
        &tab,
        "document.querySelector('#search-page-results a').pathname",
    );
    assert_eq!(first, "/en/openai/insufficient-quota/");
    let input = eval(&tab, "document.querySelector('#search-page-q').value");
    assert_eq!(input, "insufficient_quota");
    tab.wait_for_element("#search-page-q")
        .unwrap()
        .click()
        .unwrap();
    tab.type_str(" 429").unwrap();
    wait_for(&tab, "location.search === '?q=insufficient_quota%20429'");
}

#[test]
fn pasting_a_whole_sdk_error_lands_on_its_entry() {
    let Some(browser) = browser() else { return };
    let site = lookup_site();
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{}en/", site.url)).unwrap();
    tab.wait_for_element("#search-q").unwrap().click().unwrap();
    let error = golden_cases()
        .into_iter()
        .find(|c| c.name.starts_with("Gemini Python SDK"))
        .unwrap()
        .body;
    let paste = format!(
        "(() => {{ const q = document.querySelector('#search-q'); q.value = {}; \
         q.dispatchEvent(new Event('paste')); return true; }})()",
        serde_json::to_string(&error).unwrap()
    );
    eval(&tab, &paste);
    wait_for(
        &tab,
        "location.pathname.endsWith('/en/gemini/resource-exhausted/')",
    );
    assert!(href(&tab).ends_with("#steps"));
}

#[test]
fn the_lookup_page_redirects_and_keeps_secrets_out_of_the_url() {
    let Some(browser) = browser() else { return };
    let site = lookup_site();
    let tab = browser.new_tab().unwrap();
    let error = "Error code: 401 - {'error': {'message': 'Incorrect API key provided: \
                 sk-proj-TOPSECRET12345678.', 'code': 'invalid_api_key'}}";
    let query: String = error
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    tab.navigate_to(&format!("{}fr/lookup/?q={query}", site.url))
        .unwrap();
    wait_for(
        &tab,
        "location.pathname.endsWith('/fr/openai/invalid-api-key/')",
    );
    assert!(href(&tab).ends_with("#steps"));

    // An ambiguous error stays on the page, lists both candidates, and the address bar
    // holds the query without the key.
    let ambiguous = "You exceeded your current quota (key sk-proj-TOPSECRET12345678)";
    open_lookup(
        &tab,
        &site.url,
        ambiguous,
        "document.querySelectorAll('#search-page-results > li').length >= 2",
    );
    let url = href(&tab);
    assert!(
        url.contains("/en/lookup/?q=") && !url.contains("TOPSECRET"),
        "{url}"
    );
    let listed = eval(
        &tab,
        "[...document.querySelectorAll('#search-page-results a')].map(a => a.pathname)",
    );
    let listed = listed.to_string();
    assert!(
        listed.contains("/en/gemini/resource-exhausted/")
            && listed.contains("/en/openai/insufficient-quota/")
    );
}

#[test]
fn short_links_and_aliases_keep_the_fragment_and_pick_the_language() {
    let Some(browser) = browser() else { return };
    let site = lookup_site();
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{}fr/", site.url)).unwrap();
    eval(&tab, "localStorage.setItem('errbook-lang', 'fr')");
    tab.navigate_to(&format!(
        "{}e/gemini/RESOURCE_EXHAUSTED/#step-fix",
        site.url
    ))
    .unwrap();
    wait_for(
        &tab,
        "location.pathname.endsWith('/fr/gemini/resource-exhausted/')",
    );
    assert!(href(&tab).ends_with("#step-fix"));

    // No saved choice: the browser's language (en-US) wins; a bare code link works.
    eval(&tab, "localStorage.removeItem('errbook-lang')");
    tab.navigate_to(&format!("{}e/insufficient_quota/#received", site.url))
        .unwrap();
    wait_for(
        &tab,
        "location.pathname.endsWith('/en/openai/insufficient-quota/')",
    );
    assert!(href(&tab).ends_with("#received"));

    // A fragment that is not an anchor is dropped, never followed.
    tab.navigate_to(&format!(
        "{}e/insufficient_quota/#%22%3E%3Cscript%3E",
        site.url
    ))
    .unwrap();
    wait_for(
        &tab,
        "location.pathname.endsWith('/en/openai/insufficient-quota/')",
    );
    assert_eq!(eval(&tab, "location.hash"), "");

    // An alias keeps the language of its path.
    tab.navigate_to(&format!("{}fr/openai/quota-exceeded/#step-fix", site.url))
        .unwrap();
    wait_for(
        &tab,
        "location.pathname.endsWith('/fr/openai/insufficient-quota/')",
    );
    assert!(href(&tab).ends_with("#step-fix"));
}

#[test]
fn the_browser_matcher_gives_the_rust_answers_on_the_golden_fixtures() {
    let Some(browser) = browser() else { return };
    let site = lookup_site();
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{}en/", site.url)).unwrap();
    wait_for(&tab, "window.errbookSearch");
    let (kb, _) = load_knowledge_base(&fixture("lookup"));
    let kb = kb.unwrap();
    let index = LookupIndex::build(&kb, &kb.site.base_url);
    for case in golden_cases() {
        let rust = index.lookup(&Evidence::read(&case.body, case.http_status));
        let expected: Vec<(String, i32)> = rust
            .candidates
            .iter()
            .map(|c| (index.entries[c.entry].id.clone(), c.score))
            .collect();
        let call = format!(
            "errbookSearch.lookup({}, {}).then(r => ({{confident: r.confident, \
             candidates: r.candidates.map(c => [c.id, c.score])}}))",
            serde_json::to_string(&case.body).unwrap(),
            case.http_status.map_or("null".into(), |s| s.to_string())
        );
        let js = eval(&tab, &call);
        assert_eq!(js["confident"], rust.confident, "{}", case.name);
        assert_eq!(
            js["candidates"],
            serde_json::json!(expected),
            "{}",
            case.name
        );
    }
    let tokens: Vec<(String, Vec<String>)> =
        serde_json::from_str(&std::fs::read_to_string(fixture("search/tokenizer.json")).unwrap())
            .unwrap();
    for (text, expected) in tokens {
        let call = format!(
            "errbookSearch.terms({})",
            serde_json::to_string(&text).unwrap()
        );
        assert_eq!(eval(&tab, &call), serde_json::json!(expected), "{text}");
    }
    let redactions: Vec<(String, String)> =
        serde_json::from_str(&std::fs::read_to_string(fixture("lookup/redact.json")).unwrap())
            .unwrap();
    for (text, expected) in redactions {
        let call = format!(
            "errbookSearch.redact({})",
            serde_json::to_string(&text).unwrap()
        );
        assert_eq!(eval(&tab, &call), expected, "{text}");
    }
}

#[test]
fn the_browser_matcher_answers_the_table_of_client_strings_as_rust_does() {
    let Some(browser) = browser() else { return };
    let site = shipped_site();
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{}en/", site.url)).unwrap();
    wait_for(&tab, "window.errbookSearch");
    let cases = client_cases();
    let call = format!(
        "Promise.all({}.map(c => errbookSearch.lookup(c.body, c.http_status || null)\
         .then(r => [r.confident, r.candidates.map(x => x.id)])))",
        serde_json::to_string(
            &cases
                .iter()
                .map(|c| serde_json::json!({"body": c.body, "http_status": c.http_status}))
                .collect::<Vec<_>>()
        )
        .unwrap()
    );
    let answers: Vec<(bool, Vec<String>)> = serde_json::from_value(eval(&tab, &call)).unwrap();
    assert_answers(&cases, answers.into_iter());
}

#[test]
fn the_lookup_page_offers_a_choice_when_ambiguous_and_the_closest_entries_when_nothing_matches() {
    let Some(browser) = browser() else { return };
    let site = shipped_site();
    let tab = browser.new_tab().unwrap();
    let quota = "You exceeded your current quota, please check your plan and billing details.";
    open_lookup(&tab, &site.url, quota, "status().includes('choose')");
    assert!(href(&tab).contains("/en/lookup/"), "no redirect");
    let labelled = eval(
        &tab,
        "[...document.querySelectorAll('#search-page-results a')]\
         .filter(a => a.textContent.includes('Possible entries')).map(a => a.pathname)",
    )
    .to_string();
    assert!(
        labelled.contains("/en/gemini/resource-exhausted/")
            && labelled.contains("/en/openai/insufficient-quota/"),
        "{labelled}"
    );

    let unknown = "the proxy said: overloaded servers everywhere, try again tomorrow";
    open_lookup(
        &tab,
        &site.url,
        unknown,
        "status().includes('No entry explains')",
    );
    let rows = eval(
        &tab,
        "[...document.querySelectorAll('#search-page-results .sr-link')].map(a => a.textContent)",
    );
    let rows = rows.as_array().unwrap();
    assert!(!rows.is_empty(), "search offers entries");
    assert!(
        rows.iter()
            .all(|r| r.as_str().unwrap().contains("Closest, not a match")),
        "{rows:?}"
    );
}
