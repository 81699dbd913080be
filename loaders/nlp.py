"""The spaCy pipeline (built once per process): tokenizer, sentencizer, EntityRuler from the gazetteers,
and a Matcher for persons (an honorific or a title, then capitalised name tokens)."""
from __future__ import annotations

import threading
from dataclasses import dataclass

import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc

from .gazetteer import ROLE, gazetteer

_LOCK = threading.Lock()
_NLP: tuple[spacy.language.Language, Matcher] | None = None

# A name token: capitalised word (any script), or a hyphen inside a name ("Al-Hammadi").
NAME_REGEX = r"^(?:[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’]*|-)$"
NAME_TOKEN = {"TEXT": {"REGEX": NAME_REGEX}, "ENT_TYPE": {"IN": ["", "STATE", "CITY", "REGION"]}}
PLAIN_NAME = {"TEXT": {"REGEX": r"^[A-ZÀ-ÖØ-ÞĀ-ſ][a-zà-ÿā-ſ'’]+$"}, "ENT_TYPE": ""}


def pipeline() -> tuple[spacy.language.Language, Matcher]:
    """The shared pipeline and person matcher (built on first use, then cached for the process)."""
    global _NLP
    with _LOCK:
        if _NLP is None:
            _NLP = _build()
        return _NLP


def _build() -> tuple[spacy.language.Language, Matcher]:
    gaz = gazetteer()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True, "validate": False})
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(gaz.patterns(nlp.make_doc))
    matcher = Matcher(nlp.vocab)
    honorific_patterns = []
    for hon in gaz.honorifics:
        toks = [{"ORTH": t.text} for t in nlp.make_doc(hon)]
        honorific_patterns.append(toks + [dict(NAME_TOKEN, OP="+")])
    matcher.add("HONORIFIC_NAME", honorific_patterns, greedy="LONGEST")
    matcher.add("TITLE_NAME", [[{"ENT_TYPE": ROLE, "OP": "+"}, dict(NAME_TOKEN, OP="+")]], greedy="LONGEST")
    # "Lauren Wolfe of Women Under Siege": two capitalised words before "of" and a known organization.
    matcher.add("NAME_OF_ORG", [[PLAIN_NAME, PLAIN_NAME, {"LOWER": "of"}, {"LOWER": "the", "OP": "?"},
                                 {"ENT_TYPE": "ORG"}]])
    return nlp, matcher


@dataclass
class Analysed:
    doc: Doc
    person_matches: list[tuple[str, int, int]]  # (rule, token start, token end)


def analyse(text: str) -> Analysed:
    nlp, matcher = pipeline()
    doc = nlp(text)
    matches = [(nlp.vocab.strings[mid], s, e) for mid, s, e in matcher(doc)]
    return Analysed(doc, matches)
