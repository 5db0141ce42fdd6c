//! The one tokenizer of errbook, for every language.
//!
//! The search index (`render/search.rs`), the lookup of pasted errors (`search/evidence.rs`,
//! `search/matcher.rs`) and the browser (`static/search/tokenize.js`, a line-for-line
//! port of this file) all cut text the same way, so that what is indexed is what is
//! searched:
//!
//! - text is lowercased, decomposed (NFKD) and stripped of its marks: "dépassé" and
//!   "depasse" are one word, and so are "ﬁ" and "fi";
//! - a word is a run of letters and digits; `_`, `-` and `.` between two of them join
//!   a compound (`insufficient_quota`, `gpt-4o`, `platform.openai.com`), which is kept
//!   whole *and* cut into its parts, so that an error code is found by any of them;
//! - French elisions (`l'`, `d'`, `qu'`, `jusqu'` …, with `'` or `’`) are dropped;
//! - digits are never dropped (`429`, `4o`); search terms leave out single letters and
//!   a short list of French and English function words, which carry no meaning alone.
//!
//! Characters outside the Basic Multilingual Plane are not letters here: it keeps the
//! byte order of Rust strings and the UTF-16 order of JavaScript strings the same.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Function words of French and English, left out of search terms (sorted).
pub(crate) const STOP_WORDS: &[&str] = &[
    "an", "and", "are", "as", "at", "au", "aux", "avec", "be", "by", "ce", "ces", "cet", "cette",
    "dans", "de", "des", "du", "elle", "en", "est", "et", "for", "from", "il", "in", "is", "it",
    "its", "la", "le", "les", "leur", "of", "on", "or", "ou", "par", "pour", "que", "qui", "sa",
    "se", "ses", "son", "sur", "that", "the", "this", "to", "un", "une", "vos", "votre", "was",
    "with", "you", "your",
];

/// Words that elide before a vowel in French: `l'erreur` is `erreur`.
pub(crate) const ELISIONS: &[&str] = &[
    "c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// One word of a text: a compound whole (`gpt-4o`) and its parts (`gpt`, `4o`), or a
/// plain word, with no parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    pub whole: String,
    pub parts: Vec<String>,
}

/// Lowercase, compatibility-decomposed, without marks.
pub(crate) fn fold(text: &str) -> String {
    // ASCII runs, most of any text, need none of the Unicode machinery.
    let mut out = String::with_capacity(text.len());
    let latin = &*FOLDED_LATIN;
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = ascii_prefix(rest.as_bytes());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        // Bytes of other characters are never ASCII.
        let other = rest
            .bytes()
            .position(|b| b.is_ascii())
            .unwrap_or(rest.len());
        let run = &rest[..other];
        let run_start = out.len();
        for c in run.chars() {
            if c == 'Σ' {
                // Only a capital sigma lowercases by its context (`ς` at the end of a
                // word): its run folds whole.
                out.truncate(run_start);
                out.extend(fold_by_unicode(&run.to_lowercase()));
                break;
            }
            match latin.get((c as usize).wrapping_sub(LATIN_START)) {
                Some(&Some(folded)) => out.push(folded),
                _ => out.extend(fold_by_unicode(c.encode_utf8(&mut [0; 4]))),
            }
        }
        rest = &rest[other..];
    }
    out
}

/// The length of the ASCII run that starts `bytes`, checked 16 bytes at a time where it
/// can be (`<[u8]>::is_ascii` reads whole words).
fn ascii_prefix(bytes: &[u8]) -> usize {
    let mut length = 0;
    for chunk in bytes.chunks(16) {
        if !chunk.is_ascii() {
            return length + chunk.iter().take_while(|b| b.is_ascii()).count();
        }
        length += chunk.len();
    }
    length
}

/// `text` lowercased, decomposed and without marks, by the Unicode tables. A character
/// folds alone: decomposition only reorders marks, which are dropped.
fn fold_by_unicode(text: &str) -> impl Iterator<Item = char> + '_ {
    let lower = text.chars().flat_map(char::to_lowercase);
    lower.nfkd().filter(|c| !is_combining_mark(*c))
}

/// The first character of Latin-1 Supplement, after ASCII.
const LATIN_START: usize = 0x80;

