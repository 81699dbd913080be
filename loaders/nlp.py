"""The spaCy pipeline (built once per process): tokenizer, sentencizer, an entity ruler from the gazetteers,
and a matcher for persons (an honorific or a title, then capitalised name tokens).

The components are spaCy's, sped up where they spent their time making a Python object per token.

Both token-pattern matchers are `matching.TokenMatcher`, which gives spaCy's `Matcher` results without
starting every pattern at every token (that made the entity ruler 3/4 of a document's loading time).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import spacy
from spacy.attrs import ENT_ID, ENT_IOB, ENT_KB_ID, ENT_TYPE, IS_PUNCT, ORTH
from spacy.language import Language
from spacy.pipeline import EntityRuler, Sentencizer
from spacy.tokens import Doc, Span

from .gazetteer import ROLE, gazetteer
from .matching import TokenMatcher

_LOCK = threading.Lock()
_NLP: tuple[spacy.language.Language, TokenMatcher] | None = None

# A name token: capitalised word (any script), initials ("T.", "A.B."), or a hyphen inside a name ("Al-Hammadi").
NAME_REGEX = r"^(?:[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’]*|(?:[A-Z]\.){1,3}|-)$"
NAME_TOKEN = {"TEXT": {"REGEX": NAME_REGEX}, "ENT_TYPE": {"IN": ["", "STATE", "CITY", "REGION"]}}
PLAIN_NAME = {"TEXT": {"REGEX": r"^[A-ZÀ-ÖØ-ÞĀ-ſ][a-zà-ÿā-ſ'’]+$"}, "ENT_TYPE": ""}


class GazetteerRuler(EntityRuler):
    """spaCy's EntityRuler (same patterns, same choice among overlapping matches) with its token patterns
    matched by a TokenMatcher."""

    def __init__(self, nlp: Language, name: str = "gazetteer_ruler", **config) -> None:
        super().__init__(nlp, name, **config)
        self.matcher = TokenMatcher(nlp.vocab)

    def clear(self) -> None:
        super().clear()
        self.matcher = TokenMatcher(self.nlp.vocab)

    def _require_patterns(self) -> None:
        """Warn of an empty ruler from the matchers' sizes: spaCy counts every pattern list at every call."""
        if not len(self.matcher) and not len(self.phrase_matcher):
            super()._require_patterns()

    def set_annotations(self, doc: Doc, matches) -> None:
        """EntityRuler.set_annotations, without looking at each matched token's entity type first when
        overwriting (spaCy evaluates that test before `not self.overwrite`, making a Token per token)."""
        if not self.overwrite:
            return super().set_annotations(doc, matches)
        if not doc.has_annotation("ENT_IOB"):
            return self._set_fresh(doc, matches)
        entities = list(doc.ents)
        new_entities = []
        seen_tokens: set[int] = set()
        for match_id, start, end in matches:
            if start not in seen_tokens and end - 1 not in seen_tokens:
                if match_id in self._ent_ids:
                    label, ent_id = self._ent_ids[match_id]
                    span = Span(doc, start, end, label=label, span_id=ent_id)
                else:
                    span = Span(doc, start, end, label=match_id)
                new_entities.append(span)
                entities = [e for e in entities if not (e.start < end and e.end > start)]
                seen_tokens.update(range(start, end))
        doc.ents = entities + new_entities

    def _set_fresh(self, doc: Doc, matches) -> None:
        """set_annotations on a Doc that has no entity annotation yet (every Doc this pipeline makes): the token
        attributes `doc.ents = spans` would set, written with one `from_array` (spaCy's setter makes each Span
        twice and visits each token from Python). The matches come longest first, so a match whose ends are free
        overlaps none taken before: the entities are well formed, and spaCy's repair pass would change nothing."""
        strings = doc.vocab.strings
        n = len(doc)
        columns = np.zeros((n, 4), dtype=np.uint64)      # ENT_IOB, ENT_TYPE, ENT_ID, ENT_KB_ID
        columns[:, 0] = 2                                # outside ("O")
        seen_tokens: set[int] = set()
        for match_id, start, end in matches:
            if start not in seen_tokens and end - 1 not in seen_tokens:
                if match_id in self._ent_ids:
                    label, ent_id = self._ent_ids[match_id]
                    label, ent_id = strings.add(label), strings.add(ent_id) if ent_id else 0
                else:
                    label, ent_id = match_id, 0
                columns[start, 0] = 3                    # begin ("B"), then inside ("I")
                columns[start + 1:end, 0] = 1
                columns[start:end, 1] = label
                columns[start:end, 2] = ent_id
                seen_tokens.update(range(start, end))
        doc.from_array([ENT_IOB, ENT_TYPE, ENT_ID, ENT_KB_ID], columns)


