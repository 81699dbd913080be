"""PDFs as summaries are published: the same facts as the text, and each evidence sentence on its page.

The PDFs are made here by tests/pdfs.py (reportlab): running heads, page numbers, one or two columns, words
hyphenated at line and page ends. A scan, a PDF that needs a password, a cut-off one and an empty one are
each refused in one line naming the file, and the build goes on with the others.
"""
from __future__ import annotations

import re


import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pdfs import Layout, render_pdf, write_pdf
from r2pkg.graph.build import build
from r2pkg.graph.resources import CORPUS_DIR
from r2pkg.loaders import DocumentError, load_document
from r2pkg.loaders.text import clean

# Each bundled summary with a layout of its own: the heads, feet and columns vary as publishers' do.
LAYOUTS = {
    "2012-2nd-annual-meeting.txt": Layout(columns=1, running_head="Network of focal points | meeting summary",
                                          page_number="{n}"),
    "2015-5th-annual-meeting-madrid.txt": Layout(columns=2, running_head="Annual meeting 2015: summary",
                                                 page_number="Page {n}"),
    "2017-7th-annual-meeting-doha.txt": Layout(columns=2, running_head=None, page_number="– {n} –"),
    "2019-9th-annual-meeting-brussels.txt": Layout(columns=1, running_head="Summary of the annual meeting",
                                                   page_number="{n}", lines_per_column=40),
}


def _facts(doc) -> set[tuple]:
    return {(_term(doc, f.subject), f.predicate, f.object) for f in doc.facts}


def _term(doc, term):
    """A sentence by its words: its IRI holds its offsets in its own document's text (r2p:discussesTheme's subject),
    which a PDF lays out otherwise."""
    if "#char=" not in str(term):
        return term
    start, end = map(int, str(term).rsplit("=", 1)[1].split(","))
    return " ".join(re.sub(r"(?<=\w)-\s+(?=[a-z])", "", doc.text[start:end]).split())   # a word hyphenated at a line end


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_a_summary_rendered_to_pdf_yields_the_facts_of_its_text_each_on_its_page(tmp_path, name):
    source = CORPUS_DIR / name
    slug = source.stem
    rendered = write_pdf(tmp_path / f"{slug}.pdf", source.read_text(encoding="utf-8"), LAYOUTS[name])
    assert len(rendered.drawn) >= 4, "the summary should run over several pages"
    as_text = load_document(source, slug)
    as_pdf = load_document(tmp_path / f"{slug}.pdf", slug)

    assert _facts(as_pdf) == _facts(as_text)
    expected = {(_term(as_text, f.subject), f.predicate, f.object, rendered.page_at(f.evidence.start))
                for f in as_text.facts}
    found = {(_term(as_pdf, f.subject), f.predicate, f.object, as_pdf.page(f.evidence)) for f in as_pdf.facts}
    assert found == expected
    assert len({page for *_, page in found}) >= 3


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_running_heads_and_page_numbers_are_not_read_as_text(tmp_path, name):
    layout = LAYOUTS[name]
    rendered = write_pdf(tmp_path / "s.pdf", (CORPUS_DIR / name).read_text(encoding="utf-8"), layout)
    doc = load_document(tmp_path / "s.pdf")
    if layout.running_head:
        assert layout.running_head not in doc.text
    feet = {layout.page_number.format(n=n) for n in range(1, len(rendered.drawn) + 1)}
    assert not feet & {line.strip() for line in doc.text.splitlines()}
    assert doc.text.count("\f") == len(rendered.drawn) - 1


# Made-up material: a network of ombudsmen meeting in a made-up town. Two columns, and "coordination" broken
# across a page end.
OWN_TEXT = """Report of the Fourth Gathering of Coastal Ombudsmen

The fourth gathering of the network of coastal ombudsmen took place in Porto Velho Novo on 4 and 5 March 2024. \
Delegates from eleven coastal states discussed how their offices share early warnings of unrest.

The first session reviewed how complaints from fishing communities reach the ombudsmen, and how slowly \
replies travel back. Several delegates asked for a shared register of complaints, kept by the secretariat.

The second session turned to the coordination of visits to remote islands, where no office is open all year. \
Delegates agreed that a visiting team should publish its findings within a month of its return.

Closing the gathering, the chair thanked the hosts and announced that the fifth gathering would be held in 2025.
"""