/// What each letter of Latin-1 Supplement and Latin Extended-A (`é`, `À`, `ç`, `œ` …)
/// folds to, when that is one character: the accents of French and of most languages
/// written in Latin letters, looked up instead of decomposed.
static FOLDED_LATIN: std::sync::LazyLock<Vec<Option<char>>> = std::sync::LazyLock::new(|| {
    (LATIN_START as u32..0x180)
        .map(|code| {
            let c = char::from_u32(code).expect("no surrogate below U+0180");
            let folded: Vec<char> = fold_by_unicode(c.encode_utf8(&mut [0; 4])).collect();
            match folded[..] {
                [one] => Some(one),
                _ => None,
            }
        })
        .collect()
});

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    (c.is_alphabetic() || c.is_numeric()) && (c as u32) < 0x10000
}

fn is_joiner(b: u8) -> bool {
    matches!(b, b'_' | b'-' | b'.')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

/// The words of `text`, folded, in order, elisions removed.
pub(crate) fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    visit_words(text, |whole, parts| {
        out.push(Word {
            whole: whole.to_string(),
            parts: parts.iter().map(|p| p.to_string()).collect(),
        });
    });
    out
}

/// Calls `visit` with each word of `text` (folded, elisions removed) and, for a
/// compound, its parts; nothing is allocated per word. Positions are byte offsets in
/// the folded text.
fn visit_words(text: &str, mut visit: impl FnMut(&str, &[&str])) {
    let folded = fold(text);
    let bytes = folded.as_bytes();
    // The start of each part, and where the part before it ends (before its joiner).
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut parts: Vec<&str> = Vec::new();
    let mut i = 0;
    while let Some(&first) = bytes.get(i) {
        if word_char_len(&folded, i) == 0 {
            i += if first.is_ascii() {
                1
            } else {
                folded[i..].chars().next().map_or(1, char::len_utf8)
            };
            continue;
        }
        let start = i;
        cuts.clear();
        loop {
            i = word_end(&folded, i);
            match bytes.get(i) {
                Some(&b) if is_joiner(b) && word_char_len(&folded, i + 1) > 0 => {
                    cuts.push((i, i + 1));
                    i += 1;
                }
                _ => break,
            }
        }
        let whole = &folded[start..i];
        let elided = cuts.is_empty()
            && ELISIONS.contains(&whole)
            && folded[i..]
                .chars()
                .next()
                .is_some_and(|c| is_apostrophe(c) && word_char_len(&folded, i + c.len_utf8()) > 0);
        if elided {
            continue;
        }
        parts.clear();
        if !cuts.is_empty() {
            let starts = std::iter::once(start).chain(cuts.iter().map(|&(_, s)| s));
            let ends = cuts.iter().map(|&(e, _)| e).chain([i]);
            parts.extend(starts.zip(ends).map(|(from, to)| &folded[from..to]));
        }
        visit(whole, &parts);
    }
}

/// Which ASCII bytes are word characters (letters and digits).
const ASCII_WORD: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// The length in bytes of the word character at `i` in `text`; 0 if there is none.
/// Most characters are ASCII, and are looked up without decoding.
#[inline]
fn word_char_len(text: &str, i: usize) -> usize {
    match text.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => usize::from(ASCII_WORD[usize::from(b)]),
        Some(_) => other_word_char_len(&text[i..]),
        None => 0,
    }
}

/// The length in bytes of the word character that starts `text`, not ASCII; 0 if it
/// is not one.
fn other_word_char_len(text: &str) -> usize {
    let c = text.chars().next();
    c.filter(|&c| is_word_char(c)).map_or(0, char::len_utf8)
}

/// Where the run of word characters at `i` in `text` ends.
#[inline]
fn word_end(text: &str, mut i: usize) -> usize {
    loop {
        match word_char_len(text, i) {
            0 => return i,
            length => i += length,
        }
    }
}

/// The search terms of `text`: each word whole, then its parts, without single
/// letters or function words, duplicates kept (the index counts what it needs).
pub(crate) fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, |term| out.push(term.to_string()));
    out
}

