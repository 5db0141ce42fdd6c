//! `errbook check`: load and validate without rendering, compile the theme, apply the
//! audit rules, and print every diagnostic (for people, or as JSON for editors and CI).

use anyhow::{Context, Result};
use serde::Serialize;

use super::{Outcome, print_diagnostics, print_out};
use crate::cli::{CheckArgs, Format, GlobalArgs};
use crate::diagnostic::{Diagnostic, Diagnostics, count};
use crate::i18n::check_translations;
use crate::model::Date;
use crate::pipeline::{check, compile_theme, drop_in_background};
use crate::progress::Progress;
use crate::validate::audit::{AuditSettings, LOCK_FILE, render_lock};

/// The `--format json` document.
#[derive(Serialize)]
struct Report<'a> {
    errors: usize,
    warnings: usize,
    diagnostics: Vec<&'a Diagnostic>,
}

pub(crate) fn run(args: &CheckArgs, global: &GlobalArgs) -> Result<Outcome> {
    let lock_path = global.root.join(LOCK_FILE);
    let lock = if args.update_lock {
        None
    } else {
        std::fs::read_to_string(&lock_path).ok()
    };
    let settings = AuditSettings {
        today: Date::today(),
        max_age_days: args.max_age,
        lock,
    };
    let progress = Progress::on_terminal(global.quiet || args.format == Format::Json);
    let (kb, mut diagnostics) = check(
        &global.root,
        Some(&settings),
        &progress,
        &mut global.build_cache(),
    );
    progress.finish();
    if let Some(kb) = &kb {
        // What `build` would refuse besides the content: the theme, its UI strings.
        let (_, theme_problems) = compile_theme(&global.root, &kb.site.languages);
        diagnostics.extend(theme_problems);
        diagnostics.extend(check_translations(&global.root).into_iter().collect());
    }
    if args.strict {
        diagnostics.promote_warnings();
    }
    match args.format {
        Format::Json => print_json(&diagnostics)?,
        Format::Human => {
            print_diagnostics(&diagnostics, global);
            if !global.quiet {
                let entries = kb.as_ref().map_or(0, |kb| kb.entries.len());
                if diagnostics.is_empty() {
                    print_out(&format!(
                        "checked {}: no problems\n",
                        count(entries, "entry")
                    ))?;
                } else if !diagnostics.has_errors() {
                    print_out(&format!(
                        "checked {}: {}\n",
                        count(entries, "entry"),
                        count(diagnostics.warning_count(), "warning")
                    ))?;
                }
            }
        }
    }
    let Some(kb) = kb.filter(|_| !diagnostics.has_errors()) else {
        return Ok(Outcome::ContentErrors);
    };
    if args.update_lock {
        let text = render_lock(&kb);
        std::fs::write(&lock_path, &text)
            .with_context(|| format!("cannot write {}", lock_path.display()))?;
        if !global.quiet && args.format == Format::Human {
            let count = text.lines().filter(|l| !l.starts_with('#')).count();
            print_out(&format!("wrote {LOCK_FILE}: {count} pages and anchors\n"))?;
        }
    }
    drop_in_background(kb);
    Ok(Outcome::Success)
}

fn print_json(diagnostics: &Diagnostics) -> Result<()> {
    let report = Report {
        errors: diagnostics.error_count(),
        warnings: diagnostics.warning_count(),
        diagnostics: diagnostics.iter().collect(),
    };
    print_out(&(serde_json::to_string_pretty(&report)? + "\n"))?;
    Ok(())
}
