//! Translations: stale texts, `i18n status`, `i18n confirm`, PO export and import, and a
//! site in three languages (the `three-languages` fixture: French first, English and
//! German, one entry not yet in German).

use std::path::Path;
use std::process::Command;

use crate::helper::KbTest;

const ENTRY: &str = "content/errors/groq/rate-limit.yaml";

/// The fixture, with every translation it has confirmed.
fn confirmed() -> KbTest {
    let kb = KbTest::from_fixture("three-languages");
    kb.run(&["i18n", "confirm", "--all"]).success();
    kb
}

/// Every file under `content/`, and the lock, as bytes.
fn snapshot(kb: &KbTest) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = kb.snapshot("content").into_iter().collect();
    files.push((
        "translations.lock".into(),
        std::fs::read(kb.path("translations.lock")).unwrap_or_default(),
    ));
    files
}

/// The line (1-based) of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect(needle) + 1
}

/// `i18n export --lang LANG` into the knowledge base's `po/`, which must succeed.
fn export(kb: &KbTest, lang: &str) {
    let out = kb.path("po");
    kb.run(&[
        "i18n",
        "export",
        "--lang",
        lang,
        "--out",
        &out.to_string_lossy(),
    ])
    .success();
}

fn msgfmt_check(file: &Path) {
    let status = Command::new("msgfmt")
        .args(["--check", "-o", "/dev/null"])
        .arg(file)
        .status()
        .expect("msgfmt (GNU gettext) is installed");
    assert!(
        status.success(),
        "msgfmt --check refuses {}",
        file.display()
    );
}

