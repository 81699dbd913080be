"""Document pages: text with mentions linked, evidence sentences anchored, metadata, facts."""
from __future__ import annotations

import re

from r2pkg.webapp.bp_document import render_text


def test_document_page(client):
    r = client.get("/document/2015-5th-annual-meeting-madrid")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "<h1>Fifth Meeting of the Global Network of R2P Focal Points, Madrid, Spain, June 2015</h1>" in html
    assert "Global Centre for the Responsibility to Protect" in html          # metadata
    assert '<a class="mention" href="/page/person/jennifer-welsh"' in html     # mentions linked
    anchors = re.findall(r'id="char=(\d+),(\d+)"', html)
    assert anchors                                                            # sentence anchors
    assert "Facts drawn from this document" in html and "/page/meeting/5th-annual-meeting" in html


def test_sentence_anchor_matches_evidence_links(client):
    entity = client.get("/page/state/spain").get_data(as_text=True)
    link = re.search(r'href="/document/2015-5th-annual-meeting-madrid#(char=\d+,\d+)"', entity).group(1)
    doc = client.get("/document/2015-5th-annual-meeting-madrid").get_data(as_text=True)
    assert f'id="{link}"' in doc


def test_unknown_document(client):
    r = client.get("/document/2099-annual-meeting")
    assert r.status_code == 404 and "No such document" in r.get_data(as_text=True)


class _Urls:
    @staticmethod
    def link(iri):
        return "/e/" + iri


class _Data:
    @staticmethod
    def label(iri):
        return iri.upper()


def test_render_text_nests_and_escapes():
    text = "A <b> & C. Next one."
    html = str(render_text(text, [(0, 10), (11, 20)], [(0, 1, "a"), (8, 13, "c")], _Urls, _Data))
    assert "&lt;b&gt; &amp;" in html
    assert html.count("<span") == html.count("</span>") and html.count("<a ") == html.count("</a>")
    assert 'id="char=0,10"' in html and 'id="char=11,20"' in html
    # a mention crossing a sentence boundary is cut, the markup still nests
    import html as html_lib

    assert html_lib.unescape(re.sub(r"<[^>]+>", "", html)) == text
