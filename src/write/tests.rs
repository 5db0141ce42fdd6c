//! The write stage against real folders: what a build leaves, what it shares with the
//! previous site, and what a failed build keeps.

use std::fs;
use std::path::Path;

use anyhow::Result;

use super::*;
use crate::render::{OutputFile, Sink};

/// Replaces `out` with exactly `files`. `force` allows replacing a folder errbook did not create.
///
/// Returns the folders left to delete (the previous site, and leftovers of killed
/// builds). Deleting thousands of files can take far longer than writing them, so the
/// caller removes them with [`remove_tree`] off the critical path.
fn write_site(files: Vec<OutputFile>, out: &Path, force: bool) -> Result<Vec<PathBuf>> {
    let staging = Staging::begin(out, force, None, None)?;
    staging.put(files);
    staging.finish()
}

fn file(path: &str, text: &str) -> OutputFile {
    OutputFile {
        path: path.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

#[test]
fn a_second_build_replaces_the_whole_tree() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(
        vec![file("fr/a/index.html", "one"), file("stale.txt", "x")],
        &out,
        false,
    )
    .unwrap();
    for old in write_site(vec![file("fr/a/index.html", "two")], &out, false).unwrap() {
        remove_tree(&old).unwrap();
    }
    assert_eq!(
        fs::read_to_string(out.join("fr/a/index.html")).unwrap(),
        "two"
    );
    assert!(!out.join("stale.txt").exists());
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers, ["public"]);
}

#[cfg(unix)]
#[test]
fn unchanged_files_are_shared_with_the_previous_site() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(
        vec![file("same.html", "same"), file("changed.html", "one")],
        &out,
        false,
    )
    .unwrap();
    let inode = fs::metadata(out.join("same.html")).unwrap().ino();
    write_site(
        vec![file("same.html", "same"), file("changed.html", "two")],
        &out,
        false,
    )
    .unwrap();
    assert_eq!(
        fs::metadata(out.join("same.html")).unwrap().ino(),
        inode,
        "not rewritten"
    );
    assert_eq!(fs::read_to_string(out.join("changed.html")).unwrap(), "two");
}

#[test]
fn a_named_pipe_where_a_page_was_does_not_stop_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(vec![file("index.html", "old")], &out, false).unwrap();
    fs::remove_file(out.join("index.html")).unwrap();
    let fifo = rustix::fs::FileType::Fifo;
    let mode = rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR;
    rustix::fs::mknodat(rustix::fs::CWD, out.join("index.html"), fifo, mode, 0).unwrap();
    // A pipe nobody writes to would block a plain open for reading forever.
    let (done, finished) = std::sync::mpsc::channel();
    let target = out.clone();
    std::thread::spawn(move || {
        let written = write_site(vec![file("index.html", "new")], &target, false);
        done.send(written.is_ok()).unwrap();
    });
    let written = finished.recv_timeout(std::time::Duration::from_secs(20));
    assert_eq!(written, Ok(true), "the build finished");
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
}

#[test]
fn an_unfinished_staging_folder_is_removed_and_the_site_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(vec![file("index.html", "old")], &out, false).unwrap();
    let staging = Staging::begin(&out, false, None, None).unwrap();
    staging.put(vec![file("index.html", "new"), file("more.html", "x")]);
    drop(staging);
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
    assert!(!out.join("more.html").exists());
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, ["public"], "no staging folder left behind");
}

#[test]
fn a_file_that_cannot_be_written_fails_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(vec![file("index.html", "old")], &out, false).unwrap();
    // `a` is a file, so `a/b.html` cannot be written.
    let error = write_site(
        vec![
            file("a", "x"),
            file("a/b.html", "y"),
            file("index.html", "new"),
        ],
        &out,
        false,
    )
    .unwrap_err();
    // The message names the file in the way, `a`, whichever of the two came first.
    let message = format!("{error:#}");
    assert!(message.contains("/a: "), "{message}");
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
}

#[test]
fn a_folder_errbook_did_not_create_is_kept_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("mine.txt"), "precious").unwrap();
    let error = write_site(vec![file("index.html", "x")], &out, false).unwrap_err();
    assert!(error.to_string().contains("refusing to replace"), "{error}");
    assert_eq!(
        fs::read_to_string(out.join("mine.txt")).unwrap(),
        "precious"
    );
    write_site(vec![file("index.html", "x")], &out, true).unwrap();
    assert!(!out.join("mine.txt").exists());
    assert!(out.join(MARKER).exists());
}

