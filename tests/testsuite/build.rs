//! `errbook build`: what it writes, and that it never loses the previous site.

use std::fs;

use crate::helper::{KbTest, PATIENCE, attribute_values, eventually};

#[test]
fn build_writes_every_page_in_every_language_and_a_summary() {
    let kb = KbTest::minimal();
    let run = kb.build();
    run.success()
        .stdout_has("built 2 entries")
        .stdout_has("2 languages (fr, en)");
    for lang in ["fr", "en"] {
        for page in [
            "index.html",
            "404.html",
            "openai/index.html",
            "openai/quota/index.html",
            "openai/quota/index.md",
            "groq/rate-limit/index.html",
        ] {
            assert!(
                kb.exists(&format!("public/{lang}/{page}")),
                "missing public/{lang}/{page}"
            );
        }
    }
    for file in [
        "public/index.html",
        "public/404.html",
        "public/static/style.css",
        "public/static/errbook.js",
        "public/static/search.js",
    ] {
        assert!(kb.exists(file), "missing {file}");
    }
}

#[test]
fn pages_link_to_each_other_in_their_language() {
    let kb = KbTest::minimal();
    kb.build().success();
    let page = kb.read("public/en/openai/quota/index.html");
    assert!(page.contains("<html lang=\"en\">"));
    assert!(
        page.contains(
            "<link rel=\"canonical\" href=\"https://help.example.org/en/openai/quota/\">"
        )
    );
    assert!(page.contains("hreflang=\"fr\" href=\"https://help.example.org/fr/openai/quota/\""));
    assert!(
        page.contains("hreflang=\"x-default\" href=\"https://help.example.org/fr/openai/quota/\"")
    );
    let hrefs = attribute_values(&page, "href");
    assert!(
        hrefs.contains(&"../../../fr/openai/quota/".to_string()),
        "language switcher: {hrefs:?}"
    );
    assert!(hrefs.contains(&"../../../static/style.css".to_string()));
}

#[test]
fn a_custom_template_overrides_the_embedded_one() {
    let kb = KbTest::minimal();
    kb.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Lost? {{ t.home }}</h1>{% endblock main %}",
    );
    kb.build().success();
    assert!(
        kb.read("public/fr/404.html")
            .contains("<h1>Lost? Accueil</h1>")
    );
    assert!(
        kb.read("public/fr/openai/quota/index.html")
            .contains("Carte bancaire non ajoutée"),
        "other templates stay"
    );
}

#[test]
fn one_part_of_the_search_script_can_be_overridden_and_the_rest_stays() {
    let kb = KbTest::minimal();
    kb.write(
        "static/search/ui.js",
        "window.customSearchUi = RULES.stop_words.length;\n",
    );
    kb.build().success();
    let script = kb.read("public/static/search.js");
    assert!(
        script.contains("window.customSearchUi"),
        "the override is in"
    );
    assert!(
        !script.contains("function SearchBox"),
        "the embedded ui.js is out"
    );
    assert!(script.contains("function terms("), "tokenize.js stays");
    assert!(script.contains("\"stop_words\":[\"an\","), "the rules lead");
    assert!(
        !kb.exists("public/static/search"),
        "parts are not published"
    );
}

#[test]
fn ui_strings_can_be_overridden_per_language() {
    let kb = KbTest::minimal();
    kb.write("i18n/fr.yaml", "section_steps: Marche à suivre\n");
    kb.build().success();
    assert!(
        kb.read("public/fr/openai/quota/index.html")
            .contains("Marche à suivre")
    );
    assert!(
        kb.read("public/en/openai/quota/index.html")
            .contains("How to fix it")
    );
}

#[test]
fn markdown_is_sanitized_and_text_is_escaped() {
    let kb = KbTest::minimal();
    let entry = kb
        .read("content/errors/openai/quota.yaml")
        .replace(
            "fr: Le compte **n'a plus de crédit**.",
            "fr: \"<script>alert(1)</script><img src=x onerror=alert(2)>ok\"",
        )
        .replace("fr: Quota insuffisant", "fr: \"<b>Quota</b> & co\"");
    kb.write("content/errors/openai/quota.yaml", &entry);
    kb.build().success();
    let page = kb.read("public/fr/openai/quota/index.html");
    assert!(
        !page.contains("<script>alert"),
        "raw HTML in Markdown is removed"
    );
    assert!(!page.contains("onerror"), "event handlers are removed");
    assert!(
        page.contains("&lt;b&gt;Quota&lt;&#x2F;b&gt; &amp; co")
            || page.contains("&lt;b&gt;Quota&lt;/b&gt; &amp; co"),
        "titles are escaped"
    );
}

