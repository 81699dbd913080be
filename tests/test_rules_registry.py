"""The rules as a registry: each rule keeps to the contract it declares, and what they know is data.

* A rule writes only the context fields and predicates it declares, and reads only the context fields it
  declares: the meeting context (the meeting a document is about, its year and date) is written by the
  meeting rule alone and read by the others, checked on every document the tests have.
* Every cue list of `gazetteers/cues.json` is used by some rule, and no rule holds a list of content words
  in its code (grammar words -- articles, prepositions, auxiliaries -- are grammar, and may stay).
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from r2pkg.graph.vocab import PREFIXES
from r2pkg.loaders import rules
from r2pkg.loaders.analysis import analyse_text
from r2pkg.loaders.gazetteer import gazetteer
from r2pkg.loaders.rules.base import CONTEXT_FIELDS, Ctx
from r2pkg.loaders.text import clean, looks_like_html

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "loaders" / "rules"
CUES = ROOT / "loaders" / "gazetteers" / "cues.json"


def texts() -> list[tuple[str, str]]:
    """(name, text) of every document the tests have: the corpus, the unseen fixtures, the rule cases."""
    import yaml

    out = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "corpus").glob("*.txt"))
           + sorted((ROOT / "tests" / "fixtures" / "unseen").glob("*.txt"))]
    for path in sorted((ROOT / "tests" / "rules").glob("*.yaml")):
        out += [(case.get("slug", "case"), case["text"]) for case in yaml.safe_load(path.read_text(encoding="utf-8"))]
    return out


def curie(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


class Watched:
    """The context as one rule sees it: which of its fields the rule reads and assigns."""

    def __init__(self, ctx: Ctx):
        object.__setattr__(self, "_ctx", ctx)
        object.__setattr__(self, "reads", set())
        object.__setattr__(self, "assigned", set())

    def __getattr__(self, name: str):
        if name in CONTEXT_FIELDS:
            self.reads.add(name)
        return getattr(self._ctx, name)

    def __setattr__(self, name: str, value) -> None:
        self.assigned.add(name)
        setattr(self._ctx, name, value)


def snapshot(ctx: Ctx) -> dict:
    return {name: (set(v) if isinstance(v, set) else list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict)
                   else v)
            for name in CONTEXT_FIELDS for v in [getattr(ctx, name)]}


def observe(slug: str, text: str) -> dict[str, dict[str, set[str]]]:
    """For each rule, on one document: the context fields it read and wrote, and the predicates it emitted."""
    gaz = gazetteer()
    an = analyse_text(clean(text, is_html=looks_like_html(text)), gaz)
    ctx = Ctx(slug, an, gaz, original=text)
    seen: dict[str, dict[str, set[str]]] = {}
    for contract in rules.RULES:
        watched, before, facts = Watched(ctx), snapshot(ctx), len(ctx.facts)
        contract.run(watched)
        after = snapshot(ctx)
        changed = {name for name in CONTEXT_FIELDS if before[name] != after[name]}
        seen[contract.name] = {"reads": watched.reads, "writes": watched.assigned | changed
                               | {curie(str(f.predicate)) for f in ctx.facts[facts:]}}
    return seen


@pytest.fixture(scope="module")
def observed() -> dict[str, dict[str, set[str]]]:
    out: dict[str, dict[str, set[str]]] = {}
    for slug, text in texts():
        for name, got in observe(slug, text).items():
            for key, values in got.items():
                out.setdefault(name, {"reads": set(), "writes": set()})[key] |= values
    return out


def test_every_rule_has_a_contract_and_runs_once():
    names = [r.name for r in rules.RULES]
    assert len(names) == len(set(names))
    assert all(isinstance(r, rules.Rule) for r in rules.RULES)


@pytest.mark.parametrize("contract", rules.RULES, ids=lambda r: r.name)
def test_a_rule_writes_only_what_it_declares(observed, contract):
    undeclared = observed[contract.name]["writes"] - contract.writes
    assert not undeclared, f"{contract.name} writes {sorted(undeclared)} without declaring it"


@pytest.mark.parametrize("contract", rules.RULES, ids=lambda r: r.name)
def test_a_rule_reads_only_the_context_it_declares(observed, contract):
    undeclared = observed[contract.name]["reads"] - contract.reads
    assert not undeclared, f"{contract.name} reads {sorted(undeclared)} without declaring it"


def test_the_meeting_context_is_written_by_the_meeting_rule_alone():
    writers = {r.name for r in rules.RULES if r.writes & {"meeting", "year", "start_date"}}
    assert writers == {"rule_meeting"}


# --- knowledge is data -------------------------------------------------------------------------

def rule_sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(RULES_DIR.glob("*.py")))


def test_every_cue_list_is_used_by_a_rule():
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "loaders").rglob("*.py")))
    cues = [name for name in json.loads(CUES.read_text(encoding="utf-8")) if not name.startswith("_")]
    unused = [name for name in cues if not re.search(rf"""["']{re.escape(name)}["']""", source)]
    assert not unused, f"cue lists no rule reads: {unused}"


def word_lists_in_code(source: str, grammar: set[str]) -> list[str]:
    """Regex alternations of three or more words in string constants, where some word is not grammar."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        for group in re.findall(r"\((?:\?:)?([^()?]*)\)", node.value):
            words = [re.sub(r"\\s[+*]|\\ ", " ", w).strip() for w in group.split("|")]
            if len(words) >= 3 and all(re.fullmatch(r"[A-Za-z][A-Za-z \-\[\]]*", w) for w in words):
                content = [w for w in words if not set(w.lower().split()) <= grammar]
                if content:
                    found.append(group)
    return found


def test_no_rule_keeps_a_list_of_content_words_in_code():
    grammar = set(json.loads(CUES.read_text(encoding="utf-8"))["_grammar_words"])
    found = {p.name: word_lists_in_code(p.read_text(encoding="utf-8"), grammar) for p in sorted(RULES_DIR.glob("*.py"))}
    found = {k: v for k, v in found.items() if v}
    assert not found, f"word lists belong in gazetteers/cues.json: {found}"


def test_a_fact_names_the_rules_that_read_it_from_its_sentence_in_order():
    """The running rule is named on each fact it emits; a later rule emitting the same triple from the same
    sentence makes no second fact but is named after the first (precision per rule counts both)."""
    from rdflib import URIRef

    text = "Summary of a meeting\n\nThe delegates of Ghana spoke first. Kenya spoke next."
    gaz = gazetteer()
    an = analyse_text(clean(text, is_html=False), gaz)
    ctx = Ctx("case", an, gaz, original=text)
    triple = (URIRef("urn:x:s"), URIRef("urn:x:p"), URIRef("urn:x:o"))
    first, second = an.sents[-2], an.sents[-1]
    ctx.rule = ("rule_meeting",)
    ctx.emit(*triple, first)
    ctx.rule = ("rule_participants",)
    ctx.emit(*triple, first)
    ctx.emit(*triple, first)
    assert [f.rules for f in ctx.facts] == [("rule_meeting", "rule_participants")]
    ctx.emit(*triple, second)                      # another sentence: another fact, of the rule that read it there
    assert [f.rules for f in ctx.facts] == [("rule_meeting", "rule_participants"), ("rule_participants",)]


def test_every_fact_of_a_document_names_a_rule_of_the_registry():
    from r2pkg.loaders.document import load_document

    names = {r.name for r in rules.RULES}
    for path in sorted((ROOT / "tests" / "fixtures" / "unseen").glob("*.txt"))[:3]:
        facts = load_document(path).facts
        assert facts and all(f.rules and set(f.rules) <= names for f in facts), path.name
