"""Practices are read by pattern: texts of other genres than the bundled summaries (a ministry's press release,
another network's meeting, a joint statement in numbered paragraphs), written for the tests with made-up people and
bodies, give the practices a reader finds in them and none of what their actors will, should or could do.

tests/fixtures/unseen-practices/<document>.txt holds each text and <document>.expected.json its practices (checked
through the saved query national-practices, as tests/test_expected_facts.py checks the bundled summaries) and, under
"not_practices", phrases of the text that state no practice.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from test_expected_facts import check_practices, load_expected, make_runner

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "unseen-practices"
EXPECTED_FILES = sorted(FIXTURES.glob("*.expected.json"))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from r2pkg.graph.build import build

    data_dir = tmp_path_factory.mktemp("practices")
    report = build([FIXTURES], data_dir)
    assert not report.errors, report.errors
    return make_runner(data_dir)


def test_each_text_has_its_expected_practices_and_several_genres():
    texts = {p.stem for p in FIXTURES.glob("*.txt")}
    assert texts == {p.name.removesuffix(".expected.json") for p in EXPECTED_FILES}
    assert len({load_expected(p)["genre"] for p in EXPECTED_FILES}) >= 2


@pytest.mark.parametrize("path", EXPECTED_FILES, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_practices_of_a_text_of_another_genre(run, path):
    exp = load_expected(path)
    text = (FIXTURES / f"{exp['document']}.txt").read_text(encoding="utf-8")
    for phrase in exp["not_practices"]:
        assert phrase in text, f"not in the text: {phrase!r}"
    check_practices(run, exp)
