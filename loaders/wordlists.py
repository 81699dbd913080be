"""A word list as a regular expression that the regex engine can search quickly.

The rules test every sentence against cue lists ("one of these words, not inside another word").
Written the plain way, `(?<![\\w-])(?:word|word|...)`, the pattern starts with an assertion, so Python's
engine tries the whole alternation at every position of the text. Starting it with the set of
characters a word can begin with lets the engine skip, in C, to the positions where one may start
(about twice as fast, four times without case folding); each word is then tried only after its own
first character. The matches are the plain pattern's: the same words, in the same order of preference
(longest first), with the same boundaries (`tests/test_loaders_wordlists.py`).
"""
from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable

# What Python's re matches for an ASCII letter under IGNORECASE, besides its two cases (the test checks
# this against every code point).
_FOLDS_BEYOND_ASCII = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def word_alternation(words: Iterable[str], *, ignore_case: bool = False, not_after: str | None = r"[\w-]",
                     is_pattern: Callable[[str], bool] = lambda word: False, or_chars: str = "") -> str:
    """A pattern for any of the words (longest first) that does not follow a `not_after` character, or
    any one of `or_chars` (punctuation, taken wherever it is).

    Spaces in a word match any run of white space. Words for which `is_pattern` is true are patterns
    already (not escaped); lists with such a word, or with a word that does not start with an ASCII letter,
    get the plain form, whose meaning is the same. `not_after` must match exactly one character; None
    takes the words anywhere, inside other words too.
    """
    ordered = sorted(words, key=len, reverse=True)
    patterns = any(map(is_pattern, ordered))
    parts = [w if is_pattern(w) else _escaped(w) for w in ordered]
    plain = (rf"(?<!{not_after})" if not_after else "") + f"(?:{'|'.join(parts)})"
    if ignore_case:
        plain = f"(?i:{plain})"
    chars = re.escape(or_chars)
    if patterns or not ordered or not all(w[:1] in string.ascii_letters for w in ordered):
        return f"(?:[{chars}]|{plain})" if or_chars else plain
    groups: dict[str, list[str]] = {}
    for word in ordered:
        groups.setdefault(word[0].lower() if ignore_case else word[0], []).append(_escaped(word[1:]))
    first = "".join(_first_letters(c, ignore_case) for c in groups)
    rests = "|".join(f"(?<={c})(?:{'|'.join(ends)})" for c, ends in groups.items())
    words_after_first = (rf"(?<!{not_after}.)" if not_after else "") + (f"(?i:{rests})" if ignore_case else f"(?:{rests})")
    if or_chars:
        return rf"[{chars}{first}](?:(?<=[{chars}])|{words_after_first})"
    return f"[{first}]{words_after_first}"


def _escaped(word: str) -> str:
    return re.escape(word).replace(r"\ ", r"\s+")


def _first_letters(letter: str, ignore_case: bool) -> str:
    if not ignore_case:
        return letter
    return letter.lower() + letter.upper() + _FOLDS_BEYOND_ASCII.get(letter, "")


def word_trie(words: Iterable[str], *, not_after: str = r"[\w-]", ignore_case: bool = True) -> str:
    """Any of the words, in any case, longest first, not after a `not_after` character: the words as a trie (one
    branch per letter, shared beginnings tried once). For long lists of phrases (hundreds of cues) this is about
    twice as fast as `word_alternation`, whose words of one first letter are tried one after another; the matches
    are the same (tests/test_themes.py). Spaces in a word match any run of white space.

    ignore_case=False: the words in lower case only, as they are (for text lower-cased first, see
    themes.cues_in)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word.lower():
            node = node.setdefault(char, {})
        node[""] = {}
    if not ignore_case:
        return rf"(?<!{not_after})(?=[{''.join(map(re.escape, sorted(trie)))}]){_branches(trie)}"
    first = "".join(_first_letters(c, True) if c in string.ascii_letters else re.escape(c) for c in sorted(trie))
    return rf"(?i:(?<!{not_after})(?=[{first}]){_branches(trie)})"


def _branches(node: dict) -> str:
    """The pattern of a trie node: its branches, optional when a word ends here (greedy: the longest first)."""
    alts = [(r"\s+" if char == " " else re.escape(char)) + _branches(child)
            for char, child in sorted(node.items()) if char]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else f"(?:{'|'.join(alts)})"
    return f"(?:{body})?" if "" in node else body


# Characters that Python's re matches to an ASCII letter under IGNORECASE but that str.lower() does not turn into
# that letter alone (the Kelvin sign, which re matches to "k", lowers to "k").
_ODD_FOLDS = "\u0130\u0131\u017f"
_ODD_FOLD = re.compile(f"[{_ODD_FOLDS}]")


def folded_text(text: str) -> str | None:
    """The text in lower case with each run of white space as one space, for `plain_words_in`; None when it has a
    character (dotted capital I, dotless i, long s) that makes lower case and re's IGNORECASE disagree.

    Why: a document-wide test for a case-blind word list costs one regex pass over the text per list (near a
    millisecond for a list whose words start with common letters); `in` over this text costs a few microseconds a
    word, and the text is made once per document."""
    if not text.isascii() and _ODD_FOLD.search(text):
        return None
    return " ".join(text.lower().split())


def plain_words(words: Iterable[str]) -> tuple[str, ...] | None:
    """The words in lower case, a word that holds another left out; None when a word is not plain ASCII text with
    single spaces between its parts (a pattern, letters whose case re folds otherwise, or spaces that the pattern
    would read as more than one run of white space)."""
    words = set(words)
    if not all(w and w.isascii() and " ".join(w.split()) == w and not _PATTERN_CHARS.intersection(w) for w in words):
        return None
    lowered = {w.lower() for w in words}
    return tuple(sorted(w for w in lowered if not any(o != w and o in w for o in lowered)))


_PATTERN_CHARS = frozenset("[]()\\|?*+{}^$")


def plain_words_in(words: tuple[str, ...], folded: str) -> bool:
    """Whether the case-blind alternation of these words, spaces matching any run of white space and taken anywhere
    (`word_alternation(words, ignore_case=True, not_after=None)`), finds a match in the text `folded` came from
    (tests/test_loaders_wordlists.py)."""
    return any(w in folded for w in words)


# Letters of English text from the most frequent to the least: a probe starts each string at its rarest one.
_LETTER_FREQUENCY = "etaoinshrdlcumwfgypbvkjxqz"


def literal_probe(strings: Iterable[str]) -> re.Pattern:
    """A pattern that finds one of these strings (as written, anywhere) in a text where, and only where, one occurs:
    for `probe.search(text)` as a yes or no, not for where the match is.

    Each string is matched from its rarest character (an upper-case letter, else by English letter frequency),
    with the characters before it checked behind: 'eport' is '(p)(?<=ep)ort'. A plain alternation of strings
    that start with common letters ('eport', 'nitiative', 'onduct') stops at most characters of a text; this one
    only where a rare letter is (twice as fast on the open-class head words)."""
    return re.compile("|".join(_anchored(s) for s in sorted(set(strings))))


def _anchored(string: str) -> str:
    if not string:
        return ""
    at = max(range(len(string)), key=lambda i: (_rarity(string[i]), -i))
    behind = f"(?<={re.escape(string[:at + 1])})" if at else ""
    return re.escape(string[at]) + behind + re.escape(string[at + 1:])


def _rarity(char: str) -> int:
    if char.isupper():
        return len(_LETTER_FREQUENCY) + 1
    at = _LETTER_FREQUENCY.find(char.lower())
    return at if at >= 0 else (-1 if char.isspace() else len(_LETTER_FREQUENCY))
