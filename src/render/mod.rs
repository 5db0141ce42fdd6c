//! Stage 3 of the pipeline: turn the model into the files of the site.
//!
//! `render_site` is pure: it takes the validated knowledge base and a compiled theme
//! and returns every output file in memory (HTML and Markdown per entry and language,
//! home, provider, search, lookup and 404 pages, the language chooser, redirects for short
//! links and aliases, the search and lookup indexes, `errors.json`, static assets). Pages
//! render in parallel; nothing here touches the disk.

mod catalogue;
mod entry;
mod links;
mod markdown;
pub mod search;
mod shards;
mod site;
pub mod theme;
mod views;

use rayon::prelude::*;
use serde::Serialize;

pub use markdown::{markdown_to_text, render_markdown};
pub use theme::Theme;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{KnowledgeBase, LangIndex};
use entry::build_entry_view;
use site::{PageKind, SiteLinks, versions};
use views::*;

/// One file of the site, by its path relative to the output folder (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    fn text(path: String, text: String) -> Self {
        OutputFile {
            path,
            bytes: text.into_bytes(),
        }
    }
}

/// Renders every page of the site.
pub fn render_site(kb: &KnowledgeBase, theme: &Theme) -> Result<Vec<OutputFile>, Diagnostics> {
    let search = search::render_search(kb, &theme.strings);
    let renderer = &Renderer {
        kb,
        theme,
        search_urls: &search.index_urls,
    };
    let languages: Vec<LangIndex> = kb.site.languages.iter().map(|(i, _)| i).collect();
    let per_entry: Vec<Result<Vec<OutputFile>, Diagnostic>> = kb
        .entries
        .par_iter()
        .flat_map_iter(|entry| {
            languages
                .iter()
                .map(move |&lang| renderer.render_entry(entry, lang))
        })
        .collect();
    let per_language: Vec<Result<Vec<OutputFile>, Diagnostic>> = languages
        .par_iter()
        .map(|&lang| {
            let mut files = renderer.render_listings(lang)?;
            files.append(&mut renderer.render_search_pages(lang)?);
            Ok(files)
        })
        .collect();

    let mut files = Vec::new();
    let mut problems = Diagnostics::default();
    for result in per_entry
        .into_iter()
        .chain(per_language)
        .chain([renderer.render_chooser(), renderer.render_redirects()])
    {
        match result {
            Ok(mut rendered) => files.append(&mut rendered),
            Err(problem) if !problems.iter().any(|p| p == &problem) => problems.push(problem),
            Err(_) => {}
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    files.push(catalogue::render_catalogue(kb));
    files.extend(search.files);
    files.extend(theme.assets.iter().map(|(name, bytes)| OutputFile {
        path: format!("static/{name}"),
        bytes: bytes.clone(),
    }));
    Ok(files)
}

struct Renderer<'a> {
    kb: &'a KnowledgeBase,
    theme: &'a Theme,
    /// The search index of each language, from the site root, with its version.
    search_urls: &'a [String],
}

/// What a page says about itself in its `<head>`.
struct PageInfo<'a> {
    kind: PageKind<'a>,
    lang: LangIndex,
    title: String,
    description: String,
}

