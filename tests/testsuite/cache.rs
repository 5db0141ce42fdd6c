//! The cache (`.errbook-cache/`): a build with it writes the very bytes a build without
//! it writes, a run that takes entries from it says exactly what a run that parses them
//! says, an edited file is parsed again, a damaged cache costs only time, and
//! `--no-cache` leaves no trace.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;

use crate::helper::{KbTest, copy_tree, repo_root};
use crate::scale::generated;

const ENTRY: &str = "content/errors/openai/quota.yaml";

/// The one file of the cache's memo named `name`.
fn memo(kb: &KbTest, name: &str) -> PathBuf {
    let start = format!("memo-{name}-");
    let found: Vec<PathBuf> = fs::read_dir(kb.path(".errbook-cache"))
        .unwrap()
        .flatten()
        .filter(|f| f.file_name().to_string_lossy().starts_with(&start))
        .map(|f| f.path())
        .collect();
    assert_eq!(found.len(), 1, "one file for the memo {name}: {found:?}");
    found[0].clone()
}

/// The one file of the cache that holds the parsed forms of every entry file.
fn forms(kb: &KbTest) -> PathBuf {
    memo(kb, "forms")
}

/// What the file of forms holds after a check with no cache at hand (the cache is
/// deleted, then made again).
fn fresh_forms(kb: &KbTest) -> Vec<u8> {
    fs::remove_dir_all(kb.path(".errbook-cache")).unwrap();
    kb.run(&["check"]);
    fs::read(forms(kb)).unwrap()
}

/// A knowledge base whose check finds an error and a warning in one entry.
fn with_problems() -> KbTest {
    let kb = KbTest::minimal();
    let text = kb
        .read(ENTRY)
        .replace("en: Insufficient quota", "eng: Insufficient quota")
        .replace("fr: Le compte n'a plus de crédit.", "fr: TODO résumé");
    kb.write(ENTRY, &text);
    kb
}

#[test]
fn a_check_from_the_cache_reports_what_a_check_that_parses_reports() {
    let kb = with_problems();
    let first = kb.run(&["check"]);
    first
        .fails_with(1)
        .stderr_has("quota.yaml:9:3")
        .stderr_has("quota.yaml:11:7")
        .stderr_has("not filled in yet");
    assert!(kb.exists(".errbook-cache/CACHEDIR.TAG"));
    assert_eq!(kb.read(".errbook-cache/.gitignore"), "*\n");
    let written = fs::metadata(forms(&kb)).unwrap().ino();

    let cached = kb.run(&["check"]);
    assert_eq!(cached.stderr, first.stderr);
    assert_eq!(cached.code, first.code);
    // Read, not parsed and written again.
    assert_eq!(fs::metadata(forms(&kb)).unwrap().ino(), written);

    let parsed = kb.run(&["check", "--no-cache"]);
    assert_eq!(parsed.stderr, first.stderr);
}

/// The cache's memo of the link destinations of Markdown texts.
fn link_memo(kb: &KbTest) -> PathBuf {
    memo(kb, "links")
}

#[test]
fn link_problems_found_from_the_memo_are_those_found_by_parsing() {
    let kb = KbTest::minimal();
    let text = kb.read(ENTRY).replace(
        "body: {fr: Ajoutez une carte., en: Add a card.}",
        "body: {fr: \"Voir [ici](javascript:alert(1)) et [là](../../openai/nowhere/).\", en: Add a card.}",
    );
    kb.write(ENTRY, &text);
    let first = kb.run(&["check"]);
    first
        .fails_with(1)
        .stderr_has("unsafe link `javascript:alert(1)`")
        .stderr_has("quota.yaml:19:28")
        .stderr_has("broken link `../../openai/nowhere/`: no entry `openai/nowhere`");
    let memo = link_memo(&kb);
    let written = fs::metadata(&memo).unwrap().ino();

    // Found in the memo, which stays as it was.
    let cached = kb.run(&["check"]);
    assert_eq!(cached.stderr, first.stderr);
    assert_eq!(cached.code, first.code);
    assert_eq!(fs::metadata(&memo).unwrap().ino(), written);

    // A damaged memo costs only time.
    fs::write(&memo, b"\xff\x00not a memo").unwrap();
    let after_damage = kb.run(&["check"]);
    assert_eq!(after_damage.stderr, first.stderr);
    assert_ne!(fs::read(&memo).unwrap(), b"\xff\x00not a memo");

    // An edited text is parsed again, and the memo forgets the old one.
    let before_edit = fs::read(&memo).unwrap();
    kb.write(
        ENTRY,
        &text.replace("javascript:alert(1)", "https://example.com/"),
    );
    let edited = kb.run(&["check"]);
    edited.fails_with(1).stderr_has("broken link");
    assert!(!edited.stderr.contains("unsafe link"), "{}", edited.stderr);
    let after_edit = fs::read(&memo).unwrap();
    assert_ne!(after_edit, before_edit);
    // Exactly what a memo started afresh holds.
    fs::remove_file(&memo).unwrap();
    kb.run(&["check"]).fails_with(1);
    assert_eq!(fs::read(&memo).unwrap(), after_edit);

    let parsed = kb.run(&["check", "--no-cache"]);
    assert_eq!(parsed.stderr, edited.stderr);
}

