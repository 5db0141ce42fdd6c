//! `errbook build`: run the pipeline into the output folder, and say what was built.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::Result;

use super::{Outcome, print_diagnostics, print_out};
use crate::cli::{BuildArgs, GlobalArgs, RemoveTreeArgs};
use crate::diagnostic::count;
use crate::pipeline::{BuildSettings, Unchanged, build};
use crate::progress::Progress;
use crate::write::remove_tree;

pub(crate) fn run(args: &BuildArgs, global: &GlobalArgs) -> Result<Outcome> {
    let started = Instant::now();
    let settings = BuildSettings {
        base_url: args.base_url.clone(),
        out: args.out.clone(),
        force: args.force,
    };
    let progress = Progress::on_terminal(global.quiet);
    let built = build(
        &global.root,
        &settings,
        &progress,
        &mut global.build_cache(),
    );
    progress.finish();
    let built = match built? {
        Ok(built) => built,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, global);
            return Ok(Outcome::ContentErrors);
        }
    };
    print_diagnostics(&built.warnings, global);
    remove_in_background(&built.leftovers);
    if global.verbose
        && let Some(why) = built.unchanged
    {
        print_out(match why {
            Unchanged::Untouched => {
                "no input file was touched since the last build: the site is left as it is\n"
            }
            Unchanged::SameInputs => {
                "the site was built from these very inputs: it is left as it is\n"
            }
        })?;
    }
    if !global.quiet {
        print_out(&format!(
            "built {}: {} in {} ({}) in {} ms → {}\n",
            count(built.entries, "entry"),
            count(built.pages, "page"),
            count(built.languages.len(), "language"),
            built.languages.join(", "),
            started.elapsed().as_millis(),
            built.out.display()
        ))?;
    }
    Ok(Outcome::Success)
}

/// Deletes the previous site in a detached `errbook` process: on some file systems,
/// deleting thousands of files takes far longer than the build itself.
fn remove_in_background(trees: &[PathBuf]) {
    if trees.is_empty() {
        return;
    }
    let spawned = std::env::current_exe().and_then(|exe| {
        Command::new(exe)
            .arg("remove-tree")
            .args(trees)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
    });
    if spawned.is_err() {
        for tree in trees {
            let _ = remove_tree(tree);
        }
    }
}

/// `errbook remove-tree DIR…` (hidden): the background half of `build`.
pub(crate) fn run_remove_tree(args: &RemoveTreeArgs) -> Result<Outcome> {
    for dir in &args.dirs {
        remove_tree(dir)?;
    }
    Ok(Outcome::Success)
}
