//! The build cache: everything errbook keeps from one run to the next, behind one
//! handle, [`BuildCache`].
//!
//! What is kept, and where:
//! - on disk, in `.errbook-cache/` beside `content/` (unless `--no-cache`): memos of
//!   values computed from texts ([`Memo`], one file each), among them the parsed form
//!   of each entry file ([`Forms`]), and the site that the last `build` replaced with the manifests of it
//!   and of the live site (`previous-site/`, `*.manifest`; written by `write`, which
//!   starts the next build from them);
//! - in memory, for `serve` only: the entry files as loaded and as validated by the
//!   last rebuild, so that a save costs the files it changed.
//!
//! Stages take lookups from the handle (`load` the forms and the files it loaded
//! before, `validate` the entries it checked before and the link memo, `render` the
//! search memos) and hand back what they found; only the pipeline puts it in the cache,
//! and only this module and `write` (the previous site) write under `.errbook-cache/`.
//! The cache only ever saves time: what cannot be read is computed again, and what
//! cannot be written is skipped. The folder marks itself as a cache (`CACHEDIR.TAG`)
//! and as ignored by git, and can be deleted at any time.

mod forms;
mod last_build;
mod memo;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use xxhash_rust::xxh3::xxh3_128;

use forms::STORED_TYPES;
pub(crate) use forms::{CacheKey, Forms};
pub(crate) use last_build::LastBuild;
pub(crate) use memo::{LinkMemo, Memo};

use crate::load::{LoadCache, Loaded, RawEntry};
use crate::model::Date;
use crate::validate::ValidateCache;

/// The cache's folder, relative to the knowledge-base root.
pub(crate) const CACHE_DIR: &str = ".errbook-cache";

/// The start of the name of the file of a [`BuildCache::memo`] (then its name and the
/// fingerprint of its code).
const MEMO: &str = "memo-";

const CACHEDIR_TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
    # This folder is errbook's cache (parsed files, the previous site); it can be deleted at any time.\n";

/// Everything kept between runs on one knowledge base.
#[derive(Default)]
pub(crate) struct BuildCache {
    /// `.errbook-cache/`, unless the cache is off.
    disk: Option<OnDisk>,
    /// What `serve` keeps between rebuilds.
    memory: Option<InMemory>,
    /// The fingerprint of the content the last load read, if it read every file.
    content: Option<u128>,
    /// The forms being saved on another thread ([`BuildCache::keep_loaded`]).
    saving: Saving,
}

/// A save on another thread, waited for when it is dropped: a command exits only once
/// what it saves is written.
#[derive(Default)]
struct Saving(Option<std::thread::JoinHandle<()>>);

impl Saving {
    fn wait(&mut self) {
        if let Some(saving) = self.0.take() {
            // A save that panicked saved nothing: the next run parses again.
            let _ = saving.join();
        }
    }
}

impl Drop for Saving {
    fn drop(&mut self) {
        self.wait();
    }
}

struct OnDisk {
    /// `<root>/.errbook-cache`.
    top: PathBuf,
    forms: Arc<Forms>,
    /// Whether memos are written back ([`BuildCache::reader`]).
    saves_memos: bool,
}

#[derive(Default)]
struct InMemory {
    files: LoadCache,
    /// Whether `files` holds what a load found (then the next load reads only the files
    /// that changed).
    loaded: bool,
    entries: ValidateCache,
}

impl BuildCache {
    /// The cache of a command on the knowledge base at `root`: on disk if `on_disk`,
    /// else nothing at all. Nothing is read or created yet.
    pub(crate) fn for_command(root: &Path, on_disk: bool) -> BuildCache {
        BuildCache {
            disk: on_disk.then(|| OnDisk::at_root(root)),
            ..BuildCache::default()
        }
    }

    /// The cache of `serve`: what its rebuilds keep in memory, over the cache on disk
    /// if `on_disk`.
    pub(crate) fn for_serve(root: &Path, on_disk: bool) -> BuildCache {
        let mut cache = BuildCache::for_command(root, on_disk);
        cache.memory = Some(InMemory::default());
        cache
    }

    /// A handle on the same cache on disk whose memos are read but never written back:
    /// for `serve`'s renders after each save, which would otherwise rewrite them whole
    /// every time for the one entry that changed (the next `build` brings them up to
    /// date).
    pub(crate) fn reader(&self) -> BuildCache {
        let disk = self.disk.as_ref().map(|disk| OnDisk {
            top: disk.top.clone(),
            forms: Arc::clone(&disk.forms),
            saves_memos: false,
        });
        BuildCache {
            disk,
            ..BuildCache::default()
        }
    }

