"""Reviewing in the web app: reviewers sign in (rate-limited), every write needs a signed-in reviewer and a
CSRF token, and what they decide shows on the pages for everyone, with controls for reviewers only."""
from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest

from r2pkg.graph import review
from r2pkg.graph.build import apply_review, build
from r2pkg.webapp import create_app

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "review"
ID = "https://w3id.org/r2pkg/id/"
R2P = "https://w3id.org/r2pkg/ontology#"
MEETING_PAGE = "/page/meeting/atrocity-lakeside-prevention-dialogues-2"
DOCUMENT_PAGE = "/document/lakeside-dialogue-2031"
PASSWORD = "a long test passphrase"
KENYA = (f"<{ID}meeting/atrocity-lakeside-prevention-dialogues-2>", f"<{R2P}hasParticipant>", f"<{ID}state/kenya>")
WRITES = ["/review/decide", "/review/withdraw", "/review/add", "/review/logout"]


@pytest.fixture
def data_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("review-web")
    shutil.copytree(FIXTURE, root / "corpus")
    build([root / "corpus"], root / "data")
    review.add_user(root / "data", "ana", PASSWORD)
    return root / "data"


def client_of(data_dir: Path, **config):
    return create_app({"DATA_DIR": str(data_dir), "TESTING": True, **config}).test_client()


def token(client, path: str = "/review/login") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client) -> None:
    r = client.post("/review/login", data={"name": "ana", "password": PASSWORD, "csrf_token": token(client)})
    assert r.status_code == 302


def decisions(data_dir: Path) -> list[review.Decision]:
    return review.read_decisions(review.decisions_path(data_dir))[0]


def reject_form(tok: str, **extra) -> dict:
    return {"csrf_token": tok, "decision": "reject", "subject": KENYA[0], "property": KENYA[1], "object": KENYA[2],
            "document": "lakeside-dialogue-2031", "exact": "Representatives of Peru, Ecuador and Kenya took part",
            "reason": "Kenya is not in the list", "next": MEETING_PAGE, **extra}


def test_an_anonymous_visitor_sees_no_controls_and_no_tokens(data_dir):
    client = client_of(data_dir)
    for path in (MEETING_PAGE, DOCUMENT_PAGE, "/review/decisions"):
        html = client.get(path).get_data(as_text=True)
        assert "review-controls" not in html and "csrf_token" not in html and "review-add" not in html
        assert "Reviewer sign-in" in html
    assert client.get("/review/queue").status_code == 302            # to the sign-in page


@pytest.mark.parametrize("path", WRITES)
def test_every_write_refuses_an_unauthenticated_request(data_dir, path):
    client = client_of(data_dir)
    r = client.post(path, data=reject_form(token(client)))
    assert r.status_code in (302, 401) and (r.status_code == 401 or "/review/login" in r.headers["Location"])
    assert decisions(data_dir) == []


@pytest.mark.parametrize("path", WRITES + ["/review/login"])
@pytest.mark.parametrize("tok", [None, "forged", "stale"])
def test_every_write_refuses_a_request_without_a_valid_csrf_token(data_dir, path, tok):
    client = client_of(data_dir)
    sign_in(client)
    value = {"forged": "x" * 40, "stale": token(client_of(data_dir, SECRET_KEY="another key"))}.get(tok)
    form = {k: v for k, v in reject_form(value or "").items() if tok or k != "csrf_token"}
    form |= {"name": "ana", "password": PASSWORD, "id": "any"}
    r = client.post(path, data=form)
    assert r.status_code == 400
    assert decisions(data_dir) == []
    assert "Signed in as" in client.get("/").get_data(as_text=True)     # logout refused too


def test_a_wrong_password_is_refused_and_sign_in_attempts_are_rate_limited(data_dir):
    client = client_of(data_dir, REVIEW_LOGIN_LIMIT="3 per minute")
    tok = token(client)
    for _ in range(3):
        r = client.post("/review/login", data={"name": "ana", "password": "guess", "csrf_token": tok})
        assert r.status_code == 401 and "Unknown name or wrong password" in r.get_data(as_text=True)
    r = client.post("/review/login", data={"name": "ana", "password": PASSWORD, "csrf_token": tok})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert "review-controls" not in client.get(MEETING_PAGE).get_data(as_text=True)


