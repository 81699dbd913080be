"""The reviewers' decisions file: one JSON line per decision, appended under a lock, read back with
every cut-off line reported; withdrawals undo without erasing; export and import move decisions by id;
reviewers' passwords are kept only as hashes."""
from __future__ import annotations

import json
import multiprocessing
import threading
from pathlib import Path

import pytest

from r2pkg.graph import review
from r2pkg.graph.cli import main

ID = "https://w3id.org/r2pkg/id/"
R2P = "https://w3id.org/r2pkg/ontology#"
MEETING = f"<{ID}meeting/harbour-forum-3>"
FACT = (MEETING, f"<{R2P}hasParticipant>", f"<{ID}state/kenya>")
QUOTE = review.Evidence("harbour-forum", "Delegates of Kenya and Chad attended.", 40, 77)


def decide(data_dir: Path, who: str = "ana", kind: str = "reject", **kw) -> review.Decision:
    d = review.new_decision(who, kind, fact=kw.pop("fact", FACT), evidence=kw.pop("evidence", QUOTE), **kw)
    review.append_decision(data_dir, d)
    return d


def test_a_decision_is_one_readable_json_line_with_the_fact_evidence_and_reason(tmp_path):
    d = decide(tmp_path, reason="Kenya sent no delegate")
    lines = review.decisions_path(tmp_path).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["id"] == d.id and record["who"] == "ana" and record["decision"] == "reject"
    assert record["fact"] == {"subject": FACT[0], "property": FACT[1], "object": FACT[2]}
    assert record["evidence"] == {"document": "harbour-forum", "exact": QUOTE.exact, "start": 40, "end": 77}
    assert record["reason"] == "Kenya sent no delegate"
    assert record["when"].endswith("Z")


def test_literals_are_kept_as_n_triples_terms_and_compared_canonically(tmp_path):
    d = decide(tmp_path, "ana", "correct", fact=(MEETING, f"<{R2P}ordinal>", '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'),
               correction={"object": '"4"^^<http://www.w3.org/2001/XMLSchema#integer>'})
    again, problems = review.read_decisions(review.decisions_path(tmp_path))
    assert problems == [] and again == [d]
    assert again[0].corrected[2] == '"4"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert review.term('"Chad"^^<http://www.w3.org/2001/XMLSchema#string>') == '"Chad"'


@pytest.mark.parametrize("record, problem", [
    ({"id": "1", "who": "ana", "when": "2031-01-01T00:00:00Z", "decision": "erase", "fact": {}}, "one of"),
    ({"id": "1", "who": "ana", "when": "2031-01-01T00:00:00Z", "decision": "reject",
      "fact": {"subject": "kenya", "property": f"<{R2P}x>", "object": "<a:b>"}}, "not an IRI"),
    ({"id": "1", "who": "ana", "when": "2031-01-01T00:00:00Z", "decision": "correct",
      "fact": dict(zip(("subject", "property", "object"), FACT))}, "new 'subject' or 'object'"),
    ({"id": "1", "who": "", "when": "2031-01-01T00:00:00Z", "decision": "reject"}, "'who'"),
])
def test_a_malformed_decision_is_refused_naming_what_is_wrong(record, problem):
    with pytest.raises(review.ReviewError, match=problem):
        review.decision_from(record)


def _write_many(data_dir: str, who: str, n: int) -> None:
    for i in range(n):
        review.append_decision(Path(data_dir), review.new_decision(
            who, "confirm", fact=(MEETING, f"<{R2P}hasParticipant>", f"<{ID}state/s{who}{i}>"),
            reason="x" * 3000))        # long lines: larger than one pipe buffer's atomic write


def test_two_reviewers_writing_at_once_from_two_processes_lose_no_decision(tmp_path):
    ctx = multiprocessing.get_context("fork")
    writers = [ctx.Process(target=_write_many, args=(str(tmp_path), who, 150)) for who in ("ana", "ben")]
    for w in writers:
        w.start()
    for w in writers:
        w.join(60)
    decisions, problems = review.read_decisions(review.decisions_path(tmp_path))
    assert problems == []
    assert sorted(d.fact[2] for d in decisions) == sorted(
        f"<{ID}state/s{who}{i}>" for who in ("ana", "ben") for i in range(150))


