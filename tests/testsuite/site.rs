//! The built site as a whole: every link lands, the sitemap lists every page in every
//! language, and more than two languages work.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use crate::helper::{KbTest, attribute_values, copy_tree, ids, repo_root};

/// Every HTML file under `dir`.
fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(html_files(&path));
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
    out
}

/// `base` joined with a relative `link`, `..` resolved; `None` if it leaves the site.
fn resolve(site: &Path, page_dir: &Path, link: &str) -> Option<PathBuf> {
    let joined = if let Some(absolute) = link.strip_prefix('/') {
        site.join(absolute)
    } else {
        page_dir.join(link)
    };
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out.starts_with(site).then_some(out)
}

/// Checks every internal `href` and `src` of every page: the file exists and so does
/// the `#fragment` it names.
fn assert_every_internal_link_resolves(site: &Path) -> usize {
    let mut page_ids: HashMap<PathBuf, Vec<String>> = HashMap::new();
    let mut checked = 0;
    for page in html_files(site) {
        let html = std::fs::read_to_string(&page).unwrap();
        let links = attribute_values(&html, "href")
            .into_iter()
            .chain(attribute_values(&html, "src"));
        for link in links {
            if link.contains("://") || link.starts_with("mailto:") || link.starts_with("data:") {
                continue;
            }
            let link = link.replace("&amp;", "&");
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let path = path.split('?').next().unwrap();
            let target = if path.is_empty() {
                page.clone()
            } else {
                let resolved = resolve(site, page.parent().unwrap(), path)
                    .unwrap_or_else(|| panic!("{}: `{link}` leaves the site", page.display()));
                if resolved.is_dir() {
                    resolved.join("index.html")
                } else {
                    resolved
                }
            };
            assert!(
                target.is_file(),
                "{}: `{link}` points at nothing ({})",
                page.display(),
                target.display()
            );
            if !fragment.is_empty() {
                let ids = page_ids
                    .entry(target.clone())
                    .or_insert_with(|| ids(&std::fs::read_to_string(&target).unwrap()));
                assert!(
                    ids.iter().any(|id| id == fragment),
                    "{}: `{link}` has no #{fragment}",
                    page.display()
                );
            }
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_internal_link_and_fragment_of_the_shipped_site_resolves() {
    let kb = KbTest::minimal();
    std::fs::remove_dir_all(kb.path("content")).unwrap();
    copy_tree(&repo_root().join("content"), &kb.path("content"));
    kb.build().success();
    let checked = assert_every_internal_link_resolves(&kb.path("public"));
    assert!(checked > 500, "only {checked} links checked");
}

#[test]
fn every_internal_link_of_a_small_site_resolves() {
    let kb = KbTest::minimal();
    kb.build().success();
    assert!(assert_every_internal_link_resolves(&kb.path("public")) > 50);
}

#[test]
fn the_sitemap_lists_every_page_with_its_language_alternates() {
    let kb = KbTest::minimal();
    kb.build().success();
    let sitemap = kb.read("public/sitemap.xml");
    for page in ["", "openai/", "groq/", "openai/quota/", "groq/rate-limit/"] {
        for lang in ["fr", "en"] {
            assert!(
                sitemap.contains(&format!(
                    "<loc>https://help.example.org/{lang}/{page}</loc>"
                )),
                "no {lang}/{page}"
            );
        }
    }
    let entry = sitemap
        .split("<url>")
        .find(|u| u.contains("<loc>https://help.example.org/en/openai/quota/</loc>"))
        .unwrap();
    assert!(entry.contains("<lastmod>2026-01-17</lastmod>"));
    assert!(entry.contains("hreflang=\"fr\" href=\"https://help.example.org/fr/openai/quota/\""));
    assert!(entry.contains("hreflang=\"en\" href=\"https://help.example.org/en/openai/quota/\""));
    assert!(
        entry.contains("hreflang=\"x-default\" href=\"https://help.example.org/fr/openai/quota/\"")
    );
    assert_eq!(
        kb.read("public/robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://help.example.org/sitemap.xml\n"
    );
}

#[test]
fn entry_pages_describe_themselves_to_search_engines() {
    let kb = KbTest::minimal();
    kb.build().success();
    let page = kb.read("public/en/openai/quota/index.html");
    assert!(
        page.contains("<meta name=\"description\" content=\"The account has no credit left.\">")
    );
    assert!(page.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(page.contains(
        "<meta property=\"og:url\" content=\"https://help.example.org/en/openai/quota/\">"
    ));
    // Steps and answers are the structured data themselves (microdata, read in the
    // browser by `structured_data_reads_as_a_how_to_and_a_faq_page`): their texts are
    // written once.
    assert!(!page.contains("application/ld+json"), "{page}");
    assert!(page.contains(r#"itemtype="https://schema.org/HowTo""#));
    assert!(page.contains(r#"itemtype="https://schema.org/FAQPage""#));
    for text in ["Add a bank card", "Add a card too.", "I enabled billing"] {
        assert_eq!(page.matches(text).count(), 1, "{text}");
    }
}

#[test]
fn a_third_language_works_with_fallbacks_and_warnings() {
    let kb = KbTest::minimal();
    kb.write(
        "content/site.yaml",
        &kb.read("content/site.yaml")
            .replace("languages: [fr, en]", "languages: [fr, en, de]"),
    );
    let run = kb.build();
    run.success()
        .stdout_has("3 languages (fr, en, de)")
        .stderr_has("no UI strings for `de`")
        .stderr_has("`title` is not translated into `de`");
    let page = kb.read("public/de/openai/quota/index.html");
    assert!(page.contains("<html lang=\"de\">"));
    assert!(page.contains("hreflang=\"de\""));
    assert!(
        page.contains("<h1 id=\"top\" itemprop=\"name\" lang=\"fr\">Quota insuffisant</h1>"),
        "the default language's text, marked as such"
    );
    assert!(
        kb.read("public/fr/openai/quota/index.html")
            .contains("hreflang=\"de\" href=\"https://help.example.org/de/openai/quota/\"")
    );
    assert!(kb.exists("public/de/404.html"));
}

#[test]
fn the_home_page_lists_providers_and_their_errors() {
    let kb = KbTest::minimal();
    kb.build().success();
    let home = kb.read("public/fr/index.html");
    assert!(home.contains("href=\"openai/quota/\""), "{home}");
    assert!(home.contains("href=\"groq/\""));
    assert!(
        kb.read("public/index.html")
            .contains("<a href=\"fr/\" hreflang=\"fr\" lang=\"fr\">Français</a>"),
        "links work without JavaScript"
    );
}

#[test]
fn a_question_written_in_its_own_quotes_is_not_quoted_again() {
    let kb = KbTest::minimal();
    let entry = "content/errors/openai/quota.yaml";
    kb.write(
        entry,
        &kb.read(entry).replace(
            "question: {fr: J'ai activé la facturation, en: I enabled billing}",
            "question: {fr: « J'ai activé la facturation », en: I enabled billing}",
        ),
    );
    kb.build().success();
    let fr = kb.read("public/fr/openai/quota/index.html");
    assert!(
        fr.contains("<span itemprop=\"name\">« J&#39;ai activé la facturation »</span>"),
        "{fr}"
    );
    assert!(!fr.contains("«\u{a0}«"), "{fr}");
    let en = kb.read("public/en/openai/quota/index.html");
    assert!(
        en.contains("“<span itemprop=\"name\">I enabled billing</span>”"),
        "{en}"
    );
    let md = kb.read("public/fr/openai/quota/index.md");
    assert!(
        md.contains("### **« J'ai activé la facturation »**"),
        "{md}"
    );
    assert!(
        kb.read("public/en/openai/quota/index.md")
            .contains("### **\"I enabled billing\"**")
    );
}
