//! `errbook serve`: a real server on a free port, edited while it runs, with a real
//! WebSocket client standing in for the open pages.

use std::fs;
use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::time::Duration;

use crate::helper::KbTest;
use crate::helper::{PATIENCE, eventually};

const QUOTA: &str = "content/errors/openai/quota.yaml";
const QUOTA_PAGE: &str = "/fr/openai/quota/";

#[test]
fn serve_answers_from_memory_with_types_404_pages_and_the_reload_script() {
    let kb = KbTest::minimal();
    let served = kb.serve();
    let cases = [
        ("/", 200, "text/html; charset=utf-8"),
        (QUOTA_PAGE, 200, "text/html; charset=utf-8"),
        (
            "/fr/openai/quota/index.md",
            200,
            "text/markdown; charset=utf-8",
        ),
        ("/static/style.css", 200, "text/css; charset=utf-8"),
        ("/static/errbook.js", 200, "text/javascript; charset=utf-8"),
        ("/fr/openai/nope/", 404, "text/html; charset=utf-8"),
        ("/nope", 404, "text/html; charset=utf-8"),
    ];
    for (path, status, content_type) in cases {
        let reply = served.get(path);
        assert_eq!(reply.status, status, "{path}");
        assert_eq!(reply.header("Content-Type"), Some(content_type), "{path}");
        assert_eq!(reply.header("Cache-Control"), Some("no-store"), "{path}");
    }

    let page = served.get(QUOTA_PAGE).body;
    assert!(page.contains("Quota insuffisant"));
    let script = page
        .find("<script data-build=")
        .expect("live-reload script");
    assert!(page[script..].contains("/__errbook/livereload"));
    assert!(page[script..].trim_end().ends_with("</body>\n</html>"));

    let folder = served.get("/fr/openai");
    assert_eq!(folder.status, 302);
    assert_eq!(folder.header("Location"), Some("/fr/openai/"));

    let lost = served.get("/fr/openai/nope/");
    assert!(
        lost.body.contains("<html lang=\"fr\">"),
        "the French 404 page"
    );
    assert!(
        served.get("/nope").body.contains("<html lang=\"fr\">"),
        "the root 404 page"
    );
    assert!(served.get("/en/nope").body.contains("<html lang=\"en\">"));

    let post = served.request(&format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        served.address
    ));
    assert_eq!(post.status, 405);
    assert_eq!(served.get("/__errbook/livereload").status, 400);

    assert!(!kb.exists("public"), "serve never writes the output folder");
    kb.build().success();
    assert!(
        !kb.read("public/fr/openai/quota/index.html")
            .contains("__errbook"),
        "a built page has no live-reload script"
    );
}

#[test]
fn an_edited_entry_reloads_pages_and_re_renders_only_what_depends_on_it() {
    let kb = KbTest::minimal();
    let served = kb.serve();
    let mut page = served.live_reload();

    kb.edit(QUOTA, "Quota insuffisant", "Quota épuisé");
    page.expect("reload");
    assert!(served.get(QUOTA_PAGE).body.contains("Quota épuisé"));
    assert!(
        served.get("/fr/").body.contains("Quota épuisé"),
        "the home page lists it"
    );
    assert!(served.get("/fr/openai/").body.contains("Quota épuisé"));
    // The search index follows the pages, a moment later, without another reload.
    let chunk_with_edit = || {
        let manifest: serde_json::Value =
            serde_json::from_str(&served.get("/search-index.fr.json").body).ok()?;
        let chunk = manifest["chunks"][0].as_str()?.to_string();
        let body = served.get(&format!("/{chunk}")).body;
        body.contains("Quota épuisé").then_some(body)
    };
    assert!(
        eventually(Duration::from_secs(20), chunk_with_edit).is_some(),
        "the search index never showed the edit"
    );

    // 22 pages: the edited entry's 2 pages and 2 short links, and the home and OpenAI
    // pages of each language depend on the edit; the other 14 are reused.
    let line = served.wait_for_stdout("quota.yaml changed");
    assert!(
        line.starts_with(
            "content/errors/openai/quota.yaml changed: 8 pages re-rendered, 14 reused, in "
        ),
        "{line}"
    );
    assert!(line.ends_with(" ms, 0 warnings"), "{line}");
}

