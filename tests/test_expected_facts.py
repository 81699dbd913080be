"""What a reader finds in each bundled summary, checked in the built graph through the saved queries.

The facts are data, one file per document in tests/fixtures/expected/<document>.json (the same
keys as the unseen documents' tests/fixtures/unseen/<document>.expected.json):

    meeting             ordinal, start_date, end_date, city, country (null: the text names none),
                        hosts (the exact set), host_states, participant_count, more_than
    network_size        [{states, organizations}] stated in the document (organizations null: not stated)
    focal_points        [{member, person (null: not named), person_iri (optional), position}]
    roles               [{person, role, organization (a name or a list of acceptable names), year}]
    announcements       [{agent, intent, year}] of appointments
    announced_hosts     [{agent, ordinal, city, year}] of future meetings
    coordination_groups [{group, members (the exact set), year (null: not checked)}]
    situations          situations discussed at the meeting (at least these)
    recommendation_count (every recommendation, suggested action, lesson and obstacle of the meeting),
    recommendation_snippets {number: text}, recommendation_mechanisms (mechanisms its items name)
    recurring           [{entity (IRI), ordinals}]: the entity is seen at (at least) these meetings
    recommendation_kinds {kind: count}: the meeting's items of each kind (meeting-recommendations' kind)
    meeting_statements  [{ordinal, planned, announced_at (ordinal or null), distinction (words or null)}]
    themes              [{theme (its name), sentence (words of it)}]: the sentence discusses the theme
                        (theme-across-meetings, under the document's meeting); themes_not_in: such pairs
                        that must not be; themes_not_discussed: themes no sentence of the document discusses

Names are matched the way a reader would: case, accents and spacing aside, and an expected name
may be a whole-word part of the graph's (e.g. "Stanley Foundation" in "The Stanley Foundation").
Exact IRIs are used only where the IRI rules of graph/iris.py fix them.

Each check is a plain function of (rows of a saved query, expected facts), shared with
test_unseen_documents.py.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from r2pkg.graph.iris import slugify

EXPECTED_DIR = Path(__file__).resolve().parent / "fixtures" / "expected"
EXPECTED_FILES = sorted(EXPECTED_DIR.glob("*.json"))
ID = "https://w3id.org/r2pkg/id/"

Run = Callable[[str, dict], list[dict]]


# ------------------------------------------------------------------------------------------
# Matching names
# ------------------------------------------------------------------------------------------

def norm(text: object) -> str:
    folded = unicodedata.normalize("NFKD", str(text))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(folded.casefold().split())


def names_match(expected: str | list[str], actual: object) -> bool:
    """The actual name is the expected one, or contains it as whole words; a list gives alternatives."""
    if actual is None:
        return False
    if isinstance(expected, list):
        return any(names_match(e, actual) for e in expected)
    e, a = norm(expected), norm(actual)
    return e == a or re.search(r"(?<!\w)" + re.escape(e) + r"(?!\w)", a) is not None


def same_set(expected: list[str], actual: list[str]) -> tuple[list[str], list[str]]:
    """Pair expected with actual names, exact matches first; return (missing, unexpected)."""
    missing, left = list(expected), list(actual)
    for matches in (lambda e, a: norm(e) == norm(a), names_match):
        for e in list(missing):
            a = next((a for a in left if matches(e, a)), None)
            if a is not None:
                missing.remove(e)
                left.remove(a)
    return missing, left


def year_of(value: object) -> int | None:
    return None if value is None else int(str(value)[:4])


def doc_iri(expected: dict) -> str:
    return f"{ID}document/{slugify(expected['document'])}"


def names_in_expected(exp: dict) -> list[str]:
    """The names of the expected facts that must be words of the document itself."""
    m = exp["meeting"]
    names = [m["city"], m["country"], *m["hosts"], *m["host_states"]]
    for fp in exp["focal_points"]:
        names += [fp["member"], fp["person"], fp["position"]]
    for role in exp["roles"]:
        names += [role["person"], role["role"]]
    names += [a["agent"] for a in exp["announcements"]]
    names += [h for host in exp["announced_hosts"] for h in (host["agent"], host["city"])]
    names += [g["group"] for g in exp["coordination_groups"]]
    names += [n for g in exp["coordination_groups"] for n in g["members"]]
    names += exp["situations"] + exp["recommendation_mechanisms"]
    names += list(exp.get("recommendation_snippets", {}).values())
    names += [st["distinction"] for st in exp.get("meeting_statements", [])]
    return [n for n in names if n]


def assert_names_in_text(exp: dict, text: str) -> None:
    """Guards the expected facts against typos: every name in them is in the text."""
    flat = norm(text.replace("-\n", "-"))
    missing = [n for n in names_in_expected(exp) if norm(n) not in flat]
    assert not missing, f"{exp['document']}: not in the text: {missing}"


def load_expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------------
# Checks: each takes a query runner run(name, params) -> rows and the expected facts
# ------------------------------------------------------------------------------------------

def meeting_row(run: Run, ordinal: int) -> dict:
    rows = [r for r in run("meetings", {}) if r["ordinal"] == ordinal]
    assert len(rows) == 1, f"meetings: expected one row for meeting {ordinal}, got {rows}"
    return rows[0]


def check_meeting(run: Run, exp: dict) -> None:
    m = exp["meeting"]
    row = meeting_row(run, m["ordinal"])
    assert row["meeting"] == f"{ID}meeting/annual-meeting-{m['ordinal']}", row
    assert row["startDate"] == m["start_date"], row
    assert row["endDate"] == m["end_date"], row
    for key, column in (("city", "city"), ("country", "country")):
        if m[key] is None:
            assert row[column] is None, f"the text names no {key}, the graph says {row[column]!r}"
        else:
            assert names_match(m[key], row[column]), f"{key}: expected {m[key]!r}, got {row[column]!r}"
    hosts = [h for h in (row["hosts"] or "").split("; ") if h]
    missing, unexpected = same_set(m["hosts"], hosts)
    assert not missing and not unexpected, f"hosts: missing {missing}, unexpected {unexpected} (got {hosts})"
    assert hosts == sorted(hosts, key=str.lower), f"hosts are not sorted: {hosts}"
    assert row["participantCount"] == m["participant_count"], row
    assert row["moreThan"] is m["more_than"], row


def check_participants(run: Run, exp: dict) -> None:
    """Host states are participants: r2p:hostedBy is a sub-property of r2p:hasParticipant."""
    m = exp["meeting"]
    rows = run("meeting-participants", {"ordinal": str(m["ordinal"])})
    labels = [r["stateLabel"] for r in rows]
    for state in m["host_states"]:
        assert any(names_match(state, label) for label in labels), f"{state} is not a participant: {labels}"
    assert all(r["state"].startswith(f"{ID}state/") for r in rows), rows
    assert len({r["state"] for r in rows}) == len(rows), "a state is listed twice"


def check_network_size(run: Run, exp: dict) -> None:
    rows = run("network-size", {})
    source = doc_iri(exp)
    for size in exp["network_size"]:
        found = [r for r in rows if r["source"] == source and r["states"] == size["states"]
                 and (size["organizations"] is None or r["organizations"] == size["organizations"])]
        assert found, f"network-size: no row {size} from {source}; rows from it: " \
                      f"{[r for r in rows if r['source'] == source]}"
        assert all(r["date"] for r in found), f"an observation without a date: {found}"
    dates = [str(r["date"]) for r in rows if r["date"] is not None]
    assert dates == sorted(dates), "network-size is not ordered by date"


def check_focal_points(run: Run, exp: dict) -> None:
    rows = run("focal-points", {})
    for fp in exp["focal_points"]:
        of_member = [r for r in rows if names_match(fp["member"], r["memberLabel"])]
        assert of_member, f"no focal point of {fp['member']}; members: {sorted({r['memberLabel'] for r in rows})}"
        found = [r for r in of_member if names_match(fp["position"], r["position"])]
        assert found, f"{fp['member']}: no position like {fp['position']!r}: {[r['position'] for r in of_member]}"
        if fp.get("person"):
            found = [r for r in found if names_match(fp["person"], r["personLabel"])]
            assert found, f"{fp['member']}: the post is not held by {fp['person']}: {of_member}"
        if fp.get("person_iri"):
            assert any(r["person"] == fp["person_iri"] for r in found), found


def check_roles(run: Run, exp: dict) -> None:
    rows = run("role-holders", {})
    for role in exp["roles"]:
        found = [r for r in rows if names_match(role["person"], r["personLabel"])]
        assert found, f"{role['person']} holds no role; holders: {sorted({r['personLabel'] for r in rows})}"
        found = [r for r in found if names_match(role["role"], r["role"])]
        assert found, f"{role['person']} is not {role['role']}"
        found = [r for r in found if names_match(role["organization"], r["organizationLabel"])]
        assert found, f"{role['person']}: the role is not in {role['organization']}"
        assert any(r["year"] == role["year"] for r in found), \
            f"{role['person']} as {role['role']}: years {[r['year'] for r in found]}, expected {role['year']}"


def check_announcements(run: Run, exp: dict) -> None:
    rows = run("announcements", {})
    for ann in exp["announcements"]:
        found = [r for r in rows if names_match(ann["agent"], r["agentLabel"])]
        assert found, f"no announcement by {ann['agent']}; by: {[r['agentLabel'] for r in rows]}"
        assert any(names_match(ann["intent"], r["intent"]) or norm(r["intent"] or "").startswith(norm(ann["intent"]))
                   for r in found), f"{ann['agent']}: intents {[r['intent'] for r in found]}"
        assert any(r["year"] == ann["year"] for r in found), f"{ann['agent']}: years {[r['year'] for r in found]}"


def check_announced_hosts(run: Run, exp: dict) -> None:
    rows = run("announced-hosts", {})
    for host in exp["announced_hosts"]:
        found = [r for r in rows if names_match(host["agent"], r["agentLabel"]) and r["ordinal"] == host["ordinal"]]
        assert found, f"{host['agent']} is not announced as host of meeting {host['ordinal']}: {rows}"
        assert any(names_match(host["city"], r["city"]) for r in found), found
        assert any(r["year"] == host["year"] for r in found), found
        assert any(r["meeting"] == f"{ID}meeting/annual-meeting-{host['ordinal']}" for r in found), found


def check_coordination_groups(run: Run, exp: dict) -> None:
    rows = run("steering-group", {})
    for group in exp["coordination_groups"]:
        of_group = [r for r in rows if names_match(group["group"], r["groupLabel"])
                    and (group["year"] is None or r["year"] == group["year"])]
        members = sorted({r["memberLabel"] for r in of_group})
        missing, unexpected = same_set(group["members"], members)
        assert not missing and not unexpected, \
            f"{group['group']} ({group['year']}): missing {missing}, unexpected {unexpected}"


def check_situations(run: Run, exp: dict) -> None:
    ordinal = exp["meeting"]["ordinal"]
    rows = [r for r in run("situations-by-meeting", {}) if r["ordinal"] == ordinal]
    labels = [r["situationLabel"] for r in rows]
    for situation in exp["situations"]:
        assert any(names_match(situation, label) for label in labels), \
            f"meeting {ordinal} did not discuss {situation}: {labels}"
    for situation in exp["situations"]:
        iri = next(r["situation"] for r in rows if names_match(situation, r["situationLabel"]))
        by = run("meetings-by-situation", {"situation": iri})
        assert ordinal in {r["ordinal"] for r in by}, f"meetings-by-situation {iri}: {by}"
        assert all(r["situation"] == iri for r in by), by


def check_recommendations(run: Run, exp: dict) -> None:
    ordinal = exp["meeting"]["ordinal"]
    rows = run("meeting-recommendations", {"ordinal": str(ordinal)})
    count = exp.get("recommendation_count")
    if count is not None:
        assert len(rows) == count, f"meeting {ordinal}: {len(rows)} recommendations, expected {count}"
        assert all(r["text"] for r in rows), "a recommendation without its text"
        assert len({r["recommendation"] for r in rows}) == len(rows), "an item is listed twice"
    for number, snippet in exp.get("recommendation_snippets", {}).items():
        texts = [r["text"] for r in rows if r["number"] == int(number)]
        assert any(names_match(snippet, t) for t in texts), f"recommendation {number}: {texts}"
    for mechanism in exp["recommendation_mechanisms"]:
        named = [m for r in rows for m in (r["mechanisms"] or "").split("; ") if m]
        assert any(names_match(mechanism, m) for m in named), \
            f"no recommendation of meeting {ordinal} names {mechanism}: {named}"
        listed = [r for r in run("mechanisms", {}) if names_match(mechanism, r["mechanismLabel"])]
        assert listed and any(str(ordinal) + "." in (r["recommendations"] or "") for r in listed), listed


def check_recommendation_kinds(run: Run, exp: dict) -> None:
    """Each kind's items, through the query's kind parameter; the kinds add up to the whole."""
    ordinal = exp["meeting"]["ordinal"]
    kinds = exp.get("recommendation_kinds", {})
    every = run("meeting-recommendations", {"ordinal": str(ordinal)})
    assert {r["kind"] for r in every} == set(kinds), f"meeting {ordinal}: kinds {sorted({r['kind'] for r in every})}"
    for kind, count in kinds.items():
        rows = run("meeting-recommendations", {"ordinal": str(ordinal), "kind": kind})
        assert len(rows) == count, f"meeting {ordinal}: {len(rows)} items of kind {kind!r}, expected {count}"
        assert {r["kind"] for r in rows} == {kind}
    assert sum(kinds.values()) == len(every)


def check_meeting_statements(run: Run, exp: dict) -> None:
    rows = {r["ordinal"]: r for r in run("meeting-statements", {})}
    for st in exp.get("meeting_statements", []):
        row = rows.get(st["ordinal"])
        assert row is not None, f"meeting-statements: no row for meeting {st['ordinal']}"
        assert row["planned"] is st["planned"], row
        assert row["announcedAt"] == st["announced_at"], row
        if st["distinction"] is None:
            assert row["distinctions"] is None, row
        else:
            assert names_match(st["distinction"], row["distinctions"]), row
        only = run("meeting-statements", {"ordinal": str(st["ordinal"])})
        assert [r["meeting"] for r in only] == [row["meeting"]]


def check_recurring(run: Run, exp: dict) -> None:
    rows = run("recurring-entities", {})
    for item in exp.get("recurring", []):
        found = [r for r in rows if r["entity"] == item["entity"]]
        assert found, f"{item['entity']} is not seen at more than one meeting"
        ordinals = {int(o) for o in found[0]["ordinals"].split("; ")}
        assert set(item["ordinals"]) <= ordinals, f"{item['entity']}: seen at {sorted(ordinals)}"
        assert found[0]["meetings"] == len(ordinals)


def check_mechanism_history(run: Run, exp: dict) -> None:
    """Who made, adopted or proposed a mechanism, the body it sits under, whose it is, what it is a kind of."""
    rows = run("mechanism-history", {})
    for item in exp.get("mechanism_history", []):
        found = [r for r in rows if names_match(item["mechanism"], r["mechanismLabel"])
                 and r["relation"] == item["relation"] and names_match(item["value"], r["valueLabel"])]
        assert found, f"mechanism-history: no row {item}; rows of it: " + str(
            [(r["relation"], r["valueLabel"]) for r in rows if names_match(item["mechanism"], r["mechanismLabel"])])


def check_time_and_roles(run: Run, exp: dict) -> None:
    """Facts in time, roles and parties (issue 12), under the key time_and_roles:
    partners        the agents the meeting was held "in association with" (the exact set; never its hosts)
    descriptions    [{member, as_of, status, title, since, holder (each optional)}]: a dated description of a post
    memberships     [{group, member, as_of, since (null: none stated)}]
    org_roles       [{holder, role, organization, year}]: a role held by an organization or a state
    whole_titles    [{person, title}]: the title as written, kept whole
    members_at      {year, members (at least these), not_members (optional), counts (optional, exact)}"""
    facts = exp["time_and_roles"]
    ordinal = exp["meeting"]["ordinal"]
    parties = [r for r in run("meeting-parties", {}) if r["ordinal"] == ordinal]
    partners = sorted(r["agentLabel"] for r in parties if r["party"] == "in association with")
    missing, unexpected = same_set(facts["partners"], partners)
    assert not missing and not unexpected, f"partners: missing {missing}, unexpected {unexpected} (got {partners})"
    hosts = [r["agentLabel"] for r in parties if r["party"] == "host"]
    assert not any(names_match(p, h) for p in facts["partners"] for h in hosts), f"a partner is a host: {hosts}"
    rows = run("post-descriptions", {})
    for d in facts["descriptions"]:
        found = [r for r in rows if names_match(d["member"], r["memberLabel"]) and str(r["asOf"]) == d["as_of"]]
        assert found, f"no description of {d['member']} as of {d['as_of']}: " \
                      f"{[(r['memberLabel'], r['asOf']) for r in rows]}"
        assert any(r["status"] == d["status"] for r in found), f"{d['member']}: {[r['status'] for r in found]}"
        if d.get("title"):
            assert any(names_match(d["title"], r["title"]) for r in found), [r["title"] for r in found]
        if "since" in d:
            assert any(r["since"] == d["since"] for r in found), [r["since"] for r in found]
        if d.get("holder"):
            assert any(names_match(d["holder"], r["holderLabel"]) for r in found), [r["holderLabel"] for r in found]
    rows = run("steering-group", {})
    for m in facts["memberships"]:
        found = [r for r in rows if names_match(m["group"], r["groupLabel"]) and names_match(m["member"], r["memberLabel"])]
        assert found, f"{m['member']} is not in {m['group']}"
        assert any(r["asOf"] == m["as_of"] and r["since"] == m["since"] for r in found), \
            f"{m['member']} in {m['group']}: {[(r['since'], r['asOf']) for r in found]}"
    rows = run("role-holders", {})
    for role in facts["org_roles"]:
        found = [r for r in rows if names_match(role["holder"], r["personLabel"]) and names_match(role["role"], r["role"])
                 and names_match(role["organization"], r["organizationLabel"]) and r["year"] == role["year"]]
        assert found, f"{role['holder']} is not {role['role']} of {role['organization']} in {role['year']}"
    for whole in facts["whole_titles"]:
        titles = [r["title"] for r in rows if names_match(whole["person"], r["personLabel"])]
        assert whole["title"] in titles, f"{whole['person']}: titles {titles}"
    at = facts.get("members_at")
    if at:
        rows = run("members-at", {"year": str(at["year"])})
        labels = [r["memberLabel"] for r in rows]
        for member in at["members"]:
            assert any(names_match(member, label) for label in labels), f"{member} not a member in {at['year']}"
        for other in at.get("not_members", []):
            assert not any(names_match(other, label) for label in labels), f"{other} is not a member in {at['year']}"
        if "counts" in at:
            assert {r["counts"] for r in rows} == {at["counts"]}, {r["counts"] for r in rows}


def check_themes(run: Run, exp: dict) -> None:
    document = f"{ID}document/{slugify(exp['document'])}"
    ordinal = (exp.get("meeting") or {}).get("ordinal")

    def said(theme: str) -> list[dict]:
        return [r for r in run("theme-across-meetings", {"theme": theme}) if r["document"] == document]

    for item in exp.get("themes", []):
        rows = said(item["theme"])
        found = [r for r in rows if names_match(item["sentence"], r["text"])]
        assert found, f"no sentence with “{item['sentence']}” discusses {item['theme']}: {[r['text'] for r in rows]}"
        if ordinal is not None:
            assert all(r["meeting"] == f"{ID}meeting/annual-meeting-{ordinal}" for r in found), found
    for item in exp.get("themes_not_in", []):
        wrong = [r["text"] for r in said(item["theme"]) if names_match(item["sentence"], r["text"])]
        assert not wrong, f"{item['theme']} is not what this sentence discusses: {wrong}"
    for theme in exp.get("themes_not_discussed", []):
        assert not said(theme), f"{exp['document']} does not discuss {theme}: {[r['text'] for r in said(theme)]}"


def check_practices(run: Run, exp: dict) -> None:
    """The document's practices through national-practices: exactly the expected ones (actors, kind, object,
    year, place), and a state's practices of a kind through its parameters. Documents whose expected facts
    predate practices (no "practices" key) are not judged here."""
    if "practices" not in exp:
        return
    rows = [r for r in run("national-practices", {}) if r["document"] == doc_iri(exp)]
    found: dict[str, dict] = {}
    for r in rows:
        p = found.setdefault(r["practice"], {"actors": [], "kind": r["kind"], "object": r["objectLabel"],
                                             "year": r["year"], "place": r["placeLabel"], "text": r["text"]})
        p["actors"].append(r["actorLabel"])
        assert r["text"], f"a practice without its sentence: {r}"
    left = dict(found)
    for item in exp["practices"]:
        match = next((key for key, p in left.items() if p["kind"] == item["kind"]
                      and not any(same_set(item["actors"], p["actors"]))
                      and (names_match(item["object"], p["object"] or "") if item["object"] else not p["object"])
                      and p["year"] == item["year"]
                      and ("place" not in item or names_match(item["place"], p["place"] or ""))), None)
        assert match, f"no practice {item} from {exp['document']}; practices: {list(left.values())}"
        del left[match]
    assert not left, f"practices no reader finds in {exp['document']}: {list(left.values())}"
    for item in exp["practices"][:1]:
        by_state = run("national-practices", {"state": item["actors"][0], "kind": item["kind"]})
        assert any(r["document"] == doc_iri(exp) and names_match(item["actors"][0], r["actorLabel"])
                   for r in by_state), by_state
        assert {r["kind"] for r in by_state} == {item["kind"]}, by_state


CHECKS: dict[str, Callable[[Run, dict], None]] = {
    "meeting": check_meeting,
    "participants": check_participants,
    "network_size": check_network_size,
    "focal_points": check_focal_points,
    "roles": check_roles,
    "announcements": check_announcements,
    "announced_hosts": check_announced_hosts,
    "coordination_groups": check_coordination_groups,
    "situations": check_situations,
    "recommendations": check_recommendations,
    "recurring": check_recurring,
    "mechanism_history": check_mechanism_history,
    "time_and_roles": check_time_and_roles,
    "recommendation_kinds": check_recommendation_kinds,
    "meeting_statements": check_meeting_statements,
    "themes": check_themes,
    "practices": check_practices,
}


def make_runner(data_dir: Path, store=None, backend_name: str = "embedded") -> Run:
    """run(name, params) -> rows of the saved query on the graph built in data_dir (or on `store`).
    A query a back end is known to answer differently (servers.backend_difference) is an expected
    failure there."""
    from r2pkg.graph.savedqueries import run_saved
    from r2pkg.graph.store import open_store

    from servers import backend_difference

    store = store if store is not None else open_store(data_dir)
    cache: dict[tuple, list[dict]] = {}

    def run(name: str, params: dict) -> list[dict]:
        difference = backend_difference(backend_name, name)
        if difference:
            pytest.xfail(f"{backend_name}: {difference}")
        key = (name, tuple(sorted(params.items())))
        if key not in cache:
            cache[key] = run_saved(store, name, params)
        return cache[key]

    return run


# ------------------------------------------------------------------------------------------
# The bundled corpus
# ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def run_built(built_data_dir, backend, backend_store) -> Run:
    """The saved queries on the bundled corpus's build, on every back end (conftest.BACKENDS)."""
    return make_runner(built_data_dir, backend_store, backend.name)


