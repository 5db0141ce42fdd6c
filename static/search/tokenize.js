/* errbook search, tokenize: the port of src/search/tokenize.rs. Text is folded (case,
 * accents), cut into words whose compounds (`gpt-4o`) are kept whole and in parts,
 * French elisions dropped; search terms leave out single letters and stop words.
 *
 * One part of search.js, which the theme assembles from static/search/ in the order
 * tokenize, evidence, match, client, ui, after `RULES` (the word lists, written by
 * src/search/rules.rs). Every part shares one scope. */

var STOP = new Set(RULES.stop_words);
var ELISIONS = new Set(RULES.elisions);
var WORD_CHAR = /^[\p{Alphabetic}\p{N}]$/u;
var NUMERIC = /^\p{N}$/u;

function fold(text) {
  return String(text).toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
}
function isWordChar(c) { return c !== undefined && WORD_CHAR.test(c); }
function isJoiner(c) { return c === "_" || c === "-" || c === "."; }
function isApostrophe(c) { return c === "'" || c === "\u2019"; }

function words(text) {
  var s = fold(text), n = s.length, out = [], i = 0;
  while (i < n) {
    if (!isWordChar(s[i])) { i++; continue; }
    var start = i, parts = [], partStart = i;
    for (;;) {
      while (i < n && isWordChar(s[i])) i++;
      parts.push(s.slice(partStart, i));
      if (i + 1 < n && isJoiner(s[i]) && isWordChar(s[i + 1])) { i++; partStart = i; } else break;
    }
    var whole = s.slice(start, i);
    var elided = parts.length === 1 && i + 1 < n && isApostrophe(s[i]) &&
      isWordChar(s[i + 1]) && ELISIONS.has(whole);
    if (!elided) out.push({ whole: whole, parts: parts });
  }
  return out;
}
function keeps(term) {
  return !(term.length === 1 && !NUMERIC.test(term)) && !STOP.has(term);
}
function terms(text) {
  var out = [];
  words(text).forEach(function (w) {
    var compound = w.parts.length > 1;
    if (compound || keeps(w.whole)) out.push(w.whole);
    if (compound) w.parts.forEach(function (p) { if (keeps(p)) out.push(p); });
  });
  return out;
}
function phrase(text) {
  return words(text).map(function (w) { return w.whole; }).join(" ");
}
