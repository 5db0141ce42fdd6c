//! Ids for imported items and entries, derived from their titles.
//!
//! Part of `import`. An id becomes an anchor (`#step-<id>`, see `model::item_anchor`)
//! and a slug a URL path, so both are made the way errbook makes a URL segment of a
//! text, `model::code_path` (accents dropped, every run of other characters one dash),
//! then lowercased to the slug form that `load::is_slug` accepts. The same title always
//! gives the same id; a repeated one gets `-2`, `-3`.

use crate::load::is_slug;
use crate::model::code_path;

/// Words an id keeps at most: anchors stay readable, and short titles keep them all.
const MAX_WORDS: usize = 6;

/// `Vérifier l'usage actuel` → `verifier-l-usage-actuel`; `None` when no letter or
/// digit is left.
pub(crate) fn derive_id(text: &str) -> Option<String> {
    let segment = code_path(&text.to_lowercase())?;
    let words: Vec<&str> = segment
        .split(['-', '_', '.'])
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS)
        .collect();
    let id = words.join("-");
    is_slug(&id).then_some(id)
}

/// Ids for `titles`, in order: each derived from its title, unique among them.
pub(crate) fn unique_ids<'a>(
    titles: impl IntoIterator<Item = &'a str>,
    fallback: &str,
) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for title in titles {
        let base = derive_id(title).unwrap_or_else(|| fallback.to_string());
        let mut id = base.clone();
        let mut n = 2;
        while ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        ids.push(id);
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::item_anchor;

    #[test]
    fn ids_are_slugs_of_the_titles() {
        let cases = [
            (
                "Vérifier votre compte OpenAI",
                Some("verifier-votre-compte-openai"),
            ),
            (
                "Ajouter une carte bancaire (SI PAS DÉJÀ FAIT)",
                Some("ajouter-une-carte-bancaire-si-pas"),
            ),
            (
                "Mapping frontend → backend",
                Some("mapping-frontend-backend"),
            ),
            ("insufficient_quota", Some("insufficient-quota")),
            ("`gpt-4.1` indisponible", Some("gpt-4-1-indisponible")),
            ("→ ✅", None),
        ];
        for (title, expected) in cases {
            assert_eq!(derive_id(title).as_deref(), expected, "{title:?}");
        }
    }

    #[test]
    fn repeated_titles_get_distinct_anchors() {
        let ids = unique_ids(["Wait", "Retry", "Wait", "✅", "Wait"], "item");
        assert_eq!(ids, ["wait", "retry", "wait-2", "item", "wait-3"]);
        assert_eq!(item_anchor("step", &ids[2]), "step-wait-2");
    }
}
