"""Text from a request, which the app cannot trust: shown in a log or a message only with its control characters
escaped and its length capped, and turned into an IRI only once it is known to be one (pyoxigraph raises on an
invalid IRI, which would otherwise be a 500)."""
from __future__ import annotations

import pyoxigraph as ox

ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}
LOG_LIMIT = 300


def _escaped(char: str) -> str:
    if char in ESCAPES:
        return ESCAPES[char]
    if char.isprintable():
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str, limit: int = LOG_LIMIT) -> str:
    """`text` on one line: newlines, ESC, NUL, bidi controls and every other non-printable character written as
    backslash escapes (so a path cannot forge a log line or colour a terminal), at most `limit` characters with an
    ellipsis when cut."""
    out: list[str] = []
    length = 0
    for char in text:
        piece = _escaped(char)
        if length + len(piece) > limit - 1:
            out.append("…")
            break
        out.append(piece)
        length += len(piece)
    return "".join(out)


def is_iri(text: str) -> bool:
    """Whether `text` is an absolute IRI pyoxigraph accepts (no spaces, <, >, ", {, }, |, \\, ^, `, controls)."""
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True
