//! Live reload in a real browser: headless Chromium (Debian's, never downloaded) opens
//! pages from `errbook serve`, the test edits files, and the pages follow by themselves.
//!
//! Chromium is found and launched as in `browser.rs`.

use headless_chrome::protocol::cdp::Emulation::{MediaFeature, SetEmulatedMedia};
use headless_chrome::{Browser, Tab};
use serde_json::Value;

use crate::browser::chromium;
use crate::helper::KbTest;
use crate::helper::{PATIENCE, eventually};
use crate::served::Served;

const QUOTA: &str = "content/errors/openai/quota.yaml";

/// Opens `path` of `served` in a new tab.
fn open(browser: &Browser, served: &Served, path: &str) -> std::sync::Arc<Tab> {
    let tab = browser.new_tab().expect("a tab");
    let url = format!("http://{}{path}", served.address);
    tab.navigate_to(&url).expect("navigates");
    // Connected means loaded, with the live-reload script running.
    wait_until(&tab, LIVE, Value::Bool(true));
    tab
}

/// True once the page's live-reload script is connected.
const LIVE: &str = "!!(window.errbookLiveReload && window.errbookLiveReload.connected)";

fn evaluate(tab: &Tab, script: &str) -> Value {
    tab.evaluate(script, false)
        .ok()
        .and_then(|result| result.value)
        .unwrap_or(Value::Null)
}

/// Waits until `script` evaluates to `expected` in `tab`.
#[track_caller]
fn wait_until(tab: &Tab, script: &str, expected: Value) {
    let seen = eventually(PATIENCE, || {
        Some(evaluate(tab, script)).filter(|value| *value == expected)
    });
    assert!(
        seen.is_some(),
        "{script} never gave {expected}; last: {}",
        evaluate(tab, script)
    );
}

#[test]
fn an_open_page_follows_edits_and_keeps_its_place() {
    let Some(browser) = chromium() else { return };
    let kb = KbTest::minimal();
    let served = kb.serve();
    let tab = open(&browser, &served, "/en/openai/quota/#step-add-card");
    wait_until(
        &tab,
        "document.querySelector('h1').textContent",
        "Insufficient quota".into(),
    );
    let scrolled = evaluate(
        &tab,
        "window.scrollTo({ top: 120, behavior: 'instant' }); window.marker = 1; window.scrollY",
    );

    kb.edit(QUOTA, "en: Insufficient quota", "en: Quota used up");
    wait_until(
        &tab,
        "document.querySelector('h1').textContent",
        "Quota used up".into(),
    );
    assert_eq!(
        evaluate(&tab, "typeof window.marker"),
        "undefined",
        "the page reloaded"
    );
    assert_eq!(evaluate(&tab, "location.hash"), "#step-add-card");
    wait_until(&tab, "window.scrollY", scrolled);
    wait_until(&tab, LIVE, Value::Bool(true));
}

#[test]
fn a_stylesheet_change_applies_without_a_reload() {
    let Some(browser) = chromium() else { return };
    let kb = KbTest::minimal();
    let served = kb.serve();
    let tab = open(&browser, &served, "/fr/openai/quota/");
    evaluate(&tab, "window.marker = 1");

    kb.write("static/style.css", "h1 { color: rgb(1, 2, 3) }\n");
    wait_until(
        &tab,
        "getComputedStyle(document.querySelector('h1')).color",
        "rgb(1, 2, 3)".into(),
    );
    assert_eq!(evaluate(&tab, "window.marker"), 1, "no reload");
}

/// The contrast ratio (WCAG) of the text of the overlay's source snippet on its background.
const SNIPPET_CONTRAST: &str = "(() => {
  const style = getComputedStyle(document.querySelector('#errbook-overlay pre'));
  const luminance = (colour) => {
    const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map((v) => {
      v = Number(v) / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [luminance(style.color), luminance(style.backgroundColor)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
})()";

#[test]
fn problems_show_over_the_page_and_go_once_fixed() {
    let Some(browser) = chromium() else { return };
    let kb = KbTest::minimal();
    let served = kb.serve();
    let tab = open(&browser, &served, "/fr/openai/quota/");
    let good = kb.read(QUOTA);

    kb.edit(
        QUOTA,
        "title:\n  fr: Quota insuffisant",
        "title: {fr: Quota insuffisant",
    );
    let overlay = "(document.getElementById('errbook-overlay') || {}).textContent || null";
    let shown = eventually(PATIENCE, || {
        Some(evaluate(&tab, overlay)).filter(|text| text.is_string())
    })
    .expect("the overlay shows");
    assert!(
        shown
            .as_str()
            .unwrap()
            .contains("--> content/errors/openai/quota.yaml:7:8"),
        "{shown}"
    );
    assert!(evaluate(&tab, "document.querySelector('h1').textContent") == "Quota insuffisant");
    for scheme in ["light", "dark"] {
        let media = SetEmulatedMedia {
            media: None,
            features: Some(vec![MediaFeature {
                name: "prefers-color-scheme".into(),
                value: scheme.into(),
            }]),
        };
        tab.call_method(media).unwrap();
        let contrast = evaluate(&tab, SNIPPET_CONTRAST).as_f64().unwrap();
        assert!(
            contrast >= 7.0,
            "{scheme}: the snippet's contrast is {contrast:.1}"
        );
    }

    kb.write(QUOTA, &good);
    wait_until(&tab, overlay, Value::Null);
}

#[test]
fn twenty_open_tabs_all_reload() {
    let Some(browser) = chromium() else { return };
    let kb = KbTest::minimal();
    let served = kb.serve();
    // More tabs than the six HTTP/1.1 connections a browser opens to one host.
    let tabs: Vec<_> = (0..20)
        .map(|i| {
            let lang = if i % 2 == 0 { "fr" } else { "en" };
            open(&browser, &served, &format!("/{lang}/groq/rate-limit/"))
        })
        .collect();

    kb.edit(
        "content/errors/groq/rate-limit.yaml",
        "{fr: Attendre, en: Wait}",
        "{fr: Patienter, en: Wait a bit}",
    );
    for (i, tab) in tabs.iter().enumerate() {
        let step = if i % 2 == 0 {
            "Patienter"
        } else {
            "Wait a bit"
        };
        let script = format!("document.body.textContent.includes('{step}')");
        wait_until(tab, &script, Value::Bool(true));
    }
}

#[test]
fn a_page_reconnects_after_a_restart_and_shows_what_changed_meanwhile() {
    let Some(browser) = chromium() else { return };
    let kb = KbTest::minimal();
    let served = kb.serve();
    let port = served.address.port().to_string();
    let tab = open(&browser, &served, "/en/openai/quota/");

    drop(served);
    wait_until(&tab, LIVE, Value::Bool(false));
    kb.edit(QUOTA, "en: Insufficient quota", "en: Changed while stopped");
    let _again = kb.serve_with(&["--port", &port]);
    wait_until(
        &tab,
        "document.querySelector('h1').textContent",
        "Changed while stopped".into(),
    );
}
