/* errbook search, client: one language's index as the browser loads it (the manifest,
 * term shards, entry chunks and lookup keys, each fetched once), and the search and
 * lookup built on it. Uses tokenize.js, evidence.js and match.js. */

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

var expanded = new Map();

/* The postings of one query term; a prefix takes the best weight of up to 64 terms
 * that start with it, halved. A term found neither way takes the nearest terms of its
 * shard within its typo budget (`fuzzy` in match.js), halved too; `fixed` names them. */
Site.prototype.postings = function (m, term, prefix) {
  var self = this, paths = shardsFor(m, term, prefix), key = paths.join() + " " + term + " " + prefix;
  if (expanded.has(key)) return Promise.resolve(expanded.get(key));
  return Promise.all(paths.map(function (p) { return fetchJson(self.resolve(p)); })).then(function (shards) {
    var parts = [], expansions = 0, fixed = [];
    shards.forEach(function (shard, k) {
      if (Object.prototype.hasOwnProperty.call(shard, term)) parts.push(decode(paths[k], shard, term));
      if (!prefix) return;
      termsOf(paths[k], shard).forEach(function (t) {
        if (t !== term && t.startsWith(term) && expansions++ < 64) parts.push(halved(decode(paths[k], shard, t)));
      });
    });
    if (!parts.length) {
      shards.forEach(function (shard, k) {
        fuzzy(term, termsOf(paths[k], shard), prefix).forEach(function (t) {
          fixed.push(t);
          parts.push(halved(decode(paths[k], shard, t)));
        });
      });
      /* Named to the reader: the one word nearest to the whole term. */
      fixed = nearest(term, fixed, 1);
    }
    while (parts.length > 1) {
      var next = [];
      for (var i = 0; i < parts.length; i += 2) next.push(i + 1 < parts.length ? mergeBest(parts[i], parts[i + 1]) : parts[i]);
      parts = next;
    }
    var result = parts[0] || { docs: new Int32Array(0), weights: new Int32Array(0) };
    result = { docs: result.docs, weights: result.weights, fixed: fixed };
    if (expanded.size > 256) expanded.clear();
    expanded.set(key, result);
    return result;
  });
};

/* The query's terms: each whole word cut into terms, and the word being typed (no
 * space after it yet) as a prefix. */
function queryTerms(query) {
  var typing = !/\s$/.test(query), ws = words(query), groups = [], seen = new Set();
  ws.forEach(function (w, i) {
    if (typing && i === ws.length - 1 && w.whole.length >= 2) { groups.push([w.whole, true]); return; }
    terms(w.whole).forEach(function (t) { groups.push([t, false]); });
  });
  return groups.filter(function (g) { var k = g.join(); if (seen.has(k)) return false; seen.add(k); return true; });
}

/* Ranked sections for `query`: `limit` documents, at most 3 per entry. The list's
 * `fixed` holds the terms searched in place of misspelt ones. */
Site.prototype.search = function (query, limit) {
  var self = this, groups = queryTerms(query);
  if (!groups.length) return Promise.resolve([]);
  return this.manifest().then(function (m) {
    return Promise.all(groups.map(function (g) { return self.postings(m, g[0], g[1]); })).then(function (lists) {
      return self.rank(m, lists, limit || 10).then(function (rows) {
        rows.fixed = [].concat.apply([], lists.map(function (l) { return l.fixed; }));
        return rows;
      });
    });
  });
};

/* For a query that finds nothing: up to `count` indexed terms nearest to its words,
 * from the shards already loaded for them. */
Site.prototype.suggest = function (query, count) {
  var self = this, groups = queryTerms(query);
  return this.manifest().then(function (m) {
    return Promise.all(groups.map(function (g) {
      var path = shardsFor(m, g[0], false)[0];
      return fetchJson(self.resolve(path)).then(function (shard) { return nearest(g[0], termsOf(path, shard), count); });
    })).then(function (found) {
      return Array.from(new Set([].concat.apply([], found))).slice(0, count);
    });
  });
};

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
