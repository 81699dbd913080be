"""Decoding and clean-up: the cleaned text repairs PDF debris, and every offset maps back to the original."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from r2pkg.loaders import DocumentError, load_document
from r2pkg.loaders.text import MappedText, clean

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_edit_keeps_offsets_into_the_original():
    doc = MappedText.identity("ab**cd** ef").edit([(2, 4, ""), (6, 8, ""), (8, 9, "\n")])
    assert doc.text == "abcd\nef"
    span = doc.span(doc.text.index("cd"), doc.text.index("cd") + 2)
    assert "ab**cd** ef"[span.start:span.end] == "cd"


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_every_cleaned_word_maps_back_to_the_same_word(path):
    original = path.read_text(encoding="utf-8")
    doc = clean(original)
    import re
    for m in re.finditer(r"[A-Za-z]{4,}", doc.text):
        span = doc.span(m.start(), m.end())
        raw = original[span.start:span.end]
        # A repaired word may contain the removed hyphen, line break or debris; its letters are the same.
        assert re.sub(r"[^A-Za-z]", "", raw).startswith(re.sub(r"[^A-Za-z]", "", m.group(0))[:3]), (m.group(0), raw)


def test_debris_is_removed():
    text = (CORPUS / "2015-5th-annual-meeting-madrid.txt").read_text()
    cleaned = clean(text).text
    assert "Ralph Bunche" not in cleaned and "212-817-1565" not in cleaned and "www.globalr2p.org" not in cleaned
    assert "*" not in cleaned
    assert "whether and when" in cleaned
    banner = clean((CORPUS / "2019-9th-annual-meeting-brussels.txt").read_text()).text
    assert "GLOBAL CENTRE" not in banner
    assert banner.startswith("Summary of the 9th Annual Meeting")


def test_page_breaks_and_wrapped_lines_are_joined():
    c2015 = clean((CORPUS / "2015-5th-annual-meeting-madrid.txt").read_text()).text
    assert "Participants closed by reflecting upon" in c2015
    assert "country-specific embargoes" in c2015
    assert "post-atrocity response and accountability" in c2015
    assert "local non-state armed group" in c2015
    c2012 = clean((CORPUS / "2012-2nd-annual-meeting.txt").read_text()).text
    assert "geared towards protection of vulnerable domestic minorities" in c2012
    assert "the Danish development agency, DANIDA, which falls" in c2012
    c2017 = clean((CORPUS / "2017-7th-annual-meeting-doha.txt").read_text()).text
    assert "encouraging their government to examine options for creating tools" in c2017
    assert "the Extraordinary African Chambers in Senegal" in c2017


def test_inline_hyphenation_is_repaired():
    assert "development cooperation" in clean("justice and develop- ment cooperation to review").text
    assert "pre- and post-conflict" in clean("in pre- and post-conflict settings").text
    assert "implementation" in clean("the imple-\nmentation of").text


def test_html_is_stripped_with_offsets_into_the_decoded_text():
    html = "<html><body><h1>Title</h1><p>The <b>Danish</b> government &amp; Ghana.</p></body></html>"
    doc = clean(html, is_html=True)
    assert "The Danish government & Ghana." in doc.text
    i = doc.text.index("Ghana")
    span = doc.span(i, i + 5)
    assert html[span.start:span.end] == "Ghana"


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"   \n\n  ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    ("Réunion annuelle à Genève".encode("latin-1"), "UTF-8"),
])
def test_bad_documents_raise_document_error_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "bad-file.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError) as err:
        load_document(path)
    message = str(err.value)
    assert "bad-file.txt" in message and reason in message and "\n" not in message


def test_utf8_bom_and_utf16_are_decoded(tmp_path):
    text = "Second Annual Meeting of the Network\n\nOn 29 September 2012 Côte d'Ivoire spoke."
    for name, data in [("bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8")), ("u16.txt", text.encode("utf-16"))]:
        path = tmp_path / name
        path.write_bytes(data)
        doc = load_document(path)
        assert doc.text == text
        assert any(m.entity.endswith("/state/cote-d-ivoire") for m in doc.mentions)
        for m in doc.mentions:
            assert doc.text[m.span.start:m.span.end]


@settings(max_examples=500, deadline=None)
@given(pieces=st.lists(st.sampled_from(["countryspecific", "nonstate", "-", " ", "\n", "x", "S", "_", "é", "2", ".",
                                        "interministerial", "crosscutting", "postatrocity"]), max_size=12))
def test_the_repairs_found_in_a_text_are_its_lowercase_words_among_them(pieces: list[str]) -> None:
    """A document with no prefix written with a hyphen looks only for the repairs' words: the same words as listing
    every lowercase word of the text and keeping the repairs."""
    from r2pkg.loaders.text import _LOWER_WORD, _lower_word, _repairs_with_a_hyphen

    text = "".join(pieces)
    listed = set(_LOWER_WORD.findall(text)) & _repairs_with_a_hyphen()
    assert listed == {w for w in _repairs_with_a_hyphen() if w in text and _lower_word(w).search(text)}
