//! The search and lookup benchmark: a measurement, not a timed test (it is ignored by
//! default and asserts nothing about time). Run it with the tuned profile:
//!
//! ```sh
//! cargo test --profile tuned --test testsuite bench -- --ignored --nocapture
//! ERRBOOK_BENCH_ENTRIES=1000 cargo test --profile tuned --test testsuite bench -- --ignored --nocapture
//! ```
//!
//! It generates a knowledge base with `examples/gen_kb.rs` (10,000 entries unless
//! `ERRBOOK_BENCH_ENTRIES` says otherwise; `ERRBOOK_BENCH_KB=DIR` keeps it in DIR and
//! reuses it, built, next time), builds it, and prints medians of:
//! `errbook lookup` wall time; in headless Chromium, what the first search of a
//! language downloads (gzipped, as a static host would serve it), the first and later
//! query times (misspelt ones too), and what a first pasted error downloads.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::http::serve;
use crate::search_browser::{browser, eval, wait_for};

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

/// The size of `file` compressed by `gzip -6`.
fn gzipped(file: &Path) -> u64 {
    let out = Command::new("gzip")
        .args(["-c", "-6"])
        .arg(file)
        .output()
        .unwrap();
    out.stdout.len() as u64
}

/// `target/<profile>/examples/gen_kb`, built by `cargo test` with the test binary.
fn generator() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples/gen_kb")
}

/// The JSON files a page fetched since the last clear, gzipped, in bytes.
fn downloaded(tab: &headless_chrome::Tab, public: &Path) -> (u64, usize) {
    let urls = eval(
        tab,
        "performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)\
         .filter(p => p.endsWith('.json'))",
    );
    let paths: Vec<&str> = urls
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap())
        .collect();
    let bytes = paths
        .iter()
        .map(|p| gzipped(&public.join(p.trim_start_matches('/'))))
        .sum();
    (bytes, paths.len())
}

