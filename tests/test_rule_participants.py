"""rule_participants: who took part in the document's meeting, read from the many ways texts list them.

Each case is a made-up text (a title naming the meeting, then sentences) and the states it must give
as participants of that meeting, and those it must not.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from r2pkg.graph import iris
from r2pkg.loaders import load_document



def participants(tmp_path: Path, text: str) -> set[str]:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    doc = load_document(path)
    return {str(f.object).rsplit("/", 1)[-1] for f in doc.facts
            if str(f.predicate).endswith("hasParticipant") and "/state/" in str(f.object)}


NEWS = "Focal points meet for the fifth annual meeting\n\n"
SUMMARY = "Summary of the Ninth Annual Meeting of the Global Network of R2P Focal Points\n\n"
STATEMENT = "JOINT STATEMENT\nSecond annual meeting of national focal points\n\n"

CASES = [
    # A list that runs over two sentences: the second group continues the first.
    ("two-groups", SUMMARY + "Participants came from two groups. The first group included Chile, Kenya and Norway. "
     "The second group included Peru, Ruritania, Malta, and the Maldives.\n",
     {"chile", "kenya", "norway", "peru", "malta", "maldives"}, set()),
    ("others-after-list", NEWS + "Ministers from Fiji, Togo and Chile opened the meeting, and twenty states took "
     "part in all. The others included Mongolia and Nepal.\n",
     {"mongolia", "nepal"}, set()),
    # Unfamiliar lead-ins.
    ("represented-were", STATEMENT + "Represented were Austria, Gabon and Armenia, among others.\n",
     {"austria", "gabon", "armenia"}, set()),
    ("attended-by", NEWS + "The two-day meeting was attended by Jordan, Malawi and the Portugal.\n",
     {"jordan", "malawi", "portugal"}, set()),
    ("delegations-of", SUMMARY + "Delegations of Qatar and Zambia presented their national plans.\n",
     {"qatar", "zambia"}, set()),
    ("among-them", NEWS + "Over thirty states came to the meeting, among them Croatia, Lesotho and Vietnam.\n",
     {"croatia", "lesotho", "viet-nam"}, set()),
    ("joined-by", SUMMARY + "On the second day the meeting was joined by Latvia and Cuba.\n",
     {"latvia", "cuba"}, set()),
    ("participants-included", STATEMENT + "Participants included: Mali, Slovakia, and Tunisia.\n",
     {"mali", "slovakia", "tunisia"}, set()),
    ("attendees-from", SUMMARY + "Attendees from Oman, Chad and Belize spoke about their justice ministries.\n",
     {"oman", "chad", "belize"}, set()),
    # A list before the attendance verb, with 'both', and 'the latter'.
    ("both-attended", NEWS + "Iceland and Namibia both attended with large teams.\n", {"iceland", "namibia"}, set()),
    ("the-latter", SUMMARY + "Ireland and Lesotho had been invited. The latter also attended.\n",
     {"lesotho"}, {"ireland"}),
    # States named by adjective or possessive.
    ("adjectives", NEWS + "The Danish, Estonian and Maltese delegations attended the whole meeting.\n",
     {"denmark", "estonia", "malta"}, set()),
    ("possessive", SUMMARY + "Lesotho's delegation noted the value of early warning.\n", {"lesotho"}, set()),
    # A mention that only begins a longer noun phrase is not a participant.
    ("not-a-modifier", SUMMARY + "Participants were joined by the Chilean ambassador's adviser and by the UN Special "
     "Adviser.\n", set(), set()),
    # Participants of another meeting are not this meeting's.
    ("other-meeting", SUMMARY + "A regional workshop held earlier was attended by Kenya, Uganda and Burundi.\n",
     set(), {"kenya", "uganda", "burundi"}),
    ("event-named-in-passing", SUMMARY + "Representatives of Chile and Peru recalled the promises of the 2005 World "
     "Summit.\n", {"chile", "peru"}, set()),
    ("other-ordinal", SUMMARY + "The eighth annual meeting was attended by Egypt and Iceland.\n",
     set(), {"egypt", "iceland"}),
    # 'included' alone, far from any talk of participants, is not a participant list.
    ("no-context", SUMMARY + "The agenda was long.\n\nThe region has many challenges. The second group included "
     "Sudan and Chad.\n", set(), {"sudan", "chad"}),
]


@pytest.mark.parametrize("text, expected, forbidden", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_participants(tmp_path, text, expected, forbidden):
    found = participants(tmp_path, text)
    assert expected <= found
    assert not (forbidden & found)
