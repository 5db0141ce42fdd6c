/* errbook — default theme script. Plain, dependency-free, works from disk too.
   1. copy buttons on code, 2. checklist memory, 3. language links keep the fragment. */
(function () {
  "use strict";

  var doc = document;
  var body = doc.body;
  var COPY = (body && body.getAttribute("data-copy-label")) || "Copy";
  var COPIED = (body && body.getAttribute("data-copied-label")) || "Copied";
  var ICON = '<svg viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path fill="none" ' +
    'stroke="currentColor" stroke-width="1.4" d="M5.5 5.5h7v8h-7zM3.5 10.5v-8h7"/></svg>';

  function store() {
    try { var s = window.localStorage; s.getItem("errbook"); return s; } catch (e) { return null; }
  }
  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || doc).querySelectorAll(selector), fn);
  }

  /* ---- 1. Copy buttons ---- */

  var live = body.appendChild(doc.createElement("div")); /* announces "Copied" */
  live.className = "visually-hidden";
  live.setAttribute("role", "status");

  function fallbackCopy(text) {
    var active = doc.activeElement;
    var area = doc.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.cssText = "position:fixed;top:0;left:-9999px;opacity:0";
    body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
    body.removeChild(area);
    if (active && active.focus) active.focus();
    return ok;
  }

  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext !== false) {
      navigator.clipboard.writeText(text).then(function () { done(true); },
        function () { done(fallbackCopy(text)); });
    } else {
      done(fallbackCopy(text));
    }
  }

  function makeButton(className, label, visibleText, getText) {
    var button = doc.createElement("button");
    button.type = "button";
    button.className = className;
    button.setAttribute("aria-label", label);
    button.innerHTML = ICON + (visibleText ? "<span>" + COPY + "</span>" : "");
    var timer;
    button.addEventListener("click", function () {
      copyText(getText(), function (ok) {
        if (!ok) return;
        button.setAttribute("data-copied", "");
        if (visibleText) button.lastChild.textContent = COPIED;
        live.textContent = "";
        live.textContent = COPIED;
        clearTimeout(timer);
        timer = setTimeout(function () {
          button.removeAttribute("data-copied");
          if (visibleText) button.lastChild.textContent = COPY;
          live.textContent = "";
        }, 2000);
      });
    });
    return button;
  }

  each("main pre", function (pre) {
    var wrapper = doc.createElement("div");
    wrapper.className = "codeblock";
    pre.parentNode.insertBefore(wrapper, pre);
    wrapper.appendChild(pre);
    wrapper.appendChild(makeButton("copy", COPY, true, function () {
      return pre.textContent.replace(/\n$/, "");
    }));
  });

  /* For print: links whose text already is their URL need no URL after them. */
  each("a[href]", function (a) {
    var href = a.getAttribute("href").replace(/^mailto:/, "").replace(/\/$/, "");
    if (a.textContent.trim().replace(/\/$/, "") === href) a.classList.add("url-shown");
  });

  /* ---- 2. Checklist memory ---- */

  each("article.entry[data-entry]", function (article) {
    var boxes = article.querySelectorAll("input[type=checkbox][data-check]");
    var storage = store();
    if (!boxes.length || !storage) return;
    var key = "errbook:checklist:" + article.getAttribute("data-entry");
    var saved = [];
    try { saved = JSON.parse(storage.getItem(key) || "[]") || []; } catch (e) { saved = []; }
    each("input[type=checkbox][data-check]", function (box) {
      if (saved.indexOf(box.getAttribute("data-check")) >= 0) box.checked = true;
    }, article);
    article.addEventListener("change", function (event) {
      if (!event.target.matches || !event.target.matches("input[data-check]")) return;
      var checked = [];
      each("input[type=checkbox][data-check]", function (box) {
        if (box.checked) checked.push(box.getAttribute("data-check"));
      }, article);
      try {
        if (checked.length) storage.setItem(key, JSON.stringify(checked));
        else storage.removeItem(key);
      } catch (e) { /* full or disabled: the page still works */ }
    });
  });

  /* ---- 3. Language links keep the query (search pages), the fragment, and the choice ---- */

  function keepHash() {
    each("a[data-keep-hash]", function (a) {
      var base = a.getAttribute("href").split("#")[0].split("?")[0];
      a.setAttribute("href", base + location.search + location.hash);
    });
  }
  keepHash();
  window.addEventListener("hashchange", keepHash);
  doc.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("a[data-keep-hash]");
    if (!a) return;
    keepHash();
    var storage = store();
    var lang = a.getAttribute("hreflang");
    try { if (storage && lang) storage.setItem("errbook-lang", lang); } catch (e) { /* ignore */ }
  });
})();
