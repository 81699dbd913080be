"""A probe run once over a whole document says of each sentence what the probe run on that sentence says.

`Analysis.sentences_with` finds the sentences in which one of some strings occurs by searching the whole cleaned
text, not sentence by sentence; a rule then skips the sentences it does not list. Whatever the text (strings that
overlap, repeat, or run from one sentence into the next), the sentences listed must be those whose own text
contains one of the strings.
"""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from r2pkg.loaders.analysis import analyse_text
from r2pkg.loaders.gazetteer import gazetteer
from r2pkg.loaders.text import clean

PIECES = ["eport", "Report", "reported", "Action", "Plan", "Action Plan", "the", "Dr.", "Lena Voss", "said", ".",
          "!", "?", ",", "1.", "-", "Network", "Networks", "aa", "a"]
WORDS = ["eport", "Action Plan", "n. P", ". T", "aa", "Network", "x"]


def own_text_says(sentences, words: tuple[str, ...]) -> set[int]:
    return {s.idx for s in sentences if any(w in s.text for w in words)}


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(PIECES), min_size=1, max_size=30),
       glue=st.lists(st.sampled_from([" ", "\n", "\n\n", "  "]), min_size=1, max_size=30),
       words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=3, unique=True))
def test_the_sentences_with_a_string_are_those_whose_text_has_it(pieces, glue, words) -> None:
    text = "".join(p + glue[i % len(glue)] for i, p in enumerate(pieces)) + "Closing words."
    an = analyse_text(clean(text), gazetteer())
    assert an.sentences_with(tuple(words)) == own_text_says(an.sents, tuple(words))


def test_a_string_across_two_sentences_is_in_neither() -> None:
    an = analyse_text(clean("Title\n\nThe plan was adopted. Plan B followed in May.\n"), gazetteer())
    assert len(an.sents) >= 2
    assert an.sentences_with(("adopted. Plan",)) == frozenset()
    assert an.sentences_with(("Plan",)) == own_text_says(an.sents, ("Plan",)) != frozenset()
