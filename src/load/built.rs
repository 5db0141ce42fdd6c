//! The match rules of `lookup`, read from a built site rather than from the content.
//!
//! Reading 10,000 entries takes far longer than a lookup should: when the site built
//! from the content is newer than every content file, `lookup` reads the keys of
//! `lookup/keys.json` and only the chunks of rules of the candidates.

use std::path::Path;

use anyhow::Context;

use crate::search::keys::{LOOKUP_KEYS, LookupKeys};
use crate::search::matcher::LOOKUP_VERSION;
use crate::search::{EntryRules, Evidence, LookupIndex};

/// The candidates' rules from the built site, if it is fresh and of this version.
pub(crate) fn load_built_lookup(root: &Path, evidence: &Evidence) -> Option<LookupIndex> {
    let stamp = super::load_content_stamp(root)?;
    let site = root.join(stamp.output);
    let path = site.join(LOOKUP_KEYS);
    let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
    if modified < stamp.newest {
        return None;
    }
    let keys: LookupKeys = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    if keys.version != LOOKUP_VERSION {
        return None;
    }
    let wanted = keys.candidates(evidence);
    let mut rules = Vec::with_capacity(wanted.len());
    let mut chunk: Option<(usize, Vec<EntryRules>)> = None;
    for entry in wanted {
        let number = entry / keys.per_chunk;
        if chunk.as_ref().is_none_or(|(n, _)| *n != number) {
            let file = site.join(keys.chunks.get(number)?);
            chunk = Some((
                number,
                serde_json::from_slice(&std::fs::read(file).ok()?).ok()?,
            ));
        }
        let (_, loaded) = chunk.as_ref()?;
        rules.push(loaded.get(entry % keys.per_chunk)?.clone());
    }
    Some(keys.index_of(rules))
}

/// The lookup index in the file at `path` (`lookup --index`), which must be of this
/// version of errbook.
pub(crate) fn load_lookup_file(path: &Path) -> anyhow::Result<LookupIndex> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    match serde_json::from_str::<LookupIndex>(&text) {
        Ok(parsed) if parsed.version == LOOKUP_VERSION => Ok(parsed),
        _ => anyhow::bail!(
            "{} is not a lookup index of this version of errbook",
            path.display()
        ),
    }
}
