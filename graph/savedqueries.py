"""Saved SPARQL queries: one `.rq` file per question, with grlc-style `#+` YAML metadata.

    #+ summary: Annual meetings with place, dates, hosts and size
    #+ tags: [meetings]
    #+ parameters:
    #+   - name: ordinal
    #+     type: integer
    #+     required: true
    #+   - name: limit
    #+     type: integer
    #+     sets: LIMIT
    #+     default: 100

The file stays plain SPARQL that any endpoint accepts. Parameters are bound to the query's
variables as values (never pasted into its text), so a parameter cannot change the query. The one
exception is a page's size and start, which SPARQL cannot take from a variable: an integer
parameter that `sets: LIMIT` (or OFFSET) replaces the number of the query's one LIMIT (OFFSET)
clause, written with its default so that the file runs as it is; only a non-negative integer,
written by Python, ever replaces it (`query_text`).

A sub-SELECT does not see the values bound at the top of the query (SPARQL evaluates it first, on
its own), so a query that must answer for one value inside a sub-SELECT (one year, not every year
the data knows) declares its parameter `inner: true`: the value is then also bound at the top of
the WHERE group of every sub-SELECT that uses the variable.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import yaml

from .backend import TripleStore
from .resources import QUERIES_DIR
from .sparql import run_query, with_values
from .sparqltext import mask
from .store import dataset_options
from .vocab import PREFIXES

PARAMETER_TYPES = ("integer", "string", "date", "iri")
CLAUSES = ("LIMIT", "OFFSET")     # what a parameter may set instead of binding a variable
XSD = "http://www.w3.org/2001/XMLSchema#"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class SavedQueryError(ValueError):
    """A saved-query file is malformed; the message names the file."""


class ParameterError(ValueError):
    """A parameter value is missing, unknown or malformed; the message names the parameter."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"parameter {parameter!r}: {message}")
        self.parameter = parameter


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str = "string"
    cls: str | None = None          # for iri parameters: the class of entity (a full IRI)
    description: str = ""
    required: bool = False
    default: str | None = None
    sets: str | None = None         # "LIMIT" or "OFFSET": the clause whose number it replaces
    inner: bool = False             # also bound inside every sub-SELECT that uses it (see query_text)


@dataclass(frozen=True)
class SavedQuery:
    name: str
    summary: str
    description: str
    text: str
    path: Path
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


def load_saved_queries(directory: Path | None = None) -> dict[str, SavedQuery]:
    """Every `*.rq` of the folder, by name (the file stem), sorted by name."""
    folder = Path(directory) if directory else QUERIES_DIR
    return {q.name: q for q in (parse_saved_query(p) for p in sorted(folder.glob("*.rq")))}


def parse_saved_query(path: Path) -> SavedQuery:
    text = path.read_text(encoding="utf-8")
    meta_lines = [line[2:].removeprefix(" ") for line in text.splitlines() if line.startswith("#+")]
    try:
        meta = yaml.safe_load("\n".join(meta_lines)) or {}
    except yaml.YAMLError as exc:
        raise SavedQueryError(f"{path}: metadata is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise SavedQueryError(f"{path}: metadata must be a mapping of '#+ key: value' lines")
    name = path.stem
    if not _NAME.match(name):
        raise SavedQueryError(f"{path}: a saved query's name is lower-case letters, digits and '-'")
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",") if t.strip()]
    query = SavedQuery(
        name=name,
        summary=str(meta.get("summary", "")).strip(),
        description=str(meta.get("description", "")).strip(),
        text=text,
        path=path,
        tags=tuple(str(t) for t in tags),
        parameters=tuple(_parameter(path, p) for p in meta.get("parameters") or []),
    )
    for param in query.parameters:
        if param.sets and len(_clause_numbers(text, param.sets)) != 1:
            raise SavedQueryError(f"{path}: parameter {param.name!r} sets {param.sets}, so the query needs exactly one "
                                  f"'{param.sets} <number>' clause (found {len(_clause_numbers(text, param.sets))})")
    return query


def _clause_numbers(text: str, clause: str) -> list[re.Match]:
    """Where the number of each `clause` (LIMIT or OFFSET) of the query is, outside comments and strings."""
    return list(re.finditer(rf"(?i)(?<![?$\w:]){clause}\s+(\d+)\b", mask(text)))   # not ?limit, ex:limit


def _parameter(path: Path, spec: object) -> Parameter:
    if not isinstance(spec, dict) or "name" not in spec:
        raise SavedQueryError(f"{path}: each parameter needs at least a name")
    ptype = str(spec.get("type", "string"))
    if ptype not in PARAMETER_TYPES:
        raise SavedQueryError(f"{path}: parameter {spec['name']!r} has type {ptype!r}; "
                              f"expected one of {', '.join(PARAMETER_TYPES)}")
    cls = spec.get("class")
    sets = spec.get("sets")
    if sets is not None:
        sets = str(sets).upper()
        if sets not in CLAUSES or ptype != "integer":
            raise SavedQueryError(f"{path}: parameter {spec['name']!r} sets {spec['sets']!r}; a parameter may set "
                                  f"{' or '.join(CLAUSES)}, and is then an integer")
    return Parameter(
        name=str(spec["name"]),
        type=ptype,
        cls=expand_curie(str(cls)) if cls else None,
        description=str(spec.get("description", "")).strip(),
        required=bool(spec.get("required", False)),
        default=None if spec.get("default") is None else str(spec["default"]),
        sets=sets,
        inner=_flag(path, spec, "inner"),
    )


