"""The tests' own PDF renderer: text laid out as a published summary is, with reportlab.

Running heads, page numbers at the foot, one or two columns, long words hyphenated at line ends (and so
at page ends), paragraphs parted by space. It records the page each character of the source text went
to, so a test can say on which page any sentence must be found.

Text in: paragraphs parted by blank lines; a line starting with a list marker starts a paragraph of its
own; other line breaks are spaces.
"""
from __future__ import annotations

import io
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT = "Vera"     # Bitstream Vera, shipped with reportlab: Latin letters with their diacritics, dashes, quotes
FONT_FILE = "Vera.ttf"
SIZE = 10
LEADING = 13
PARAGRAPH_SPACE = 8
MARGIN = 72
GUTTER = 24
HEAD_Y = A4[1] - 40
FOOT_Y = 36
_MARKER = re.compile(r"[ \t]*(?:[-–•*][ \t]+|\d{1,2}[.)][ \t]+)")
_HYPHENABLE = re.compile(r"[a-z]{8,}")


@dataclass
class Layout:
    columns: int = 1
    running_head: str | None = "Network summary"
    page_number: str | None = "{n}"        # format of the foot line; None: no page numbers
    hyphenate: bool = True
    title: str | None = None                # the PDF's own Title
    lang: str | None = None                 # the catalog's /Lang
    creation_date: str | None = None        # "D:20150624103000+02'00'"
    lines_per_column: int | None = None     # fewer lines than the page holds, to force page breaks
    page_break_in: str | None = None        # a word hyphenated at the end of a page, wherever it falls
    encrypt_with: str | None = None         # a user password: the PDF cannot be opened without it


@dataclass
class Rendered:
    pdf: bytes
    line_starts: list[int] = field(default_factory=list)   # source offset of each drawn line's first character
    line_pages: list[int] = field(default_factory=list)    # the page of each drawn line
    drawn: list[list[str]] = field(default_factory=list)   # the body lines of each page, as drawn

    def page_at(self, offset: int) -> int:
        """The page on which the source character at offset was drawn."""
        return self.line_pages[max(0, bisect_right(self.line_starts, offset) - 1)]


def paragraphs(text: str) -> list[list[tuple[str, int]]]:
    """The source's paragraphs, each a list of (word, source offset)."""
    result: list[list[tuple[str, int]]] = []
    for block in re.finditer(r"(?:[^\n]|\n(?!\s*\n))+", text):
        current: list[tuple[str, int]] = []
        pos = block.start()
        for line in block.group(0).split("\n"):
            if _MARKER.match(line) and current:
                result.append(current)
                current = []
            current += [(m.group(0), pos + m.start()) for m in re.finditer(r"\S+", line)]
            pos += len(line) + 1
        if current:
            result.append(current)
    return result


