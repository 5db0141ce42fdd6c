//! Reads the knowledge base's own theme files: the templates, static files and UI
//! strings that replace the embedded theme's (`render/theme.rs` compiles them).
//!
//! Like the content, they are read here and only here, so that rendering touches no
//! disk; a file that cannot be read is a diagnostic on that file.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::is_ignored;
use crate::diagnostic::{Diagnostic, Diagnostics, relative_to};
use crate::model::Languages;

pub(crate) const TEMPLATES_DIR: &str = "templates";
pub(crate) const STATIC_DIR: &str = "static";
pub(crate) const I18N_DIR: &str = "i18n";

/// The theme files of a knowledge base, as read.
#[derive(Debug, Default)]
pub(crate) struct ThemeSources {
    /// Templates by name (their path under `templates/`), with their file (relative to
    /// the root) and text.
    pub templates: Vec<(String, PathBuf, String)>,
    /// Static files by name (their path under `static/`).
    pub assets: Vec<(String, Vec<u8>)>,
    /// Each site language's UI strings file (`i18n/<code>.yaml`), if there is one.
    pub strings: Vec<StringsFile>,
}

/// The UI strings file of one language: where it is, and its text if it could be read.
#[derive(Debug)]
pub(crate) struct StringsFile {
    pub path: PathBuf,
    pub text: Option<String>,
}

/// Reads the theme files of the knowledge base at `root` for the site's `languages`.
pub(crate) fn load_theme(root: &Path, languages: &Languages) -> (ThemeSources, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let mut sources = ThemeSources::default();
    for (name, path) in theme_files(root, TEMPLATES_DIR) {
        match std::fs::read_to_string(root.join(&path)) {
            Ok(text) => sources.templates.push((name, path, text)),
            Err(e) => diagnostics.push(Diagnostic::error(
                path,
                format!("cannot read the template: {e}"),
            )),
        }
    }
    for (name, path) in theme_files(root, STATIC_DIR) {
        match std::fs::read(root.join(&path)) {
            Ok(bytes) => sources.assets.push((name, bytes)),
            Err(e) => diagnostics.push(Diagnostic::error(
                path,
                format!("cannot read the file: {e}"),
            )),
        }
    }
    let codes = languages.codes();
    sources.strings = codes.iter().map(|code| load_strings(root, code)).collect();
    (sources, diagnostics)
}

/// The UI strings file of the language `code`.
pub(crate) fn load_strings(root: &Path, code: &str) -> StringsFile {
    let path = Path::new(I18N_DIR).join(format!("{code}.yaml"));
    let text = std::fs::read_to_string(root.join(&path)).ok();
    StringsFile { path, text }
}

/// Files under `root/dir`, keyed by their path inside it (`/`-separated).
fn theme_files(root: &Path, dir: &str) -> Vec<(String, PathBuf)> {
    let base = root.join(dir);
    WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !is_ignored(&e.file_name().to_string_lossy()))
        .map(|e| {
            let name = relative_to(e.path(), &base)
                .to_string_lossy()
                .replace('\\', "/");
            (name, relative_to(e.path(), root))
        })
        .collect()
}
