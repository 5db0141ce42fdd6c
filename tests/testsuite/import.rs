//! `errbook import`: documents written by hand, and errbook's own exports, read back
//! into entries.

use std::sync::Arc;

use errbook::model::{Entry, MatchRules, Text};
use errbook::pipeline::load_knowledge_base;

use crate::helper::{KbTest, copy_tree, fixture, repo_root};

const SEED: &str = "seed/diagnostic-openai-insufficient-quota.fr.md";

/// The shipped knowledge base without its entries (the site, providers and theme).
fn shipped_without_entries() -> KbTest {
    let kb = KbTest::minimal();
    std::fs::remove_dir_all(kb.path("content")).unwrap();
    copy_tree(&repo_root().join("content"), &kb.path("content"));
    std::fs::remove_dir_all(kb.path("content/errors")).unwrap();
    kb
}

fn entries_of(kb: &KbTest) -> Vec<Arc<Entry>> {
    let (found, diagnostics) = load_knowledge_base(kb.root(), None);
    let found = found.unwrap_or_else(|| panic!("the knowledge base loads: {diagnostics:?}"));
    found.entries
}

#[test]
fn the_seed_document_imports_to_an_entry_whose_french_export_is_the_seed_byte_for_byte() {
    let kb = KbTest::from_fixture("minimal");
    std::fs::remove_dir_all(kb.path("content")).unwrap();
    copy_tree(&repo_root().join("content"), &kb.path("content"));
    std::fs::remove_file(kb.path("content/errors/openai/insufficient-quota.yaml")).unwrap();
    let seed = fixture(SEED);
    kb.run(&["import", seed.to_str().unwrap()])
        .success()
        .stderr_has("wrote content/errors/openai/insufficient-quota.yaml")
        .stderr_has("no warnings: every line found its place");
    kb.build().success();
    let export = kb.read("public/fr/openai/insufficient-quota/index.md");
    assert!(
        export == std::fs::read_to_string(&seed).unwrap(),
        "the French export differs from the seed:\n{export}"
    );
}

/// What an entry's Markdown export carries: the entry without its ids, and without the
/// fields that only the YAML holds (summary, match rules, sources, fixtures…).
fn as_exported(entry: &Entry, languages: usize) -> Entry {
    let mut e = entry.clone();
    let blank = Text::uniform("", languages);
    (e.slug, e.source, e.summary) = (String::new(), Default::default(), blank);
    (e.http_status, e.retryable, e.common, e.last_verified) = (None, None, false, None);
    (e.aliases, e.message, e.match_rules) = (Vec::new(), None, MatchRules::default());
    (e.sources, e.fixtures) = (Vec::new(), Vec::new());
    for s in e.context.iter_mut().chain(&mut e.causes) {
        (s.id, s.aliases) = (String::new(), Vec::new());
    }
    for s in &mut e.steps {
        (s.id, s.aliases) = (String::new(), Vec::new());
    }
    for c in &mut e.checklist {
        (c.id, c.aliases) = (String::new(), Vec::new());
    }
    for o in &mut e.options {
        (o.id, o.aliases) = (String::new(), Vec::new());
    }
    for f in &mut e.faq {
        (f.id, f.aliases) = (String::new(), Vec::new());
    }
    e
}

#[test]
fn every_shipped_entry_exported_in_each_language_and_imported_back_is_the_same_entry() {
    let shipped = KbTest::minimal();
    std::fs::remove_dir_all(shipped.path("content")).unwrap();
    copy_tree(&repo_root().join("content"), &shipped.path("content"));
    shipped.build().success();
    let originals = entries_of(&shipped);
    assert!(originals.len() > 1, "the shipped entries are found");

    let imported = shipped_without_entries();
    for entry in &originals {
        let [fr, en] = ["fr", "en"].map(|lang| {
            let export = shipped.read(&format!("public/{lang}/{}/index.md", entry.id()));
            let path = imported.path(&format!("docs/{}-{}.{lang}.md", entry.provider, entry.slug));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, export).unwrap();
            path.to_str().unwrap().to_string()
        });
        let args = [
            "import",
            &fr,
            &en,
            "--provider",
            &entry.provider,
            "--code",
            &entry.code,
        ];
        let run = imported.run(&args);
        let warnings: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.starts_with("warning:") && !l.ends_with("is not filled in yet"))
            .collect();
        assert!(
            warnings.is_empty(),
            "{}: {warnings:?}\n{}",
            entry.id(),
            run.stderr
        );
        // The file name comes from the code; the export does not carry the slug.
        let wrote = run
            .stderr
            .lines()
            .find_map(|l| l.strip_prefix("wrote "))
            .unwrap();
        let slug = format!("content/errors/{}.yaml", entry.id());
        std::fs::rename(imported.path(wrote), imported.path(&slug)).unwrap();
    }
    let back = entries_of(&imported);
    assert_eq!(back.len(), originals.len());
    for original in &originals {
        let again = back
            .iter()
            .find(|e| e.provider == original.provider && e.code == original.code)
            .unwrap_or_else(|| panic!("{} was imported", original.id()));
        assert_eq!(
            as_exported(again, 2),
            as_exported(original, 2),
            "{}",
            original.id()
        );
    }
}
