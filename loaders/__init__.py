"""Meeting summaries to evidence-backed RDF facts.

Public entry points:
    load_document(path, slug=None) -> LoadedDocument
    load_documents([(path, slug), ...], workers=None) -> [LoadedDocument | DocumentError, ...] (worker processes)
    reference_facts(entities) -> list of (subject, predicate, object) triples for the gazetteer graph
"""
from .batch import load_documents
from .document import load_document
from .model import DocumentError, Fact, LoadedDocument, Mention, Span
from .reference import reference_facts

__all__ = ["load_document", "load_documents", "reference_facts", "DocumentError", "Fact", "LoadedDocument", "Mention",
           "Span"]
