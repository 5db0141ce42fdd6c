//! The shipped seed entry regenerates the hand-written document it came from.

use std::sync::OnceLock;

use crate::helper::{KbTest, copy_tree, fixture, ids, repo_root};

const ENTRY: &str = "openai/insufficient-quota";

/// The shipped knowledge base, built once for every test in this file.
fn shipped() -> &'static KbTest {
    static BUILT: OnceLock<KbTest> = OnceLock::new();
    BUILT.get_or_init(|| {
        let kb = KbTest::from_fixture("minimal");
        std::fs::remove_dir_all(kb.path("content")).unwrap();
        copy_tree(&repo_root().join("content"), &kb.path("content"));
        kb.build().success();
        kb
    })
}

/// A Markdown document cut at its `## ` headings, each section's lines trimmed and
/// blank lines dropped: whitespace differences a reader would not notice are ignored.
fn sections(markdown: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = vec![("(preamble)".into(), Vec::new())];
    for line in markdown.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            out.push((heading.trim().to_string(), Vec::new()));
        } else if !line.trim().is_empty() {
            out.last_mut().unwrap().1.push(line.trim().to_string());
        }
    }
    out
}

#[test]
fn french_export_regenerates_the_seed_section_by_section() {
    let seed = std::fs::read_to_string(fixture("seed/diagnostic-openai-insufficient-quota.fr.md"))
        .unwrap();
    let export = shipped().read(&format!("public/fr/{ENTRY}/index.md"));
    let (expected, actual) = (sections(&seed), sections(&export));
    let headings =
        |s: &[(String, Vec<String>)]| s.iter().map(|(h, _)| h.clone()).collect::<Vec<_>>();
    assert_eq!(
        headings(&actual),
        headings(&expected),
        "the same sections in the same order"
    );
    for ((heading, want), (_, got)) in expected.iter().zip(&actual) {
        assert_eq!(got, want, "section {heading:?} differs");
    }
}

#[test]
fn english_export_has_the_seed_structure() {
    let seed = std::fs::read_to_string(fixture("seed/diagnostic-openai-insufficient-quota.fr.md"))
        .unwrap();
    let export = shipped().read(&format!("public/en/{ENTRY}/index.md"));
    let shape = |md: &str| -> Vec<String> {
        md.lines()
            .filter(|l| {
                l.starts_with('#')
                    || l.starts_with("- [ ]")
                    || l.starts_with("→")
                    || l.trim() == "---"
            })
            .map(|l| {
                // Keep the markers (heading level, emoji, checkbox), not the words.
                let marker: String = l
                    .chars()
                    .take_while(|c| !c.is_alphanumeric() && *c != '"')
                    .collect();
                marker.trim().to_string()
            })
            .collect()
    };
    assert_eq!(shape(&export), shape(&seed));
    assert!(export.contains("## 🔧 HOW TO FIX IT"), "{export}");
    assert!(
        export.contains("### **STEP 2: Add a bank card (IF NOT ALREADY DONE)**"),
        "{export}"
    );
    assert!(export.contains("- [ ] Added a valid bank card"), "{export}");
    assert!(export.contains("**Date:** January 17, 2026"), "{export}");
}

#[test]
fn entry_pages_carry_the_same_anchors_in_both_languages() {
    let fr = shipped().read(&format!("public/fr/{ENTRY}/index.html"));
    let en = shipped().read(&format!("public/en/{ENTRY}/index.html"));
    assert_eq!(ids(&fr), ids(&en));
    for anchor in [
        "meaning",
        "context",
        "context-model",
        "causes",
        "cause-free-tier",
        "cause-no-card",
        "steps",
        "step-check-account",
        "step-add-card",
        "step-check-usage",
        "alternatives",
        "alternative-groq",
        "checklist",
        "check-card",
        "options",
        "option-fix-openai",
        "option-use-alternative",
        "faq",
        "faq-billing-enabled",
        "support",
        "recap",
    ] {
        assert!(
            ids(&fr).iter().any(|id| id == anchor),
            "no #{anchor} on the French page"
        );
        let self_link = format!("href=\"#{anchor}\"");
        assert!(
            anchor.starts_with("check-") || fr.contains(&self_link),
            "no self-link to #{anchor}"
        );
    }
}

#[test]
fn entry_page_shows_the_whole_seed_content() {
    let html = shipped().read(&format!("public/fr/{ENTRY}/index.html"));
    for text in [
        "Erreur OpenAI &quot;Insufficient Quota&quot;",
        "Error code: 429 - insufficient_quota",
        "<code>gpt-4o</code>",
        "Compte OpenAI gratuit (Tier Free)",
        "<a href=\"https://platform.openai.com/account/billing/payment-methods\" rel=\"noopener noreferrer\">",
        "Ultra-rapide et GRATUIT",
        "type=\"checkbox\"",
        "Vérifié que ma dernière facture a été payée",
        "GROQ_API_KEY=votre_clé_ici",
        "Mon compte dit $0.00",
        "mailto:support@openai.com",
        "Le problème n'est PAS dans WeBox.",
        "17 janvier 2026",
        "Email\u{202f}: <a href=\"mailto:",
    ] {
        assert!(html.contains(text), "the page lacks {text:?}");
    }
}

#[test]
fn listings_under_a_provider_name_entries_without_repeating_the_provider() {
    let page = shipped().read("public/fr/openai/index.html");
    assert!(
        page.contains(
            "title=\"Erreur OpenAI &quot;Insufficient Quota&quot;\">Insufficient Quota</a>"
        ),
        "the provider page names the entry by its quoted name"
    );
    let home = shipped().read("public/fr/index.html");
    assert!(!home.contains(">Erreur OpenAI &quot;Slow Down&quot;</a> <span class=\"muted\">429"));
    assert!(
        home.contains(">Slow Down</a>"),
        "the OpenAI block of the home"
    );
}
