// errbook serve's live reload. `errbook serve` puts this script before </body> of every
// HTML page it sends; a built site never contains it. Over a WebSocket to the same
// server it reloads the page after a rebuild (keeping the scroll position and the
// #fragment), swaps the stylesheets when only CSS changed, shows the problems of a
// failed rebuild in an overlay, and reconnects when the server restarts.
(function () {
  "use strict";
  var script = document.currentScript;
  var build = script && script.getAttribute("data-build");
  var scrollKey = "errbook-scroll " + location.pathname + location.search;
  var retryDelay = 250;
  // The connection's state, for whoever needs to know the page is live (tests do).
  var state = window.errbookLiveReload = { connected: false };

  // Storage can be disabled or full: live reload then only loses the scroll position.
  function remember(key, value) {
    try {
      if (value === null) sessionStorage.removeItem(key); else sessionStorage.setItem(key, value);
    } catch (e) { /* unavailable */ }
  }
  function recall(key) {
    try { return sessionStorage.getItem(key); } catch (e) { return null; }
  }

  var savedScroll = recall(scrollKey);
  if (savedScroll !== null) {
    remember(scrollKey, null);
    // Instant, so that a theme's smooth scrolling does not animate it, and again once
    // the page has loaded and the browser has jumped to the #fragment.
    var restoreScroll = function () { window.scrollTo({ top: Number(savedScroll), behavior: "instant" }); };
    restoreScroll();
    window.addEventListener("load", function () {
      restoreScroll();
      requestAnimationFrame(function () { requestAnimationFrame(restoreScroll); });
    });
  }

  function reload() {
    try { history.scrollRestoration = "manual"; } catch (e) { /* old browsers */ }
    remember(scrollKey, String(window.scrollY));
    location.reload();
  }

  // Loads the new sheet beside the old one and drops the old one once it applies, so
  // that the page never shows unstyled.
  function swapStylesheets(paths) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.host !== location.host || paths.indexOf(url.pathname.slice(1)) < 0) return;
      url.searchParams.set("errbook", String(Date.now()));
      var fresh = link.cloneNode(false);
      fresh.href = url.href;
      fresh.onload = fresh.onerror = function () { link.remove(); };
      link.after(fresh);
    });
  }

  function element(tag, style, text) {
    var node = document.createElement(tag);
    node.style.cssText = style;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function hideProblems() {
    var overlay = document.getElementById("errbook-overlay");
    if (overlay) overlay.remove();
  }

  // One diagnostic, the way the terminal shows it: message, file:line:column, the line
  // with the problem underlined, and the hint.
  function renderProblem(problem) {
    var item = element("section", "margin:0 0 1.5em");
    var error = problem.severity === "error";
    item.appendChild(element("div", "white-space:pre-wrap;font-weight:bold;color:" +
      (error ? "#ff8080" : "#ffd166"),
      problem.severity + ": " + problem.message));
    var at = problem.position;
    item.appendChild(element("div", "color:#8ab4f8",
      "--> " + problem.file + (at ? ":" + at.line + ":" + at.column : "")));
    if (at && at.source_line) {
      var gutter = String(at.line);
      var pad = gutter.replace(/./g, " ");
      // Colours of its own: the page's stylesheet gives `pre` a light background in
      // a light scheme, which made the overlay's light text unreadable.
      item.appendChild(element("pre", "margin:.4em 0;white-space:pre-wrap;font:inherit;" +
        "padding:.5em .75em;border:1px solid #444;border-radius:4px;" +
        "background:#1e2028;color:#f2f2f2",
        pad + " |\n" + gutter + " | " + at.source_line + "\n" + pad + " | " +
        " ".repeat(at.column - 1) + "^".repeat(at.width)));
    }
    if (problem.hint) item.appendChild(element("div", "color:#9be9a8", "help: " + problem.hint));
    return item;
  }

  function showProblems(problems) {
    hideProblems();
    var overlay = element("div", "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "padding:2em;background:rgba(18,18,22,.94);color:#eee;" +
      "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace");
    overlay.id = "errbook-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-label", "errbook: the site could not be rebuilt");
    var close = element("button", "float:right;font:inherit;font-size:20px;cursor:pointer;" +
      "background:none;color:inherit;border:1px solid #666;border-radius:4px", "\u00d7");
    close.setAttribute("aria-label", "Hide");
    close.onclick = hideProblems;
    overlay.appendChild(close);
    overlay.appendChild(element("p", "margin:0 0 1.5em;font-weight:bold",
      "errbook: these problems keep the site from building. Until they are fixed, " +
      "serve shows the last version that built; this page updates by itself."));
    problems.forEach(function (problem) { overlay.appendChild(renderProblem(problem)); });
    document.body.appendChild(overlay);
  }

  function receive(message) {
    switch (message.type) {
      case "hello": if (message.build !== build) reload(); break;
      case "reload": reload(); break;
      case "css": build = message.build; swapStylesheets(message.paths); break;
      case "problems": showProblems(message.diagnostics); break;
      case "fixed": hideProblems(); break;
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/__errbook/livereload");
    socket.onopen = function () { retryDelay = 250; state.connected = true; };
    socket.onmessage = function (event) { receive(JSON.parse(event.data)); };
    socket.onclose = function () {
      state.connected = false;
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 4000);
    };
  }
  connect();
})();
