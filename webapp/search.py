"""A small in-memory search index over labels, alternative labels and evidence sentences.

Built once per build when the app first needs it. Ranking, highest first: exact label, exact
alternative label, label prefix, every word of the query starting a word of a label, then
sentences containing every word, then partial matches.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


def fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


@dataclass(frozen=True)
class Entry:
    iri: str
    label: str
    alt_labels: tuple[str, ...]
    types: frozenset[str]
    norm: str
    norm_alts: tuple[str, ...]
    words: frozenset[str]


@dataclass(frozen=True)
class SentenceEntry:
    iri: str
    document: str
    start: int
    end: int
    text: str
    words: frozenset[str]


@dataclass(frozen=True)
class Hit:
    kind: str            # "entity" | "sentence"
    iri: str
    label: str
    score: float
    types: frozenset[str] = frozenset()
    matched: str = ""    # the alternative label that matched, when it was one
    document: str = ""
    start: int = 0
    end: int = 0


@dataclass
class SearchIndex:
    entries: list[Entry] = field(default_factory=list)
    sentences: list[SentenceEntry] = field(default_factory=list)
    doc_labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, entities: Iterable[tuple[str, str, list[str], set[str]]],
              sentences: Iterable[tuple[str, str, int, int, str]], labels: dict[str, str]) -> "SearchIndex":
        index = cls()
        for iri, label, alts, types in entities:
            words = set(tokens(label))
            for alt in alts:
                words.update(tokens(alt))
            index.entries.append(Entry(iri, label, tuple(alts), frozenset(types), " ".join(tokens(label)),
                                       tuple(" ".join(tokens(a)) for a in alts), frozenset(words)))
        for iri, doc, start, end, text in sorted(sentences, key=lambda s: (s[1], s[2])):
            index.sentences.append(SentenceEntry(iri, doc, start, end, text, frozenset(tokens(text))))
            index.doc_labels.setdefault(doc, labels.get(doc, doc.rsplit("/", 1)[-1]))
        return index

    @staticmethod
    def _word_match(qwords: list[str], words: frozenset[str]) -> int:
        """How many query words match a word (the last query word may be a prefix)."""
        n = 0
        for i, w in enumerate(qwords):
            if w in words or (i == len(qwords) - 1 and len(w) >= 2 and any(x.startswith(w) for x in words)):
                n += 1
        return n

    def _score_entry(self, e: Entry, qnorm: str, qwords: list[str]) -> tuple[float, str]:
        if e.norm == qnorm:
            return 100.0, ""
        for alt, norm in zip(e.alt_labels, e.norm_alts):
            if norm == qnorm:
                return 90.0, alt
        if e.norm.startswith(qnorm):
            return 80.0 - min(len(e.norm) - len(qnorm), 20) / 10, ""
        for alt, norm in zip(e.alt_labels, e.norm_alts):
            if norm.startswith(qnorm):
                return 70.0, alt
        if qnorm and f" {qnorm}" in f" {e.norm}":
            return 60.0, ""
        matched = self._word_match(qwords, e.words)
        if matched == len(qwords):
            return 50.0 - min(len(e.words), 20) / 10, ""
        if matched and matched * 2 >= len(qwords) and len(qwords) > 1:
            return 10.0 * matched / len(qwords), ""
        return 0.0, ""

    def search(self, q: str, *, limit: int = 50, sentences: bool = True,
               accept: Callable[[Entry], bool] | None = None) -> list[Hit]:
        qwords = tokens(q)
        if not qwords:
            return []
        qnorm = " ".join(qwords)
        hits: list[Hit] = []
        for e in self.entries:
            if accept is not None and not accept(e):
                continue
            score, alt = self._score_entry(e, qnorm, qwords)
            if score > 0:
                hits.append(Hit("entity", e.iri, e.label, score, e.types, alt))
        if sentences:
            for s in self.sentences:
                matched = self._word_match(qwords, s.words)
                if matched == len(qwords):
                    score = 20.0 + (5.0 if qnorm in " ".join(tokens(s.text)) else 0.0)
                elif matched and matched * 2 >= len(qwords) and len(qwords) > 1:
                    score = 5.0 * matched / len(qwords)
                else:
                    continue
                hits.append(Hit("sentence", s.iri, self.doc_labels.get(s.document, s.document), score,
                                document=s.document, start=s.start, end=s.end, matched=s.text))
        hits.sort(key=lambda h: (-h.score, len(h.label), h.label.lower(), h.start))
        return hits[:limit]

    def similar(self, text: str, limit: int = 8) -> list[Hit]:
        """Entities whose label or IRI slug is close to `text` (for "did you mean" on a 404)."""
        import difflib

        want = " ".join(tokens(text))
        if not want:
            return []
        keys: dict[str, Entry] = {}
        for e in self.entries:
            keys.setdefault(e.norm, e)
            keys.setdefault(" ".join(tokens(e.iri.rsplit("/", 1)[-1])), e)
        found, seen = [], set()
        for key in difflib.get_close_matches(want, list(keys), n=limit * 2, cutoff=0.6):
            e = keys[key]
            if e.iri not in seen:
                seen.add(e.iri)
                found.append(Hit("entity", e.iri, e.label, 1.0, e.types))
        return found[:limit]