#[test]
fn words_added_to_a_text_while_serving_become_searchable() {
    let kb = KbTest::minimal();
    let served = kb.serve();
    let mut page = served.live_reload();
    let memos = || {
        let mut found: Vec<(String, u64)> = fs::read_dir(kb.path(".errbook-cache"))
            .unwrap()
            .flatten()
            .filter(|f| f.file_name().to_string_lossy().starts_with("memo-search-"))
            .map(|f| {
                (
                    f.file_name().to_string_lossy().into(),
                    f.metadata().unwrap().ino(),
                )
            })
            .collect();
        found.sort();
        found
    };
    let kept = memos();
    assert_eq!(
        kept.len(),
        2,
        "the start keeps a memo per language: {kept:?}"
    );
    // The terms of unchanged entries come from the parse cache's memo; those of an
    // edited text must not.
    kb.edit(
        QUOTA,
        "Le compte **n'a plus de crédit**.",
        "Le compte **n'a plus de jetons**.",
    );
    page.expect("reload");
    // Some(found) once the manifest and every shard it names came from one snapshot:
    // a background render may swap the data files between the two requests, and the
    // manifest fetched before it names shards that the next snapshot no longer has.
    let indexed = |term: &str| -> Option<bool> {
        let manifest = served.get("/search-index.fr.json").body;
        let manifest: serde_json::Value = serde_json::from_str(&manifest).ok()?;
        let mut found = false;
        for shard in manifest["shards"].as_array()? {
            let body = served.get(&format!("/{}", shard[1].as_str()?)).body;
            let terms: serde_json::Value = serde_json::from_str(&body).ok()?;
            found |= terms.get(term).is_some();
        }
        Some(found)
    };
    assert!(
        eventually(Duration::from_secs(20), || indexed("jetons")
            .filter(|found| *found))
        .is_some(),
        "the search index never had the new word"
    );
    assert_eq!(
        eventually(Duration::from_secs(20), || indexed("quota")),
        Some(true),
        "the other terms are still there"
    );
    // Not rewritten whole for one changed entry at every save.
    assert_eq!(memos(), kept);
}

/// A folder for `PATH` whose `xdg-open` writes the address it is given to `opened`.
#[cfg(all(unix, not(target_os = "macos")))]
fn fake_xdg_open(dir: &std::path::Path, opened: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("xdg-open");
    let text = format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display());
    fs::write(&script, text).unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
#[cfg(all(unix, not(target_os = "macos")))]
fn open_hands_the_served_address_to_the_desktop_browser() {
    let kb = KbTest::minimal();
    let bin = tempfile::tempdir().unwrap();
    let opened = bin.path().join("opened");
    fake_xdg_open(bin.path(), &opened);
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap()
    );
    let served = kb.serve_with_env(&["--port", "0", "--open"], &[("PATH", &path)]);
    let address = eventually(PATIENCE, || {
        fs::read_to_string(&opened)
            .ok()
            .filter(|text| text.ends_with('\n'))
    });
    assert_eq!(
        address.as_deref(),
        Some(format!("http://{}/\n", served.address).as_str())
    );
}

#[test]
fn without_a_browser_to_open_serve_says_where_to_go_and_keeps_serving() {
    let kb = KbTest::minimal();
    let empty = tempfile::tempdir().unwrap();
    let path = empty.path().display().to_string();
    let served = kb.serve_with_env(&["--port", "0", "--open"], &[("PATH", &path)]);
    let line = served.wait_for_stderr("cannot open a browser");
    assert!(
        line.ends_with(&format!("; open http://{}/", served.address)),
        "{line}"
    );
    assert_eq!(served.get(QUOTA_PAGE).status, 200);
}

#[test]
fn broken_yaml_keeps_the_last_good_site_and_shows_its_problems_until_fixed() {
    let kb = KbTest::minimal();
    let served = kb.serve();
    let mut page = served.live_reload();
    let good = kb.read(QUOTA);

    kb.edit(
        QUOTA,
        "title:\n  fr: Quota insuffisant",
        "title: {fr: Quota insuffisant",
    );
    let problems = page.expect("problems");
    let problem = &problems["diagnostics"][0];
    assert_eq!(problem["file"], QUOTA);
    assert_eq!(problem["position"]["line"], 7);
    assert_eq!(problem["position"]["column"], 8);
    assert_eq!(problem["severity"], "error");
    assert!(
        problem["position"]["source_line"]
            .as_str()
            .unwrap()
            .contains("title: {fr: Quota insuffisant")
    );

    served.wait_for_stderr("content/errors/openai/quota.yaml:7:8");
    served.wait_for_stderr(
        "build failed with 1 error and 0 warnings; still serving the last good site",
    );
    let reply = served.get(QUOTA_PAGE);
    assert_eq!(reply.status, 200);
    assert!(
        reply.body.contains("Quota insuffisant"),
        "the last good page"
    );

    let mut late = served.live_reload();
    assert_eq!(
        late.expect("problems"),
        problems,
        "a page opened now sees them too"
    );

    // Undone: the site is as before, so the pages only hide their problems.
    kb.write(QUOTA, &good);
    page.expect("fixed");
    late.expect("fixed");

    kb.edit(QUOTA, "summary:", "sumary:");
    page.expect("problems");
    kb.write(QUOTA, &good.replace("Quota insuffisant", "Quota réparé"));
    page.expect("reload");
    assert!(served.get(QUOTA_PAGE).body.contains("Quota réparé"));
}

