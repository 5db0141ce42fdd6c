//! `errbook build`: run the pipeline and write the site atomically.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::Result;

use super::{Outcome, print_diagnostics};
use crate::cli::{BuildArgs, GlobalArgs, RemoveTreeArgs};
use crate::pipeline::{BuildSettings, build_site};
use crate::write::{remove_tree, write_site};

pub fn run(args: &BuildArgs, global: &GlobalArgs) -> Result<Outcome> {
    let started = Instant::now();
    let settings = BuildSettings {
        base_url: args.base_url.clone(),
    };
    let site = match build_site(&global.root, &settings) {
        Ok(site) => site,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, global);
            return Ok(Outcome::ContentErrors);
        }
    };
    print_diagnostics(&site.warnings, global);
    let out = global
        .root
        .join(args.out.as_ref().unwrap_or(&site.kb.site.output));
    let old_trees = write_site(&site.files, &out, args.force)?;
    remove_in_background(&old_trees);
    if !global.quiet {
        let pages = site
            .files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count();
        let languages = site.kb.site.languages.codes().join(", ");
        println!(
            "built {} entries: {pages} pages in {} languages ({languages}) in {} ms → {}",
            site.kb.entries.len(),
            site.kb.site.languages.len(),
            started.elapsed().as_millis(),
            out.display()
        );
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
pub fn run_remove_tree(args: &RemoveTreeArgs) -> Result<Outcome> {
    for dir in &args.dirs {
        remove_tree(dir)?;
    }
    Ok(Outcome::Success)
}
