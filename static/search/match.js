/* errbook search, match: which entries answer a pasted error (the port of
 * src/search/matcher.rs, with the points read from lookup.json), and which sections
 * answer a query (the ranking of the search index's postings). Uses evidence.js. */

/* ---- lookup (src/search/providers.rs, src/search/matcher.rs) ---- */
/* Does the error name this hint: a module prefix (`groq.`), a phrase, a domain with its
 * sub-domains and modules (`groq.com`, `google.genai`), or a word? */
function names(e, hint) {
  var starts = function (prefix) {
    return Array.from(e.words).some(function (w) { return w.indexOf(prefix) === 0; });
  };
  if (hint[hint.length - 1] === ".") return starts(hint);
  if (hint.indexOf(" ") >= 0) return e.phrase.indexOf(" " + hint + " ") >= 0;
  if (hint.indexOf(".") >= 0) {
    return e.words.has(hint) || e.hosts.some(function (h) { return isDomainOf(hint, h); }) || starts(hint + ".");
  }
  return e.words.has(hint);
}
function isDomainOf(hint, host) {
  return hint.indexOf(".") >= 0 && hint[hint.length - 1] !== "." && (host === hint ||
    (host.length > hint.length && host.slice(-hint.length) === hint && host[host.length - hint.length - 1] === "."));
}
/* The providers the error names, and whether a host of its URLs is no provider's. */
function namedProviders(providers, e) {
  var known = new Set();
  providers.forEach(function (p) {
    if (p.hints.some(function (h) { return names(e, h); })) known.add(p.id);
  });
  var unknown = e.hosts.some(function (host) {
    return !providers.some(function (p) { return p.hints.some(function (h) { return isDomainOf(h, host); }); });
  });
  return { known: known, unknown: unknown };
}
/* The points of one entry and whether it is trusted, or null when nothing identifies it. */
function score(r, e, named, P) {
  var code = r.code.toLowerCase(), total = 0, identified = false, contrary = false;
  [[e.codes, r.codes, P.code, P.code_mismatch], [e.reasons, r.reasons, P.reason, P.reason_mismatch],
    [e.types, r.types, P.type, P.type_mismatch], [e.statuses, r.statuses, P.status, P.status_mismatch]]
    .forEach(function (k) {
      var found = k[0], listed = k[1] || [];
      if (found.some(function (f) { return f === code || listed.indexOf(f) >= 0; })) {
        total += k[2]; identified = true;
      } else if (found.length && listed.length) { total += k[3]; contrary = true; }
    });
  if (!identified && [code].concat(r.codes || [], r.reasons || [], r.statuses || [])
    .some(function (id) { return (id.indexOf("_") >= 0 && e.words.has(id)) || e.shouted.has(id); })) {
    total += P.code_in_text; identified = true;
  }
  var contains = function (m) { return !!m && e.phrase.indexOf(" " + m + " ") >= 0; };
  var messages = r.messages || [], worded = false;
  if (contains(r.message)) { total += P.message + P.full_message; worded = true; }
  else if (messages.some(contains)) { total += P.message; worded = true; }
  else if (e.hasMessage && messages.length) { total += P.message_mismatch; contrary = true; }
  identified = identified || worded;
  var agrees = true;
  if (e.http !== null && r.http && r.http.length) {
    agrees = r.http.indexOf(e.http) >= 0;
    total += agrees ? P.http_match : P.http_mismatch;
  }
  var own = named.known.has(r.provider);
  if (named.known.size) total += own ? P.provider : P.other_provider;
  var elsewhere = named.unknown || (named.known.size > 0 && !own);
  var trusted = agrees && (own || (!elsewhere && (worded || !contrary)));
  return identified ? { total: total, trusted: trusted } : null;
}
/* `entries`: [{i: the entry's number, r: its rules}], in entry order. */
function match(P, providers, entries, e) {
  var named = namedProviders(providers, e);
  var candidates = [];
  entries.forEach(function (x) {
    var s = score(x.r, e, named, P);
    if (s !== null && s.total > 0) candidates.push({ entry: x.i, score: s.total, trusted: s.trusted, rules: x.r });
  });
  candidates.sort(function (a, b) { return b.score - a.score || a.entry - b.entry; });
  var best = candidates.length ? candidates[0].score : 0;
  candidates = candidates.filter(function (c) { return c.score >= best - P.window; }).slice(0, P.max);
  var confident = candidates.length > 0 && candidates[0].trusted && best >= P.confident &&
    (candidates.length < 2 || best - candidates[1].score >= P.margin);
  return { candidates: candidates, confident: confident };
}

/* ---- search: postings merged and ranked ---- */
/* Two sorted postings as one, each document at its best weight. */
function mergeBest(a, b) {
  var n = a.docs.length + b.docs.length, docs = new Int32Array(n), weights = new Int32Array(n);
  var i = 0, j = 0, k = 0;
  while (i < a.docs.length && j < b.docs.length) {
    var da = a.docs[i], db = b.docs[j];
    docs[k] = Math.min(da, db);
    weights[k++] = da < db ? a.weights[i++] : db < da ? b.weights[j++] : Math.max(a.weights[i++], b.weights[j++]);
  }
  for (; i < a.docs.length; i++, k++) { docs[k] = a.docs[i]; weights[k] = a.weights[i]; }
  for (; j < b.docs.length; j++, k++) { docs[k] = b.docs[j]; weights[k] = b.weights[j]; }
  return { docs: docs.subarray(0, k), weights: weights.subarray(0, k) };
}
function halved(p) {
  return { docs: p.docs, weights: p.weights.map(function (w) { return Math.ceil(w / 2); }) };
}
/* A document matches a term if it holds it, or if its entry's top does (weight 1): "openai
 * carte" finds OpenAI's step about cards. Every term must match; if no document
 * matches them all, the documents that match the most come first. */