def test_threads_of_one_server_lose_no_decision(tmp_path):
    threads = [threading.Thread(target=_write_many, args=(str(tmp_path), f"t{k}", 40)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    decisions, problems = review.read_decisions(review.decisions_path(tmp_path))
    assert problems == [] and len({d.id for d in decisions}) == 160


def test_a_line_cut_off_by_a_killed_writer_loses_only_that_line_and_is_reported(tmp_path):
    first = decide(tmp_path)
    path = review.decisions_path(tmp_path)
    line = review.new_decision("ben", "confirm", fact=FACT).to_json()
    path.write_text(path.read_text() + line[: len(line) // 2], encoding="utf-8")   # its writer killed mid-line
    last = decide(tmp_path, "cy")                                   # written after the damage
    decisions, problems = review.read_decisions(path)
    assert [d.id for d in decisions] == [first.id, last.id]
    assert len(problems) == 1 and "line 2" in problems[0] and str(path) in problems[0]


def test_the_last_line_cut_off_is_reported_as_cut_off(tmp_path):
    decide(tmp_path)
    path = review.decisions_path(tmp_path)
    path.write_bytes(path.read_bytes() + b'{"id": "9", "who": "ana", "wh')
    decisions, problems = review.read_decisions(path)
    assert len(decisions) == 1 and problems and "cut off" in problems[0] and "line 2" in problems[0]


def test_the_latest_standing_decision_about_a_fact_holds_and_a_withdrawal_keeps_the_history(tmp_path):
    rejected = decide(tmp_path, "ana", "reject", reason="no delegate")
    status, _ = review.resolve(review.read_decisions(review.decisions_path(tmp_path))[0])
    assert status[FACT].state == "rejected"
    withdrawal = review.new_decision("ben", "withdraw", withdraws=rejected.id, reason="ana misread")
    review.append_decision(tmp_path, withdrawal)
    decisions, _ = review.read_decisions(review.decisions_path(tmp_path))
    status, standing = review.resolve(decisions)
    assert FACT not in status and standing == []
    assert [d.id for d in decisions] == [rejected.id, withdrawal.id]       # both kept
    review.append_decision(tmp_path, review.new_decision("ana", "withdraw", withdraws=withdrawal.id))
    status, _ = review.resolve(review.read_decisions(review.decisions_path(tmp_path))[0])
    assert status[FACT].state == "rejected"                             # the withdrawal withdrawn


def test_export_then_import_elsewhere_adds_each_decision_once(tmp_path, capsys):
    here, there = tmp_path / "here", tmp_path / "there"
    mine = [decide(here), decide(here, "ben", "confirm")]
    theirs = decide(there, "cy", "add", fact=(MEETING, f"<{R2P}hostedBy>", f"<{ID}state/chad>"))
    out = tmp_path / "moved.jsonl"
    assert main(["review", "export", str(out), "--data-dir", str(here)]) == 0
    assert main(["review", "import", str(out), "--data-dir", str(there)]) == 0
    assert "2 decision(s) imported, 0 already here" in capsys.readouterr().out
    assert main(["review", "import", str(out), "--data-dir", str(there)]) == 0
    assert "0 decision(s) imported, 2 already here" in capsys.readouterr().out
    ids = [d.id for d in review.read_decisions(review.decisions_path(there))[0]]
    assert ids == [theirs.id] + [d.id for d in mine]


def test_import_of_a_missing_file_is_one_line(tmp_path, capsys):
    assert main(["review", "import", str(tmp_path / "nope.jsonl"), "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nope.jsonl" in err[0]


def test_review_list_shows_who_what_and_why(tmp_path, capsys):
    decide(tmp_path, reason="no delegate")
    assert main(["review", "list", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "ana" in out and "reject" in out and "state/kenya" in out and "no delegate" in out


def test_users_add_keeps_a_scrypt_hash_and_never_the_password(tmp_path, monkeypatch, capsys):
    import io

    secret = "correct horse battery"
    monkeypatch.setattr("sys.stdin", io.StringIO(secret + "\n"))
    assert main(["users", "add", "ana", "--data-dir", str(tmp_path)]) == 0
    assert secret not in capsys.readouterr().out
    stored = review.users_path(tmp_path).read_text()
    assert secret not in stored and "scrypt:" in json.loads(stored)["ana"]["hash"]
    assert not any(secret in p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file())
    assert review.check_password(tmp_path, "ana", secret)
    assert not review.check_password(tmp_path, "ana", secret + "!")
    assert not review.check_password(tmp_path, "bob", secret)


def test_a_short_password_or_a_bad_name_is_refused(tmp_path):
    with pytest.raises(review.ReviewError, match="8 characters"):
        review.add_user(tmp_path, "ana", "short")
    with pytest.raises(review.ReviewError, match="user name"):
        review.add_user(tmp_path, "../ana", "long enough password")


def test_evaluate_reviewed_gives_precision_per_rule_and_property(tmp_path, capsys):
    for obj, kind in (("kenya", "reject"), ("chad", "confirm"), ("peru", "confirm"), ("mali", "correct")):
        review.append_decision(tmp_path, review.new_decision(
            "ana", kind, fact=(MEETING, f"<{R2P}hasParticipant>", f"<{ID}state/{obj}>"),
            correction={"object": f"<{ID}state/niger>"} if kind == "correct" else None))
    review.append_decision(tmp_path, review.new_decision(
        "ana", "reject", fact=(MEETING, f"<{R2P}hostedBy>", f"<{ID}state/chad>"), reason="not the host"))
    assert main(["evaluate", "--reviewed", "--format", "json", "--data-dir", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    table = json.loads(captured.out)
    assert table["property"][f"{R2P}hasParticipant"] == {"confirmed": 2, "rejected": 2, "precision": 0.5}
    assert table["property"][f"{R2P}hostedBy"] == {"confirmed": 0, "rejected": 1, "precision": 0.0}
    # No build: no fact's rule is known, and none is guessed from the rules that declare the property.
    assert table["rule"] == {review.NO_RULE: {"confirmed": 2, "rejected": 3, "precision": 0.4}}
    assert "rules of the decided facts are not known" in captured.err
    assert main(["evaluate", "--reviewed", "--data-dir", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["rule", "confirmed", "rejected", "precision"]
