//! gettext PO files: the export of one language's translations, and their import.
//!
//! One PO file per content file (`openai/insufficient-quota.po`, `providers/groq.po`,
//! `site.po`), so that translators, Weblate, Crowdin or Poedit see the texts grouped as
//! authors do. Each message's context (`msgctxt`) is the field's stable id, prefixed by
//! its document (`openai/insufficient-quota|steps[add-card].title`): an import does not
//! depend on file names, and a context that names no field is refused, at its line.
//! Stale and unconfirmed translations are `#, fuzzy`, as gettext marks translations
//! that need a look; an import takes no fuzzy translation, and takes a translation
//! without the flag as confirmed.

use std::path::{Path, PathBuf};

use polib::catalog::Catalog;
use polib::message::{Message, MessageFlags};
use polib::metadata::CatalogMetadata;

use super::edit::{Edit, write_translation};
use super::state::{State, Survey, Translation};
use crate::diagnostic::{Diagnostic, Position, Severity};
use crate::load::{read_source, utf8_text};

/// The PO files of `lang`, written on `today` (`YYYY-MM-DD`): a path relative to the
/// export folder, and the file's text.
pub(crate) fn export_po(survey: &Survey, lang: &str, today: &str) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for (index, document) in survey.documents.iter().enumerate() {
        let translations: Vec<&Translation> = survey
            .translations
            .iter()
            .filter(|t| t.document == index && t.lang == lang)
            .collect();
        let Some(first) = translations.first() else {
            continue;
        };
        let mut metadata = CatalogMetadata::new();
        metadata.project_id_version = document.id.clone();
        metadata.po_revision_date = format!("{today} 00:00+0000");
        metadata.last_translator = "errbook i18n export".into();
        metadata.language_team = lang.into();
        metadata.mime_version = "1.0".into();
        metadata.content_type = "text/plain; charset=UTF-8".into();
        metadata.content_transfer_encoding = "8bit".into();
        metadata.language = lang.into();
        let mut po = Catalog::new(metadata);
        po.preheader = vec![format!(
            "Translations of {} from `{}` into `{lang}`, written by `errbook i18n export`.",
            document.path.display(),
            first.source_lang
        )];
        for t in translations {
            po.append_or_update(message(survey, t));
        }
        let mut writer = std::io::BufWriter::new(Vec::new());
        // Writing into memory cannot fail.
        let _ = polib::po_file::write(&po, &mut writer);
        let bytes = writer.into_inner().unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        files.push((PathBuf::from(format!("{}.po", document.id)), text));
    }
    files
}

fn message(survey: &Survey, t: &Translation) -> Message {
    let document = &survey.documents[t.document];
    let mut flags = MessageFlags::new();
    let comment = match &t.state {
        State::Stale { confirmed } => {
            flags.add_flag("fuzzy");
            format!("The source changed since this translation was confirmed on {confirmed}.")
        }
        State::Unconfirmed if survey.lock.is_some() => {
            flags.add_flag("fuzzy");
            "Nobody has confirmed this translation yet.".to_string()
        }
        _ => String::new(),
    };
    Message::build_singular()
        .with_msgctxt(format!("{}|{}", document.id, t.field))
        .with_msgid(t.source.value.clone())
        .with_msgstr(
            t.translation
                .as_ref()
                .map(|s| s.value.clone())
                .unwrap_or_default(),
        )
        .with_source(format!("{}:{}", document.path.display(), t.source.line))
        .with_extracted_comments(comment)
        .with_flags(flags)
        .done()
}

