"""Meeting summaries to evidence-backed RDF facts."""
