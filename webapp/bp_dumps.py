"""/dumps: the build's TriG, Turtle, N-Triples and JSON-LD files, and a VoID description."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, g, render_template, request, send_file

from r2pkg.graph import dumps
from r2pkg.graph.dumps import Dump
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


# The data licence (the code's is MIT, in LICENSE) and who publishes the dataset: README "Licence".
DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
PUBLISHER = "The r2pkg project"


@dataclass
class DumpFile:
    name: str
    size: int
    media_type: str
    description: str
    gzip_size: int | None = None      # the size of name.gz, when the build has it
    dump: Dump | None = None

    @property
    def gzip_name(self) -> str:
        return self.name + ".gz"


def dump_files() -> list[DumpFile]:
    build = current_build(graph_data().data_dir)
    if build is None:
        return []
    out = []
    for dump in dumps.listed(build.dumps):
        kind = DUMP_TYPES.get(Path(dump.name).suffix)
        if kind:
            out.append(DumpFile(dump.name, dump.size, kind[0], kind[1],
                                dump.packed.stat().st_size if dump.packed else None, dump))
    return out


_ABSOLUTE_PATH = re.compile(r"(?<![\w:])/(?:[^\s/'\"]+/)+([^\s/'\"]*)")


def public_report(value):
    """The build report without the server's file paths: a document's path becomes its file name, the data
    directory is left out, and a path inside a message is cut to its last part."""
    if isinstance(value, dict):
        return {key: (Path(item).name if key == "path" and isinstance(item, str) else public_report(item))
                for key, item in value.items() if key != "data_dir"}
    if isinstance(value, list):
        return [public_report(item) for item in value]
    if isinstance(value, str):
        return _ABSOLUTE_PATH.sub(lambda m: m.group(1), value)
    return value


def report() -> dict:
    return public_report(graph_data().build_report())


def build_modified() -> str | None:
    """When the served build was published, as an xsd:dateTime in UTC: the time its `.complete` mark was
    written (embedded store), else the time in the build's stamp (a SPARQL server's build)."""
    build = current_build(graph_data().data_dir)
    if build is not None and (build.root / ".complete").exists():
        moment = datetime.fromtimestamp((build.root / ".complete").stat().st_mtime, timezone.utc)
    else:
        stamp = re.match(r"(\d{8}T\d{6})", Path(str(graph_data().snapshot().target or "")).name)
        if stamp is None:
            return None
        moment = datetime.fromtimestamp(time.mktime(time.strptime(stamp.group(1), "%Y%m%dT%H%M%S")), timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@bp.route("/dumps")
def index():
    return render_template("dumps/index.html", files=dump_files(), report=report())


@bp.route("/dumps/<filename>")
def file(filename: str):
    """A dump. graph.ttl comes gzipped (Content-Encoding: gzip) to a client that accepts it, as it is to a
    client that does not; graph.ttl.gz is the compressed file itself (application/gzip)."""
    if filename == "void.ttl":
        return void()
    build = current_build(graph_data().data_dir)
    files = {f.name: f for f in dump_files()}
    packed = {f.gzip_name: f for f in files.values() if f.gzip_size is not None}
    if build is None or (filename not in files and filename not in packed):
        names = [*files, *packed]
        raise NotFound(f"There is no dump called “{printable(filename)}”; the dumps are {', '.join(names) or 'not built yet'}.",
                       what="dump")
    if filename in packed:
        response = send_file(packed[filename].dump.packed, mimetype="application/gzip", as_attachment=True,
                             download_name=filename, conditional=True)
    elif files[filename].gzip_size is not None and _accepts_gzip():
        response = send_file(files[filename].dump.packed, mimetype=files[filename].media_type,
                             as_attachment=False, download_name=filename, conditional=True)
        response.headers["Content-Encoding"] = "gzip"
        response.set_etag(f"{response.get_etag()[0]}-gzip")
    elif files[filename].dump.plain is not None:
        response = send_file(files[filename].dump.plain, mimetype=files[filename].media_type, as_attachment=False,
                             download_name=filename, conditional=True)
    else:
        response = _decompressed(files[filename])
    response.vary.add("Accept-Encoding")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _decompressed(f: DumpFile) -> Response:
    """A dump the build keeps only gzipped, for a client that does not accept gzip: decompressed as it is
    sent, a megabyte at a time, with its length and validators (a matching If-None-Match gets a 304)."""
    packed = f.dump.packed
    stat = packed.stat()

    def chunks():
        with f.dump.open() as source:
            while block := source.read(1 << 20):
                yield block

    response = Response(chunks(), mimetype=f.media_type, direct_passthrough=True)
    response.content_length = f.size
    response.last_modified = datetime.fromtimestamp(stat.st_mtime, timezone.utc)
    response.set_etag(f"{stat.st_mtime_ns:x}-{stat.st_size:x}-identity")
    response.headers["Content-Disposition"] = f"inline; filename={f.name}"
    return response.make_conditional(request)


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


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
    counts, classes, graphs = data.once_per_build("void", lambda: _void_figures(data), small=True)
    modified = build_modified()
    lines = ["@prefix void: <http://rdfs.org/ns/void#> .", "@prefix dcterms: <http://purl.org/dc/terms/> .",
             "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .", "@prefix foaf: <http://xmlns.com/foaf/0.1/> .", "",
             f"{ds} a void:Dataset ;",
             f"    dcterms:license <{DATA_LICENSE}> ;",
             f'    dcterms:publisher [ a foaf:Organization ; foaf:name "{PUBLISHER}" ; '
             f"foaf:homepage <{urls.absolute(urls.home())}> ] ;",
             *([f'    dcterms:modified "{modified}"^^xsd:dateTime ;'] if modified else []),
             '    dcterms:title "R2P Focal Points knowledge graph"@en ;',
             '    dcterms:description "Focal points, states, organizations, meetings and their evidence, read from the '
             'summaries of the annual meetings of the Global Network of R2P Focal Points."@en ;',
             f"    void:uriSpace \"{ID}\" ;",
             f"    void:sparqlEndpoint <{urls.absolute(urls.sparql())}> ;",
             f"    void:vocabulary <{PREFIXES['r2p']}> ;",
             f"    void:rootResource <{urls.absolute(urls.home())}> ;"]
    for f in dump_files():
        # the plain names: each is sent gzipped (Content-Encoding) to a client that accepts it
        lines.append(f"    void:dataDump <{urls.absolute(urls.dump(f.name))}> ;")
    lines.append(f"    void:exampleResource <{ID}state/spain> ;") if data.exists(f"{ID}state/spain") else None
    for key in ("triples", "properties"):
        lines.append(f"    void:{key} {counts[key]} ;")
    lines.append(f"    void:distinctSubjects {counts['subjects']} ;")
    lines.append(f"    void:distinctObjects {counts['objects']} ;")
    partitions = [f"[ void:class <{cls}> ; void:entities {n} ]" for cls, n in classes]
    if partitions:
        lines.append("    void:classPartition " + " ,\n        ".join(partitions) + " ;")
    subsets = [f"<{graph}>" for graph, _ in graphs]
    lines.append(f"    void:subset {', '.join(subsets)} ." if subsets else "    .")
    for graph, n in graphs:
        lines.append(f"<{graph}> a void:Dataset ; void:triples {n} .")
    return "\n".join(lines) + "\n"


def _void_figures(data) -> tuple[dict[str, int], list[tuple[str, int]], list[tuple[str, int]]]:
    """The VoID statistics, read once per build: they count every statement (200 summaries: 1.9 s).
    (triples, properties, subjects, objects), the classes' entities, the named graphs' triples."""
    row = data.query(_VOID_COUNTS)[0]
    counts = {key: int(row[key].value) for key in ("triples", "subjects", "properties", "objects")}
    classes = [(r["c"].value, int(r["n"].value)) for r in data.query(_VOID_CLASSES) if isinstance(r["c"], ox.NamedNode)]
    graphs = [(r["g"].value, int(r["n"].value)) for r in data.query(_VOID_GRAPHS)]
    return counts, classes, graphs


@bp.route("/void.ttl")
@bp.route("/.well-known/void")
def void():
    body = void_turtle(g.urls)
    return Response(body, 200, {"Content-Type": "text/turtle; charset=utf-8", "Access-Control-Allow-Origin": "*"})
