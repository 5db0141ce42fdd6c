//! Builds after an edit: the pages that depend on what changed are built again, to the
//! bytes a build without the cache writes, and every other file of the site is left as
//! the build before wrote it (the same file on disk, not a rewritten copy).

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;

use crate::helper::{KbTest, walk};

const QUOTA: &str = "content/errors/openai/quota.yaml";
const RATE_LIMIT: &str = "content/errors/groq/rate-limit.yaml";

/// A change made to a knowledge base.
type Change = dyn Fn(&KbTest);

/// Each file of the built site, by path: its inode, its modification time and its bytes.
fn files(kb: &KbTest) -> BTreeMap<PathBuf, (u64, i64, i64, Vec<u8>)> {
    let out = kb.path("public");
    walk(&out)
        .into_iter()
        .map(|path| {
            let metadata = fs::metadata(&path).unwrap();
            let file = (
                metadata.ino(),
                metadata.mtime(),
                metadata.mtime_nsec(),
                fs::read(&path).unwrap(),
            );
            (path.strip_prefix(&out).unwrap().to_path_buf(), file)
        })
        .collect()
}

/// Builds `kb`, checks the site against a build without the cache, and returns the
/// files whose bytes changed.
#[track_caller]
fn build_after_edit(kb: &KbTest, what: &str) -> Vec<String> {
    let before = files(kb);
    kb.build().success();
    kb.run(&["build", "--no-cache", "--out", "fresh"]).success();
    assert!(
        kb.snapshot("public") == kb.snapshot("fresh"),
        "{what}: the site differs from a build without the cache"
    );
    fs::remove_dir_all(kb.path("fresh")).unwrap();
    let after = files(kb);
    let mut changed = Vec::new();
    // The marker, which every build that writes the site writes anew, aside.
    let site = after.iter().filter(|(path, _)| !path.ends_with(".errbook"));
    for (path, (inode, seconds, nanos, bytes)) in site {
        let name = path.to_string_lossy().to_string();
        match before.get(path) {
            Some(old) if &old.3 == bytes => assert_eq!(
                (old.0, old.1, old.2),
                (*inode, *seconds, *nanos),
                "{what}: {name} was rewritten with the same bytes"
            ),
            Some(old) => {
                assert_ne!(old.0, *inode, "{what}: {name} was written into");
                changed.push(name);
            }
            None => changed.push(name),
        }
    }
    changed
}

fn edit(kb: &KbTest, rel: &str, from: &str, to: &str) {
    let text = kb.read(rel);
    assert!(text.contains(from), "{rel} lacks {from:?}");
    kb.write(rel, &text.replacen(from, to, 1));
}

#[test]
fn an_edited_entry_rewrites_its_pages_and_leaves_the_other_entries_pages_as_they_were() {
    let kb = KbTest::minimal();
    kb.build().success();
    edit(&kb, QUOTA, "fr: Quota insuffisant", "fr: Plus de quota");
    let changed = build_after_edit(&kb, "the French title of an entry");
    assert!(changed.contains(&"fr/openai/quota/index.html".into()));
    assert!(changed.contains(&"fr/openai/quota/index.md".into()));
    assert!(
        changed.contains(&"fr/index.html".into()),
        "the home lists it"
    );
    assert!(
        changed.contains(&"fr/openai/index.html".into()),
        "its provider"
    );
    assert!(
        !changed.iter().any(|p| p.starts_with("fr/groq/")),
        "{changed:?}"
    );
    assert!(!changed.iter().any(|p| p.starts_with("en/")), "{changed:?}");

    // Again, now that the build starts from the site it replaced.
    edit(
        &kb,
        RATE_LIMIT,
        "en: Rate limit reached",
        "en: Rate limit hit",
    );
    let changed = build_after_edit(&kb, "the English title of another entry");
    assert!(changed.contains(&"en/groq/rate-limit/index.html".into()));
    assert!(
        !changed.iter().any(|p| p.contains("/openai/quota/")),
        "{changed:?}"
    );
}

#[test]
fn every_kind_of_edit_builds_the_site_a_build_without_the_cache_builds() {
    let kb = KbTest::minimal();
    kb.build().success();
    let edits: [(&str, &Change); 9] = [
        ("an entry", &|kb| {
            edit(kb, QUOTA, "Quota insuffisant", "Plus de quota")
        }),
        ("a provider", &|kb| {
            edit(
                kb,
                "content/providers/groq.yaml",
                "name: Groq",
                "name: GroqCloud",
            )
        }),
        ("a template", &|kb| {
            kb.write(
                "templates/404.html",
                "{% extends \"base.html\" %}{% block main %}<h1>Lost</h1>{% endblock main %}",
            );
        }),
        ("a UI string", &|kb| {
            kb.write("i18n/en.yaml", "home: Front page\n");
        }),
        ("the script that pages name with its hash", &|kb| {
            kb.write("static/pick-language.js", "location.replace('/');\n");
        }),
        ("site.yaml", &|kb| {
            edit(
                kb,
                "content/site.yaml",
                "help.example.org",
                "aide.example.org",
            )
        }),
        ("a page of the site edited by hand, and an entry", &|kb| {
            kb.write("public/fr/groq/rate-limit/index.html", "defaced");
            edit(kb, QUOTA, "Plus de quota", "Quota épuisé");
        }),
        ("an entry deleted", &|kb| {
            fs::remove_file(kb.path(RATE_LIMIT)).unwrap();
        }),
        ("an entry added back", &|kb| {
            let fixture = crate::helper::fixture("minimal").join(RATE_LIMIT);
            fs::copy(fixture, kb.path(RATE_LIMIT)).unwrap();
        }),
    ];
    for (what, change) in edits {
        change(&kb);
        let changed = build_after_edit(&kb, what);
        assert!(!changed.is_empty(), "{what}: nothing changed");
    }
    assert!(
        !kb.read("public/fr/groq/rate-limit/index.html")
            .contains("defaced")
    );
}
