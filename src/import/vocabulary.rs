//! The words that name the sections and labels of troubleshooting documents.
//!
//! Part of `import` (Markdown documents → entry YAML). A heading or a label is known by
//! its words alone, folded as search folds them (`search::tokenize::phrase`: no case,
//! accents, emoji, punctuation or elided articles), so that `## 🚨 CAUSES POSSIBLES`,
//! `## 2. Causes possibles` and `### Possible causes:` all name the causes. The words
//! come from the theme's own UI strings in each language (what errbook's export writes,
//! a knowledge base's overrides included) and from the usual hand-written variants below.

use crate::model::ChoiceKind;
use crate::render::theme::Strings;
use crate::search::tokenize::phrase;

/// The sections of a document, as the entry's fields they fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Meaning,
    Context,
    Causes,
    Steps,
    Alternatives,
    Checklist,
    Options,
    Faq,
    Support,
    Recap,
    Sources,
}

impl Kind {
    /// The entry's field, as the summary names it.
    pub(crate) fn field(self) -> &'static str {
        match self {
            Kind::Meaning => "meaning",
            Kind::Context => "context",
            Kind::Causes => "causes",
            Kind::Steps => "steps",
            Kind::Alternatives => "alternatives",
            Kind::Checklist => "checklist",
            Kind::Options => "options",
            Kind::Faq => "faq",
            Kind::Support => "support",
            Kind::Recap => "recap",
            Kind::Sources => "sources",
        }
    }
}

/// The labels of `**Label:** value` lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    Date,
    Received,
    Updated,
    Code,
    HttpStatus,
    Models,
    Quota,
    ApiKey,
    EnvVar,
    Email,
    Documentation,
    Status,
    SupportPage,
}

