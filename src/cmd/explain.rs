//! `errbook explain QUERY`: one entry in the terminal, like `rustc --explain`.

use std::io::{IsTerminal, Write};
use std::process::{Command, Stdio};

use anyhow::Result;

use super::{Outcome, print_diagnostics, print_out, print_skipped, use_color};
use crate::cli::{ExplainArgs, GlobalArgs};
use crate::diagnostic::Diagnostics;
use crate::load::load_strings;
use crate::model::{Entry, KnowledgeBase};
use crate::pipeline::load_answering_base;
use crate::render::terminal::{TerminalStyle, render_terminal};
use crate::render::theme::merge_strings;

pub(crate) fn run(args: &ExplainArgs, global: &GlobalArgs) -> Result<Outcome> {
    let kb = match load_answering_base(&global.root, &mut global.build_cache()) {
        Ok((kb, skipped)) => {
            print_skipped(&skipped, global);
            kb
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, global);
            return Ok(Outcome::ContentErrors);
        }
    };
    let lang = match &args.lang {
        None => 0,
        Some(code) => match kb.site.languages.index_of(code) {
            Some(i) => i,
            None => {
                let known = kb.site.languages.codes().join(", ");
                eprintln!(
                    "error: `{code}` is not a language of this site\n  help: the site's languages are: {known}"
                );
                return Ok(Outcome::UsageError);
            }
        },
    };
    let matches = find_entries(&kb, &args.query);
    let entry = match matches.as_slice() {
        [entry] => *entry,
        [] => {
            eprintln!("error: no entry matches `{}`", args.query);
            let suggestions = closest_ids(&kb, &args.query);
            if !suggestions.is_empty() {
                eprintln!("  help: did you mean {}?", suggestions.join(", "));
            }
            return Ok(Outcome::NotFound);
        }
        several => {
            let ids: Vec<String> = several.iter().map(|e| e.id()).collect();
            eprintln!(
                "error: `{}` matches several entries: {}\n  help: name one, e.g. `errbook explain {}`",
                args.query,
                ids.join(", "),
                ids[0]
            );
            return Ok(Outcome::NotFound);
        }
    };
    let code = kb.site.languages.codes()[lang].clone();
    let file = load_strings(&global.root, &code);
    let strings = merge_strings(&code, &file, &mut Diagnostics::default());
    let style = TerminalStyle {
        color: use_color(global, std::io::stdout().is_terminal()),
    };
    let text = render_terminal(&kb, entry, lang, &strings, &style);
    page(&text, args.no_pager)?;
    Ok(Outcome::Success)
}

/// Entries whose id, slug, alias or code is `query` (codes compare case-insensitively).
fn find_entries<'a>(kb: &'a KnowledgeBase, query: &str) -> Vec<&'a Entry> {
    let query = query.trim();
    let by_id: Vec<&Entry> = kb
        .entries
        .iter()
        .filter(|e| e.id() == query)
        .map(AsRef::as_ref)
        .collect();
    if !by_id.is_empty() {
        return by_id;
    }
    let (provider, rest) = query
        .split_once('/')
        .map_or((None, query), |(p, r)| (Some(p), r));
    kb.entries
        .iter()
        .filter(|e| provider.is_none_or(|p| p == e.provider))
        .filter(|e| {
            e.slug == rest
                || e.aliases.iter().any(|a| a == rest)
                || e.code.eq_ignore_ascii_case(rest)
        })
        .map(AsRef::as_ref)
        .collect()
}

fn closest_ids(kb: &KnowledgeBase, query: &str) -> Vec<String> {
    let mut scored: Vec<(usize, String)> = kb
        .entries
        .iter()
        .flat_map(|e| [e.id(), e.code.clone(), e.slug.clone()])
        .map(|candidate| {
            (
                strsim::damerau_levenshtein(&query.to_lowercase(), &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, candidate)| *distance <= 3.max(candidate.len() / 3))
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| format!("`{c}`"))
        .collect()
}

/// Prints `text`, through `$PAGER` when it is longer than the terminal.
fn page(text: &str, no_pager: bool) -> Result<()> {
    let rows: usize = std::env::var("LINES")
        .ok()
        .and_then(|l| l.parse().ok())
        .unwrap_or(24);
    let pager = std::env::var("PAGER").unwrap_or_else(|_| "less -R".to_string());
    let long = text.lines().count() > rows;
    if no_pager || !long || pager.trim().is_empty() || !std::io::stdout().is_terminal() {
        print_out(text)?;
        return Ok(());
    }
    let child = Command::new("sh")
        .arg("-c")
        .arg(&pager)
        .stdin(Stdio::piped())
        .spawn();
    match child {
        Ok(mut child) => {
            if let Some(mut stdin) = child.stdin.take() {
                let _ = stdin.write_all(text.as_bytes());
            }
            child.wait()?;
        }
        Err(_) => print_out(text)?,
    }
    Ok(())
}
