//! What current SDKs print, looked up against the shipped content: `str(e)`, `repr(e)`,
//! the traceback line and the raw body of every covered error, the same errors through
//! other clients, and look-alike providers that are not covered. The browser's matcher
//! answers the same table (`search_browser.rs`), from the same fixture file.

use serde::Deserialize;

use errbook::pipeline::load_knowledge_base;
use errbook::search::{Evidence, Lookup, LookupIndex};

use crate::helper::{fixture, repo_root};

/// One string a client prints, and what lookup must answer: `expect`, confidently, or
/// (when `None`) no confident answer, with exactly `candidates` when they are given.
#[derive(Debug, Deserialize)]
pub struct ClientCase {
    pub name: String,
    pub body: String,
    #[serde(default)]
    pub http_status: Option<u16>,
    pub expect: Option<String>,
    #[serde(default)]
    pub candidates: Option<Vec<String>>,
}

pub fn client_cases() -> Vec<ClientCase> {
    let text = std::fs::read_to_string(fixture("lookup/clients.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Asserts that every case got its answer: whether it was confident, and the ids of
/// its candidates, best first.
pub fn assert_answers(cases: &[ClientCase], answers: impl Iterator<Item = (bool, Vec<String>)>) {
    let wrong: Vec<String> = cases
        .iter()
        .zip(answers)
        .filter_map(|(case, (confident, ids))| {
            wrong_answer(case, confident, &ids).map(|problem| format!("{}: {problem}", case.name))
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// What was wrong with an answer, if anything.
fn wrong_answer(case: &ClientCase, confident: bool, ids: &[String]) -> Option<String> {
    let answer = confident.then(|| ids[0].clone());
    if answer != case.expect {
        return Some(format!(
            "answered {answer:?}, not {:?}; candidates {ids:?}",
            case.expect
        ));
    }
    match &case.candidates {
        Some(wanted) if ids != wanted.as_slice() => {
            Some(format!("candidates {ids:?}, not {wanted:?}"))
        }
        _ => None,
    }
}

fn ids(index: &LookupIndex, found: &Lookup) -> Vec<String> {
    found
        .candidates
        .iter()
        .map(|c| index.entries[c.entry].id.clone())
        .collect()
}

#[test]
fn what_current_clients_print_looks_up_to_the_right_entry_or_to_no_confident_one() {
    let (kb, diagnostics) = load_knowledge_base(&repo_root());
    let kb = kb.unwrap_or_else(|| panic!("{diagnostics:?}"));
    let index = LookupIndex::build(&kb, &kb.site.base_url);
    let cases = client_cases();
    let covered: std::collections::BTreeSet<&str> =
        cases.iter().filter_map(|c| c.expect.as_deref()).collect();
    assert_eq!(covered.len(), kb.entries.len(), "every entry has its cases");
    let answers = cases.iter().map(|case| {
        let found = index.lookup(&Evidence::read(&case.body, case.http_status));
        (found.confident, ids(&index, &found))
    });
    assert_answers(&cases, answers);
}