def test_two_columns_read_in_order_and_a_word_broken_across_pages_is_whole(tmp_path):
    layout = Layout(columns=2, running_head="Coastal ombudsmen · fourth gathering", page_number="Page {n}",
                    page_break_in="coordination", lines_per_column=6)
    rendered = write_pdf(tmp_path / "ombudsmen.pdf", OWN_TEXT, layout)
    assert any(lines[-1].endswith("coordi-") for lines in rendered.drawn[:-1])
    assert any(len(lines) > 1 for lines in rendered.drawn) and rendered.drawn[0][0].startswith("Report")

    doc = load_document(tmp_path / "ombudsmen.pdf")
    assert clean(doc.text).text == clean(OWN_TEXT).text   # order, no running head or page number, word whole

    for sentence in ("The second session", "Delegates agreed", "Closing the gathering"):
        span = next(s for s in doc.sentences if " ".join(doc.text[s.start:s.end].split()).startswith(sentence))
        assert doc.page(span) == rendered.page_at(OWN_TEXT.index(sentence))
    broken = next(s for s in doc.sentences if doc.text[s.start:s.end].startswith("The second session"))
    assert "coordi-\fnation" in doc.text[broken.start:broken.end]


def test_the_pdfs_own_title_date_and_language_are_its_metadata(tmp_path):
    layout = Layout(title="Report of the Fourth Gathering of Coastal Ombudsmen", lang="en-GB",
                    creation_date="D:20240312094500+01'00'")
    write_pdf(tmp_path / "meta.pdf", OWN_TEXT, layout)
    doc = load_document(tmp_path / "meta.pdf")
    assert doc.metadata == {"title": "Report of the Fourth Gathering of Coastal Ombudsmen", "issued": "2024-03-12",
                            "language": "en-GB"}
    assert doc.media_type == "application/pdf"


def test_text_drawn_inside_a_form_xobject_is_read_not_taken_for_a_scan(tmp_path):
    import io

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.beginForm("body")
    pdf.setFont("Helvetica", 11)
    pdf.drawString(72, 700, "The Government of Ghana hosted the meeting in Accra, Ghana on 3 May 2021.")
    pdf.drawString(72, 686, "Representatives of Togo took part.")
    pdf.endForm()
    pdf.doForm("body")
    pdf.showPage()
    pdf.save()
    (tmp_path / "form.pdf").write_bytes(out.getvalue())
    doc = load_document(tmp_path / "form.pdf")
    assert "hosted the meeting in Accra" in doc.text
    assert {"ghana", "togo"} <= {str(m.entity).rsplit("/", 1)[-1] for m in doc.mentions}


def test_a_pdf_over_the_page_limit_is_refused_in_one_line(tmp_path, monkeypatch):
    from r2pkg.loaders import pdf

    monkeypatch.setattr(pdf, "MAX_PAGES", 2)
    rendered = write_pdf(tmp_path / "long.pdf", OWN_TEXT, Layout(lines_per_column=4))
    assert len(rendered.drawn) > 2
    with pytest.raises(DocumentError) as err:
        load_document(tmp_path / "long.pdf")
    assert "long.pdf" in str(err.value) and "too many pages" in str(err.value)


def _scan() -> bytes:
    """A page that is a picture of text: no text layer at all."""
    import io

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    picture = Image.new("L", (400, 560), 235)
    for y in range(40, 520, 16):
        picture.paste(60, (40, y, 360, y + 6))
    pdf.drawInlineImage(picture, 72, 150, width=450, height=630)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _bad_pdfs() -> dict[str, tuple[bytes, str]]:
    whole = render_pdf(OWN_TEXT).pdf
    return {
        "scanned.pdf": (_scan(), "without a text layer"),
        "locked.pdf": (render_pdf(OWN_TEXT, Layout(encrypt_with="tide")).pdf, "password"),
        "cut-off.pdf": (whole[: len(whole) // 2], "truncated"),
        "nothing.pdf": (b"", "empty"),
    }


@pytest.mark.parametrize("name", ["scanned.pdf", "locked.pdf", "cut-off.pdf", "nothing.pdf"])
def test_a_pdf_that_cannot_be_read_is_refused_in_one_line_naming_it(tmp_path, name):
    content, words = _bad_pdfs()[name]
    (tmp_path / name).write_bytes(content)
    with pytest.raises(DocumentError) as err:
        load_document(tmp_path / name)
    message = str(err.value)
    assert name in message and words in message and "\n" not in message


def test_bad_pdfs_leave_the_rest_of_the_build_and_the_served_graph_intact(tmp_path):
    import pyoxigraph as ox

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_pdf(corpus / "ombudsmen.pdf", OWN_TEXT)
    data = tmp_path / "data"
    first = build([corpus], data)
    assert not first.errors
    for name, (content, _words) in _bad_pdfs().items():
        (corpus / name).write_bytes(content)
    second = build([corpus], data)
    assert sorted(e.split(":")[0].rsplit("/", 1)[-1] for e in second.errors) == sorted(_bad_pdfs())
    assert [d["slug"] for d in second.documents] == ["ombudsmen"]
    store = ox.Store.read_only(str(data / "current" / "store"))
    pages = {int(r["page"].value) for r in store.query(
        "SELECT ?page WHERE { ?s <https://w3id.org/r2pkg/ontology#page> ?page }")}
    assert pages and min(pages) == 1
    assert (data / "current" / "originals" / "ombudsmen.pdf").read_bytes()[:5] == b"%PDF-"
