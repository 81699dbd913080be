"""The build reads only files inside its corpus folder: a manifest entry or a symlink that leads out
of it (`../`, an absolute path, /proc/self/status) is refused in one line naming it, never read, and
so never in the store, the dumps or the report; the others still build. A symlink that stays inside
the folder is read."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from r2pkg.graph import dumps as dump_files, store as stores
from r2pkg.graph.build import build

SUMMARY = ("Summary of the Tenth Annual Meeting of the Global Network of R2P Focal Points\n\n"
           "The Government of Denmark hosted the tenth annual meeting in Copenhagen, Denmark from 2 to 3 May 2020. "
           "Representatives of {who} took part.\n")
SECRET = "Zanzibar-Quokka-7731"   # in the file outside the corpus only
# Text of the system files the hostile entries name, which must not reach the graph either.
SYSTEM_TEXT = ("VmHWM:", "TracerPid:", "root:x:0:0")


@pytest.fixture(scope="module")
def outside(tmp_path_factory) -> Path:
    """A folder holding corpus folders and, beside them, secrets that would load as summaries (one
    per way out, so that without confinement each would be read under a slug of its own)."""
    root = tmp_path_factory.mktemp("confinement")
    for name in ("secret-link", "secret-up", "secret-deep", "secret-absolute"):
        (root / f"{name}.txt").write_text(SUMMARY.format(who=f"Ghana and {SECRET}"), encoding="utf-8")
    return root


def _corpus(root: Path, name: str) -> Path:
    """A corpus folder with one summary, one in a subfolder and links in and out of it."""
    corpus = root / name
    (corpus / "sub").mkdir(parents=True)
    (corpus / "good.txt").write_text(SUMMARY.format(who="Ghana"), encoding="utf-8")
    (corpus / "sub" / "inner.txt").write_text(SUMMARY.format(who="Côte d'Ivoire"), encoding="utf-8")
    (corpus / "alias.txt").symlink_to(Path("sub") / "inner.txt")       # stays inside: read
    (corpus / "leak.txt").symlink_to(root / "secret-link.txt")         # leads out: refused
    (corpus / "proc-status.txt").symlink_to("/proc/self/status")            # leads out: refused
    return corpus


HOSTILE_ENTRIES = ["leak.txt", "proc-status.txt", "../secret-up.txt", "sub/../../secret-deep.txt", "/proc/self/status",
                   "/etc/passwd"]


@pytest.fixture(scope="module")
def manifest_build(outside, tmp_path_factory):
    corpus = _corpus(outside, "listed")
    entries = ["good.txt", "alias.txt", *HOSTILE_ENTRIES, str(outside / "secret-absolute.txt")]
    (corpus / "manifest.json").write_text(json.dumps({"documents": [{"file": e} for e in entries]}))
    data = tmp_path_factory.mktemp("data-listed")
    return data, build([corpus], data)


@pytest.fixture(scope="module")
def folder_build(outside, tmp_path_factory):
    corpus = _corpus(outside, "unlisted")
    data = tmp_path_factory.mktemp("data-unlisted")
    return data, build([corpus], data)


def _everything_published(data_dir: Path) -> str:
    """The store's terms, every dump and the report, as one text."""
    store = stores.open_store(data_dir)
    terms = " ".join(term.value for quad in store for term in quad if hasattr(term, "value"))
    build = stores.current_build(data_dir)
    dumps = " ".join(d.open().read().decode("utf-8") for d in dump_files.listed(build.dumps))
    return "\n".join([terms, dumps, build.report.read_text(encoding="utf-8")])


def test_entries_leading_out_of_the_corpus_are_refused_one_line_each(manifest_build, outside):
    _, report = manifest_build
    assert sorted(Path(d["path"]).name for d in report.documents) == ["alias.txt", "good.txt"]
    for entry in [*HOSTILE_ENTRIES, str(outside / "secret-absolute.txt")]:
        lines = [e for e in report.errors if e.startswith(f"{outside / 'listed' / entry}: ")]
        assert len(lines) == 1, (entry, report.errors)
        assert "outside the corpus folder" in lines[0] and "\n" not in lines[0]
    assert len(report.errors) == len(HOSTILE_ENTRIES) + 1


def test_nothing_read_outside_the_corpus_is_published(manifest_build, folder_build):
    for data, _ in (manifest_build, folder_build):
        published = _everything_published(data)
        assert SECRET not in published
        for text in SYSTEM_TEXT:
            assert text not in published
        assert "Ivoire" in published   # the symlink inside the folder was read


def test_without_a_manifest_links_out_of_the_folder_are_refused_too(folder_build):
    _, report = folder_build
    assert sorted(Path(d["path"]).name for d in report.documents) == ["alias.txt", "good.txt"]
    refused = sorted(Path(e.split(": ")[0]).name for e in report.errors)
    assert refused == ["leak.txt", "proc-status.txt"]
    assert all("outside the corpus folder" in e for e in report.errors)


def test_a_corpus_folder_reached_through_a_symlink_still_builds(outside, tmp_path):
    corpus = _corpus(outside, "linked")
    link = tmp_path / "corpus-link"
    os.symlink(corpus, link)
    report = build([link], tmp_path / "data")
    assert sorted(Path(d["path"]).name for d in report.documents) == ["alias.txt", "good.txt"]
    assert len(report.errors) == 2


def test_a_symlink_loop_is_refused_in_one_line(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(SUMMARY.format(who="Ghana"), encoding="utf-8")
    (corpus / "a.txt").symlink_to("b.txt")
    (corpus / "b.txt").symlink_to("a.txt")
    (corpus / "manifest.json").write_text(json.dumps({"documents": [{"file": "good.txt"}, {"file": "a.txt"}]}))
    report = build([corpus], tmp_path / "data")
    assert [d["slug"] for d in report.documents] == ["good"]
    assert report.errors == [f"{corpus / 'a.txt'}: a symlink loop, or a path that cannot be resolved"]
