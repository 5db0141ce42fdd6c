//! Pages that lead elsewhere: the search and lookup pages of each language, short
//! links (`/e/<provider>/<code>/`, `/e/<code>/`) and aliases (`/<lang>/<provider>/<alias>/`).
//!
//! Short links and aliases are small redirect pages (`templates/redirect.html`). Their
//! targets are written into the page at build time as links, never read from the URL,
//! so they cannot become open redirects: the shared script (`static/pick-language.js`)
//! only picks one of them (a short link by the
//! reader's language: saved choice, then browser languages, then the default; an alias
//! keeps the language of its path), keeps a `#fragment` made of anchor characters only,
//! and leaves with `location.replace`, so that Back skips the redirect. Without
//! JavaScript, the page lists its targets as links.

use std::sync::Arc;

use serde::Serialize;

use super::catalogue::short_links;
use super::pages::PageInfo;
use super::site::{PageKind, SiteLinks};
use super::views::{LanguageLink, NoBody};
use super::{OutputFile, Renderer};
use crate::diagnostic::Diagnostic;
use crate::model::{Entry, LangIndex};

#[derive(Serialize)]
struct RedirectBody {
    redirect: RedirectView,
}

#[derive(Serialize)]
struct RedirectView {
    /// Where the page leads, default language first: the links a reader without
    /// JavaScript follows, and those the script picks from.
    targets: Vec<LanguageLink>,
    /// The absolute URL of the first target.
    canonical: String,
}

/// One redirect page to render: its folder, its entry, and its languages.
pub(super) struct Redirect {
    pub path: String,
    pub entry: Arc<Entry>,
    /// The languages it may lead to: all of them for a short link, one for an alias.
    pub languages: Vec<LangIndex>,
}

impl Renderer<'_> {
    /// The search page and the lookup page of one language.
    pub(super) fn render_search_pages(
        &self,
        lang: LangIndex,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let cx = self.lang_context(lang);
        let pages = [
            (
                PageKind::Search,
                "search.html",
                "search_title",
                "search_description",
            ),
            (
                PageKind::Lookup,
                "lookup.html",
                "lookup_title",
                "lookup_intro",
            ),
        ];
        pages
            .into_iter()
            .map(|(kind, template, title, description)| {
                let info = PageInfo {
                    kind,
                    lang,
                    title: cx.ui(title),
                    description: cx.ui(description),
                };
                let html = self.render_page(template, &info, NoBody {})?;
                Ok(OutputFile::new(kind.file(cx.code()), html))
            })
            .collect()
    }

    /// Every short link and alias of the site.
    pub(super) fn redirects(&self) -> Vec<Redirect> {
        let all: Vec<LangIndex> = self.kb.site.languages.iter().map(|(i, _)| i).collect();
        let mut redirects: Vec<Redirect> = short_links(self.kb)
            .into_iter()
            .map(|link| Redirect {
                path: link.path,
                entry: Arc::clone(link.entry),
                languages: all.clone(),
            })
            .collect();
        for entry in &self.kb.entries {
            for alias in &entry.aliases {
                for &lang in &all {
                    let code = &self.kb.site.languages.codes()[lang];
                    redirects.push(Redirect {
                        path: [code, "/", &entry.provider, "/", alias, "/"].concat(),
                        entry: Arc::clone(entry),
                        languages: vec![lang],
                    });
                }
            }
        }
        redirects
    }

    pub(super) fn render_redirect(&self, redirect: &Redirect) -> Result<OutputFile, Diagnostic> {
        let kind = PageKind::Redirect(&redirect.path);
        let lang = redirect.languages[0];
        let links = SiteLinks::new(&self.kb.site.base_url, &kind, "");
        let codes = self.kb.site.languages.codes();
        let targets: Vec<LanguageLink> = redirect
            .languages
            .iter()
            .map(|&l| LanguageLink {
                code: codes[l].clone(),
                name: self.lang_context(l).ui("language_name"),
                url: links.to(&SiteLinks::entry_path(&codes[l], &redirect.entry)),
                current: l == lang,
            })
            .collect();
        let view = RedirectView {
            canonical: links.absolute(&SiteLinks::entry_path(&codes[lang], &redirect.entry)),
            targets,
        };
        let info = PageInfo {
            kind,
            lang,
            title: redirect.entry.title.get(lang).to_string(),
            description: String::new(),
        };
        let html = self.render_page("redirect.html", &info, RedirectBody { redirect: view })?;
        Ok(OutputFile::new(
            [&redirect.path, "index.html"].concat(),
            html,
        ))
    }
}
