//! `errbook lookup`: which entry explains this error? Prints its anchored URL.
//!
//! Exit status: 0 when one entry explains the error, 3 when several might (or one, too
//! weakly: the candidates are printed), 1 when none does (the closest entries are
//! printed, as not a match), 2 for usage errors. The error comes from the arguments,
//! or from stdin. See `docs/lookup.md`.

use std::io::{IsTerminal, Read};

use anyhow::{Context, Result};

use super::{Outcome, print_diagnostics, print_out, print_skipped};
use crate::cli::{GlobalArgs, LookupArgs};
use crate::pipeline::load_lookup_index;
use crate::search::Evidence;
use crate::search::report::{Confidence, LookupReport};

pub(crate) fn run(args: &LookupArgs, global: &GlobalArgs) -> Result<Outcome> {
    let Some(text) = read_error(args)? else {
        eprintln!(
            "error: no error to look up\n\nusage: errbook lookup \"<error>\"  (or pipe it on stdin)"
        );
        return Ok(Outcome::UsageError);
    };
    let evidence = Evidence::read(&text, args.status);
    let index = match load_lookup_index(
        &global.root,
        args.index.as_deref(),
        &evidence,
        &mut global.build_cache(),
    )? {
        Ok((index, skipped)) => {
            print_skipped(&skipped, global);
            index
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, global);
            return Ok(Outcome::ContentErrors);
        }
    };
    let lang = args.lang.as_deref().unwrap_or(&index.languages[0]);
    if !index.languages.iter().any(|l| l == lang) {
        let known = index.languages.join(", ");
        eprintln!("error: the site has no language `{lang}` (it has {known})");
        return Ok(Outcome::UsageError);
    }
    let found = index.lookup(&evidence);
    let report = LookupReport::new(&index, &evidence, &found, &text);
    if args.json {
        print_out(&(serde_json::to_string_pretty(&report)? + "\n"))?;
    } else if !global.quiet || found.confident {
        print_out(&report.to_text(lang))?;
    }
    Ok(match report.confidence {
        Confidence::Found => Outcome::Success,
        Confidence::Ambiguous => Outcome::Ambiguous,
        Confidence::None => Outcome::NotFound,
    })
}

/// The error from the arguments, or from stdin when they are absent or `-`.
fn read_error(args: &LookupArgs) -> Result<Option<String>> {
    let text = if args.error.is_empty() || args.error == ["-"] {
        let mut stdin = std::io::stdin();
        if stdin.is_terminal() {
            return Ok(None);
        }
        let mut text = String::new();
        stdin
            .read_to_string(&mut text)
            .context("cannot read stdin")?;
        text
    } else {
        args.error.join(" ")
    };
    Ok(Some(text).filter(|t| !t.trim().is_empty()))
}
