//! The browser's search script, assembled from the theme's parts at render time.
//!
//! `static/search.js` is not a file of the theme: it is written from the parts in
//! `static/search/` (tokenize, evidence, match, client, ui: small, plain files that share
//! one scope) behind `RULES`, the word lists and limits of `src/search/` (see
//! `search/rules.rs`). One request and no bundler; a knowledge base overrides one part
//! (`static/search/ui.js`), or the whole script with its own `static/search.js`.

use std::collections::BTreeMap;

use crate::search::rules::rules_script;

/// The published script, by its path under `static/`.
pub(crate) const SEARCH_SCRIPT: &str = "search.js";

/// The parts of the script, in the order they are assembled: each uses the ones before.
pub(crate) const SEARCH_PARTS: &[&str] = &[
    "search/tokenize.js",
    "search/evidence.js",
    "search/match.js",
    "search/client.js",
    "search/ui.js",
];

/// The theme's static files as published: the parts of the search script give way to
/// the script assembled from them, unless the knowledge base has its own `search.js`.
pub(crate) fn published_assets(
    assets: &BTreeMap<String, Vec<u8>>,
) -> impl Iterator<Item = (String, Vec<u8>)> + '_ {
    let assembled = (!assets.contains_key(SEARCH_SCRIPT))
        .then(|| (SEARCH_SCRIPT.to_string(), assemble_search_script(assets)));
    assets
        .iter()
        .filter(|(name, _)| !SEARCH_PARTS.contains(&name.as_str()))
        .map(|(name, bytes)| (name.clone(), bytes.clone()))
        .chain(assembled)
}

/// `RULES` and the parts, in one strict-mode function so that nothing leaks into the page
/// but what `ui.js` chooses to expose. A missing part is left out.
fn assemble_search_script(assets: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut script = String::from(
        "/* errbook search, assembled by errbook from static/search/ (tokenize, evidence, \
         match, client, ui)\n * and the rules of its Rust search code. Plain JavaScript, \
         no dependencies. */\n(function () {\n\"use strict\";\n",
    );
    script.push_str(&rules_script());
    for part in SEARCH_PARTS {
        if let Some(bytes) = assets.get(*part) {
            script.push('\n');
            script.push_str(&String::from_utf8_lossy(bytes));
        }
    }
    script.push_str("})();\n");
    script.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assets(files: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        files
            .iter()
            .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
            .collect()
    }

    fn published(files: &[(&str, &str)]) -> BTreeMap<String, String> {
        published_assets(&assets(files))
            .map(|(name, bytes)| (name, String::from_utf8(bytes).unwrap()))
            .collect()
    }

    #[test]
    fn the_parts_are_published_as_one_script_in_order_after_the_rules() {
        let out = published(&[
            ("search/ui.js", "var ui = 5;\n"),
            ("search/tokenize.js", "var tokenize = 1;\n"),
            ("style.css", "body {}"),
        ]);
        assert_eq!(
            out.keys().collect::<Vec<_>>(),
            ["search.js", "style.css"],
            "the parts are not published"
        );
        let script = &out["search.js"];
        let rules = script.find("var RULES = {").unwrap();
        let tokenize = script.find("var tokenize = 1;").unwrap();
        let ui = script.find("var ui = 5;").unwrap();
        assert!(rules < tokenize && tokenize < ui, "{script}");
        assert!(script.trim_end().ends_with("})();"), "{script}");
    }

    #[test]
    fn a_search_script_of_the_knowledge_base_replaces_the_assembled_one() {
        let out = published(&[
            ("search.js", "mine();\n"),
            ("search/tokenize.js", "var tokenize = 1;\n"),
        ]);
        assert_eq!(out.len(), 1);
        assert_eq!(out["search.js"], "mine();\n");
    }
}