    /// The parsed forms of entry files, for a `load` that reads every file: a command's,
    /// or `serve`'s first (its later loads read only the files that changed, whose new
    /// bytes were never parsed).
    pub(crate) fn forms(&self) -> Option<&Forms> {
        if self.memory.as_ref().is_some_and(|memory| memory.loaded) {
            return None;
        }
        self.disk.as_ref().map(|disk| disk.forms.as_ref())
    }

    /// The files loaded by the last rebuild, for `load` (in `serve`).
    pub(crate) fn loaded_files(&self) -> Option<&LoadCache> {
        self.memory.as_ref().map(|memory| &memory.files)
    }

    /// The entries validated by the last rebuild, for `validate` (in `serve`).
    pub(crate) fn validated_entries(&self) -> Option<&ValidateCache> {
        self.memory.as_ref().map(|memory| &memory.entries)
    }

    /// Keeps what `load` found: the files it loaded (`serve`), and the forms of the
    /// entries it had to parse. A load given the forms looked every entry file up, so
    /// they are saved with only the forms of today's files, on another thread while the
    /// build goes on (nothing in this run reads them again); then the forms as opened
    /// are let go, to be opened again only by the next load that is given them.
    pub(crate) fn keep_loaded(
        &mut self,
        files: Option<LoadCache>,
        parsed: Vec<(CacheKey, Arc<Loaded<RawEntry>>)>,
    ) {
        if self.forms().is_some() {
            self.saving.wait();
            if let Some(disk) = &mut self.disk {
                let unread = Arc::new(unread_forms(&disk.top, disk.saves_memos));
                let read = std::mem::replace(&mut disk.forms, unread);
                let top = disk.top.clone();
                self.saving.0 = Some(std::thread::spawn(move || read.save(&top, &parsed)));
            }
        }
        if let (Some(memory), Some(files)) = (&mut self.memory, files) {
            memory.files = files;
            memory.loaded = true;
        }
    }

    /// Keeps the fingerprint of the content `load` read (`LoadedContent::fingerprint`).
    pub(crate) fn keep_content_fingerprint(&mut self, content: Option<u128>) {
        self.content = content;
    }

    /// The fingerprint of everything a build of the site depends on: the content the
    /// last load read, the theme (`theme`, its own fingerprint), the settings that
    /// change the output (`settings`) and errbook itself (its version and the stamp of
    /// its program file, so that a rebuilt errbook is a new one). `None` without a
    /// cache on disk, or if the content or the program could not all be read.
    pub(crate) fn build_fingerprint(&self, theme: u128, settings: &str) -> Option<u128> {
        self.disk.as_ref()?;
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&self.content?.to_le_bytes());
        hasher.update(&theme.to_le_bytes());
        add_program(&mut hasher)?;
        hasher.update(settings.as_bytes());
        Some(hasher.digest128())
    }

    /// A hash of errbook itself (its version and the stamp of its program file), which
    /// the fingerprint of every render unit includes. `None` without a cache on disk, or
    /// if the program cannot be read.
    pub(crate) fn program_stamp(&self) -> Option<u128> {
        self.disk.as_ref()?;
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        add_program(&mut hasher)?;
        Some(hasher.digest128())
    }

    /// The key under which a build records what it did ([`LastBuild`]): the stamps of
    /// its input files (`stamps`, from `load::input_stamps`), the settings that change
    /// the output (`settings`), errbook itself and today's date. `None` without a cache
    /// on disk, or if the program cannot be read.
    pub(crate) fn input_key(&self, stamps: u128, settings: &str) -> Option<u128> {
        self.disk.as_ref()?;
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&stamps.to_le_bytes());
        add_program(&mut hasher)?;
        hasher.update(Date::today().to_string().as_bytes());
        hasher.update(&[0]);
        hasher.update(settings.as_bytes());
        Some(hasher.digest128())
    }

    /// What the last build recorded under `key`, if it was that key.
    pub(crate) fn last_build(&self, key: u128) -> Option<LastBuild> {
        last_build::read(&self.disk.as_ref()?.last_build(), key)
    }

    /// Records what a build did, for the next build whose inputs look the same.
    pub(crate) fn keep_last_build(&self, build: LastBuild) {
        if let Some(disk) = &self.disk {
            last_build::write(&disk.last_build(), build);
        }
    }

    /// Keeps the entries `validate` converted (`serve`).
    pub(crate) fn keep_validated(&mut self, entries: Option<ValidateCache>) {
        if let (Some(memory), Some(entries)) = (&mut self.memory, entries) {
            memory.entries = entries;
        }
    }

    /// The link destinations of Markdown texts, for a command's `validate` (`serve`
    /// checks only the entries that changed); nothing is read yet.
    pub(crate) fn link_memo(&self) -> Option<LinkMemo> {
        if self.memory.is_some() {
            return None;
        }
        let sources = [
            env!("CARGO_PKG_VERSION"),
            include_str!("../validate/context.rs"),
        ];
        self.memo("links", &sources)
    }

    /// The memo named `name` of values computed by code whose source is `sources`: the
    /// memo of another version of that code (or of the code that stores it) is another
    /// file, which this one replaces when it is saved. Nothing is read yet.
    pub(crate) fn memo<V: Serialize + DeserializeOwned>(
        &self,
        name: &str,
        sources: &[&str],
    ) -> Option<Memo<V>> {
        let disk = self.disk.as_ref()?;
        let path = memo_path(&disk.top, name, sources);
        Some(Memo::at(path, disk.saves_memos))
    }

    /// Where `build` keeps the site it replaced, for the next build to start from, with
    /// the manifests beside it (`write`); `None` without a cache on disk, or if its
    /// folder cannot be created.
    pub(crate) fn previous_site(&self) -> Option<PathBuf> {
        let disk = self.disk.as_ref()?;
        create_marked(&disk.top).ok()?;
        Some(disk.top.join("previous-site"))
    }

    /// Forgets what was read from the files at `paths` (under `root`), which a watcher
    /// reported as changed.
    pub(crate) fn forget(&mut self, root: &Path, paths: &[PathBuf]) {
        if let Some(memory) = &mut self.memory {
            let relative = paths.iter().map(|p| p.strip_prefix(root).unwrap_or(p));
            memory.files.forget(relative);
        }
    }

    /// Forgets everything kept in memory, keeping the cache on disk (whose forms never
    /// go stale): the next load reads every file, with the forms.
    pub(crate) fn clear(&mut self) {
        if let Some(memory) = &mut self.memory {
            *memory = InMemory::default();
        }
    }
}

