"""Where the bundled data lives: the ontology, saved queries, corpus and gazetteers.

In the repository and in an installed wheel alike, these folders sit beside graph/.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "r2p.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
QUERIES_DIR = ROOT / "queries"
CORPUS_DIR = ROOT / "corpus"
GAZETTEER_DIR = ROOT / "loaders" / "gazetteers"
