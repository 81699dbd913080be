"""Document pages: the source text with recognised mentions linked, evidence sentences anchored."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from flask import Blueprint, g, render_template, send_file
from markupsafe import Markup, escape

from r2pkg.graph import iris
from r2pkg.graph.store import current_build
from r2pkg.graph.vocab import CORPUS_GRAPH, R2P

from . import graph_data
from .errors import NOT_AN_IRI, NotFound
from .untrusted import is_iri, printable

bp = Blueprint("document", __name__)

OA = "http://www.w3.org/ns/oa#"
_METADATA = f"SELECT ?doc ?p ?o WHERE {{ GRAPH <{CORPUS_GRAPH}> {{ ?doc ?p ?o }} }}"
_LOCATED = f"""
SELECT ?doc ?node ?kind ?start ?end ?exact ?body WHERE {{
  ?node <{OA}hasSource> ?doc ; a ?kind ; <{OA}start> ?start ; <{OA}end> ?end .
  FILTER(?kind IN (<{R2P}Sentence>, <{R2P}Mention>))
  OPTIONAL {{ ?node <{OA}exact> ?exact }}
  OPTIONAL {{ ?node <{OA}hasBody> ?body }}
}}"""
_FACTS = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
# The evidence of the document's sentences, read from the document (a few hundred sentences) to
# its evidence nodes: starting from the facts instead reads every evidence node of the graph.
_FACT_SENTENCES = f"""
SELECT ?s ?p ?o ?start ?end ?page WHERE {{
  ?sent <{OA}hasSource> ?doc .
  ?ev <{R2P}sentence> ?sent .
  ?ev a <{R2P}Evidence> ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s ;
      <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?p ;
      <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o .
  ?sent <{OA}start> ?start ; <{OA}end> ?end .
  OPTIONAL {{ ?sent <{R2P}page> ?page }}
}}"""
# How each kind of original is served: its media type, and whether a browser shows it (a PDF, so that
# #page=N opens it at a page) or downloads it. Markup is never rendered from this site's origin.
ORIGINAL_TYPES = {
    ".pdf": ("application/pdf", False),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", True),
    ".html": ("text/html; charset=utf-8", True),
    ".htm": ("text/html; charset=utf-8", True),
    ".txt": ("text/plain; charset=utf-8", True),
}

@dataclass
class DocFact:
    subject: ox.NamedNode
    predicate: ox.NamedNode
    object: object
    start: int | None
    end: int | None
    page: int | None = None


@dataclass
class DocumentPage:
    iri: str
    slug: str
    title: str
    metadata: list[tuple[ox.NamedNode, object]]
    html: Markup
    reconstructed: bool
    mentions: int
    sentences: int
    facts: list[DocFact] = field(default_factory=list)
    entities: list[tuple[ox.NamedNode, int]] = field(default_factory=list)
    original: Path | None = None    # the file as read, when the build kept it
    pages: int = 0                  # pages marked in the text (a PDF's), 0 for a text without pages
    review: object = None           # bp_review.DocumentReview: each fact's review status, and those people added


def _non_overlapping(spans):
    """Longest-first greedy choice of spans that do not overlap, in text order."""
    chosen = []
    for span in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        if all(span[1] <= c[0] or span[0] >= c[1] for c in chosen):
            chosen.append(span)
    return sorted(chosen)


def render_text(text: str, sentences, mentions, urls, data) -> Markup:
    """HTML of the text; sentences become anchors id="char=S,E", mentions links to their entities.

    Both kinds of span are cut at every boundary of the other, so the markup always nests.
    """
    every_sentence = sorted(set(sentences))
    sentences = _non_overlapping([(s, e, None) for s, e in every_sentence if 0 <= s < e <= len(text)])
    mentions = _non_overlapping([(s, e, body) for s, e, body in mentions if 0 <= s < e <= len(text)])
    # A sentence overlapping a longer one (or past the text) gets no span of its own: an empty anchor at its
    # start still receives the evidence and search links to it (#char=S,E), which would otherwise land nowhere.
    drawn = {(s, e) for s, e, _ in sentences}
    anchors: dict[int, list[tuple[int, int]]] = {}
    for s, e in every_sentence:
        if (s, e) not in drawn and s >= 0:
            anchors.setdefault(min(s, len(text)), []).append((s, e))
    points = sorted({0, len(text), *anchors, *[x for s in sentences for x in s[:2]], *[x for m in mentions for x in m[:2]]})
    out: list[str] = []
    si = mi = 0
    open_sentence = open_mention = None
    for a, b in zip(points, points[1:]):
        while si < len(sentences) and sentences[si][1] <= a:
            si += 1
        while mi < len(mentions) and mentions[mi][1] <= a:
            mi += 1
        sentence = sentences[si] if si < len(sentences) and sentences[si][0] <= a < sentences[si][1] else None
        mention = mentions[mi] if mi < len(mentions) and mentions[mi][0] <= a < mentions[mi][1] else None
        if open_mention is not None and (mention != open_mention or sentence != open_sentence):
            out.append("</a>")
            open_mention = None
        if sentence != open_sentence:
            if open_sentence is not None:
                out.append("</span>")
            if sentence is not None:
                # the anchor only where the sentence starts; a continuation is a plain span
                anchor = f' id="char={sentence[0]},{sentence[1]}"' if sentence[0] == a else ""
                out.append(f'<span class="sentence"{anchor} data-char="{sentence[0]},{sentence[1]}">')
            open_sentence = sentence
        for s, e in anchors.pop(a, ()):
            out.append(f'<span class="sentence-anchor" id="char={s},{e}" data-char="{s},{e}"></span>')
        if mention is not None and open_mention is None:
            body = mention[2]
            out.append(f'<a class="mention" href="{escape(urls.link(body))}" title="{escape(data.label(body))}" '
                       f'data-entity="{escape(body)}">')
            open_mention = mention
        out.append(str(escape(text[a:b])))
    if open_mention is not None:
        out.append("</a>")
    if open_sentence is not None:
        out.append("</span>")
    for spans in anchors.values():          # at the very end of the text
        out.extend(f'<span class="sentence-anchor" id="char={s},{e}" data-char="{s},{e}"></span>' for s, e in spans)
    return Markup("".join(out))


def document_facts(data, slug: str, doc: ox.NamedNode) -> list[DocFact]:
    """The facts of the document's graph, each with the earliest sentence stating it: facts
    without a sentence first, then by the sentence's offset, subject and property."""
    spans: dict[tuple[str, str, str], tuple[int, int, int | None]] = {}
    for r in data.query(_FACT_SENTENCES, doc=doc):
        key = (str(r["s"]), str(r["p"]), str(r["o"]))
        span = (int(r["start"].value), int(r["end"].value), int(r["page"].value) if r["page"] is not None else None)
        if key not in spans or span[0] < spans[key][0]:
            spans[key] = span
    facts, seen = [], set()
    for r in data.query(_FACTS, g=ox.NamedNode(str(iris.document_graph(slug)))):
        key = (str(r["s"]), str(r["p"]), str(r["o"]))
        if key not in seen:
            seen.add(key)
            start, end, page = spans.get(key, (None, None, None))
            facts.append(DocFact(r["s"], r["p"], r["o"], start, end, page))
    facts.sort(key=lambda f: (f.start is not None, f.start or 0, _order_key(f.subject), _order_key(f.predicate)))
    return facts


