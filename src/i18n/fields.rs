//! The translatable fields of the content files, each with its stable id.
//!
//! Which values are texts is read from the JSON Schemas that `load` derives from its raw
//! types (a `Text` there is a text here), so the two never disagree. A field's id is its
//! path, with list items named by their `id` (or `provider`, `url`), never by position:
//! `steps[add-card].title`. Reordering items keeps every id; renaming an item is a change
//! of id, as it is for its anchor.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use serde_json::Value;

use super::tree::{Map, Node, Scalar, parse_tree};
use crate::load::{CONTENT_DIR, NamedSchema, json_schemas};

/// The schemas that say which values are texts, derived once.
static SCHEMAS: LazyLock<Vec<NamedSchema>> = LazyLock::new(json_schemas);

/// One content file: the site, a provider or an entry.
pub(crate) struct Document {
    /// Relative to the knowledge-base root.
    pub path: PathBuf,
    /// `site`, `providers/<id>`, or `<provider>/<slug>` for an entry.
    pub id: String,
    /// Its former ids (an entry's `aliases`), under which its records may be kept.
    pub aliases: Vec<String>,
    pub text: String,
    pub tree: Node,
    kind: &'static str,
}

/// A translatable field of a document, written as a map from language to text.
pub(crate) struct Field<'d> {
    pub id: String,
    pub texts: &'d Map,
}

impl Field<'_> {
    /// The text written for `lang`, when there is one.
    pub fn text(&self, lang: &str) -> Option<&Scalar> {
        self.texts
            .pairs
            .iter()
            .find(|(k, _)| k.value == lang)
            .and_then(|(_, v)| match v {
                Node::Scalar(s) => Some(s),
                _ => None,
            })
    }
}

impl Document {
    /// Reads the file at `path` (relative to `root`); `None` when it cannot be read or
    /// parsed, which `check` reports.
    fn read(root: &Path, path: PathBuf, kind: &'static str, id: String) -> Option<Document> {
        let text = std::fs::read_to_string(root.join(&path)).ok()?;
        let tree = parse_tree(&text)?;
        let mut aliases = Vec::new();
        if let (Some(Node::Seq(items)), Some((provider, _))) =
            (tree.get("aliases"), id.split_once('/'))
        {
            aliases.extend(
                items
                    .iter()
                    .filter_map(Node::text)
                    .map(|a| format!("{provider}/{a}")),
            );
        }
        Some(Document {
            path,
            id,
            aliases,
            text,
            tree,
            kind,
        })
    }

    /// The language its texts are written in first: the entry's `source_language`, or
    /// the site's first language.
    pub fn source_language<'a>(&'a self, languages: &'a [String]) -> &'a str {
        self.tree
            .get("source_language")
            .and_then(Node::text)
            .or(languages.first().map(String::as_str))
            .unwrap_or_default()
    }

    /// Every translatable field written as a map of languages, in file order.
    pub fn fields(&self) -> Vec<Field<'_>> {
        let Some(schema) = SCHEMAS.iter().find(|s| s.kind == self.kind) else {
            return Vec::new();
        };
        let root = schema.schema.as_value();
        let mut found = Vec::new();
        collect_fields(&self.tree, root, root, String::new(), &mut found);
        found
    }
}

/// Every content file of the knowledge base at `root`, sorted by path, and the site's
/// languages.
pub(crate) fn read_documents(root: &Path) -> (Vec<Document>, Vec<String>) {
    let content = Path::new(CONTENT_DIR);
    let mut documents = Vec::new();
    let site = Document::read(root, content.join("site.yaml"), "site", "site".into());
    let languages = site
        .as_ref()
        .and_then(|s| match s.tree.get("languages") {
            Some(Node::Seq(items)) => Some(
                items
                    .iter()
                    .filter_map(Node::text)
                    .map(String::from)
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default();
    documents.extend(site);
    for (folder, kind) in [("providers", "provider"), ("errors", "entry")] {
        let walk = walkdir::WalkDir::new(root.join(content).join(folder)).sort_by_file_name();
        for file in walk.into_iter().filter_map(Result::ok) {
            let path = file
                .path()
                .strip_prefix(root)
                .unwrap_or(file.path())
                .to_path_buf();
            if path.extension().is_none_or(|e| e != "yaml") || !file.file_type().is_file() {
                continue;
            }
            let stem = path.file_stem().unwrap_or_default().to_string_lossy();
            let id = match kind {
                "provider" => format!("providers/{stem}"),
                _ => {
                    let parent = path.parent().and_then(Path::file_name).unwrap_or_default();
                    format!("{}/{stem}", parent.to_string_lossy())
                }
            };
            documents.extend(Document::read(root, path, kind, id));
        }
    }
    (documents, languages)
}

/// Walks `node` along `schema`, collecting the maps that stand where a `Text` does.
fn collect_fields<'d>(
    node: &'d Node,
    schema: &Value,
    root: &Value,
    path: String,
    found: &mut Vec<Field<'d>>,
) {
    let schema = resolve(schema, root);
    if schema.get("title").and_then(Value::as_str) == Some("Text") || is_text_ref(schema) {
        if let Node::Map(texts) = node {
            found.push(Field { id: path, texts });
        }
        return;
    }
    match node {
        Node::Map(map) => {
            let Some(properties) = schema.get("properties") else {
                return;
            };
            for (key, value) in &map.pairs {
                if let Some(property) = properties.get(&key.value) {
                    let path = if path.is_empty() {
                        key.value.clone()
                    } else {
                        format!("{path}.{}", key.value)
                    };
                    collect_fields(value, property, root, path, found);
                }
            }
        }
        Node::Seq(items) => {
            let Some(item_schema) = schema.get("items") else {
                return;
            };
            for (index, item) in items.iter().enumerate() {
                let name = ["id", "provider", "url"]
                    .iter()
                    .find_map(|k| item.get(k).and_then(Node::text))
                    .map_or_else(|| index.to_string(), String::from);
                collect_fields(item, item_schema, root, format!("{path}[{name}]"), found);
            }
        }
        _ => {}
    }
}

fn is_text_ref(schema: &Value) -> bool {
    schema.get("$ref").and_then(Value::as_str) == Some("#/definitions/Text")
}

/// Follows `$ref` and the `anyOf` of optional values to the schema that says what a
/// value is; a reference to `Text` is kept, as it is what marks a text.
fn resolve<'s>(schema: &'s Value, root: &'s Value) -> &'s Value {
    if is_text_ref(schema) {
        return schema;
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or_default();
        if let Some(target) = root.get("definitions").and_then(|d| d.get(name)) {
            return resolve(target, root);
        }
    }
    if let Some(Value::Array(branches)) = schema.get("anyOf")
        && let Some(branch) = branches
            .iter()
            .find(|b| b.get("type").and_then(Value::as_str) != Some("null"))
    {
        return resolve(branch, root);
    }
    schema
}