impl OnDisk {
    fn last_build(&self) -> PathBuf {
        self.top.join("last-build.json")
    }

    fn at_root(root: &Path) -> OnDisk {
        let top = root.join(CACHE_DIR);
        OnDisk {
            forms: Arc::new(unread_forms(&top, true)),
            top,
            saves_memos: true,
        }
    }
}

/// Adds errbook itself to `hasher`: its version and the stamp of its program file, so
/// that a rebuilt errbook is a new one; `None` if the program cannot be read.
fn add_program(hasher: &mut xxhash_rust::xxh3::Xxh3) -> Option<()> {
    // Read once per run: a build asks for it more than once.
    static PROGRAM: std::sync::OnceLock<Option<crate::fs::Stamp>> = std::sync::OnceLock::new();
    let program = PROGRAM
        .get_or_init(|| {
            std::env::current_exe()
                .ok()
                .and_then(|exe| crate::fs::Stamp::read(&exe))
        })
        .as_ref()?;
    std::hash::Hash::hash(&program, hasher);
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(&[0]);
    Some(())
}

/// The forms kept in the cache folder `top`, saved by [`Forms::save`] if `saves`;
/// nothing is read yet.
fn unread_forms(top: &Path, saves: bool) -> Forms {
    Forms::in_memo(Memo::at(memo_path(top, "forms", STORED_TYPES), saves))
}

/// The file, in the cache folder `top`, of the memo named `name` of values computed by
/// code whose source is `sources` (with the code that stores it).
fn memo_path(top: &Path, name: &str, sources: &[&str]) -> PathBuf {
    let code = [sources.concat().as_str(), include_str!("memo.rs")].concat();
    let fingerprint = xxh3_128(code.as_bytes());
    top.join(format!("{MEMO}{name}-{:08x}", fingerprint as u32))
}

/// Creates the cache folder `top`, marked as a cache (`CACHEDIR.TAG`) that git ignores.
fn create_marked(top: &Path) -> std::io::Result<()> {
    if top.join("CACHEDIR.TAG").is_file() {
        return Ok(());
    }
    std::fs::create_dir_all(top)?;
    std::fs::write(top.join(".gitignore"), "*\n")?;
    std::fs::write(top.join("CACHEDIR.TAG"), CACHEDIR_TAG)
}
