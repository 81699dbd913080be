"""Minting of entity, document, evidence and graph IRIs.

IRIs are readable slugs derived from names, never counters, so they are stable across builds
and across documents: "the EU" in one summary and "European Union" in another both become
id/org/european-union.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable

from rdflib import URIRef

from .vocab import DOCUMENT_GRAPH_PREFIX, EVIDENCE_GRAPH_PREFIX, ID

# Kinds of entity, each a path segment under id/.
KINDS = frozenset({
    "state", "org", "person", "city", "region", "meeting", "session", "recommendation",
    "mechanism", "situation", "topic", "role", "post", "role-assignment", "membership",
    "announcement", "observation", "document", "series",
    "post-description", "practice",
})

# The Global Network's annual meetings: the one series whose meetings keep the short IRIs
# meeting/annual-meeting-N (stable since the first builds); a meeting of any other series is
# meeting/<series slug>-<N>.
ANNUAL_SERIES_SLUG = "global-network-annual-meetings"


def meeting(series_slug: str, ordinal: int) -> URIRef:
    """The N-th meeting of a series; the Global Network's annual meetings keep annual-meeting-N."""
    if series_slug == ANNUAL_SERIES_SLUG:
        return entity("meeting", f"annual-meeting-{ordinal}")
    return entity("meeting", f"{series_slug}-{ordinal}")


# Letters NFKD does not decompose into ASCII, written as ASCII (so that no letter is dropped from a slug).
_TRANSLIT = str.maketrans({
    "ø": "o", "Ø": "O", "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D",
    "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ł": "l", "Ł": "L", "ı": "i", "ħ": "h", "Ħ": "H", "ŧ": "t",
    "Ŧ": "T", "ŋ": "ng", "Ŋ": "Ng", "ĸ": "k", "ſ": "s", "ƒ": "f",
})


def slugify(text: str) -> str:
    """ASCII, lower-case, hyphen-separated: 'Côte d'Ivoire' -> 'cote-d-ivoire', 'Støre' -> 'store'.

    Letters are transliterated, never dropped: NFKD takes the accents off, and the letters it cannot
    decompose (ø, ß, æ, đ, ł ...) are written out first."""
    folded = unicodedata.normalize("NFKD", text.translate(_TRANSLIT)).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if not slug:
        raise ValueError(f"cannot make a slug of {text!r}")
    return slug


def slug_or_digest(text: str) -> str:
    """slugify, or for text with no ASCII letter or digit (Greek, emoji) a digest of it, as stable."""
    try:
        return slugify(text)
    except ValueError:
        return "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def entity(kind: str, slug: str) -> URIRef:
    if kind not in KINDS:
        raise ValueError(f"unknown entity kind {kind!r}; expected one of {sorted(KINDS)}")
    return URIRef(f"{ID}{kind}/{slug}")


def practice(doc_slug: str, actor_slugs: list[str], kind: str, key: str) -> URIRef:
    """A practice a document describes: its document, first actor and kind, and a digest of its actors,
    kind and key (what it produced or concerned, else its sentence's text), so that the IRI does not
    depend on where in the document it is told, nor on the order of its actors."""
    actors = sorted(actor_slugs)
    digest = hashlib.sha1("\x1f".join((*actors, kind, key)).encode("utf-8")).hexdigest()[:10]
    return entity("practice", f"{doc_slug}-{actors[0]}-{kind}-{digest}")


def document(doc_slug: str) -> URIRef:
    return entity("document", doc_slug)


def sentence(doc_slug: str, start: int, end: int) -> URIRef:
    """A sentence by its character span in the document's original text (RFC 5147 style)."""
    return URIRef(f"{document(doc_slug)}#char={start},{end}")


def evidence(doc_slug: str, subject: str, predicate: str, obj: str, start: int, end: int) -> URIRef:
    """Content-addressed: the same statement read from the same sentence gets the same IRI."""
    return evidence_in(doc_slug)(subject, predicate, obj, start, end)


def evidence_in(doc_slug: str) -> Callable[[str, str, str, int, int], URIRef]:
    """`evidence` for one document's statements, its part of the IRI made once (a summary has some 600)."""
    base = f"{document(doc_slug)}/evidence/"

    def made(subject: str, predicate: str, obj: str, start: int, end: int) -> URIRef:
        key = "\x1f".join((subject, predicate, obj, str(start), str(end)))
        return URIRef(base + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16])
    return made


def rule(name: str) -> URIRef:
    """An extraction rule of loaders/rules by its name in `RULES` (id/rule/rule_meeting): the r2p:extractedBy
    of the evidence it read."""
    return URIRef(f"{ID}rule/{name}")


def document_graph(doc_slug: str) -> URIRef:
    return URIRef(DOCUMENT_GRAPH_PREFIX + doc_slug)


def evidence_graph(doc_slug: str) -> URIRef:
    return URIRef(EVIDENCE_GRAPH_PREFIX + doc_slug)


def mechanism_instance(owner_slug: str, kind_slug: str) -> URIRef:
    """One agent's instance of a generic mechanism ('the European Union's early warning mechanism'): named by its
    owner and its kind, so that every wording of it ('the EU's early warning mechanism') is the same entity."""
    return entity("mechanism", f"{owner_slug}-{kind_slug}")


def partnership(party_slugs: list[str]) -> URIRef:
    """A partnership of named parties, whatever order the text lists them in ('AU-EU-UN', 'EU-AU-UN')."""
    return entity("mechanism", "partnership-" + "-".join(sorted(set(party_slugs))))


def place_situation(name: str) -> URIRef:
    """A situation named by a place, region or event alone ('Srebrenica', 'the Great Lakes'): no state in its IRI."""
    return entity("situation", slug_or_digest(name))
