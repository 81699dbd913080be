/* The review controls of a page's facts: each row carries a link to its fact's review page (which works
   without JavaScript); opening the row's controls fills them from the page's one copy of the forms
   (<template id="review-form-template">) with the fact the link names. */
(function () {
  "use strict";
  var template = document.getElementById("review-form-template");
  if (!template) { return; }

  function fill(details) {
    var link = details.querySelector("a.review-open");
    if (!link || details.dataset.filled) { return; }
    var params = new URL(link.href, window.location.href).searchParams;
    var forms = template.content.cloneNode(true);
    forms.querySelectorAll("input[type=hidden]").forEach(function (input) {
      if (params.has(input.name)) { input.value = params.get(input.name); }
      if (input.name === "next") { input.value = window.location.pathname + window.location.search; }
    });
    if ((params.get("object") || "").charAt(0) === "\"") {        /* a value (N-Triples), not an entity */
      var value = forms.querySelector(".review-new-object");
      value.removeAttribute("data-suggest");
      value.removeAttribute("data-fill");
      forms.querySelector(".review-object-word").textContent = "value";
    }
    var withdraw = forms.querySelector(".review-withdraw-form");
    if (details.dataset.decision) {
      withdraw.querySelector("input[name=id]").value = details.dataset.decision;
      withdraw.querySelector(".review-decided").textContent = details.dataset.decided || "";
    } else {
      withdraw.remove();
    }
    link.remove();
    details.appendChild(forms);
    details.dataset.filled = "1";
    if (window.r2pkgSuggest) { details.querySelectorAll("input[data-suggest]").forEach(window.r2pkgSuggest); }
  }
  /* toggle does not bubble: listen while it is captured */
  document.addEventListener("toggle", function (ev) {
    var el = ev.target;
    if (el.matches && el.matches("details.review-controls") && el.open) { fill(el); }
  }, true);
})();

/* The reviewer's "add a fact" form on a document page: text selected in the document becomes the evidence
   (its exact words and its character offsets in the document's text). */
(function () {
  "use strict";
  var text = document.getElementById("doc-text");
  var form = document.getElementById("review-add");
  if (!text || !form) { return; }
  var exact = document.getElementById("review-add-exact");
  var start = document.getElementById("review-add-start");
  var end = document.getElementById("review-add-end");

  /* The offset in the document's text of a point (node, offset) inside #doc-text: the characters of the text
     nodes before it. A page marker is not text, but stands where a form feed was (one character). */
  function offsetOf(node, offset) {
    var walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    var count = 0, n;
    while ((n = walker.nextNode())) {
      if (n.nodeType === 1) {
        if (n.classList.contains("page-break") && n.id !== "page=1") { count += 1; }
        continue;
      }
      if (n.parentNode && n.parentNode.classList && n.parentNode.classList.contains("page-break")) { continue; }
      if (n === node) { return count + offset; }
      count += n.nodeValue.length;
    }
    return count;
  }

  function chosen() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return; }
    var range = sel.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) { return; }
    if (range.startContainer.nodeType !== 3 || range.endContainer.nodeType !== 3) { return; }
    var a = offsetOf(range.startContainer, range.startOffset);
    var b = offsetOf(range.endContainer, range.endOffset);
    var words = sel.toString();
    if (!words.trim()) { return; }
    exact.value = words;
    start.value = String(a);
    end.value = String(b);
    form.classList.add("has-selection");
  }
  text.addEventListener("mouseup", chosen);
  text.addEventListener("keyup", chosen);
  document.addEventListener("selectionchange", function () { window.setTimeout(chosen, 0); });
})();
