"""read_pdf: a PDF's text in reading order, without running heads, footers and page numbers.

pdfminer.six gives each text line with its box on the page; the rest is ours, because a summary's
layout needs three decisions pdfminer's own grouping does not make:

- furniture: a line at the top or bottom of its page that repeats (digits aside) on other pages, or is
  a bare page number, is dropped;
- reading order: lines left of the page's middle come before lines right of it, between lines that span
  both halves (a title, a full-width heading), so two columns read column by column;
- joins: lines of a paragraph are parted by a newline, paragraphs by a blank line; at a column or page end
  a full line without final punctuation runs on into the next (so "imple-" / "mentation" across a page is
  one word again, repaired by loaders/text.py), and pages are parted by a form feed.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .formats import PAGE_BREAK, PDF, SourceText
from .model import DocumentError

# A line whose top lies in the top FURNITURE_BAND of its page, or whose bottom lies in the bottom one, can be
# a running head or footer.
FURNITURE_BAND = 0.12
# A line repeated (digits aside) in the bands of at least this share of the pages, and of two pages at
# least, is a running head or footer.
REPEATED_SHARE = 0.4
# A bare page number, alone on its line: "7", "- 7 -", "Page 7", "7 of 12", "Page 7 of 12", "vii".
PAGE_NUMBER = re.compile(r"(?i)[-–—\s]*(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?[-–—\s]*")
# The most pages read: a summary has 5-20, a long report a few hundred; pdfminer reads ~5-10 pages a second.
MAX_PAGES = 500
# A gap between two lines larger than this share of the line height parts paragraphs.
PARAGRAPH_GAP = 0.6
# At a column's or page's end, a line ending this far short of its column's right edge (share of the column
# width) ends its paragraph, as a heading does: a paragraph's lines wrapped short by a long word are longer.
SHORT_LINE = 0.5
_FINAL = tuple('.!?:;"”’)')


@dataclass(frozen=True)
class Line:
    """A line of text and its box, in PDF units (origin bottom left)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1.0)


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    lines: list[Line]


def read_pdf(path: Path, raw: bytes) -> SourceText:
    """The text of a PDF, its pages parted by form feeds; DocumentError for a scan, a password, a cut-off file."""
    if not re.search(rb"%%EOF\s*$", raw[-1024:]):
        raise DocumentError(path, "a truncated PDF (it does not end with %%EOF: the file was cut short); "
                                  "download or export it again")
    pages, info = _parse(path, raw)
    if not any(p.lines for p in pages):
        raise DocumentError(path, f"a PDF without a text layer ({len(pages)} page(s) of images only, a scan?): "
                                  "run OCR on it first (for example `ocrmypdf`)")
    furniture = _furniture(pages)
    texts = [_page_text(_reading_order(page, furniture), page) for page in pages]
    return SourceText(_join_pages(texts), PDF, paged=True, metadata=info)


def _parse(path: Path, raw: bytes) -> tuple[list[Page], dict[str, str]]:
    """pdfminer's lines of each page, and the document's own metadata."""
    from pdfminer.layout import LAParams, LTPage
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.converter import PDFPageAggregator

    try:
        document = PDFDocument(PDFParser(io.BytesIO(raw)))
        manager = PDFResourceManager()
        # all_texts: text drawn inside a form XObject (a figure, to pdfminer) is laid out in lines too; some
        # publishing tools put a whole page's text in one, which would otherwise read as a scan
        device = PDFPageAggregator(manager, laparams=LAParams(all_texts=True))
        interpreter = PDFPageInterpreter(manager, device)
        listed = list(PDFPage.create_pages(document))   # the page tree only: the pages' content is read below
        if len(listed) > MAX_PAGES:
            raise DocumentError(path, f"too many pages ({len(listed)}; the limit is {MAX_PAGES} for one document): "
                                      "split it or check it is a summary")
        pages = []
        for page in listed:
            interpreter.process_page(page)
            layout: LTPage = device.get_result()
            pages.append(Page(layout.width, layout.height, list(_lines(layout))))
        info = _metadata(document)
    except PDFPasswordIncorrect:
        raise DocumentError(path, "an encrypted PDF that needs a password to open: save a copy without "
                                  "the password") from None
    except DocumentError:
        raise
    except Exception as err:  # pdfminer raises many kinds on a malformed file; each is one refusal here
        reason = _first_line(err)
        if "encrypt" in reason.lower() or "decrypt" in reason.lower():
            raise DocumentError(path, f"an encrypted PDF that cannot be decrypted ({reason})") from None
        raise DocumentError(path, f"not a readable PDF ({type(err).__name__}: {reason})") from None
    if not pages:
        raise DocumentError(path, "a PDF without pages")
    return pages, info


def _first_line(err: Exception) -> str:
    text = str(err).strip().splitlines()
    return text[0][:200] if text else "no detail"


def _lines(layout) -> list[Line]:
    """Every horizontal text line of the page, wherever pdfminer grouped it."""
    from pdfminer.layout import LTContainer, LTTextLine

    found: list[Line] = []

    def walk(item) -> None:
        if isinstance(item, LTTextLine):
            text = re.sub(r"\s+", " ", item.get_text()).strip()
            if text:
                found.append(Line(text, item.x0, item.y0, item.x1, item.y1))
        elif isinstance(item, LTContainer):
            for child in item:
                walk(child)

    walk(layout)
    return found