def _order_key(term) -> tuple[int, str]:
    """SPARQL's ORDER BY order of terms: blank nodes, then IRIs, then literals."""
    kind = 0 if isinstance(term, ox.BlankNode) else 1 if isinstance(term, ox.NamedNode) else 2
    return kind, term.value


def with_page_breaks(html: Markup) -> Markup:
    """The rendered text with a marker where each page starts (a form feed in the text: loaders/formats.py),
    id="page=N" so a link can point at it."""
    parts = str(html).split("\f")
    out = [_page_marker(1)]
    for n, part in enumerate(parts, 1):
        if n > 1:
            out.append(_page_marker(n))
        out.append(part)
    return Markup("".join(out))


def _page_marker(n: int) -> str:
    return f'<span class="page-break" id="page={n}" role="separator" aria-label="page {n}">page {n}</span>'


def original_file(slug: str) -> Path | None:
    """The document's file as the served build read it: builds/<stamp>/originals/<slug><suffix>.

    Found by listing the folder, so the slug from the URL is never joined into a path."""
    build = current_build(graph_data().data_dir)
    folder = build.originals if build is not None else None
    if folder is None or not folder.is_dir():
        return None
    return next((p for p in folder.iterdir() if p.stem == slug and p.suffix in ORIGINAL_TYPES and p.is_file()), None)


