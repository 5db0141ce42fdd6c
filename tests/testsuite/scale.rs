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

/// A knowledge base of `entries` generated entries.
pub(crate) fn generated(entries: usize) -> KbTest {
    let kb = KbTest::minimal();
    std::fs::remove_dir_all(kb.path("content")).unwrap();
    let status = generator()
        .args(["--entries", &entries.to_string(), "--out"])
        .arg(kb.root())
        .status()
        .unwrap();
    assert!(status.success());
    kb
}

#[test]
fn a_generated_knowledge_base_checks_clean_and_builds_every_page() {
    let kb = generated(300);
    kb.run(&["check", "--strict", "--max-age", "100000"])
        .success()
        .stdout_has("checked 300 entries: no problems");
    let piped = kb.build();
    piped.success().stdout_has("built 300 entries");
    assert!(
        !piped.stderr.contains("rendering"),
        "no progress when output is piped:\n{}",
        piped.stderr
    );
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

/// Runs `errbook ARGS` on a pseudo-terminal (util-linux `script`), progress shown at once;
/// returns what the terminal received.
fn on_terminal(root: &std::path::Path, args: &str) -> String {
    let errbook = assert_cmd::cargo::cargo_bin("errbook");
    let command = format!("{} --root {} {args}", errbook.display(), root.display());
    let output = Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .env("ERRBOOK_PROGRESS_AFTER", "0")
        .env("NO_COLOR", "1")
        .output()
        .expect("util-linux `script` runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_long_build_on_a_terminal_shows_its_stages_and_counts_then_the_summary() {
    let kb = generated(200);

    let screen = on_terminal(kb.root(), "build");
    for stage in [
        "reading",
        "checking",
        "rendering",
        "/200 entries",
        "writing",
    ] {
        assert!(
            screen.contains(stage),
            "no {stage:?} on the terminal:\n{screen}"
        );
    }
    // The progress line is cleared, and the summary is the last thing left on screen.
    let last_line = screen.rsplit('\r').find(|l| !l.trim().is_empty()).unwrap();
    assert!(
        last_line
            .trim_start_matches("\x1b[2K")
            .starts_with("built 200 entries"),
        "{last_line:?}"
    );

    let quiet = on_terminal(kb.root(), "--quiet build");
    assert!(quiet.trim().is_empty(), "--quiet shows nothing: {quiet:?}");
}