def _furniture_key(text: str) -> str:
    """A line with its digits and case set aside, so 'Summary · 3' and 'Summary · 4' are the same head."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.lower())).strip()


def _in_band(line: Line, page: Page) -> bool:
    band = FURNITURE_BAND * page.height
    return line.y1 >= page.height - band or line.y0 <= band


def _furniture(pages: list[Page]) -> set[str]:
    """The keys of lines repeated in the top or bottom band of enough pages to be running heads or footers."""
    counts = Counter(key for page in pages
                     for key in {_furniture_key(line.text) for line in page.lines if _in_band(line, page)})
    needed = max(2, REPEATED_SHARE * len(pages))
    return {key for key, n in counts.items() if n >= needed}


def _is_furniture(line: Line, page: Page, repeated: set[str]) -> bool:
    return _in_band(line, page) and (_furniture_key(line.text) in repeated or PAGE_NUMBER.fullmatch(line.text) is not None)


def _reading_order(page: Page, repeated: set[str]) -> list[list[Line]]:
    """The page's body lines as runs read top to bottom (a column each): between lines spanning the middle
    of the page, the lines left of it, then those right of it."""
    body = sorted((line for line in page.lines if not _is_furniture(line, page, repeated)),
                  key=lambda line: (-line.y1, line.x0))
    middle = page.width / 2
    runs: list[list[Line]] = []
    left: list[Line] = []
    right: list[Line] = []

    def flush() -> None:
        runs.extend(run for run in (left[:], right[:]) if run)
        left.clear()
        right.clear()

    for line in body:
        if line.x1 <= middle:
            left.append(line)
        elif line.x0 >= middle:
            right.append(line)
        else:
            flush()
            if runs and runs[-1][-1].x0 < middle < runs[-1][-1].x1:
                runs[-1].append(line)
            else:
                runs.append([line])
    flush()
    return runs


@dataclass(frozen=True)
class PageText:
    text: str
    runs_on: bool     # its last line continues on the next page


def _page_text(runs: list[list[Line]], page: Page) -> PageText:
    """A page's runs as text: lines parted by a newline, paragraphs by a blank line (a gap between lines);
    a column's last line runs on into the next column when it is full and ends without final punctuation."""
    edges = _column_edges(runs, page)
    out: list[str] = []
    previous: Line | None = None
    for run in runs:
        for line in run:
            if previous is not None:
                below = line.y1 <= previous.y0 + previous.height / 2
                if below:
                    out.append("\n\n" if previous.y0 - line.y1 > PARAGRAPH_GAP * line.height else "\n")
                else:   # the top of the next column
                    out.append("\n" if _runs_on(previous, edges(previous)) else "\n\n")
            out.append(line.text)
            previous = line
    return PageText("".join(out), previous is not None and _runs_on(previous, edges(previous)))


def _column_edges(runs: list[list[Line]], page: Page):
    """The left and right edges of the text a line belongs to: its column on a page of two, else the body."""
    middle = page.width / 2
    lines = [line for run in runs for line in run]
    sides = {"left": [x for x in lines if x.x1 <= middle], "right": [x for x in lines if x.x0 >= middle]}
    two_columns = all(sides.values())

    def side(line: Line) -> list[Line]:
        if two_columns and line.x1 <= middle:
            return sides["left"]
        if two_columns and line.x0 >= middle:
            return sides["right"]
        return lines

    def edges(line: Line) -> tuple[float, float]:
        column = side(line)
        return min(x.x0 for x in column), max(x.x1 for x in column)

    return edges


def _runs_on(last: Line, edges: tuple[float, float]) -> bool:
    """Whether a column's or page's last line continues in the next one: neither a sentence's end nor a
    short line (a heading, a paragraph's last line)."""
    left, right = edges
    full = last.x1 >= right - SHORT_LINE * max(right - left, 1.0)
    return full and not last.text.endswith(_FINAL)


def _join_pages(pages: list[PageText]) -> str:
    """Pages parted by a form feed: alone where a word or sentence runs on into the next page, else with a
    blank line around it (a paragraph ends with the page)."""
    out = [pages[0].text]
    for previous, page in zip(pages, pages[1:]):
        out.append(PAGE_BREAK if previous.runs_on and page.text else f"\n{PAGE_BREAK}\n")
        out.append(page.text)
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Metadata

def _metadata(document) -> dict[str, str]:
    """Title, date, publisher and language from the document information dictionary and catalog."""
    from pdfminer.pdftypes import resolve1

    info: dict = {}
    for entry in document.info or []:
        info.update({k: resolve1(v) for k, v in entry.items()})
    found: dict[str, str] = {}
    title = _pdf_string(info.get("Title"))
    if title:
        found["title"] = title
    date = _pdf_date(_pdf_string(info.get("CreationDate")))
    if date:
        found["issued"] = date
    lang = _pdf_string(resolve1(document.catalog.get("Lang")))
    if lang and re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", lang):
        found["language"] = lang
    return found


def _pdf_string(value) -> str:
    """A PDF text string (PDFDocEncoding or UTF-16 with a BOM) or name, as text; '' for anything else."""
    from pdfminer.psparser import PSLiteral
    from pdfminer.utils import decode_text

    if isinstance(value, PSLiteral):
        value = value.name
    if isinstance(value, bytes):
        value = decode_text(value)
    return re.sub(r"\s+", " ", value).strip() if isinstance(value, str) else ""


def _pdf_date(value: str) -> str:
    """'D:20150624103000+02'00'' as '2015-06-24'; '' when it is not a date."""
    m = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", value)
    if not m:
        return ""
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month and day and 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
        return f"{year}-{month}-{day}"
    return year
