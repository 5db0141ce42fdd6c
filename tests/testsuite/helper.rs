//! `KbTest`: a temporary knowledge base, edited and built by the real binary.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tempfile::TempDir;

/// The repository root, which is itself the shipped knowledge base.
/// The day every command of [`KbTest::run`] takes for today: 2026-12-04
/// (`SOURCE_DATE_EPOCH`), so that no fixture grows old. Content dated after it is in
/// the future for the tests: move the day forward with the content.
pub const PINNED_DAY: &str = "1796342400";

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// A knowledge base in a temporary folder.
pub struct KbTest {
    dir: TempDir,
}

/// What one run of `errbook` did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl KbTest {
    /// A copy of the fixture `tests/fixtures/<name>`.
    pub fn from_fixture(name: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_tree(&fixture(name), dir.path());
        KbTest { dir }
    }

    pub fn minimal() -> Self {
        Self::from_fixture("minimal")
    }

    /// An empty folder, for `errbook init`.
    pub fn empty() -> Self {
        KbTest {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
        self
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    /// Runs `errbook ARGS --root <this kb>`, on the day [`PINNED_DAY`].
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, "")
    }

    /// Runs `errbook --root <this kb> ARGS` with `stdin` as its standard input.
    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Run {
        let output = Command::cargo_bin("errbook")
            .unwrap()
            .arg("--root")
            .arg(self.root())
            .args(args)
            .env("NO_COLOR", "1")
            // The fixtures' dates keep the ages they have on that day, whenever the
            // tests run.
            .env("SOURCE_DATE_EPOCH", PINNED_DAY)
            .write_stdin(stdin)
            .output()
            .unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// Every file under `rel` with its bytes, to prove a folder was left untouched.
    pub fn snapshot(&self, rel: &str) -> BTreeMap<PathBuf, Vec<u8>> {
        let base = self.path(rel);
        walk(&base)
            .into_iter()
            .map(|p| {
                (
                    p.strip_prefix(&base).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                )
            })
            .collect()
    }
}

impl Run {
    #[track_caller]
    pub fn success(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn fails_with(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}:\n{}",
            self.stdout
        );
        self
    }
}

/// Every file under `dir`, sorted.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

pub fn copy_tree(from: &Path, to: &Path) {
    for file in walk(from) {
        let target = to.join(file.strip_prefix(from).unwrap());
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(&file, &target).unwrap();
    }
}

/// The values of every `id="…"` attribute in an HTML page, in order.
pub fn ids(html: &str) -> Vec<String> {
    attribute_values(html, "id")
}

/// The values of every `name="…"` attribute, e.g. `href`.
pub fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

/// How long anything a test waits for may take (a debug build, a loaded machine).
pub const PATIENCE: Duration = Duration::from_secs(10);

/// Polls `check` every 20 ms until it gives a value, for at most `timeout`.
pub fn eventually<T>(timeout: Duration, mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check() {
            return Some(value);
        }
        if Instant::now() >= deadline {
            return None;
        }
        thread::sleep(Duration::from_millis(20));
    }
}