def test_session_cookie_is_httponly_lax_and_secure_under_https(data_dir):
    client = client_of(data_dir, BASE_URL="https://r2p.example.org")
    page = client.get("/review/login", base_url="https://r2p.example.org").get_data(as_text=True)
    tok = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = client.post("/review/login", data={"name": "ana", "password": PASSWORD, "csrf_token": tok},
                    base_url="https://r2p.example.org", headers={"Referer": "https://r2p.example.org/review/login"})
    assert r.status_code == 302
    cookie = next(v for k, v in r.headers.items() if k == "Set-Cookie" and v.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_a_reviewer_rejects_a_fact_and_everyone_sees_it_on_the_page(data_dir):
    client = client_of(data_dir)
    sign_in(client)
    html = client.get(MEETING_PAGE).get_data(as_text=True)
    assert "review-controls" in html and "Signed in as" in html
    r = client.post("/review/decide", data=reject_form(token(client, MEETING_PAGE)))
    assert r.status_code == 302 and r.headers["Location"].endswith(MEETING_PAGE)
    [d] = decisions(data_dir)
    assert (d.who, d.decision, d.fact, d.reason) == ("ana", "reject", KENYA, "Kenya is not in the list")
    assert d.evidence.document == "lakeside-dialogue-2031"
    anonymous = client_of(data_dir).get(MEETING_PAGE).get_data(as_text=True)
    assert "rejected by ana" in anonymous and "review-controls" not in anonymous
    apply_review(data_dir)
    page = client_of(data_dir).get("/page/state/kenya").get_data(as_text=True)
    assert "Lakeside" not in page.split('id="statements"')[1].split("Mentioned in")[0]


def test_a_rejection_needs_a_reason(data_dir):
    client = client_of(data_dir)
    sign_in(client)
    r = client.post("/review/decide", data=reject_form(token(client, MEETING_PAGE), reason=""))
    assert r.status_code == 400 and "reason" in r.get_data(as_text=True)
    assert decisions(data_dir) == []


def test_a_correction_keeps_the_evidence_and_shows_who_made_it_after_apply(data_dir):
    client = client_of(data_dir)
    sign_in(client)
    form = reject_form(token(client, MEETING_PAGE), decision="correct", object=f"<{ID}state/ecuador>",
                       new_object=f"{ID}state/peru", reason="")
    assert client.post("/review/decide", data=form).status_code == 302
    [d] = decisions(data_dir)
    assert d.corrected[2] == f"<{ID}state/peru>" and d.evidence.exact.startswith("Representatives")
    apply_review(data_dir)
    html = client_of(data_dir).get(MEETING_PAGE).get_data(as_text=True)
    statements = html.split('id="statements"')[1].split("Mentioned in")[0]
    assert "correction by ana" in statements and 'href="/page/state/ecuador"' not in statements


def test_a_reviewer_adds_a_fact_from_selected_text_with_a_new_entity(data_dir):
    client = client_of(data_dir)
    sign_in(client)
    html = client.get(DOCUMENT_PAGE).get_data(as_text=True)
    assert 'id="review-add"' in html and f"{R2P}hostedBy" in html          # the properties to choose from
    text = "The Government of Chile hosted the second Lakeside Dialogue in Valparaiso"
    r = client.post("/review/add", data={
        "csrf_token": token(client, DOCUMENT_PAGE), "document": "lakeside-dialogue-2031", "exact": text,
        "start": "64", "end": str(64 + len(text)), "subject": f"{ID}meeting/atrocity-lakeside-prevention-dialogues-2",
        "property": f"{R2P}location", "new_slot": "object", "new_type": f"{R2P}City", "new_label": "Valparaiso",
        "next": DOCUMENT_PAGE})
    assert r.status_code == 302, r.get_data(as_text=True)
    [d] = decisions(data_dir)
    assert d.decision == "add" and d.fact[2] == f"<{ID}city/valparaiso>"
    assert d.new_entities == (review.NewEntity(f"{ID}city/valparaiso", f"{R2P}City", "Valparaiso"),)
    report = apply_review(data_dir)
    assert report.review["orphaned"] == []
    doc = client_of(data_dir).get(DOCUMENT_PAGE).get_data(as_text=True)
    assert "Facts reviewers added from this document" in doc and "added by ana" in doc
    assert client_of(data_dir).get("/page/city/valparaiso").status_code == 200


def test_an_addition_of_an_entity_not_in_the_graph_is_refused(data_dir):
    client = client_of(data_dir)
    sign_in(client)
    r = client.post("/review/add", data={
        "csrf_token": token(client, DOCUMENT_PAGE), "document": "lakeside-dialogue-2031", "exact": "Chile",
        "subject": f"{ID}meeting/atrocity-lakeside-prevention-dialogues-2", "property": f"{R2P}hostedBy",
        "object": f"{ID}state/narnia"})
    assert r.status_code == 400 and "choose an entity" in r.get_data(as_text=True)
    assert decisions(data_dir) == []


def test_withdrawing_keeps_the_history(data_dir):
    client = client_of(data_dir)
    sign_in(client)
    client.post("/review/decide", data=reject_form(token(client, MEETING_PAGE)))
    [d] = decisions(data_dir)
    r = client.post("/review/withdraw", data={"csrf_token": token(client, MEETING_PAGE), "id": d.id,
                                               "next": "/review/decisions"})
    assert r.status_code == 302
    assert [x.decision for x in decisions(data_dir)] == ["reject", "withdraw"]
    history = client_of(data_dir).get("/review/decisions").get_data(as_text=True)
    assert "withdrawn" in history and "Kenya is not in the list" in history
    assert "rejected by ana" not in client_of(data_dir).get(MEETING_PAGE).get_data(as_text=True)


def test_the_queue_lists_unreviewed_facts_filterable_riskiest_first(data_dir):
    client = client_of(data_dir)
    sign_in(client)
    client.post("/review/decide", data=reject_form(token(client, MEETING_PAGE)))
    html = client.get("/review/queue").get_data(as_text=True)
    rows = html.split('class="queue-item"')[1:]
    assert rows and all("state/kenya\"" not in row or "hasParticipant" not in row for row in rows)
    # a rejected participant makes the other participants the riskiest facts
    assert "Participant" in rows[0] or "participant" in rows[0]
    only = client.get("/review/queue", query_string={"property": f"{R2P}inSeries"}).get_data(as_text=True)
    assert only.count('class="queue-item"') == 1
    assert client.get("/review/queue?document=nothing-such").get_data(as_text=True).count('class="queue-item"') == 0


def test_the_queue_filters_and_weighs_facts_by_the_rule_that_read_them(data_dir):
    """Peru and Ecuador were read by the participants rule, Chile's participation by the focal-point rule: the
    rule filter gives each rule's own facts, not every fact of a property the rule declares it writes."""
    client = client_of(data_dir)
    sign_in(client)

    def participants(rule: str) -> set[str]:
        query = {"rule": rule, "property": KENYA[1][1:-1]}
        html = client.get("/review/queue", query_string=query).get_data(as_text=True)
        rows = html.split('class="queue-item"')[1:]
        assert all(f'title="rules: {rule}"' in row for row in rows)
        return {state for row in rows for state in re.findall(r"state/([a-z-]+)", row)}

    assert participants("rule_participants") == {"peru", "ecuador", "kenya"}
    assert participants("rule_focal_points") == {"chile"}
    # Kenya rejected (the participants rule's), Chile confirmed (the focal-point rule's): the property stands at
    # even odds, the participants rule at worse, and the person the persons rule read is no riskier than its property.
    client.post("/review/decide", data=reject_form(token(client, MEETING_PAGE)))
    client.post("/review/decide", data={**reject_form(token(client, MEETING_PAGE)), "decision": "confirm",
                                        "object": f"<{ID}state/chile>", "reason": ""})
    apply_review(data_dir)      # the rejected fact leaves the evidence: its rule comes from graph/review/rejected
    html = client.get("/review/queue", query_string={"property": KENYA[1][1:-1]}).get_data(as_text=True)
    risk = {who: float(value) for value, who in
            re.findall(r'title="rules: [a-z_]+">([0-9.]+)</td>.*?(?:state|person)/([a-z-]+)', html, re.S)}
    assert set(risk) == {"peru", "ecuador", "odalys-ferreyra-quist"}
    assert risk["peru"] == risk["ecuador"] == round(2 / 3, 2) > risk["odalys-ferreyra-quist"] == 0.5


def test_a_rule_has_a_page_with_what_it_reads(data_dir):
    client = client_of(data_dir)
    assert client.get("/id/rule/rule_participants").status_code == 303
    page = client.get("/page/rule/rule_participants").get_data(as_text=True)
    assert "rule_participants" in page and "took part in the document" in page


def test_a_signed_in_reviewers_pages_are_never_cached_and_public_pages_change_with_a_decision(data_dir):
    client = client_of(data_dir)
    assert client.get("/review/login").headers["Cache-Control"] == "private, no-store"
    before = client.get(MEETING_PAGE).headers["ETag"]
    sign_in(client)
    r = client.get(MEETING_PAGE)
    assert r.headers["Cache-Control"] == "private, no-store" and "ETag" not in r.headers
    client.post("/review/decide", data=reject_form(token(client, MEETING_PAGE)))
    assert client_of(data_dir).get(MEETING_PAGE).headers["ETag"] != before


def test_passwords_appear_in_no_log_and_no_file(data_dir, caplog):
    client = client_of(data_dir, REQUEST_LOG=True)
    with caplog.at_level(logging.DEBUG):
        sign_in(client)
        client.post("/review/login", data={"name": "ana", "password": PASSWORD + "x", "csrf_token": token(client)})
    assert PASSWORD not in caplog.text
    assert not any(PASSWORD.encode() in p.read_bytes() for p in data_dir.rglob("*") if p.is_file())


def test_the_sparql_endpoint_stays_read_only_for_a_signed_in_reviewer(data_dir):
    client = client_of(data_dir)
    sign_in(client)
    update = f"INSERT DATA {{ <{ID}x> <{R2P}y> <{ID}z> }}"
    for r in (client.post("/sparql", data={"update": update}),
              client.post("/sparql", data=update, content_type="application/sparql-update")):
        assert r.status_code in (400, 403, 405, 415)
    ask = client.get("/sparql", query_string={"query": f"ASK {{ <{ID}x> ?p ?o }}"},
                     headers={"Accept": "application/sparql-results+json"})
    assert ask.get_json()["boolean"] is False


@pytest.mark.parametrize("target", ["//evil.example/x", "/\t/evil.example", "/\\evil.example", "https://evil.example/",
                                    "javascript:alert(1)"])
def test_after_signing_in_a_reviewer_is_sent_only_to_a_page_of_this_site(data_dir, target):
    client = client_of(data_dir)
    r = client.post("/review/login", data={"name": "ana", "password": PASSWORD, "csrf_token": token(client),
                                           "next": target})
    assert r.status_code == 302 and r.headers["Location"] == "/"


# --------------------------------------------------------------------------------------------
# The queue at scale: a page of facts is all a request asks the store for
# --------------------------------------------------------------------------------------------

EVIDENCE_FACTS = f"""SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?ev <{R2P}sentence> ?x ;
    <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?p ;
    <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o }}
    FILTER(STRSTARTS(STR(?g), "https://w3id.org/r2pkg/graph/evidence/")) }}"""


@pytest.fixture(scope="module")
def summaries_dir(tmp_path_factory) -> Path:
    """Two synthetic meeting summaries (bench/corpus.py): a thousand facts and more, many per property."""
    from bench import corpus

    root = tmp_path_factory.mktemp("queue-web")
    corpus.generate(2, root / "corpus", seed=3)
    build([root / "corpus"], root / "data")
    review.add_user(root / "data", "ana", PASSWORD)
    return root / "data"


class RecordingStore:
    """The served store, recording the text of every query sent to it."""

    def __init__(self, store):
        self._store, self.queries = store, []

    def query(self, text, **options):
        self.queries.append(text)
        return self._store.query(text, **options)

    def __getattr__(self, name):
        return getattr(self._store, name)


def queue_rows(html: str) -> list[str]:
    return html.split('class="queue-item"')[1:]


def all_facts(data_dir: Path) -> set[tuple[str, str, str]]:
    from r2pkg.graph.store import open_store
    from r2pkg.webapp.reviewing import term_nt

    store = open_store(data_dir, read_only=True)
    return {(term_nt(r["s"]), term_nt(r["p"]), term_nt(r["o"])) for r in store.query(EVIDENCE_FACTS)}


def facts_of_page(html: str) -> list[tuple[str, str, str]]:
    """The facts a queue page lists, read from each row's review link or form."""
    import html as htmllib
    from urllib.parse import parse_qsl, urlsplit

    out = []
    for row in queue_rows(html):
        link = re.search(r'href="(/review/fact\?[^"]+)"', row)
        if link:
            q = dict(parse_qsl(urlsplit(htmllib.unescape(link.group(1))).query))
        else:
            q = {k: htmllib.unescape(v) for k, v in re.findall(r'name="(subject|property|object)" value="([^"]*)"', row)}
        out.append(tuple(review.term(v if v[:1] in '<"' else f"<{v}>") for v in (q["subject"], q["property"], q["object"])))
    return out


def test_a_queue_page_asks_the_store_for_one_page_of_facts_not_all_evidence(summaries_dir, monkeypatch):
    from r2pkg.webapp import graphdata, reviewqueue

    monkeypatch.setattr(reviewqueue, "QUEUE_PAGE", 5)
    facts = all_facts(summaries_dir)
    assert len(facts) > 500
    client = client_of(summaries_dir)
    sign_in(client)
    # the build's lists (its documents, the properties with facts, those of a kind's entities): once per build
    client.get("/review/queue", query_string={"kind": "meeting"})
    served = graphdata.GraphData.store.fget(client.application.extensions["r2pkg.graph"])
    recording = RecordingStore(served)
    monkeypatch.setattr(graphdata.GraphData, "store", property(lambda self: recording))
    for query in ({}, {"kind": "meeting"}, {"property": f"{R2P}hasParticipant", "page": "2"}):
        recording.queries.clear()
        html = client.get("/review/queue", query_string=query).get_data(as_text=True)
        assert recording.queries, "the queue reads the store"
        for text in recording.queries:
            limits = [int(n) for n in re.findall(r"\bLIMIT\s+(\d+)", text)]
            assert limits and max(limits) <= 10 * 5, f"a query reads more than a few pages:\n{text}"
        assert len(queue_rows(html)) == 5


def test_the_pages_of_the_queue_list_every_unreviewed_fact_once_riskiest_first(summaries_dir, monkeypatch):
    from r2pkg.webapp import reviewqueue

    monkeypatch.setattr(reviewqueue, "QUEUE_PAGE", 40)
    client = client_of(summaries_dir)
    sign_in(client)
    document = sorted(p.stem for p in summaries_dir.parent.joinpath("corpus").glob("*.txt"))[0]
    html = client.get("/review/queue", query_string={"kind": "state", "document": document}).get_data(as_text=True)
    shown = facts_of_page(html)
    rejected = shown[0]
    confirmed = next(f for f in shown if f[1] != rejected[1])
    tok = token(client, "/review/queue")
    for fact, kind in ((rejected, "reject"), (confirmed, "confirm")):
        form = {"csrf_token": tok, "decision": kind, "subject": fact[0], "property": fact[1], "object": fact[2],
                "reason": "not said"}
        assert client.post("/review/decide", data=form).status_code == 302
    seen, risks, page = [], [], 1
    while True:
        html = client.get("/review/queue", query_string={"document": document, "page": page}).get_data(as_text=True)
        seen += facts_of_page(html)
        risks += [float(r) for r in re.findall(r'<td class="risk"[^>]*>([0-9.]+)</td>', html)]
        if 'rel="next"' not in html:
            break
        page += 1
    assert page > 3
    expected = {f for f in all_facts_of(summaries_dir, document)} - {rejected, confirmed}
    assert len(seen) == len(set(seen)), len(seen)
    assert set(seen) == expected, (set(seen) - expected, expected - set(seen))
    assert risks == sorted(risks, reverse=True) and risks[0] > 0.5
    # the rejected fact's property comes first: its other facts are the likeliest to be wrong
    assert seen[0][1] == rejected[1]


def all_facts_of(data_dir: Path, document: str) -> set[tuple[str, str, str]]:
    from r2pkg.graph.store import open_store
    from r2pkg.webapp.reviewing import term_nt

    store = open_store(data_dir, read_only=True)
    query = EVIDENCE_FACTS.replace("GRAPH ?g", f"GRAPH <https://w3id.org/r2pkg/graph/evidence/{document}>").replace(
        'FILTER(STRSTARTS(STR(?g), "https://w3id.org/r2pkg/graph/evidence/"))', "")
    return {(term_nt(r["s"]), term_nt(r["p"]), term_nt(r["o"])) for r in store.query(query)}


# --------------------------------------------------------------------------------------------
# A reviewer's document page: small, every write with its token, and a path without JavaScript
# --------------------------------------------------------------------------------------------

def post_forms(html: str) -> list[str]:
    return re.findall(r'<form method="post".*?</form>', html, flags=re.S)


def test_a_reviewers_document_page_costs_a_link_per_fact_not_its_forms(summaries_dir):
    """Each fact row carries a link naming the fact (about 350 bytes), its status and the controls' summary;
    the forms are on the page once, in a template (they cost about 2 KB a row when each row had its own)."""
    document = sorted(p.stem for p in summaries_dir.parent.joinpath("corpus").glob("*.txt"))[0]
    client = client_of(summaries_dir)
    sign_in(client)
    html = client.get(f"/document/{document}").get_data(as_text=True)
    anonymous = client_of(summaries_dir).get(f"/document/{document}").get_data(as_text=True)
    rows = html.count('class="review-controls"')
    assert rows > 300
    assert (len(html.encode()) - len(anonymous.encode())) / rows < 600
    assert html.count('id="review-form-template"') == 1


def test_every_form_of_a_reviewers_pages_carries_the_csrf_token(summaries_dir):
    document = sorted(p.stem for p in summaries_dir.parent.joinpath("corpus").glob("*.txt"))[0]
    client = client_of(summaries_dir)
    sign_in(client)
    for path in (f"/document/{document}", "/review/queue", "/page/state/norway", "/review/decisions"):
        forms = post_forms(client.get(path).get_data(as_text=True))
        assert forms, path
        assert all(re.search(r'name="csrf_token" value="[^"]{20,}"', form) for form in forms), path


def test_without_javascript_a_row_links_to_its_facts_review_page_whose_forms_decide(data_dir):
    client = client_of(data_dir)
    sign_in(client)
    html = client.get(MEETING_PAGE).get_data(as_text=True)
    import html as htmllib
    link = next(htmllib.unescape(href) for href in re.findall(r'class="review-open" href="([^"]+)"', html)
                if "state/kenya" in href and "hasParticipant" in href)
    page = client.get(link, headers={"Referer": f"http://localhost{MEETING_PAGE}"}).get_data(as_text=True)
    [form] = [f for f in post_forms(page) if 'class="review-form"' in f]
    fields = {k: htmllib.unescape(v) for k, v in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form)}
    assert (fields["subject"], fields["property"], fields["object"]) == KENYA and fields["next"] == MEETING_PAGE
    r = client.post("/review/decide", data={**fields, "decision": "reject", "reason": "not in the list"})
    assert r.status_code == 302 and r.headers["Location"].endswith(MEETING_PAGE)
    [d] = decisions(data_dir)
    assert d.fact == KENYA and d.evidence.exact.startswith("Representatives of Peru, Ecuador and Kenya")
    assert client_of(data_dir).get(link).status_code == 302                # reviewers only
