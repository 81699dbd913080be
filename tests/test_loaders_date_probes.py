"""The cheap tests that spare a sentence some date patterns never change the date it is read to have.

find_date tries nine date expressions and keeps the earliest; a pattern is skipped when the text lacks
what it cannot match without (four digits, a day followed by a separator). Whatever the text, the date
found must be the one all nine patterns find.
"""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from r2pkg.loaders.gazetteer import gazetteer
from r2pkg.loaders.rules import base

TOKENS = ["12", "3", "1st", "22nd", "30th", "2019", "1998", "2020.", "12-14", "June", "may", "May", "Sept.", "Sep",
          "March", "July,", "and", "to", "-", "–", "through", "until", "Tuesday", "Wed.,", "the", "of", "in",
          "during", "on", ",", "held", "apply"]


def every_pattern(text: str):
    """The earliest date expression with no pattern skipped (what _first_date did before its probes)."""
    gaz = gazetteer()
    best = None
    for kind, rx in base._date_patterns(gaz):
        m = next((m for m in rx.finditer(text) if "may" not in m.groups()), None)
        if m and (best is None or m.start() < best[1].start()):
            best = (kind, m)
    return best


def reading(found) -> tuple | None:
    return (found[0], found[1].span(), found[1].groups()) if found else None


@settings(max_examples=3000, deadline=None)
@given(words=st.lists(st.sampled_from(TOKENS), min_size=1, max_size=12), glue=st.sampled_from([" ", "", "  ", "\n"]))
def test_skipping_patterns_finds_the_same_date(words: list[str], glue: str) -> None:
    text = glue.join(words)
    assert reading(base._first_date(gazetteer(), text)) == reading(every_pattern(text))
