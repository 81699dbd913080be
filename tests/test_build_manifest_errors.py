"""Bad manifests and a full disk give `r2pkg build` one line naming the file (and entry) and the problem,
never a traceback, and leave the served graph as it was.

Decisions: a manifest that is not an object with a `documents` list fails the build (exit 1, nothing
published). A bad entry in it (not an object, no `file`, a `file` that is not a name, a name or publisher
with no letter or digit to make an IRI of) is refused like a bad document: one line in the report, the
rest still builds and is published, exit 0. A write that fails (ENOSPC) fails the build (exit 1) and its
build directory is removed.
"""
from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from r2pkg.graph import store as stores
from r2pkg.graph.cli import main

SUMMARY = ("Summary of the Tenth Annual Meeting of the Global Network of R2P Focal Points\n\n"
           "The Government of Denmark hosted the tenth annual meeting in Copenhagen, Denmark from 2 to 3 May 2020. "
           "Representatives of Côte d'Ivoire and Ghana took part.\n")


def _build(capsys, corpus: Path, data: Path) -> tuple[int, str, str]:
    status = main(["build", "--quiet", "--corpus", str(corpus), "--data-dir", str(data)])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(SUMMARY, encoding="utf-8")
    return folder


@pytest.fixture
def served(capsys, corpus, tmp_path) -> Path:
    """A data directory already serving a build of the corpus."""
    data = tmp_path / "data"
    assert _build(capsys, corpus, data)[0] == 0
    return data


def _served_build(data: Path) -> tuple[Path, int]:
    return stores.current_build(data).root, len(stores.open_store(data))


BAD_MANIFESTS = {  # manifest text -> words of the one-line error
    '{"documents": null}': "'documents' must be a list of entries, not null",
    '{"documents": "good.txt"}': "'documents' must be a list of entries, not text",
    '{"documents": {"file": "good.txt"}}': "'documents' must be a list of entries, not an object",
    '[{"file": "good.txt"}]': "not a manifest with a 'documents' list",
    '{"files": []}': "not a manifest with a 'documents' list",
    '{"documents": [': "not a manifest with a 'documents' list",
}


@pytest.mark.parametrize("text", sorted(BAD_MANIFESTS))
def test_a_malformed_manifest_fails_the_build_in_one_line(capsys, corpus, served, text):
    before = _served_build(served)
    (corpus / "manifest.json").write_text(text, encoding="utf-8")
    status, out, err = _build(capsys, corpus, served)
    assert status == 1 and out == ""
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"r2pkg build: {corpus / 'manifest.json'}: ") and BAD_MANIFESTS[text] in err
    assert _served_build(served) == before


BAD_ENTRIES = [  # (entry, words of its one-line refusal)
    ("good.txt", "entry 2: not an object with a 'file' but text"),
    (42, "entry 2: not an object with a 'file' but a number"),
    ({"title": "No file"}, "entry 2: no 'file' name"),
    ({"file": 7}, "entry 2: 'file' must be a file name, not a number"),
    ({"file": ["good.txt"]}, "entry 2: 'file' must be a file name, not a list"),
    ({"file": ""}, "entry 2: 'file' must be a file name, not ''"),
    ({"file": "!!!.txt"}, "!!!.txt: the file name has no letters or digits to make an IRI of"),
    ({"file": "\U0001F54A\U0001F30D.txt"}, ".txt: the file name has no letters or digits to make an IRI of"),
    ({"file": "other.txt", "publisher": "???"}, "entry 2: 'other.txt': the publisher '???' has no letters or digits"),
    ({"file": "other.txt", "title": {"en": "x"}}, "entry 2: 'other.txt': 'title' must be text, not an object"),
]


@pytest.mark.parametrize("entry, words", BAD_ENTRIES, ids=[repr(e)[:40] for e, _ in BAD_ENTRIES])
def test_a_bad_manifest_entry_is_refused_in_one_line_and_the_rest_builds(capsys, corpus, served, entry, words):
    for name in ("!!!.txt", "\U0001F54A\U0001F30D.txt", "other.txt"):
        (corpus / name).write_text(SUMMARY, encoding="utf-8")
    (corpus / "manifest.json").write_text(json.dumps({"documents": [{"file": "good.txt"}, entry]}), encoding="utf-8")
    status, out, err = _build(capsys, corpus, served)
    assert "Traceback" not in out + err
    refused = [line.strip() for line in out.splitlines() if words in line]
    assert len(refused) == 1, out
    assert refused[0].startswith(str(corpus)) and "\n" not in refused[0]
    assert status == 0 and "1 document(s) refused; the others were built." in err
    report = json.loads(stores.current_build(served).report.read_text())
    assert [d["slug"] for d in report["documents"]] == ["good"]


def test_a_folder_file_name_without_letters_is_refused_and_the_rest_builds(capsys, corpus, served):
    (corpus / "---.txt").write_text(SUMMARY, encoding="utf-8")
    status, out, err = _build(capsys, corpus, served)
    assert status == 0 and "Traceback" not in out + err
    assert f"{corpus / '---.txt'}: the file name has no letters or digits to make an IRI of; rename it" in out


def test_a_manifest_whose_every_entry_is_bad_fails_and_keeps_the_served_graph(capsys, corpus, served):
    before = _served_build(served)
    (corpus / "manifest.json").write_text(json.dumps({"documents": [{"file": None}, "x"]}), encoding="utf-8")
    status, out, err = _build(capsys, corpus, served)
    assert status == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "no document could be loaded" in err and "entry 1" in err and "entry 2" in err
    assert _served_build(served) == before


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device", "graph.trig")


def _no_space_as_pyoxigraph_says(*args, **kwargs):
    """What pyoxigraph raised on a full tmpfs: no errno, the Rust error's text."""
    raise OSError("No space left on device (os error 28)")


@pytest.mark.parametrize("writer, error", [("r2pkg.graph.store.write_store", _no_space),
                                           ("r2pkg.graph.store.write_store", _no_space_as_pyoxigraph_says),
                                           ("r2pkg.graph.build._write_dataset_dumps", _no_space),
                                           ("r2pkg.graph.build.BuildReport.to_json", _no_space)])
def test_a_full_disk_fails_the_build_in_one_line_and_keeps_the_served_graph(capsys, corpus, served, monkeypatch,
                                                                              writer, error):
    before = _served_build(served)
    builds = sorted((served / "builds").iterdir())
    monkeypatch.setattr(writer, error)
    status, out, err = _build(capsys, corpus, served)
    assert status == 1 and out == ""
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"r2pkg build: cannot write the new build in {served / 'builds'}/")
    assert "No space left on device" in err
    assert err.rstrip().endswith("; free some space and build again (the served graph is unchanged)")
    assert _served_build(served) == before
    assert sorted((served / "builds").iterdir()) == builds   # the failed build's directory is gone


def test_a_full_disk_while_publishing_fails_in_one_line_and_keeps_the_served_graph(capsys, corpus, served,
                                                                                   monkeypatch):
    before = _served_build(served)
    monkeypatch.setattr("r2pkg.graph.store._publish", _no_space)
    status, out, err = _build(capsys, corpus, served)
    assert status == 1 and out == "" and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"r2pkg: cannot publish the new build {served / 'builds'}/")
    assert err.rstrip().endswith(": No space left on device (the served graph is unchanged)")
    assert _served_build(served) == before
