//! `errbook serve`: the site from memory, rebuilt on every change, with live reload.

use anyhow::Result;

use std::io::IsTerminal;

use super::{Outcome, use_color};
use crate::cli::{GlobalArgs, ServeArgs};
use crate::serve::{ServeOptions, serve};

pub(crate) fn run(args: &ServeArgs, global: &GlobalArgs) -> Result<Outcome> {
    serve(&ServeOptions {
        root: global.root.clone(),
        bind: args.bind,
        port: args.port,
        open: args.open,
        poll: args.poll,
        quiet: global.quiet,
        color: use_color(global, std::io::stderr().is_terminal()),
        parse_cache: !global.no_cache,
        allowed_hosts: args.allow_host.clone(),
    })?;
    Ok(Outcome::Success)
}
