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
    let (found, diagnostics) = load_knowledge_base(kb.root());
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

/// The shipped knowledge base without entries, after importing the fixture documents
/// `tests/fixtures/import/<name>.fr.md` and `.en.md` with `args`.
fn import_pair(name: &str, args: &[&str]) -> (KbTest, crate::helper::Run) {
    let kb = shipped_without_entries();
    let [fr, en] = ["fr", "en"].map(|lang| {
        let path = fixture(&format!("import/{name}.{lang}.md"));
        path.to_str().unwrap().to_string()
    });
    let mut all = vec!["import", fr.as_str(), en.as_str()];
    all.extend_from_slice(args);
    let run = kb.run(&all);
    (kb, run)
}

/// The texts of `text`, French then English.
fn both(text: &Text) -> [&str; 2] {
    [text.get(0), text.get(1)]
}

#[test]
fn numbered_headings_bold_steps_and_q_a_pairs_written_by_hand_import_in_both_languages() {
    let (kb, run) = import_pair("groq-rate-limit", &[]);
    run.success()
        .stderr_has("groq-rate-limit.fr.md (fr): 5 sections")
        .stderr_has("line 17   steps         3 items")
        .stderr_has("wrote content/errors/groq/rate-limit-exceeded.yaml");
    let entries = entries_of(&kb);
    let entry = &entries[0];
    assert_eq!(
        (entry.code.as_str(), entry.http_status),
        ("rate_limit_exceeded", Some(429))
    );
    assert_eq!(entry.updated.to_string(), "2026-03-02");
    assert_eq!(
        both(&entry.title),
        [
            "Groq : limite de débit dépassée (429)",
            "Groq: rate limit exceeded (429)"
        ]
    );
    let causes: Vec<_> = entry.causes.iter().map(|c| both(&c.title)).collect();
    assert_eq!(causes[2], ["Une clé partagée", "A shared key"]);
    let steps: Vec<_> = entry.steps.iter().map(|s| both(&s.title)).collect();
    assert_eq!(
        steps[0],
        ["Lire l'en-tête retry-after", "Read the retry-after header"]
    );
    assert_eq!(
        entry.steps[2].links[0].url,
        "https://console.groq.com/docs/rate-limits"
    );
    assert_eq!(
        both(&entry.faq[0].question),
        ["Ma clé API est-elle cassée ?", "Is my API key broken?"]
    );
    assert_eq!(
        both(&entry.faq[0].answer)[1],
        "No. A broken key gives a 401, not a 429."
    );
    assert_eq!(entry.sources[1].url, "https://groqstatus.com/");
    assert!(entry.checklist.is_empty() && entry.options.is_empty() && entry.alternatives.is_none());
    // The section errbook has no field for is kept, and the import says where it was.
    assert_eq!(
        both(&entry.context[0].title),
        ["Historique des incidents", "Incident history"]
    );
    run.stderr_has("the section “4. Incident history” is not one errbook knows")
        .stderr_has("groq-rate-limit.en.md:33:1");
    kb.run(&["check"]).success();
}

#[test]
fn setext_headings_steps_in_a_list_and_ticked_boxes_import_and_an_unknown_section_is_kept() {
    let (kb, run) = import_pair("deepseek-insufficient-balance", &[]);
    run.success();
    let entries = entries_of(&kb);
    let entry = &entries[0];
    assert_eq!(
        (entry.code.as_str(), entry.http_status),
        ("insufficient_balance", Some(402))
    );
    assert_eq!(entry.updated.to_string(), "2026-02-05");
    assert!(
        both(&entry.meaning.clone().unwrap())[1].starts_with("Every request to DeepSeek fails")
    );
    assert_eq!(
        both(&entry.causes[1].title),
        ["Les crédits offerts ont expiré", "The free credits expired"]
    );
    assert_eq!(
        both(&entry.steps[0].title),
        ["Recharger le compte", "Top up the account"]
    );
    assert_eq!(
        both(entry.steps[0].body.as_ref().unwrap())[1],
        "at https://platform.deepseek.com/top_up, $2 is enough to test.\n"
    );
    assert_eq!(entry.steps[2].body, None);
    let checks: Vec<_> = entry.checklist.iter().map(|c| both(&c.text)[1]).collect();
    assert_eq!(
        checks[0],
        "The balance shown at https://platform.deepseek.com/usage is positive"
    );
    assert_eq!(checks.len(), 3);
    assert_eq!(both(&entry.context[0].title), ["Remarques", "Notes"]);
    run.stderr_has("deepseek-insufficient-balance.fr.md:38:1")
        .stderr_has("the section “Remarques” is not one errbook knows");
    // The provider's file already gives these addresses: the entry does not repeat them.
    assert!(
        !kb.read("content/errors/deepseek/insufficient-balance.yaml")
            .contains("support:")
    );
    assert!(entry.faq.is_empty() && entry.options.is_empty() && entry.sources.is_empty());
}

