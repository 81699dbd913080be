"""A PDF's document page: page breaks and numbers in the text, the original file served, evidence at its page."""
from __future__ import annotations

import re

import pytest

from pdfs import Layout, write_pdf
from r2pkg.graph.build import build

# Made-up material: a regional network of mediators meeting in a made-up city, laid out over several pages.
MEDIATORS = """Summary of the Third Meeting of the Lakeside Mediators Network

The third meeting of the Lakeside Mediators Network was held in Vellmar Bay on 9 and 10 October 2023. \
The governments of Ghana and Norway hosted the meeting, and representatives of twenty states took part.

""" + "\n\n".join(
    f"Session {n} asked how mediators keep talking with armed groups when a ceasefire fails, and how they report "
    f"what they learn to the regional early warning office without putting sources at risk." for n in range(1, 9)
) + """

Participants recommended that each member state name a senior official to coordinate mediation support. Representatives of Kenya and Peru also took part in the meeting.
"""
RUNNING_HEAD = "LMN bulletin, draft for members"


@pytest.fixture(scope="module")
def app_client(tmp_path_factory):
    from r2pkg.webapp import create_app

    root = tmp_path_factory.mktemp("original")
    corpus = root / "corpus"
    corpus.mkdir()
    write_pdf(corpus / "lakeside-mediators-2023.pdf", MEDIATORS,
              Layout(running_head=RUNNING_HEAD, page_number="{n}", lines_per_column=14))
    (corpus / "notes.txt").write_text("Notes of a meeting\n\nThe Government of Chile hosted a meeting of the "
                                      "network in Santiago, Chile on 2 May 2021.\n", encoding="utf-8")
    build([corpus], root / "data")
    app = create_app({"TESTING": True, "DATA_DIR": str(root / "data")})
    return app.test_client(), corpus


def test_the_document_page_shows_where_each_page_starts(app_client):
    client, _corpus = app_client
    html = client.get("/document/lakeside-mediators-2023").get_data(as_text=True)
    pages = [int(n) for n in re.findall(r'class="page-break" id="page=(\d+)"', html)]
    assert len(pages) >= 3 and pages == list(range(1, len(pages) + 1))
    assert RUNNING_HEAD not in html   # the running head is not text


def test_evidence_links_open_the_pdf_at_the_page_of_the_sentence(app_client):
    client, _corpus = app_client
    html = client.get("/document/lakeside-mediators-2023").get_data(as_text=True)
    rows = re.findall(r'href="/document/lakeside-mediators-2023#char=(\d+),(\d+)">[^<]*</a> · '
                      r'<a href="/document/lakeside-mediators-2023/original#page=(\d+)" class="pdf-page">p\. (\d+)<', html)
    assert rows
    markers = [(m.start(), int(m.group(1))) for m in re.finditer(r'class="page-break" id="page=(\d+)"', html)]
    for start, end, linked, shown in rows:
        anchor = html.index(f'id="char={start},{end}"')
        page_in_text = max(n for at, n in markers if at < anchor)
        assert int(linked) == int(shown) == page_in_text
    assert len({linked for _s, _e, linked, _shown in rows}) >= 2   # facts from more than one page


def test_the_original_pdf_is_served_for_the_browser_to_show(app_client):
    client, corpus = app_client
    r = client.get("/document/lakeside-mediators-2023/original")
    assert r.status_code == 200
    assert r.mimetype == "application/pdf"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Content-Disposition"].startswith("inline")
    assert r.data == (corpus / "lakeside-mediators-2023.pdf").read_bytes()


def test_other_originals_are_downloaded_never_rendered_here(app_client):
    client, corpus = app_client
    r = client.get("/document/notes/original")
    assert r.status_code == 200 and r.mimetype == "text/plain"
    assert r.headers["Content-Disposition"].startswith("attachment") and "notes.txt" in r.headers["Content-Disposition"]
    assert "sandbox" in r.headers["Content-Security-Policy"]
    assert r.data == (corpus / "notes.txt").read_bytes()
    page = client.get("/document/notes").get_data(as_text=True)
    assert 'href="/document/notes/original"' in page and "page-break" not in page


@pytest.mark.parametrize("slug", ["no-such-document", "..", "notes.txt", "lakeside-mediators-2023.pdf"])
def test_no_original_for_an_unknown_slug(app_client, slug):
    client, _corpus = app_client
    assert client.get(f"/document/{slug}/original").status_code == 404