#[test]
fn base_url_can_be_overridden_with_a_sub_path() {
    let kb = KbTest::minimal();
    kb.run(&["build", "--base-url", "https://example.org/help"])
        .success();
    let page = kb.read("public/fr/openai/quota/index.html");
    assert!(page.contains("href=\"https://example.org/help/fr/openai/quota/\""));
    assert!(
        kb.read("public/fr/404.html")
            .contains("href=\"/help/static/style.css\""),
        "404 pages link from the site's path"
    );
}

#[test]
fn a_second_build_replaces_the_site_and_leaves_nothing_behind() {
    let kb = KbTest::minimal();
    kb.build().success();
    fs::remove_file(kb.path("content/errors/groq/rate-limit.yaml")).unwrap();
    kb.build().success();
    assert!(
        !kb.exists("public/fr/groq/rate-limit/index.html"),
        "the removed entry's page is gone"
    );
    // The previous site is deleted in the background, after the build has returned.
    let deleted = eventually(PATIENCE, || {
        let siblings: Vec<String> = fs::read_dir(kb.root())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        siblings
            .iter()
            .all(|name| !name.contains("staging") && !name.contains(".old-"))
            .then_some(())
    });
    assert!(deleted.is_some(), "the previous site is never deleted");
}

#[test]
fn build_refuses_to_replace_a_folder_it_did_not_create() {
    let kb = KbTest::minimal();
    kb.write("public/notes.txt", "mine");
    kb.build()
        .fails_with(1)
        .stderr_has("refusing to replace")
        .stderr_has("--force");
    assert_eq!(kb.read("public/notes.txt"), "mine");
    kb.run(&["build", "--force"]).success();
    assert!(!kb.exists("public/notes.txt"));
    assert!(kb.exists("public/fr/index.html"));
}

#[test]
fn a_failed_build_leaves_the_previous_site_exactly_as_it_was() {
    let kb = KbTest::minimal();
    kb.build().success();
    let before = kb.snapshot("public");
    kb.write("content/errors/openai/quota.yaml", "code: [broken\n");
    kb.build().fails_with(1);
    assert_eq!(kb.snapshot("public"), before);
}

#[test]
fn a_template_error_is_reported_and_loses_nothing() {
    let kb = KbTest::minimal();
    kb.build().success();
    let before = kb.snapshot("public");
    kb.write(
        "templates/entry.html",
        "{% extends \"base.html\" %}{% block main %}{{ entry.nope }}{% endblock main %}",
    );
    kb.build()
        .fails_with(1)
        .stderr_has("templates/entry.html")
        .stderr_has("nope");
    assert_eq!(kb.snapshot("public"), before);
}

#[test]
fn every_command_has_help() {
    let kb = KbTest::minimal();
    kb.run(&["--help"]).success().stdout_has("build");
    kb.run(&["build", "--help"])
        .success()
        .stdout_has("--base-url")
        .stdout_has("--force");
    kb.run(&["no-such-command"]).fails_with(2);
}

#[test]
fn plain_text_in_the_markdown_export_cannot_become_html_or_a_link() {
    let kb = KbTest::minimal();
    let quota = "content/errors/openai/quota.yaml";
    let text = kb.read(quota);
    let text = text
        .replacen(
            "fr: Quota insuffisant",
            "fr: \"<script>alert(1)</script> [x](javascript:alert(2))\"",
            1,
        )
        .replacen(
            "fr: Carte bancaire non ajoutée",
            "fr: \"<img src=x onerror=alert(3)>\"",
            1,
        )
        .replacen("message:", "received: \"` <b>out</b> `\"\nmessage:", 1);
    kb.write(quota, &text);
    kb.build().success();
    let export = kb.read("public/fr/openai/quota/index.md");
    // Outside code spans, every `<` and `[` is escaped.
    let outside_code: String = export.split('`').step_by(2).collect();
    for live in ["<script>", "<img", "[x](javascript:"] {
        let escaped = outside_code.replace(&format!("\\{}", &live[..1]), "");
        assert!(!escaped.contains(live), "{live} is live in:\n{export}");
    }
    assert!(export.contains("\\<script\\>alert(1)\\</script\\> \\[x\\](javascript:alert(2))"));
    assert!(export.contains("### **1. \\<img src=x onerror=alert(3)\\>**"));
    assert!(export.contains("`` ` <b>out</b> ` ``"), "{export}");
}

#[test]
fn a_misspelt_ui_string_is_reported_at_its_line_with_the_closest_key() {
    let kb = KbTest::minimal();
    kb.write(
        "i18n/fr.yaml",
        "section_steps: Marche à suivre\nsection_stepz: Étapes\n",
    );
    kb.build()
        .success()
        .stderr_has("unknown UI string `section_stepz`")
        .stderr_has("i18n/fr.yaml:2:1")
        .stderr_has("did you mean `section_steps`?");
}
