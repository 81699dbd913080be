"""read_source: a document file (text, HTML, PDF, Word) to the text the loaders read, and its own metadata.

One function per format behind one entry point, so the rest of the pipeline sees text only. A paged
format (PDF) puts a form feed (\\f) between its pages, as pdftotext does: the text stays the one string
evidence offsets point into, and the page of any offset is the number of form feeds before it, plus one
(LoadedDocument.page). Anything a format cannot give (a scan, a password, a cut-off file) is a DocumentError of one
line naming the file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .model import DocumentError
from .text import decode, looks_like_html

PAGE_BREAK = "\f"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
PLAIN = "text/plain"
# The media type of each suffix read; a file's content decides where it disagrees (a .txt that is a PDF).
MEDIA_TYPES = {".txt": PLAIN, ".text": PLAIN, ".html": HTML, ".htm": HTML, ".xhtml": HTML, ".pdf": PDF, ".docx": DOCX}
# The largest file read per media type, in bytes: a summary's text is 20-30 kB, its web page a few hundred kB
# with markup, its PDF or Word file a few MB with pictures. The text left is bounded separately (MAX_TEXT_CHARS).
MAX_FILE_BYTES = {PLAIN: 1_000_000, HTML: 3_000_000, PDF: 30_000_000, DOCX: 30_000_000}
# spaCy refuses texts over 1,000,000 characters, and the offset maps cost ~40 bytes per character.
MAX_TEXT_CHARS = 1_000_000


@dataclass(frozen=True)
class SourceText:
    """A document as the loaders read it."""

    text: str                 # the text evidence offsets point into; pages parted by PAGE_BREAK when paged
    media_type: str
    paged: bool = False       # whether offsets have pages (a PDF, or text with form feeds)
    metadata: dict[str, str] = field(default_factory=dict)   # title, issued, publisher, language, from the file


def media_type(path: Path, raw: bytes) -> str:
    """What the file is: its content where that is unmistakable (a PDF, a zip), else its suffix."""
    if raw.lstrip()[:5] == b"%PDF-":
        return PDF
    if raw[:4] == b"PK\x03\x04":
        return DOCX
    return MEDIA_TYPES.get(path.suffix.lower(), PLAIN)


def check_size(path: Path, size: int) -> None:
    """Refuse a file too large for its kind before reading it (a 50 MB file costs no memory)."""
    kind = MEDIA_TYPES.get(path.suffix.lower(), PLAIN)
    limit = MAX_FILE_BYTES[kind]
    if size > limit:
        raise DocumentError(path, f"too large ({size / 1e6:.1f} MB; the limit is {limit / 1e6:g} MB for one "
                                  f"{_KIND_NAMES[kind]}): split it or check it is a summary")


_KIND_NAMES = {PLAIN: "text file", HTML: "web page", PDF: "PDF", DOCX: "Word file"}


def read_source(path: Path, raw: bytes) -> SourceText:
    """The text and metadata of a file's bytes, by what the file is; DocumentError if it cannot be read."""
    if not raw.strip():
        raise DocumentError(path, f"empty document ({len(raw)} bytes)")
    kind = media_type(path, raw)
    if kind == PDF:
        from .pdf import read_pdf
        source = read_pdf(path, raw)
    elif kind == DOCX:
        from .docx import read_docx
        source = read_docx(path, raw)
    else:
        source = _read_text(path, raw, kind)
    if source.metadata.get("title") and not usable_title(source.metadata["title"]):
        source = replace(source, metadata={k: v for k, v in source.metadata.items() if k != "title"})
    if len(source.text) > MAX_TEXT_CHARS:
        raise DocumentError(path, f"too long ({len(source.text):,} characters of text; the limit is "
                                  f"{MAX_TEXT_CHARS:,} for one document): split it or check it is a summary")
    return source


# Titles that tools write when the author gave none: the file name, "Untitled", "Microsoft Word - x.docx".
_PLACEHOLDER_TITLE = re.compile(r"(?i)\s*(?:untitled(?:\s*\d*)?|document\s*\d*|microsoft\s+\w+\s+-\s.*|.*\.(?:docx?|pdf|odt|rtf|indd|txt))\s*")


def usable_title(title: str) -> bool:
    """Whether a file's own title names the document rather than the tool or file that made it."""
    return any(c.isalpha() for c in title) and not _PLACEHOLDER_TITLE.fullmatch(title)


def _read_text(path: Path, raw: bytes, kind: str) -> SourceText:
    text = decode(path, raw)
    if kind == HTML or looks_like_html(text):
        from .html import html_metadata
        return SourceText(text, HTML, metadata=html_metadata(text))
    return SourceText(text, PLAIN, paged=PAGE_BREAK in text)
