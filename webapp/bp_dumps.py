"""/dumps: the build's TriG, Turtle, N-Triples and JSON-LD files, and a VoID description."""
from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Blueprint, Response, g, render_template, send_file

from r2pkg.graph.store import current_build
from r2pkg.graph.vocab import ID, PREFIXES

from . import graph_data
from .errors import NotFound
from .untrusted import printable

bp = Blueprint("dumps", __name__)

DUMP_TYPES = {
    ".trig": ("application/trig", "TriG: every named graph (facts per document, evidence, inferred, ontology)"),
    ".ttl": ("text/turtle", "Turtle: all triples, graphs merged"),
    ".nt": ("application/n-triples", "N-Triples: all triples, one per line"),
    ".jsonld": ("application/ld+json", "JSON-LD"),
    ".nq": ("application/n-quads", "N-Quads"),
}


@dataclass
class DumpFile:
    name: str
    size: int
    media_type: str
    description: str


def dump_files() -> list[DumpFile]:
    build = current_build(graph_data().data_dir)
    if build is None or not build.dumps.is_dir():
        return []
    out = []
    for path in sorted(build.dumps.iterdir()):
        kind = DUMP_TYPES.get(path.suffix)
        if path.is_file() and kind:
            out.append(DumpFile(path.name, path.stat().st_size, kind[0], kind[1]))
    return out


def report() -> dict:
    build = current_build(graph_data().data_dir)
    if build is None or not build.report.is_file():
        return {}
    try:
        return json.loads(build.report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


@bp.route("/dumps")
def index():
    return render_template("dumps/index.html", files=dump_files(), report=report())


@bp.route("/dumps/<filename>")
def file(filename: str):
    if filename == "void.ttl":
        return void()
    build = current_build(graph_data().data_dir)
    files = {f.name: f for f in dump_files()}
    if build is None or filename not in files:
        raise NotFound(f"There is no dump called “{printable(filename)}”; the dumps are {', '.join(files) or 'not built yet'}.",
                       what="dump")
    response = send_file(build.dumps / filename, mimetype=files[filename].media_type, as_attachment=False,
                         download_name=filename, conditional=True)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


_VOID_COUNTS = """
SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties)
       (COUNT(DISTINCT ?o) AS ?objects) WHERE { ?s ?p ?o }
"""
_VOID_CLASSES = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"
_VOID_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def void_turtle(urls) -> str:
    """The VoID description; its URLs are absolute, under BASE_URL when set (urls.Urls.absolute)."""
    data = graph_data()
    ds = f"<{urls.absolute(urls.void())}#dataset>"
    counts = data.query(_VOID_COUNTS)[0]
    lines = ["@prefix void: <http://rdfs.org/ns/void#> .", "@prefix dcterms: <http://purl.org/dc/terms/> .",
             "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .", "",
             f"{ds} a void:Dataset ;",
             '    dcterms:title "R2P Focal Points knowledge graph"@en ;',
             '    dcterms:description "Focal points, states, organizations, meetings and their evidence, read from the '
             'summaries of the annual meetings of the Global Network of R2P Focal Points."@en ;',
             f"    void:uriSpace \"{ID}\" ;",
             f"    void:sparqlEndpoint <{urls.absolute(urls.sparql())}> ;",
             f"    void:vocabulary <{PREFIXES['r2p']}> ;",
             f"    void:rootResource <{urls.absolute(urls.home())}> ;"]
    for f in dump_files():
        lines.append(f"    void:dataDump <{urls.absolute(urls.dump(f.name))}> ;")
    lines.append(f"    void:exampleResource <{ID}state/spain> ;") if data.exists(f"{ID}state/spain") else None
    for key in ("triples", "properties"):
        lines.append(f"    void:{key} {int(counts[key].value)} ;")
    lines.append(f"    void:distinctSubjects {int(counts['subjects'].value)} ;")
    lines.append(f"    void:distinctObjects {int(counts['objects'].value)} ;")
    partitions = [f"[ void:class <{r['c'].value}> ; void:entities {int(r['n'].value)} ]" for r in data.query(_VOID_CLASSES)
                  if hasattr(r["c"], "value") and r["c"].__class__.__name__ == "NamedNode"]
    if partitions:
        lines.append("    void:classPartition " + " ,\n        ".join(partitions) + " ;")
    subsets = [f"<{r['g'].value}>" for r in data.query(_VOID_GRAPHS)]
    lines.append(f"    void:subset {', '.join(subsets)} ." if subsets else "    .")
    for r in data.query(_VOID_GRAPHS):
        lines.append(f"<{r['g'].value}> a void:Dataset ; void:triples {int(r['n'].value)} .")
    return "\n".join(lines) + "\n"


@bp.route("/void.ttl")
@bp.route("/.well-known/void")
def void():
    body = void_turtle(g.urls)
    return Response(body, 200, {"Content-Type": "text/turtle; charset=utf-8", "Access-Control-Allow-Origin": "*"})
