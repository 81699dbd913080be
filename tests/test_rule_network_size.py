"""rule_network_size: the Global Network's size in the many words texts use for it, dated by the sentence,
the meeting or the page's date line (never by a launch year), and never another network's size."""
from __future__ import annotations

from pathlib import Path

import pytest

from r2pkg.loaders import load_document


def size_of(tmp_path: Path, text: str) -> dict:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    doc = load_document(path)
    out = {}
    for f in doc.facts:
        if "/observation/network-size-" in str(f.subject):
            name = str(f.predicate).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            if name in ("stateCount", "organizationCount", "date"):
                out[name] = str(f.object)
    return out


NEWS = "Network grows again\n\n3 March 2031\n\n"
PLAIN = "A note on prevention\n\n"

CASES = [
    ("network-of", NEWS + "The Global Network of R2P Focal Points is now a network of 72 states.\n",
     {"stateCount": "72", "date": "2031-03-03"}),
    ("member-states-appointed", NEWS + "So far 68 UN member states have appointed a national focal point.\n",
     {"stateCount": "68", "date": "2031-03-03"}),
    ("nth-state", NEWS + "We welcome Palau as the 71st member state to join our network.\n",
     {"stateCount": "71", "date": "2031-03-03"}),
    ("nth-state-words", NEWS + "Tonga became the sixtieth state to join the network.\n", {"stateCount": "60", "date": "2031-03-03"}),
    ("counts-members-and-org", NEWS + "The network now counts 64 members and the European Union.\n",
     {"stateCount": "64", "organizationCount": "1", "date": "2031-03-03"}),
    ("first-focal-points", PLAIN + "In March 2027, 9 focal points were appointed on the day the network began.\n",
     {"stateCount": "9", "date": "2027-03"}),
    # A launch year is not the date of the size: the page's date line is.
    ("launch-year-not-date", NEWS + "Since its launch in 2025, the network has grown to 75 states.\n",
     {"stateCount": "75", "date": "2031-03-03"}),
    # No date anywhere: none is invented, and an observation is always dated, so none is recorded.
    ("no-date", PLAIN + "The network of 58 states met online.\n", {}),
    ("no-date-then-dated", PLAIN + "The network of 58 states met online. By June 2032 the network counts 59 "
     "members.\n", {"stateCount": "59", "date": "2032-06"}),
    # Another network's size is not the Global Network's.
    ("other-network", PLAIN + "The Caribbean Network for Atrocity Prevention counts 14 members.\n", {}),
    ("other-network-possessive", PLAIN + "The Pacific Network's 9 members have appointed focal points.\n", {}),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_network_size(tmp_path, text, expected):
    got = size_of(tmp_path, text)
    assert got == expected