/// Calls `visit` with each search term of `text`, as [`terms`] lists them.
pub(crate) fn for_each_term(text: &str, mut visit: impl FnMut(&str)) {
    visit_words(text, |whole, parts| {
        let compound = !parts.is_empty();
        if compound || keeps(whole) {
            visit(whole);
        }
        for part in parts.iter().filter(|p| keeps(p)) {
            visit(part);
        }
    });
}

/// The length of the longest stop word, in bytes: longer terms are not looked up.
const LONGEST_STOP_WORD: usize = 5;

/// A word of up to 8 bytes as one number, its first byte highest and the rest zero:
/// numbers sort as the words do, and compare in one instruction.
const fn packed(word: &[u8]) -> u64 {
    let mut number = 0;
    let mut i = 0;
    while i < word.len() {
        number |= (word[i] as u64) << (56 - 8 * i);
        i += 1;
    }
    number
}

/// [`STOP_WORDS`], packed (and so still sorted).
const PACKED_STOP_WORDS: [u64; STOP_WORDS.len()] = {
    let mut out = [0; STOP_WORDS.len()];
    let mut i = 0;
    while i < STOP_WORDS.len() {
        out[i] = packed(STOP_WORDS[i].as_bytes());
        i += 1;
    }
    out
};

fn keeps(term: &str) -> bool {
    // Longer than any stop word, and than any one character.
    if term.len() > LONGEST_STOP_WORD {
        return true;
    }
    let mut chars = term.chars();
    let single_letter = matches!((chars.next(), chars.next()), (Some(c), None) if !c.is_numeric());
    !single_letter
        && PACKED_STOP_WORDS
            .binary_search(&packed(term.as_bytes()))
            .is_err()
}

/// `text` as a phrase: its whole words joined by one space, for matching messages
/// word for word whatever their punctuation, case or accents.
pub(crate) fn phrase(text: &str) -> String {
    let mut out = String::new();
    visit_words(text, |whole, _| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(whole);
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_follow_the_shared_table() {
        // The same table is checked against static/search/tokenize.js by the browser test.
        let table: Vec<(String, Vec<String>)> =
            serde_json::from_str(include_str!("../../tests/fixtures/search/tokenizer.json"))
                .expect("the tokenizer table is JSON");
        assert!(table.len() >= 10);
        for (text, expected) in table {
            assert_eq!(terms(&text), expected, "terms of {text:?}");
        }
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search_and_none_is_longer_than_the_limit() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(PACKED_STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        let longest = STOP_WORDS.iter().map(|w| w.len()).max();
        assert_eq!(longest, Some(LONGEST_STOP_WORD));
    }

    #[test]
    fn folding_lowercases_decomposes_and_strips_marks() {
        let cases = [
            ("Éé ﬁ Ç", "ee fi c"),
            ("İstanbul", "istanbul"),
            ("Straße", "straße"),
            // A capital sigma ends a word as `ς` (a lowercase in context).
            ("ΟΔΟΣ ΣΑΣ", "οδος σας"),
        ];
        for (text, folded) in cases {
            assert_eq!(fold(text), folded, "{text:?}");
        }
    }

    #[test]
    fn the_latin_table_folds_as_the_unicode_tables_do() {
        // Every character of the Basic Multilingual Plane, in runs and alone, after
        // an ASCII letter and before a combining mark.
        let all: String = (0x20..0x10000).filter_map(char::from_u32).collect();
        let by_unicode = |text: &str| fold_by_unicode(&text.to_lowercase()).collect::<String>();
        assert_eq!(fold(&all), by_unicode(&all));
        for c in (0x80..0x300).filter_map(char::from_u32) {
            let text = format!("A{c}\u{301}É");
            assert_eq!(fold(&text), by_unicode(&text), "{c:?}");
        }
    }

    #[test]
    fn phrases_ignore_case_accents_and_punctuation() {
        let cases = [
            (
                "You exceeded your CURRENT quota.",
                "you exceeded your current quota",
            ),
            ("Quota  dépassé !", "quota depasse"),
            ("L’erreur d'API", "erreur api"),
            ("model `gpt-4o`: 429", "model gpt-4o 429"),
        ];
        for (text, expected) in cases {
            assert_eq!(phrase(text), expected, "{text:?}");
        }
    }
}
