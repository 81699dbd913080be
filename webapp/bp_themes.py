"""The themes of the field: /theme (the scheme r2p:Themes, each theme with how many sentences discuss it) and
/theme/<slug> (what was said about one theme, meeting by meeting, each sentence linked to its place in its document).

A theme's page runs the saved query `theme-across-meetings`, so the page and the query answer the same."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from flask import Blueprint, render_template

from r2pkg.graph.resources import QUERIES_DIR
from r2pkg.graph.savedqueries import SavedQuery, parse_saved_query
from r2pkg.graph.vocab import R2P

from . import graph_data
from .errors import NotFound
from .untrusted import printable

bp = Blueprint("themes", __name__)

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SCHEME = f"<{R2P}Themes>"
QUERY = "theme-across-meetings"

_SCHEME = f"""
SELECT ?theme ?slug ?broader (COUNT(DISTINCT ?sentence) AS ?sentences) WHERE {{
  ?theme <{SKOS}inScheme> {SCHEME} ; <{SKOS}notation> ?slug .
  OPTIONAL {{ ?theme <{SKOS}broader> ?broader }}
  OPTIONAL {{ ?sentence <{R2P}discussesTheme> ?theme }}
}} GROUP BY ?theme ?slug ?broader"""
_BY_SLUG = f"SELECT ?theme WHERE {{ ?theme <{SKOS}inScheme> {SCHEME} ; <{SKOS}notation> ?slug }} LIMIT 1"
_ABOUT = f"""
SELECT ?p ?o WHERE {{
  VALUES ?p {{ <{SKOS}definition> <{RDFS}comment> <{SKOS}altLabel> <{SKOS}broader> }}
  ?theme ?p ?o
}}"""
_NARROWER = f"SELECT DISTINCT ?n WHERE {{ ?n <{SKOS}broader> ?theme }}"


@dataclass
class ThemeEntry:
    iri: str
    slug: str
    label: str
    sentences: int
    narrower: list["ThemeEntry"] = field(default_factory=list)


@dataclass
class Said:
    """One sentence about the theme."""
    sentence: str
    text: str
    document: str
    start: int
    end: int
    theme: str            # the theme it was tagged with (the page's, or a narrower one)
    theme_label: str


@dataclass
class MeetingGroup:
    """The sentences of one meeting (or of one document about no meeting)."""
    meeting: str | None
    label: str
    year: int | None
    sentences: list[Said] = field(default_factory=list)


@dataclass
class ThemePage:
    iri: str
    slug: str
    label: str
    definition: str
    alt_labels: list[str]
    broader: list[ThemeEntry]
    narrower: list[ThemeEntry]
    groups: list[MeetingGroup]

    @property
    def count(self) -> int:
        return sum(len(g.sentences) for g in self.groups)


@lru_cache(maxsize=1)
def theme_query() -> SavedQuery:
    """The saved query the page runs (the bundled one: the page is its view)."""
    return parse_saved_query(QUERIES_DIR / f"{QUERY}.rq")


def scheme_entries() -> list[ThemeEntry]:
    """The scheme's themes in the graph, top concepts first, each with its narrower themes, by label."""
    data = graph_data()
    entries: dict[str, ThemeEntry] = {}
    broader: dict[str, str] = {}
    for row in data.query(_SCHEME):
        iri = row["theme"].value
        entries[iri] = ThemeEntry(iri, row["slug"].value, data.label(iri), int(row["sentences"].value))
        if row["broader"] is not None:
            broader[iri] = row["broader"].value
    for iri, parent in broader.items():
        if parent in entries:
            entries[parent].narrower.append(entries[iri])
    for entry in entries.values():
        entry.narrower.sort(key=lambda e: _natural(e.slug))
    return sorted((e for iri, e in entries.items() if broader.get(iri) not in entries), key=lambda e: e.label.lower())


def _natural(slug: str) -> tuple:
    """'risk-factor-10-...' after 'risk-factor-9-...'."""
    return tuple(int(part) if part.isdigit() else part for part in slug.split("-"))


def theme_or_404(slug: str) -> str:
    rows = graph_data().query(_BY_SLUG, slug=ox.Literal(slug))
    if not rows:
        raise NotFound(f"No theme is called “{printable(slug)}”.", hint=slug.replace("-", " "), what="theme")
    return rows[0]["theme"].value


def theme_page(slug: str) -> ThemePage:
    data = graph_data()
    iri = theme_or_404(slug)
    node = ox.NamedNode(iri)
    about: dict[str, list] = {}
    for row in data.query(_ABOUT, theme=node):
        about.setdefault(row["p"].value, []).append(row["o"])
    definition = next((t.value for p in (SKOS + "definition", RDFS + "comment") for t in about.get(p, [])), "")
    entries = {e.iri: e for top in scheme_entries() for e in (top, *top.narrower)}
    broader = [entries[t.value] for t in about.get(SKOS + "broader", []) if t.value in entries]
    narrower = sorted((entries[r["n"].value] for r in data.query(_NARROWER, theme=node) if r["n"].value in entries),
                      key=lambda e: _natural(e.slug))
    return ThemePage(iri, slug, data.label(iri), definition, sorted(t.value for t in about.get(SKOS + "altLabel", [])),
                     broader, narrower, said_about(node))


def said_about(theme: ox.NamedNode) -> list[MeetingGroup]:
    """The saved query's rows, grouped by meeting in its order (a document about no meeting is its own group)."""
    data = graph_data()
    groups: list[MeetingGroup] = []
    for row in data.query(theme_query().text, theme=theme):
        meeting = row["meeting"].value if row["meeting"] is not None else None
        key = meeting or row["document"].value
        if not groups or (groups[-1].meeting or groups[-1].sentences[0].document) != key:
            label = (row["meetingLabel"] or row["documentLabel"])
            year = int(row["year"].value) if row["year"] is not None else None
            groups.append(MeetingGroup(meeting, label.value if label is not None else data.label(key), year))
        groups[-1].sentences.append(Said(row["sentence"].value, row["text"].value, row["document"].value,
                                         int(row["start"].value), int(row["end"].value), row["sentenceTheme"].value,
                                         row["sentenceThemeLabel"].value))
    return groups


@bp.route("/theme")
def themes():
    return render_template("themes/index.html", entries=scheme_entries())


@bp.route("/theme/<path:slug>")
def theme(slug: str):
    return render_template("themes/page.html", page=theme_page(slug))
