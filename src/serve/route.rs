//! From a request's target to a file of the site, with no I/O: what `serve` answers.
//!
//! The site lives in memory, so a path can only ever name one of its files; even so,
//! any path that tries to leave the site (`..`, `%2e%2e`, `//host/…`, backslashes, NUL)
//! is refused before the lookup, and answered like any unknown path.

/// What a request gets.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// A file of the site, by its path in the site (`fr/openai/quota/index.html`).
    File(String),
    /// A folder asked for without its final slash: relative links need it, so redirect
    /// to this location (with the query kept).
    Redirect(String),
    /// Nothing there: answer 404 with this page of the site, when it exists.
    NotFound(String),
}

/// Routes `target` (the request line's path and query, as sent) in a site that has
/// the files for which `exists` is true, in `languages`.
pub(crate) fn route(target: &str, exists: impl Fn(&str) -> bool, languages: &[String]) -> Route {
    let not_found = |path: Option<&str>| {
        let lang = path
            .and_then(|p| p.split('/').next())
            .filter(|first| languages.iter().any(|l| l == first));
        match lang {
            Some(lang) if exists(&format!("{lang}/404.html")) => {
                Route::NotFound(format!("{lang}/404.html"))
            }
            _ => Route::NotFound("404.html".to_string()),
        }
    };
    let (raw_path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    let Some(path) = site_path(raw_path) else {
        return not_found(None);
    };
    if path.is_empty() || path.ends_with('/') {
        let index = format!("{path}index.html");
        return if exists(&index) {
            Route::File(index)
        } else {
            not_found(Some(&path))
        };
    }
    if exists(&path) {
        return Route::File(path);
    }
    // The redirect repeats the path as sent; browsers send it percent-encoded (ASCII).
    if exists(&format!("{path}/index.html")) && raw_path.is_ascii() {
        let query = query.map(|q| format!("?{q}")).unwrap_or_default();
        return Route::Redirect(format!("{raw_path}/{query}"));
    }
    not_found(Some(&path))
}

/// The site path of a request path (`/fr/x/` → `fr/x/`), decoded, or `None` when it is
/// malformed or tries to leave the site.
pub fn site_path(raw: &str) -> Option<String> {
    let raw = raw.split('#').next().unwrap_or_default();
    let rest = raw.strip_prefix('/')?;
    let decoded = String::from_utf8(percent_decode(rest)?).ok()?;
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    let safe = segments.iter().enumerate().all(|(i, segment)| {
        // Only the last segment may be empty: `fr/x/` names a folder, `fr//x` nothing.
        (!segment.is_empty() || i == last)
            && *segment != "."
            && *segment != ".."
            && !segment.contains(['\\', '\0', ':'])
    });
    safe.then_some(decoded)
}

/// `%XX` sequences decoded; `None` when one is malformed.
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The `Content-Type` of a site file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, ext)| ext);
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "md" => "text/markdown; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &[&str] = &[
        "index.html",
        "404.html",
        "fr/index.html",
        "fr/404.html",
        "fr/openai/index.html",
        "fr/openai/quota/index.html",
        "fr/openai/quota/index.md",
        "en/index.html",
        "static/style.css",
        "static/a b.css",
    ];

    fn route_in_site(target: &str) -> Route {
        let languages = ["fr".to_string(), "en".to_string()];
        route(target, |path| SITE.contains(&path), &languages)
    }

    fn file(path: &str) -> Route {
        Route::File(path.to_string())
    }

    fn not_found(page: &str) -> Route {
        Route::NotFound(page.to_string())
    }

    #[test]
    fn paths_resolve_to_files_folders_to_their_index() {
        let cases = [
            ("/", file("index.html")),
            ("/fr/", file("fr/index.html")),
            ("/fr/openai/quota/", file("fr/openai/quota/index.html")),
            ("/fr/openai/quota/?q=1", file("fr/openai/quota/index.html")),
            (
                "/fr/openai/quota/#step-x",
                file("fr/openai/quota/index.html"),
            ),
            (
                "/fr/openai/quota/index.md",
                file("fr/openai/quota/index.md"),
            ),
            ("/static/style.css", file("static/style.css")),
            ("/static/a%20b.css", file("static/a b.css")),
            ("/%66r/", file("fr/index.html")),
            ("/fr", Route::Redirect("/fr/".into())),
            ("/fr/openai", Route::Redirect("/fr/openai/".into())),
            ("/fr/openai?q=a", Route::Redirect("/fr/openai/?q=a".into())),
        ];
        for (target, expected) in cases {
            assert_eq!(route_in_site(target), expected, "{target}");
        }
    }

    #[test]
    fn unknown_paths_get_the_404_page_of_their_language() {
        let cases = [
            ("/fr/nope/", not_found("fr/404.html")),
            ("/fr/openai/nope", not_found("fr/404.html")),
            ("/en/nope/", not_found("404.html")), // the fixture has no en/404.html
            ("/nope", not_found("404.html")),
            ("/static/missing.css", not_found("404.html")),
            ("/fr/openai/quota/index.md/", not_found("fr/404.html")),
            ("/fr/opénai", not_found("fr/404.html")),
        ];
        for (target, expected) in cases {
            assert_eq!(route_in_site(target), expected, "{target}");
        }
    }

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        let cases = [
            "/../../etc/passwd",
            "/fr/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/Cargo.toml",
            "/fr/%2e%2e/index.html",
            "/static/..%2f..%2fCargo.toml",
            "/static/..%5c..%5cCargo.toml",
            "/./index.html",
            "//etc/passwd",
            "/fr//index.html",
            "/C:/Windows/win.ini",
            "/fr/%00/index.html",
            "/%zz",
            "/%ff",
            "etc/passwd",
            "http://example.org/fr/",
            "*",
            "",
        ];
        for target in cases {
            assert_eq!(route_in_site(target), not_found("404.html"), "{target}");
        }
    }

    #[test]
    fn content_types_follow_the_extension() {
        let cases = [
            ("index.html", "text/html; charset=utf-8"),
            ("static/style.css", "text/css; charset=utf-8"),
            ("static/errbook.js", "text/javascript; charset=utf-8"),
            ("search-index.fr.json", "application/json"),
            ("fr/x/index.md", "text/markdown; charset=utf-8"),
            ("sitemap.xml", "application/xml"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("static/logo.SVG", "image/svg+xml"),
            ("static/font.woff2", "font/woff2"),
            ("static/blob", "application/octet-stream"),
        ];
        for (path, expected) in cases {
            assert_eq!(content_type(path), expected, "{path}");
        }
    }
}
