//! `errbook new PROVIDER/SLUG`: an entry skeleton in every language of the site.

use anyhow::{Result, bail};

use super::{Outcome, create_file, print_diagnostics, print_out};
use crate::cli::{GlobalArgs, NewArgs};
use crate::load::{is_slug, load_site_languages};
use crate::model::Date;
use crate::scaffold::{EntryFacts, entry_skeleton, provider_skeleton};

pub(crate) fn run(args: &NewArgs, global: &GlobalArgs) -> Result<Outcome> {
    let Some((provider, slug)) = args
        .id
        .split_once('/')
        .filter(|(p, s)| is_slug(p) && is_slug(s))
    else {
        bail!(
            "`{}` is not PROVIDER/SLUG\n  help: both parts are lowercase letters, digits and dashes, e.g. `openai/rate-limit`",
            args.id
        );
    };
    let languages = match load_site_languages(&global.root) {
        Ok(languages) => languages,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, global);
            return Ok(Outcome::ContentErrors);
        }
    };
    let path = format!("content/errors/{provider}/{slug}.yaml");
    if global.root.join(&path).exists() {
        bail!("{path} already exists; errbook new never overwrites an entry");
    }
    let provider_path = format!("content/providers/{provider}.yaml");
    if create_file(
        &global.root,
        &provider_path,
        provider_skeleton(provider, args.name.as_deref()).as_bytes(),
    )? && !global.quiet
    {
        print_out(&format!(
            "created {provider_path} (a new provider: fill in its name)\n"
        ))?;
    }
    let code = args.code.clone().unwrap_or_else(|| slug.replace('-', "_"));
    let facts = EntryFacts {
        provider,
        code: &code,
        http_status: args.status,
        message: args.message.as_deref(),
    };
    let text = entry_skeleton(&facts, &languages, &Date::today().to_string());
    create_file(&global.root, &path, text.as_bytes())?;
    if !global.quiet {
        print_out(&format!(
            "created {path}: `errbook check` lists what is left to fill in\n"
        ))?;
    }
    Ok(Outcome::Success)
}
