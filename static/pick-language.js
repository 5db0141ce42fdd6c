/* errbook — sends the reader of a page that leads to one language (a short link, an
   alias, the site root) to the page of that language. Plain, dependency-free.
   The targets are the page's own links (`main a[hreflang]`, written at build time, and
   what a reader without JavaScript follows): the script only picks one (the saved
   language, then the browser's, then the first), keeps a fragment made of anchor
   characters (and, when its element has `data-keep-query`, the query), and replaces
   this page in the history so that Back works. It runs at the end of the page. */
(function () {
  var links = document.querySelectorAll("main a[hreflang]"), targets = {}, langs = [];
  for (var k = 0; k < links.length; k++) {
    var code = links[k].getAttribute("hreflang");
    targets[code] = links[k].getAttribute("href");
    langs.push(code);
  }
  if (!langs.length) return;
  var has = function (l) { return Object.prototype.hasOwnProperty.call(targets, l); };
  var pick = null;
  try { pick = localStorage.getItem("errbook-lang"); } catch (e) {}
  if (!has(pick)) {
    pick = null;
    var wanted = navigator.languages || [navigator.language || ""];
    for (var i = 0; i < wanted.length && !pick; i++) {
      var base = String(wanted[i]).toLowerCase();
      for (var j = 0; j < langs.length && !pick; j++) {
        var l = langs[j].toLowerCase();
        if (base === l || base.split("-")[0] === l.split("-")[0]) pick = langs[j];
      }
    }
  }
  var script = document.currentScript;
  var query = script && script.hasAttribute("data-keep-query") ? location.search : "";
  var hash = /^#[A-Za-z0-9][A-Za-z0-9_-]*$/.test(location.hash) ? location.hash : "";
  location.replace(targets[pick || langs[0]] + query + hash);
})();
