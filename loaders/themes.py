"""The themes of the field (gazetteers/themes.json): the SKOS concept scheme r2p:Themes as reference triples, and
the one pattern that finds the themes a sentence discusses.

The concepts the ontology already defines (the pillars, the crimes) join the scheme by their own IRIs: their labels
and definitions stay in the ontology, so nothing is said twice. Every other theme is `id/topic/<slug>`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from r2pkg.graph import iris
from r2pkg.graph.vocab import R2P

from .gazetteer import data_json
from .wordlists import word_trie

SCHEME = R2P.Themes
LANGUAGE = "en"


@dataclass(frozen=True)
class Theme:
    iri: URIRef
    slug: str                       # the theme's skos:notation, and its page /theme/<slug>
    label: str | None               # None for a concept the ontology labels (a pillar, a crime)
    alt: tuple[str, ...]
    definition: str | None
    broader: str | None             # the slug of the broader theme
    cues: tuple[str, ...]


@lru_cache(maxsize=1)
def themes() -> tuple[Theme, ...]:
    """Every theme of the scheme, in the file's order."""
    out = []
    for row in data_json("themes.json")["themes"]:
        iri = URIRef(str(R2P) + row["iri"].split(":", 1)[1]) if row.get("iri") else iris.entity("topic", row["slug"])
        out.append(Theme(iri, row["slug"], row.get("label"), tuple(row.get("alt", ())), row.get("definition"),
                         row.get("broader"), tuple(row.get("cues", ()))))
    return tuple(out)


@lru_cache(maxsize=1)
def by_iri() -> dict[URIRef, Theme]:
    return {t.iri: t for t in themes()}


def scheme_triples(entities: Iterable[URIRef]) -> list[tuple]:
    """The scheme's description of the themes among `entities` and of the themes broader than them: type,
    labels (skos:prefLabel and rdfs:label, in English), definition, notation, place in the scheme."""
    known = by_iri()
    slugs = {t.slug: t for t in themes()}
    wanted: dict[URIRef, Theme] = {}
    todo = [known[e] for e in entities if e in known]
    while todo:
        theme = todo.pop()
        if theme.iri not in wanted:
            wanted[theme.iri] = theme
            if theme.broader:
                todo.append(slugs[theme.broader])
    out: list[tuple] = []
    for theme in sorted(wanted.values(), key=lambda t: t.slug):
        out += _concept(theme, slugs)
    return out


def _concept(theme: Theme, slugs: dict[str, Theme]) -> list[tuple]:
    s = theme.iri
    out: list[tuple] = [(s, SKOS.inScheme, SCHEME), (s, SKOS.notation, Literal(theme.slug))]
    if theme.label is not None:
        out += [(s, RDF.type, R2P.Topic), (s, SKOS.prefLabel, Literal(theme.label, lang=LANGUAGE)),
                (s, RDFS.label, Literal(theme.label, lang=LANGUAGE))]
        out += [(s, SKOS.altLabel, Literal(alt, lang=LANGUAGE)) for alt in theme.alt]
    if theme.definition:
        out.append((s, SKOS.definition, Literal(theme.definition, lang=LANGUAGE)))
    if theme.broader:
        out.append((s, SKOS.broader, slugs[theme.broader].iri))
    else:
        out.append((s, SKOS.topConceptOf, SCHEME))
    return out


@lru_cache(maxsize=1)
def cue_index() -> tuple[re.Pattern, dict[str, tuple[URIRef, ...]]]:
    """One pattern of every cue of every theme (longest first, on word boundaries, any case; a trie, as the cues
    are hundreds), and the themes each cue, folded, says."""
    said: dict[str, list[URIRef]] = {}
    for theme in themes():
        for cue in theme.cues:
            said.setdefault(fold_cue(cue), []).append(theme.iri)
    pattern = re.compile(word_trie({c for t in themes() for c in t.cues}) + r"(?![\w-])")
    return pattern, {cue: tuple(dict.fromkeys(found)) for cue, found in said.items()}


@lru_cache(maxsize=1)
def _lower_cue_pattern() -> re.Pattern | None:
    """The cue pattern without case folding, for lower-cased ASCII text: on such text it matches where the cue
    pattern matches in the text as written (an ASCII letter folds only to its other case), and it is about twice as
    fast (the engine compares characters as they are, and skips branches by their first character). None when a
    cue has a letter that folds to an ASCII one ('ı', 'ſ'): then only the cue pattern is right."""
    cues = {c.lower() for t in themes() for c in t.cues}
    if any(ch in c for c in cues for ch in _FOLDS_TO_ASCII):
        return None
    return re.compile(word_trie(cues, ignore_case=False) + r"(?![\w-])")


_FOLDS_TO_ASCII = "\u0131\u017f"   # lower-case letters that Python's re matches to ASCII ones in any case


def compile_cue_patterns() -> None:
    """Both cue patterns, compiled now (a tenth of a second each): worker processes forked after this inherit them."""
    cue_index()
    _lower_cue_pattern()


def fold_cue(text: str) -> str:
    """A cue or a matched text as the index keys it: lower case, one space between words, one apostrophe."""
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).lower()


def cues_in(text: str) -> list[tuple[int, int, URIRef]]:
    """(start, end, theme) of every cue in a text."""
    lower = _lower_cue_pattern()
    if lower is not None and text.isascii():
        spans = [m.span() for m in lower.finditer(text.lower())]
    else:
        spans = [m.span() for m in cue_index()[0].finditer(text)]
    return [(start, end, iri) for start, end in spans for iri in _themes_of(text[start:end])]


@lru_cache(maxsize=4096)
def _themes_of(found: str) -> tuple[URIRef, ...]:
    """The themes of a cue as the text writes it (folded once per spelling met)."""
    return cue_index()[1].get(fold_cue(found), ())