#[test]
fn leftovers_of_a_killed_build_are_cleaned_even_when_their_number_is_a_live_thread_id() {
    let dir = tempfile::tempdir().unwrap();
    let stale = dir.path().join(".public.staging-4000000000");
    fs::create_dir_all(&stale).unwrap();
    // A killed build whose process id is now a running thread's.
    let (tid_sender, tid) = std::sync::mpsc::channel();
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let thread = std::thread::spawn(move || {
        tid_sender
            .send(rustix::thread::gettid().as_raw_nonzero())
            .unwrap();
        let _ = stopped.recv();
    });
    let thread_id = tid.recv().unwrap();
    let reused_id = dir.path().join(format!(".public.staging-{thread_id}"));
    fs::create_dir_all(&reused_id).unwrap();
    // A build that runs: it holds the lock on its staging folder.
    let running = dir.path().join(".public.staging-4000000001");
    fs::create_dir_all(&running).unwrap();
    let held = fs::File::open(&running).unwrap();
    rustix::fs::flock(&held, rustix::fs::FlockOperation::LockExclusive).unwrap();
    let mut to_remove = write_site(
        vec![file("index.html", "x")],
        &dir.path().join("public"),
        false,
    )
    .unwrap();
    stop.send(()).unwrap();
    thread.join().unwrap();
    to_remove.sort();
    let mut dead = vec![stale.clone(), reused_id];
    dead.sort();
    assert_eq!(
        to_remove, dead,
        "a running build's staging folder is left alone"
    );
    remove_tree(&stale).unwrap();
    assert!(!stale.exists());
    assert!(
        remove_tree(&dir.path().join("public")).is_err(),
        "only errbook's leftovers are removed"
    );
}

/// Every file under `dir` with its text, the marker left out.
fn tree(dir: &Path) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|f| f.file_type().is_file() && f.file_name() != MARKER)
        .map(|f| {
            let rel = f.path().strip_prefix(dir).unwrap().to_string_lossy().into();
            (rel, fs::read_to_string(f.path()).unwrap())
        })
        .collect();
    found.sort();
    found
}

fn expected(files: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut files: Vec<_> = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    files.sort();
    files
}

#[test]
fn builds_from_the_spare_tree_write_exactly_their_files_and_never_touch_the_live_site() {
    build_sites_from_the_spare_tree(false);
}

#[test]
fn builds_from_the_spare_tree_without_manifests_walk_it() {
    build_sites_from_the_spare_tree(true);
}

/// Builds four sites in a row with a spare tree, checking each; the manifests are
/// deleted before each build if `forget_manifests`.
fn build_sites_from_the_spare_tree(forget_manifests: bool) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let spare = dir.path().join("cache/previous-site");
    let sites: [&[(&str, &str)]; 4] = [
        &[
            ("a/index.html", "1"),
            ("b/index.html", "b"),
            ("x", "x"),
            ("d/e", "e"),
            ("en/p/one/index.html", "1"),
            ("en/p/two/index.md", "2"),
            ("en/q/three/deeper/x", "3"),
        ],
        // `x` becomes a folder and `d` a file; `a` and `b` are unchanged (shared).
        // Deep folders are cleaned apart: one file goes, then a whole folder.
        &[
            ("a/index.html", "1"),
            ("b/index.html", "b"),
            ("x/in", "y"),
            ("d", "d"),
            ("en/p/one/index.html", "1"),
            ("en/q/three/x", "3"),
        ],
        // The spare's `a` is the live site's file: replaced, not written into.
        &[("a/index.html", "3"), ("n/index.html", "n")],
        &[
            ("a/index.html", "4"),
            ("b/index.html", "b"),
            ("x", "x"),
            ("en/p/two/index.md", "2"),
        ],
    ];
    let mut live = Vec::new();
    for site in sites {
        if forget_manifests {
            for name in ["site.manifest", "previous-site.manifest"] {
                let _ = fs::remove_file(dir.path().join("cache").join(name));
            }
        }
        let staging = Staging::begin(&out, false, Some(&spare), None).unwrap();
        staging.put(site.iter().map(|(p, t)| file(p, t)).collect());
        assert_eq!(tree(&out), live, "the live site changed before the swap");
        for old in staging.finish().unwrap() {
            remove_tree(&old).unwrap();
        }
        live = expected(site);
        assert_eq!(tree(&out), live);
        let empty = walkdir::WalkDir::new(&out)
            .into_iter()
            .flatten()
            .filter(|f| f.file_type().is_dir())
            .find(|f| fs::read_dir(f.path()).unwrap().next().is_none());
        assert!(empty.is_none(), "a folder of nothing is left: {empty:?}");
    }
    assert!(spare.join(MARKER).is_file(), "the replaced site is kept");
    let mut names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["cache", "public"],
        "nothing else left beside the site"
    );
}

