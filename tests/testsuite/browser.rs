//! Tests that only a browser can answer, in headless Chromium (Debian's, driven by the
//! `headless_chrome` crate; nothing is downloaded), against a built site served over
//! HTTP by a small static server.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use headless_chrome::{Browser, LaunchOptions, Tab};

use crate::helper::{KbTest, eventually};

const CHROMIUM: &str = "/usr/bin/chromium";

/// Chromium, or `None` (with a message) when it is not installed outside CI.
pub fn chromium() -> Option<Browser> {
    if !Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium (apt-get install -y chromium)"
        );
        eprintln!("skipped: {CHROMIUM} is not installed (apt-get install -y chromium)");
        return None;
    }
    let options = LaunchOptions::default_builder()
        .path(Some(PathBuf::from(CHROMIUM)))
        .sandbox(false)
        .headless(true)
        .window_size(Some((1280, 900)))
        .args(
            [
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--lang=en-US",
            ]
            .iter()
            .map(std::ffi::OsStr::new)
            .collect(),
        )
        .idle_browser_timeout(Duration::from_secs(120))
        .build()
        .expect("launch options");
    Some(Browser::new(options).expect("chromium starts"))
}

/// Serves the files of a folder on a free loopback port until dropped.
pub struct StaticServer {
    pub port: u16,
    stop: Arc<AtomicBool>,
}

impl StaticServer {
    pub fn start(root: &Path) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let (root, flag) = (root.to_path_buf(), stop.clone());
        thread::spawn(move || {
            for stream in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let root = root.clone();
                    thread::spawn(move || respond(stream, &root));
                }
            }
        });
        StaticServer { port, stop }
    }

    pub fn url(&self, path: &str) -> String {
        format!(
            "http://127.0.0.1:{}/{}",
            self.port,
            path.trim_start_matches('/')
        )
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn respond(mut stream: TcpStream, root: &Path) {
    let mut request = String::new();
    if BufReader::new(&stream).read_line(&mut request).is_err() {
        return;
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let mut file = root.join(path.trim_start_matches('/'));
    if path.contains("..") {
        file = root.join("404.html");
    } else if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, body, file) = match std::fs::read(&file) {
        Ok(body) => ("200 OK", body, file),
        Err(_) => (
            "404 Not Found",
            std::fs::read(root.join("404.html")).unwrap_or_default(),
            root.join("404.html"),
        ),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&body));
}

pub fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    tab.evaluate(js, false)
        .expect("script runs")
        .value
        .unwrap_or(serde_json::Value::Null)
}

/// The minimal fixture, built and served, with a tab open at `path`.
struct OpenSite {
    _kb: KbTest,
    server: StaticServer,
    tab: std::sync::Arc<Tab>,
}

fn open_minimal_site(browser: &Browser, path: &str) -> OpenSite {
    let kb = KbTest::minimal();
    kb.build().success();
    let server = StaticServer::start(&kb.path("public"));
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&server.url(path))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    OpenSite {
        _kb: kb,
        server,
        tab,
    }
}

/// Clicks the language switcher's link to `lang` and waits for the URL to contain `expect`.
fn switch_language(tab: &Tab, lang: &str, expect: &str) {
    tab.wait_for_element(&format!("nav.languages a[hreflang={lang}]"))
        .unwrap()
        .click()
        .unwrap();
    eventually("the other language's page", || {
        tab.get_url().contains(expect)
    });
}

#[test]
fn switching_language_keeps_the_fragment_and_the_checklist_survives_a_reload() {
    let Some(browser) = chromium() else { return };
    let OpenSite { _kb, server, tab } =
        open_minimal_site(&browser, "fr/openai/quota/#step-add-card");

    switch_language(&tab, "en", "/en/");
    tab.wait_until_navigated().unwrap();
    assert_eq!(tab.get_url(), server.url("en/openai/quota/#step-add-card"));
    assert_eq!(eval(&tab, "document.documentElement.lang"), "en");
    assert_eq!(
        eval(
            &tab,
            "document.querySelector(':target') && document.querySelector(':target').id"
        ),
        "step-add-card"
    );

    tab.wait_for_element("input[data-check=card]")
        .unwrap()
        .click()
        .unwrap();
    assert_eq!(
        eval(
            &tab,
            "document.querySelector('input[data-check=card]').checked"
        ),
        true
    );
    tab.reload(false, None)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    tab.wait_for_element("input[data-check=card]").unwrap();
    eventually("the checklist state restored", || {
        eval(
            &tab,
            "document.querySelector('input[data-check=card]').checked",
        ) == true
    });
}

#[test]
fn the_language_switcher_keeps_a_search_query() {
    let Some(browser) = chromium() else { return };
    let OpenSite { _kb, server, tab } = open_minimal_site(&browser, "fr/search/?q=quota");
    switch_language(&tab, "en", "/en/search/");
    assert_eq!(tab.get_url(), server.url("en/search/?q=quota"));
}

#[test]
fn the_root_page_picks_the_saved_language() {
    let Some(browser) = chromium() else { return };
    let OpenSite { _kb, server, tab } = open_minimal_site(&browser, "fr/");
    eval(&tab, "localStorage.setItem('errbook-lang', 'en')");
    tab.navigate_to(&server.url("")).unwrap();
    eventually("the English home page", || {
        tab.get_url() == server.url("en/")
    });
}