#[test]
#[ignore = "a benchmark: run with --profile tuned -- --ignored --nocapture"]
fn bench_search_and_lookup() {
    let entries: usize = std::env::var("ERRBOOK_BENCH_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    // ERRBOOK_BENCH_KB keeps the knowledge base there, and reuses it (built) next time.
    let reuse = std::env::var_os("ERRBOOK_BENCH_KB").map(PathBuf::from);
    let kb = reuse.clone().unwrap_or_else(|| dir.path().join("kb"));
    if !kb.join("content").exists() {
        let status = Command::new(generator())
            .args(["--entries", &entries.to_string(), "--out"])
            .arg(&kb)
            .status()
            .expect("run examples/gen_kb (cargo test builds it)");
        assert!(status.success());
    }
    let errbook = assert_cmd::cargo::cargo_bin("errbook");
    if reuse.is_none() || !kb.join("public").exists() {
        let started = Instant::now();
        let build = Command::new(&errbook)
            .arg("--root")
            .arg(&kb)
            .args(["build", "-q"])
            .status();
        assert!(build.unwrap().success());
        println!("build: {:.1} s", started.elapsed().as_secs_f64());
    }

    let catalogue: serde_json::Value =
        serde_json::from_slice(&std::fs::read(kb.join("public/errors.json")).unwrap()).unwrap();
    println!("entries: {}", catalogue["errors"].as_array().unwrap().len());

    // errbook lookup, with the fixture of entry 777 (a Python SDK string).
    let yaml = std::fs::read_to_string(kb.join("content/errors/provider-17/entry-000777.yaml"))
        .or_else(|_| {
            std::fs::read_to_string(kb.join("content/errors/provider-00/entry-000000.yaml"))
        })
        .unwrap();
    // Its example body when it has one on a line, else its message.
    let body = yaml
        .split("body: \"")
        .nth(1)
        .or_else(|| yaml.split("message: \"").nth(1))
        .and_then(|rest| rest.lines().next())
        .unwrap()
        .trim_end()
        .trim_end_matches("\"}")
        .trim_end_matches('"');
    let body = body.replace("\\\"", "\"");
    let times: Vec<f64> = (0..21)
        .map(|_| {
            let t = Instant::now();
            let out = Command::new(&errbook)
                .arg("--root")
                .arg(&kb)
                .args(["lookup", &body])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stdout)
            );
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    println!(
        "errbook lookup: median {:.1} ms over 21 runs",
        median(times)
    );

    let Some(browser) = browser() else { return };
    let public = kb.join("public");
    let url = serve(&public);
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{url}fr/")).unwrap();
    wait_for(&tab, "window.errbookSearch");
    eval(&tab, "performance.clearResourceTimings()");
    let first = eval(
        &tab,
        "(async () => { const t = performance.now(); const r = await errbookSearch.search('crédit dépassé', 10); \
         return [performance.now() - t, r.length]; })()",
    );
    let (bytes, files) = downloaded(&tab, &public);
    println!(
        "first search 'crédit dépassé' (fr): {} results in {:.1} ms, downloaded {:.1} KB gzipped in {files} files",
        first[1],
        first[0].as_f64().unwrap(),
        bytes as f64 / 1024.0
    );
    let queries = [
        "quota dépassé",
        "clé invalide",
        "serveur surchargé",
        "paiement refusé",
        "limite journée",
        "jeton expirée",
        "réseau connexion",
        "modèle indisponible",
        "facturation compte",
        "accès projet",
        "erreur requête",
        "délai réponse",
        "crédit épuisé",
        "sécurité paramètres",
        "tableau bord",
        "variable environnement",
        "fichier format",
        "utilisateur organisation",
        "support service",
        "débit minute",
        "carte",
        "quot",
    ];
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    for q in queries {
        let call = format!(
            "(async () => {{ let t = performance.now(); await errbookSearch.search({q:?}, 10); const a = performance.now() - t; \
             t = performance.now(); await errbookSearch.search({q:?}, 10); return [a, performance.now() - t]; }})()"
        );
        let r = eval(&tab, &call);
        cold.push(r[0].as_f64().unwrap());
        warm.push(r[1].as_f64().unwrap());
    }
    println!(
        "query (fr, {} queries): median {:.1} ms when its files are new (loaded from 127.0.0.1), {:.1} ms once loaded",
        queries.len(),
        median(cold),
        median(warm)
    );
    // Misspelt words: found neither whole nor as a prefix, they go through typo tolerance.
    let misspelt = [
        "serveur surcharje",
        "paiemant refusé",
        "facturatoin compte",
        "quotta",
    ];
    let typos: Vec<f64> = misspelt
        .iter()
        .map(|q| {
            let call = format!(
                "(async () => {{ await errbookSearch.search({q:?}, 10); const t = performance.now(); \
                 const r = await errbookSearch.search({q:?}, 10); return [performance.now() - t, r.length]; }})()"
            );
            let r = eval(&tab, &call);
            assert!(r[1].as_u64() > Some(0), "{q:?} finds nothing");
            r[0].as_f64().unwrap()
        })
        .collect();
    println!(
        "misspelt query (fr, {} queries): median {:.1} ms once loaded",
        misspelt.len(),
        median(typos)
    );
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{url}en/")).unwrap();
    wait_for(&tab, "window.errbookSearch");
    eval(&tab, "performance.clearResourceTimings()");
    let call = format!(
        "(async () => {{ const t = performance.now(); const r = await errbookSearch.lookup({}); \
         return [performance.now() - t, r.confident, r.candidates.length ? r.candidates[0].id : null]; }})()",
        serde_json::to_string(&body).unwrap()
    );
    let pasted = eval(&tab, &call);
    let (bytes, files) = downloaded(&tab, &public);
    println!(
        "first pasted error (en): {} (confident: {}) in {:.1} ms, downloaded {:.1} KB gzipped in {files} files",
        pasted[2],
        pasted[1],
        pasted[0].as_f64().unwrap(),
        bytes as f64 / 1024.0
    );
    let again: Vec<f64> = (0..11)
        .map(|_| eval(&tab, &call)[0].as_f64().unwrap())
        .collect();
    println!("pasted error, files loaded: median {:.1} ms", median(again));
}