class ArraySentencizer(Sentencizer):
    """spaCy's Sentencizer with `predict` computed on arrays (one array call for the token texts and punctuation
    flags, and numpy for the rule) instead of a Python step per token, which was most of its time. Same rule, same
    result: a sentence starts at the first token that is neither punctuation nor a sentence-final character after
    one or more sentence-final characters (and at the first token)."""

    def predict(self, docs):
        return [self._guesses(doc) for doc in docs]

    def _guesses(self, doc: Doc) -> list[bool]:
        n = len(doc)
        if n == 0:
            return []
        distinct, inverse = np.unique(doc.to_array(ORTH), return_inverse=True)
        kinds = self._kinds
        for orth in distinct.tolist():
            if orth not in kinds:
                lexeme = doc.vocab[orth]
                kinds[orth] = (lexeme.orth_ in self.punct_chars, lexeme.is_punct)
        final, punct = np.array([kinds[orth] for orth in distinct.tolist()], dtype=bool).reshape(-1, 2)[inverse].T
        at = np.flatnonzero(~final & ~punct)              # the tokens that may start a sentence
        seen = np.cumsum(final)[at]                       # sentence-final characters up to each of them
        before = np.concatenate(([0], seen[:-1]))         # ... up to the one before
        guesses = np.zeros(n, dtype=bool)
        guesses[0] = True
        guesses[at[seen > before]] = True                 # a final character since the last one
        return guesses.tolist()

    @property
    def _kinds(self) -> dict[int, tuple[bool, bool]]:
        """Per token text, by its string id (a hash of the text, the same in every Doc): whether it is a
        sentence-final character, and whether it is punctuation (a flag of the lexeme, so of the text)."""
        return self.__dict__.setdefault("_kinds_by_id", {})


@Language.factory("array_sentencizer", assigns=["token.is_sent_start", "doc.sents"])
def make_array_sentencizer(nlp: Language, name: str) -> ArraySentencizer:
    return ArraySentencizer(name)


@Language.factory("gazetteer_ruler", assigns=["doc.ents", "token.ent_type", "token.ent_iob"])
def make_gazetteer_ruler(nlp: Language, name: str) -> GazetteerRuler:
    return GazetteerRuler(nlp, name, overwrite_ents=True, validate=False)


TOKENIZER_CACHE_SIZE = 100_000  # whitespace-delimited chunks; spaCy's default is 10,000
_WARMED: set[str] = set()


def _warm_tokenizer_cache(tokenizer, text: str) -> None:
    """Tokenize the text's new chunks one by one, so that the text itself is tokenized from the cache.

    spaCy stops caching chunks for the rest of a text once one chunk involved a special case ("Mr.",
    "e.g."; spaCy issue #1250), early in every summary, so 9 in 10 chunks were split afresh. A chunk alone is
    cached unless it involves a special case itself, and a cached split is the split, so tokens are unchanged.
    """
    if len(_WARMED) >= TOKENIZER_CACHE_SIZE:
        return
    new = set(text.split()) - _WARMED
    for chunk in new:
        tokenizer(chunk)
    _WARMED.update(new)


def pipeline() -> tuple[spacy.language.Language, TokenMatcher]:
    """The shared pipeline and person matcher (built on first use, then cached for the process)."""
    global _NLP
    with _LOCK:
        if _NLP is None:
            _NLP = _build()
        return _NLP


def _build() -> tuple[spacy.language.Language, TokenMatcher]:
    gaz = gazetteer()
    nlp = spacy.blank("en")
    nlp.tokenizer.max_cache_size = TOKENIZER_CACHE_SIZE
    nlp.add_pipe("array_sentencizer")
    ruler = nlp.add_pipe("gazetteer_ruler")
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(gaz.patterns(nlp.make_doc))
    matcher = TokenMatcher(nlp.vocab)
    honorific_patterns = [[{"ORTH": t} for t in toks] + [dict(NAME_TOKEN, OP="+")] for toks in _honorifics(nlp)]
    matcher.add("HONORIFIC_NAME", honorific_patterns, greedy="LONGEST")
    matcher.add("TITLE_NAME", [[{"ENT_TYPE": ROLE, "OP": "+"}, dict(NAME_TOKEN, OP="+")]], greedy="LONGEST")
    # "Lauren Wolfe of Women Under Siege": two capitalised words before "of" and a known organization.
    matcher.add("NAME_OF_ORG", [[PLAIN_NAME, PLAIN_NAME, {"LOWER": "of"}, {"LOWER": "the", "OP": "?"},
                                 {"ENT_TYPE": "ORG"}]])
    return nlp, matcher


def _honorifics(nlp: Language) -> list[list[str]]:
    """Each honorific of the gazetteer as tokens, in file order."""
    return [[t.text for t in nlp.make_doc(h)] for h in gazetteer().honorifics]


@lru_cache(maxsize=1)
def honorific_tokens() -> tuple[tuple[str, ...], ...]:
    """The honorifics as tokens, longest first (tokenised once per process, not per document)."""
    return tuple(tuple(h) for h in sorted(_honorifics(pipeline()[0]), key=len, reverse=True))


@dataclass
class Analysed:
    doc: Doc
    person_matches: list[tuple[str, int, int]]  # (rule, token start, token end)


def analyse(text: str) -> Analysed:
    nlp, matcher = pipeline()
    _warm_tokenizer_cache(nlp.tokenizer, text)
    doc = nlp(text)
    matches = [(nlp.vocab.strings[mid], s, e) for mid, s, e in matcher(doc)]
    return Analysed(doc, matches)
