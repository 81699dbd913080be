"""A small in-memory search index over labels, alternative labels and evidence sentences.

Built once per build when the app first needs it. Ranking, highest first: exact label, exact
alternative label, label prefix, every word of the query starting a word of a label, then
sentences containing every word, then partial matches.

The index is inverted (word -> entries, word -> sentences; a prefix is a range of the sorted
word list), so a query touches only what shares a word with it and its cost does not grow with
the graph. Only candidates are scored, by the same rules a full scan would apply, so the hits
are exactly those of a scan.
"""
from __future__ import annotations

import heapq
import re
import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field

# Score bands (see _score_entry and _sentence_score): every entity hit that is not a partial match
# scores above SENTENCE_MAX, every sentence matching all words at least SENTENCE_FULL_MIN, and a
# partial sentence match less than any other hit.
SENTENCE_MAX = 25.0
SENTENCE_FULL_MIN = 20.0
# How close (difflib's ratio) a word must be to one of the index's to replace a word the index lacks: one
# letter dropped from a seven-letter name is 0.92; two unrelated short words rarely pass 0.75.
NEAR_MISS_CUTOFF = 0.8


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
    norm: str            # the text's words joined by spaces, for phrase matching


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


def _hit_key(h: Hit) -> tuple:
    return (-h.score, len(h.label), h.label.lower(), h.start)


@dataclass
class WordIndex:
    """Word -> ids of the items holding it, with the words sorted for prefix lookups.

    `compact`: each word's ids a sorted array of 4-byte integers (items are added in id order, so
    appending keeps them sorted), for the sentences, whose ids are many (1.5M at 1,000 summaries): as sets
    they took some 66 bytes an id, and a server's memory after reading a 10,000-summary build was 2,272 MB
    with them against 1,736 with the arrays. A query makes sets of its own words' ids only. The entries'
    ids stay in sets, which their scoring reads faster and which are a fifth as many."""

    compact: bool = False
    postings: dict[str, Collection[int]] = field(default_factory=dict)
    sorted_words: list[str] = field(default_factory=list)

    def add(self, item: int, words: Iterable[str]) -> None:
        """`item`: a higher id than any added before."""
        for w in set(words):
            posting = self.postings.get(w)
            if posting is None:
                posting = self.postings[w] = array("I") if self.compact else set()
            if self.compact:
                posting.append(item)
            else:
                posting.add(item)

    def freeze(self) -> None:
        self.sorted_words = sorted(self.postings)

    def exact(self, word: str) -> Collection[int]:
        return self.postings.get(word, ())

    def words_with_prefix(self, prefix: str) -> Iterator[str]:
        i = bisect_left(self.sorted_words, prefix)
        while i < len(self.sorted_words) and self.sorted_words[i].startswith(prefix):
            yield self.sorted_words[i]
            i += 1

    def prefixed(self, prefix: str, within: set[int] | None = None) -> set[int]:
        """Ids holding a word that starts with `prefix` (restricted to `within` when given)."""
        found: set[int] = set()
        for w in self.words_with_prefix(prefix):
            found.update(self.postings[w] if within is None else _intersection(within, self.postings[w]))
        return found

    def matches(self, qwords: list[str], last_prefix_min: int) -> list[Collection[int]]:
        """For each query word, the ids it matches: exactly, or (the last word, when at least
        `last_prefix_min` long) as the prefix of a word."""
        found: list[Collection[int]] = [self.exact(w) for w in qwords[:-1]]
        last = qwords[-1]
        found.append(self.prefixed(last) if len(last) >= last_prefix_min else self.exact(last))
        return found


def _intersection(ids: set[int], posting: Collection[int]) -> set[int]:
    """The ids that are in `posting`, a set or a sorted array: in an array, looked up one by one when they
    are far fewer ("focal" within the sentences holding "point"), else read off it."""
    if isinstance(posting, set):
        return ids & posting
    if len(ids) * 16 < len(posting):
        found = set()
        for i in ids:
            at = bisect_left(posting, i)
            if at < len(posting) and posting[at] == i:
                found.add(i)
        return found
    return ids.intersection(posting)


def _at_least_half(sets: list[Collection[int]]) -> Counter:
    """id -> how many of the collections hold it (each id once in each), for ids held by at least half of them."""
    counts: Counter = Counter()
    for s in sets:
        counts.update(s)
    need = (len(sets) + 1) // 2
    return Counter({i: n for i, n in counts.items() if n >= need})


