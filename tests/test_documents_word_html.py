"""Word files and web pages as users have them: the article read, its furniture dropped, bad files refused in one line."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document
from rdflib.namespace import DCTERMS

from r2pkg.graph.build import build
from r2pkg.loaders import DocumentError, load_document

# Made-up material throughout: a network of election observers, a made-up town.
OBSERVERS = ("The Government of Ghana hosted the second meeting of the Coastal Observers Forum in Ada Foah, Ghana "
             "on 14 and 15 June 2022. Representatives of Senegal and Togo took part.")


def _docx(path, title: str | None = "Second Meeting of the Coastal Observers Forum") -> None:
    doc = Document()
    doc.add_heading("Second Meeting of the Coastal Observers Forum", level=1)
    doc.add_paragraph(OBSERVERS)
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Venue"
    table.rows[0].cells[1].text = "Ada Foah"
    doc.add_paragraph("The forum agreed to meet again in 2023.")
    if title:
        doc.core_properties.title = title
    doc.core_properties.language = "en-GB"
    doc.save(path)


def _entities(doc) -> set[str]:
    return {str(m.entity).rsplit("/", 1)[-1] for m in doc.mentions}


def test_a_word_file_is_read_in_order_with_its_tables_and_properties(tmp_path):
    _docx(tmp_path / "observers.docx")
    doc = load_document(tmp_path / "observers.docx")
    assert doc.media_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert doc.text.index("Second Meeting") < doc.text.index("Ada Foah, Ghana") < doc.text.index("Venue") \
        < doc.text.index("meet again")
    assert {"ghana", "senegal", "togo"} <= _entities(doc)
    assert doc.title == "Second Meeting of the Coastal Observers Forum"
    assert doc.metadata["language"] == "en-GB"
    _docx(tmp_path / "untitled.docx", title="Document1")     # the title Word gives a new file is no title
    untitled = load_document(tmp_path / "untitled.docx")
    assert "title" not in untitled.metadata and untitled.title == "Second Meeting of the Coastal Observers Forum"


def test_the_company_word_records_is_the_publisher_and_the_manifest_overrides_the_files_metadata(tmp_path):
    import json

    import pyoxigraph as ox

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _docx(corpus / "observers.docx")
    _docx(corpus / "second.docx")
    for name in ("observers.docx", "second.docx"):
        _with_company(corpus / name, "Coastal Observers &amp; Partners")
    (corpus / "manifest.json").write_text(json.dumps({"documents": [
        {"file": "observers.docx"}, {"file": "second.docx", "title": "The forum's second meeting", "language": "fr"}]}))
    build([corpus], tmp_path / "data")
    store = ox.Store.read_only(str(tmp_path / "data" / "current" / "store"))

    def meta(slug: str) -> dict[str, str]:
        rows = store.query(f"SELECT ?p ?o WHERE {{ GRAPH <https://w3id.org/r2pkg/graph/corpus> {{ "
                           f"<https://w3id.org/r2pkg/id/document/{slug}> ?p ?o }} }}")
        return {r["p"].value.rsplit("/", 1)[-1]: r["o"].value for r in rows}

    first, second = meta("observers"), meta("second")
    assert first["title"] == "Second Meeting of the Coastal Observers Forum" and first["language"] == "en-GB"
    assert first["publisher"].endswith("/org/coastal-observers-partners")
    assert second["title"] == "The forum's second meeting" and second["language"] == "fr"
    assert second["format"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _with_company(path, company: str) -> None:
    """The Word file with Company set in its extended properties, as Word writes it."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    app = parts.get("docProps/app.xml", b"").decode()
    if "<Company>" in app:
        app = re.sub(r"<Company>.*?</Company>", f"<Company>{company}</Company>", app)
    else:
        app = app.replace("</Properties>", f"<Company>{company}</Company></Properties>")
    parts["docProps/app.xml"] = app.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_a_zip_of_something_else_named_docx_is_refused_in_one_line(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("minutes.txt", OBSERVERS)
        z.writestr("photo.jpg", b"\xff\xd8\xff")
    (tmp_path / "minutes.docx").write_bytes(buffer.getvalue())
    with pytest.raises(DocumentError) as err:
        load_document(tmp_path / "minutes.docx")
    message = str(err.value)
    assert "minutes.docx" in message and "not a Word document" in message and "\n" not in message


# A press release as a site publishes it: site header, navigation, cookie banner, share buttons, sidebar,
# footer and scripts around the article. Each piece of furniture names a state the article does not.
PAGE = """<!doctype html>
<html lang="en">
<head><title>Observers Forum | News</title>
<meta property="og:site_name" content="Coastal Observers Forum">
<meta property="og:title" content="Ghana hosts the second meeting of the forum">
<meta property="article:published_time" content="2022-06-16T09:00:00Z">
<script>window.track = "Norway";</script></head>
<body>
<header class="site-header"><a href="/">Home</a> Partners: Kenya</header>
<nav><ul><li><a href="/peru">Peru programme</a></li><li><a href="/about">About</a></li></ul></nav>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies. Our office in Chile may read them.</p>
<div><button>Accept</button></div></div>
<main>
<article>
<header><h1>Ghana hosts the second meeting of the forum</h1>
<p class="date">16 June 2022</p></header>
<div class="share-buttons"><a href="#">Share with Mexico</a></div>
<p>""" + OBSERVERS + """</p>
<p>The forum agreed to meet again in 2023.</p>
</article>
<aside class="related">Related: a visit to Argentina</aside>
</main>
<footer><p>Offices in Brazil and Canada</p></footer>
<script>document.querySelector("#cookie-banner").remove();</script>
</body></html>
"""


def test_a_web_page_is_read_without_its_navigation_banners_and_footer(tmp_path):
    (tmp_path / "news.html").write_text(PAGE, encoding="utf-8")
    doc = load_document(tmp_path / "news.html")
    entities = _entities(doc)
    assert {"ghana", "senegal", "togo"} <= entities
    assert not entities & {"kenya", "peru", "chile", "mexico", "argentina", "brazil", "canada", "norway"}
    issued = [f.object for f in doc.facts if f.predicate == DCTERMS.issued]
    assert [str(d) for d in issued] == ["2022-06-16"]          # the article's own date line
    assert doc.metadata == {"title": "Ghana hosts the second meeting of the forum", "issued": "2022-06-16",
                            "publisher": "Coastal Observers Forum", "language": "en"}


def test_a_web_page_of_ten_megabytes_is_refused_in_one_line(tmp_path):
    filler = "<div class='row'><p>An archive entry.</p></div>\n" * (10_000_000 // 45)
    (tmp_path / "archive.html").write_text(PAGE.replace("<main>", "<main>" + filler), encoding="utf-8")
    with pytest.raises(DocumentError) as err:
        load_document(tmp_path / "archive.html")
    message = str(err.value)
    assert "archive.html" in message and "too large" in message and "\n" not in message


def test_bad_word_and_web_files_leave_the_rest_of_the_build(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _docx(corpus / "observers.docx")
    (corpus / "news.html").write_text(PAGE, encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("minutes.txt", OBSERVERS)
    (corpus / "minutes.docx").write_bytes(buffer.getvalue())
    (corpus / "archive.html").write_text("<p>x</p>" * 1_500_000, encoding="utf-8")
    report = build([corpus], tmp_path / "data")
    assert sorted(d["slug"] for d in report.documents) == ["news", "observers"]
    assert len(report.errors) == 2 and all("\n" not in e for e in report.errors)
    assert sorted(p.name for p in (tmp_path / "data" / "current" / "originals").iterdir()) == ["news.html",
                                                                                               "observers.docx"]