@bp.route("/document/<slug>/original")
def original(slug: str):
    """The original file: a PDF shown by the browser (so #page=N works), anything else downloaded."""
    path = original_file(slug)
    if path is None:
        raise NotFound(f"There is no original file of a document “{printable(slug)}” in this build.",
                       hint=slug.replace("-", " "), what="document")
    media_type, download = ORIGINAL_TYPES[path.suffix]
    response = send_file(path, mimetype=media_type, as_attachment=download, download_name=path.name,
                         conditional=True)
    if download:
        response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@bp.route("/document/<slug>")
def show(slug: str):
    data = graph_data()
    iri = str(iris.document(slug))
    if not is_iri(iri):
        raise NotFound(f"No document can be called “{printable(slug)}”: {NOT_AN_IRI}.", hint=slug.replace("-", " "),
                       what="document")
    doc = ox.NamedNode(iri)
    if not data.exists(iri):
        raise NotFound(f"There is no document “{slug}” in the graph.", hint=slug.replace("-", " "), what="document")
    metadata, text = [], None
    for r in data.query(_METADATA, doc=doc):
        if r["p"].value == str(R2P.text):
            text = r["o"].value
        else:
            metadata.append((r["p"], r["o"]))
    sentences, mentions, exacts = [], [], {}
    for r in data.query(_LOCATED, doc=doc):
        s, e = int(r["start"].value), int(r["end"].value)
        if r["kind"].value == str(R2P.Sentence):
            sentences.append((s, e))
            if r["exact"] is not None:
                exacts[(s, e)] = r["exact"].value
        elif r["body"] is not None:
            mentions.append((s, e, r["body"].value))
    reconstructed = text is None
    if text is None:
        # No full text stored: lay the evidence sentences out at their offsets, gaps as spaces.
        chars: list[str] = []
        for (s, e), exact in sorted(exacts.items()):
            if len(chars) < s:
                chars.extend(" " * (s - len(chars)))
            chars[s:e] = list(exact)
        text = "".join(chars)
    urls = g.urls
    title = data.label(iri)
    for p, o in metadata:
        if p.value == "http://purl.org/dc/terms/title":
            title = o.value
    html = render_text(text, sentences, mentions, urls, data)
    page = DocumentPage(iri, slug, title, sorted(metadata, key=lambda m: data.label(m[0].value)),
                        with_page_breaks(html) if "\f" in text else html, reconstructed, len(mentions), len(sentences),
                        original=original_file(slug), pages=text.count("\f") + 1 if "\f" in text else 0)
    counts: dict[str, int] = {}
    for _, _, body in mentions:
        counts[body] = counts.get(body, 0) + 1
    page.entities = sorted(((ox.NamedNode(b), n) for b, n in counts.items()), key=lambda x: (-x[1], data.label(x[0].value)))
    page.facts = document_facts(data, slug, doc)
    from .bp_review import document_review

    page.review = document_review(data, slug, text, page.facts)
    return render_template("document/page.html", page=page)
