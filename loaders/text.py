"""Decoding, clean-up of PDF-to-text debris, and blocks, with a map back to the original text.

Every clean-up step is an edit on a `MappedText`, which keeps, for each character of the cleaned
text, the offset of the original character it came from. So anything found in the cleaned text
(a sentence, a name) can be reported as a `Span` of the text as published.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from .gazetteer import data_json
from .model import DocumentError, Span

Edit = tuple[int, int, str]  # replace text[start:end] with the string


# ---------------------------------------------------------------------------------------------
# Decoding

def decode(path: Path, raw: bytes) -> str:
    """Bytes to text: UTF-8 or UTF-16, with or without a BOM; anything else is refused.

    Latin-1 and other legacy encodings are refused rather than guessed (a wrong guess would put
    wrong names in the graph with evidence that looks right). PDF and Word files are read by
    loaders/formats.py, not here.
    UTF-16 without a BOM is no guess: its NUL bytes sit on one side of the code units only.
    """
    if not raw.strip():
        raise DocumentError(path, "empty document")
    if raw.startswith(b"\xef\xbb\xbf"):
        text = _strict(path, raw[3:], "utf-8")
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _strict(path, raw, "utf-16")
    else:
        if b"\x00" in raw and not _utf8_beyond_ascii(raw):
            text = _bomless_utf16(raw)
            if text is None:
                raise DocumentError(path, "binary data (NUL bytes), not text")
        else:
            text = _strict(path, raw, "utf-8")
    if not text.strip():
        raise DocumentError(path, "empty document")
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls > max(3, len(text) // 100):
        raise DocumentError(path, "binary data (control characters), not text")
    return text


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # control characters other than \t \n \f \r
# UTF-16 without a BOM: at least this share of its code units have a NUL high byte (any text has
# spaces, digits and punctuation: 100% of a French sentence, 14% of a Greek one, 20% of a Russian
# one), and at most UTF16_OTHER_SIDE_NULS a NUL low byte. Binary data has NULs on both sides
# (random bytes: 0.4% each), and NUL-padded controls are refused after decoding.
UTF16_NUL_SHARE = 0.1
UTF16_OTHER_SIDE_NULS = 0.01
UTF16_MIN_UNITS = 8     # fewer code units say too little to tell UTF-16 from bytes with a NUL among them


def _bomless_utf16(raw: bytes) -> str | None:
    """raw decoded as UTF-16 LE or BE without a BOM, if its NUL bytes say it is that; else None."""
    units = len(raw) // 2
    if len(raw) % 2 or not units:
        return None
    even, odd = raw[0::2].count(0) / units, raw[1::2].count(0) / units
    for encoding, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high >= UTF16_NUL_SHARE and low <= UTF16_OTHER_SIDE_NULS:
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                return None
            return text if units >= UTF16_MIN_UNITS and _reads_as_text(text) else None
    return None


def _utf8_beyond_ascii(raw: bytes) -> bool:
    """Valid UTF-8 with multi-byte characters: UTF-8 whatever NULs it holds (then refused for them). UTF-16 of
    ASCII text is valid UTF-8 too, but all ASCII; UTF-16 of any other text is almost never valid UTF-8."""
    if raw.isascii():
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _reads_as_text(text: str) -> bool:
    """Words and spaces, as any document has: a few bytes with a NUL among them ('000\\x00') also
    decode as UTF-16, to symbols no text is made of."""
    wordy = sum(1 for c in text if c.isalnum() or c.isspace() or c in ".,;:'’\"()-")
    return any(c.isspace() for c in text) and wordy >= 0.8 * len(text)


def _strict(path: Path, raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as err:
        hint = "; convert it, e.g. `iconv -f latin1 -t utf-8`" if encoding == "utf-8" else ""
        raise DocumentError(path, f"not valid {encoding.upper()} text (byte {err.start}: "
                                  f"{raw[err.start:err.start + 1]!r}); expected UTF-8 or UTF-16{hint}") from None


# ---------------------------------------------------------------------------------------------
# Offset-preserving text

@dataclass
class MappedText:
    text: str
    offsets: list[int]  # len(text) + 1 entries: the original offset of each character, then the original end

    @classmethod
    def identity(cls, text: str) -> MappedText:
        return cls(text, list(range(len(text) + 1)))

    def edit(self, edits: list[Edit]) -> MappedText:
        """Apply non-overlapping edits (any order); characters of a replacement map to the replaced range."""
        if not edits:
            return self
        out: list[str] = []
        offs: list[int] = []
        pos = 0
        for start, end, repl in sorted(edits):
            if start < pos:
                continue  # overlapping edit: the earlier one wins
            out.append(self.text[pos:start])
            offs.extend(self.offsets[pos:start])
            out.append(repl)
            if len(repl) == end - start:
                offs.extend(self.offsets[start:end])
            else:
                offs.extend([self.offsets[start]] * len(repl))
            pos = end
        out.append(self.text[pos:])
        offs.extend(self.offsets[pos:])  # includes the sentinel
        return MappedText("".join(out), offs)

    def edit_regex(self, pattern: str | re.Pattern, repl) -> MappedText:
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        edits = []
        for m in rx.finditer(self.text):
            new = repl(m) if callable(repl) else repl
            if new is not None and new != m.group(0):
                edits.append((m.start(), m.end(), new))
        return self.edit(edits)

    def published(self, original: str, start: int, end: int) -> str:
        """Cleaned text [start, end) without characters the clean-up inserted (a repaired hyphen)."""
        o = self.offsets[start] if start < len(self.offsets) else 0
        if original[o:o + end - start] == self.text[start:end] and self.offsets[start:end] == list(range(o, o + end - start)):
            out = self.text[start:end]  # untouched by the clean-up: every character is the original's
        else:
            out = "".join(c for i, c in enumerate(self.text[start:end], start)
                          if c.isspace() or (self.offsets[i] < len(original) and original[self.offsets[i]] == c)
                          or c in "&<>\"'")
        return re.sub(r"\s+", " ", out).strip()

    def span(self, start: int, end: int) -> Span:
        """The original span of cleaned text [start, end)."""
        if end <= start:
            o = self.offsets[start]
            return Span(o, o)
        return Span(self.offsets[start], self.offsets[end - 1] + 1)


# ---------------------------------------------------------------------------------------------
# HTML

_BLOCK_TAGS = "p|div|br|h[1-6]|li|tr|table|ul|ol|section|article|header|footer|title|blockquote|dt|dd"


def strip_html(doc: MappedText) -> MappedText:
    """The text of a page: its furniture (navigation, banners, footers: loaders/html.py) and markup removed."""
    from .html import boilerplate_ranges

    doc = doc.edit([(start, end, "\n\n") for start, end in boilerplate_ranges(doc.text)])
    doc = doc.edit_regex(r"(?is)<(script|style|head)\b.*?</\1\s*>", lambda m: "\n\n" if m.group(1).lower() == "head" else "")
    doc = doc.edit_regex(r"(?is)<!--.*?-->", "")
    doc = doc.edit_regex(r"(?i)<li\b[^>]*>", "\n- ")
    doc = doc.edit_regex(rf"(?i)</?(?:{_BLOCK_TAGS})\b[^>]*>", "\n\n")
    doc = doc.edit_regex(r"<[^>]+>", "")
    doc = doc.edit_regex(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});", lambda m: html.unescape(m.group(0)))
    return doc


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or len(re.findall(r"</?(?:p|div|body|h[1-6])\b", head)) >= 2


# ---------------------------------------------------------------------------------------------
# Clean-up

@lru_cache(maxsize=1)
def _rules() -> dict:
    rules = data_json("cleaning.json")
    rules["_remove"] = [re.compile(p) for p in rules["remove"]]
    # The prefixes a word can start with, longest first, filed under the word's first letter.
    prefixes = sorted(rules["prefixes"], key=len, reverse=True)
    rules["_prefixes_by_initial"] = {c: [p for p in prefixes if p[:1] in ("", c)] for c in {p[:1] for p in prefixes}}
    rules["_prefixes_empty"] = [p for p in prefixes if not p]
    rules["_prefix_lengths"] = sorted({len(p) for p in prefixes})
    return rules


MARKER = re.compile(r"^[ \t]*(?:[-–•▪*][ \t]+)?(?:(\d{1,2})[.)](?=[ \t]))?[ \t]*")
_TERMINAL = tuple('.!?:;"”’)')


_LIST_MARKER = re.compile(r"^[ \t]*(?:(?:[-–•▪][ \t]+)(?:(\d{1,2})[.)][ \t]+)?|(\d{1,2})[.)][ \t]+)")


def _marker(line: str) -> tuple[str, int | None]:
    """The list marker at the start of a line ('- 1. ', '1) ', '- ') and its number."""
    m = _LIST_MARKER.match(line)
    if not m:
        return "", None
    num = m.group(1) or m.group(2)
    return m.group(0), int(num) if num else None


def is_caps_heading(text: str) -> bool:
    """At least 3 letters, 85% of them capitals, and no full stop at the end."""
    if text.rstrip().endswith("."):
        return False
    if text.isascii():  # letters are A-Z and a-z, counted in C (this runs on every line, several times)
        upper, lower = sum(map(str.isupper, text)), sum(map(str.islower, text))
        return upper + lower >= 3 and upper / (upper + lower) >= 0.85
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3:
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= 0.85


@lru_cache(maxsize=1)
def _date_line_rx() -> re.Pattern:
    """A line holding a date and nothing else but a weekday, a time or a word such as 'Published'."""
    months = "|".join(sorted(data_json("numbers.json")["months"], key=len, reverse=True))
    words = data_json("meetings.json")
    weekday = "|".join(sorted(words["weekdays"], key=len, reverse=True))
    lead = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words["date_line_lead"], key=len, reverse=True))
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    date = rf"(?:{day}\s+(?:{months})\.?,?\s+\d{{4}}|(?:{months})\.?\s+{day},?\s+\d{{4}})"
    time = r"(?:\s*[-–—|,]?\s*\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?)?"
    return re.compile(rf"\s*(?:(?:{lead})\s*:?\s*)?(?:(?:{weekday})\.?,?\s+)?{date}{time}\s*", re.I)


def is_date_line(line: str) -> bool:
    """'3 February 2016', 'Published 14 Sep 2019', 'Friday, April 7, 2017 - 09:30': a page's date
    line, a block of its own even when no blank line parts it from the title."""
    return len(line) <= 60 and any(c.isdigit() for c in line) and bool(_date_line_rx().fullmatch(line))


_CONTINUED = re.compile(r"(?:,|\b(?:on|of|in|from|to|and|the|until|between|since|by|at|dated|held))\s*$", re.I)


def _date_line_apart(previous: str, line: str, previous_alone: bool) -> bool:
    """A date line is a block of its own: after a line that does not run on into it ('held on'),
    and before the next line when it stands alone (not a date a hard-wrapped sentence ends with)."""
    if is_date_line(line) and not _CONTINUED.search(previous):
        return True
    return previous_alone and is_date_line(previous)


def clean(text: str, *, is_html: bool | None = None) -> MappedText:
    """The cleaned text: one block (title, heading, paragraph, list item) per line, single spaces inside."""
    doc = MappedText.identity(text)
    if is_html if is_html is not None else looks_like_html(text):
        doc = strip_html(doc)
    if any(c in doc.text for c in "\r\f\u2028\u2029"):  # each test is far cheaper than a regex pass
        doc = doc.edit_regex(r"\r\n?|\f|\u2028|\u2029", "\n")
    if any(c in doc.text for c in "\u00ad\u200b\ufeff"):
        doc = doc.edit_regex(r"\u00ad|\u200b|\ufeff", "")
    if any(c in doc.text for c in "\u00a0\t"):
        doc = doc.edit_regex(r"[\u00a0\t]", " ")
    rules = _rules()
    for rx in rules["_remove"]:
        doc = doc.edit_regex(rx, "")
    doc = _dehyphenate(doc, rules)
    return _blocks(doc)


_LOWER_WORD = re.compile(r"(?<![\w-])[a-z]{6,}(?![\w-])")  # a lowercase word of 6+ letters, not hyphenated


def _after_prefix_hyphens(lowered: str, rules: dict) -> dict[str, list[int]]:
    """Where each prefix occurs with a hyphen ("non-"), as the positions after the hyphen: whether
    "non-state" occurs is then a lookup, not a scan. Read off the hyphens, one pass for all prefixes."""
    prefixes = set(rules["prefixes"])
    found: dict[str, list[int]] = {}
    hyphen = lowered.find("-")
    while hyphen >= 0:
        for n in rules["_prefix_lengths"]:
            if n <= hyphen and lowered[hyphen - n:hyphen] in prefixes:
                found.setdefault(lowered[hyphen - n:hyphen], []).append(hyphen + 1)
        hyphen = lowered.find("-", hyphen + 1)
    return found


def _dehyphenate(doc: MappedText, rules: dict) -> MappedText:
    # A word broken at a line end: "imple-\nmentation". (Each pattern starts with the hyphen, which the
    # regex engine finds fast, and looks back at the letter before it.)
    doc = doc.edit_regex(r"-(?<=[a-z]-)[ \t]*\n[ \t]*(?=[a-z])", "")
    # A word broken inside a line by a hyphen and a space: "develop- ment" (not "pre- and post-").
    doc = doc.edit_regex(r"- (?<=[a-z]- )(?=(?!(?:and|or|to|as)\b)[a-z]{2,})", "")
    # Words glued where a hyphen was lost: "countryspecific", "nonstate".
    lowered = doc.text.lower()
    after_hyphen = _after_prefix_hyphens(lowered, rules)

    # Only the prefixes this document writes with a hyphen can be restored (most documents have none or a few).
    by_initial = {c: [p for p in prefixes if p in after_hyphen] for c, prefixes in rules["_prefixes_by_initial"].items()}
    no_initial = [p for p in rules["_prefixes_empty"] if p in after_hyphen]

    @cache  # per document; a summary repeats its words
    def hyphen_at(word: str) -> int | None:
        at = _repaired_hyphen(word)
        if at is not None:
            return at
        for p in by_initial.get(word[0], no_initial):
            rest = word[len(p):]
            if word.startswith(p) and len(rest) >= 4 \
                    and any(lowered.startswith(rest, at) for at in after_hyphen.get(p, ())):
                return len(p)
        return None

    edits: list[Edit] = []
    if after_hyphen:
        words = set(_LOWER_WORD.findall(doc.text))
    else:   # then only the repairs can give a hyphen back: those of them that are words of the text
        words = {w for w in _repairs_with_a_hyphen() if w in doc.text and _lower_word(w).search(doc.text)}
    glued = {w for w in words if hyphen_at(w) is not None}
    if glued:  # most documents have none: then no match objects at all
        for m in _LOWER_WORD.finditer(doc.text):
            if m.group(0) in glued:
                at = m.start() + hyphen_at(m.group(0))
                edits.append((at, at, "-"))  # an insertion: letters keep their offsets
    return doc.edit(edits)


@lru_cache(maxsize=4096)
def _repaired_hyphen(word: str) -> int | None:
    """Where the repairs of cleaning.json put a word's one hyphen back ("countryspecific"), or None."""
    fixed = _rules()["repairs"].get(word)
    if fixed and fixed.replace("-", "") == word and fixed.count("-") == 1:
        return fixed.index("-")
    return None