def render_pdf(text: str, layout: Layout | None = None) -> Rendered:
    """The text as a PDF laid out by `layout`, with the page of every drawn line recorded."""
    layout = layout or Layout()
    _register_font()
    out = io.BytesIO()
    encrypt = None
    if layout.encrypt_with:
        from reportlab.lib.pdfencrypt import StandardEncryption
        encrypt = StandardEncryption(layout.encrypt_with, ownerPassword="owner-" + layout.encrypt_with)
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1, encrypt=encrypt, lang=layout.lang)
    if layout.title:
        pdf.setTitle(layout.title)
    rendered = Rendered(b"")
    width, height = A4
    column_width = (width - 2 * MARGIN - (layout.columns - 1) * GUTTER) / layout.columns
    top, bottom = height - MARGIN - SIZE, MARGIN + SIZE
    capacity = int((top - bottom) // LEADING)
    if layout.lines_per_column:
        capacity = min(capacity, layout.lines_per_column)
    state = {"page": 1, "column": 0, "line": 0}

    def start_page() -> None:
        pdf.setFont(FONT, 8)
        if layout.running_head:
            pdf.drawString(MARGIN, HEAD_Y, layout.running_head)
        if layout.page_number:
            pdf.drawCentredString(width / 2, FOOT_Y, layout.page_number.format(n=state["page"]))
        pdf.setFont(FONT, SIZE)
        rendered.drawn.append([])

    def next_column(new_page: bool = False) -> None:
        state["column"] += 1
        state["line"] = 0
        if state["column"] == layout.columns or new_page:
            pdf.showPage()
            state["page"] += 1
            state["column"] = 0
            start_page()

    def draw(words: list[tuple[str, int]], y_offset: float) -> None:
        if state["line"] >= capacity:
            next_column()
        x = MARGIN + state["column"] * (column_width + GUTTER)
        y = top - state["line"] * LEADING - y_offset
        line = " ".join(w for w, _ in words)
        pdf.drawString(x, y, line)
        rendered.line_starts.append(words[0][1])
        rendered.line_pages.append(state["page"])
        rendered.drawn[-1].append(line)
        state["line"] += 1

    start_page()
    space = pdfmetrics.stringWidth(" ", FONT, SIZE)
    for pi, words in enumerate(paragraphs(text)):
        if pi and state["line"]:
            state["line"] += PARAGRAPH_SPACE / LEADING
        for line in _wrap(words, column_width, space, layout.hyphenate, layout.page_break_in):
            draw(line, 0)
            if layout.page_break_in and line[-1][0] == layout.page_break_in[:_forced_split(layout.page_break_in)] + "-":
                next_column(new_page=True)
    pdf.save()
    rendered.pdf = _dated(out.getvalue(), layout.creation_date)
    return rendered


INVARIANT_DATE = b"D:20000101000000+00'00'"   # what reportlab writes with invariant=1


def _dated(pdf: bytes, date: str | None) -> bytes:
    """The PDF with its creation date set: reportlab has no setter, so the fixed date is replaced by one of
    the same length (the cross-reference offsets stay right)."""
    if not date:
        return pdf
    assert len(date) == len(INVARIANT_DATE), "a creation date as D:YYYYMMDDHHmmSS+HH'mm'"
    return pdf.replace(b"/CreationDate (" + INVARIANT_DATE, b"/CreationDate (" + date.encode("ascii"))


def _forced_split(word: str) -> int:
    return len(word) // 2


def _wrap(words: list[tuple[str, int]], width: float, space: float, hyphenate: bool,
          break_in: str | None = None) -> list[list[tuple[str, int]]]:
    """Words in lines no wider than width; a long lowercase word that does not fit is hyphenated, and the
    word break_in always is, ending its line."""
    lines: list[list[tuple[str, int]]] = []
    line: list[tuple[str, int]] = []
    used = 0.0
    queue = list(words)
    while queue:
        word, at = queue.pop(0)
        if break_in and word.rstrip(".,;:") == break_in:
            split = _forced_split(break_in)
            line.append((word[:split] + "-", at))
            queue.insert(0, (word[split:], at + split))
            lines.append(line)
            line, used = [], 0.0
            continue
        w = pdfmetrics.stringWidth(word, FONT, SIZE)
        extra = w + (space if line else 0)
        if used + extra <= width or not line:
            line.append((word, at))
            used += extra
            continue
        split = _hyphen_split(word, width - used - space) if hyphenate else None
        if split:
            line.append((word[:split] + "-", at))
            queue.insert(0, (word[split:], at + split))
        else:
            queue.insert(0, (word, at))
        lines.append(line)
        line, used = [], 0.0
    if line:
        lines.append(line)
    return lines


def _hyphen_split(word: str, room: float) -> int | None:
    """Where to break a plain lowercase word (at least 3 letters on each side) so its head and a hyphen fit."""
    m = _HYPHENABLE.match(word)
    if not m:
        return None
    letters = m.end()
    for split in range(letters - 3, 2, -1):
        if pdfmetrics.stringWidth(word[:split] + "-", FONT, SIZE) <= room:
            return split
    return None


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, FONT_FILE))


def write_pdf(path: Path, text: str, layout: Layout | None = None) -> Rendered:
    rendered = render_pdf(text, layout)
    path.write_bytes(rendered.pdf)
    return rendered