/// What an import changes: edits per document, and the translations it confirms.
#[derive(Default)]
pub(crate) struct Import {
    /// Per document index, the edits of its file.
    pub edits: Vec<(usize, Edit)>,
    /// Indexes into [`Survey::translations`] that the import confirms.
    pub confirmed: Vec<usize>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the PO files under `dir` against `survey`. A file or folder that cannot be
/// read, or that is not UTF-8, is refused: its translations must not silently go
/// missing from the import.
pub(crate) fn import_po(survey: &Survey, dir: &Path) -> Import {
    let mut import = Import::default();
    let walk = walkdir::WalkDir::new(dir).sort_by_file_name();
    for file in walk {
        let file = match file {
            Ok(file) => file,
            Err(error) => {
                let path = error.path().unwrap_or(dir);
                let problem = Diagnostic::error(path, format!("cannot read: {error}"));
                import.diagnostics.push(problem);
                continue;
            }
        };
        if file.path().extension().is_none_or(|e| e != "po") || file.file_type().is_dir() {
            continue;
        }
        let name = file.path();
        let text = read_source(Path::new(""), name).and_then(|bytes| {
            utf8_text(bytes, name).map_err(|problem| problem.with_hint(to_utf8_hint(name)))
        });
        let text = match text {
            Ok(text) => text,
            Err(problem) => {
                import.diagnostics.push(problem);
                continue;
            }
        };
        // polib's parser indexes lines without checking them: a hand-broken file
        // must be reported, not crash the import.
        let parsed =
            std::panic::catch_unwind(|| polib::po_file::parse_from_reader(text.as_bytes()));
        match parsed {
            Ok(Ok(po)) => import_file(survey, &po, &ContextLines::of(&text), name, &mut import),
            Ok(Err(error)) => import
                .diagnostics
                .push(Diagnostic::error(name, format!("not a PO file: {error}"))),
            Err(_) => import
                .diagnostics
                .push(Diagnostic::error(name, "not a PO file")),
        }
    }
    import
}

/// How to make the PO file `name` UTF-8, as errbook writes and reads PO files.
fn to_utf8_hint(name: &Path) -> String {
    format!(
        "errbook reads PO files in UTF-8, as it exports them; `msgconv --to-code=UTF-8 {0} -o {0}` converts this one",
        name.display()
    )
}

/// The position of each `msgctxt` of a PO file, in order: polib does not keep where a
/// message was written, and a refusal must say it.
struct ContextLines(Vec<Position>);

impl ContextLines {
    fn of(text: &str) -> ContextLines {
        let lines = text.lines().enumerate();
        ContextLines(
            lines
                .filter(|(_, l)| l.starts_with("msgctxt"))
                .map(|(n, _)| Position::in_source(text, n + 1, 1, "msgctxt".len()))
                .collect(),
        )
    }
}

fn import_file(
    survey: &Survey,
    po: &Catalog,
    lines: &ContextLines,
    name: &Path,
    import: &mut Import,
) {
    let lang = &po.metadata.language;
    if lang.is_empty() {
        import.diagnostics.push(
            Diagnostic::error(name, "the PO file says no `Language`")
                .with_hint("export the file again with `errbook i18n export --lang LANG`"),
        );
        return;
    }
    let messages = po.messages().filter(|m| m.msgctxt().is_some());
    for (number, message) in messages.enumerate() {
        let at = |severity: Severity, text: String| {
            let position = lines.0.get(number).cloned();
            let position = position.unwrap_or_else(|| Position::in_source("", 1, 1, 1));
            let mut d = Diagnostic::error(name, text).at(position);
            d.severity = severity;
            d
        };
        let context = message.msgctxt().unwrap_or_default();
        let found = survey.translations.iter().position(|t| {
            let document = &survey.documents[t.document];
            t.lang == *lang
                && std::iter::once(&document.id)
                    .chain(&document.aliases)
                    .any(|id| {
                        context
                            .strip_prefix(id.as_str())
                            .and_then(|f| f.strip_prefix('|'))
                            == Some(&t.field)
                    })
        });
        let Some(index) = found else {
            import.diagnostics.push(at(Severity::Error, format!("`{context}` names no field to translate into `{lang}`")).with_hint(
                "the field or its entry was renamed or removed since the export: export again, and translate in the new file",
            ));
            continue;
        };
        let t = &survey.translations[index];
        let msgstr = message.msgstr().unwrap_or_default();
        if message.flags().is_fuzzy() || msgstr.is_empty() {
            continue;
        }
        if message.msgid() != t.source.value {
            let text = format!(
                "the `{}` text of `{context}` changed since the export; its translation is not imported",
                t.source_lang
            );
            import.diagnostics.push(
                at(Severity::Warning, text).with_hint("export again, and translate the new text"),
            );
            continue;
        }
        if t.translation.as_ref().is_none_or(|old| old.value != msgstr) {
            let document = &survey.documents[t.document];
            let Some(field) = document.fields().into_iter().find(|f| f.id == t.field) else {
                continue;
            };
            import.edits.push((
                t.document,
                write_translation(&document.text, field.texts, lang, msgstr),
            ));
        }
        if t.state != State::Current {
            import.confirmed.push(index);
        }
    }
}
