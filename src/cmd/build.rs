//! `errbook build`: run the pipeline and write the site atomically.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::Result;

use super::{Outcome, print_diagnostics, print_out};
use crate::cli::{BuildArgs, GlobalArgs, RemoveTreeArgs};
use crate::pipeline::{
    BuildSettings, ParseCache, Sink, drop_in_background, prepare_site, render_site,
};
use crate::progress::Progress;
use crate::render::{OutputFile, is_page};
use crate::write::{Staging, remove_tree};

pub fn run(args: &BuildArgs, global: &GlobalArgs) -> Result<Outcome> {
    let started = Instant::now();
    let settings = BuildSettings {
        base_url: args.base_url.clone(),
    };
    let progress = Progress::on_terminal(global.quiet);
    let parse_cache = global.parse_cache();
    let inputs = match prepare_site(&global.root, &settings, &progress, parse_cache.as_ref()) {
        Ok(inputs) => inputs,
        Err(diagnostics) => {
            progress.finish();
            print_diagnostics(&diagnostics, global);
            return Ok(Outcome::ContentErrors);
        }
    };
    let out = global
        .root
        .join(args.out.as_ref().unwrap_or(&inputs.kb.site.output));
    // Files go to the staging folder as they are rendered; a problem drops the folder.
    let spare = parse_cache.as_ref().and_then(ParseCache::spare_site);
    let staging = Staging::begin(&out, args.force, spare.as_deref())?;
    let counter = PageCounter {
        staging: &staging,
        pages: AtomicUsize::new(0),
    };
    let cache = parse_cache.as_ref();
    let rendered = render_site(&inputs.kb, &inputs.theme, &counter, &progress, cache);
    progress.stage("writing", None, "swapping the new site in");
    let pages = counter.pages.into_inner();
    let finished = match rendered {
        Ok(()) => staging.finish(),
        Err(diagnostics) => {
            drop(staging);
            progress.finish();
            print_diagnostics(&diagnostics, global);
            return Ok(Outcome::ContentErrors);
        }
    };
    progress.finish();
    print_diagnostics(&inputs.warnings, global);
    remove_in_background(&finished?);
    if !global.quiet {
        let languages = inputs.kb.site.languages.codes().join(", ");
        print_out(&format!(
            "built {} entries: {pages} pages in {} languages ({languages}) in {} ms → {}\n",
            inputs.kb.entries.len(),
            inputs.kb.site.languages.len(),
            started.elapsed().as_millis(),
            out.display()
        ))?;
    }
    drop_in_background(inputs);
    Ok(Outcome::Success)
}

/// Passes files on to the staging folder, counting the pages (HTML files) on the way.
struct PageCounter<'a> {
    staging: &'a Staging,
    pages: AtomicUsize,
}

impl Sink for PageCounter<'_> {
    fn put(&self, files: Vec<OutputFile>) {
        let pages = files.iter().filter(|f| is_page(f)).count();
        self.pages.fetch_add(pages, Ordering::Relaxed);
        self.staging.put(files);
    }
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
