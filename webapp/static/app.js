/* Type-ahead suggestions for every input with data-suggest (our own JSON endpoint). */
(function () {
  "use strict";
  function attach(input) {
    var list = document.createElement("ul");
    list.className = "suggestions-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");     /* a listbox needs a name (axe: aria-input-field-name) */
    list.hidden = true;
    input.setAttribute("aria-autocomplete", "list");
    input.parentNode.style.position = "relative";
    input.parentNode.appendChild(list);
    var timer = null, items = [], active = -1, seq = 0;
    function close() { list.hidden = true; active = -1; }
    function choose(item) {
      if (input.dataset.fill === "iri") {
        input.value = item.iri;
        close();
        var note = input.parentNode.querySelector(".resolved");
        if (!note) { note = document.createElement("span"); note.className = "resolved"; input.after(note); }
        note.textContent = item.label;
      } else {
        window.location.href = item.url;
      }
    }
    function render() {
      list.innerHTML = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.className = "suggestion" + (i === active ? " active" : "");
        /* an option may not hold a link (axe: nested-interactive) where choosing fills the field */
        var a = document.createElement(input.dataset.fill === "iri" ? "span" : "a");
        if (input.dataset.fill !== "iri") { a.href = item.url; }
        a.textContent = item.label;
        li.appendChild(a);
        if (item.type) { var t = document.createElement("span"); t.className = "type"; t.textContent = item.type; li.appendChild(t); }
        if (item.alt) { var s = document.createElement("span"); s.className = "alt"; s.textContent = item.alt; li.appendChild(s); }
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(item); });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
    }
    function fetchSuggestions() {
      var q = input.value.trim();
      if (q.length < 1) { items = []; render(); return; }
      var url = input.dataset.suggest + (input.dataset.suggest.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q);
      var mine = ++seq;
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) { if (mine === seq) { items = data.suggestions || []; active = -1; render(); } })
        .catch(function () { items = []; render(); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(fetchSuggestions, 120); });
    input.addEventListener("keydown", function (ev) {
      if (list.hidden) return;
      if (ev.key === "ArrowDown") { active = Math.min(active + 1, items.length - 1); render(); ev.preventDefault(); }
      else if (ev.key === "ArrowUp") { active = Math.max(active - 1, 0); render(); ev.preventDefault(); }
      else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); choose(items[active]); }
      else if (ev.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  document.querySelectorAll("input[data-suggest]").forEach(attach);
  window.r2pkgSuggest = attach;      /* for inputs added later (review.js's forms) */

  /* A document opened at #char=S,E: scroll the sentence into view and mark it. */
  function markTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    var el = document.getElementById(id);
    if (!el) return;
    document.querySelectorAll(".sentence.target").forEach(function (e) { e.classList.remove("target"); });
    // an overlapping sentence is an empty anchor: mark the drawn sentence it lies in
    var mark = el.classList.contains("sentence-anchor") ? (el.closest(".sentence") || el) : el;
    mark.classList.add("target");
    mark.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", markTarget);
  markTarget();

  /* A box that scrolls (a wide table, a long query) takes the keyboard focus, so it can be scrolled without a mouse. */
  document.querySelectorAll("main pre, main .table-scroll, main table.results, .facets ul").forEach(function (el) {
    if ((el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight) && !el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "0");
    }
  });
})();
