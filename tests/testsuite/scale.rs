//! The knowledge-base generator used by the benchmarks stays correct.

use std::process::Command;

use crate::helper::{KbTest, repo_root};

/// The generator example: `cargo test` has built it beside this test binary.
fn generator() -> Command {
    let exe = std::env::current_exe().unwrap();
    let built = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|dir| dir.join("examples/gen_kb"));
    match built.filter(|path| path.is_file()) {
        Some(path) => Command::new(path),
        None => {
            let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
            cargo
                .current_dir(repo_root())
                .args(["run", "--quiet", "--example", "gen_kb", "--"]);
            cargo
        }
    }
}

#[test]
fn a_generated_knowledge_base_checks_clean_and_builds_every_page() {
    let kb = KbTest::minimal();
    std::fs::remove_dir_all(kb.path("content")).unwrap();
    let status = generator()
        .args(["--entries", "300", "--out"])
        .arg(kb.root())
        .status()
        .unwrap();
    assert!(status.success());
    kb.run(&["check", "--strict", "--max-age", "100000"])
        .success()
        .stdout_has("checked 300 entries: no problems");
    kb.build().success().stdout_has("built 300 entries");
    for i in [0, 1, 150, 299] {
        for lang in ["fr", "en"] {
            let page = format!(
                "public/{lang}/provider-{:02}/entry-{i:06}/index.html",
                i % 20
            );
            assert!(kb.exists(&page), "missing {page}");
            assert!(kb.exists(&page.replace("index.html", "index.md")));
        }
    }
    let page = kb.read("public/fr/provider-00/entry-000000/index.html");
    assert!(
        page.contains("<strong>")
            && page.contains("<code>")
            && page.contains("href=\"https://docs.example.org/0/0\"")
    );
}