/// Each section's usual headings besides the theme's, folded, with their language
/// (`-` when both languages use the words).
const SECTIONS: &[(Kind, &str, &str)] = &[
    (Kind::Meaning, "fr", "probleme identifie"),
    (Kind::Meaning, "fr", "probleme"),
    (Kind::Meaning, "fr", "le probleme"),
    (Kind::Meaning, "fr", "ce que signifie erreur"),
    (Kind::Meaning, "fr", "que signifie cette erreur"),
    (Kind::Meaning, "fr", "signification"),
    (Kind::Meaning, "fr", "symptomes"),
    (Kind::Meaning, "fr", "explication"),
    (Kind::Meaning, "fr", "ce qui est passe"),
    (Kind::Meaning, "fr", "ce qui s est passe"),
    (Kind::Meaning, "en", "problem"),
    (Kind::Meaning, "en", "the problem"),
    (Kind::Meaning, "en", "problem identified"),
    (Kind::Meaning, "en", "what happened"),
    (Kind::Meaning, "en", "what it means"),
    (Kind::Meaning, "en", "what does this error mean"),
    (Kind::Meaning, "en", "meaning"),
    (Kind::Meaning, "en", "symptoms"),
    (Kind::Meaning, "-", "description"),
    (Kind::Context, "fr", "configuration actuelle"),
    (Kind::Context, "fr", "configuration verifiee"),
    (Kind::Context, "fr", "contexte"),
    (Kind::Context, "fr", "environnement"),
    (Kind::Context, "en", "current configuration"),
    (Kind::Context, "en", "current setup"),
    (Kind::Context, "en", "setup"),
    (Kind::Context, "en", "context"),
    (Kind::Context, "en", "environment"),
    (Kind::Context, "-", "configuration"),
    (Kind::Causes, "fr", "causes possibles"),
    (Kind::Causes, "fr", "causes probables"),
    (Kind::Causes, "fr", "pourquoi cette erreur"),
    (Kind::Causes, "fr", "pourquoi"),
    (Kind::Causes, "en", "why"),
    (Kind::Causes, "en", "possible causes"),
    (Kind::Causes, "en", "likely causes"),
    (Kind::Causes, "en", "why this happens"),
    (Kind::Causes, "en", "why it happens"),
    (Kind::Causes, "en", "root causes"),
    (Kind::Causes, "-", "causes"),
    (Kind::Causes, "-", "cause"),
    (Kind::Steps, "fr", "solutions a appliquer"),
    (Kind::Steps, "fr", "etapes"),
    (Kind::Steps, "fr", "comment corriger"),
    (Kind::Steps, "fr", "comment resoudre"),
    (Kind::Steps, "fr", "resolution"),
    (Kind::Steps, "fr", "marche a suivre"),
    (Kind::Steps, "fr", "correctifs"),
    (Kind::Steps, "en", "steps"),
    (Kind::Steps, "en", "how to fix"),
    (Kind::Steps, "en", "how to fix it"),
    (Kind::Steps, "en", "how to solve it"),
    (Kind::Steps, "en", "fixes"),
    (Kind::Steps, "en", "fix"),
    (Kind::Steps, "en", "resolution steps"),
    (Kind::Steps, "-", "solutions"),
    (Kind::Steps, "-", "solution"),
    (Kind::Alternatives, "fr", "alternative temporaire"),
    (Kind::Alternatives, "fr", "solutions de repli"),
    (Kind::Alternatives, "fr", "en attendant"),
    (Kind::Alternatives, "en", "temporary alternative"),
    (Kind::Alternatives, "en", "workarounds"),
    (Kind::Alternatives, "en", "workaround"),
    (Kind::Alternatives, "en", "meanwhile"),
    (Kind::Alternatives, "-", "alternatives"),
    (Kind::Checklist, "fr", "checklist de verification"),
    (Kind::Checklist, "fr", "liste de verification"),
    (Kind::Checklist, "fr", "a verifier"),
    (Kind::Checklist, "en", "verification checklist"),
    (Kind::Checklist, "en", "check list"),
    (Kind::Checklist, "en", "things to check"),
    (Kind::Checklist, "-", "checklist"),
    (Kind::Options, "fr", "ce que vous devez faire maintenant"),
    (Kind::Options, "fr", "que faire maintenant"),
    (Kind::Options, "fr", "que faire"),
    (Kind::Options, "en", "what to do now"),
    (Kind::Options, "en", "what you should do now"),
    (Kind::Options, "en", "what now"),
    (Kind::Options, "-", "options"),
    (Kind::Faq, "fr", "erreurs courantes"),
    (Kind::Faq, "fr", "erreurs frequentes"),
    (Kind::Faq, "fr", "pieges courants"),
    (Kind::Faq, "fr", "questions frequentes"),
    (Kind::Faq, "en", "common mistakes"),
    (Kind::Faq, "en", "common pitfalls"),
    (Kind::Faq, "en", "frequently asked questions"),
    (Kind::Faq, "-", "faq"),
    (Kind::Support, "fr", "obtenir de aide"),
    (Kind::Support, "fr", "aide"),
    (Kind::Support, "en", "getting help"),
    (Kind::Support, "en", "get help"),
    (Kind::Support, "en", "help"),
    (Kind::Support, "-", "contact"),
    (Kind::Support, "-", "support"),
    (Kind::Recap, "fr", "resume"),
    (Kind::Recap, "fr", "en resume"),
    (Kind::Recap, "fr", "recapitulatif"),
    (Kind::Recap, "fr", "en bref"),
    (Kind::Recap, "en", "summary"),
    (Kind::Recap, "en", "in short"),
    (Kind::Recap, "en", "recap"),
    (Kind::Recap, "en", "tl dr"),
    (Kind::Recap, "-", "conclusion"),
    (Kind::Sources, "fr", "liens utiles"),
    (Kind::Sources, "fr", "voir aussi"),
    (Kind::Sources, "fr", "pour aller plus loin"),
    (Kind::Sources, "en", "useful links"),
    (Kind::Sources, "en", "see also"),
    (Kind::Sources, "en", "further reading"),
    (Kind::Sources, "en", "links"),
    (Kind::Sources, "-", "references"),
    (Kind::Sources, "-", "sources"),
];

/// The theme's string that names each section.
const SECTION_KEYS: &[(Kind, &str)] = &[
    (Kind::Meaning, "section_meaning"),
    (Kind::Context, "section_context"),
    (Kind::Causes, "section_causes"),
    (Kind::Steps, "section_steps"),
    (Kind::Alternatives, "section_alternatives"),
    (Kind::Checklist, "section_checklist"),
    (Kind::Options, "section_options"),
    (Kind::Faq, "section_faq"),
    (Kind::Support, "section_support"),
    (Kind::Recap, "section_recap"),
    (Kind::Sources, "section_sources"),
];

/// The theme's string for each label, and the usual variants, folded.
const LABELS: &[(Label, &str, &[&str])] = &[
    (Label::Date, "date", &["date"]),
    (
        Label::Received,
        "received",
        &[
            "erreur",
            "error",
            "message",
            "erreur recue",
            "error received",
        ],
    ),
    (
        Label::Updated,
        "updated",
        &["mis a jour", "mise a jour", "updated", "last update"],
    ),
    (Label::Code, "code", &["code", "code erreur", "error code"]),
    (
        Label::HttpStatus,
        "http_status",
        &["http", "statut http", "http status"],
    ),
    (
        Label::Models,
        "models",
        &["modeles", "models", "modele", "model"],
    ),
    (Label::Quota, "quota", &["quota", "quotas", "prix", "price"]),
    (
        Label::ApiKey,
        "api_key",
        &["cle", "key", "inscription", "sign up", "signup"],
    ),
    (Label::EnvVar, "env_var", &["variable", "env", "env var"]),
    (Label::Email, "email", &["e-mail", "mail", "courriel"]),
    (Label::Documentation, "documentation", &["docs", "doc"]),
    (
        Label::Status,
        "status",
        &["statut", "etat", "status page", "page de statut"],
    ),
    (
        Label::SupportPage,
        "support_page",
        &["support", "aide", "help", "contact"],
    ),
];

