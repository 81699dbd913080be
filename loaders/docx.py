"""read_docx: a Word (.docx) file's paragraphs, tables included, in document order, and its core properties.

The zip is checked before python-docx opens it, so a zip of something else (a spreadsheet, a folder of
pictures) or one that would inflate far beyond a summary is refused in one line.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from .formats import DOCX, SourceText
from .model import DocumentError

MAIN_PART = "word/document.xml"
# The largest main part read once inflated: a long report's document.xml is a few MB.
MAX_MAIN_PART_BYTES = 50_000_000


def read_docx(path: Path, raw: bytes) -> SourceText:
    """Paragraphs parted by blank lines; DocumentError for a zip that is not a Word document."""
    _check_package(path, raw)
    from docx import Document

    try:
        document = Document(io.BytesIO(raw))
        paragraphs = list(_paragraphs(document))
    except Exception as err:  # python-docx and lxml raise many kinds on a damaged package
        raise DocumentError(path, f"not a readable Word document ({type(err).__name__}: "
                                  f"{str(err).splitlines()[0][:200] if str(err) else 'no detail'})") from None
    text = "\n\n".join(p for p in paragraphs if p.strip())
    if not text.strip():
        raise DocumentError(path, "a Word document without text")
    return SourceText(text, DOCX, metadata=_metadata(document) | _company(raw))


def _check_package(path: Path, raw: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            names = package.namelist()
            if MAIN_PART not in names:
                shown = ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
                raise DocumentError(path, f"a zip archive, not a Word document (no {MAIN_PART}; it holds "
                                          f"{shown or 'nothing'})")
            size = package.getinfo(MAIN_PART).file_size
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError) as err:
        raise DocumentError(path, f"a damaged zip archive, not a readable Word document ({err})") from None
    if size > MAX_MAIN_PART_BYTES:
        raise DocumentError(path, f"a Word document whose text part inflates to {size / 1e6:.0f} MB (the limit "
                                  f"is {MAX_MAIN_PART_BYTES / 1e6:g} MB)")


def _paragraphs(document):
    """Each paragraph's text, in body order: a table's cells row by row, each cell's paragraphs."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, Table):
            seen: set[int] = set()
            for row in block.rows:
                for cell in row.cells:
                    if id(cell._tc) not in seen:   # a merged cell is listed once per grid column it spans
                        seen.add(id(cell._tc))
                        yield from (p.text for p in cell.paragraphs)


APP_PART = "docProps/app.xml"
_COMPANY = re.compile(r"<(?:\w+:)?Company>([^<]{1,300})</(?:\w+:)?Company>")


def _company(raw: bytes) -> dict[str, str]:
    """The publisher: the organization Word records in the extended properties (File > Properties > Company)."""
    import html

    with zipfile.ZipFile(io.BytesIO(raw)) as package:
        if APP_PART not in package.namelist() or package.getinfo(APP_PART).file_size > 1_000_000:
            return {}
        m = _COMPANY.search(package.read(APP_PART).decode("utf-8", "replace"))
    name = re.sub(r"\s+", " ", html.unescape(m.group(1))).strip() if m else ""
    return {"publisher": name} if any(c.isalnum() for c in name) else {}


def _metadata(document) -> dict[str, str]:
    props = document.core_properties
    found: dict[str, str] = {}
    if props.title and props.title.strip():
        found["title"] = re.sub(r"\s+", " ", props.title).strip()
    when = props.created
    if when is not None:
        found["issued"] = when.date().isoformat()
    if props.language and re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", props.language.strip()):
        found["language"] = props.language.strip()
    return found
