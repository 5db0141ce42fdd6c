//! Builds where nothing changed: the site is left as it is, and any change to what it is
//! built from (an entry, a provider, site.yaml, a template, a UI string, a setting, or
//! the site itself edited by hand) builds it again, to the bytes a build without the
//! cache writes.

use std::fs;
use std::os::unix::fs::MetadataExt;

use crate::helper::KbTest;

const ENTRY: &str = "content/errors/openai/quota.yaml";

/// A change made to a knowledge base.
type Change = dyn Fn(&KbTest);

/// The inode of the output folder's marker, which every build that writes the site
/// writes anew.
fn marker(kb: &KbTest) -> u64 {
    fs::metadata(kb.path("public/.errbook")).unwrap().ino()
}

/// Builds `kb` (with `args`), then checks that the site is exactly what a build without
/// the cache writes, file set included.
#[track_caller]
fn assert_built_as_without_cache(kb: &KbTest, args: &[&str]) {
    kb.run(&[&["build"], args].concat()).success();
    let fresh = [&["build", "--no-cache", "--out", "fresh"], args].concat();
    kb.run(&fresh).success();
    assert_eq!(kb.snapshot("public"), kb.snapshot("fresh"));
}

#[test]
fn a_build_where_nothing_changed_leaves_the_site_as_it_is() {
    let kb = KbTest::minimal();
    let first = kb.build();
    first.success();
    let before = marker(&kb);
    let again = kb.build();
    again.success().stdout_has("built 2 entries: ");
    assert_eq!(marker(&kb), before, "the site was not written again");
    let pages = |out: &str| {
        out.split(": ")
            .nth(1)
            .unwrap()
            .split(" pages")
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(pages(&again.stdout), pages(&first.stdout));
    assert_built_as_without_cache(&kb, &[]);
    assert_eq!(marker(&kb), before);
}

#[test]
fn any_change_to_what_the_site_is_built_from_builds_it_again() {
    let kb = KbTest::minimal();
    kb.build().success();
    let renamed = "content/errors/groq/too-many-requests.yaml";
    let edits: [(&str, &Change, &[&str]); 8] = [
        (
            "an entry",
            &|kb| {
                kb.write(
                    ENTRY,
                    &kb.read(ENTRY)
                        .replace("fr: Quota insuffisant", "fr: Plus de quota"),
                );
            },
            &[],
        ),
        (
            "a provider",
            &|kb| {
                let provider = "content/providers/groq.yaml";
                kb.write(
                    provider,
                    &kb.read(provider).replace("name: Groq", "name: GroqCloud"),
                );
            },
            &[],
        ),
        (
            "site.yaml",
            &|kb| {
                let site = "content/site.yaml";
                kb.write(
                    site,
                    &kb.read(site)
                        .replace("help.example.org", "aide.example.org"),
                );
            },
            &[],
        ),
        (
            "a template",
            &|kb| {
                kb.write(
                    "templates/404.html",
                    "{% extends \"base.html\" %}{% block main %}<h1>Lost</h1>{% endblock main %}",
                );
            },
            &[],
        ),
        (
            "a UI string",
            &|kb| {
                kb.write("i18n/en.yaml", "home: Front page\n");
            },
            &[],
        ),
        (
            "the base URL given on the command line",
            &|_| {},
            &["--base-url", "https://docs.example.net/"],
        ),
        (
            "an entry renamed",
            &|kb| {
                let old = kb.path("content/errors/groq/rate-limit.yaml");
                fs::rename(old, kb.path(renamed)).unwrap();
            },
            &[],
        ),
        (
            "an entry deleted",
            &|kb| fs::remove_file(kb.path(renamed)).unwrap(),
            &[],
        ),
    ];
    for (what, edit, args) in edits {
        // Once to leave the site as a no-op build finds it, then after the change.
        kb.build().success();
        let before = marker(&kb);
        edit(&kb);
        assert_built_as_without_cache(&kb, args);
        assert_ne!(marker(&kb), before, "{what}: the site was built again");
    }
}

#[test]
fn a_site_edited_by_hand_is_built_again() {
    let kb = KbTest::minimal();
    kb.build().success();
    let page = "public/fr/openai/quota/index.html";
    let edits: [(&str, &Change); 3] = [
        ("a page edited", &|kb| {
            kb.write(page, "defaced");
        }),
        ("a page deleted", &|kb| {
            fs::remove_file(kb.path(page)).unwrap()
        }),
        ("a file added", &|kb| {
            kb.write("public/fr/extra.html", "not errbook's");
        }),
    ];
    for (what, edit) in edits {
        kb.build().success();
        edit(&kb);
        assert_built_as_without_cache(&kb, &[]);
        assert!(!kb.exists("public/fr/extra.html"), "{what}");
    }
}

/// Dates every file and folder under `dir` back by a minute, as if saved a while
/// before the build.
fn age(dir: &std::path::Path) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for item in fs::read_dir(dir).unwrap() {
        let path = item.unwrap().path();
        if path.is_dir() {
            age(&path);
        } else {
            let file = fs::File::options().append(true).open(&path).unwrap();
            file.set_modified(then).unwrap();
        }
    }
    fs::File::open(dir).unwrap().set_modified(then).unwrap();
}

#[test]
fn a_build_where_nothing_changed_says_the_warnings_again() {
    let kb = KbTest::minimal();
    let entry = kb
        .read(ENTRY)
        .replace("  en: The account has no credit left.\n", "");
    kb.write(ENTRY, &entry);
    age(&kb.path("content"));
    let first = kb.build();
    first.success().stderr_has("quota.yaml:11");
    let before = marker(&kb);
    let again = kb.run(&["build", "--verbose"]);
    again
        .success()
        .stdout_has("no input file was touched since the last build");
    assert_eq!(
        again.stderr, first.stderr,
        "the same warnings, at the same lines"
    );
    assert_eq!(marker(&kb), before, "the site was not written again");
    // Saved again with other bytes of the same size: the stamp tells it.
    kb.write(ENTRY, &entry.replace("Le compte", "Un compte"));
    age(&kb.path("content"));
    let edited = kb.run(&["build", "--verbose"]);
    edited.success().stderr_has("quota.yaml:11");
    assert!(
        !edited.stdout.contains("left as it is"),
        "{}",
        edited.stdout
    );
    assert!(
        kb.read("public/fr/openai/quota/index.html")
            .contains("Un compte")
    );
}
