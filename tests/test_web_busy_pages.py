"""Busy entity pages: a property with many values is paged (count, first page, next link) without losing a fact,
each page's facts come with their sentences, and an extraction rule's page lists the facts it read."""
from __future__ import annotations

import re
from html import unescape

import pytest

ID = "https://w3id.org/r2pkg/id/"
R2P = "https://w3id.org/r2pkg/ontology#"
DOC = "2031-reef-dialogue-notes"
DIALOGUE = ID + "org/coral-reef-dialogue"
RULE = ID + "rule/rule_reef_sessions"
SESSIONS = 23


def _trig() -> str:
    """A made-up organization that 23 made-up sessions list as a participant, each fact with its own sentence
    and evidence naming one made-up rule."""
    doc, facts, evidence, text, start = ID + "document/" + DOC, [], [], [], 0
    for n in range(1, SESSIONS + 1):
        session = f"{ID}meeting/reef-session-{n:02d}"
        sentence = f"Reef session {n} welcomed the delegates of the Coral Reef Dialogue."
        end = start + len(sentence)
        facts.append(f'<{session}> a r2p:Meeting ; rdfs:label "Reef session {n:02d}"@en ; r2p:hasParticipant <{DIALOGUE}> .')
        sent = f"<{doc}#char={start},{end}>"
        evidence.append(f"""<{doc}/evidence/reef{n:02d}> a r2p:Evidence ; rdf:subject <{session}> ;
            rdf:predicate r2p:hasParticipant ; rdf:object <{DIALOGUE}> ; r2p:sentence {sent} ;
            r2p:extractedBy <{RULE}> .
        {sent} a r2p:Sentence ; oa:start {start} ; oa:end {end} ; oa:exact "{sentence}" ; oa:hasSource <{doc}> .""")
        text.append(sentence)
        start = end + 1
    return f"""@prefix r2p: <{R2P}> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
<https://w3id.org/r2pkg/graph/document/{DOC}> {{
  <{DIALOGUE}> a r2p:Organization ; rdfs:label "Coral Reef Dialogue"@en .
  {' '.join(facts)}
}}
<https://w3id.org/r2pkg/graph/evidence/{DOC}> {{
  {' '.join(evidence)}
}}
<https://w3id.org/r2pkg/graph/gazetteer> {{
  <{RULE}> a r2p:ExtractionRule ; rdfs:label "rule_reef_sessions"@en .
}}
"""


@pytest.fixture(scope="module")
def busy_client(tmp_path_factory, make_fixture_build, web_queries_dir):
    from r2pkg.webapp import create_app

    root = make_fixture_build(tmp_path_factory.mktemp("busy"), _trig())

    def make(**config):
        app = create_app({"TESTING": True, "DATA_DIR": str(root), "QUERIES_DIR": str(web_queries_dir), **config})
        return app.test_client()
    return make


def _html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _participant_rows(html: str) -> list[str]:
    """The sessions listed in the "has participant" group of the "Referred to by" table, in page order."""
    table = html[html.index("Referred to by"):]
    return re.findall(r'<span class="value"><a [^>]*>(Reef session \d\d)</a>', table)


@pytest.mark.parametrize("max_facts", [500, 5], ids=["read-and-sorted", "paged-by-the-store"])
def test_a_busy_group_shows_its_count_a_first_page_and_a_next_link_and_no_fact_is_lost(busy_client, max_facts):
    """With PAGE_MAX_FACTS=5 the 23 facts are over the read limit (4 x 5): the store pages them, in the order of
    a group read whole (by label), not in the store's own order."""
    client = busy_client(PAGE_MAX_FACTS=max_facts)
    html = _html(client, "/page/org/coral-reef-dialogue")
    assert re.search(r"has participant</a> <span class=\"count\">\(23\)</span>", html)
    seen, path, pages = [], "/page/org/coral-reef-dialogue", 0
    while path:
        html = _html(client, path)
        rows = _participant_rows(html)
        assert 0 < len(rows) <= 10
        for row in rows:       # each fact on the page with the sentence it was read from
            number = int(row.split()[-1])
            assert f"Reef session {number} welcomed the delegates" in html
        seen += rows
        pages += 1
        nxt = [unescape(u) for u in re.findall(r'<a rel="next" href="([^"]+)"', html) if "hasParticipant" in unescape(u)]
        path = nxt[0].split("#")[0] if nxt else None
    assert pages == 3
    assert seen == [f"Reef session {n:02d}" for n in range(1, SESSIONS + 1)]     # in label order, page after page


def test_a_rules_page_lists_the_facts_it_read_with_their_sentences_a_page_at_a_time(busy_client):
    client = busy_client(LIST_PAGE_SIZE=10)
    html = _html(client, "/page/rule/rule_reef_sessions")
    assert re.search(r"Facts this rule read <span class=\"count\">\(23\)</span>", html)
    found, path = [], "/page/rule/rule_reef_sessions"
    while path:
        html = _html(client, path)
        section = html[html.index('id="rule-facts"'):html.index("</section>", html.index('id="rule-facts"'))]
        rows = re.findall(r'<tr class="rule-fact">(.*?)</tr>', section, re.S)
        assert 0 < len(rows) <= 10
        for row in rows:
            session = re.search(r">Reef session (\d\d)<", row).group(1)
            assert "has participant" in row and "Coral Reef Dialogue" in row
            assert f"Reef session {int(session)} welcomed the delegates of the Coral Reef Dialogue." in row
            found.append(session)
        nxt = re.findall(r'<a rel="next" href="([^"]+)"', section)
        path = unescape(nxt[0]).split("#")[0] if nxt else None
    assert sorted(found) == [f"{n:02d}" for n in range(1, SESSIONS + 1)]


def test_an_entity_that_is_not_a_rule_has_no_list_of_facts_read(busy_client):
    assert 'id="rule-facts"' not in _html(busy_client(), "/page/org/coral-reef-dialogue")
