//! `errbook import FILE.md…`: hand-written troubleshooting documents into an entry.
//!
//! Reads the documents and the knowledge base, lets `import` make the entry, and writes
//! it (or prints it, with `--dry-run`), never replacing an entry without `--force` nor
//! any provider file; then checks the result, so that what is left to fill in is said.

use std::path::Path;

use anyhow::{Context, Result, bail};

use super::{Outcome, create_file, print_diagnostics};
use crate::cli::{GlobalArgs, ImportArgs};
use crate::diagnostic::Diagnostics;
use crate::import::{Document, Target, import_documents, render_import, render_summary};
use crate::load::load_strings;
use crate::model::Languages;
use crate::pipeline::{load_knowledge_base, load_site_and_providers};
use crate::render::theme::merge_strings;

pub(crate) fn run(args: &ImportArgs, global: &GlobalArgs) -> Result<Outcome> {
    // Other entries' problems (a link to the entry being imported, say) do not stop
    // an import: it needs only the site's languages and the providers.
    let (found, diagnostics) = load_site_and_providers(&global.root);
    let Some((site, providers)) = found else {
        print_diagnostics(&diagnostics, global);
        return Ok(Outcome::ContentErrors);
    };
    if args.lang.is_some() && args.files.len() > 1 {
        eprintln!(
            "error: --lang names the language of one document\n  help: name the files after their language instead (`quota.fr.md`, `quota.en.md`)"
        );
        return Ok(Outcome::UsageError);
    }
    let languages = &site.languages;
    let documents = args
        .files
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let lang = args.lang.clone().or_else(|| lang_in_name(file, languages));
            Ok(Document {
                file: file.clone(),
                text,
                lang,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let strings = theme_strings(&global.root, languages);
    let target = Target {
        languages,
        strings: &strings,
        providers: &providers,
        provider: args.provider.as_deref(),
        code: args.code.as_deref(),
    };
    let imported = match import_documents(&documents, &target) {
        Ok(imported) => imported,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(Outcome::UsageError);
        }
    };
    print_diagnostics(&imported.warnings, global);
    let files = render_import(&imported, languages);
    let (entry_path, entry_text) = &files[0];
    if args.dry_run {
        for (path, text) in &files {
            println!("# {path}\n{text}");
        }
    } else {
        write_entry(&global.root, entry_path, entry_text, args.force)?;
        for (path, text) in &files[1..] {
            create_file(&global.root, path, text.as_bytes())?;
        }
    }
    if !global.quiet {
        let paths: Vec<&Path> = args.files.iter().map(|f| f.as_path()).collect();
        let written: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
        eprint!(
            "{}",
            render_summary(&imported, &paths, &written, args.dry_run)
        );
    }
    if args.dry_run {
        return Ok(Outcome::Success);
    }
    check_written(&global.root, &files, global)
}

/// The language a file name ends with (`quota.fr.md`, `quota-en.md`), if the site has it.
fn lang_in_name(file: &Path, languages: &Languages) -> Option<String> {
    let stem = file.file_stem()?.to_str()?;
    let last = stem.rsplit(['.', '-', '_']).next()?;
    languages.index_of(last).map(|_| last.to_string())
}

/// The UI strings of the site's languages, and of French and English: the words of
/// the headings that errbook knows.
fn theme_strings(
    root: &Path,
    languages: &Languages,
) -> Vec<(String, crate::render::theme::Strings)> {
    let mut codes: Vec<&str> = languages.codes().iter().map(String::as_str).collect();
    for known in ["fr", "en"] {
        if !codes.contains(&known) {
            codes.push(known);
        }
    }
    let mut ignored = Diagnostics::default();
    codes
        .into_iter()
        .map(|code| {
            let file = load_strings(root, code);
            (code.to_string(), merge_strings(code, &file, &mut ignored))
        })
        .collect()
}

fn write_entry(root: &Path, rel: &str, text: &str, force: bool) -> Result<()> {
    let path = root.join(rel);
    if path.exists() && !force {
        bail!(
            "{rel} already exists\n  help: pass --force to replace it, or --dry-run to see the import"
        );
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Checks the knowledge base with the written files, and prints what concerns them;
/// missing translations, one warning per text, are counted instead.
fn check_written(root: &Path, files: &[(String, String)], global: &GlobalArgs) -> Result<Outcome> {
    let (_, diagnostics) = load_knowledge_base(root);
    let ours = diagnostics
        .iter()
        .filter(|d| files.iter().any(|(path, _)| d.file == Path::new(path)));
    let (untranslated, others): (Vec<_>, Vec<_>) =
        ours.partition(|d| d.message.contains("is not translated into"));
    let others: Diagnostics = others.into_iter().cloned().collect();
    print_diagnostics(&others, global);
    if !untranslated.is_empty() && !global.quiet {
        eprintln!(
            "{} texts are not translated yet: `errbook check` lists them, or import the document of each other language with this one",
            untranslated.len()
        );
    }
    Ok(if others.has_errors() {
        Outcome::ContentErrors
    } else {
        Outcome::Success
    })
}
