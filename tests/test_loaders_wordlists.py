"""A word list compiled for speed finds exactly what the plain alternation finds.

The rules search every sentence for cue words; `word_alternation` builds those patterns so that the
regex engine can skip ahead. A rule must not read a sentence differently because of it: the same
matches, at the same places, with the same preference for the longest word.
"""
from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings, strategies as st

from r2pkg.loaders.wordlists import (_FOLDS_BEYOND_ASCII, _ODD_FOLDS, folded_text, literal_probe,
                                      plain_words, plain_words_in, word_alternation)


def plain(words: list[str], ignore_case: bool, not_after: str, or_chars: str = "") -> re.Pattern:
    """The obvious pattern, as the rules wrote it before."""
    parts = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    alternation = rf"(?<!{not_after})(?:{parts})"
    if or_chars:
        alternation = rf"(?:[{re.escape(or_chars)}]|{alternation})"
    return re.compile(alternation + r"(?![\w-])", re.I if ignore_case else 0)


def fast(words: list[str], ignore_case: bool, not_after: str, or_chars: str = "") -> re.Pattern:
    return re.compile(word_alternation(words, ignore_case=ignore_case, not_after=not_after, or_chars=or_chars)
                      + r"(?![\w-])")


def spans(rx: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in rx.finditer(text)]


WORDS = ["attended", "attend", "took part", "Head", "head of", "CEO", "Kelvin", "said", "sk", "a", "I"]
TEXTS = [
    "They attended; others attend-ed, re-attended or took  part. The Head of state said: Kelvin spoke.",
    "KELVIN \u212aelvin \u017fAID \u0130 \u0131 pre-attend attendance unattended took\npart",
    "a an I i. Ask the CEO-elect or the ceo; Sk, sk8, s\u017fk.",
    "",
]


@pytest.mark.parametrize("ignore_case", [True, False])
@pytest.mark.parametrize("not_after", [r"[\w-]", r"\w"])
@pytest.mark.parametrize("text", TEXTS)
def test_the_same_matches_as_the_plain_alternation(text: str, ignore_case: bool, not_after: str) -> None:
    assert spans(fast(WORDS, ignore_case, not_after), text) == spans(plain(WORDS, ignore_case, not_after), text)


@pytest.mark.parametrize("text", TEXTS)
def test_punctuation_taken_anywhere_alongside_words(text: str) -> None:
    words = ["and", "with", "according to"]
    assert spans(fast(words, False, r"\w", ",;:–"), text) == spans(plain(words, False, r"\w", ",;:–"), text)


word = st.text(alphabet=string.ascii_letters + " -", min_size=1, max_size=8).filter(lambda w: w[0].isalpha())


@settings(max_examples=300, deadline=None)
@given(words=st.lists(word, min_size=1, max_size=6),
       text=st.text(alphabet=string.ascii_letters + " -.,\n\u212a\u017f\u0130\u0131", max_size=80),
       ignore_case=st.booleans())
def test_random_lists_and_texts(words: list[str], text: str, ignore_case: bool) -> None:
    assert spans(fast(words, ignore_case, r"[\w-]"), text) == spans(plain(words, ignore_case, r"[\w-]"), text)


def test_a_word_not_starting_with_an_ascii_letter_keeps_the_plain_meaning() -> None:
    words, text = ["état", "plain"], "l'état, un État; plain, Plain"
    assert spans(fast(words, True, r"[\w-]"), text) == spans(plain(words, True, r"[\w-]"), text) \
        == [(2, 6), (11, 15), (17, 22), (24, 29)]


def test_words_that_are_patterns_are_not_escaped() -> None:
    rx = re.compile(word_alternation(["[Pp]lans?", "goal"], is_pattern=lambda w: "[" in w) + r"(?![\w-])")
    assert [m.group(0) for m in rx.finditer("Plans, a plan, goals, a goal")] == ["Plans", "plan", "goal"]


def test_the_case_folds_beyond_ascii_are_all_of_them() -> None:
    """What re.IGNORECASE matches for an ASCII letter, over every code point, is its two cases and the table."""
    everything = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    for letter in string.ascii_lowercase:
        beyond = set(re.findall(f"(?i){letter}", everything)) - {letter, letter.upper()}
        assert beyond == set(_FOLDS_BEYOND_ASCII.get(letter, "")), letter


@settings(max_examples=2000, deadline=None)
@given(strings=st.lists(st.text(alphabet="eEpPort /RxNk\u00e9 ", min_size=0, max_size=6), min_size=1, max_size=5),
       text=st.text(alphabet="eEpPort /RxNk\u00e9\n.", max_size=40))
def test_a_literal_probe_finds_a_string_exactly_where_one_occurs(strings: list[str], text: str) -> None:
    """A probe answers yes or no: one of its strings is in the text, as written, or none is."""
    assert bool(literal_probe(strings).search(text)) == any(s in text for s in strings)


def test_a_literal_probe_is_case_sensitive_and_finds_strings_inside_words() -> None:
    probe = literal_probe(["eport", "Network"])
    assert probe.search("the Reporters met") and probe.search("a Network")
    assert not probe.search("a network of REPORTS")


# Texts with every kind of white space \s matches, capitals, hyphens, and the letters whose case folds oddly.
odd_text = st.text(alphabet="AaBbKkSsIi -.\n\t\u00a0\u2003\x1c\u212a\u017f\u0130\u0131", max_size=60)
odd_word = st.text(alphabet="abkis -", min_size=1, max_size=6).filter(lambda w: w.strip() and " ".join(w.split()) == w)


@settings(max_examples=2000, deadline=None)
@given(words=st.lists(odd_word, min_size=1, max_size=5), text=odd_text)
def test_plain_words_in_the_folded_text_answer_as_the_case_blind_pattern(words: list[str], text: str) -> None:
    """`in` on the folded text says yes exactly where the pattern of the words taken anywhere, in any case, finds
    one; a text on which the two could disagree is not folded at all."""
    anywhere = re.compile(word_alternation(words, ignore_case=True, not_after=None))
    folded = folded_text(text)
    if folded is None:
        assert any(c in text for c in _ODD_FOLDS)
        return
    assert plain_words_in(plain_words(words), folded) == bool(anywhere.search(text))


def test_only_the_odd_folds_lower_to_something_else_than_re_ignorecase_matches() -> None:
    """Every character that lower() turns into text with an ASCII letter is that letter's other case, the Kelvin
    sign (which re matches to "k"), or one of the odd folds (for which folded_text gives None)."""
    for i in range(0x110000):
        c = chr(i)
        if 0xD800 <= i < 0xE000 or c.isascii():
            continue
        lowered = c.lower()
        if any(x.isascii() and x.isalpha() for x in lowered):
            assert c == "\u212a" or c in _ODD_FOLDS, hex(i)


def test_plain_words_refuses_patterns_and_letters_beyond_ascii() -> None:
    assert plain_words(["Took Part", "took part in", "attend"]) == ("attend", "took part")
    assert plain_words(["[Pp]lans?"]) is None and plain_words(["état"]) is None
    assert plain_words(["took  part"]) is None and plain_words([" part"]) is None   # two runs of white space
