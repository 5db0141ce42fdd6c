{#- Included by the pages that send a reader to one language: `pick_targets` holds
    [[language, URL], …] fixed at build time. The script only picks one (the saved
    language, then the browser's, then the first), keeps a fragment made of anchor
    characters (and, with `pick_keep_query`, the query), and replaces this page in the
    history so that Back works. -#}
(function () {
  var pairs = {{ pick_targets | safe }}, targets = {}, langs = [];
  for (var k = 0; k < pairs.length; k++) { targets[pairs[k][0]] = pairs[k][1]; langs.push(pairs[k][0]); }
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
  var hash = /^#[A-Za-z0-9][A-Za-z0-9_-]*$/.test(location.hash) ? location.hash : "";
  location.replace(targets[pick || langs[0]] + {% if pick_keep_query %}location.search + {% endif %}hash);
})();
