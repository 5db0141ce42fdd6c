//! `errbook init [DIR]`: a working knowledge base, never overwriting a file.

use anyhow::Result;

use super::{Outcome, create_file, print_out};
use crate::cli::{GlobalArgs, InitArgs};
use crate::load::json_schemas;
use crate::model::Date;
use crate::render::theme::embedded_theme_files;
use crate::scaffold::starter_knowledge_base;

pub(crate) fn run(args: &InitArgs, global: &GlobalArgs) -> Result<Outcome> {
    let dir = &args.dir;
    let mut files: Vec<(String, Vec<u8>)> =
        starter_knowledge_base(&args.languages, &Date::today().to_string())
            .into_iter()
            .map(|f| (f.path, f.text.into_bytes()))
            .collect();
    for named in json_schemas() {
        let text = serde_json::to_string_pretty(&named.schema)? + "\n";
        files.push((
            format!("schemas/{}.schema.json", named.kind),
            text.into_bytes(),
        ));
    }
    if args.theme {
        files.extend(embedded_theme_files());
    }
    let mut kept = 0;
    for (path, bytes) in &files {
        let created = create_file(dir, path, bytes)?;
        if !created {
            kept += 1;
        }
        if global.verbose || (!created && !global.quiet) {
            let done = if created { "created" } else { "kept existing" };
            print_out(&format!("{done} {path}\n"))?;
        }
    }
    if !global.quiet {
        print_out(&format!(
            "knowledge base ready in {} ({} files created, {kept} kept)\nnext: cd {} && errbook new example-ai/my-error && errbook build\n",
            dir.display(),
            files.len() - kept,
            dir.display()
        ))?;
    }
    Ok(Outcome::Success)
}
