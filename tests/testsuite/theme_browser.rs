//! The theme in a real browser: the header at desktop and phone widths, the search page
//! (one box, results grouped by entry) and a search that forgives typos.
//!
//! Runs on the shipped knowledge base, served as in `search_browser.rs`.

use headless_chrome::Tab;
use headless_chrome::protocol::cdp::Emulation::SetDeviceMetricsOverride;

use crate::search_browser::{browser, eval, shipped_site, wait_for};

/// Lays the page out as a screen `width` pixels wide would.
fn set_width(tab: &Tab, width: u32) {
    tab.call_method(SetDeviceMetricsOverride {
        width,
        height: 900,
        device_scale_factor: 1.0,
        mobile: width < 600,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .unwrap();
}

/// The header's title, search box and languages: top and bottom of each, the box's width,
/// the width its placeholder needs, and the page's scroll width.
const HEADER_GEOMETRY: &str = "(() => {
  const box = e => { const r = document.querySelector(e).getBoundingClientRect(); return [r.top, r.bottom]; };
  const input = document.querySelector('#search-q'), style = getComputedStyle(input);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = style.font;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return { brand: box('.brand'), search: box('#search-q'), languages: box('nav.languages'),
    room, needed: ctx.measureText(input.placeholder).width, scroll: document.documentElement.scrollWidth };
})()";

fn middle(range: &serde_json::Value) -> f64 {
    (range[0].as_f64().unwrap() + range[1].as_f64().unwrap()) / 2.0
}

#[test]
fn the_header_is_one_row_at_1280_pixels_and_the_search_box_shows_its_whole_placeholder() {
    let Some(browser) = browser() else { return };
    let tab = browser.new_tab().unwrap();
    set_width(&tab, 1280);
    tab.navigate_to(&format!("{}fr/", shipped_site().url))
        .unwrap();
    tab.wait_for_element("#search-q").unwrap();
    let g = eval(&tab, HEADER_GEOMETRY);
    let row = middle(&g["search"]);
    for part in ["brand", "languages"] {
        assert!(
            (middle(&g[part]) - row).abs() < 8.0,
            "{part} is off the row: {g}"
        );
    }
    assert!(
        g["needed"].as_f64() < g["room"].as_f64(),
        "placeholder cut: {g}"
    );
}

#[test]
fn at_390_pixels_the_search_box_takes_its_own_row_and_nothing_scrolls_sideways() {
    let Some(browser) = browser() else { return };
    let tab = browser.new_tab().unwrap();
    set_width(&tab, 390);
    tab.navigate_to(&format!(
        "{}fr/openai/insufficient-quota/",
        shipped_site().url
    ))
    .unwrap();
    tab.wait_for_element("#search-q").unwrap();
    let g = eval(&tab, HEADER_GEOMETRY);
    assert!(
        g["search"][0].as_f64() >= g["brand"][1].as_f64(),
        "box under the title: {g}"
    );
    assert!(
        g["needed"].as_f64() < g["room"].as_f64(),
        "placeholder cut: {g}"
    );
    assert!(g["scroll"].as_f64() <= Some(390.0), "sideways scroll: {g}");
}

#[test]
fn the_search_page_has_one_box_and_lists_each_entry_once_with_its_sections_beneath() {
    let Some(browser) = browser() else { return };
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{}fr/search/?q=429", shipped_site().url))
        .unwrap();
    wait_for(&tab, "document.querySelector('#search-page-results > li')");
    assert_eq!(
        eval(
            &tab,
            "document.querySelectorAll('input[type=search]').length"
        ),
        1
    );
    let entries = eval(
        &tab,
        "[...document.querySelectorAll('#search-page-results > li')].map(li => li.dataset.entry)",
    );
    let entries: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    let mut unique = entries.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        entries.len(),
        "an entry listed twice: {entries:?}"
    );
    assert!(entries.len() >= 4, "{entries:?}");
    // Each section link sits under its own entry and opens at its anchor.
    let misplaced = eval(
        &tab,
        "[...document.querySelectorAll('.sr-sections a')].filter(a => \
           !a.hash || a.pathname !== a.closest('li[data-entry]').querySelector('.sr-link').pathname).length",
    );
    assert_eq!(misplaced, 0);
    assert!(eval(&tab, "document.querySelectorAll('.sr-sections a').length").as_u64() >= Some(4));
}

#[test]
fn a_misspelt_word_finds_its_entries_and_a_query_with_no_result_offers_near_terms_and_lookup() {
    let Some(browser) = browser() else { return };
    let site = shipped_site();
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{}fr/search/?q=overloded", site.url))
        .unwrap();
    wait_for(&tab, "document.querySelector('#search-page-results > li')");
    let first = eval(
        &tab,
        "document.querySelector('#search-page-results .sr-link').pathname",
    );
    assert!(first.as_str().unwrap().contains("overloaded"), "{first}");
    let status = eval(
        &tab,
        "document.querySelector('#search-page-status').textContent",
    );
    assert!(status.as_str().unwrap().contains("overloaded"), "{status}");
    // Numbers are never bent: a status one digit off finds nothing.
    let bent = eval(
        &tab,
        "errbookSearch.search('4290 ', 10).then(r => r.length)",
    );
    assert_eq!(bent, 0);
    // Three letters too many: beyond the two typos forgiven, but near terms are offered
    // (from the shard the word sorts into, which is where `overloaded` sorts too).
    tab.navigate_to(&format!("{}fr/search/?q=overloadedxyz", site.url))
        .unwrap();
    wait_for(&tab, "document.querySelector('.search-lookup-link')");
    let offered = eval(
        &tab,
        "[...document.querySelectorAll('#search-page-status a')].map(a => a.textContent + ' ' + a.pathname + a.search)",
    );
    let offered = offered.to_string();
    assert!(
        offered.contains("overloaded /fr/search/?q=overloaded"),
        "{offered}"
    );
    assert!(offered.contains("/fr/lookup/?q=overloadedxyz"), "{offered}");
    assert_eq!(
        eval(
            &tab,
            "document.querySelectorAll('#search-page-results > li').length"
        ),
        0
    );
}

#[test]
fn an_entry_offers_copy_on_its_code_blocks_only_and_shows_anchors_on_focus() {
    let Some(browser) = browser() else { return };
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!(
        "{}fr/openai/insufficient-quota/",
        shipped_site().url
    ))
    .unwrap();
    wait_for(&tab, "document.querySelector('.codeblock .copy')");
    let copies = eval(
        &tab,
        "[...document.querySelectorAll('main button.copy')].every(b => b.closest('.codeblock'))",
    );
    assert_eq!(copies, true, "a copy button outside a code block");
    assert_eq!(
        eval(&tab, "document.querySelectorAll('main button').length > 1"),
        true
    );
    let opacity = "getComputedStyle(document.querySelector('#meaning-h a.anchor')).opacity";
    assert_eq!(eval(&tab, opacity), "0");
    eval(
        &tab,
        "document.querySelector('#meaning-h a.anchor').focus()",
    );
    assert_eq!(eval(&tab, opacity), "1");
}
