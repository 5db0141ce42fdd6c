//! The documentation holds: every field of the schema is in the content format's
//! tables, and every example file it shows passes `check`.

use std::collections::BTreeMap;

use crate::helper::{KbTest, repo_root};

fn content_format() -> String {
    std::fs::read_to_string(repo_root().join("docs/content-format.md")).unwrap()
}

/// The fields of each type of the schemas (`Entry`, `Step`, `Support`…), by type name.
fn schema_fields() -> BTreeMap<String, Vec<String>> {
    let kb = KbTest::empty();
    let mut fields = BTreeMap::new();
    for kind in ["entry", "provider", "site"] {
        let run = kb.run(&["schema", kind]);
        run.success();
        let schema: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let definitions = schema["definitions"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let root = (
            schema["title"].as_str().unwrap().to_string(),
            schema.clone(),
        );
        for (name, definition) in definitions.into_iter().chain([root]) {
            let Some(properties) = definition["properties"].as_object() else {
                continue;
            };
            fields.insert(name, properties.keys().cloned().collect());
        }
    }
    fields
}

/// The part of `doc` under the heading that names `` `name` ``, up to the next heading.
fn section<'a>(doc: &'a str, name: &str) -> Option<&'a str> {
    let marker = format!("`{name}`");
    let start = doc.match_indices('\n').map(|(i, _)| i + 1).find(|&i| {
        doc[i..].starts_with('#') && doc[i..].lines().next().unwrap().contains(&marker)
    })?;
    let body = &doc[start..];
    let first_line = body.find('\n').unwrap_or(body.len());
    let end = body[first_line..]
        .find("\n#")
        .map_or(body.len(), |i| first_line + i);
    Some(&body[..end])
}

#[test]
fn every_field_of_every_schema_type_has_a_row_in_the_content_format() {
    let doc = content_format();
    let fields = schema_fields();
    for name in [
        "Entry", "Provider", "Site", "Step", "Match", "Support", "Faq",
    ] {
        assert!(
            fields.contains_key(name),
            "the schema has no {name}: {fields:?}"
        );
    }
    let mut missing = Vec::new();
    for (name, properties) in &fields {
        let Some(section) = section(&doc, name) else {
            missing.push(format!("no section for `{name}`"));
            continue;
        };
        for property in properties {
            if !section.contains(&format!("\n| `{property}` |")) {
                missing.push(format!("`{name}.{property}`"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "undocumented in docs/content-format.md: {missing:?}"
    );
}

#[test]
fn every_example_file_of_the_content_format_passes_check_and_builds() {
    let kb = KbTest::empty();
    let doc = content_format();
    let mut written = Vec::new();
    for block in doc.split("```yaml\n").skip(1) {
        let block = &block[..block.find("```").unwrap()];
        if let Some(path) = block.lines().next().unwrap().strip_prefix("# content/") {
            let path = format!("content/{path}");
            kb.write(&path, block);
            written.push(path);
        }
    }
    for file in [
        "content/site.yaml",
        "content/providers/openai.yaml",
        "content/errors/openai/model-not-found.yaml",
        "content/errors/openai/insufficient-quota.yaml",
    ] {
        assert!(
            written.iter().any(|w| w == file),
            "no example of {file}: {written:?}"
        );
    }
    kb.run(&["check", "--max-age", "100000"])
        .success()
        .stdout_has("checked 2 entries: no problems");
    kb.run(&["build"]).success();
    let full = kb.read("public/en/openai/insufficient-quota/index.html");
    for anchor in [
        "step-add-card",
        "cause-no-card",
        "faq-free-tier",
        "alternative-groq",
    ] {
        assert!(full.contains(&format!("id=\"{anchor}\"")), "no #{anchor}");
    }
    kb.run(&["lookup", "--lang", "en", "Error code: 429 - {'error': {'message': 'You exceeded your current quota, please check your plan and billing details.', 'type': 'insufficient_quota', 'code': 'insufficient_quota'}}"])
        .success()
        .stdout_has("openai/insufficient-quota");
}
