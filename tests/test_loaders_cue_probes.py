"""A cue list absent from a whole document is absent from each of its sentences.

Rules skip the per-sentence search of a cue list when one search of the document's text finds none of its words,
even inside another word (`Ctx.in_text`). Whatever the text, a sentence in which the cue pattern finds a match
must then never be skipped: the document-wide answer is yes whenever some sentence has a match.
"""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from r2pkg.loaders.analysis import analyse_text
from r2pkg.loaders.gazetteer import gazetteer
from r2pkg.loaders.rules.base import Ctx
from r2pkg.loaders.text import clean

NAMES = ("other_event_nouns", "participation_context", "count_nouns")
PIECES = ["workshop", "Workshop", "workshops-", "pre-workshop", "regional meeting", "seminar", "attended", "by",
          "participants", "countries", "the", "Mr.", "Ilse Brandt", ".", ",", "\n", "-", "a"]


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(PIECES), min_size=1, max_size=25),
       glue=st.sampled_from([" ", "", "\n", "  "]), name=st.sampled_from(NAMES))
def test_no_sentence_has_a_cue_the_whole_text_lacks(pieces: list[str], glue: str, name: str) -> None:
    text = "A Title\n\n" + glue.join(pieces) + " The end."
    ctx = Ctx("doc", analyse_text(clean(text), gazetteer()), gazetteer())
    in_some_sentence = any(ctx.cue(name).search(s.text) for s in ctx.an.sents)
    assert ctx.in_text(name) or not in_some_sentence
    if not in_some_sentence and not any(w.lower() in text.lower() for w in gazetteer().cues[name]):
        assert not ctx.in_text(name)
