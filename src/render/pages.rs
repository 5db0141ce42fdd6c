//! Part of stage 3, render: the pages of the site, each rendered from its Tera template
//! with a typed view: an entry's pages in every language, and the pages shared by
//! several entries (home, provider, 404, search and lookup pages, the language chooser).
//! `Renderer` is set up in `mod.rs`; `units.rs` states that an entry's pages depend on
//! that entry alone.

use serde::Serialize;

use std::cell::RefCell;

use super::entry::build_entry_view;
use super::site::{PageKind, SiteLinks, versions};
use super::views::*;
use super::{OutputFile, Renderer};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::LangIndex;

/// A page that is not an entry's nor a redirect, by what it depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum SharedPage {
    /// The root page that picks a language: no entry.
    Chooser,
    /// A language's home: every entry.
    Home(LangIndex),
    /// A provider's page in one language: that provider's entries.
    Provider(String, LangIndex),
    /// A language's 404, search and lookup pages: no entry.
    Fixed(LangIndex),
}

/// What a page says about itself in its `<head>`.
pub(super) struct PageInfo<'a> {
    pub(super) kind: PageKind<'a>,
    pub(super) lang: LangIndex,
    pub(super) title: String,
    pub(super) description: String,
}

impl Renderer<'_> {
    /// An entry's pages in every language. They depend on the entry, the site, the
    /// providers and the theme, and never on another entry (`units.rs`).
    pub(super) fn render_entry_pages(
        &self,
        entry: &crate::model::Entry,
    ) -> Result<Vec<OutputFile>, Diagnostics> {
        let mut files = Vec::new();
        for (lang, _) in self.kb.site.languages.iter() {
            files.extend(self.render_entry(entry, lang).map_err(Diagnostics::from)?);
        }
        Ok(files)
    }

    /// Every shared page of the site; a provider without entries has no page.
    pub(super) fn shared_pages(&self) -> Vec<SharedPage> {
        let mut pages = vec![SharedPage::Chooser];
        for (lang, _) in self.kb.site.languages.iter() {
            pages.extend([SharedPage::Home(lang), SharedPage::Fixed(lang)]);
            pages.extend(
                self.kb
                    .providers
                    .iter()
                    .filter(|p| !self.kb.entries_of(&p.id).is_empty())
                    .map(|p| SharedPage::Provider(p.id.clone(), lang)),
            );
        }
        pages
    }

    pub(super) fn render_shared(&self, page: &SharedPage) -> Result<Vec<OutputFile>, Diagnostic> {
        match page {
            SharedPage::Chooser => self.render_chooser(),
            SharedPage::Home(lang) => self.render_home(*lang),
            SharedPage::Provider(id, lang) => {
                let provider = self.kb.provider(id).expect("pages of existing providers");
                self.render_provider_page(provider, *lang)
            }
            SharedPage::Fixed(lang) => {
                let mut files = self.render_not_found(*lang)?;
                files.append(&mut self.render_search_pages(*lang)?);
                Ok(files)
            }
        }
    }

    pub(super) fn lang_context(&self, lang: LangIndex) -> LangContext<'_> {
        LangContext {
            index: lang,
            languages: &self.kb.site.languages,
            strings: &self.typeset[lang],
            export_strings: &self.theme.strings[lang],
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
        let folder = kind.path(cx.code());
        let info = PageInfo {
            kind,
            lang,
            title: view.title.text.clone(),
            description: view.summary.text.clone(),
        };
        // One context for the page and its Markdown export.
        let mut context = self.page_context("entry.html", &info, EntryBody { entry: &view })?;
        let html = self.render_template("entry.html", &context)?;
        // The export keeps the UI strings as written (see `typography.rs`).
        context.insert_value("t", self.ui_export[lang].clone());
        let markdown = self.render_template("entry.md", &context)?;
        Ok(vec![
            OutputFile::new([&folder, "index.html"].concat(), html),
            OutputFile::new([&folder, "index.md"].concat(), markdown),
        ])
    }

    /// The page that lists the errors of `provider` in one language.
    fn render_provider_page(
        &self,
        provider: &crate::model::Provider,
        lang: LangIndex,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let cx = self.lang_context(lang);
        let code = cx.code();
        let kind = PageKind::Provider(&provider.id);
        let listing = self.provider_listing(
            provider,
            &cx,
            &SiteLinks::new(&self.kb.site.base_url, &kind, code),
        );
        let title = cx.ui("errors_of").replace("{provider}", &provider.name);
        let info = PageInfo {
            kind,
            lang,
            description: title.clone(),
            title,
        };
        let html = self.render_page("provider.html", &info, ProviderBody { provider: &listing })?;
        Ok(vec![OutputFile::new(kind.file(code), html)])
    }

    /// The home page of one language: common errors first, then every provider's.
    fn render_home(&self, lang: LangIndex) -> Result<Vec<OutputFile>, Diagnostic> {
        let cx = self.lang_context(lang);
        let code = cx.code();
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
            title: self.kb.site.title.get(lang).to_string(),
            description: description.clone().unwrap_or_default(),
        };
        let common = self
            .kb
            .entries
            .iter()
            .filter(|e| e.common)
            .map(|e| self.entry_summary(e, &cx, &links))
            .collect();
        let home = HomeBody {
            home: HomeView {
                description,
                common,
                providers,
            },
        };
        let html = self.render_page("home.html", &info, home)?;
        Ok(vec![OutputFile::new(kind.file(code), html)])
    }

    /// The 404 page of one language; the default language's also serves the site root.
    fn render_not_found(&self, lang: LangIndex) -> Result<Vec<OutputFile>, Diagnostic> {
        let cx = self.lang_context(lang);
        let info = PageInfo {
            kind: PageKind::NotFound,
            lang,
            title: cx.ui("not_found_title"),
            description: String::new(),
        };
        let not_found = self.render_page("404.html", &info, NoBody {})?;
        let mut files = Vec::new();
        if lang == 0 {
            files.push(OutputFile::new("404.html".into(), not_found.clone()));
        }
        files.push(OutputFile::new(
            PageKind::NotFound.file(cx.code()),
            not_found,
        ));
        Ok(files)
    }

    fn provider_listing(
        &self,
        provider: &crate::model::Provider,
        cx: &LangContext<'_>,
        links: &SiteLinks,
    ) -> ProviderListing {
        let code = cx.code();
        let mut entries: Vec<&crate::model::Entry> = self
            .kb
            .entries_of(&provider.id)
            .iter()
            .map(AsRef::as_ref)
            .collect();
        entries.sort_by_key(|e| !e.common);
        let entries = entries
            .into_iter()
            .map(|e| self.entry_summary(e, cx, links))
            .collect();
        ProviderListing {
            id: provider.id.clone(),
            name: provider.name.clone(),
            url: links.to(&SiteLinks::provider_path(code, &provider.id)),
            support: SupportView::from(&provider.support),
            entries,
        }
    }

    fn entry_summary(
        &self,
        e: &crate::model::Entry,
        cx: &LangContext<'_>,
        links: &SiteLinks,
    ) -> EntrySummary {
        EntrySummary {
            slug: e.slug.clone(),
            provider: self
                .kb
                .provider(&e.provider)
                .map_or_else(|| e.provider.clone(), |p| p.name.clone()),
            url: links.to(&SiteLinks::entry_path(cx.code(), e)),
            title: e.title.get(cx.index).to_string(),
            label: quoted_or_whole(e.title.get(cx.index)).to_string(),
            summary: e.summary.get(cx.index).to_string(),
            code: e.code.clone(),
            http_status: e.http_status,
        }
    }

    fn render_chooser(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        let info = PageInfo {
            kind: PageKind::Chooser,
            lang: 0,
            title: self.kb.site.title.get(0).to_string(),
            description: String::new(),
        };
        let html = self.render_page("language-chooser.html", &info, NoBody {})?;
        Ok(vec![OutputFile::new("index.html".into(), html)])
    }

    /// Renders `template` with the common page data around `body`.
    pub(super) fn render_page<T: Serialize>(
        &self,
        template: &str,
        info: &PageInfo<'_>,
        body: T,
    ) -> Result<Vec<u8>, Diagnostic> {
        let context = self.page_context(template, info, body)?;
        self.render_template(template, &context)
    }

    /// The common page data around `body`, as the context of `template`.
    fn page_context<T: Serialize>(
        &self,
        template: &str,
        info: &PageInfo<'_>,
        body: T,
    ) -> Result<tera::Context, Diagnostic> {
        let site = &self.kb.site;
        let cx = self.lang_context(info.lang);
        let code = cx.code();
        let links = SiteLinks::new(&site.base_url, &info.kind, code);
        // The root page that picks a language offers each language's home.
        let switch_to = match info.kind {
            PageKind::Chooser => PageKind::Home,
            kind => kind,
        };
        let page = PageView {
            lang: code,
            site: SiteView {
                title: site.title.get(info.lang).to_string(),
                root: links.root().to_string(),
                home: links.to(&PageKind::Home.path(code)),
                search: SearchLinks {
                    index: links.to(&self.search_urls[info.lang]),
                    page: links.to(&PageKind::Search.path(code)),
                    lookup: links.to(&PageKind::Lookup.path(code)),
                },
                languages: versions(&switch_to, &site.languages)
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
                picker: links.to(&self.picker),
            },
            page: PageMeta {
                title: info.title.clone(),
                description: info.description.clone(),
                canonical: links.absolute(&info.kind.path(code)),
                alternates: versions(&switch_to, &site.languages)
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
                og_type: if matches!(info.kind, PageKind::Entry(_)) {
                    "article"
                } else {
                    "website"
                },
                locale: code.replace('-', "_"),
            },
            body,
        };
        let mut context =
            tera::Context::from_serialize(&page).map_err(|e| self.template_error(template, &e))?;
        context.insert_value("t", self.ui[info.lang].clone());
        Ok(context)
    }

    /// Renders `template` to bytes (the templates are UTF-8, and so is every value).
    fn render_template(
        &self,
        template: &str,
        context: &tera::Context,
    ) -> Result<Vec<u8>, Diagnostic> {
        // Rendered into a buffer as large as the largest page of `template` that the
        // thread has rendered: a fresh buffer would grow (and be copied) a dozen times.
        // The page keeps the buffer, shrunk to its size (in place, as pages of one
        // template are of a size).
        thread_local! {
            static LARGEST: RefCell<Vec<(String, usize)>> = const { RefCell::new(Vec::new()) };
        }
        let largest = LARGEST.with_borrow(|sizes| {
            sizes
                .iter()
                .find(|(name, _)| name == template)
                .map_or(0, |&(_, size)| size)
        });
        let mut page = Vec::with_capacity(largest);
        self.theme
            .tera
            .render_to(template, context, &mut page)
            .map_err(|e| self.template_error(template, &e))?;
        if page.len() > largest {
            LARGEST.with_borrow_mut(|sizes| {
                sizes.retain(|(name, _)| name != template);
                sizes.push((template.to_string(), page.len()));
            });
        }
        page.shrink_to_fit();
        Ok(page)
    }

    fn template_error(&self, template: &str, error: &tera::Error) -> Diagnostic {
        self.theme
            .template_error(template, error)
            .with_hint("fix the template, or delete it from templates/ to use the default theme's")
    }
}
