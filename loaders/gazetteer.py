"""The curated gazetteer files of loaders/gazetteers/, as entities and EntityRuler patterns.

All knowledge about names lives in those files (CSV and JSON a person can review); this module
only reads them. Entities get their IRIs here, minted with `iris.entity(kind, slug)`.
"""
from __future__ import annotations

import csv
import json
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import URIRef

from r2pkg.graph import iris
from r2pkg.graph.vocab import R2P

GAZETTEERS = Path(__file__).resolve().parent / "gazetteers"

# spaCy entity labels, one per kind of thing recognised.
STATE, STATE_ADJ, ORG, GOV_BODY, CITY, REGION, MECHANISM, ROLE, CRIME, PERSON = (
    "STATE", "STATE_ADJ", "ORG", "GOV_BODY", "CITY", "REGION", "MECHANISM", "ROLE", "CRIME", "PERSON")


def data_json(name: str) -> dict:
    return json.loads((GAZETTEERS / name).read_text(encoding="utf-8"))


def data_csv(name: str) -> list[dict[str, str]]:
    with open(GAZETTEERS / name, newline="", encoding="utf-8") as fh:
        rows = [line for line in fh if not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(rows)]


def data_lines(name: str) -> list[str]:
    return [line.strip() for line in (GAZETTEERS / name).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def fold(text: str) -> str:
    """Case- and accent-insensitive key: 'Šimonović' -> 'simonovic'."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower().strip()


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


@dataclass
class Entry:
    iri: URIRef
    kind: str                  # iris kind: state, org, city, region, mechanism, role, person
    label: str                 # spaCy label
    cls: URIRef | None         # rdf:type
    pref: str                  # skos:prefLabel
    aliases: list[str] = field(default_factory=list)
    case_insensitive: bool = False
    info: dict[str, str] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return str(self.iri).rsplit("/", 1)[1]


@dataclass
class BodyKind:
    kind: str
    template: str
    aliases: list[str]

    def label_for(self, state_label: str) -> str:
        return self.template.format(state=state_label)


class Gazetteer:
    """Every curated entity, by IRI, and the lookups the rules need."""

    def __init__(self) -> None:
        self.entries: dict[URIRef, Entry] = {}
        self.adjectives: dict[str, URIRef] = {}     # "Danish" -> state
        self.body_kinds: dict[str, BodyKind] = {}
        self.body_alias: dict[str, str] = {}        # folded alias -> kind
        self.persons: dict[str, Entry] = {}          # folded full name or surname alias -> person
        self.numbers = data_json("numbers.json")
        self.cues = data_json("cues.json")
        self.honorifics = data_lines("honorifics.txt")
        self._load()
        self.by_alias: dict[str, list[Entry]] = {}
        for e in self.entries.values():
            for a in [e.pref, *e.aliases]:
                self.by_alias.setdefault(fold(a), []).append(e)

    # -- loading ------------------------------------------------------------------------------
    def _add(self, entry: Entry) -> None:
        self.entries[entry.iri] = entry

    def _load(self) -> None:
        for row in data_csv("states.csv"):
            iri = iris.entity("state", row["slug"])
            aliases = _split(row["aliases"])
            self._add(Entry(iri, "state", STATE, R2P.State, row["name"], aliases,
                            info={"alpha2": row["alpha2"], "alpha3": row["alpha3"]}))
            for adj in _split(row["adjectives"]):
                self.adjectives[adj] = iri
        self.state_by_alpha3 = {e.info["alpha3"]: e for e in self.entries.values() if e.kind == "state"}
        for row in data_csv("cities.csv"):
            state = self.state_by_alpha3[row["alpha3"]]
            self._add(Entry(iris.entity("city", row["slug"]), "city", CITY, R2P.City, row["name"],
                            _split(row["aliases"]), info={"state": str(state.iri)}))
        for row in data_csv("regions.csv"):
            loc = row["located_in"]
            target = ""
            if loc.startswith("state:"):
                target = str(iris.entity("state", loc[6:]))
            elif loc:
                target = str(iris.entity("region", loc))
            self._add(Entry(iris.entity("region", row["slug"]), "region", REGION, R2P.Region, row["name"],
                            _split(row["aliases"]), info={"located_in": target}))
        for row in data_csv("organizations.csv"):
            self._add(Entry(iris.entity("org", row["slug"]), "org", ORG, R2P[row["class"]], row["name"],
                            _split(row["aliases"]) + _split(row["acronyms"]),
                            info={"part_of": row["part_of"], "acronyms": row["acronyms"]}))
        for row in data_csv("mechanisms.csv"):
            self._add(Entry(iris.entity("mechanism", row["slug"]), "mechanism", MECHANISM, R2P[row["class"]],
                            row["name"], _split(row["aliases"]), case_insensitive=row["case"] == "ci"))
        for row in data_csv("roles.csv"):
            self._add(Entry(iris.entity("role", row["slug"]), "role", ROLE, R2P.Role, row["name"],
                            _split(row["aliases"]), info={"org": row["org"]}))
        for row in data_csv("crimes.csv"):
            self._add(Entry(R2P[row["local"]], "crime", CRIME, None, row["aliases"].split("|")[0],
                            _split(row["aliases"]), case_insensitive=True))
        for row in data_csv("government-bodies.csv"):
            bk = BodyKind(row["kind"], row["label"], _split(row["aliases"]))
            self.body_kinds[bk.kind] = bk
            for a in bk.aliases:
                self.body_alias[fold(a)] = bk.kind
        for row in data_csv("persons.csv"):
            person = Entry(iris.entity("person", row["slug"]), "person", PERSON, R2P.Person, row["name"],
                           _split(row["aliases"]))
            for name in [person.pref, *person.aliases]:
                self.persons[fold(name)] = person

    # -- lookups -------------------------------------------------------------------------------
    def get(self, iri: URIRef) -> Entry | None:
        return self.entries.get(iri)

    def org(self, slug: str) -> URIRef:
        return iris.entity("org", slug)

    def roles(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.kind == "role"]

    # -- patterns ------------------------------------------------------------------------------
    def patterns(self, make_doc) -> list[dict]:
        """EntityRuler patterns: phrase patterns for exact names, token patterns for the rest."""
        pats: list[dict] = []

        def tokens(text: str) -> list[str]:
            return [t.text for t in make_doc(text)]

        for e in self.entries.values():
            if e.kind == "role" and e.slug == "r2p-focal-point":
                continue  # focal points are read by the relation rules, not as a title before a name
            for alias in dict.fromkeys([e.pref, *e.aliases]):
                if e.kind == "role" and alias == e.pref and alias.startswith("UN "):
                    continue
                if e.case_insensitive:
                    pats.append({"label": e.label, "id": str(e.iri),
                                 "pattern": [{"LOWER": t.lower()} for t in tokens(alias)]})
                else:
                    pats.append({"label": e.label, "id": str(e.iri), "pattern": alias})
                    if e.kind in ("state", "city"):
                        pats += [{"label": e.label, "id": str(e.iri), "pattern": variant}
                                 for variant in _place_name_variants(alias, tokens)]
        heads = self.cues["adjective_heads"]
        for adj, state in self.adjectives.items():
            pats.append({"label": STATE_ADJ, "id": str(state),
                         "pattern": [{"ORTH": t} for t in tokens(adj)] + [{"LOWER": {"IN": heads}}]})
        for bk in self.body_kinds.values():
            for alias in bk.aliases:
                pats.append({"label": GOV_BODY, "id": f"body:{bk.kind}", "pattern": alias})
        return pats


def _place_name_variants(alias: str, tokens) -> list[list[dict]]:
    """Token patterns for a state's or city's name as texts also write it: in another case when it has
    several words ('Trinidad And Tobago', 'Côte D'Ivoire'), in capitals when it has one (a heading's
    'GHANA'), with either apostrophe (' or ’). A one-word name in lower case is a word, not a place."""
    spellings = dict.fromkeys([alias, alias.replace("'", "’"), alias.replace("’", "'")])
    out: list[list[dict]] = []
    for spelling in spellings:
        words = tokens(spelling)
        if len(words) > 1 and words[0].lower() != "the":   # a pattern starting at every "the" costs more than it finds
            out.append([{"LOWER": w.lower()} for w in words])
        elif spelling.isalpha():
            out.append([{"ORTH": spelling.upper()}])
    return out


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
