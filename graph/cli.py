"""The `r2pkg` command: build, add, remove, query, sparql, serve, evaluate, link, review, users.

A thin argparse layer: each subcommand parses its options and calls one library function.
`main(argv)` returns the exit status, so tests run the command in-process.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .store import StoreError, data_dir_from

FORMATS = ("table", "csv", "json")
STORES = ("embedded", "sparql")
MEDIA_TYPES = {"csv": "text/csv", "json": "application/sparql-results+json"}
DEFAULT_TIMEOUT = 60.0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["link"]:  # the linker has options of its own; hand them over untouched
        return _link(argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except StoreError as exc:
        print(f"r2pkg: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="r2pkg", description="Knowledge graph of the Global Network of R2P Focal Points.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def data_dir_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--data-dir", metavar="DIR", help="where the graph is stored (default: $R2PKG_DATA_DIR or ./data)")

    def query_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=FORMATS, default="table")
        p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                       help="stop the query after this long (default: %(default)s)")
        data_dir_option(p)
        store_options(p)

    def store_options(p: argparse.ArgumentParser) -> None:
        g = p.add_argument_group("back end", "the embedded store in --data-dir (default), or a SPARQL 1.1 server; "
                                 "the server's password is read from $R2PKG_STORE_PASSWORD")
        g.add_argument("--store", choices=STORES, default=os.environ.get("R2PKG_STORE") or "embedded",
                       help="embedded: the Oxigraph store in the data directory; sparql: the server at --query-url "
                            "(default: $R2PKG_STORE or embedded)")
        g.add_argument("--query-url", metavar="URL", default=os.environ.get("R2PKG_QUERY_URL"),
                       help="the server's SPARQL query endpoint (default: $R2PKG_QUERY_URL)")
        g.add_argument("--update-url", metavar="URL", default=os.environ.get("R2PKG_UPDATE_URL"),
                       help="its SPARQL update endpoint (default: $R2PKG_UPDATE_URL)")
        g.add_argument("--gsp-url", metavar="URL", default=os.environ.get("R2PKG_GSP_URL"),
                       help="its Graph Store Protocol endpoint, which `build` writes to (default: $R2PKG_GSP_URL)")
        g.add_argument("--store-user", metavar="USER", default=os.environ.get("R2PKG_STORE_USER"),
                       help="user name for the server (Basic or Digest; default: $R2PKG_STORE_USER)")

    b = sub.add_parser("build", help="build the graph from meeting summaries")
    b.add_argument("--corpus", metavar="DIR", action="append", type=Path,
                   help="a folder of documents (repeatable; default: the bundled corpus)")
    b.add_argument("--strict", action="store_true", help="fail when the SHACL check finds violations")
    b.add_argument("--quiet", action="store_true", help="print only the report")
    data_dir_option(b)
    store_options(b)
    b.set_defaults(run=_build)

    a = sub.add_parser("add", help="add documents to the served graph, reading no other document again")
    a.add_argument("files", metavar="FILE", nargs="+", type=Path, help="a document (text, HTML, PDF, Word)")
    a.add_argument("--quiet", action="store_true", help="print only what the documents added")
    data_dir_option(a)
    a.set_defaults(run=_add)

    r = sub.add_parser("remove", help="remove one document from the served graph")
    r.add_argument("slug", metavar="SLUG", help="the document's slug, as in /document/SLUG")
    r.add_argument("--quiet", action="store_true", help="print only the report")
    data_dir_option(r)
    r.set_defaults(run=_remove)

    q = sub.add_parser("query", help="run a saved query by name")
    q.add_argument("name", nargs="?", help="saved query name; omit to list them")
    q.add_argument("--param", metavar="KEY=VALUE", action="append", default=[], help="a parameter value (repeatable)")
    query_options(q)
    q.set_defaults(run=_query)

    s = sub.add_parser("sparql", help="run any SPARQL query (text or a file)")
    s.add_argument("query", metavar="QUERY_OR_FILE")
    query_options(s)
    s.set_defaults(run=_sparql)

    v = sub.add_parser("serve", help="serve the graph over HTTP (builds it first if there is none)")
    v.add_argument("--host", default="127.0.0.1")
    v.add_argument("--port", type=int, default=5000)
    v.add_argument("--base-url", metavar="URL", help="the site's public address (setting BASE_URL): absolute URLs "
                   "start with it whatever Host header a request carries")
    v.add_argument("--connection-limit", type=int, metavar="N", help="most open client connections "
                   "(setting CONNECTION_LIMIT, default 1000)")
    v.add_argument("--channel-timeout", type=int, metavar="SECONDS", help="close idle connections after this long "
                   "(setting CHANNEL_TIMEOUT, default 30)")
    v.add_argument("--header-timeout", type=float, metavar="SECONDS", help="close a connection whose request "
                   "headers are incomplete after this long (setting HEADER_TIMEOUT, default 20)")
    v.add_argument("--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                   help="any other setting of the web app (README, Settings), e.g. --set SPARQL_CLIENT_QUERY_TIME=60")
    data_dir_option(v)
    store_options(v)
    v.set_defaults(run=_serve)

    e = sub.add_parser("evaluate", help="measure extraction against gold facts (docs/extraction.md)")
    e.add_argument("--corpus", metavar="DIR", action="append", type=Path,
                   help="a folder of documents (repeatable; default: the bundled corpus)")
    e.add_argument("--gold", metavar="FILE", type=Path,
                   help="the gold facts (default: the bundled corpus's gold.json)")
    e.add_argument("--format", choices=("table", "json"), default="table")
    e.add_argument("--data-dir", metavar="DIR",
                   help="use the build in DIR (or build there when it has none) instead of a temporary one")
    e.add_argument("--reviewed", action="store_true",
                   help="instead of the gold: the precision of each rule and property from the reviewers' "
                        "decisions in the data directory (docs/review.md)")
    e.set_defaults(run=_evaluate)

    sub.add_parser("link", help="propose Wikidata links for unlinked entities (online; see r2pkg link --help)")
    _review_parsers(sub, data_dir_option)
    return parser


def _review_parsers(sub, data_dir_option) -> None:
    """`r2pkg review list|export|import|apply` and `r2pkg users add` (docs/review.md)."""
    rv = sub.add_parser("review", help="reviewers' decisions about facts: list, export, import, apply")
    rsub = rv.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = rsub.add_parser("list", help="the decisions, oldest first")
    ls.add_argument("--format", choices=("table", "json"), default="table")
    data_dir_option(ls)
    ls.set_defaults(run=_review_list)
    ex = rsub.add_parser("export", help="write every decision to a JSON Lines file")
    ex.add_argument("file", metavar="FILE", type=Path)
    data_dir_option(ex)
    ex.set_defaults(run=_review_export)
    im = rsub.add_parser("import", help="append the decisions of a file that this installation lacks (by id)")
    im.add_argument("file", metavar="FILE", type=Path)
    data_dir_option(im)
    im.set_defaults(run=_review_import)
    ap = rsub.add_parser("apply", help="publish the served graph with the decisions as they now are, "
                                        "changed by their difference only (docs/review.md)")
    ap.add_argument("--quiet", action="store_true", help="print only the report")
    data_dir_option(ap)
    ap.set_defaults(run=_review_apply)
    us = sub.add_parser("users", help="reviewers who may sign in to the web app")
    usub = us.add_subparsers(dest="action", metavar="ACTION", required=True)
    ua = usub.add_parser("add", help="add a reviewer, or set a reviewer's password (prompted, or read from stdin)")
    ua.add_argument("name", metavar="NAME")
    data_dir_option(ua)
    ua.set_defaults(run=_users_add)


def _review_list(args: argparse.Namespace) -> int:
    from .review import decisions_path, read_decisions

    decisions, problems = read_decisions(decisions_path(data_dir_from(args.data_dir)))
    for problem in problems:
        print(f"r2pkg review: {problem}", file=sys.stderr)
    if args.format == "json":
        print("\n".join(d.to_json() for d in decisions))
        return 0
    for d in decisions:
        what = " ".join(d.fact) if d.fact else f"decision {d.withdraws}"
        extra = f" -> {' '.join(d.corrected)}" if d.corrected else ""
        why = f"  ({d.reason})" if d.reason else ""
        print(f"{d.when}  {d.id}  {d.who:<12} {d.decision:<8} {what}{extra}{why}")
    print(f"{len(decisions)} decision(s)", file=sys.stderr)
    return 0


def _review_export(args: argparse.Namespace) -> int:
    from .review import export_decisions

    try:
        n = export_decisions(data_dir_from(args.data_dir), args.file)
    except OSError as exc:
        print(f"r2pkg review export: cannot write {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"{n} decision(s) written to {args.file}")
    return 0


def _review_import(args: argparse.Namespace) -> int:
    from .review import ReviewError, import_decisions

    try:
        added, known, problems = import_decisions(data_dir_from(args.data_dir), args.file)
    except (ReviewError, OSError) as exc:
        print(f"r2pkg review import: {exc}", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"r2pkg review import: {problem}", file=sys.stderr)
    print(f"{added} decision(s) imported, {known} already here; `r2pkg review apply` publishes them")
    return 0


def _review_apply(args: argparse.Namespace) -> int:
    from .build import BuildError, apply_review

    progress = None if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    try:
        report = apply_review(data_dir_from(args.data_dir), progress=progress)
    except BuildError as exc:
        print(f"r2pkg review apply: {exc}", file=sys.stderr)
        return 1
    print(report.render())
    return 0


def _users_add(args: argparse.Namespace) -> int:
    """The password is read without echo from a terminal, else as the first line of stdin; never an argument
    (it would show in the process list and the shell's history)."""
    import getpass

    from .review import ReviewError, add_user

    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.name}: ")
        if getpass.getpass("Again: ") != password:
            print("r2pkg users add: the two passwords differ; nothing changed", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        add_user(data_dir_from(args.data_dir), args.name, password)
    except ReviewError as exc:
        print(f"r2pkg users add: {exc}", file=sys.stderr)
        return 1
    print(f"reviewer {args.name} can sign in")
    return 0


def _add(args: argparse.Namespace) -> int:
    from .build import BuildError, add

    progress = None if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    try:
        report, added = add(args.files, data_dir_from(args.data_dir), progress=progress)
    except BuildError as exc:
        print(f"r2pkg add: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(report.render() + "\n")
    print("\n".join(added))
    if report.errors:
        refused = "\n".join(f"  {e}" for e in report.errors)
        print(f"\n{len(report.errors)} file(s) refused; the others were added:\n{refused}", file=sys.stderr)
    return 0


def _remove(args: argparse.Namespace) -> int:
    from .build import BuildError, remove

    progress = None if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    try:
        report = remove(args.slug, data_dir_from(args.data_dir), progress=progress)
    except BuildError as exc:
        print(f"r2pkg remove: {exc}", file=sys.stderr)
        return 1
    print(report.render())
    print(f"\n{args.slug} removed; {len(report.documents)} document(s) remain.")
    return 0


def _build(args: argparse.Namespace) -> int:
    from .build import BuildError, build
    from .resources import CORPUS_DIR

    data_dir = data_dir_from(args.data_dir)
    progress = None if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    server = server_config(args, writing=True)
    try:
        report = build(args.corpus or [CORPUS_DIR], data_dir, progress=progress)
        published = publish_build(data_dir, server, progress) if server is not None else None
    except BuildError as exc:
        print(f"r2pkg build: {exc}", file=sys.stderr)
        return 1
    print(report.render())
    if published:
        print(f"\nPublished to {server.query_url}: {published['graphs']} named graphs and the merged default graph, "
              f"{published['triples']:,} triples in {published['seconds']:.2f} s")
    if report.errors:
        print(f"\n{len(report.errors)} document(s) refused; the others were built.", file=sys.stderr)
    if args.strict and not report.shacl.get("conforms", True):
        return 3
    return 0


def server_config(args: argparse.Namespace, *, writing: bool = False):
    """The SPARQL server the options name, or None for the embedded store."""
    from .remote import ServerConfig

    if getattr(args, "store", "embedded") != "sparql":
        return None
    if not args.query_url:
        raise StoreError("--store sparql needs --query-url (the server's query endpoint)")
    if writing and not (args.gsp_url or args.update_url):
        raise StoreError("--store sparql needs --gsp-url (its Graph Store Protocol endpoint) or --update-url "
                         "(its update endpoint) to send the graph")
    try:
        return ServerConfig.from_options(args.query_url, args.update_url, args.gsp_url, args.store_user)
    except ValueError as exc:
        raise StoreError(str(exc)) from None


def publish_build(data_dir: Path, server, progress=None) -> dict:
    """Copy the build just published in data_dir onto the SPARQL server, and say so in its report."""
    import json

    from .remote import RemoteStore, RemoteStoreError, publish
    from .store import current_build, open_store

    build = current_build(data_dir)
    if progress:
        progress(f"publishing to {server.query_url} ...")
    try:
        summary = publish(open_store(data_dir), RemoteStore(server), stamp=build.root.name)
    except RemoteStoreError as exc:
        raise StoreError(f"the graph was built in {data_dir} but could not be sent to the SPARQL server: {exc}") from None
    report = json.loads(build.report.read_text(encoding="utf-8"))
    report["published"] = summary
    build.report.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return summary


def _params(pairs: list[str]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SystemExit(f"r2pkg query: --param expects KEY=VALUE, got {pair!r}")
        params[key.strip()] = value
    return params


def _query(args: argparse.Namespace) -> int:
    from .savedqueries import ParameterError, load_saved_queries, query_text, store_label_resolver
    from .store import open_store

    queries = load_saved_queries()
    if not args.name:
        width = max(map(len, queries), default=0)
        for q in queries.values():
            params = " ".join(f"[{p.name}]" if not p.required else p.name for p in q.parameters)
            print(f"{q.name:<{width}}  {q.summary}" + (f"  (parameters: {params})" if params else ""))
        return 0
    if args.name not in queries:
        close = [n for n in queries if args.name in n or n in args.name]
        hint = f" Did you mean: {', '.join(close)}?" if close else f" Known: {', '.join(queries)}."
        print(f"r2pkg query: no saved query {args.name!r}.{hint}", file=sys.stderr)
        return 2
    store = open_store(data_dir_from(args.data_dir), server=server_config(args))
    try:
        text = query_text(queries[args.name], _params(args.param), store_label_resolver(store))
    except ParameterError as exc:
        print(f"r2pkg query {args.name}: {exc}", file=sys.stderr)
        return 2
    return _run_and_print(args, text)


def _sparql(args: argparse.Namespace) -> int:
    from .vocab import sparql_prologue

    text = args.query
    if _names_a_file(text):
        text = Path(text).read_text(encoding="utf-8")
    # The project's prefixes are predeclared; a query's own PREFIX lines come later and win.
    return _run_and_print(args, sparql_prologue() + text)


def _names_a_file(text: str) -> bool:
    """The argument is a query file's path rather than a query: a long one-line query is no file name (the
    system refuses names past its limit, and asking would raise)."""
    if "\n" in text or len(text) >= 4096:
        return False
    try:
        return Path(text).is_file()
    except OSError:
        return False


def _run_and_print(args: argparse.Namespace, text: str) -> int:
    """Run under the same limits as the web endpoint: read-only, row cap, and a time limit that
    stops the query's process, not only the wait."""
    from .sparql import QueryPool, QueryTimeout, SparqlError, StoreUnavailable, run_query, serialize_results
    from .store import open_remote

    fmt = args.format
    server = server_config(args)
    pool = None if server is not None else QueryPool(data_dir_from(args.data_dir), size=1)
    try:
        if pool is None:
            result = run_query(open_remote(server), text, timeout=args.timeout)   # the limit stops the wait
        else:
            result = run_query(pool.data_dir, text, timeout=args.timeout, pool=pool)
    except StoreUnavailable as exc:
        print(f"r2pkg: {exc}", file=sys.stderr)
        return 1
    except QueryTimeout as exc:
        print(f"r2pkg: {exc} (raise it with --timeout)", file=sys.stderr)
        return 3
    except SparqlError as exc:
        print(f"r2pkg: {exc}", file=sys.stderr)
        return 2
    finally:
        if pool is not None:
            pool.close()
    if fmt == "table":
        print(render_table(result))
    else:
        sys.stdout.write(serialize_results(result, MEDIA_TYPES[fmt]).decode("utf-8"))
    if result.truncated:
        print(f"(results truncated at {len(result.rows)} rows)", file=sys.stderr)
    return 0


def render_table(result) -> str:
    """Aligned columns, IRIs shortened with the project's prefixes."""
    from .savedqueries import python_value
    from .vocab import PREFIXES

    if result.kind == "ask":
        return "yes" if result.boolean else "no"

    def short(term) -> str:
        value = python_value(term)
        if value is None:
            return ""
        text = str(value).lower() if isinstance(value, bool) else str(value)
        for prefix, iri in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if text.startswith(iri):
                return f"{prefix}:{text[len(iri):]}"
        return text.replace("\n", " ")

    if result.kind == "graph":
        header = ["subject", "predicate", "object"]
        rows = [[short(t.subject), short(t.predicate), short(t.object)] for t in result.triples]
    else:
        header = list(result.variables)
        rows = [[short(row.get(v)) for v in header] for row in result.rows]
    widths = [min(60, max([len(h)] + [len(r[i]) for r in rows])) for i, h in enumerate(header)]
    fmt_row = lambda cells: "  ".join(c[:w].ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    lines = [fmt_row(header), fmt_row(["-" * w for w in widths])] + [fmt_row(r) for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


SERVE_SETTINGS = {"base_url": "BASE_URL", "connection_limit": "CONNECTION_LIMIT", "channel_timeout": "CHANNEL_TIMEOUT",
                  "header_timeout": "HEADER_TIMEOUT"}


def serve_settings(args: argparse.Namespace) -> dict:
    """The web app's settings `r2pkg serve`'s options give; those not given keep their defaults."""
    from r2pkg.webapp.settings import parse_setting

    given = dict(parse_setting(item) for item in getattr(args, "settings", None) or ())
    return given | {setting: getattr(args, option) for option, setting in SERVE_SETTINGS.items()
                    if getattr(args, option, None) is not None}


def _serve(args: argparse.Namespace) -> int:
    from .store import has_store

    data_dir = data_dir_from(args.data_dir)
    server = server_config(args)
    link = data_dir / "current"
    if server is None and not has_store(data_dir) and not link.is_symlink():
        print(f"No graph in {data_dir} yet: building it from the bundled corpus first.", file=sys.stderr)
        status = _build(argparse.Namespace(corpus=None, data_dir=str(data_dir), strict=False, quiet=False))
        if status:
            return status
    problem = store_problem(data_dir) if server is None else remote_problem(server)
    if problem:
        print(f"r2pkg serve: {problem}", file=sys.stderr)
        return 1
    from r2pkg.webapp import serve

    try:
        serve(host=args.host, port=args.port, data_dir=data_dir, STORE_SERVER=server, **serve_settings(args))
    except OSError as exc:  # the port is taken, the address is wrong
        print(f"r2pkg serve: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except ValueError as exc:   # a setting the app refuses (BASE_URL)
        print(f"r2pkg serve: {exc}", file=sys.stderr)
        return 1
    return 0


def store_problem(data_dir: Path) -> str | None:
    """What stops the served store from being read, in one line that says how to rebuild; None if it reads."""
    from .store import current_build, open_store

    rebuild = f"rebuild it with `r2pkg build --data-dir {data_dir}`"
    link = data_dir / "current"
    build = current_build(data_dir)
    if build is None:
        if link.is_symlink():
            return f"{link} points to {os.readlink(link)}, which is missing: {rebuild}"
        return f"no graph in {data_dir}: build it with `r2pkg build --data-dir {data_dir}`"
    if not build.store.is_dir():
        return f"the served build {build.root} has no store (store/ is missing): {rebuild}"
    try:
        store = open_store(data_dir, read_only=True)
        # read every quad of one index once, so that damaged files show now and not on some later page
        next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))
    except StoreError as exc:
        return str(exc).replace("\n", " ")
    except Exception as exc:  # RocksDB reports damage as RuntimeError/OSError with its own words
        reason = " ".join(str(exc).split()) or type(exc).__name__
        return f"the store in {build.store} cannot be read ({reason}); it is damaged or not an Oxigraph store: {rebuild}"
    return None


def remote_problem(server) -> str | None:
    """What stops the SPARQL server from being served, in one line; None if it holds a build."""
    from .store import open_remote

    try:
        open_remote(server)
    except StoreError as exc:
        return str(exc)
    return None


def _evaluate(args: argparse.Namespace) -> int:
    """Exit status 0 when the gold is sound, 1 when it is unreadable or a quote is not in its document."""
    from .build import BuildError
    from .evaluate import GoldError, evaluate_corpus, render_json, render_table
    from .resources import CORPUS_DIR

    if args.reviewed:
        return _evaluate_reviewed(args)
    corpus = args.corpus or [CORPUS_DIR]
    gold = args.gold or (corpus[0] / "gold.json")
    data_dir = Path(args.data_dir) if args.data_dir else None
    try:
        evaluation = evaluate_corpus(corpus, gold, data_dir)
    except (GoldError, BuildError) as exc:
        print(f"r2pkg evaluate: {exc}", file=sys.stderr)
        return 1
    print(render_json(evaluation) if args.format == "json" else render_table(evaluation))
    return 1 if evaluation.problems else 0


def _evaluate_reviewed(args: argparse.Namespace) -> int:
    """Precision per rule and per property from the standing decisions: confirmed / (confirmed + rejected)."""
    import json

    from .review import decisions_path, precision_by, read_decisions, rules_index

    data_dir = data_dir_from(args.data_dir)
    decisions, problems = read_decisions(decisions_path(data_dir))
    for problem in problems:
        print(f"r2pkg evaluate: {problem}", file=sys.stderr)
    table = precision_by(decisions, rules_index(_served_documents(data_dir), decisions))
    if args.format == "json":
        print(json.dumps(table, indent=2))
        return 0
    for kind in ("rule", "property"):
        rows = sorted(table[kind].items(), key=lambda kv: (kv[1]["precision"], kv[0]))
        width = max((len(k) for k in table[kind]), default=4)
        print(f"{kind:<{width}}  confirmed  rejected  precision")
        for key, row in rows:
            print(f"{key:<{width}}  {row['confirmed']:>9}  {row['rejected']:>8}  {row['precision']:>9.2f}")
        print()
    print(f"from {len(decisions)} decision(s); the weakest first", file=sys.stderr)
    return 0


def _served_documents(data_dir: Path) -> list:
    """The served build's documents as loaded (each fact with the rules that read it); none, said on stderr,
    when there is no build to read them from (every decided fact's rule is then not known)."""
    from . import store as stores
    from .buildparts import BuildError, kept_documents

    served = stores.current_build(data_dir)
    if served is None:
        print(f"r2pkg evaluate: no build in {data_dir}: the rules of the decided facts are not known",
              file=sys.stderr)
        return []
    try:
        return [doc for doc, _ in kept_documents(served)]
    except BuildError as exc:
        print(f"r2pkg evaluate: the rules of the decided facts are not known: {exc}", file=sys.stderr)
        return []


def _link(argv: list[str]) -> int:
    from .linking import main as link_main

    return link_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
