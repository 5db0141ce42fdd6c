//! `errbook build`: run the pipeline and write the site atomically.

use std::time::Instant;

use anyhow::Result;

use super::{Outcome, print_diagnostics};
use crate::cli::{BuildArgs, GlobalArgs};
use crate::pipeline::{BuildSettings, build_site};
use crate::write::write_site;

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
    write_site(&site.files, &out, args.force)?;
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