#[test]
fn documents_that_do_not_align_keep_both_texts_and_say_what_to_fill_in() {
    let (kb, run) = import_pair("mistral-model-not-found", &["--provider", "mistral"]);
    // The English document has one cause fewer: both lists are kept, each in its own
    // language, and the result says which texts the default language lacks.
    run.fails_with(1)
        .stderr_has("the cause items do not align across languages (3 in fr, 2 in en)")
        .stderr_has("mistral-model-not-found.fr.md:11:1")
        .stderr_has("mistral-model-not-found.en.md:11:1")
        .stderr_has("`cause[misspelt-model-name].title` has no `fr` text")
        .stderr_has("wrote content/providers/mistral.yaml");
    let yaml = kb.read("content/errors/mistral/model-not-found.yaml");
    for text in [
        "Nom de modèle mal orthographié",
        "Modèle réservé",
        "Misspelt model name",
    ] {
        assert!(yaml.contains(text), "{text} kept:\n{yaml}");
    }
    assert!(yaml.contains("kind: recommended") && yaml.contains("kind: temporary"));
    assert!(yaml.contains("    - provider: groq"));
    let provider = kb.read("content/providers/mistral.yaml");
    assert!(provider.contains("name: Mistral\nsupport:\n  url: https://help.mistral.ai/\n  docs: https://docs.mistral.ai/\n"), "{provider}");
    // Groq is presented with its file's words; where the document's differ, it says so.
    run.stderr_has("Groq is presented here otherwise than in its provider file");
}

#[test]
fn dry_run_prints_the_yaml_and_an_existing_entry_is_replaced_only_with_force() {
    let kb = shipped_without_entries();
    let seed = fixture(SEED);
    let seed = seed.to_str().unwrap();
    let run = kb.run(&["import", seed, "--dry-run"]);
    run.success()
        .stdout_has("# content/errors/openai/insufficient-quota.yaml\n")
        .stdout_has("steps:\n  - id: verifier-votre-compte-openai\n")
        .stderr_has("would write content/errors/openai/insufficient-quota.yaml");
    assert!(!kb.exists("content/errors/openai/insufficient-quota.yaml"));
    kb.run(&["import", seed]).success();
    kb.write(
        "content/errors/openai/insufficient-quota.yaml",
        "edited: by hand\n",
    );
    kb.run(&["import", seed])
        .fails_with(1)
        .stderr_has("content/errors/openai/insufficient-quota.yaml already exists")
        .stderr_has("--force");
    assert_eq!(
        kb.read("content/errors/openai/insufficient-quota.yaml"),
        "edited: by hand\n"
    );
    kb.run(&["import", seed, "--force"]).success();
    assert!(
        kb.read("content/errors/openai/insufficient-quota.yaml")
            .contains("code: insufficient_quota")
    );
}

#[test]
fn a_document_alone_is_read_in_the_language_its_headings_are_written_in() {
    let kb = shipped_without_entries();
    // No language in the file name: the English headings tell.
    let doc = kb.path("groq.md");
    std::fs::copy(fixture("import/groq-rate-limit.en.md"), &doc).unwrap();
    kb.run(&["import", doc.to_str().unwrap(), "--dry-run"])
        .success()
        .stderr_has("groq.md (en): 5 sections")
        .stdout_has("title:\n  en: \"Groq: rate limit exceeded (429)\"\n");
    kb.run(&["import", doc.to_str().unwrap(), "--dry-run", "--lang", "de"])
        .fails_with(2)
        .stderr_has("which is not a language of this site (fr, en)");
}
