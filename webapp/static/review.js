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
