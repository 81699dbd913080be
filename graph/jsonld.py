"""JSON-LD that reads like the project's Turtle: an `@context` declaring its prefixes, and the
properties and types written as compact IRIs (`skos:prefLabel`), which a JSON-LD processor expands
back to the same triples.

pyoxigraph writes expanded JSON-LD (full IRIs, no context); `with_context` compacts that output.
Only keys and `@type` values are compacted: an `@id` stays a full IRI, so nothing that a client
reads as an identifier changes with a prefix table.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def context(prefixes: Mapping[str, str]) -> dict[str, str]:
    """The `@context` of the project's JSON-LD: one term per prefix."""
    return dict(prefixes)


def compact_iri(iri: str, prefixes: Mapping[str, str]) -> str:
    """`skos:prefLabel` for the full IRI, when a prefix covers it and leaves a plain local name."""
    for name, namespace in prefixes.items():
        if iri.startswith(namespace):
            local = iri[len(namespace):]
            if local and "/" not in local and "#" not in local and not local.startswith("//"):
                return f"{name}:{local}"
    return iri


def _compact(node: Any, prefixes: Mapping[str, str]) -> Any:
    if isinstance(node, list):
        return [_compact(item, prefixes) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "@type":
            types = value if isinstance(value, list) else [value]
            # a literal's datatype is an @type too: compact it the same way
            compacted = [compact_iri(t, prefixes) for t in types]
            out[key] = compacted if isinstance(value, list) else compacted[0]
        elif key.startswith("@"):
            out[key] = _compact(value, prefixes)
        else:
            out[compact_iri(key, prefixes)] = _compact(value, prefixes)
    return out


def with_context(expanded: bytes, prefixes: Mapping[str, str]) -> bytes:
    """Expanded JSON-LD (a list of nodes, or of named graphs) as `{"@context": …, "@graph": […]}`."""
    nodes = json.loads(expanded or b"[]")
    body = {"@context": context(prefixes), "@graph": _compact(nodes if isinstance(nodes, list) else [nodes], prefixes)}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def stream_prefix(prefixes: Mapping[str, str]) -> bytes:
    """What goes before an expanded JSON-LD document to give it a context without reading it (a dump of
    millions of nodes): `{"@context": …, "@graph": ` then the document, then `STREAM_SUFFIX`."""
    return b'{"@context": ' + json.dumps(context(prefixes), ensure_ascii=False).encode("utf-8") + b', "@graph": '


STREAM_SUFFIX = b"}\n"