impl Renderer<'_> {
    fn lang_context(&self, lang: LangIndex) -> LangContext<'_> {
        LangContext {
            index: lang,
            languages: &self.kb.site.languages,
            strings: &self.theme.strings[lang],
        }
    }

    fn render_entry(
        &self,
        entry: &crate::model::Entry,
        lang: LangIndex,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let cx = self.lang_context(lang);
        let kind = PageKind::Entry(entry);
        let links = SiteLinks::new(&self.kb.site.base_url, &kind, cx.code());
        let view = build_entry_view(self.kb, entry, &cx, &links);
        let info = PageInfo {
            kind,
            lang,
            title: view.title.text.clone(),
            description: view.summary.text.clone(),
        };
        let html = self.render_page("entry.html", &info, EntryBody { entry: &view })?;
        let markdown = self.render_page("entry.md", &info, EntryBody { entry: &view })?;
        let folder = kind.path(cx.code());
        Ok(vec![
            OutputFile::text(format!("{folder}index.html"), html),
            OutputFile::text(format!("{folder}index.md"), markdown),
        ])
    }

    /// The home page, provider pages and 404 page of one language.
    fn render_listings(&self, lang: LangIndex) -> Result<Vec<OutputFile>, Diagnostic> {
        let cx = self.lang_context(lang);
        let code = cx.code();
        let site_title = self.kb.site.title.get(lang).to_string();
        let mut files = Vec::new();
        for provider in &self.kb.providers {
            let kind = PageKind::Provider(&provider.id);
            let listing = self.provider_listing(
                provider,
                &cx,
                &SiteLinks::new(&self.kb.site.base_url, &kind, code),
            );
            if listing.entries.is_empty() {
                continue;
            }
            let title = cx.ui("errors_of").replace("{provider}", &provider.name);
            let info = PageInfo {
                kind,
                lang,
                description: title.clone(),
                title,
            };
            files.push(OutputFile::text(
                kind.file(code),
                self.render_page("provider.html", &info, ProviderBody { provider: &listing })?,
            ));
        }
        let kind = PageKind::Home;
        let links = SiteLinks::new(&self.kb.site.base_url, &kind, code);
        let providers = self
            .kb
            .providers
            .iter()
            .map(|p| self.provider_listing(p, &cx, &links))
            .filter(|p| !p.entries.is_empty())
            .collect();
        let description = self
            .kb
            .site
            .description
            .as_ref()
            .map(|d| d.get(lang).to_string());
        let info = PageInfo {
            kind,
            lang,
            title: site_title.clone(),
            description: description.clone().unwrap_or_default(),
        };
        let home = HomeBody {
            home: HomeView {
                description,
                providers,
            },
        };
        files.push(OutputFile::text(
            kind.file(code),
            self.render_page("home.html", &info, home)?,
        ));

        let info = PageInfo {
            kind: PageKind::NotFound,
            lang,
            title: cx.ui("not_found_title"),
            description: String::new(),
        };
        let not_found = self.render_page("404.html", &info, NoBody {})?;
        if lang == 0 {
            files.push(OutputFile::text("404.html".into(), not_found.clone()));
        }
        files.push(OutputFile::text(PageKind::NotFound.file(code), not_found));
        Ok(files)
    }

    fn provider_listing(
        &self,
        provider: &crate::model::Provider,
        cx: &LangContext<'_>,
        links: &SiteLinks,
    ) -> ProviderListing {
        let code = cx.code();
        let entries = self
            .kb
            .entries
            .iter()
            .filter(|e| e.provider == provider.id)
            .map(|e| EntrySummary {
                slug: e.slug.clone(),
                url: links.to(&SiteLinks::entry_path(code, e)),
                title: e.title.get(cx.index).to_string(),
                summary: e.summary.get(cx.index).to_string(),
                code: e.code.clone(),
                http_status: e.http_status,
            })
            .collect();
        ProviderListing {
            id: provider.id.clone(),
            name: provider.name.clone(),
            url: links.to(&SiteLinks::provider_path(code, &provider.id)),
            support: SupportView::from(&provider.support),
            entries,
        }
    }

    fn render_chooser(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        let codes = self.kb.site.languages.codes();
        let info = PageInfo {
            kind: PageKind::Chooser,
            lang: 0,
            title: self.kb.site.title.get(0).to_string(),
            description: String::new(),
        };
        let chooser = ChooserBody {
            chooser: ChooserView {
                codes_json: serde_json::to_string(codes).expect("strings serialize"),
            },
        };
        let html = self.render_page("language-chooser.html", &info, chooser)?;
        Ok(vec![OutputFile::text("index.html".into(), html)])
    }

    /// Renders `template` with the common page data around `body`.
    fn render_page<T: Serialize>(
        &self,
        template: &str,
        info: &PageInfo<'_>,
        body: T,
    ) -> Result<String, Diagnostic> {
        let site = &self.kb.site;
        let cx = self.lang_context(info.lang);
        let code = cx.code();
        let links = SiteLinks::new(&site.base_url, &info.kind, code);
        let page = PageView {
            lang: code,
            t: cx.strings,
            site: SiteView {
                title: site.title.get(info.lang).to_string(),
                root: links.root().to_string(),
                home: links.to(&PageKind::Home.path(code)),
                search: SearchLinks {
                    index: links.to(&self.search_urls[info.lang]),
                    page: links.to(&PageKind::Search.path(code)),
                    lookup: links.to(&PageKind::Lookup.path(code)),
                },
                languages: versions(&info.kind, &site.languages)
                    .map(|(other, path)| LanguageLink {
                        code: other.to_string(),
                        name: self.theme.strings[site.languages.index_of(other).unwrap_or(0)]
                            .get("language_name")
                            .cloned()
                            .unwrap_or_else(|| other.to_string()),
                        url: links.to(&path),
                        current: other == code,
                    })
                    .collect(),
            },
            page: PageMeta {
                title: info.title.clone(),
                description: info.description.clone(),
                canonical: links.absolute(&info.kind.path(code)),
                alternates: versions(&info.kind, &site.languages)
                    .map(|(other, path)| Alternate {
                        lang: other.to_string(),
                        href: links.absolute(&path),
                    })
                    .collect(),
                x_default: match info.kind {
                    PageKind::NotFound => None,
                    PageKind::Home | PageKind::Chooser => Some(links.absolute("")),
                    PageKind::Redirect(_) => None,
                    kind => Some(links.absolute(&kind.path(site.languages.default_code()))),
                },
            },
            body,
        };
        let context =
            tera::Context::from_serialize(&page).map_err(|e| self.template_error(template, &e))?;
        self.theme
            .tera
            .render(template, &context)
            .map_err(|e| self.template_error(template, &e))
    }

    fn template_error(&self, template: &str, error: &tera::Error) -> Diagnostic {
        theme::template_diagnostic(
            &std::path::Path::new(theme::TEMPLATES_DIR).join(template),
            error,
        )
        .with_hint("fix the template, or delete it from templates/ to use the default theme's")
    }
}
