//! errbook's integration tests: one binary, a fixture folder per case, and a small
//! fluent helper ([`KbTest`]) that runs the real `errbook` command on a temporary copy.

mod bench;
mod browser;
mod build;
mod diagnostics;
mod helper;
mod http;
mod links;
mod lookup;
mod seed;
