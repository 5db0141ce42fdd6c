//! The pipeline's rebuild for `serve` against full builds: what a rebuild renders, and
//! what it reuses; and `build`'s render units, kept from one render to the next, against
//! the same.

use std::collections::HashMap;
use std::fs;
use std::sync::{Arc, Mutex};

use super::*;

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for item in fs::read_dir(from).unwrap() {
        let item = item.unwrap();
        let target = to.join(item.file_name());
        if item.file_type().unwrap().is_dir() {
            copy_dir(&item.path(), &target);
        } else {
            fs::copy(item.path(), target).unwrap();
        }
    }
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} lacks {from:?}");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

const QUOTA: &str = "content/errors/openai/quota.yaml";

/// One change to the minimal fixture, how many of the site's pages a rebuild may
/// take from the previous one, and how many of its entries it need not parse again.
struct Case {
    name: &'static str,
    change: fn(&Path),
    pages_reused: usize,
    entries_kept: usize,
}

#[test]
fn a_rebuild_renders_what_a_full_build_renders_and_reuses_the_rest() {
    let cases = [
        Case {
            name: "nothing changed",
            change: |_| {},
            pages_reused: 22,
            entries_kept: 2,
        },
        Case {
            name: "an entry's title",
            change: |root| edit(root, QUOTA, "Quota insuffisant", "Plus de quota"),
            pages_reused: 14,
            entries_kept: 1,
        },
        Case {
            name: "a new entry",
            change: |root| {
                let text = fs::read_to_string(root.join(QUOTA)).unwrap();
                let text = text.replace("code: insufficient_quota", "code: other_quota");
                fs::write(root.join("content/errors/openai/quota-2.yaml"), text).unwrap();
            },
            pages_reused: 18,
            entries_kept: 2,
        },
        Case {
            name: "a deleted entry",
            change: |root| {
                fs::remove_file(root.join("content/errors/groq/rate-limit.yaml")).unwrap()
            },
            pages_reused: 14,
            entries_kept: 1,
        },
        Case {
            name: "a provider",
            change: |root| edit(root, "content/providers/groq.yaml", "Groq", "GroqCloud"),
            pages_reused: 0,
            entries_kept: 2,
        },
        Case {
            name: "a template",
            change: |root| {
                fs::create_dir_all(root.join("templates")).unwrap();
                fs::write(
                    root.join("templates/404.html"),
                    "{% extends \"base.html\" %}{% block main %}Lost{% endblock main %}",
                )
                .unwrap();
            },
            pages_reused: 0,
            entries_kept: 2,
        },
        Case {
            name: "a stylesheet only",
            change: |root| {
                fs::create_dir_all(root.join("static")).unwrap();
                fs::write(root.join("static/style.css"), "body { color: red }").unwrap();
            },
            pages_reused: 22,
            entries_kept: 2,
        },
    ];
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    let settings = BuildSettings::default();
    for case in cases {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture, dir.path());
        let mut cache = BuildCache::for_serve(dir.path(), false);
        let before = rebuild_site(dir.path(), &settings, None, &mut cache)
            .unwrap()
            .site;
        assert_eq!(before.stats.pages_reused, 0, "{}", case.name);

        let nothing = HashMap::new();
        let first = render_units(dir.path(), &nothing)
            .units
            .into_inner()
            .unwrap();
        (case.change)(dir.path());
        let kept = render_units(dir.path(), &first);
        let mut rendered_by_units = kept.files.into_inner().unwrap();
        let rendered_pages = kept.pages_rendered.into_inner();

        let after = rebuild_site(dir.path(), &settings, Some(&before), &mut cache)
            .unwrap()
            .site;
        let (_, mut full) = build_site(dir.path()).unwrap();
        full.sort_by(|a, b| a.path.cmp(&b.path));
        rendered_by_units.sort_by(|a, b| a.path.cmp(&b.path));
        assert!(rendered_by_units == full, "{}: the units differ", case.name);
        // serve renders the data files apart, after the pages.
        let data = crate::render::collect_data_files(after.kb(), after.theme(), None);
        let mut rebuilt: Vec<_> = after
            .files()
            .map(|f| f.as_ref())
            .chain(&data)
            .map(|f| (&f.path, &f.bytes))
            .collect();
        rebuilt.sort();
        let mut expected: Vec<_> = full.iter().map(|f| (&f.path, &f.bytes)).collect();
        expected.sort();
        assert!(rebuilt == expected, "{}: the rebuild differs", case.name);
        assert_eq!(after.stats.pages_reused, case.pages_reused, "{}", case.name);
        let kept = after
            .kb()
            .entries
            .iter()
            .filter(|e| before.kb().entries.iter().any(|b| Arc::ptr_eq(b, e)))
            .count();
        assert_eq!(
            kept, case.entries_kept,
            "{}: entries not parsed again",
            case.name
        );
        let pages = full
            .iter()
            .filter(|f| crate::render::is_page(&f.path))
            .count();
        assert_eq!(
            after.stats.pages_rendered + after.stats.pages_reused,
            pages,
            "{}",
            case.name
        );
        assert_eq!(
            rendered_pages, after.stats.pages_rendered,
            "{}: build renders what serve renders",
            case.name
        );
    }
}

/// A sink that keeps the files of each unit in memory, as `build` keeps them in the
/// live site, and takes them from the render before it.
struct KeptUnits<'a> {
    before: &'a HashMap<u128, Vec<OutputFile>>,
    units: Mutex<HashMap<u128, Vec<OutputFile>>>,
    files: Mutex<Vec<OutputFile>>,
    pages_rendered: AtomicUsize,
}

impl Sink for KeptUnits<'_> {
    fn put(&self, files: Vec<OutputFile>) {
        self.files.lock().unwrap().extend(files);
    }

    fn unit_salt(&self) -> Option<u128> {
        Some(7)
    }

    fn reuse_unit(&self, unit: u128) -> Option<Vec<String>> {
        let files = self.before.get(&unit)?.clone();
        let paths = files.iter().map(|f| f.path.clone()).collect();
        self.put_kept(unit, files);
        Some(paths)
    }

    fn put_unit(&self, unit: u128, files: Vec<OutputFile>) {
        let pages = files.iter().filter(|f| is_page(&f.path)).count();
        self.pages_rendered.fetch_add(pages, Ordering::Relaxed);
        self.put_kept(unit, files);
    }
}

impl KeptUnits<'_> {
    fn put_kept(&self, unit: u128, files: Vec<OutputFile>) {
        let previous = self.units.lock().unwrap().insert(unit, files.clone());
        assert!(previous.is_none(), "two units with one fingerprint");
        self.put(files);
    }
}

/// Renders the site at `root` into a [`KeptUnits`] that takes its units from `before`.
fn render_units<'a>(root: &Path, before: &'a HashMap<u128, Vec<OutputFile>>) -> KeptUnits<'a> {
    let mut cache = BuildCache::default();
    let progress = Progress::hidden();
    let inputs = prepare(root, &BuildSettings::default(), &progress, &mut cache)
        .unwrap_or_else(|_| panic!("the fixture builds"));
    let sink = KeptUnits {
        before,
        units: Mutex::default(),
        files: Mutex::default(),
        pages_rendered: AtomicUsize::new(0),
    };
    render_site(&inputs.kb, &inputs.theme, &sink, &progress, None).unwrap();
    sink
}