/// Everything `import` knows how to read, in every language it reads.
pub(crate) struct Vocabulary {
    /// Folded headings: their section, and their language when only one uses them.
    sections: Vec<(String, Kind, Option<String>)>,
    labels: Vec<(String, Label)>,
    /// Folded month names, with their number.
    months: Vec<(String, u8)>,
    /// Folded words that open a step (`etape`, `step`) or an option (`option`).
    step_words: Vec<String>,
    option_words: Vec<String>,
    kinds: Vec<(String, ChoiceKind)>,
    /// Texts the export writes itself (`Cochez ce que vous avez fait :`), folded.
    boilerplate: Vec<String>,
    /// What the export's title starts with (`DIAGNOSTIC`), folded.
    diagnostic: Vec<String>,
}

impl Vocabulary {
    /// The vocabulary of the theme's strings in each language (`(code, strings)`) and
    /// of the built-in variants.
    pub(crate) fn new(strings: &[(String, Strings)]) -> Vocabulary {
        let mut v = Vocabulary {
            sections: SECTIONS
                .iter()
                .map(|(kind, lang, words)| {
                    let lang = (*lang != "-").then(|| lang.to_string());
                    (words.to_string(), *kind, lang)
                })
                .collect(),
            labels: Vec::new(),
            months: Vec::new(),
            step_words: Vec::new(),
            option_words: Vec::new(),
            kinds: Vec::new(),
            boilerplate: Vec::new(),
            diagnostic: vec!["diagnostic".to_string()],
        };
        for (label, _, words) in LABELS {
            v.labels
                .extend(words.iter().map(|w| (w.to_string(), *label)));
        }
        for (lang, strings) in strings {
            v.add_strings(lang, strings);
        }
        // Longer phrases first: `resume` must not win over `en resume`.
        v.sections
            .sort_by_key(|(words, ..)| std::cmp::Reverse(words.len()));
        v.labels
            .sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        v
    }

    fn add_strings(&mut self, lang: &str, strings: &Strings) {
        let get = |key: &str| {
            strings
                .get(key)
                .map(|s| phrase(s))
                .filter(|s| !s.is_empty())
        };
        for (kind, key) in SECTION_KEYS {
            let Some(raw) = strings.get(*key) else {
                continue;
            };
            // `Support {provider}`: the words around the provider's name.
            for part in raw.split("{provider}") {
                let words = phrase(part);
                if !words.is_empty() {
                    self.sections.push((words, *kind, Some(lang.to_string())));
                }
            }
        }
        for (label, key, _) in LABELS {
            self.labels.extend(get(key).map(|w| (w, *label)));
        }
        self.months
            .extend((1..=12u8).filter_map(|m| get(&format!("month_{m}")).map(|name| (name, m))));
        self.step_words.extend(get("step"));
        self.option_words.extend(get("option"));
        self.kinds
            .extend(get("recommended").map(|w| (w, ChoiceKind::Recommended)));
        self.kinds
            .extend(get("temporary").map(|w| (w, ChoiceKind::Temporary)));
        self.diagnostic.extend(get("diagnostic"));
        for key in ["checklist_intro", "support_intro", "verified"] {
            self.boilerplate.extend(get(key));
        }
    }

    /// The section a heading names, and the language of its words when only one
    /// language uses them.
    pub(crate) fn section(&self, heading: &str) -> Option<(Kind, Option<&str>)> {
        let words = without_numbering(&phrase(heading));
        if words.is_empty() {
            return None;
        }
        let found = self.sections.iter().find(|(known, ..)| {
            words == *known
                || words.starts_with(&format!("{known} "))
                || (known == "support" && words.split(' ').any(|w| w == "support"))
        })?;
        Some((found.1, found.2.as_deref()))
    }

    /// The label of a `Label:` text, if it is one.
    pub(crate) fn label(&self, text: &str) -> Option<Label> {
        let words = phrase(text);
        self.labels
            .iter()
            .find(|(known, _)| words == *known || words.starts_with(&format!("{known} ")))
            .map(|(_, label)| *label)
    }

    /// The month a folded word names.
    pub(crate) fn month(&self, word: &str) -> Option<u8> {
        self.months
            .iter()
            .find(|(name, _)| name == word || (word.len() >= 3 && name.starts_with(word)))
            .map(|(_, m)| *m)
    }

    /// Whether the folded word opens a step (`Étape 2 :`) or an option (`Option B :`).
    pub(crate) fn is_step_word(&self, word: &str) -> bool {
        self.step_words.iter().any(|w| w == word)
    }

