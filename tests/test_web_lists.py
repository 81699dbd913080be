"""Lists to browse (/list, /list/<Class>, /documents): every class, sortable, filtered by facets, paged,
downloadable as CSV and JSON; the home page's counts lead to them."""
from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest

R2P = "https://w3id.org/r2pkg/ontology#"
AFRICAN_GROUP = "https://w3id.org/r2pkg/id/org/un-african-group"


@pytest.fixture(scope="module")
def corpus(make_app_client, built_data_dir):
    return make_app_client(DATA_DIR=str(built_data_dir), QUERIES_DIR=None)


def names_in(html: str) -> list[str]:
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    return [unescape(n) for n in re.findall(r'<tr>\s*<td><a href="[^"]+">([^<]+)</a>', body)]


def test_every_class_of_the_ontology_has_a_list(corpus):
    index = corpus.get("/list").get_data(as_text=True)
    links = sorted(set(re.findall(r'href="(/list/[A-Za-z]+)"', index)))
    assert "/list/State" in links and "/list/AnnualMeeting" in links and "/list/Person" in links
    assert len(links) >= 40
    for link in links:
        assert corpus.get(link).status_code == 200, link


@pytest.mark.parametrize("name", ["NoSuchClass", "Not a class", "x>y", "%3Cscript%3E", "State%00", "State.csv.json"])
def test_an_unknown_class_is_a_404(corpus, name):
    r = corpus.get("/list/" + name)
    assert r.status_code == 404
    assert "<script>" not in r.get_data(as_text=True)


def test_the_home_pages_class_counts_link_to_lists_showing_the_same_number(corpus):
    home = corpus.get("/").get_data(as_text=True)
    counts = re.findall(r'<td><a href="(/list/State\?named=yes)"[^>]*>State</a></td><td class="num"><a [^>]*>(\d+)</a>', home)
    assert counts, "the State count links to its list"
    href, n = counts[0]
    page = corpus.get(unescape(href)).get_data(as_text=True)
    assert re.search(rf"\b{n} of \d+", unescape(page))


def test_a_list_sorts_by_name_either_way(corpus):
    up = names_in(corpus.get("/list/State?named=yes").get_data(as_text=True))
    down = names_in(corpus.get("/list/State?named=yes&desc=1").get_data(as_text=True))
    assert up == sorted(up, key=str.lower) and down == list(reversed(up))


def test_a_facet_filters_and_its_counts_match(corpus):
    page = corpus.get("/list/State?named=yes").get_data(as_text=True)
    facet = re.search(r'<a href="([^"]*region=[^"]*)">African Group</a> <span class="meta">(\d+)</span>', page)
    assert facet
    filtered = corpus.get(unescape(facet.group(1))).get_data(as_text=True)
    rows = names_in(filtered)
    assert len(rows) == int(facet.group(2)) and "Ghana" in rows and "Denmark" not in rows


def test_lists_are_paged(corpus):
    first = corpus.get("/list/State").get_data(as_text=True)
    nxt = re.search(r'<a rel="next" href="([^"]+)"', first)
    assert nxt and "page 1 of" in first
    second = corpus.get(unescape(nxt.group(1))).get_data(as_text=True)
    assert set(names_in(first)).isdisjoint(names_in(second))


def test_csv_and_json_downloads_hold_the_filtered_rows(corpus):
    r = corpus.get(f"/list/State.csv?region={AFRICAN_GROUP}")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert rows and all(row["region"] == "African Group" for row in rows)
    assert {"iri", "label", "type", "region", "year", "meetings"} <= set(rows[0])
    body = corpus.get(f"/list/State.json?region={AFRICAN_GROUP}").get_json()
    assert body["matching"] == len(rows) and body["filters"] == {"region": AFRICAN_GROUP}
    assert sorted(x["label"] for x in body["rows"]) == sorted(x["label"] for x in rows)[:len(body["rows"])]
    assert "region" in body["facets"]


def test_meetings_filter_by_year(corpus):
    body = corpus.get("/list/AnnualMeeting.json?year=2019").get_json()
    assert body["matching"] >= 1 and all("2019" in r["year"] for r in body["rows"])


def test_the_documents_page_lists_the_corpus_with_metadata_and_counts(corpus):
    html = corpus.get("/documents").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td><a href=\"(/document/[^\"]+)\">", html)
    assert len(rows) == 4
    numbers = [int(n.replace(",", "")) for n in re.findall(r'<td class="num">([\d,]+)</td>', html)]
    assert numbers and all(n > 0 for n in numbers)
    publishers = re.findall(r'</td>\s*<td>([^<]+)</td>\s*<td><a href="/page/meeting/', html)
    assert len(publishers) == 4 and ">2019<" in html


def test_a_list_of_evidence_records_gives_each_its_class(corpus):
    """Records are not entities (the app keeps no types of theirs in memory), but their list still types them."""
    body = corpus.get("/list/Sentence.json").get_json()
    assert body["rows"] and all(row["type"] == "Sentence" for row in body["rows"])
