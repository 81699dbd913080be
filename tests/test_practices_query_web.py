"""The catalogue of practices: the saved query national-practices (parameters state and kind, both optional) and
the Practices section of a state's or organization's page, on the bundled corpus's build."""
from __future__ import annotations

import re

import pytest

from r2pkg.graph.resources import QUERIES_DIR

ID = "https://w3id.org/r2pkg/id/"
COLUMNS = ["practice", "actor", "actorLabel", "kind", "kindLabel", "object", "objectLabel", "date", "year", "place",
           "placeLabel", "text", "document"]


@pytest.fixture(scope="module")
def run(built_data_dir):
    from r2pkg.graph.savedqueries import run_saved
    from r2pkg.graph.store import open_store

    store = open_store(built_data_dir)
    return lambda params: run_saved(store, "national-practices", params)


@pytest.fixture(scope="module")
def web(built_data_dir, make_app_client):
    return make_app_client(DATA_DIR=str(built_data_dir), QUERIES_DIR=str(QUERIES_DIR))


def test_every_practice_with_its_columns(run):
    rows = run({})
    assert rows and list(rows[0]) == COLUMNS
    costa_rica = [r for r in rows if r["actor"] == f"{ID}state/costa-rica"]
    assert [(r["kind"], r["objectLabel"], r["year"]) for r in costa_rica] == [
        ("established-body", "National Commission for International Humanitarian Law", 2005)]
    assert costa_rica[0]["text"].startswith("In 2005, under the sponsorship of the International Red Cross")
    assert costa_rica[0]["document"] == f"{ID}document/2012-2nd-annual-meeting"


def test_a_practice_of_several_states_has_a_row_for_each(run):
    referral = [r for r in run({"kind": "referral"})]
    assert {r["actorLabel"] for r in referral} == {"Argentina", "Chile", "Colombia", "Paraguay", "Peru", "Canada"}
    assert len({r["practice"] for r in referral}) == 1
    assert {(r["objectLabel"], r["year"]) for r in referral} == {("Venezuela", 2018)}


def test_a_state_by_name_and_a_kind(run):
    rows = run({"state": "Denmark", "kind": "review"})
    assert [r["actorLabel"] for r in rows] == ["Denmark"]
    assert rows[0]["date"] is None and rows[0]["year"] is None


def test_an_organization_takes_in_its_bodies(run):
    rows = run({"state": "European Union"})
    assert {r["actorLabel"] for r in rows} == {"European Union", "European Commission"}


def test_an_unknown_kind_gives_nothing(run):
    assert run({"kind": "not-a-kind"}) == []


def test_the_api_answers_with_the_parameters(web):
    answer = web.get("/api/queries/national-practices?state=Costa+Rica&kind=established-body").get_json()
    rows = answer["results"]["bindings"]
    assert [r["objectLabel"]["value"] for r in rows] == ["National Commission for International Humanitarian Law"]


def test_a_state_page_lists_its_practices_with_their_sentences(web):
    html = web.get("/page/state/costa-rica").get_data(as_text=True)
    section = re.search(r'<section class="card practices".*?</section>', html, re.S)
    assert section, "no Practices section on a state's page"
    body = section.group(0)
    assert ">Practices</h2>" in body
    assert "established a body or post" in body and "National Commission for International Humanitarian Law" in body
    assert "(2005)" in body
    assert "“In 2005, under the sponsorship of the International Red Cross, Costa Rica created" in body
    assert 'href="/document/2012-2nd-annual-meeting#char=' in body


def test_an_organization_page_shows_what_its_bodies_did(web):
    body = re.search(r'<section class="card practices".*?</section>', web.get("/page/org/european-union")
                     .get_data(as_text=True), re.S).group(0)
    assert "Code of conduct on countering illegal hate speech online" in body
    assert 'by <a href="/page/org/european-commission"' in body


def test_a_state_without_practices_says_so_and_a_meeting_has_no_section(web):
    france = web.get("/page/state/france").get_data(as_text=True)
    assert "The documents describe no practice of France." in france
    meeting = web.get("/page/meeting/annual-meeting-9").get_data(as_text=True)
    assert 'class="card practices"' not in meeting
