/* errbook search, ui: the search box of every page (results as you type, pasted errors
 * lead straight to their entry), the search page and the lookup page. Without the
 * script the box is a plain form that submits to the search page. Uses client.js. */

/* Does this text look like a whole error rather than a few words to search? */
function looksLikeError(text) {
  var t = text.trim();
  return t.length >= 12 && (/[{}]/.test(t) || /\b[1-5][0-9]{2}\b/.test(t) || /[A-Za-z]+_[A-Za-z]/.test(t) ||
    words(t).length >= 5);
}

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
function SearchBox(form, site) {
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
  this.site = site;
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
    location.assign(form.getAttribute("action") + redactedQuery(self.input.value));
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
  all.href = this.form.getAttribute("action") + redactedQuery(q);
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

/* The search page and the lookup page: their one box, the query in the URL (secrets
 * removed), and the results grouped by entry, the matching sections beneath. */
function ResultsPage(form, site) {
  var self = this;
  this.form = form;
  this.mode = form.dataset.searchMode;
  this.input = form.querySelector("input[name=q]");
  this.status = document.getElementById("search-page-status");
  this.list = document.getElementById("search-page-results");
  this.site = site;
  this.t = form.dataset;
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
      self.groups = new Map();
      var ids = new Set(), label = found && found.confident ? self.t.tBest : self.t.tCandidates;
      /* On the lookup page, an error no entry explains: search offers the closest
       * entries, each marked as not a match; several candidates: a choice, not a jump. */
      var lookingUp = self.mode === "lookup", none = !(found && found.candidates.length);
      var closest = lookingUp && none ? self.t.tLookupClosest : undefined;
      r[0].forEach(function (row) { ids.add(row.url); self.add(row, q, label); });
      r[1].forEach(function (row) {
        if (!ids.has(row.url)) self.add(row, q + " " + r[1].fixed.join(" "), closest);
      });
      var said = !lookingUp || (found && found.confident) ? "" :
        (none ? self.t.tLookupNone : self.t.tLookupAmbiguous) + " ";
      self.status.textContent = said;
      if (r[1].fixed.length && self.list.children.length) self.note(self.t.tFixed, r[1].fixed, false);
      if (!self.list.children.length) return self.nothing(q, said);
    });
  }).catch(function () { self.status.textContent = self.t.tError; });
};
/* One result under its entry: the entry's title, meta and summary once, then each
 * matching section beneath it. */
ResultsPage.prototype.add = function (row, q, label) {
  var group = this.groups.get(row.id);
  if (!group) {
    group = el("li", "sr-entry");
    group.dataset.entry = row.id;
    var top = {};
    Object.keys(row).forEach(function (k) { top[k] = row[k]; });
    top.kind = 0;
    top.url = row.kind > 0 ? row.url.split("#")[0] : row.url;
    group.appendChild(resultNode(top, q, label));
    if (row.summary) group.appendChild(el("p", "sr-summary", row.summary));
    group.appendChild(el("ul", "sr-sections"));
    this.groups.set(row.id, group);
    this.list.appendChild(group);
  }
  if (row.kind > 0 && row.section) {
    var li = el("li"), a = el("a", "sr-section-link");
    a.href = row.url;
    a.appendChild(highlight(row.section, q));
    li.appendChild(a);
    group.querySelector(".sr-sections").appendChild(li);
  }
};
/* A line under the status: `label` and the terms, as links that search them. */
ResultsPage.prototype.note = function (label, terms, links) {
  var self = this, p = el("p", "search-note", label + " ");
  terms.forEach(function (term, i) {
    if (i) p.appendChild(document.createTextNode(", "));
    var a = el(links ? "a" : "strong", null, term);
    if (links) a.href = location.pathname + "?q=" + encodeURIComponent(term);
    p.appendChild(a);
  });
  this.status.appendChild(p);
  return self;
};
/* No result: the nearest indexed terms, and the lookup page for a whole error. */
ResultsPage.prototype.nothing = function (q, prefix) {
  var self = this;
  return this.site.suggest(q, 3).then(function (near) {
    self.status.textContent = prefix + self.t.tNone;
    if (near.length) self.note(self.t.tSuggest, near, true);
    if (self.mode !== "lookup") {
      var a = el("a", "search-lookup-link", self.t.tLookupLink);
      a.href = self.form.dataset.lookupPage + redactedQuery(q);
      self.status.appendChild(el("p")).appendChild(a);
    }
  });
};

function start() {
  var form = document.querySelector("form.search-box");
  if (!form) return;
  var site = new Site(form.dataset.searchIndex, document.documentElement.lang), box = null;
  if (form.dataset.searchMode) new ResultsPage(form, site);
  else box = new SearchBox(form, site);
  window.errbookSearch = {
    terms: terms, phrase: phrase, redact: redact, site: site, box: box,
    lookup: function (text, http) { return site.lookup(text, http); },
    search: function (q, limit) { return site.search(q, limit); },
    suggest: function (q, count) { return site.suggest(q, count); }
  };
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
