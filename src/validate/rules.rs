//! Rules across files: references to providers, and codes, slugs and aliases that
//! must be unique across entries.

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::load::{Loaded, RawEntries, RawEntry, Str, Unparsed, closest};
use crate::model::Provider;

/// Every provider an entry names, in `provider:` or among its alternatives, must exist;
/// an alternative must also say how it is presented (`alternative:` in its file).
/// A provider whose file did not parse is taken to exist: its own error says enough.
pub(crate) fn check_provider_references(
    providers: &[Provider],
    unparsed: &Unparsed,
    entries: &RawEntries,
    out: &mut Vec<Diagnostic>,
) {
    let ids: Vec<&str> = providers.iter().map(|p| p.id.as_str()).collect();
    let broken = |id: &str| unparsed.providers.iter().any(|p| p == id);
    for (path, loaded) in entries {
        let raw = &loaded.value;
        let unknown = |reference: &Str, what: &str| {
            let hint = match closest(&reference.value, &ids) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!(
                    "add content/providers/{}.yaml, or use one of: {}",
                    reference.value,
                    ids.join(", ")
                ),
            };
            error_at(
                loaded,
                reference,
                format!("unknown provider `{}` in `{what}`", reference.value),
            )
            .with_hint(hint)
        };
        if !ids.contains(&raw.provider.value.as_str()) {
            if !broken(&raw.provider.value) {
                out.push(unknown(&raw.provider, "provider"));
            }
        } else if raw.provider.value != path.folder {
            out.push(
                error_at(
                    loaded,
                    &raw.provider,
                    format!(
                        "this entry says `provider: {}` but lives in the `{}` folder",
                        raw.provider.value, path.folder
                    ),
                )
                .with_hint(format!(
                    "move it to content/errors/{}/, or correct `provider:`",
                    raw.provider.value
                )),
            );
        }
        for alternative in raw.alternatives.iter().flat_map(|a| &a.providers) {
            let reference = &alternative.provider;
            match providers.iter().find(|p| p.id == reference.value) {
                None if broken(&reference.value) => {}
                None => out.push(unknown(reference, "alternatives")),
                Some(p) if p.alternative.is_none() => out.push(
                    error_at(loaded, reference, format!("provider `{}` has no `alternative:` profile", p.id))
                        .with_hint(format!(
                            "add `alternative:` (tagline, models, quota, signup) to content/providers/{}.yaml",
                            p.id
                        )),
                ),
                Some(_) => {}
            }
        }
    }
}

/// Two entries of one provider may not share a code, and slugs and aliases of one
/// provider share one namespace, since both become URLs.
pub(crate) fn check_uniqueness(entries: &RawEntries, out: &mut Vec<Diagnostic>) {
    let mut codes: HashMap<(&str, &str), &Loaded<RawEntry>> = HashMap::new();
    let mut paths: HashMap<(&str, &str), String> = HashMap::new();
    for (path, loaded) in entries {
        paths.insert(
            (&path.folder, &path.slug),
            format!("the entry {}", loaded.file.path.display()),
        );
    }
    for (path, loaded) in entries {
        let raw = &loaded.value;
        let key = (raw.provider.value.as_str(), raw.code.value.as_str());
        if let Some(first) = codes.get(&key) {
            let line = first.value.code.location.line();
            out.push(
                error_at(loaded, &raw.code, format!("another `{}` entry already has the code `{}`", key.0, key.1))
                    .with_hint(format!(
                        "{}:{line} has it too; merge the two entries, or make one an alias of the other",
                        first.file.path.display()
                    )),
            );
        } else {
            codes.insert(key, loaded);
        }
        for alias in &raw.aliases {
            let key = (path.folder.as_str(), alias.value.as_str());
            match paths.get(&key) {
                Some(owner) => out.push(
                    error_at(
                        loaded,
                        alias,
                        format!("alias `{}` is already taken", alias.value),
                    )
                    .with_hint(format!(
                        "{owner} answers at that URL; an alias must be a slug no other entry uses"
                    )),
                ),
                None => {
                    paths.insert(key, format!("an alias of {}", loaded.file.path.display()));
                }
            }
        }
    }
}

/// Two codes of one provider may not share a short link (`/e/<provider>/<code>/`, with
/// the code in its path form).
pub(crate) fn check_short_links(entries: &RawEntries, out: &mut Vec<Diagnostic>) {
    let mut short_paths: HashMap<(String, String), &Loaded<RawEntry>> = HashMap::new();
    for (_, loaded) in entries {
        let raw = &loaded.value;
        if let Some(short) = crate::model::code_path(&raw.code.value) {
            let short_key = (raw.provider.value.clone(), short);
            match short_paths.get(&short_key) {
                Some(first) if first.value.code.value != raw.code.value => out.push(
                    error_at(
                        loaded,
                        &raw.code,
                        format!("the short link /e/{}/{}/ is taken", short_key.0, short_key.1),
                    )
                    .with_hint(format!(
                        "{} has the code `{}`, which becomes the same link; short links keep ASCII letters, digits, `_`, `-` and `.`",
                        first.file.path.display(),
                        first.value.code.value
                    )),
                ),
                Some(_) => {}
                None => {
                    short_paths.insert(short_key, loaded);
                }
            }
        }
    }
}

fn error_at(loaded: &Loaded<RawEntry>, value: &Str, message: String) -> Diagnostic {
    let position = loaded
        .file
        .position(&value.location, value.value.chars().count());
    Diagnostic::error(&loaded.file.path, message).at(position)
}
