"""bench/loader_check.py: the hash a speed-up of the loaders must keep covers every fact, evidence span, mention and
sentence, and nothing of the run (no timing here: `--time` is for measuring by hand)."""
from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

from bench import loader_check

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _folder(tmp_path: Path) -> Path:
    """One bundled summary, beside the files a corpus folder also holds (which are no documents)."""
    tmp_path.mkdir(exist_ok=True)
    shutil.copy(CORPUS / "2012-2nd-annual-meeting.txt", tmp_path / "summary.txt")
    (tmp_path / "manifest.json").write_text("[]", encoding="utf-8")
    (tmp_path / "summary.expected.json").write_text("{}", encoding="utf-8")
    return tmp_path


def _digest(capsys, *argv: str) -> str:
    assert loader_check.main(list(argv)) == 0
    return re.search(r"sha256 (\w+)", capsys.readouterr().out).group(1)


def test_the_hash_covers_every_fact_mention_and_sentence_of_each_document(tmp_path, capsys):
    folder = _folder(tmp_path / "in")
    dump = tmp_path / "dump.txt"
    first = _digest(capsys, str(folder), "--dump", str(dump))
    doc = loader_check.load_document(folder / "summary.txt")
    lines = dump.read_text(encoding="utf-8").splitlines()
    kinds = [line.split("\t")[1] for line in lines]
    assert kinds.count("fact") == len(doc.facts) > 100
    assert kinds.count("mention") == len(doc.mentions) and kinds.count("sentence") == len(doc.sentences)
    assert _digest(capsys, str(folder)) == first     # the same loaders, the same hash


def test_a_changed_fact_or_evidence_span_changes_the_hash(tmp_path, capsys, monkeypatch):
    folder = _folder(tmp_path)
    before = _digest(capsys, str(folder))
    real = loader_check.load_document

    def one_span_moved(path):
        doc = real(path)
        first = doc.facts[0]
        moved = dataclasses.replace(first.evidence, end=first.evidence.end + 1)
        doc.facts[0] = dataclasses.replace(first, evidence=moved)
        return doc

    monkeypatch.setattr(loader_check, "load_document", one_span_moved)
    assert _digest(capsys, str(folder)) != before