def test_every_bundled_document_has_expected_facts():
    from r2pkg.graph.resources import CORPUS_DIR

    documents = {p.stem for p in CORPUS_DIR.glob("*.txt")}
    assert documents == {p.stem for p in EXPECTED_FILES}
    for path in EXPECTED_FILES:
        assert load_expected(path)["document"] == path.stem
        assert set(load_expected(path)) >= {"meeting", "network_size", "focal_points", "roles", "announcements",
                                             "announced_hosts", "coordination_groups", "situations",
                                             "recommendation_count", "recommendation_mechanisms",
                                             "recommendation_kinds", "meeting_statements"}


@pytest.mark.parametrize("path", EXPECTED_FILES, ids=lambda p: p.stem)
def test_expected_names_are_in_the_text(path):
    from r2pkg.graph.resources import CORPUS_DIR

    exp = load_expected(path)
    assert_names_in_text(exp, (CORPUS_DIR / f"{exp['document']}.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize("aspect", CHECKS)
@pytest.mark.parametrize("path", EXPECTED_FILES, ids=lambda p: p.stem)
def test_bundled_document_facts(run_built, path, aspect):
    CHECKS[aspect](run_built, load_expected(path))


def test_meetings_are_listed_in_order(run_built):
    ordinals = [r["ordinal"] for r in run_built("meetings", {})]
    assert ordinals == sorted(ordinals)
    assert {2, 5, 7, 9} <= set(ordinals)


def test_global_centre_hosted_one_meeting_and_was_partner_of_three(run_built):
    """The Global Centre co-hosted the ninth meeting; the second, fifth and seventh were held by their hosts
    "in association with" it: a partner, not a host (issue 12)."""
    centre = f"{ID}org/global-centre-for-the-responsibility-to-protect"
    rows = [r for r in run_built("hosts", {}) if r["host"] == centre]
    assert len(rows) == 1
    assert {int(o) for o in rows[0]["ordinals"].split("; ")} == {9}
    parties = [(r["ordinal"], r["party"]) for r in run_built("meeting-parties", {}) if r["agent"] == centre]
    assert sorted(parties) == [(2, "in association with"), (5, "in association with"), (7, "in association with"),
                               (9, "host")]


def test_hosting_by_a_part_is_hosting_by_the_whole(run_built):
    """The EEAS (a part of the EU) co-hosted the ninth meeting: asked who hosted, the EU has that meeting, as
    hosted through a part."""
    rows = {r["host"]: r for r in run_built("hosts", {})}
    eu = rows[f"{ID}org/european-union"]
    assert (eu["ordinals"], eu["throughParts"]) == ("9", "9")
    assert rows[f"{ID}org/european-external-action-service"]["throughParts"] == ""


def test_cote_d_ivoire_has_its_slug(run_built):
    """IRIs are slugs of the preferred name: Côte d'Ivoire -> id/state/cote-d-ivoire."""
    rows = [r for r in run_built("announcements", {}) if names_match("Côte d'Ivoire", r["agentLabel"])]
    assert {r["agent"] for r in rows} == {f"{ID}state/cote-d-ivoire"}


def test_network_grows(run_built):
    rows = {r["year"]: r for r in run_built("network-growth", {})}
    assert rows[2012]["states"] == 23
    assert rows[2019]["states"] == 61 and rows[2019]["organizations"] == 2
    assert rows[2019]["members"] == 63
    assert rows[2019]["growth"] == 63 - rows[rows[2019]["previousYear"]]["members"]


def test_evidence_of_a_meeting_fact(run_built):
    """The sentence behind "co-hosted by Qatar" is in the 2017 summary, at its offsets."""
    from r2pkg.graph.resources import CORPUS_DIR

    meeting = f"{ID}meeting/annual-meeting-7"
    rows = run_built("fact-evidence", {"subject": meeting, "predicate": "https://w3id.org/r2pkg/ontology#hostedBy"})
    assert rows, "no evidence for the hosts of the seventh meeting"
    assert {r["predicate"] for r in rows} == {"https://w3id.org/r2pkg/ontology#hostedBy"}
    qatar = [r for r in rows if r["object"] == f"{ID}state/qatar"]
    assert qatar
    text = (CORPUS_DIR / "2017-7th-annual-meeting-doha.txt").read_text(encoding="utf-8")
    for r in qatar:
        assert r["document"] == f"{ID}document/{slugify('2017-7th-annual-meeting-doha')}"
        assert text[r["start"]:r["end"]] == r["sentence"]
        assert "Qatar" in r["sentence"]


def test_state_profile_tells_asserted_from_inferred(run_built):
    rows = run_built("state-profile", {"state": f"{ID}state/qatar"})
    hosted = [r for r in rows if r["property"] == "https://w3id.org/r2pkg/ontology#hostedBy"
              and r["value"] == f"{ID}meeting/annual-meeting-7"]
    assert hosted and hosted[0]["status"] == "asserted" and hosted[0]["direction"] == "in"
    assert slugify("2017-7th-annual-meeting-doha") in hosted[0]["sources"]
    participated = [r for r in rows if r["property"] == "https://w3id.org/r2pkg/ontology#participatedIn"
                    and r["value"] == f"{ID}meeting/annual-meeting-7"]
    assert participated and participated[0]["status"] in {"inferred", "asserted"}
    assert {r["status"] for r in rows} >= {"asserted", "inferred"}
