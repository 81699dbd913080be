"""What a loader returns: facts, each with the sentence that supports it, and the mentions it saw.

Offsets are always into the document's original text (before any clean-up), so evidence can
be shown and highlighted in the source as published.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef


class DocumentError(ValueError):
    """A document that cannot be loaded. str(error) is one line and names the file."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


@dataclass(frozen=True, order=True)
class Span:
    """A half-open character range [start, end) of the original text."""

    start: int
    end: int

    def __init__(self, start: int, end: int) -> None:
        # Fields set in the instance's dict: a frozen dataclass's own __init__ goes through object.__setattr__ for
        # each, twice as slow, and the loaders make a span per fact and per sentence (some 800 a summary).
        if not 0 <= start <= end:
            raise ValueError(f"bad span {start}..{end}")
        fields = self.__dict__
        fields["start"] = start
        fields["end"] = end


@dataclass(frozen=True)
class Fact:
    """One asserted triple, the sentence it was read from, and the rules that read it there (names of
    `loaders.rules.RULES`, in the order they emitted it: two rules that read the same triple from the same
    sentence are both named, see `Ctx.emit`)."""

    subject: URIRef
    predicate: URIRef
    object: URIRef | Literal
    evidence: Span
    rules: tuple[str, ...] = ()

    def __init__(self, subject: URIRef, predicate: URIRef, object: URIRef | Literal, evidence: Span,
                 rules: tuple[str, ...] = ()) -> None:
        # As Span's: the dataclass's own __init__ took 2-3 µs a fact, some 600 facts a summary.
        fields = self.__dict__
        fields["subject"] = subject
        fields["predicate"] = predicate
        fields["object"] = object
        fields["evidence"] = evidence
        fields["rules"] = rules


@dataclass(frozen=True)
class Mention:
    """A recognised mention of an entity in the original text."""

    span: Span
    entity: URIRef
    label: str  # the entity kind as the recogniser labelled it, e.g. STATE, PERSON


@dataclass
class LoadedDocument:
    slug: str
    path: Path
    text: str                      # the original text, as decoded
    title: str
    facts: list[Fact] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    media_type: str = "text/plain"
    paged: bool = False            # whether the text has pages (parted by form feeds, see loaders/formats.py)
    metadata: dict[str, str] = field(default_factory=dict)   # title, issued, publisher, language from the file

    def page(self, span: Span) -> int | None:
        """The page on which a span starts (1 for the first), or None for a text without pages."""
        return self.text.count("\f", 0, span.start) + 1 if self.paged else None

    def sentence_text(self, span: Span) -> str:
        return self.text[span.start:span.end]
