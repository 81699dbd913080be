"""load_document: a meeting summary (plain text, HTML, PDF or Word) to evidence-backed facts."""
from __future__ import annotations

from pathlib import Path

from r2pkg.graph import iris

from . import rules
from .analysis import analyse_text
from .gazetteer import gazetteer
from .formats import HTML, MAX_FILE_BYTES, PLAIN, check_size, read_source
from .model import DocumentError, LoadedDocument, Mention
from .text import clean


# The largest text file read, in bytes (other formats: loaders/formats.MAX_FILE_BYTES). A summary is 20-30 kB;
# spaCy refuses texts over 1,000,000 characters and the offset maps cost ~40 bytes per character, so this
# bound also keeps a build's memory bounded.
MAX_DOCUMENT_BYTES = MAX_FILE_BYTES[PLAIN]


def load_document(path: Path, slug: str | None = None) -> LoadedDocument:
    """Read one summary and return its facts, each with the span of its sentence in the original text.

    Raises DocumentError (one line, naming the file) for an empty, binary, undecodable, scanned, encrypted
    or broken file, or one larger than its format's limit (loaders/formats.py).
    """
    path = Path(path)
    try:
        check_size(path, path.stat().st_size)
        raw = path.read_bytes()
    except OSError as err:
        raise DocumentError(path, f"cannot read: {err.strerror or err}") from None
    source = read_source(path, raw)
    text = source.text
    mapped = clean(text, is_html=source.media_type == HTML)
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
    return LoadedDocument(slug=slug, path=path, text=text, title=source.metadata.get("title") or title,
                          facts=ctx.facts, mentions=mentions, sentences=sentences, media_type=source.media_type,
                          paged=source.paged, metadata=source.metadata)
