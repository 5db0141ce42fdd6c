//! `errbook schema`: the JSON Schema of entries, providers and site.yaml, for editors.

use anyhow::{Context, Result};

use super::{Outcome, print_out};
use crate::cli::{GlobalArgs, SchemaArgs, SchemaKind};
use crate::load::json_schemas;

pub(crate) fn run(args: &SchemaArgs, global: &GlobalArgs) -> Result<Outcome> {
    let schemas = json_schemas();
    match &args.out {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            for named in &schemas {
                let path = dir.join(format!("{}.schema.json", named.kind));
                let text = serde_json::to_string_pretty(&named.schema)? + "\n";
                std::fs::write(&path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                if !global.quiet {
                    print_out(&format!("wrote {}\n", path.display()))?;
                }
            }
        }
        None => {
            let kind = match args.kind {
                SchemaKind::Entry => "entry",
                SchemaKind::Provider => "provider",
                SchemaKind::Site => "site",
            };
            let named = schemas
                .iter()
                .find(|s| s.kind == kind)
                .expect("every kind has a schema");
            print_out(&(serde_json::to_string_pretty(&named.schema)? + "\n"))?;
        }
    }
    Ok(Outcome::Success)
}
