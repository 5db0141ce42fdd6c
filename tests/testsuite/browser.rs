//! Tests that only a browser can answer, in headless Chromium (Debian's, driven by the
//! `headless_chrome` crate; nothing is downloaded), against a built site served over
//! HTTP by the tests' static server (`http.rs`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use headless_chrome::{Browser, LaunchOptions, Tab};

use crate::helper::{KbTest, PATIENCE, eventually};

const CHROMIUM: &str = "/usr/bin/chromium";

/// Chromium, or `None` (with a message) when it is not installed outside CI.
pub fn chromium() -> Option<Browser> {
    if !Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium (apt-get install -y chromium)"
        );
        eprintln!("skipped: {CHROMIUM} is not installed (apt-get install -y chromium)");
        return None;
    }
    let options = LaunchOptions::default_builder()
        .path(Some(PathBuf::from(CHROMIUM)))
        .sandbox(false)
        .headless(true)
        .window_size(Some((1280, 900)))
        .args(
            [
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--lang=en-US",
            ]
            .iter()
            .map(std::ffi::OsStr::new)
            .collect(),
        )
        .idle_browser_timeout(Duration::from_secs(120))
        .build()
        .expect("launch options");
    Some(Browser::new(options).expect("chromium starts"))
}

/// A built site served over HTTP (`crate::http`), addressed by site paths.
pub struct StaticServer {
    base: String,
}

impl StaticServer {
    pub fn start(root: &Path) -> StaticServer {
        StaticServer {
            base: crate::http::serve(root),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path.trim_start_matches('/'))
    }
}

pub fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    tab.evaluate(js, false)
        .expect("script runs")
        .value
        .unwrap_or(serde_json::Value::Null)
}

/// The minimal fixture, built and served, with a tab open at `path`.
struct OpenSite {
    _kb: KbTest,
    server: StaticServer,
    tab: std::sync::Arc<Tab>,
}

fn open_minimal_site(browser: &Browser, path: &str) -> OpenSite {
    let kb = KbTest::minimal();
    kb.build().success();
    let server = StaticServer::start(&kb.path("public"));
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&server.url(path))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    OpenSite {
        _kb: kb,
        server,
        tab,
    }
}

/// Clicks the language switcher's link to `lang` and waits for the URL to contain `expect`.
fn switch_language(tab: &Tab, lang: &str, expect: &str) {
    tab.wait_for_element(&format!("nav.languages a[hreflang={lang}]"))
        .unwrap()
        .click()
        .unwrap();
    eventually(PATIENCE, || tab.get_url().contains(expect).then_some(()))
        .expect("the other language's page opens");
}

#[test]
fn switching_language_keeps_the_fragment_and_the_checklist_survives_a_reload() {
    let Some(browser) = chromium() else { return };
    let OpenSite { _kb, server, tab } =
        open_minimal_site(&browser, "fr/openai/quota/#step-add-card");

    switch_language(&tab, "en", "/en/");
    tab.wait_until_navigated().unwrap();
    assert_eq!(tab.get_url(), server.url("en/openai/quota/#step-add-card"));
    assert_eq!(eval(&tab, "document.documentElement.lang"), "en");
    assert_eq!(
        eval(
            &tab,
            "document.querySelector(':target') && document.querySelector(':target').id"
        ),
        "step-add-card"
    );

    tab.wait_for_element("input[data-check=card]")
        .unwrap()
        .click()
        .unwrap();
    assert_eq!(
        eval(
            &tab,
            "document.querySelector('input[data-check=card]').checked"
        ),
        true
    );
    tab.reload(false, None)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    tab.wait_for_element("input[data-check=card]").unwrap();
    let checked = "document.querySelector('input[data-check=card]').checked";
    eventually(PATIENCE, || (eval(&tab, checked) == true).then_some(()))
        .expect("the checklist state is restored");
}

#[test]
fn the_language_switcher_keeps_a_search_query() {
    let Some(browser) = chromium() else { return };
    let OpenSite { _kb, server, tab } = open_minimal_site(&browser, "fr/search/?q=quota");
    switch_language(&tab, "en", "/en/search/");
    assert_eq!(tab.get_url(), server.url("en/search/?q=quota"));
}

#[test]
fn the_root_page_picks_the_saved_language() {
    let Some(browser) = chromium() else { return };
    let OpenSite { _kb, server, tab } = open_minimal_site(&browser, "fr/");
    eval(&tab, "localStorage.setItem('errbook-lang', 'en')");
    tab.navigate_to(&server.url("")).unwrap();
    eventually(PATIENCE, || {
        (tab.get_url() == server.url("en/")).then_some(())
    })
    .expect("the English home page opens");
}

/// The schema.org items of the open page, read from its microdata as the HTML standard
/// says a crawler reads them: `{"@type": …, property: [values…]}` per top-level item.
const READ_MICRODATA: &str = r#"(() => {
  const value = el => el.hasAttribute("itemscope") ? item(el)
    : el.localName === "a" || el.localName === "link" ? el.href
    : el.localName === "meta" ? el.content
    : el.textContent.replace(/\s+/g, " ").trim();
  const item = root => {
    const out = { "@type": root.getAttribute("itemtype") };
    for (const el of root.querySelectorAll("[itemprop]")) {
      if (el.parentElement.closest("[itemscope]") !== root) continue;
      for (const name of el.getAttribute("itemprop").split(/\s+/)) {
        (out[name] = out[name] || []).push(value(el));
      }
    }
    return out;
  };
  return JSON.stringify([...document.querySelectorAll("[itemscope]:not([itemprop])")].map(item));
})()"#;

#[test]
fn structured_data_reads_as_a_how_to_and_a_faq_page() {
    let Some(browser) = chromium() else { return };
    let kb = KbTest::minimal();
    let path = "content/errors/openai/quota.yaml";
    let with_bare_step = kb.read(path).replace(
        "alternatives:",
        "  - id: wait\n    title: {fr: Attendre, en: Wait a minute}\nalternatives:",
    );
    kb.write(path, &with_bare_step);
    kb.build().success();
    let server = StaticServer::start(&kb.path("public"));
    let tab = browser.new_tab().unwrap();
    let page = server.url("en/openai/quota/");
    tab.navigate_to(&page)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    let items: serde_json::Value =
        serde_json::from_str(eval(&tab, READ_MICRODATA).as_str().unwrap()).unwrap();
    let how_to = serde_json::json!({
        "@type": "https://schema.org/HowTo",
        "name": ["Insufficient quota"],
        "description": ["The account has no credit left."],
        "step": [
            {
                "@type": "https://schema.org/HowToStep",
                "url": [format!("{page}#step-add-card")],
                "name": ["Add a bank card"],
                "text": ["Go to https://platform.openai.com/account/billing/payment-methods"],
            },
            {
                "@type": "https://schema.org/HowToStep",
                "url": [format!("{page}#step-wait")],
                // A step without a body is described by its title.
                "name": ["Wait a minute"],
                "text": ["Wait a minute"],
            },
        ],
    });
    let faq = serde_json::json!({
        "@type": "https://schema.org/FAQPage",
        "mainEntity": [{
            "@type": "https://schema.org/Question",
            "name": ["I enabled billing"],
            "acceptedAnswer": [{
                "@type": "https://schema.org/Answer",
                "text": ["Add a card too."],
            }],
        }],
    });
    assert_eq!(items, serde_json::json!([how_to, faq]));
}
