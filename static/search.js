/* errbook search: the search box of every page, the search page, the lookup page, and
 * pasted errors.
 *
 * The first half is a port of src/search/ (tokenize.rs, redact.rs, literal.rs,
 * evidence.rs, matcher.rs): keep them in step. The tables in tests/fixtures/ (tokenizer,
 * redaction, golden lookups) are checked against both by the test suite.
 * Plain JavaScript, no dependencies; the index loads on the first focus of the box. */
(function () {
  "use strict";

  /* ---- tokenizer (src/search/tokenize.rs) ---- */
  var STOP = new Set(("au aux avec ce ces cet cette dans de des du elle en est et il la le les " +
    "leur ou par pour qui que se ses son sa sur un une vos votre an and are as at be by for " +
    "from in is it its of on or the this that to was with you your").split(" "));
  var ELISIONS = new Set("c d j l m n s t qu jusqu lorsqu puisqu quoiqu".split(" "));
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

  /* ---- redaction (src/search/redact.rs) ---- */
  var SECRET = /(?<![A-Za-z0-9])(?:((?:sk-|sk_|AIza|gsk_|xai-|org-|org_|proj_)[A-Za-z0-9_-]{8,})|([Bb][Ee][Aa][Rr][Ee][Rr]\s+)[A-Za-z0-9._~+\/=-]{8,})/g;
  function redact(text) {
    return String(text).replace(SECRET, function (m, key, bearer) {
      return key ? "[REDACTED]" : bearer + "[REDACTED]";
    });
  }

  /* ---- forgiving JSON / Python literal reader (src/search/literal.rs) ---- */
  var MAX_DEPTH = 32, MAX_ATTEMPTS = 256;
  function findObjects(text) {
    var found = [], i = 0, attempts = 0;
    while (i < text.length && attempts < MAX_ATTEMPTS) {
      if (text[i] === "{") {
        attempts++;
        var r = new Reader(text, i), value = r.value(0);
        if (value !== undefined) { found.push(value); i = r.pos; continue; }
      }
      i++;
    }
    return found;
  }
  function Reader(s, pos) { this.s = s; this.pos = pos; }
  Reader.prototype.skip = function () { while (this.pos < this.s.length && /\s/.test(this.s[this.pos])) this.pos++; };
  Reader.prototype.eat = function (c) { this.skip(); if (this.s[this.pos] === c) { this.pos++; return true; } return false; };
  Reader.prototype.next = function () { this.skip(); return this.s[this.pos]; };
  Reader.prototype.value = function (depth) {
    if (depth > MAX_DEPTH) return undefined;
    this.skip();
    var c = this.s[this.pos];
    if (c === undefined) return undefined;
    if (c === "{") return this.map(depth);
    if (c === "[") return this.list(depth);
    if (c === '"' || c === "'") return this.string();
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    var word = this.bare();
    if (word === "null" || word === "None") return null;
    if (word === "true" || word === "True") return true;
    if (word === "false" || word === "False") return false;
    return undefined;
  };
  Reader.prototype.map = function (depth) {
    this.pos++;
    var items = [];
    for (;;) {
      if (this.eat("}")) return { map: items };
      this.skip();
      var c = this.s[this.pos];
      if (c === undefined) return undefined;
      var key = (c === '"' || c === "'") ? this.string() : this.bare();
      if (key === undefined || !this.eat(":")) return undefined;
      var v = this.value(depth + 1);
      if (v === undefined) return undefined;
      items.push([key, v]);
      if (!this.eat(",") && this.next() !== "}") return undefined;
    }
  };
  Reader.prototype.list = function (depth) {
    this.pos++;
    var items = [];
    for (;;) {
      if (this.eat("]")) return items;
      var v = this.value(depth + 1);
      if (v === undefined) return undefined;
      items.push(v);
      if (!this.eat(",") && this.next() !== "]") return undefined;
    }
  };
  Reader.prototype.bare = function () {
    var start = this.pos;
    while (this.pos < this.s.length && /[A-Za-z0-9_]/.test(this.s[this.pos])) this.pos++;
    return this.pos > start ? this.s.slice(start, this.pos) : undefined;
  };
  Reader.prototype.number = function () {
    var start = this.pos;
    while (this.pos < this.s.length && /[0-9+\-.eE]/.test(this.s[this.pos])) this.pos++;
    var text = this.s.slice(start, this.pos), n = Number(text);
    return isNaN(n) ? undefined : { number: n };
  };
  Reader.prototype.string = function () {
    var quote = this.s[this.pos++], out = "";
    for (;;) {
      var c = this.s[this.pos++];
      if (c === undefined) return undefined;
      if (c === quote) return out;
      if (c !== "\\") { out += c; continue; }
      var e = this.s[this.pos++];
      if (e === undefined) return undefined;
      var map = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" };
      if (map[e]) out += map[e];
      else if (e === "u" || e === "x") {
        var ch = this.hex(e === "u" ? 4 : 2);
        if (ch === undefined) return undefined;
        out += ch;
      } else out += e;
    }
  };
  Reader.prototype.hex = function (count) {
    var digits = this.s.slice(this.pos, this.pos + count);
    if (digits.length < count || !/^[0-9a-fA-F]+$/.test(digits)) return undefined;
    var code = parseInt(digits, 16);
    this.pos += count;
    if (code >= 0xd800 && code < 0xdc00 && this.s.slice(this.pos, this.pos + 2) === "\\u") {
      var low = this.s.slice(this.pos + 2, this.pos + 6);
      if (/^[0-9a-fA-F]{4}$/.test(low) && parseInt(low, 16) >= 0xdc00 && parseInt(low, 16) < 0xe000) {
        this.pos += 6;
        return String.fromCharCode(code, parseInt(low, 16));
      }
    }
    if (code >= 0xd800 && code < 0xe000) return "\ufffd";
    return String.fromCharCode(code);
  };

  /* ---- evidence (src/search/evidence.rs) ---- */
  var MAX_INPUT_CHARS = 20000, MAX_NESTING = 3;
  var STATUS_KEYS = new Set(["code", "status", "status_code", "statuscode", "http_status", "httpstatus", "http_code"]);
  var MESSAGE_KEYS = new Set(["message", "msg", "detail", "error_description", "error"]);
  var LISTS = { code: "codes", error_code: "codes", errorcode: "codes", type: "types", status: "statuses", reason: "reasons" };

  function readEvidence(input, httpStatus) {
    var text = redact(Array.from(String(input)).slice(0, MAX_INPUT_CHARS).join(""));
    var e = { http: null, codes: [], types: [], statuses: [], reasons: [], words: new Set(), phrase: "", hasMessage: false };
    var strings = [];
    findObjects(text).forEach(function (o) { collect(e, o, "", strings, 0); });
    var phrases = [phrase(text)].concat(strings.map(phrase));
    [text].concat(strings).forEach(function (source) {
      words(source).forEach(function (w) {
        w.parts.forEach(function (p) { e.words.add(p); });
        e.words.add(w.whole);
      });
    });
    e.phrase = " " + phrases.join(" | ") + " ";
    e.shouted = new Set(text.split(/[^A-Za-z0-9_]+/).filter(function (w) {
      return (w.match(/[A-Za-z]/g) || []).length >= 4 && !/[a-z]/.test(w);
    }).map(function (w) { return w.toLowerCase(); }));
    e.http = httpStatus || e.http || statusInText(text);
    return e;
  }
  function asciiLower(s) { return s.replace(/[A-Z]/g, function (c) { return c.toLowerCase(); }); }
  function collect(e, value, key, strings, depth) {
    if (value === null || typeof value === "boolean") return;
    if (Array.isArray(value)) { value.forEach(function (v) { collect(e, v, key, strings, depth); }); return; }
    if (value.map) { value.map.forEach(function (kv) { collect(e, kv[1], asciiLower(kv[0]), strings, depth); }); return; }
    if (value.number !== undefined) { if (STATUS_KEYS.has(key)) noteStatus(e, value.number); return; }
    var trimmed = value.trim();
    if (/^\+?[0-9]+$/.test(trimmed) && Number(trimmed) <= 65535 && STATUS_KEYS.has(key)) {
      noteStatus(e, Number(trimmed));
      return;
    }
    if (trimmed && MESSAGE_KEYS.has(key)) e.hasMessage = true;
    var folded = trimmed.toLowerCase(), list = LISTS[key] && e[LISTS[key]];
    if (list && folded && list.indexOf(folded) < 0) list.push(folded);
    strings.push(value);
    if (depth < MAX_NESTING && trimmed.indexOf("{") >= 0) {
      findObjects(trimmed).forEach(function (o) { collect(e, o, "", strings, depth + 1); });
    }
  }
  function noteStatus(e, n) {
    if (e.http === null && Number.isInteger(n) && n >= 100 && n <= 599) e.http = n;
  }
  function statusInText(text) {
    var wholes = words(text).map(function (w) { return w.whole; });
    for (var i = 0; i < wholes.length; i++) {
      var w = wholes[i];
      if (!/^[0-9]{3}$/.test(w) || Number(w) < 100 || Number(w) > 599) continue;
      var prev = i > 0 ? wholes[i - 1] : null;
      if (prev === null || ["code", "status", "http", "1.0", "1.1", "2"].indexOf(prev) >= 0 ||
        /error$/.test(prev) || /exception$/.test(prev)) return Number(w);
    }
    return null;
  }

  /* ---- matcher (src/search/matcher.rs) ---- */
  function names(e, hint) {
    return hint.indexOf(" ") >= 0 ? e.phrase.indexOf(" " + hint + " ") >= 0 : e.words.has(hint);
  }
  function score(r, e, named, P) {
    var code = r.code.toLowerCase(), total = 0, identified = false;
    [[e.codes, r.codes, P.code, P.code_mismatch], [e.reasons, r.reasons, P.reason, P.reason_mismatch],
      [e.types, r.types, P.type, P.type_mismatch], [e.statuses, r.statuses, P.status, P.status_mismatch]]
      .forEach(function (k) {
        var found = k[0], listed = k[1] || [];
        if (found.some(function (f) { return f === code || listed.indexOf(f) >= 0; })) {
          total += k[2]; identified = true;
        } else if (found.length && listed.length) total += k[3];
      });
    if (!identified && [code].concat(r.codes || [], r.reasons || [], r.statuses || [])
      .some(function (id) { return (id.indexOf("_") >= 0 && e.words.has(id)) || e.shouted.has(id); })) {
      total += P.code_in_text; identified = true;
    }
    var contains = function (m) { return !!m && e.phrase.indexOf(" " + m + " ") >= 0; };
    var full = contains(r.message);
    if (full || (r.messages || []).some(contains)) { total += P.message; identified = true; }
    if (full) total += P.full_message;
    else if (e.hasMessage && (r.messages || []).length && !r.messages.some(contains)) total += P.message_mismatch;
    if (e.http !== null && r.http && r.http.length) total += r.http.indexOf(e.http) >= 0 ? P.http_match : P.http_mismatch;
    if (named.size) total += named.has(r.provider) ? P.provider : P.other_provider;
    return identified ? total : null;
  }
  /* `entries`: [{i: the entry's number, r: its rules}], in entry order. */
  function match(P, providers, entries, e) {
    var named = new Set();
    providers.forEach(function (p) {
      if (p.hints.some(function (h) { return names(e, h); })) named.add(p.id);
    });
    var candidates = [];
    entries.forEach(function (x) {
      var s = score(x.r, e, named, P);
      if (s !== null && s > 0) candidates.push({ entry: x.i, score: s, rules: x.r });
    });
    candidates.sort(function (a, b) { return b.score - a.score || a.entry - b.entry; });
    var best = candidates.length ? candidates[0].score : 0;
    candidates = candidates.filter(function (c) { return c.score >= best - P.window; }).slice(0, P.max);
    var confident = best >= P.confident && (candidates.length < 2 || best - candidates[1].score >= P.margin);
    return { candidates: candidates, confident: confident };
  }

  /* ---- loading the index ---- */
  var cache = new Map();
  // `fresh`: revalidate with the server (the manifest is the one unhashed file).
  function fetchJson(url, fresh) {
    if (!cache.has(url)) {
      cache.set(url, fetch(url, fresh ? { cache: "no-cache" } : {}).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.json();
      }).catch(function (err) { cache.delete(url); throw err; }));
    }
    return cache.get(url);
  }

  /* One language's index, from its manifest URL. */
  function Site(manifestUrl, lang) {
    this.url = new URL(manifestUrl, location.href).href;
    this.lang = lang;
  }
  Site.prototype.manifest = function () { return fetchJson(this.url, true); };
  Site.prototype.resolve = function (path) { return new URL(path, this.url).href; };
  Site.prototype.entryUrl = function (id, anchor) {
    return this.resolve(this.lang + "/" + id + "/") + (anchor ? "#" + anchor : "");
  };
  Site.prototype.lookupKeys = function () {
    var self = this;
    return this.manifest().then(function (m) { return fetchJson(self.resolve(m.lookup)); });
  };

  /* The shards that may hold `term` (or, for a prefix, every term that starts with it). */
  function shardsFor(m, term, prefix) {
    var lo = 0, hi = m.shards.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (m.shards[mid][0] <= term) lo = mid; else hi = mid - 1;
    }
    var out = [m.shards[lo][1]];
    for (var k = lo + 1; prefix && k < m.shards.length && out.length < 4 && m.shards[k][0].startsWith(term); k++) {
      out.push(m.shards[k][1]);
    }
    return out;
  }

  /* A term's postings, decoded once: sorted documents and their weights. */
  var decoded = new Map();
  function decode(path, shard, term) {
    var key = path + " " + term;
    if (!decoded.has(key)) {
      var list = shard[term], n = list.length >> 1, doc = 0;
      var docs = new Int32Array(n), weights = new Int32Array(n);
      for (var i = 0; i < n; i++) { doc += list[2 * i]; docs[i] = doc; weights[i] = list[2 * i + 1]; }
      decoded.set(key, { docs: docs, weights: weights });
    }
    return decoded.get(key);
  }
  var shardTerms = new Map();
  function termsOf(path, shard) {
    if (!shardTerms.has(path)) shardTerms.set(path, Object.keys(shard));
    return shardTerms.get(path);
  }

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
  var expanded = new Map();

  /* The postings of one query term; a prefix takes the best weight of up to 64 terms
   * that start with it, halved. */
  Site.prototype.postings = function (m, term, prefix) {
    var self = this, paths = shardsFor(m, term, prefix), key = paths.join() + " " + term + " " + prefix;
    if (expanded.has(key)) return Promise.resolve(expanded.get(key));
    return Promise.all(paths.map(function (p) { return fetchJson(self.resolve(p)); })).then(function (shards) {
      var parts = [], expansions = 0;
      shards.forEach(function (shard, k) {
        if (Object.prototype.hasOwnProperty.call(shard, term)) parts.push(decode(paths[k], shard, term));
        if (!prefix) return;
        termsOf(paths[k], shard).forEach(function (t) {
          if (t !== term && t.startsWith(term) && expansions++ < 64) parts.push(halved(decode(paths[k], shard, t)));
        });
      });
      while (parts.length > 1) {
        var next = [];
        for (var i = 0; i < parts.length; i += 2) next.push(i + 1 < parts.length ? mergeBest(parts[i], parts[i + 1]) : parts[i]);
        parts = next;
      }
      var result = parts[0] || { docs: new Int32Array(0), weights: new Int32Array(0) };
      if (expanded.size > 256) expanded.clear();
      expanded.set(key, result);
      return result;
    });
  };

  /* Ranked sections for `query`: `limit` documents, at most 3 per entry. */
  Site.prototype.search = function (query, limit) {
    var self = this, typing = !/\s$/.test(query), ws = words(query);
    var groups = [];
    ws.forEach(function (w, i) {
      if (typing && i === ws.length - 1 && w.whole.length >= 2) { groups.push([w.whole, true]); return; }
      terms(w.whole).forEach(function (t) { groups.push([t, false]); });
    });
    var seen = new Set();
    groups = groups.filter(function (g) { var k = g.join(); if (seen.has(k)) return false; seen.add(k); return true; });
    if (!groups.length) return Promise.resolve([]);
    return this.manifest().then(function (m) {
      return Promise.all(groups.map(function (g) { return self.postings(m, g[0], g[1]); })).then(function (lists) {
        return self.rank(m, lists, limit || 10);
      });
    });
  };

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
  Site.prototype.rank = function (m, lists, limit) {
    var bits = m.section_bits, mask = (1 << bits) - 1;
    var all = matchAll(lists, bits, limit);
    if (!all.length) all = matchSome(lists, bits);
    all.sort(function (a, b) {
      return b.matched - a.matched || b.score - a.score || (a.doc & mask) - (b.doc & mask) || a.doc - b.doc;
    });
    var perEntry = new Map(), picked = [];
    for (var i = 0; i < all.length && picked.length < limit; i++) {
      var entry = all[i].doc >> bits, n = perEntry.get(entry) || 0;
      if (n < 3) { perEntry.set(entry, n + 1); picked.push(all[i]); }
    }
    return this.describe(m, picked.map(function (s) { return s.doc; }));
  };
  /* Titles and URLs of documents, from the entry chunks they live in. */
  Site.prototype.describe = function (m, docs) {
    var self = this, bits = m.section_bits;
    var chunks = Array.from(new Set(docs.map(function (d) { return Math.floor((d >> bits) / m.per_chunk); })));
    return Promise.all(chunks.map(function (c) { return fetchJson(self.resolve(m.chunks[c])); })).then(function (loaded) {
      var byChunk = new Map();
      chunks.forEach(function (c, i) { byChunk.set(c, loaded[i]); });
      return docs.map(function (d) {
        var entry = d >> bits, row = byChunk.get(Math.floor(entry / m.per_chunk))[entry % m.per_chunk];
        var section = row[6][d & ((1 << bits) - 1)];
        return { id: row[0], title: row[1], provider: row[2], code: row[3], http: row[4], summary: row[5],
          anchor: section[0], kind: section[1], section: section[2], url: self.entryUrl(row[0], section[0]) };
      });
    });
  };
  /* The entries that explain a pasted error: the keys file names the candidates (see
   * LookupIndex::keys: identifiers, and runs of one to three words of messages), and only
   * their chunks of rules are loaded. */
  Site.prototype.lookup = function (text, httpStatus) {
    var self = this;
    return this.lookupKeys().then(function (k) {
      var e = readEvidence(text, httpStatus || null), wanted = new Set();
      var probe = function (key) {
        if (Object.prototype.hasOwnProperty.call(k.keys, key)) k.keys[key].forEach(function (i) { wanted.add(i); });
      };
      [e.codes, e.types, e.statuses, e.reasons, e.words, e.shouted].forEach(function (keys) { keys.forEach(probe); });
      e.phrase.split(" | ").forEach(function (segment) {
        var ws = segment.trim().split(" ");
        for (var i = 0; i + 1 < ws.length; i++) {
          probe(ws[i] + " " + ws[i + 1]);
          if (i + 2 < ws.length) probe(ws[i] + " " + ws[i + 1] + " " + ws[i + 2]);
        }
      });
      var ids = Array.from(wanted).sort(function (a, b) { return a - b; });
      var chunks = Array.from(new Set(ids.map(function (i) { return Math.floor(i / k.per_chunk); })));
      return Promise.all(chunks.map(function (c) { return fetchJson(self.resolve(k.chunks[c])); })).then(function (loaded) {
        var byChunk = new Map();
        chunks.forEach(function (c, j) { byChunk.set(c, loaded[j]); });
        var entries = ids.map(function (i) { return { i: i, r: byChunk.get(Math.floor(i / k.per_chunk))[i % k.per_chunk] }; });
        var result = match(k.points, k.providers, entries, e);
        result.candidates.forEach(function (c) {
          var r = c.rules;
          c.id = r.id; c.provider = r.provider; c.code = r.code; c.http = r.http_status || null;
          c.anchor = r.anchor || ""; c.url = self.entryUrl(r.id, r.anchor);
          delete c.rules;
        });
        return result;
      });
    });
  };

  /* Does this text look like a whole error rather than a few words to search? */
  function looksLikeError(text) {
    var t = text.trim();
    return t.length >= 12 && (/[{}]/.test(t) || /\b[1-5][0-9]{2}\b/.test(t) || /[A-Za-z]+_[A-Za-z]/.test(t) ||
      words(t).length >= 5);
  }

  /* ---- user interface ---- */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  /* `text` with the words that start with a query term in <mark>, built as DOM nodes. */
  function highlight(text, query) {
    var qs = terms(query), frag = document.createDocumentFragment(), last = 0, m;
    var re = /[\p{Alphabetic}\p{N}]+/gu;
    while ((m = re.exec(text))) {
      var f = fold(m[0]);
      if (qs.some(function (q) { return f.startsWith(q); })) {
        frag.appendChild(document.createTextNode(text.slice(last, m.index)));
        frag.appendChild(el("mark", null, m[0]));
        last = m.index + m[0].length;
      }
    }
    frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }
  function resultNode(r, query, best) {
    var a = el("a", "sr-link");
    a.href = r.url;
    var title = el("span", "sr-title");
    title.appendChild(highlight(r.title, query));
    a.appendChild(title);
    if (r.kind > 0 && r.section) {
      var section = el("span", "sr-section");
      section.appendChild(highlight(r.section, query));
      a.appendChild(section);
    }
    var meta = [r.provider, r.http, r.code].filter(function (x) { return x; }).join(" · ");
    a.appendChild(el("span", "sr-meta", best ? best + " · " + meta : meta));
    return a;
  }
  function lookupRows(site, result) {
    if (!result.candidates.length) return Promise.resolve([]);
    var want = result.confident ? result.candidates.slice(0, 1) : result.candidates;
    return site.manifest().then(function (m) {
      var docs = want.map(function (c) {
        var i = c.entry;
        return i << m.section_bits;
      });
      return site.describe(m, docs).then(function (rows) {
        return rows.map(function (row, i) {
          row.url = want[i].url;
          row.kind = 0;
          return row;
        });
      });
    });
  }
  function redactedQuery(q) { return "?q=" + encodeURIComponent(redact(q)); }

  /* The box in the header: results as you type, arrows, Enter, Escape; a pasted error
   * leads straight to its entry. */
  function SearchBox(form) {
    this.form = form;
    this.input = form.querySelector("input[name=q]");
    this.list = form.querySelector(".search-results");
    /* The roles are set here: without the script the box is a plain search field that
     * submits to the search page, and the list an empty, hidden div. */
    this.list.setAttribute("role", "listbox");
    this.list.setAttribute("aria-label", form.querySelector("label").textContent);
    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", this.list.id);
    this.input.setAttribute("aria-autocomplete", "list");
    this.site = new Site(form.dataset.searchIndex, form.dataset.lang);
    this.t = form.dataset;
    this.items = [];
    this.active = -1;
    this.generation = 0;
    var self = this, timer = null;
    this.input.addEventListener("focus", function () { self.site.manifest().catch(function () {}); }, { once: true });
    this.input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { self.update(false); }, 60);
    });
    this.input.addEventListener("paste", function () {
      setTimeout(function () { self.update(true); }, 0);
    });
    this.input.addEventListener("keydown", function (ev) { self.key(ev); });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (self.active >= 0) { location.assign(self.items[self.active].href); return; }
      location.assign(form.dataset.searchPage + redactedQuery(self.input.value));
    });
    document.addEventListener("click", function (ev) { if (!form.contains(ev.target)) self.close(); });
  }
  SearchBox.prototype.update = function (pasted) {
    var self = this, q = this.input.value, generation = ++this.generation;
    if (!q.trim()) { this.close(); return Promise.resolve(); }
    var error = looksLikeError(q);
    var lookup = error ? this.site.lookup(q) : Promise.resolve(null);
    return lookup.then(function (found) {
      if (generation !== self.generation) return null;
      if (found && found.confident && pasted) { location.assign(found.candidates[0].url); return null; }
      return Promise.all([found ? lookupRows(self.site, found) : [], self.site.search(q, 8)]).then(function (r) {
        if (generation === self.generation) self.show(r[0], r[1], q, found);
      });
    }).catch(function () { if (generation === self.generation) self.message(self.t.tError); });
  };
  SearchBox.prototype.show = function (pinned, results, q, found) {
    var self = this, ids = new Set();
    this.list.textContent = "";
    this.items = [];
    var label = found && found.confident ? this.t.tBest : this.t.tCandidates;
    pinned.forEach(function (r) { ids.add(r.url); self.add(resultNode(r, q, label)); });
    results.forEach(function (r) { if (!ids.has(r.url)) self.add(resultNode(r, q)); });
    if (!this.items.length) this.message(this.t.tNone);
    var all = el("a", "sr-all", this.t.tAll);
    all.href = this.form.dataset.searchPage + redactedQuery(q);
    this.list.appendChild(all);
    this.open();
  };
  SearchBox.prototype.add = function (a) {
    a.id = "search-result-" + this.items.length;
    a.setAttribute("role", "option");
    a.tabIndex = -1;
    this.items.push(a);
    this.list.appendChild(a);
  };
  SearchBox.prototype.message = function (text) {
    this.list.textContent = "";
    this.items = [];
    this.list.appendChild(el("p", "sr-message", text));
    this.open();
  };
  SearchBox.prototype.open = function () {
    this.active = -1;
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.input.removeAttribute("aria-activedescendant");
  };
  SearchBox.prototype.close = function () {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.active = -1;
  };
  SearchBox.prototype.key = function (ev) {
    var n = this.items.length;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (this.list.hidden || !n) return;
      ev.preventDefault();
      this.active = ev.key === "ArrowDown" ? (this.active + 1) % n : (this.active <= 0 ? n - 1 : this.active - 1);
      this.items.forEach(function (a, i) { a.setAttribute("aria-selected", String(i === this.active)); }, this);
      this.input.setAttribute("aria-activedescendant", this.items[this.active].id);
      this.items[this.active].scrollIntoView({ block: "nearest" });
    } else if (ev.key === "Escape") {
      if (!this.list.hidden) { ev.preventDefault(); this.close(); } else this.input.value = "";
    }
  };

  /* The search page and the lookup page: the query lives in the URL (secrets removed). */
  function ResultsPage(form, box) {
    var self = this;
    this.mode = form.dataset.searchMode;
    this.input = form.querySelector("input[name=q]");
    this.status = document.getElementById("search-page-status");
    this.list = document.getElementById("search-page-results");
    this.site = box.site;
    this.t = box.t;
    var params = new URLSearchParams(location.search);
    var q = params.get("q") || "";
    var http = Number(params.get("status")) || null;
    if (q && redact(q) !== q) history.replaceState(null, "", location.pathname + redactedQuery(q));
    this.input.value = redact(q);
    var timer = null;
    this.input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        history.replaceState(null, "", location.pathname + redactedQuery(self.input.value));
        self.run(self.input.value, null, false);
      }, 120);
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      history.replaceState(null, "", location.pathname + redactedQuery(self.input.value));
      self.run(self.input.value, null, self.mode === "lookup");
    });
    if (q) this.run(q, http, this.mode === "lookup");
    else this.status.textContent = "";
  }
  ResultsPage.prototype.run = function (q, http, follow) {
    var self = this, generation = (this.generation = (this.generation || 0) + 1);
    if (!q.trim()) { this.list.textContent = ""; this.status.textContent = ""; return; }
    var lookup = (follow || looksLikeError(q)) ? this.site.lookup(q, http) : Promise.resolve(null);
    lookup.then(function (found) {
      if (found && found.confident && follow) { location.replace(found.candidates[0].url); return; }
      return Promise.all([found ? lookupRows(self.site, found) : [], self.site.search(q, 50)]).then(function (r) {
        if (generation !== self.generation) return;
        self.list.textContent = "";
        var ids = new Set(), label = found && found.confident ? self.t.tBest : self.t.tCandidates;
        r[0].forEach(function (row) { ids.add(row.url); self.add(row, q, label); });
        r[1].forEach(function (row) { if (!ids.has(row.url)) self.add(row, q); });
        var none = self.mode === "lookup" && !(found && found.confident) ? self.t.tLookupNone + " " : "";
        self.status.textContent = self.list.children.length ? none : none + self.t.tNone;
      });
    }).catch(function () { self.status.textContent = self.t.tError; });
  };
  ResultsPage.prototype.add = function (row, q, label) {
    var li = el("li", "search-page-result");
    li.appendChild(resultNode(row, q, label));
    /* An entry's summary once, under its first result. */
    var shown = this.list.querySelector('[data-entry="' + CSS.escape(row.id) + '"]');
    if (row.summary && !shown) li.appendChild(el("p", "sr-summary", row.summary));
    li.dataset.entry = row.id;
    this.list.appendChild(li);
  };

  function start() {
    var form = document.querySelector("form.search-box");
    if (!form) return;
    var box = new SearchBox(form);
    var page = document.querySelector("form[data-search-mode]");
    if (page) new ResultsPage(page, box);
    window.errbookSearch = {
      terms: terms, phrase: phrase, redact: redact, site: box.site, box: box,
      lookup: function (text, http) { return box.site.lookup(text, http); },
      search: function (q, limit) { return box.site.search(q, limit); }
    };
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
