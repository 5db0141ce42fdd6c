//! The loader against a clumsy or hostile author: thousands of deterministic mutations
//! of the shipped content (bytes cut, YAML tokens inserted, lines duplicated or
//! re-indented, invalid UTF-8, control characters). None may panic; each rejection
//! must name a file and a line; and a build that rejects one leaves `public/` as it was.
//!
//! Each mutated entry is loaded with the site and provider files and no other entry
//! (the rules across entries have their own tests), so that a debug build runs the
//! whole test in well under a minute.

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use errbook::diagnostic::Severity;
use errbook::pipeline::load_knowledge_base;

use crate::helper::{KbTest, repo_root, walk};

/// Fixed, so that a failure can be replayed.
const SEED: u64 = 0x5eed_e44b_0000_0019;
const MUTATIONS: usize = 2_000;
/// How often a rejected mutation is also built, to check that `public/` survives.
const BUILD_EVERY: usize = 50;
/// The test stops after this long even if not all mutations ran (a loaded machine),
/// but never before `FLOOR` mutations: a slow machine makes it slower, not weaker. The
/// mutations it ran are always the same first ones.
const BUDGET: Duration = Duration::from_secs(50);
const FLOOR: usize = MUTATIONS / 4;

/// SplitMix64: small, and the same numbers on every machine.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// What YAML and errbook give meaning to, and what breaks them.
const TOKENS: &[&[u8]] = &[
    b":",
    b": ",
    b"- ",
    b"[",
    b"]",
    b"{",
    b"}",
    b"\"",
    b"'",
    b"#",
    b"&a ",
    b"*a",
    b"<<: *a",
    b"!!python/object:os.system ",
    b"!custom ",
    b"%YAML 1.1\n",
    b"---\n",
    b"...\n",
    b"\t",
    b"\n",
    b"\r\n",
    b"  ",
    b"|\n",
    b">-\n",
    b"\\e]0;x\\a",
    b"\x00",
    b"\x1b[2J",
    b"\xff\xfe",
    b"\xc3",
    b"~",
    b"null",
    b"yes",
    b"1e999",
    b"0x1F",
    b"2026-02-30",
    b"javascript:x",
    b"//evil.example/a:b",
    b"TODO",
    b"\xe2\x80\xae",
    b"<script>",
];

fn mutate(bytes: &[u8], random: &mut Random) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let at = random.below(out.len() + 1);
    match random.below(7) {
        0 => {
            let end = (at + 1 + random.below(40)).min(out.len());
            out.drain(at.min(end)..end);
        }
        1 | 2 => {
            let token = TOKENS[random.below(TOKENS.len())];
            out.splice(at..at, token.iter().copied());
        }
        3 => out.truncate(at),
        4 => {
            let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
            let line = lines[random.below(lines.len())];
            out.splice(at..at, [line, b"\n"].concat());
        }
        5 => {
            let long = vec![b'q'; 200 + random.below(400)];
            out.splice(at..at, long);
        }
        _ => {
            // Re-indent the line that holds `at`.
            let start = bytes[..at]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            let shift = [&b" "[..], b"   ", b"\t"][random.below(3)];
            out.splice(start..start, shift.iter().copied());
        }
    }
    out
}

/// The shipped content: every file, relative to `content/`, with its bytes.
fn shipped_files() -> Vec<(PathBuf, Vec<u8>)> {
    let content = repo_root().join("content");
    walk(&content)
        .into_iter()
        .map(|path| {
            let bytes = fs::read(&path).unwrap();
            (path.strip_prefix(&content).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

/// Writes the site and provider files into `kb`'s content, with no entry.
fn stage_without_entries(kb: &KbTest, files: &[(PathBuf, Vec<u8>)]) {
    let _ = fs::remove_dir_all(kb.path("content"));
    for (path, bytes) in files.iter().filter(|(p, _)| !p.starts_with("errors")) {
        write(kb, path, bytes);
    }
}

fn write(kb: &KbTest, path: &Path, bytes: &[u8]) {
    let to = kb.path("content").join(path);
    fs::create_dir_all(to.parent().unwrap()).unwrap();
    fs::write(to, bytes).unwrap();
}

#[test]
fn thousands_of_mutated_files_are_rejected_with_file_and_line_and_never_panic() {
    let started = Instant::now();
    let files = shipped_files();
    let seed = files
        .iter()
        .position(|(p, _)| p == Path::new("errors/openai/insufficient-quota.yaml"))
        .unwrap();
    let kb = KbTest::from_fixture("minimal");
    stage_without_entries(&kb, &files);
    write(&kb, &files[seed].0, &files[seed].1);
    kb.build().success();
    let public = kb.snapshot("public");

    let mut random = Random(SEED);
    let (mut done, mut rejected, mut built) = (0, 0, 0);
    // The entry in the knowledge base: the one mutated, or the seed's.
    let mut staged = seed;
    while done < MUTATIONS && (done < FLOOR || started.elapsed() < BUDGET) {
        let which = random.below(files.len());
        let entry = if files[which].0.starts_with("errors") {
            which
        } else {
            seed
        };
        if entry != staged {
            fs::remove_file(kb.path("content").join(&files[staged].0)).unwrap();
            write(&kb, &files[entry].0, &files[entry].1);
            staged = entry;
        }
        let (path, original) = &files[which];
        write(&kb, path, &mutate(original, &mut random));
        let loaded = panic::catch_unwind(AssertUnwindSafe(|| load_knowledge_base(kb.root())));
        let replay = format!("mutation {done} (seed {SEED:#x}) of {}", path.display());
        let (site, diagnostics) = loaded.unwrap_or_else(|_| panic!("{replay} panicked"));
        done += 1;
        if site.is_none() {
            rejected += 1;
            let errors: Vec<_> = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            assert!(!errors.is_empty(), "{replay}: rejected without an error");
            for error in errors {
                assert!(
                    error.position.is_some() && !error.file.as_os_str().is_empty(),
                    "{replay}: no file:line in {error:?}"
                );
            }
            // The first time it can, then every so often: a loaded machine may stop early.
            if (built == 0 || rejected % BUILD_EVERY == 1) && staged == seed {
                built += 1;
                let run = kb.build();
                assert_eq!(run.code, 1, "{replay}: {}", run.stderr);
                assert!(kb.snapshot("public") == public, "{replay}: public/ changed");
            }
        }
        write(&kb, path, original);
    }
    eprintln!(
        "{done} mutations, {rejected} rejected, {built} built, in {:?}",
        started.elapsed()
    );
    assert!(rejected > done / 4, "only {rejected} of {done} rejected");
    assert!(built > 0);
}
