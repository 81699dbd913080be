"""load_document: a meeting summary (plain text or HTML) to evidence-backed facts."""
from __future__ import annotations

from pathlib import Path

from r2pkg.graph import iris

from . import rules
from .analysis import analyse_text
from .gazetteer import gazetteer
from .model import DocumentError, LoadedDocument, Mention
from .text import clean, decode, looks_like_html


# The largest document read, in bytes. A summary is 20-30 kB; spaCy refuses texts over 1,000,000 characters
# and the offset maps cost ~40 bytes per character, so this bound also keeps a build's memory bounded.
MAX_DOCUMENT_BYTES = 1_000_000


def load_document(path: Path, slug: str | None = None) -> LoadedDocument:
    """Read one summary and return its facts, each with the span of its sentence in the original text.

    Raises DocumentError (one line, naming the file) for an empty, binary, undecodable or PDF file,
    or one larger than MAX_DOCUMENT_BYTES.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise DocumentError(path, f"too large ({size / 1e6:.1f} MB; the limit is "
                                      f"{MAX_DOCUMENT_BYTES / 1e6:g} MB for one summary): split it or check it is a summary")
        raw = path.read_bytes()
    except OSError as err:
        raise DocumentError(path, f"cannot read: {err.strerror or err}") from None
    text = decode(path, raw)
    is_html = path.suffix.lower() in (".html", ".htm", ".xhtml") or looks_like_html(text)
    mapped = clean(text, is_html=is_html)
    if not mapped.text.strip():
        raise DocumentError(path, "no text left after removing markup and page furniture")
    slug = slug or iris.slugify(path.stem)
    gaz = gazetteer()
    an = analyse_text(mapped, gaz)
    ctx = rules.Ctx(slug, an, gaz, original=text)
    rules.run_rules(ctx)
    title = an.blocks[0].text if an.blocks else ""
    mentions = [Mention(mapped.span(m.start, m.end), m.iri, m.label) for m in an.ments]
    sentences = [mapped.span(s.start, s.end) for s in an.sents]
    return LoadedDocument(slug=slug, path=path, text=text, title=title, facts=ctx.facts, mentions=mentions,
                          sentences=sentences)
