//! `errbook i18n add | status | confirm | export | import`: the translation workflow,
//! over the survey of `i18n` (what is translated, stale or missing) and its PO files.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use anyhow::{Context, Result};

use super::{Outcome, create_file, print_diagnostics};
use crate::cli::{
    Format, GlobalArgs, I18nAddArgs, I18nCommand, I18nConfirmArgs, I18nExportArgs, I18nImportArgs,
};
use crate::diagnostic::{Diagnostics, count};
use crate::i18n::{Status, Survey, TRANSLATIONS_LOCK, apply_edits, export_po, import_po};
use crate::load::load_site_languages;
use crate::model::Date;
use crate::render::theme::embedded_strings_file;
use crate::validate::is_language_code;

pub(crate) fn run(command: &I18nCommand, global: &GlobalArgs) -> Result<Outcome> {
    // Every command but `add` works on the survey of the knowledge base's texts.
    let survey = || Survey::read(&global.root);
    match command {
        I18nCommand::Add(args) => add(args, global),
        I18nCommand::Status(args) => {
            let status = Status::of(&survey());
            match args.format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&status)?),
                Format::Human => print!("{}", status.render_table()),
            }
            Ok(Outcome::Success)
        }
        I18nCommand::Confirm(args) => confirm(&survey(), args, global),
        I18nCommand::Export(args) => export(&survey(), args, global),
        I18nCommand::Import(args) => import(&survey(), args, global),
    }
}

/// `i18n add LANG`: writes `i18n/LANG.yaml` with every UI string of the site's default
/// language, for the author to translate, and says what else a new language needs.
fn add(args: &I18nAddArgs, global: &GlobalArgs) -> Result<Outcome> {
    let lang = args.lang.as_str();
    if !is_language_code(lang) {
        eprintln!("error: `{lang}` is not a language code");
        eprintln!("  hint: a code such as `de`, `pt` or `pt-BR`");
        return Ok(Outcome::UsageError);
    }
    let languages = match load_site_languages(&global.root) {
        Ok(languages) => languages,
        Err(problems) => {
            print_diagnostics(&problems, global);
            return Ok(Outcome::ContentErrors);
        }
    };
    let default = languages.first().map_or("en", String::as_str);
    let (source, text) = embedded_strings_file(default);
    let rel = format!("i18n/{lang}.yaml");
    if !create_file(
        &global.root,
        &rel,
        strings_started_from(lang, source, text).as_bytes(),
    )? {
        eprintln!("error: {rel} already exists; it was left as it is");
        return Ok(Outcome::UsageError);
    }
    if !global.quiet {
        println!("created {rel}: the UI strings of `{source}`, to translate into `{lang}`");
        if !languages.iter().any(|l| l == lang) {
            println!("next: add `{lang}` to `languages` in content/site.yaml");
        }
        println!("then: `errbook i18n export --lang {lang} --out po/` for the entries' texts");
    }
    Ok(Outcome::Success)
}

/// errbook's strings file of `source`, its opening comment replaced by one that says
/// what the new file is and what to do with it.
fn strings_started_from(lang: &str, source: &str, text: &str) -> String {
    let body: Vec<&str> = text.lines().skip_while(|l| l.starts_with('#')).collect();
    format!(
        "# UI strings of the `{lang}` pages, started from errbook's `{source}` strings by\n\
         # `errbook i18n add {lang}`: translate each value, keep the keys. A key removed\n\
         # from this file shows errbook's English text.\n{}\n",
        body.join("\n")
    )
}

fn confirm(survey: &Survey, args: &I18nConfirmArgs, global: &GlobalArgs) -> Result<Outcome> {
    if let Some(wanted) = &args.document
        && !survey.documents.iter().any(|d| &d.id == wanted)
    {
        {
            eprintln!(
                "error: no entry, provider or site named `{wanted}` (entries are `provider/slug`, providers `providers/id`)"
            );
            return Ok(Outcome::NotFound);
        }
    }
    let mut confirmed = 0;
    let mut lock = survey.confirm(
        |t, document| {
            let chosen = args.all
                || (args.document.as_deref() == Some(document.id.as_str())
                    && args.field.as_ref().is_none_or(|f| *f == t.field)
                    && args.lang.as_ref().is_none_or(|l| *l == t.lang));
            confirmed += usize::from(chosen && t.translation.is_some());
            chosen
        },
        &Date::today().to_string(),
    );
    if args.all {
        let live: HashSet<(&str, &str, &str)> = survey
            .translations
            .iter()
            .map(|t| {
                (
                    survey.documents[t.document].id.as_str(),
                    t.field.as_str(),
                    t.lang.as_str(),
                )
            })
            .collect();
        lock.records.retain(|k, _| {
            live.contains(&(k.document.as_str(), k.field.as_str(), k.lang.as_str()))
        });
    }
    write_file(&global.root.join(TRANSLATIONS_LOCK), &lock.render())?;
    if !global.quiet {
        println!(
            "confirmed {} in {TRANSLATIONS_LOCK}",
            count(confirmed, "translation")
        );
    }
    Ok(Outcome::Success)
}

fn export(survey: &Survey, args: &I18nExportArgs, global: &GlobalArgs) -> Result<Outcome> {
    if !survey.languages.contains(&args.lang) {
        eprintln!(
            "error: `{}` is not one of the site's languages ({})",
            args.lang,
            survey.languages.join(", ")
        );
        return Ok(Outcome::UsageError);
    }
    let files = export_po(survey, &args.lang, &Date::today().to_string());
    for (path, text) in &files {
        write_file(&args.out.join(path), text)?;
    }
    if !global.quiet {
        println!(
            "wrote {} into {}",
            count(files.len(), "PO file"),
            args.out.display()
        );
    }
    Ok(Outcome::Success)
}

fn import(survey: &Survey, args: &I18nImportArgs, global: &GlobalArgs) -> Result<Outcome> {
    let import = import_po(survey, &args.dir);
    let diagnostics: Diagnostics = import.diagnostics.into_iter().collect();
    print_diagnostics(&diagnostics, global);
    if diagnostics.has_errors() {
        eprintln!("nothing was imported");
        return Ok(Outcome::ContentErrors);
    }
    let mut per_document: BTreeMap<usize, Vec<_>> = BTreeMap::new();
    for (document, edit) in import.edits {
        per_document.entry(document).or_default().push(edit);
    }
    let edited: usize = per_document.values().map(Vec::len).sum();
    for (index, edits) in per_document {
        let document = &survey.documents[index];
        write_file(
            &global.root.join(&document.path),
            &apply_edits(&document.text, edits),
        )?;
    }
    let wanted: HashSet<(String, String, String)> = import
        .confirmed
        .iter()
        .map(|&i| &survey.translations[i])
        .map(|t| {
            (
                survey.documents[t.document].id.clone(),
                t.field.clone(),
                t.lang.clone(),
            )
        })
        .collect();
    if survey.lock.is_some() && !wanted.is_empty() {
        let after = Survey::read(&global.root);
        let lock = after.confirm(
            |t, d| wanted.contains(&(d.id.clone(), t.field.clone(), t.lang.clone())),
            &Date::today().to_string(),
        );
        write_file(&global.root.join(TRANSLATIONS_LOCK), &lock.render())?;
    }
    if !global.quiet {
        let confirmed = if survey.lock.is_some() {
            wanted.len()
        } else {
            0
        };
        println!(
            "imported {}; {confirmed} confirmed in {TRANSLATIONS_LOCK}",
            count(edited, "translation")
        );
    }
    Ok(Outcome::Success)
}

/// Writes `text` at `path`, creating its folder.
fn write_file(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}
