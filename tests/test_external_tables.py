"""The reviewed link tables of loaders/gazetteers/external/: complete, well-formed, consistent."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from r2pkg.graph import external as ex
from r2pkg.graph import iris
from r2pkg.graph.resources import GAZETTEER_DIR

# Lists of the UN (2026): 193 member states, 2 observer states.
MEMBERS, OBSERVERS = 193, 2
GROUP_SIZES = {"african": 54, "asia-pacific": 53, "eastern-european": 23,
               "latin-american-caribbean": 33, "weog": 29}   # WEOG: 28 members + the United States

# States that must have a Wikidata id: all of them (the table aims for full coverage).
MUST_HAVE_QID = "all"
# The well-known ids the issue names, as a spot check.
KNOWN = {"AUS": "Q408", "DNK": "Q35", "GHA": "Q117", "CRI": "Q800", "FRA": "Q142", "DEU": "Q183",
         "CHE": "Q39", "USA": "Q30", "ESP": "Q29", "CHL": "Q298", "QAT": "Q846", "BEL": "Q31", "FIN": "Q33",
         "LTU": "Q37", "SVN": "Q215", "CIV": "Q1008", "LIE": "Q347", "SYR": "Q858", "MMR": "Q836",
         "VEN": "Q717", "YEM": "Q805", "NLD": "Q55", "ARG": "Q414", "KOR": "Q884"}

IRI_RE = re.compile(r'^[^\s<>"{}|^`\\]+$')


@pytest.fixture(scope="module")
def data() -> ex.ExternalData:
    return ex.load()


def test_every_un_state_once(data):
    statuses = Counter(s.un_status for s in data.states.values())
    assert statuses == {"member": MEMBERS, "observer": OBSERVERS}
    assert {s.alpha3 for s in data.states.values() if s.un_status == "observer"} == {"VAT", "PSE"}


def test_iso_codes(data):
    for s in data.states.values():
        assert re.fullmatch(r"[A-Z]{3}", s.alpha3), s
        assert re.fullmatch(r"[A-Z]{2}", s.alpha2), s
        assert re.fullmatch(r"[0-9]{3}", s.numeric), s
    assert len({s.alpha2 for s in data.states.values()}) == len(data.states)
    assert len({s.numeric for s in data.states.values()}) == len(data.states)


def test_iso_codes_agree_with_pycountry(data):
    pycountry = pytest.importorskip("pycountry")
    for s in data.states.values():
        c = pycountry.countries.get(alpha_3=s.alpha3)
        assert (c.alpha_2, c.numeric) == (s.alpha2, s.numeric)


def test_regional_group_or_explicit_none(data):
    rows = ex.read_rows(ex.EXTERNAL_DIR / ex.STATES_FILE)
    assert all(r["un_group"] in data.groups or r["un_group"] == ex.UN_GROUP_NONE for r in rows)
    sizes = Counter(s.un_group for s in data.states.values())
    assert {k: v for k, v in sizes.items() if k != "none"} == GROUP_SIZES
    assert {s.alpha3 for s in data.states.values() if s.un_group == "none"} == {"KIR", "VAT", "PSE"}
    assert data.states["USA"].un_group == "weog"
    assert data.states["TUR"].un_group == "weog" and data.states["CYP"].un_group == "asia-pacific"


def test_wikidata_coverage(data):
    missing = sorted(s.alpha3 for s in data.states.values() if not s.wikidata)
    if MUST_HAVE_QID == "all":
        assert missing == []
    for a3, qid in KNOWN.items():
        assert data.states[a3].wikidata == qid, a3


def test_ids_well_formed(data):
    for s in data.states.values():
        if s.wikidata:
            assert ex.QID_RE.match(s.wikidata), s
        assert s.geonames.isdigit(), s
        assert s.dbpedia and " " not in s.dbpedia, s
        assert IRI_RE.match(str(ex.dbpedia_iri(s.dbpedia))), s
        assert -90 <= float(s.lat) <= 90 and -180 <= float(s.long) <= 180, s
    for e in data.entities:
        if e.wikidata:
            assert ex.QID_RE.match(e.wikidata), e
        if e.geonames:
            assert e.geonames.isdigit(), e
        if e.dbpedia:
            assert IRI_RE.match(str(ex.dbpedia_iri(e.dbpedia))), e


def test_no_two_states_share_an_id(data):
    for attr in ("wikidata", "dbpedia", "geonames", "slug"):
        values = Counter(getattr(s, attr) for s in data.states.values() if getattr(s, attr))
        assert [v for v, n in values.items() if n > 1] == [], attr


def test_no_two_entities_share_an_id(data):
    curated = [e for e in data.entities if e.name]
    for attr in ("wikidata", "dbpedia"):
        values = Counter(getattr(e, attr) for e in curated if getattr(e, attr))
        values.update(getattr(s, attr) for s in data.states.values() if getattr(s, attr))
        assert [v for v, n in values.items() if n > 1] == [], attr
    keys = Counter(iri for e in data.entities for iri in e.iris)
    assert [k for k, n in keys.items() if n > 1] == []


def test_entity_slugs_are_slugs(data):
    for e in data.entities:
        for slug in (e.slug, *e.aliases):
            assert iris.slugify(slug) == slug, (e, slug)


def test_joins_the_recognition_gazetteer_by_alpha3(data):
    theirs = GAZETTEER_DIR / "states.csv"
    if not theirs.is_file():
        pytest.skip("the recognition gazetteer has no states.csv")
    rows = ex.read_rows(theirs)
    assert {r["alpha3"] for r in rows} == set(data.states)
    for r in rows:
        assert data.states[r["alpha3"]].slug == r["slug"]
        if r.get("alpha2"):
            assert data.states[r["alpha3"]].alpha2 == r["alpha2"]
        if r.get("un_status"):
            assert data.states[r["alpha3"]].un_status == r["un_status"]


def test_generated_files_are_current(tmp_path):
    """regenerate() from the installed packages reproduces the committed files."""
    import shutil

    work = tmp_path / "gazetteers"
    shutil.copytree(ex.EXTERNAL_DIR, work / "external")
    for name in ("states.csv", "cities.csv"):
        if (GAZETTEER_DIR / name).is_file():
            shutil.copy(GAZETTEER_DIR / name, work / name)
    missing = ex.regenerate(work / "external")
    assert missing == {ex.STATES_GENERATED_FILE: [], ex.CITIES_GENERATED_FILE: []}
    for name in (ex.STATES_GENERATED_FILE, ex.CITIES_GENERATED_FILE):
        assert (work / "external" / name).read_text() == (ex.EXTERNAL_DIR / name).read_text(), (
            f"{name} is stale: run `python -m r2pkg.graph.external regenerate`")


def test_a_malformed_table_is_named(tmp_path):
    import shutil

    shutil.copytree(ex.EXTERNAL_DIR, tmp_path / "external")
    path = tmp_path / "external" / ex.STATES_FILE
    path.write_text(path.read_text().replace(",Q142,", ",142,"))
    with pytest.raises(ex.ExternalDataError, match=r"states\.csv: row \d+ \(FRA\): bad Wikidata id"):
        ex.load(tmp_path / "external")


def test_rewriting_a_table_keeps_it_byte_for_byte(tmp_path):
    for name in (ex.STATES_FILE, ex.ENTITIES_FILE):
        src = ex.EXTERNAL_DIR / name
        out = tmp_path / name
        rows = ex.read_rows(src)
        ex.write_rows(out, ex.header_comment(src), list(rows[0]), rows)
        assert out.read_text() == src.read_text(), name
