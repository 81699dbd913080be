"""rule_mechanisms and the open classes: initiatives, reports, manuals, codes, resolutions by symbol or number,
quoted instruments and networks are found by their patterns, not a closed list, with their launch date and
launcher when the sentence states them. Each case is a made-up text and what must (and must not) be read."""
from __future__ import annotations

from pathlib import Path

import pytest

from r2pkg.loaders import load_document


def read(tmp_path: Path, text: str) -> dict[str, dict[str, set[str]]]:
    """slug -> {predicate name -> values} for every mechanism and network node of the text."""
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    out: dict[str, dict[str, set[str]]] = {}
    for f in load_document(path).facts:
        subject = str(f.subject)
        if "/mechanism/" in subject or "/org/" in subject:
            slug = subject.rsplit("/", 1)[-1]
            name = str(f.predicate).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            out.setdefault(slug, {}).setdefault(name, set()).add(str(f.object).rsplit("/", 1)[-1].rsplit("#", 1)[-1])
    return out


PRESS = "PRESS RELEASE\n\nMinistry welcomes progress on prevention\n\n"
SUMMARY = "Summary of the Twelfth Annual Meeting of the Global Network of R2P Focal Points\n\n"

CASES = [
    ("initiative-launched-by", PRESS + "The Coastal States Prevention Initiative, launched by the governments of "
     "Fiji and Chile in 2027, now has nine members.\n",
     "coastal-states-prevention-initiative", {"type": {"Initiative"}, "launchedOn": {"2027"},
                                               "establishedBy": {"fiji", "chile"}}),
    ("launch-of", PRESS + "In March 2026, a ministerial retreat hosted by Norway and Kenya ended with the launch "
     "of the Blue Horizon Initiative.\n",
     "blue-horizon-initiative", {"type": {"Initiative"}, "launchedOn": {"2026-03"},
                                 "establishedBy": {"norway", "kenya"}}),
    ("lowercase-initiative", SUMMARY + "Participants recalled the national Early Response initiative.\n",
     "national-early-response-initiative", {"type": {"Initiative"}}),
    ("report-by-year", SUMMARY + "Participants discussed the Secretary-General's 2029 report on R2P.\n",
     "secretary-general-report-on-r2p-2029", {"type": {"GuidanceDocument"}, "launchedOn": {"2029"}}),
    ("report-by-ordinal", PRESS + "The ninth report of the Secretary-General on the Responsibility to Protect "
     "was welcomed.\n", "secretary-general-report-on-r2p-9", {"type": {"GuidanceDocument"}}),
    ("handbook-prepared-by", SUMMARY + "Participants reviewed a draft Early Action Handbook, prepared by the "
     "Asia-Pacific Centre for the Responsibility to Protect.\n",
     "early-action-handbook", {"type": {"GuidanceDocument"},
                               "establishedBy": {"asia-pacific-centre-for-the-responsibility-to-protect"}}),
    ("lowercase-head", SUMMARY + "Delegates asked when the R2P toolkit would be ready.\n",
     "r2p-toolkit", {"type": {"GuidanceDocument"}}),
    ("code-of-conduct", PRESS + "In June 2030, Malta and Austria issued a Code of Conduct on Early Action, "
     "which ten states have joined.\n",
     "code-of-conduct-on-early-action", {"type": {"LegalInstrument"}, "launchedOn": {"2030-06"}}),
    ("adopted-in", SUMMARY + "Delegates praised the Harbour Principles, adopted in May 2028 at a regional summit.\n",
     "harbour-principles", {"type": {"Mechanism"}, "launchedOn": {"2028-05"}}),
    ("resolution-symbol", PRESS + "The ministry recalled S/RES/1674 (2006) on the protection of civilians.\n",
     "security-council-resolution-1674", {"type": {"UNResolution"}, "launchedOn": {"2006"}}),
    ("resolution-assembly-symbol", PRESS + "States reaffirmed A/RES/60/1 in the debate.\n",
     "general-assembly-resolution-60-1", {"type": {"UNResolution"}}),
    ("resolution-by-session-number", PRESS + "The Human Rights Council resolution 44/12 was adopted by consensus.\n",
     "human-rights-council-resolution-44-12", {"type": {"UNResolution"}}),
    ("hyphen-authorized", SUMMARY + "A briefing covered the Human Rights Council-mandated Commission of Inquiry on "
     "Eritrea.\n", "commissions-of-inquiry", {"establishedBy": {"human-rights-council"}}),
    ("network-by-pattern", PRESS + "Focal points of the Andean Network for Atrocity Prevention met in Quito.\n",
     "andean-network-for-atrocity-prevention", {"type": {"Network"}}),
    ("court", SUMMARY + "Participants discussed referrals to the International Criminal Court.\n",
     "international-criminal-court", {"type": {"AccountabilityMechanism"}}),
]


@pytest.mark.parametrize("text, slug, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_open_class_found_with_launch(tmp_path, text, slug, expected):
    got = read(tmp_path, text)
    assert slug in got, sorted(got)
    for name, values in expected.items():
        assert values <= got[slug].get(name, set()), (name, got[slug])


NOT_NAMES = [
    ("possessive", PRESS + "Everyone praised the Secretary-General's initiative.\n"),
    ("adjective-only", PRESS + "The Danish initiative was praised.\n"),
    ("global-network", PRESS + "The Global Network met again.\n"),
    ("quoted-title", PRESS + "Chile hosted a conference on “Early Warning: A Pacific Strategy and Practice” in May.\n"),
]


@pytest.mark.parametrize("text", [c[1] for c in NOT_NAMES], ids=[c[0] for c in NOT_NAMES])
def test_not_an_open_class_name(tmp_path, text):
    got = read(tmp_path, text)
    assert not [s for s, v in got.items() if v.get("type", set()) & {"Initiative", "Network", "Mechanism"}
                and s != "global-network-of-r2p-focal-points"]


def test_generic_term_inside_a_quoted_passage_is_not_a_mechanism(tmp_path):
    quoted = read(tmp_path, PRESS + "The declaration asks states “to support national action plans wherever they "
                  "can”, the minister said.\n")
    assert "national-action-plans" not in quoted
    plain = read(tmp_path, PRESS + "The minister said that national action plans matter.\n")
    assert "national-action-plans" in plain


def test_launch_year_of_another_clause_is_not_taken(tmp_path):
    got = read(tmp_path, SUMMARY + "Since 2021 many states have discussed the Lakeside Framework, which Malawi "
               "drafted.\n")
    assert "lakeside-framework" in got
    assert "launchedOn" not in got["lakeside-framework"]