def _flag(path: Path, spec: dict, key: str) -> bool:
    """A yes/no key of a parameter (absent: no); anything but a YAML boolean is a mistake in the file."""
    value = spec.get(key, False)
    if not isinstance(value, bool):
        raise SavedQueryError(f"{path}: parameter {spec['name']!r} has {key}: {value!r}; expected true or false")
    return value


def expand_curie(value: str) -> str:
    """'r2p:State' -> full IRI; a full IRI is returned unchanged."""
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return value


LabelResolver = Callable[[str, str | None], list[str]]


def bind_parameters(query: SavedQuery, values: Mapping[str, str],
                    resolve_label: LabelResolver | None = None) -> dict[ox.Variable, ox.Literal | ox.NamedNode]:
    """Typed values for the query's variables, from strings as a user or URL gives them.

    An iri parameter accepts a full IRI, a prefixed name (id:state/denmark), or a label or slug
    that `resolve_label(text, class_iri)` turns into exactly one IRI.
    """
    unknown = sorted(set(values) - {p.name for p in query.parameters})
    if unknown:
        known = ", ".join(p.name for p in query.parameters) or "none"
        raise ParameterError(unknown[0], f"not a parameter of {query.name!r} (its parameters: {known})")
    bound: dict[ox.Variable, ox.Literal | ox.NamedNode] = {}
    for param in query.parameters:
        raw = values.get(param.name)
        if raw is None or str(raw).strip() == "":
            raw = param.default
        if raw is None:
            if param.required:
                raise ParameterError(param.name, "is required")
            continue
        value = _typed(param, str(raw).strip(), resolve_label)
        if param.sets:
            if int(value.value) < 0:
                raise ParameterError(param.name, f"{_shown(str(raw))} is negative: a number of rows is 0 or more")
            continue            # not a variable's value: see query_text
        bound[ox.Variable(param.name)] = value
    return bound


def query_text(query: SavedQuery, values: Mapping[str, str], resolve_label: LabelResolver | None = None) -> str:
    """The query ready to run: its parameters bound as values, and the clauses that parameters set
    (a page's LIMIT and OFFSET) given their numbers. Raises ParameterError as `bind_parameters`."""
    bound = bind_parameters(query, values, resolve_label)
    inner = {var: term for var, term in bound.items() if (p := query.parameter(var.value)) and p.inner}
    text = with_values(with_values_inside(query.text, inner), bound)
    for param in query.parameters:
        if not param.sets:
            continue
        raw = values.get(param.name)
        number = str(int(str(raw).strip())) if raw is not None and str(raw).strip() else param.default
        if number is None:
            continue
        match = _clause_numbers(text, param.sets)[0]
        text = text[:match.start(1)] + str(int(number)) + text[match.end(1):]
    return text


def with_values_inside(text: str, bindings: Mapping[ox.Variable, ox.Literal | ox.NamedNode]) -> str:
    """`text` with each binding also as a VALUES block at the top of the WHERE group of every sub-SELECT
    that uses its variable (the outermost query is left to `with_values`).

    A sub-SELECT is evaluated before it is joined with the rest, so without this it answers for every
    value its variable could take; bound inside, it answers for the one asked."""
    if not bindings:
        return text
    live = mask(text)
    inserts: list[tuple[int, str]] = []
    for open_at, close_at in _subselect_groups(live):
        group = live[open_at:close_at]
        used = {var: term for var, term in bindings.items()
                if re.search(rf"[?$]{re.escape(var.value)}(?!\w)", group)}
        if used:
            block = with_values("{", used)[1:]          # " VALUES (?v) { (term) }", written as with_values does
            inserts.append((open_at + 1, block))
    for at, block in sorted(inserts, reverse=True):
        text = text[:at] + block + text[at:]
    return text


def _subselect_groups(live: str) -> list[tuple[int, int]]:
    """(offset of '{', offset of its '}') of the WHERE group of every sub-SELECT, in masked text (comments,
    strings and IRIs blanked): every SELECT but the query's own when the query is a SELECT."""
    groups = []
    forms = list(re.finditer(r"(?i)(?<![?$\w:])(SELECT|CONSTRUCT|ASK|DESCRIBE)(?!\w)", live))
    own = 1 if forms and forms[0].group(1).upper() == "SELECT" else 0
    for keyword in [f for f in forms if f.group(1).upper() == "SELECT"][own:]:
        depth, at = 0, keyword.end()
        while at < len(live) and not (live[at] == "{" and depth == 0):
            depth += {"(": 1, ")": -1}.get(live[at], 0)
            at += 1
        if at == len(live):
            continue
        groups.append((at, _closing(live, at)))
    return groups


