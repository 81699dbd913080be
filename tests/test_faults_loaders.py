"""Bad loader input: each file is loaded or refused with one line naming it, and no other document is lost.

Decisions: Latin-1 (and any non-UTF-8 text without a BOM) is refused, not guessed; UTF-16 loads, with a BOM or
without (its NUL bytes on one side of the code units only);
a cut-off PDF is refused (tests/test_documents_pdf.py reads whole ones); a text file over loaders.document.MAX_DOCUMENT_BYTES (1 MB) is refused
before it is read, so a 50 MB file costs no memory (peak RSS, VmHWM, of a build in a subprocess).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from r2pkg.graph.resources import CORPUS_DIR
from r2pkg.loaders import DocumentError, load_document
from r2pkg.loaders.document import MAX_DOCUMENT_BYTES

GOOD = "2019-9th-annual-meeting-brussels.txt"
SHORT = ("Summary of the Tenth Annual Meeting of the Global Network of R2P Focal Points\n\n"
         "The Government of Denmark hosted the tenth annual meeting in Copenhagen, Denmark from 2 to 3 May 2020. "
         "Representatives of Côte d'Ivoire and Ghana took part.\n")


def _pdf_truncated() -> bytes:
    return (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Length 5000 >>\nstream\nx\x9c\xed")


BAD = {  # file name -> (bytes, words the one-line error must contain)
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"  \n\n\t \n", "empty"),
    "binary.txt": (bytes(range(256)) * 40, "binary"),
    "latin1.txt": (SHORT.encode("latin-1"), "UTF-8"),
    "truncated.pdf": (_pdf_truncated(), "PDF"),
    "markup-only.html": (b"<html><body><script>x()</script><!-- nothing --></body></html>", "no text"),
    # NULs on one side only, like UTF-16 without a BOM, but control characters once decoded
    "utf16-shaped-noise.txt": (bytes(b for n in range(3000) for b in (n % 31 + 1, 0)), "binary"),
    # a few UTF-8 bytes with a NUL among them: no UTF-16 text, though its NULs sit on one side
    "short-with-nul.txt": (b"000\x00", "binary"),
    "symbols-with-nuls.txt": ("〰0〰0〰0〰0".encode("utf-16-le"), "binary"),
    # valid UTF-8 beyond ASCII with a stray NUL (its NULs on one side, and it decodes as UTF-16 to letters):
    # refused for the NUL, never read as UTF-16 symbols
    "utf8-with-a-nul.txt": ("12 \x003\u0080\u0080\u0080\u0080\u00804".encode("utf-8"), "binary"),
    # 16-bit samples: NULs on both sides
    "samples.txt": (b"".join(n.to_bytes(2, "little") for n in range(0, 60000, 7)) * 2, "binary"),
}
GOOD_EXTRA = {
    "utf16-le.txt": b"\xff\xfe" + SHORT.encode("utf-16-le"),
    "utf16-be.txt": b"\xfe\xff" + SHORT.encode("utf-16-be"),
    "utf8-bom.txt": b"\xef\xbb\xbf" + SHORT.encode("utf-8"),
    "utf16-le-no-bom.txt": SHORT.encode("utf-16-le"),
    "utf16-be-no-bom.txt": SHORT.encode("utf-16-be"),
    "utf16-le-no-bom-greek.txt": (SHORT + "Οι συμμετέχοντες συζήτησαν την πρόληψη των φρικαλεοτήτων.\n" * 40).encode("utf-16-le"),
    "Réunion annuelle à Genève (copie) 2020.txt": SHORT.encode("utf-8"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_file_is_refused_in_one_line_naming_it(tmp_path, name):
    content, words = BAD[name]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as err:
        load_document(path)
    message = str(err.value)
    assert name in message and words in message and "\n" not in message


@pytest.mark.parametrize("name", sorted(GOOD_EXTRA))
def test_utf16_with_or_without_bom_bom_utf8_and_odd_file_names_load(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(GOOD_EXTRA[name])
    doc = load_document(path)
    assert doc.text.lstrip("\ufeff").startswith(SHORT)
    assert any(m.entity.endswith("/state/cote-d-ivoire") for m in doc.mentions)
    for m in doc.mentions:
        assert doc.text[m.span.start:m.span.end]


def test_a_file_over_the_size_limit_is_refused_without_being_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(MAX_DOCUMENT_BYTES + 1)
    monkeypatch.setattr(type(path), "read_bytes", lambda self: pytest.fail("the file was read"))
    with pytest.raises(DocumentError, match=r"huge\.txt: too large .* the limit is 1 MB"):
        load_document(path)


def test_an_unreadable_path_is_refused(tmp_path):
    with pytest.raises(DocumentError, match="folder.txt: cannot read"):
        (tmp_path / "folder.txt").mkdir()
        load_document(tmp_path / "folder.txt")


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory):
    """A folder with every bad file, the odd good ones, a 50 MB text file and one bundled summary, all listed."""
    folder = tmp_path_factory.mktemp("bad corpus é")
    for name, (content, _) in BAD.items():
        (folder / name).write_bytes(content)
    for name, content in GOOD_EXTRA.items():
        (folder / name).write_bytes(content)
    shutil.copy(CORPUS_DIR / GOOD, folder / GOOD)
    line = ("The Global Network of R2P Focal Points met again and discussed prevention in many states. " * 20 + "\n")
    with open(folder / "fifty-megabytes.txt", "w", encoding="utf-8") as f:
        for _ in range(50 * 2**20 // len(line) + 1):
            f.write(line)
    files = sorted(p.name for p in folder.iterdir())
    (folder / "manifest.json").write_text(json.dumps({"documents": [{"file": n} for n in files]}), encoding="utf-8")
    return folder


def test_a_build_refuses_each_bad_file_and_keeps_the_others_with_bounded_memory(hostile_corpus, tmp_path):
    """`r2pkg build` in a subprocess: its peak RSS (VmHWM) stays near that of a normal build."""
    data = tmp_path / "data"
    # VmHWM, the peak RSS of this process's own memory since exec (ru_maxrss would include the forked pytest's)
    script = ("import re, sys\nfrom r2pkg.graph.cli import main\nstatus = main()\n"
              "hwm = re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read()).group(1)\n"
              "print('MAXRSS', hwm, file=sys.stderr)\n"
              "raise SystemExit(status)")
    proc = subprocess.run([sys.executable, "-c", script, "build", "--corpus", str(hostile_corpus),
                           "--data-dir", str(data), "--quiet"], capture_output=True, text=True, timeout=300)
    out, err = proc.stdout, proc.stderr
    peak_mb = int(err.split("MAXRSS ")[1].split()[0]) / 1024
    assert proc.returncode == 0, err
    assert "Traceback" not in err + out
    refused = [line.strip() for line in out.splitlines() if line.startswith("  ") and ": " in line
               and any(n in line for n in (*BAD, "fifty-megabytes.txt"))]
    for name in (*BAD, "fifty-megabytes.txt"):
        assert sum(name in line for line in refused) == 1, (name, refused)
    assert "fifty-megabytes.txt: too large (52.4 MB" in out
    report = json.loads((data / "current" / "report.json").read_text())
    loaded = {os.path.basename(d["path"]) for d in report["documents"]}
    assert loaded == {GOOD, *GOOD_EXTRA}
    assert len(report["errors"]) == len(BAD) + 1
    print(f"peak RSS of the build with a 50 MB file: {peak_mb:.0f} MB")
    assert peak_mb < 400, f"the build's memory grew to {peak_mb:.0f} MB"



def test_a_heading_with_no_ascii_letter_loads_under_a_digest_slug(tmp_path):
    """A session heading in Greek has no ASCII slug; its session IRI takes a stable digest of it instead."""
    path = tmp_path / "greek-heading.txt"
    path.write_text(SHORT + "\nΕΙΣΑΓΩΓΉ ΣΥΝΕΔΡΊΑ\n\nParticipants discussed prevention in many states.\n", encoding="utf-8")
    def sessions() -> set[str]:
        return {str(f.subject) for f in load_document(path).facts if "/id/session/" in str(f.subject)}

    found = sessions()
    assert len(found) == 1 and next(iter(found)).split("/")[-1].startswith("annual-meeting-10-x-")
    assert sessions() == found   # the same IRI in every build


@pytest.mark.parametrize("text", ["Οι συμμετέχοντες συζήτησαν την πρόληψη των φρικαλεοτήτων.\n",
                                  "Участники обсудили предотвращение массовых злодеяний в 2019 году.\n"])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_in_a_non_latin_script_decodes(tmp_path, text, encoding):
    from r2pkg.loaders.text import decode

    assert decode(tmp_path / "x.txt", text.encode(encoding)) == text


def test_random_bytes_with_nuls_stay_binary(tmp_path):
    import random

    from r2pkg.loaders.text import decode

    noise = random.Random(0).randbytes(20_000)
    with pytest.raises(DocumentError, match="binary data"):
        decode(tmp_path / "noise.txt", noise)
