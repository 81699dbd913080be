"""Documents loaded in worker processes are the documents loaded in this one.

A build loads its summaries in worker processes (`load_documents`), which send each loaded document back
pickled in a compact form (terms as text, facts and spans by their fields). What arrives must be what
`load_document` gives here: every fact with its evidence and the rules that read it, every mention and
sentence, the title.
"""
from __future__ import annotations

from pathlib import Path

from r2pkg.loaders import load_document
from r2pkg.loaders.batch import load_documents

ROOT = Path(__file__).resolve().parent.parent


def test_worker_processes_return_the_same_documents() -> None:
    paths = sorted((ROOT / "tests" / "fixtures" / "unseen").glob("*.txt")) + sorted((ROOT / "corpus").glob("*.txt"))
    assert len(paths) >= 8   # enough for two workers
    here = [load_document(p) for p in paths]
    there = load_documents([(p, None) for p in paths], workers=2)
    for mine, theirs in zip(here, there, strict=True):
        assert theirs.facts == mine.facts and [f.rules for f in theirs.facts] == [f.rules for f in mine.facts]
        assert (theirs.mentions, theirs.sentences, theirs.title) == (mine.mentions, mine.sentences, mine.title)
        assert all(type(f.evidence.start) is int for f in theirs.facts)