#[test]
fn an_edited_entry_is_parsed_again_and_its_old_form_dropped() {
    let kb = KbTest::minimal();
    kb.run(&["check"]).success();
    let before = fs::read(forms(&kb)).unwrap();
    let text = kb
        .read(ENTRY)
        .replace("http_status: 429", "http_status: beaucoup");
    kb.write(ENTRY, &text);
    kb.run(&["check"])
        .fails_with(1)
        .stderr_has("quota.yaml:3:14")
        .stderr_has("expected a whole number");
    kb.write(ENTRY, &text.replace("beaucoup", "402"));
    kb.run(&["check"]).success();
    kb.build().success();
    let page = kb.read("public/fr/openai/quota/index.html");
    assert!(page.contains("OpenAI · 402 ·") && !page.contains("429"));
    let after = fs::read(forms(&kb)).unwrap();
    assert_ne!(after, before);
    assert_eq!(after, fresh_forms(&kb), "the old form is dropped");
}

#[test]
fn damaged_or_truncated_forms_are_parsed_again() {
    let kb = KbTest::minimal();
    kb.build().success();
    let site = kb.snapshot("public");
    let kept = fs::read(forms(&kb)).unwrap();
    let mut flipped = kept.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x20;
    let damaged = [
        flipped,
        kept[..kept.len() - 1].to_vec(),
        b"\xff\x00not parsed entries".to_vec(),
    ];
    for bytes in damaged {
        fs::write(forms(&kb), &bytes).unwrap();
        // A page deleted by hand: the site is built again, not left as it is.
        fs::remove_file(kb.path("public/fr/openai/quota/index.html")).unwrap();
        kb.build().success();
        assert_eq!(kb.snapshot("public"), site);
        assert_eq!(fs::read(forms(&kb)).unwrap(), kept, "written again");
    }
}

#[test]
fn no_cache_leaves_no_cache_folder() {
    let kb = KbTest::minimal();
    kb.run(&["check", "--no-cache"]).success();
    kb.run(&["build", "--no-cache"]).success();
    assert!(!kb.exists(".errbook-cache"));
}

#[test]
fn a_build_starts_from_the_site_it_replaced_and_writes_exactly_the_new_one() {
    let kb = KbTest::minimal();
    kb.build().success();
    // A page deleted by hand: the site is built again, not left as it is.
    fs::remove_file(kb.path("public/fr/openai/quota/index.html")).unwrap();
    kb.build().success();
    assert!(
        kb.exists(".errbook-cache/previous-site/.errbook"),
        "the replaced site is kept for the next build"
    );
    let text = kb
        .read(ENTRY)
        .replace("fr: Quota insuffisant", "fr: Plus de quota");
    kb.write(ENTRY, &text);
    fs::remove_file(kb.path("content/errors/groq/rate-limit.yaml")).unwrap();
    kb.build().success();
    assert!(!kb.exists("public/fr/groq/rate-limit/index.html"));
    assert!(
        kb.read("public/fr/openai/quota/index.html")
            .contains("Plus de quota")
    );
    kb.run(&["build", "--no-cache", "--out", "fresh"]).success();
    assert_eq!(kb.snapshot("public"), kb.snapshot("fresh"));
}

