"""rule_situations: a named atrocity event in a state is that state's situation; one named by a place alone is a
situation of its own, tied to no state."""
from __future__ import annotations

from pathlib import Path

import pytest

from r2pkg.loaders import load_document


def situations(tmp_path: Path, text: str) -> dict[str, set[str]]:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    out: dict[str, set[str]] = {}
    for f in load_document(path).facts:
        if "/situation/" in str(f.subject):
            slug = str(f.subject).rsplit("/", 1)[-1]
            out.setdefault(slug, set())
            if str(f.predicate).endswith("situationIn"):
                out[slug].add(str(f.object).rsplit("/", 1)[-1])
    return out


NEWS = "Remembrance week\n\n"

CASES = [
    ("year-and-state", NEWS + "Speakers recalled the 1971 genocide in Bhutan and its survivors.\n",
     "bhutan", {"bhutan"}),
    ("adjective", NEWS + "The Cambodian genocide was the subject of a new exhibition.\n",
     "cambodia", {"cambodia"}),
    ("place-without-state", NEWS + "Students visited a memorial to the Karvel massacre last spring.\n",
     "karvel-massacre", set()),
]


@pytest.mark.parametrize("text, slug, states", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_named_atrocity_event_is_a_situation(tmp_path, text, slug, states):
    got = situations(tmp_path, text)
    assert slug in got, sorted(got)
    assert got[slug] == states


@pytest.mark.parametrize("text", [
    NEWS + "Prevent genocide in every region, the speaker urged.\n",
    NEWS + "States must act to stop genocide.\n",
    NEWS + "She chairs the Nordic Holocaust Education Foundation.\n",
])
def test_no_event_named(tmp_path, text):
    assert not situations(tmp_path, text)