def _closing(live: str, open_at: int) -> int:
    """The offset of the '}' that closes the '{' at `open_at`."""
    depth = 0
    for at in range(open_at, len(live)):
        if live[at] == "{":
            depth += 1
        elif live[at] == "}":
            depth -= 1
            if depth == 0:
                return at
    return len(live)


def _typed(param: Parameter, raw: str, resolve_label: LabelResolver | None) -> ox.Literal | ox.NamedNode:
    if param.type == "integer":
        return ox.Literal(str(_integer(param, raw)), datatype=ox.NamedNode(XSD + "integer"))
    if param.type == "date":
        try:
            dt.date.fromisoformat(raw)
        except ValueError:
            raise ParameterError(param.name, f"{_shown(raw)} is not a date (YYYY-MM-DD)") from None
        return ox.Literal(raw, datatype=ox.NamedNode(XSD + "date"))
    if param.type == "iri":
        iri = _iri(param, raw, resolve_label)
        try:
            return ox.NamedNode(iri)
        except ValueError:
            raise ParameterError(param.name, f"{_shown(raw)} is not an IRI: an IRI cannot hold spaces, control "
                                             "characters or any of < > \" { } | \\ ^ `") from None
    return ox.Literal(raw)


MAX_INTEGER_DIGITS = 100


def _integer(param: Parameter, raw: str) -> int:
    """The integer `raw` writes; refused when it is not one, or longer than any count or year of the graph (Python
    would parse up to 4,300 digits, then raise a ValueError of its own)."""
    if not re.fullmatch(r"[+-]?\d+", raw):
        raise ParameterError(param.name, f"{_shown(raw)} is not an integer")
    if len(raw.lstrip("+-")) > MAX_INTEGER_DIGITS:
        raise ParameterError(param.name, f"{_shown(raw)} is too long: an integer of at most {MAX_INTEGER_DIGITS} "
                                         "digits is expected")
    return int(raw)


def _shown(raw: str, limit: int = 40) -> str:
    """A value as a message quotes it: repr (control characters escaped), cut short with an ellipsis."""
    return repr(raw) if len(raw) <= limit else repr(raw[:limit]) + f"… ({len(raw):,} characters)"


def _iri(param: Parameter, raw: str, resolve_label: LabelResolver | None) -> str:
    expanded = expand_curie(raw)
    if re.match(r"^[a-z][a-z0-9+.-]*://\S+$", expanded, re.I):
        return expanded
    if resolve_label is None:
        raise ParameterError(param.name, f"{_shown(raw)} is not an IRI")
    matches = resolve_label(raw, param.cls)
    if not matches:
        raise ParameterError(param.name, f"no entity is called {_shown(raw)}")
    if len(matches) > 1:
        raise ParameterError(param.name, f"{_shown(raw)} is ambiguous: " + ", ".join(sorted(matches)[:5]))
    return matches[0]


_RESOLVE = """
SELECT DISTINCT ?e WHERE {
  ?e ?labelProperty ?label .
  VALUES ?labelProperty { <http://www.w3.org/2004/02/skos/core#prefLabel>
                          <http://www.w3.org/2004/02/skos/core#altLabel>
                          <http://www.w3.org/2000/01/rdf-schema#label> }
  FILTER(LCASE(STR(?label)) = LCASE(STR(?text)) || STRENDS(STR(?e), CONCAT("/", LCASE(STR(?text)))))
  FILTER(!BOUND(?cls) || EXISTS { ?e a ?cls })
}
"""


def store_label_resolver(store: TripleStore) -> LabelResolver:
    """Looks a label, alternative label or IRI slug up in the store, within a class if given."""

    def resolve(text: str, cls: str | None) -> list[str]:
        subs: dict[ox.Variable, ox.Literal | ox.NamedNode] = {ox.Variable("text"): ox.Literal(text)}
        if cls:
            subs[ox.Variable("cls")] = ox.NamedNode(cls)
        rows = store.query(with_values(_RESOLVE, subs), **dataset_options(store))
        return [row["e"].value for row in rows]

    return resolve


def python_value(term: object) -> str | int | float | bool | None:
    """A result term as a plain value: IRIs and strings as str, numbers as numbers."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value.removeprefix(XSD)
        if datatype in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"):
            return int(term.value)
        if datatype in ("decimal", "double", "float"):
            return float(term.value)
        if datatype == "boolean":
            return term.value in ("true", "1")
        return term.value
    return getattr(term, "value", str(term))


def run_saved(store: TripleStore, name: str, params: Mapping[str, str] | None = None,
              *, directory: Path | None = None, max_rows: int = 10000) -> list[dict[str, object]]:
    """Run a saved query by name; rows as plain Python values (for the CLI and tests)."""
    queries = load_saved_queries(directory)
    if name not in queries:
        raise KeyError(f"no saved query {name!r}; known: {', '.join(queries)}")
    query = queries[name]
    result = run_query(store, query_text(query, params or {}, store_label_resolver(store)), max_rows=max_rows)
    return [{v: python_value(row.get(v)) for v in result.variables} for row in result.rows]
