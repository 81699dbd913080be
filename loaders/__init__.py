"""Meeting summaries to evidence-backed RDF facts.

Public entry points:
    load_document(path, slug=None) -> LoadedDocument
    reference_facts(entities) -> list of (subject, predicate, object) triples for the gazetteer graph
"""
from .document import load_document
from .model import DocumentError, Fact, LoadedDocument, Mention, Span
from .reference import reference_facts

__all__ = ["load_document", "reference_facts", "DocumentError", "Fact", "LoadedDocument", "Mention", "Span"]