#[test]
fn a_live_file_changed_by_hand_is_never_taken_for_the_one_built() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let spare = dir.path().join("cache/previous-site");
    let build = |text: &str| {
        let staging = Staging::begin(&out, false, Some(&spare), None).unwrap();
        staging.put(vec![file("page.html", text), file("other.html", "x")]);
        for old in staging.finish().unwrap() {
            remove_tree(&old).unwrap();
        }
    };
    build("one");
    build("one");
    // Changed in place, to the same size, as fast as can be after the build.
    fs::write(out.join("page.html"), "two").unwrap();
    build("one");
    assert_eq!(fs::read_to_string(out.join("page.html")).unwrap(), "one");
    // Replaced by another file of the same size.
    fs::remove_file(out.join("page.html")).unwrap();
    fs::write(out.join("page.html"), "six").unwrap();
    build("one");
    assert_eq!(fs::read_to_string(out.join("page.html")).unwrap(), "one");
    build("two");
    assert_eq!(fs::read_to_string(out.join("page.html")).unwrap(), "two");
    assert_eq!(fs::read_to_string(out.join("other.html")).unwrap(), "x");
}

#[test]
fn a_failed_build_from_the_spare_tree_keeps_the_site_and_the_spare() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let spare = dir.path().join("previous-site");
    for text in ["1", "2"] {
        let staging = Staging::begin(&out, false, Some(&spare), None).unwrap();
        staging.put(vec![file("index.html", text)]);
        staging.finish().unwrap();
    }
    let staging = Staging::begin(&out, false, Some(&spare), None).unwrap();
    assert!(!spare.exists(), "the build starts from the spare");
    staging.put(vec![file("index.html", "3"), file("more.html", "x")]);
    drop(staging);
    assert_eq!(tree(&out), expected(&[("index.html", "2")]));
    assert!(spare.join(MARKER).is_file());
    // What the failed build left in the spare is not carried into the next site.
    let staging = Staging::begin(&out, false, Some(&spare), None).unwrap();
    staging.put(vec![file("index.html", "4")]);
    staging.finish().unwrap();
    assert_eq!(tree(&out), expected(&[("index.html", "4")]));
}

#[test]
fn a_site_that_shrank_hands_the_stale_files_of_the_spare_over_to_be_deleted_later() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let spare = dir.path().join("cache/previous-site");
    // The cache folder, where the manifests are kept, exists (the parse cache's).
    fs::create_dir_all(dir.path().join("cache")).unwrap();
    let big: Vec<(String, String)> = (0..200)
        .map(|n| (format!("en/p/alias-{n}/index.html"), format!("{n}")))
        .chain([("en/p/kept/index.html".to_string(), "kept".to_string())])
        .collect();
    let small = [("en/p/kept/index.html", "kept"), ("index.html", "new")];
    let build = |site: Vec<OutputFile>| {
        let staging = Staging::begin(&out, false, Some(&spare), None).unwrap();
        staging.put(site);
        staging.finish().unwrap()
    };
    for _ in 0..2 {
        let left = build(big.iter().map(|(p, t)| file(p, t)).collect());
        left.iter().for_each(|old| remove_tree(old).unwrap());
    }
    // The third build starts from the spare, a copy of the big site.
    let left = build(small.iter().map(|(p, t)| file(p, t)).collect());
    assert_eq!(
        tree(&out),
        expected(&small),
        "the new site is whole at the swap"
    );
    let stale: usize = left.iter().map(|old| tree(old).len()).sum();
    assert_eq!(
        stale, 200,
        "the stale pages are left to the background removal"
    );
    left.iter().for_each(|old| remove_tree(old).unwrap());
    let mut names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["cache", "public"], "nothing is left behind");
    // The next build starts from the spare (the big site) again, and is exact.
    let left = build(vec![file("index.html", "again")]);
    left.iter().for_each(|old| remove_tree(old).unwrap());
    assert_eq!(tree(&out), expected(&[("index.html", "again")]));
}
