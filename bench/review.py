"""The review pages at scale: the queue's response time and a signed-in reviewer's document page size.

    python -m bench.review DATA_DIR [--decisions 8] [--late-page 40] [--repeat 3]

Signs in as a bench reviewer (made in DATA_DIR with `review.add_user` if absent), adds a few decisions on
facts of the first queue page (unless DATA_DIR already holds decisions), then times, in this process with
Flask's test client: the queue's first page, filtered pages (one document and one property; a kind; a rule),
a late page, and the largest document's page for the signed-in reviewer and for an anonymous visitor (their
sizes in bytes). Each is the best of
`--repeat` runs after a first untimed one (the first request of a build reads its labels and search index).
"""
from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from r2pkg.graph import review

REVIEWER = "bench-reviewer"
PASSWORD = "bench reviewer passphrase"


def _token(client, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    if not found:
        raise SystemExit(f"no CSRF token on {path}")
    return found.group(1)


def signed_in_client(data_dir: Path):
    """A test client of the app on DATA_DIR, signed in as the bench reviewer."""
    from r2pkg.webapp import create_app

    if REVIEWER not in review.read_users(data_dir):
        review.add_user(data_dir, REVIEWER, PASSWORD)
    client = create_app({"DATA_DIR": str(data_dir), "REVIEW_LOGIN_LIMIT": "1000 per minute"}).test_client()
    r = client.post("/review/login", data={"name": REVIEWER, "password": PASSWORD,
                                           "csrf_token": _token(client, "/review/login")})
    if r.status_code != 302:
        raise SystemExit(f"sign-in failed: {r.status_code}")
    return client


def timed(client, path: str, repeat: int) -> tuple[float, int, int]:
    """(best seconds, status, bytes) of GET path, after one untimed request."""
    client.get(path)
    times, size, status = [], 0, 0
    for _ in range(repeat):
        started = time.perf_counter()
        r = client.get(path)
        times.append(time.perf_counter() - started)
        size, status = len(r.get_data()), r.status_code
    return min(times), status, size


def add_decisions(client, count: int) -> None:
    """Reject and confirm facts of the queue's first page (alternately), as a reviewer working through it."""
    html = client.get("/review/queue").get_data(as_text=True)
    links = re.findall(r'href="(/review/fact\?[^"]+)"', html)
    forms = re.findall(r'<form method="post" action="/review/decide".*?</form>', html, flags=re.S)
    token = _token(client, "/review/queue")
    from html import unescape
    from urllib.parse import parse_qsl, urlsplit

    facts = [dict(parse_qsl(urlsplit(unescape(href)).query)) for href in links] or \
        [{k: unescape(v) for k, v in re.findall(r'name="(\w+)" value="([^"]*)"', form)} for form in forms]
    for n, fact in enumerate(facts[:count]):
        kind = "reject" if n % 2 == 0 else "confirm"
        r = client.post("/review/decide", data={**fact, "csrf_token": token, "decision": kind,
                                                "reason": "bench: wrong" if kind == "reject" else ""})
        if r.status_code != 302:
            said = " ".join(re.sub(r"<[^>]*>", " ", r.get_data(as_text=True)).split())
            raise SystemExit(f"decision {n} not saved: {r.status_code} {said[-400:]}")


def largest_document(data_dir: Path) -> str:
    """The slug of the document with the most facts (evidence nodes) in the served build."""
    from r2pkg.graph.store import open_store
    from r2pkg.graph.vocab import EVIDENCE_GRAPH_PREFIX, R2P

    store = open_store(data_dir, read_only=True)
    rows = store.query(f"""SELECT ?g (COUNT(?ev) AS ?n) WHERE {{ GRAPH ?g {{ ?ev a <{R2P.Evidence}> }}
        FILTER(STRSTARTS(STR(?g), "{EVIDENCE_GRAPH_PREFIX}")) }} GROUP BY ?g ORDER BY DESC(?n) LIMIT 1""")
    return next(iter(rows))["g"].value[len(EVIDENCE_GRAPH_PREFIX):]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--decisions", type=int, default=8)
    parser.add_argument("--late-page", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    client = signed_in_client(args.data_dir)
    started = time.perf_counter()
    client.get("/")
    print(f"first page of the build (labels, search index): {time.perf_counter() - started:.2f} s")
    if not review.read_decisions(review.decisions_path(args.data_dir))[0]:
        add_decisions(client, args.decisions)
    decided = review.read_decisions(review.decisions_path(args.data_dir))[0]
    slug = largest_document(args.data_dir)
    prop = decided[0].fact[1][1:-1] if decided else "https://w3id.org/r2pkg/ontology#hasParticipant"
    from urllib.parse import urlencode

    paths = {
        "queue, first page": "/review/queue",
        "queue, one document and one property": "/review/queue?" + urlencode({"document": slug, "property": prop}),
        "queue, kind city (a rare kind)": "/review/queue?kind=city",
        "queue, kind person": "/review/queue?kind=person",
        "queue, rule rule_participants": "/review/queue?rule=rule_participants",
        f"queue, page {args.late_page}": f"/review/queue?page={args.late_page}",
        f"document page (signed in), {slug}": f"/document/{slug}",
    }
    print(f"{len(decided)} decisions")
    for name, path in paths.items():
        best, status, size = timed(client, path, args.repeat)
        print(f"{name}: {best * 1000:.0f} ms, {status}, {size:,} bytes")
    anonymous = client.application.test_client().get(f"/document/{slug}")
    print(f"document page (anonymous), {slug}: {len(anonymous.get_data()):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