#[test]
fn content_broken_at_start_up_is_served_as_its_problems_until_fixed() {
    let kb = KbTest::minimal();
    let good = kb.read(QUOTA);
    kb.edit(QUOTA, "http_status: 429", "http_status: beaucoup");
    let served = kb.serve();
    served.wait_for_stderr("nothing to serve until it is fixed");

    let reply = served.get(QUOTA_PAGE);
    assert_eq!(reply.status, 503);
    assert!(
        reply.body.contains("content/errors/openai/quota.yaml:3:14"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("<script data-build="));
    let mut page = served.live_reload();
    assert_eq!(page.expect("problems")["diagnostics"][0]["file"], QUOTA);

    kb.write(QUOTA, &good);
    page.expect("reload");
    served.wait_for_page(QUOTA_PAGE, "Quota insuffisant");
    assert_eq!(served.get(QUOTA_PAGE).status, 200);
}

#[test]
fn rename_saves_are_seen_and_editor_temporary_files_ignored() {
    let kb = KbTest::minimal();
    let served = kb.serve();
    let mut page = served.live_reload();
    let text = kb.read(QUOTA);

    for temporary in [
        "content/errors/openai/.quota.yaml.swp",
        "content/errors/openai/4913",
        "content/errors/openai/quota.yaml~",
        "content/errors/openai/.#quota.yaml",
    ] {
        kb.write(temporary, "not: [yaml");
    }
    // VS Code and others: write a temporary file, rename it over the entry.
    kb.rename_save(QUOTA, &text.replace("Quota insuffisant", "Quota renommé"));
    page.expect("reload");
    assert!(served.get(QUOTA_PAGE).body.contains("Quota renommé"));

    // vim: move the file to a backup, write a new one, delete the backup.
    let backup = format!("{QUOTA}~");
    fs::rename(kb.path(QUOTA), kb.path(&backup)).unwrap();
    kb.write(QUOTA, &text.replace("Quota insuffisant", "Quota vimé"));
    fs::remove_file(kb.path(&backup)).unwrap();
    served.wait_for_page(QUOTA_PAGE, "Quota vimé");

    let output = served.stdout() + &served.stderr();
    let changes: Vec<&str> = output.lines().filter(|l| l.contains(" changed")).collect();
    assert!(!changes.is_empty());
    for temporary in [".swp", "4913", "~", ".#", ".tmp"] {
        assert!(
            changes.iter().all(|line| !line.contains(temporary)),
            "{temporary} was read:\n{output}"
        );
    }
}

#[test]
fn new_folders_and_deleted_files_are_followed() {
    let kb = KbTest::minimal();
    let served = kb.serve();
    kb.write(
        "content/providers/mistral.yaml",
        "name: Mistral\nhomepage: https://mistral.ai/\n",
    );
    kb.write(
        "content/errors/mistral/model-overloaded.yaml",
        "code: model_overloaded\nprovider: mistral\nupdated: 2026-02-01\n\
         title: {fr: Modèle surchargé, en: Model overloaded}\n\
         summary: {fr: Réessayez., en: Try again.}\n",
    );
    served.wait_for_page("/en/mistral/model-overloaded/", "Model overloaded");
    served.wait_for_page("/en/", "Model overloaded");

    fs::remove_file(kb.path("content/errors/groq/rate-limit.yaml")).unwrap();
    let gone = eventually(PATIENCE, || {
        Some(served.get("/en/groq/rate-limit/")).filter(|r| r.status == 404)
    });
    assert!(gone.is_some(), "the deleted entry is still served");

    fs::remove_dir_all(kb.path("content/errors/mistral")).unwrap();
    fs::create_dir_all(kb.path("content/errors/mistral/")).unwrap();
    kb.write(
        "content/errors/mistral/again.yaml",
        "code: again\nprovider: mistral\nupdated: 2026-02-01\ntitle: Again\nsummary: Again.\n",
    );
    served.wait_for_page("/fr/mistral/again/", "Again");
}

#[test]
#[cfg(unix)] // symlinks
fn paths_that_leave_the_site_are_refused_and_leak_nothing() {
    let kb = KbTest::minimal();
    kb.write("secret.txt", "TOP-SECRET");
    fs::create_dir_all(kb.path("static")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", kb.path("static/passwd")).unwrap();
    std::os::unix::fs::symlink(kb.path("secret.txt"), kb.path("static/secret.txt")).unwrap();
    let served = kb.serve();
    let targets = [
        "/../../etc/passwd",
        "/../secret.txt",
        "/fr/../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/secret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/static/..%5c..%5csecret.txt",
        "//etc/passwd",
        "/static/passwd",
        "/static/secret.txt",
        "/secret.txt",
        "/content/site.yaml",
        "/fr/%00/index.html",
    ];
    for target in targets {
        let reply = served.get(target);
        assert_eq!(reply.status, 404, "{target}");
        for leak in ["TOP-SECRET", "root:", "base_url"] {
            assert!(!reply.body.contains(leak), "{target} leaks {leak}");
        }
    }
    let absolute = served.request(&format!(
        "GET http://{0}/../secret.txt HTTP/1.1\r\nHost: {0}\r\nConnection: close\r\n\r\n",
        served.address
    ));
    assert!(!absolute.body.contains("TOP-SECRET"));
}

#[test]
fn a_busy_port_moves_to_the_next_free_one_and_says_so() {
    let kb = KbTest::minimal();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let served = kb.serve_with(&["--port", &port.to_string()]);
    served.wait_for_stderr(&format!("port {port} is busy: serving on port "));
    assert_ne!(served.address.port(), port);
    assert_eq!(served.get("/").status, 200);
}

#[test]
#[cfg(unix)] // signals
fn ctrl_c_stops_cleanly_and_leaves_public_untouched() {
    let kb = KbTest::minimal();
    kb.build().success();
    let before = kb.snapshot("public");
    let mut served = kb.serve();
    kb.edit(QUOTA, "Quota insuffisant", "Quota servi");
    served.wait_for_stdout("quota.yaml changed");

    let status = served.interrupt();
    assert!(status.success(), "{status:?}\n{}", served.stderr());
    served.wait_for_stdout("stopped");
    assert_eq!(kb.snapshot("public"), before);
    let stray: Vec<_> = fs::read_dir(kb.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".public"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn twenty_open_pages_all_reload_and_none_waits_for_a_connection() {
    let kb = KbTest::minimal();
    let served = kb.serve();
    let mut pages: Vec<_> = (0..20).map(|_| served.live_reload()).collect();
    // Twenty held connections do not keep a twenty-first page from loading.
    assert_eq!(served.get(QUOTA_PAGE).status, 200);

    kb.edit(QUOTA, "Quota insuffisant", "Quota pour tous");
    for page in &mut pages {
        page.expect("reload");
    }
}

#[test]
fn a_stylesheet_change_swaps_the_css_without_a_reload() {
    let kb = KbTest::minimal();
    let served = kb.serve();
    let mut page = served.live_reload();

    kb.write("static/style.css", "body { color: rebeccapurple }\n");
    let swap = page.expect("css");
    assert_eq!(swap["paths"], serde_json::json!(["static/style.css"]));
    assert!(
        served
            .get("/static/style.css")
            .body
            .contains("rebeccapurple")
    );
    served.wait_for_stdout("stylesheets swapped");

    kb.write("static/style.css", "body { color: teal }\n");
    page.expect("css");
    assert!(served.get("/static/style.css").body.contains("teal"));
}

#[test]
fn a_broken_template_is_reported_and_the_last_good_site_kept() {
    let kb = KbTest::minimal();
    let served = kb.serve();
    let mut page = served.live_reload();

    kb.write(
        "templates/entry.html",
        "{% extends \"base.html\" %}{% block main %}{% if %}",
    );
    let problems = page.expect("problems");
    assert_eq!(problems["diagnostics"][0]["file"], "templates/entry.html");
    assert!(served.get(QUOTA_PAGE).body.contains("Quota insuffisant"));

    fs::remove_file(kb.path("templates/entry.html")).unwrap();
    page.expect("fixed");

    kb.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Perdu</h1>{% endblock main %}",
    );
    page.expect("reload");
    let lost = served.get("/fr/nope/");
    assert_eq!(lost.status, 404);
    assert!(lost.body.contains("<h1>Perdu</h1>"));
    let line = served.wait_for_stdout("templates/404.html changed");
    assert!(
        line.contains(" 0 reused"),
        "a template change renders everything: {line}"
    );
}

#[test]
fn poll_follows_edits_where_file_events_do_not_work() {
    let kb = KbTest::minimal();
    let served = kb.serve_with(&["--port", "0", "--poll"]);
    let mut page = served.live_reload();
    kb.edit(QUOTA, "Quota insuffisant", "Quota sondé");
    page.expect("reload");
    assert!(served.get(QUOTA_PAGE).body.contains("Quota sondé"));
    kb.write(
        "content/errors/groq/new-one.yaml",
        "code: new_one\nprovider: groq\nupdated: 2026-02-01\ntitle: New one\nsummary: New.\n",
    );
    served.wait_for_page("/en/groq/new-one/", "New one");
}