function matchAll(lists, bits, limit) {
  var span = 1 << bits, count = lists.length, total = 0, n = 0, g, j, local;
  lists.forEach(function (list) { total += list.docs.length; });
  var docs = new Int32Array(total), scores = new Int32Array(total);
  var rarest = lists.reduce(function (a, b) { return b.docs.length < a.docs.length ? b : a; });
  /* Per entry, the weight of each term in each section; `mark` says which entry wrote it. */
  var cursor = new Int32Array(count), w = new Int32Array(count * span), mark = new Int32Array(count * span);
  var seen = new Int32Array(span), touched = new Int32Array(span), last = -1;
  for (var i = 0; i < rarest.docs.length; i++) {
    var entry = rarest.docs[i] >> bits;
    if (entry === last) continue;
    last = entry;
    var base = entry << bits, end = base + span, stamp = entry + 1, nt = 0;
    for (g = 0; g < count; g++) {
      var list = lists[g];
      for (j = cursor[g]; j < list.docs.length && list.docs[j] < base; j++);
      for (; j < list.docs.length && list.docs[j] < end; j++) {
        local = list.docs[j] - base;
        w[g * span + local] = list.weights[j];
        mark[g * span + local] = stamp;
        if (seen[local] !== stamp) { seen[local] = stamp; touched[nt++] = local; }
      }
      cursor[g] = j;
    }
    for (var t = 0; t < nt; t++) {
      local = touched[t];
      var score = 0;
      for (g = 0; g < count; g++) {
        var at = g * span;
        var x = mark[at + local] === stamp ? w[at + local] : mark[at] === stamp ? 1 : 0;
        if (!x) break;
        score += x;
      }
      if (g === count) { docs[n] = base + local; scores[n++] = score; }
    }
  }
  var out = [];
  var floor = scoreFloor(scores.subarray(0, n), 64 * limit);
  for (j = 0; j < n; j++) if (scores[j] >= floor) out.push({ doc: docs[j], score: scores[j], matched: count });
  return out;
}
/* The lowest score worth sorting: only 3 sections per entry are shown and an entry has
 * at most 64, so the best 64×limit documents hold the first `limit` results (scores are
 * small integers: counting them finds the floor). */
function scoreFloor(scores, keep) {
  if (scores.length <= keep) return 0;
  var counts = new Map(), max = 0;
  for (var i = 0; i < scores.length; i++) {
    counts.set(scores[i], (counts.get(scores[i]) || 0) + 1);
    if (scores[i] > max) max = scores[i];
  }
  var values = Array.from(counts.keys()).sort(function (a, b) { return b - a; }), seen = 0;
  for (var k = 0; k < values.length; k++) {
    seen += counts.get(values[k]);
    if (seen >= keep) return values[k];
  }
  return 0;
}
function matchSome(lists, bits) {
  var docs = new Map();
  lists.forEach(function (list) {
    for (var i = 0; i < list.docs.length; i++) {
      var s = docs.get(list.docs[i]) || { doc: list.docs[i], score: 0, matched: 0 };
      s.score += list.weights[i];
      s.matched++;
      docs.set(list.docs[i], s);
    }
  });
  return Array.from(docs.values());
}

/* ---- search: typos ---- */
/* How many typos a term may hold, as Algolia and Typesense count them: none under four
 * letters, one under eight, two beyond; codes and numbers, never. */
function typoBudget(term) {
  if (/[0-9_]/.test(term) || term.length < 4) return 0;
  return term.length < 8 ? 1 : 2;
}
/* The edits from `a` to `b` (insert, delete, replace, swap two neighbours), or `max + 1`
 * once there are more than `max`. */
function editDistance(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  var prev2 = null, prev = [], row, i, j;
  for (j = 0; j <= b.length; j++) prev.push(j);
  for (i = 1; i <= a.length; i++) {
    row = [i];
    var best = i;
    for (j = 1; j <= b.length; j++) {
      var cost = a[i - 1] === b[j - 1] ? 0 : 1;
      var d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      row.push(d);
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
}
/* The distance from `term` to `candidate`, or to its start when `term` is still typed. */
function distanceTo(term, candidate, prefix, max) {
  if (!prefix) return editDistance(term, candidate, max);
  var best = max + 1;
  for (var n = Math.max(1, term.length - max); n <= Math.min(candidate.length, term.length + max); n++) {
    best = Math.min(best, editDistance(term, candidate.slice(0, n), max));
  }
  return best;
}
/* The terms of `vocabulary` nearest to `term`, within its typo budget (16 at most). */
function fuzzy(term, vocabulary, prefix) {
  var max = typoBudget(term), found = [], best = max + 1;
  if (!max) return found;
  vocabulary.forEach(function (t) {
    if (/[0-9]/.test(t)) return;
    var d = distanceTo(term, t, prefix, Math.min(max, best));
    if (d < best) { best = d; found = []; }
    if (d === best && d <= max && found.length < 16) found.push(t);
  });
  return found;
}
/* Up to `count` terms of `vocabulary` close to `term` (three edits at most), nearest first. */
function nearest(term, vocabulary, count) {
  var scored = [];
  vocabulary.forEach(function (t) {
    if (t.length < 3 || /[0-9]/.test(t)) return;
    var d = distanceTo(term, t, false, 3);
    if (d <= 3) scored.push([d, Math.abs(t.length - term.length), t]);
  });
  scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : 1); });
  return scored.slice(0, count).map(function (x) { return x[2]; });
}