#[test]
fn a_changed_source_text_makes_its_translations_stale_and_only_those() {
    let kb = confirmed();
    assert!(!kb.run(&["check"]).stderr.contains("stale"));
    let text = kb
        .read(ENTRY)
        .replace("Trop de requêtes en peu de temps.", "Trop de requêtes.");
    kb.write(ENTRY, &text);
    let run = kb.run(&["check"]);
    run.success();
    let en = line_of(&text, "Too many requests");
    let de = line_of(&text, "Zu viele Anfragen");
    run.stderr_has(&format!("{ENTRY}:{en}:7"))
        .stderr_has(&format!("{ENTRY}:{de}:7"))
        .stderr_has("`summary` in `en` is stale: its `fr` source changed since the translation was confirmed on")
        .stderr_has("(now: “Trop de requêtes.”)");
    assert_eq!(run.stderr.matches("is stale").count(), 2, "{}", run.stderr);
    kb.run(&["check", "--strict"]).fails_with(1);
    let status = kb.run(&["i18n", "status", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&status.success().stdout).unwrap();
    let stale: Vec<_> = json["needs_work"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !d["stale"].as_array().unwrap().is_empty())
        .map(|d| (d["lang"].as_str().unwrap(), d["stale"].clone()))
        .collect();
    assert_eq!(
        stale,
        [
            ("en", serde_json::json!(["summary"])),
            ("de", serde_json::json!(["summary"]))
        ]
    );
}

#[test]
fn confirming_a_stale_translation_clears_it_and_only_it() {
    let kb = confirmed();
    let text = kb.read(ENTRY).replace("Attendre", "Patienter");
    kb.write(ENTRY, &text);
    kb.run(&[
        "i18n",
        "confirm",
        "groq/rate-limit",
        "--field",
        "steps[wait].title",
        "--lang",
        "en",
    ])
    .success();
    let run = kb.run(&["check"]);
    run.stderr_has("`steps[wait].title` in `de` is stale");
    assert_eq!(run.stderr.matches("is stale").count(), 1, "{}", run.stderr);
    kb.run(&["i18n", "confirm", "groq/rate-limit"]).success();
    assert!(!kb.run(&["check"]).stderr.contains("stale"));
}

#[test]
fn renaming_an_entry_file_keeps_its_records() {
    let kb = confirmed();
    let text = kb.read(ENTRY);
    std::fs::remove_file(kb.path(ENTRY)).unwrap();
    kb.write("content/errors/groq/too-many-requests.yaml", &text);
    let run = kb.run(&["check"]);
    assert!(
        !run.stderr.contains("stale") && !run.stderr.contains("no record"),
        "{}",
        run.stderr
    );
    let edited = text.replace("Limite de débit atteinte", "Trop de requêtes");
    kb.write("content/errors/groq/too-many-requests.yaml", &edited);
    kb.run(&["check"])
        .stderr_has("`title` in `en` is stale")
        .stderr_has("`title` in `de` is stale");
}

#[test]
fn status_counts_translated_stale_and_missing_fields_per_language() {
    let kb = confirmed();
    let run = kb.run(&["i18n", "status"]);
    run.success()
        .stdout_has("language  translated  unconfirmed  stale  missing")
        .stdout_has("en                 8            0      0        0")
        .stdout_has("de                 5            0      0        3")
        .stdout_has("groq/model-decommissioned (de): 3 missing");
}

#[test]
fn export_then_import_without_edits_changes_no_byte_and_msgfmt_accepts_every_file() {
    let kb = confirmed();
    let before = snapshot(&kb);
    let out = kb.path("po");
    export(&kb, "de");
    let files: Vec<_> = kb.snapshot("po").into_keys().collect();
    assert_eq!(
        files.len(),
        3,
        "one per entry and the site (the provider has no text): {files:?}"
    );
    for file in &files {
        msgfmt_check(&out.join(file));
    }
    let po = kb.read("po/groq/rate-limit.po");
    assert!(po.contains("#: content/errors/groq/rate-limit.yaml:7\nmsgctxt \"groq/rate-limit|title\"\nmsgid \"Limite de débit atteinte\"\nmsgstr \"Ratenlimit erreicht\""), "{po}");
    kb.run(&["i18n", "import", &kb.path("po").to_string_lossy()])
        .success();
    assert_eq!(snapshot(&kb), before);
}

#[test]
fn a_stale_translation_is_exported_as_fuzzy() {
    let kb = confirmed();
    let text = kb
        .read(ENTRY)
        .replace("Trop de requêtes en peu de temps.", "Trop de requêtes.");
    kb.write(ENTRY, &text);
    export(&kb, "en");
    let po = kb.read("po/groq/rate-limit.po");
    assert!(po.contains("#, fuzzy\nmsgctxt \"groq/rate-limit|summary\"\nmsgid \"Trop de requêtes.\"\nmsgstr \"Too many requests in a short time.\""), "{po}");
    assert_eq!(po.matches("#, fuzzy").count(), 1, "{po}");
}

#[test]
fn an_edited_po_file_imports_into_the_right_fields() {
    let kb = confirmed();
    let original = kb.read("content/errors/groq/model-decommissioned.yaml");
    export(&kb, "de");
    let po = kb.read("po/groq/model-decommissioned.po");
    let translated = po
        .replace("msgid \"Modèle retiré\"\nmsgstr \"\"", "msgid \"Modèle retiré\"\nmsgstr \"Modell eingestellt\"")
        .replace(
            "msgid \"Le modèle demandé n'est plus servi.\"\nmsgstr \"\"",
            "msgid \"Le modèle demandé n'est plus servi.\"\nmsgstr \"Das Modell wird: nicht mehr bereitgestellt.\"",
        );
    assert_ne!(translated, po);
    kb.write("po/groq/model-decommissioned.po", &translated);
    kb.run(&["i18n", "import", &kb.path("po").to_string_lossy()])
        .success()
        .stdout_has("imported 2 translations; 2 confirmed");
    let yaml = kb.read("content/errors/groq/model-decommissioned.yaml");
    let expected = original
        .replace("  en: Model decommissioned\n", "  en: Model decommissioned\n  de: Modell eingestellt\n")
        .replace(
            "  en: The requested model is no longer served.\n",
            "  en: The requested model is no longer served.\n  de: \"Das Modell wird: nicht mehr bereitgestellt.\"\n",
        );
    assert_eq!(yaml, expected);
    kb.run(&["i18n", "status"])
        .stdout_has("groq/model-decommissioned (de): 1 missing");
    kb.run(&["build", "--out", &kb.path("public").to_string_lossy()])
        .success();
    assert!(
        kb.read("public/de/groq/model-decommissioned/index.html")
            .contains("Modell eingestellt")
    );
}

#[test]
fn a_po_file_that_is_not_utf8_is_refused_at_its_first_bad_byte_until_msgconv_converts_it() {
    let kb = confirmed();
    export(&kb, "de");
    let rel = "po/groq/model-decommissioned.po";
    // Saved by a tool set to Latin-1, as its header says.
    let po = kb
        .read(rel)
        .replace("charset=UTF-8", "charset=ISO-8859-1")
        .replace(
            "msgid \"Modèle retiré\"\nmsgstr \"\"",
            "msgid \"Modèle retiré\"\nmsgstr \"Modell außer Betrieb\"",
        );
    let latin1: Vec<u8> = po
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    kb.write_bytes(rel, &latin1);
    let before = snapshot(&kb);
    // The first byte that is not UTF-8 is the `è` of the French `msgid`.
    let line = line_of(&po, "msgid \"Modèle retiré\"");
    let column = "msgid \"Mod".chars().count() + 1;
    let file = kb.path(rel);
    kb.run(&["i18n", "import", &kb.path("po").to_string_lossy()])
        .fails_with(1)
        .stderr_has(&format!("model-decommissioned.po:{line}:{column}"))
        .stderr_has("not valid UTF-8")
        .stderr_has(&format!(
            "msgconv --to-code=UTF-8 {0} -o {0}",
            file.display()
        ))
        .stderr_has("nothing was imported");
    assert_eq!(snapshot(&kb), before);

    // The command of the hint, as GNU gettext runs it, makes the file importable.
    let converted = Command::new("msgconv")
        .args(["--to-code=UTF-8"])
        .arg(&file)
        .arg("-o")
        .arg(&file)
        .status()
        .expect("msgconv (GNU gettext) is installed");
    assert!(converted.success());
    kb.run(&["i18n", "import", &kb.path("po").to_string_lossy()])
        .success()
        .stdout_has("imported 1 translation");
    assert!(
        kb.read("content/errors/groq/model-decommissioned.yaml")
            .contains("  de: Modell außer Betrieb\n")
    );
}

#[test]
fn importing_from_a_folder_that_does_not_exist_is_an_error() {
    let kb = confirmed();
    let before = snapshot(&kb);
    kb.run(&["i18n", "import", &kb.path("po-missing").to_string_lossy()])
        .fails_with(1)
        .stderr_has("po-missing")
        .stderr_has("cannot read")
        .stderr_has("nothing was imported");
    assert_eq!(snapshot(&kb), before);
}

#[test]
fn a_po_entry_for_an_unknown_field_is_refused_at_its_line() {
    let kb = confirmed();
    export(&kb, "en");
    let po = kb.read("po/groq/rate-limit.po").replace(
        "groq/rate-limit|steps[wait].title",
        "groq/rate-limit|steps[pause].title",
    );
    let po = po.replace("msgstr \"Rate limit reached\"", "msgstr \"Limit reached\"");
    kb.write("po/groq/rate-limit.po", &po);
    let before = snapshot(&kb);
    let line = line_of(&po, "steps[pause].title");
    kb.run(&["i18n", "import", &kb.path("po").to_string_lossy()])
        .fails_with(1)
        .stderr_has(&format!("groq/rate-limit.po:{line}:1"))
        .stderr_has("`groq/rate-limit|steps[pause].title` names no field to translate into `en`")
        .stderr_has("nothing was imported");
    assert_eq!(snapshot(&kb), before);
}

#[test]
fn a_third_language_gets_its_pages_alternates_search_index_and_ui_strings() {
    let kb = KbTest::from_fixture("three-languages");
    kb.run(&["build", "--out", &kb.path("public").to_string_lossy()])
        .success();
    let page = kb.read("public/de/groq/rate-limit/index.html");
    assert!(
        page.contains("Ratenlimit erreicht") && page.contains("Startseite"),
        "{page}"
    );
    let english = kb.read("public/en/groq/rate-limit/index.html");
    assert!(english.contains("hreflang=\"de\""), "{english}");
    let entries: String = kb
        .snapshot("public/search/de")
        .into_values()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect();
    assert!(
        kb.read("public/search-index.de.json")
            .contains("\"lang\":\"de\"")
    );
    assert!(
        entries.contains("Ratenlimit erreicht"),
        "the German search index holds the German title"
    );
    let fallback = kb.read("public/de/groq/model-decommissioned/index.html");
    assert!(
        fallback.contains("Modèle retiré"),
        "the German page shows the French text"
    );
}

#[test]
fn i18n_add_starts_a_new_language_from_the_default_languages_ui_strings() {
    let kb = KbTest::minimal();
    kb.run(&["i18n", "add", "de"])
        .success()
        .stdout_has("created i18n/de.yaml")
        .stdout_has("add `de` to `languages` in content/site.yaml");
    let started = kb.read("i18n/de.yaml");
    let keys = |text: &str| -> Vec<String> {
        let lines = text
            .lines()
            .filter(|l| !l.starts_with('#') && l.contains(": "));
        lines
            .map(|l| l.split(": ").next().unwrap().to_string())
            .collect()
    };
    let french = std::fs::read_to_string(crate::helper::repo_root().join("i18n/fr.yaml")).unwrap();
    assert!(
        started.starts_with("# UI strings of the `de` pages"),
        "{started}"
    );
    assert_eq!(
        keys(&started),
        keys(&french),
        "every key of the French strings"
    );
    assert!(
        started.contains("home: Accueil"),
        "values start as the French ones"
    );

    kb.run(&["i18n", "add", "de"])
        .fails_with(2)
        .stderr_has("i18n/de.yaml already exists");
    assert_eq!(
        kb.read("i18n/de.yaml"),
        started,
        "an existing file is left as it is"
    );
    kb.run(&["i18n", "add", "Deutsch"])
        .fails_with(2)
        .stderr_has("`Deutsch` is not a language code");

    let site = kb.read("content/site.yaml");
    kb.write(
        "content/site.yaml",
        &site.replace("[fr, en]", "[fr, en, de]"),
    );
    kb.write(
        "i18n/de.yaml",
        &started.replace("home: Accueil", "home: Startseite"),
    );
    kb.run(&["build", "--out", &kb.path("public").to_string_lossy()])
        .success();
    let page = kb.read("public/de/openai/quota/index.html");
    assert!(
        page.contains("Startseite"),
        "the translated string is shown"
    );
    assert!(
        page.contains("Aller au contenu"),
        "an untranslated one shows French"
    );
    assert!(
        kb.read("public/fr/openai/quota/index.html")
            .contains("hreflang=\"de\"")
    );
    assert!(kb.exists("public/search-index.de.json"));
    kb.run(&["i18n", "status"]).success().stdout_has("de ");
}