@lru_cache(maxsize=1)
def _repairs_with_a_hyphen() -> frozenset[str]:
    """The glued words the repairs give one hyphen back to, those that _LOWER_WORD can find."""
    return frozenset(w for w in _rules()["repairs"] if _repaired_hyphen(w) is not None and _LOWER_WORD.fullmatch(w))


@lru_cache(maxsize=64)
def _lower_word(word: str) -> re.Pattern:
    """The word where _LOWER_WORD would find it (a lowercase word is one of its matches exactly where it stands
    between such bounds): a test for the few repairs, where listing every lowercase word of a document took a
    pass of the regex engine over all of it."""
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")


def _blocks(doc: MappedText) -> MappedText:
    """Join hard-wrapped lines and page-broken paragraphs; one block per line in the result."""
    text = doc.text
    # Paragraphs: runs of non-blank lines.
    paragraphs: list[list[tuple[int, int]]] = []  # each: list of (line start, line end)
    pos = 0
    current: list[tuple[int, int]] = []
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if line.strip():
            current.append((start, end))
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)

    # Blocks: a paragraph's lines, split where a line starts a list item or follows a heading line.
    blocks: list[list[tuple[int, int]]] = []
    block_para: list[int] = []
    for pi, lines in enumerate(paragraphs):
        for li, (s, e) in enumerate(lines):
            line = text[s:e]
            previous = text[lines[li - 1][0]:lines[li - 1][1]] if li else ""
            starts_new = li == 0 or bool(_marker(line)[0]) or is_caps_heading(previous) and not is_caps_heading(line) \
                or _date_line_apart(previous, line, blocks[-1] == [lines[li - 1]] if li else False)
            if starts_new:
                blocks.append([(s, e)])
                block_para.append(pi)
            else:
                blocks[-1].append((s, e))

    # Page breaks: a block cut by a blank line continues in the next paragraph.
    merged: list[list[tuple[int, int]]] = []
    for bi, block in enumerate(blocks):
        if merged and block_para[bi] != block_para[bi - 1] and _continues(text, merged[-1], block):
            merged[-1].extend(block)
        else:
            merged.append(block)

    edits: list[Edit] = []
    first = merged[0][0][0] if merged else len(text)
    edits.append((0, first, ""))
    for bi, block in enumerate(merged):
        for (s1, e1), (s2, _e2) in zip(block, block[1:]):
            edits.append((e1, s2, " "))
        end = block[-1][1]
        nxt = merged[bi + 1][0][0] if bi + 1 < len(merged) else len(text)
        edits.append((end, nxt, "\n" if bi + 1 < len(merged) else ""))
    doc = doc.edit([e for e in edits if e[0] < e[1] or e[2]])
    # Inside blocks: single spaces, no leading or trailing blanks (the regexes only where they can match).
    t = doc.text
    if t.startswith(" ") or t.endswith(" ") or "\n " in t or " \n" in t:
        doc = doc.edit_regex(r"(?m)^[ ]+|[ ]+$", "")
    return doc.edit_regex(r"[ ]{2,}", " ") if "  " in doc.text else doc


def _continues(text: str, prev: list[tuple[int, int]], block: list[tuple[int, int]]) -> bool:
    last = text[prev[-1][0]:prev[-1][1]].rstrip()
    nxt = text[block[0][0]:block[0][1]].lstrip()
    if not last or not nxt or _marker(nxt)[0] or is_caps_heading(last) or is_caps_heading(nxt):
        return False
    if last.endswith(_TERMINAL):
        return False
    if nxt[0].islower():
        return True
    return last.endswith(",")