@dataclass
class SearchIndex:
    entries: list[Entry] = field(default_factory=list)
    sentences: list[SentenceEntry] = field(default_factory=list)   # in the order hits of one score rank
    doc_labels: dict[str, str] = field(default_factory=dict)
    entry_words: WordIndex = field(default_factory=WordIndex)
    sentence_words: WordIndex = field(default_factory=lambda: WordIndex(compact=True))
    names: dict[str, list[int]] = field(default_factory=dict)      # label or alt label, normalised -> entries
    slugs: dict[str, list[int]] = field(default_factory=dict)      # last segment of the IRI -> entries
    sentence_ids: dict[str, list[int]] = field(default_factory=dict)   # sentence IRI -> its entries
    _words: list[str] = field(default_factory=list)                     # every indexed word, for near misses

    @classmethod
    def build(cls, entities: Iterable[tuple[str, str, list[str], set[str]]],
              sentences: Iterable[tuple[str, str, int, int, str]], labels: dict[str, str]) -> "SearchIndex":
        index = cls()
        for iri, label, alts, types in entities:
            words = set(tokens(label))
            for alt in alts:
                words.update(tokens(alt))
            entry = Entry(iri, label, tuple(alts), frozenset(types), " ".join(tokens(label)),
                          tuple(" ".join(tokens(a)) for a in alts), frozenset(words))
            index._add_entry(entry)
        index._add_sentences(sentences, labels)
        index.entry_words.freeze()
        index.sentence_words.freeze()
        return index

    def _add_entry(self, e: Entry) -> None:
        i = len(self.entries)
        self.entries.append(e)
        self.entry_words.add(i, e.words)
        for name in {e.norm, *e.norm_alts}:
            self.names.setdefault(name, []).append(i)
        self.slugs.setdefault(e.iri.rsplit("/", 1)[-1], []).append(i)

    def _add_sentences(self, sentences: Iterable[tuple[str, str, int, int, str]], labels: dict[str, str]) -> None:
        """Sentences numbered in the order a sort of equal-score hits gives them (shorter document
        label, then label, then offset), so the best of a score band are its smallest ids."""
        ordered = sorted(sentences, key=lambda s: (s[1], s[2]))
        for _, doc, _, _, _ in ordered:
            self.doc_labels.setdefault(doc, labels.get(doc, doc.rsplit("/", 1)[-1]))

        def rank(s: tuple) -> tuple:
            label = self.doc_labels[s[1]]
            return (len(label), label.lower(), s[2])

        for i, (iri, doc, start, end, text) in enumerate(sorted(ordered, key=rank)):
            words = tokens(text)
            self.sentences.append(SentenceEntry(iri, doc, start, end, text, " ".join(words)))
            self.sentence_ids.setdefault(iri, []).append(i)
            self.sentence_words.add(i, words)

    # ---- lookups ----
    def named(self, text: str) -> list[Entry]:
        """Entries whose label or an alternative label is `text` (case, accents and punctuation
        aside) or whose IRI ends in `text` as a slug, in index order: a parameter given by name."""
        ids = set(self.names.get(" ".join(tokens(text)), ())) | set(self.slugs.get(fold(text).strip(), ()))
        return [self.entries[i] for i in sorted(ids)]

    def sentence(self, iri: str) -> list[SentenceEntry]:
        """The document, offsets and text of an evidence sentence (empty when the index lacks it),
        so a page need not read them from the store sentence by sentence."""
        return [self.sentences[i] for i in self.sentence_ids.get(iri, ())]

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

    def _entity_candidates(self, qwords: list[str]) -> list[int]:
        """Entries that can score: each rule needs at least half the query words, the last one
        possibly as a prefix of any length (a label prefix)."""
        return sorted(_at_least_half(self.entry_words.matches(qwords, last_prefix_min=1)))

    def _entity_scores(self, qwords: list[str],
                       accept: Callable[[Entry], bool] | None) -> list[tuple[float, str, int]]:
        """(score, matched alternative label, entry id) of every candidate that scores."""
        qnorm = " ".join(qwords)
        scored = []
        for i in self._entity_candidates(qwords):
            e = self.entries[i]
            if accept is not None and not accept(e):
                continue
            score, alt = self._score_entry(e, qnorm, qwords)
            if score > 0:
                scored.append((score, alt, i))
        return scored

    def _entity_hits(self, scored: list[tuple[float, str, int]], limit: int) -> list[Hit]:
        """The best `limit` entity hits, in the order of `_hit_key`: only those are made into hits, as no other
        can be among the best `limit` of all (a common word scores thousands of entries at 1M triples)."""
        def key(s: tuple[float, str, int]) -> tuple:
            label = self.entries[s[2]].label
            return (-s[0], len(label), label.lower(), 0)

        best = heapq.nsmallest(limit, scored, key=key)     # as sorted(...)[:limit]: ties keep their order
        return [Hit("entity", e.iri, e.label, score, e.types, alt)
                for score, alt, e in ((score, alt, self.entries[i]) for score, alt, i in best)]

    def _sentence_hit(self, i: int, score: float) -> Hit:
        s = self.sentences[i]
        return Hit("sentence", s.iri, self.doc_labels.get(s.document, s.document), score,
                   document=s.document, start=s.start, end=s.end, matched=s.text)

    def _full_sentences(self, qwords: list[str], limit: int) -> list[Hit]:
        """The best `limit` sentences of each score band holding every query word (25 with the
        query as a phrase, else 20)."""
        words = self.sentence_words
        exact = qwords if len(qwords[-1]) < 2 else qwords[:-1]
        ids: set[int] | None = None
        for w in sorted(exact, key=lambda w: len(words.exact(w))):
            ids = set(words.exact(w)) if ids is None else _intersection(ids, words.exact(w))
            if not ids:
                return []
        if len(exact) < len(qwords):
            ids = words.prefixed(qwords[-1], within=ids)
        if len(qwords) == 1:   # one word found in a sentence is always found as a phrase
            return [self._sentence_hit(i, SENTENCE_MAX) for i in heapq.nsmallest(limit, ids)]
        qnorm = " ".join(qwords)
        phrase, plain = [], []
        for i in sorted(ids):
            if qnorm in self.sentences[i].norm:
                phrase.append(self._sentence_hit(i, SENTENCE_MAX))
                if len(phrase) >= limit:
                    break
            elif len(plain) < limit:
                plain.append(self._sentence_hit(i, SENTENCE_FULL_MIN))
        return phrase + plain

    def _partial_sentences(self, qwords: list[str], limit: int) -> list[Hit]:
        """Sentences holding at least half, not all, of two or more query words: the lowest band."""
        if len(qwords) < 2:
            return []
        counts = _at_least_half(self.sentence_words.matches(qwords, last_prefix_min=2))
        n = len(qwords)
        ranked = sorted(((-m, i) for i, m in counts.items() if m < n))
        return [self._sentence_hit(i, 5.0 * -neg / n) for neg, i in ranked[:limit]]

    def search(self, q: str, *, limit: int = 50, sentences: bool = True,
               accept: Callable[[Entry], bool] | None = None) -> list[Hit]:
        qwords = tokens(q)
        if not qwords:
            return []
        scored = self._entity_scores(qwords, accept)
        hits = self._entity_hits(scored, limit)
        strong = sum(score > SENTENCE_MAX for score, _, _ in scored)
        if sentences and strong < limit:
            full = self._full_sentences(qwords, limit)
            hits += full
            if strong + len(full) < limit:
                hits += self._partial_sentences(qwords, limit)
        hits.sort(key=_hit_key)
        return hits[:limit]

    def corrected(self, q: str) -> str | None:
        """The query with each word the index does not know replaced by the closest word it does ("myanmr" ->
        "myanmar"), for a search that found nothing; None when no word is near enough to one of ours."""
        import difflib

        qwords, changed = tokens(q), False
        for i, w in enumerate(qwords):
            if w in self.entry_words.postings or w in self.sentence_words.postings or len(w) < 4:
                continue
            near = difflib.get_close_matches(w, self._vocabulary(), n=1, cutoff=NEAR_MISS_CUTOFF)
            if near:
                qwords[i], changed = near[0], True
        return " ".join(qwords) if changed else None

    def _vocabulary(self) -> list[str]:
        if not self._words:
            self._words = sorted(set(self.entry_words.postings) | set(self.sentence_words.postings))
        return self._words

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
