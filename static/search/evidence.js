/* errbook search, evidence: a pasted error, secrets removed, read into evidence; the
 * port of src/search/redact.rs, literal.rs and evidence.rs, with their lists and limits
 * from `RULES`. The tables in tests/fixtures/lookup/ (redaction, golden lookups) hold
 * both sides to the same answers. Uses tokenize.js. */

/* ---- redaction (src/search/redact.rs) ---- */
var SECRET = new RegExp("(?<![A-Za-z0-9])(?:((?:" + RULES.secret_prefixes.map(function (p) {
  return p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}).join("|") + ")[A-Za-z0-9_-]{" +
  RULES.min_secret_len + ",})|([Bb][Ee][Aa][Rr][Ee][Rr]\\s+)[A-Za-z0-9._~+\\/=-]{" + RULES.min_secret_len + ",})", "g");
function redact(text) {
  return String(text).replace(SECRET, function (m, key, bearer) {
    return key ? RULES.redacted : bearer + RULES.redacted;
  });
}

var MAX_DEPTH = RULES.max_depth, MAX_ATTEMPTS = RULES.max_attempts;
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
var MAX_INPUT_CHARS = RULES.max_input_chars, MAX_NESTING = RULES.max_nesting;
var STATUS_KEYS = new Set(RULES.status_keys);
var MESSAGE_KEYS = new Set(RULES.message_keys);
var LISTS = new Map(RULES.list_keys);

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
  e.hosts = hostsIn(text);
  return e;
}
/* `platform.openai.com` of `https://platform.openai.com/docs` (src/search/providers.rs). */
function hostOf(url) {
  var rest = url.slice(url.indexOf("://") + 3), end = 0;
  while (end < rest.length && RULES.host_ends.indexOf(rest[end]) < 0 && !/\s/.test(rest[end])) end++;
  var host = rest.slice(0, end);
  if (host.indexOf("www.") === 0) host = host.slice(4);
  host = asciiLower(host.replace(/\.+$/, ""));
  return host.indexOf(".") >= 0 && /^[a-z0-9.-]+$/.test(host) ? host : null;
}
function hostsIn(text) {
  var hosts = [];
  for (var at = text.indexOf("://"); at >= 0; at = text.indexOf("://", at + 1)) {
    var host = hostOf(text.slice(at));
    if (host && hosts.indexOf(host) < 0) hosts.push(host);
  }
  return hosts;
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
  var folded = trimmed.toLowerCase(), list = LISTS.has(key) && e[LISTS.get(key)];
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
    if (prev === null || RULES.status_preceders.indexOf(prev) >= 0 ||
      /error$/.test(prev) || /exception$/.test(prev)) return Number(w);
  }
  return null;
}

