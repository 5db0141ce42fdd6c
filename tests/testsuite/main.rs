//! errbook's integration tests: one binary, a fixture folder per case, and a small
//! fluent helper ([`KbTest`]) that runs the real `errbook` command on a temporary copy.

mod abuse;
mod authoring;
mod bench;
mod browser;
mod build;
mod cache;
mod captures;
mod clients;
mod diagnostics;
mod docs;
mod edits;
mod first_hour;
mod helper;
mod http;
mod i18n;
mod import;
mod links;
mod live_browser;
mod lookup;
mod mutation;
mod scale;
mod search_browser;
mod seed;
mod serve;
mod served;
mod site;
mod theme_browser;
mod unchanged;