    pub(crate) fn is_option_word(&self, word: &str) -> bool {
        self.option_words.iter().any(|w| w == word)
    }

    /// The kind of option that a parenthesised word names (`Recommandé`, `Temporary`).
    pub(crate) fn choice_kind(&self, text: &str) -> Option<ChoiceKind> {
        let words = phrase(text);
        self.kinds
            .iter()
            .find(|(known, _)| *known == words)
            .map(|(_, kind)| *kind)
    }

    /// Whether `text` is the word the export's titles start with (`DIAGNOSTIC`).
    pub(crate) fn is_diagnostic(&self, text: &str) -> bool {
        let words = phrase(text);
        self.diagnostic.contains(&words)
    }

    /// Whether `text` is one of the sentences the export writes by itself.
    pub(crate) fn is_boilerplate(&self, text: &str) -> bool {
        let words = phrase(text);
        self.boilerplate.contains(&words)
    }
}

/// Folded words without a leading number (`2 causes possibles` → `causes possibles`).
fn without_numbering(words: &str) -> String {
    let mut rest = words;
    while let Some((first, tail)) = rest.split_once(' ') {
        let numbering = first.chars().all(|c| c.is_ascii_digit() || c == '.')
            || matches!(
                first,
                "i" | "ii" | "iii" | "iv" | "v" | "vi" | "vii" | "viii" | "ix" | "x"
            );
        if !numbering {
            break;
        }
        rest = tail;
    }
    rest.to_string()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::load::load_strings;
    use crate::render::theme::merge_strings;

    /// The vocabulary of the embedded theme, in French and English.
    pub(crate) fn vocabulary() -> Vocabulary {
        let mut diagnostics = crate::diagnostic::Diagnostics::default();
        let root = std::path::Path::new("/nonexistent");
        let strings = ["fr", "en"].map(|lang| {
            let file = load_strings(root, lang);
            (
                lang.to_string(),
                merge_strings(lang, &file, &mut diagnostics),
            )
        });
        Vocabulary::new(&strings)
    }

    #[test]
    fn headings_are_known_by_their_words_in_either_language() {
        let v = vocabulary();
        let cases = [
            ("❌ PROBLÈME IDENTIFIÉ", Some((Kind::Meaning, Some("fr")))),
            (
                "✅ CONFIGURATION ACTUELLE (Vérifiée)",
                Some((Kind::Context, Some("fr"))),
            ),
            ("🚨 CAUSES POSSIBLES", Some((Kind::Causes, Some("fr")))),
            ("2. Possible causes", Some((Kind::Causes, Some("en")))),
            ("Why this happens", Some((Kind::Causes, Some("en")))),
            ("🔧 SOLUTIONS À APPLIQUER", Some((Kind::Steps, Some("fr")))),
            ("How to fix it", Some((Kind::Steps, Some("en")))),
            ("Solutions", Some((Kind::Steps, None))),
            (
                "💡 ALTERNATIVE TEMPORAIRE",
                Some((Kind::Alternatives, Some("fr"))),
            ),
            (
                "📋 CHECKLIST DE VÉRIFICATION",
                Some((Kind::Checklist, Some("fr"))),
            ),
            ("🎯 WHAT TO DO NOW", Some((Kind::Options, Some("en")))),
            ("⚠️ ERREURS COURANTES", Some((Kind::Faq, Some("fr")))),
            ("📞 SUPPORT OPENAI", Some((Kind::Support, None))),
            ("📞 GROQ SUPPORT", Some((Kind::Support, None))),
            ("✅ RÉSUMÉ", Some((Kind::Recap, Some("fr")))),
            ("In short", Some((Kind::Recap, Some("en")))),
            ("Liens utiles", Some((Kind::Sources, Some("fr")))),
            ("Historique des incidents", None),
        ];
        for (heading, expected) in cases {
            assert_eq!(v.section(heading), expected, "{heading:?}");
        }
    }

    #[test]
    fn labels_months_and_option_kinds_are_known_in_either_language() {
        let v = vocabulary();
        assert_eq!(v.label("Erreur reçue"), Some(Label::Received));
        assert_eq!(v.label("Error received"), Some(Label::Received));
        assert_eq!(v.label("Dernière mise à jour "), Some(Label::Updated));
        assert_eq!(v.label("Clé API"), Some(Label::ApiKey));
        assert_eq!(v.label("Couleur"), None);
        assert_eq!(v.month("janvier"), Some(1));
        assert_eq!(v.month("dec"), Some(12));
        assert_eq!(v.choice_kind("Recommandé"), Some(ChoiceKind::Recommended));
        assert_eq!(v.choice_kind("temporary"), Some(ChoiceKind::Temporary));
        assert!(v.is_boilerplate("Cochez ce que vous avez fait :"));
    }
}