/// Builds `kb` without the cache, then four times with it, and checks that the sites
/// hold the same files, byte for byte: the first build, a second one replacing it (after
/// a page deleted by hand, so that it is not left as it is) with every form and memo at
/// hand, a third one starting from the site the second one replaced, and a fourth one
/// where nothing changed.
fn assert_the_cache_changes_no_byte(kb: &KbTest) {
    kb.run(&["build", "--no-cache", "--out", "uncached"])
        .success();
    let uncached = kb.snapshot("uncached");
    let page = uncached.keys().find(|p| p.ends_with("index.html")).unwrap();
    for build in ["first", "second", "third", "fourth"] {
        if build == "second" || build == "third" {
            fs::remove_file(kb.path("public").join(page)).unwrap();
        }
        kb.build().success();
        let cached = kb.snapshot("public");
        let paths = |site: &std::collections::BTreeMap<PathBuf, Vec<u8>>| {
            site.keys().cloned().collect::<Vec<_>>()
        };
        assert_eq!(paths(&cached), paths(&uncached), "{build} cached build");
        let differs: Vec<_> = cached
            .iter()
            .filter(|(path, bytes)| uncached[*path] != **bytes)
            .map(|(path, _)| path)
            .collect();
        assert!(
            differs.is_empty(),
            "{build} cached build differs in {differs:?}"
        );
    }
    assert!(kb.exists(".errbook-cache/previous-site/.errbook"));
}

#[test]
fn the_shipped_knowledge_base_builds_the_same_bytes_with_and_without_the_cache() {
    let kb = KbTest::empty();
    for dir in ["content", "templates", "static", "i18n"] {
        copy_tree(&repo_root().join(dir), &kb.path(dir));
    }
    assert_the_cache_changes_no_byte(&kb);
}

#[test]
fn a_generated_knowledge_base_of_1000_entries_builds_the_same_bytes_with_and_without_the_cache() {
    let kb = generated(1000);
    assert!(kb.exists("content/errors/provider-19/entry-000999.yaml"));
    assert_the_cache_changes_no_byte(&kb);
}

/// The cache's memos of search terms, by language, and their files.
fn search_memos(kb: &KbTest) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(kb.path(".errbook-cache"))
        .unwrap()
        .flatten()
        .filter(|f| f.file_name().to_string_lossy().starts_with("memo-search-"))
        .map(|f| f.path())
        .collect();
    found.sort();
    found
}

/// Whether the English search index of the site in `out` has `term`.
fn indexed(kb: &KbTest, out: &str, term: &str) -> bool {
    let manifest = kb.read(&format!("{out}/search-index.en.json"));
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    manifest["shards"].as_array().unwrap().iter().any(|shard| {
        let shard = kb.read(&format!("{out}/{}", shard[1].as_str().unwrap()));
        let terms: serde_json::Value = serde_json::from_str(&shard).unwrap();
        terms.get(term).is_some()
    })
}

#[test]
fn search_terms_come_from_the_memo_only_for_entries_indexed_as_they_are() {
    let kb = KbTest::minimal();
    kb.build().success();
    let memos = search_memos(&kb);
    assert_eq!(memos.len(), 2, "one memo per language: {memos:?}");
    let inodes: Vec<u64> = memos
        .iter()
        .map(|m| fs::metadata(m).unwrap().ino())
        .collect();

    // Nothing changed: every entry's terms come from the memo, which stays as it was.
    kb.build().success();
    let after: Vec<u64> = memos
        .iter()
        .map(|m| fs::metadata(m).unwrap().ino())
        .collect();
    assert_eq!(after, inodes);

    // A word added to a Markdown text, and a provider renamed (its name is indexed with
    // each of its entries): both are found, as a build without the memo finds them.
    let text = kb.read(ENTRY).replace(
        "body: {fr: Ajoutez une carte., en: Add a card.}",
        "body: {fr: Ajoutez une carte., en: \"Add a **zygomorphic** card.\"}",
    );
    kb.write(ENTRY, &text);
    let provider = "content/providers/openai.yaml";
    kb.write(
        provider,
        &kb.read(provider).replace("name: OpenAI", "name: OpenBrain"),
    );
    kb.build().success();
    assert!(indexed(&kb, "public", "zygomorphic"));
    assert!(indexed(&kb, "public", "openbrain"));
    kb.run(&["build", "--no-cache", "--out", "fresh"]).success();
    assert_eq!(kb.snapshot("public"), kb.snapshot("fresh"));

    // A damaged memo costs only time; a memo of another version of errbook is replaced.
    fs::write(&memos[0], b"\xff\x00not a memo").unwrap();
    let other_version = memos[1].with_file_name("memo-search-fr-00000000");
    fs::copy(&memos[1], &other_version).unwrap();
    fs::remove_file(&memos[1]).unwrap();
    // A page deleted by hand: the site is built again, not left as it is.
    fs::remove_file(kb.path("public/fr/openai/quota/index.html")).unwrap();
    kb.build().success();
    assert_eq!(kb.snapshot("public"), kb.snapshot("fresh"));
    assert_eq!(search_memos(&kb), memos);
    assert_ne!(fs::read(&memos[0]).unwrap(), b"\xff\x00not a memo");
}
