"""Sentence-level cases for every extraction rule, as data (pySHACL's style).

tests/rules/<rule>.yaml holds the cases of one rule: a list of
    {name, text, expect: [[s, p, o], [s, p, o, rule], ...], absent: [[s, p, o], ...], xfail: "<reason>",
     slug: "<doc slug>"}
`text` is a short document in the test's own words, loaded through the public loader (`load_document`), so a case
says what a reader finds in a text whatever module the rule lives in. Every `expect` triple must be among the
document's facts and no `absent` triple may be. An `expect` triple with a fourth item, a rule's name, must have
been read by that rule (`Fact.rules`: the rule its evidence names, r2p:extractedBy).

Terms: an IRI relative to https://w3id.org/r2pkg/id/ (`meeting/annual-meeting-4`, `state/denmark`); a CURIE with a
project prefix (`r2p:hostedBy`, `skos:prefLabel`, `rdf:type`); a literal written `"42"^^xsd:integer` or `"text"`;
`_` for any term (`[meeting/annual-meeting-3, r2p:startDate, _]`: no start date at all). The document's slug is
`case` unless the case gives one, so the document is `document/case`.

A case marked `xfail` describes behaviour the issue asks for that the loaders do not have yet. The mark is strict:
once the loaders read the case right, the test fails until the mark is removed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from rdflib import Literal, URIRef

from r2pkg.graph.vocab import ID, PREFIXES

CASES_DIR = Path(__file__).resolve().parent / "rules"

# The rules of loaders/rules.py (its RULES, then rule_mechanisms and rule_labels, which load_document runs apart).
# Kept here rather than read from the module, which is about to become a package.
RULES = (
    "rule_meeting", "rule_other_meetings", "rule_meeting_statements", "rule_counts", "rule_theme", "rule_participants", "rule_persons",
    "rule_focal_points", "rule_announcements", "rule_network_size", "rule_groups", "rule_situations",
    "rule_crimes_pillars", "rule_sessions", "rule_recommendations", "rule_mechanisms", "rule_labels",
    "rule_organization_roles", "rule_post_descriptions", "rule_sentence_themes", "rule_practices",
)
MIN_CASES = 4
CASE_KEYS = {"name", "text", "expect", "absent", "xfail", "slug"}

ANY = "_"
Term = URIRef | Literal | None  # None: any term
Pattern = tuple[Term, Term, Term]


@dataclass
class Case:
    rule: str
    name: str
    text: str
    expect: list[Pattern] = field(default_factory=list)
    absent: list[Pattern] = field(default_factory=list)
    xfail: str | None = None
    slug: str = "case"
    read_by: list[tuple[Pattern, str]] = field(default_factory=list)   # expected triples and the rule that read them

    @property
    def id(self) -> str:
        return f"{self.rule}:{self.name}"


# -- reading the case files ---------------------------------------------------------------------------------------

_LITERAL = re.compile(r'^"(?P<lex>.*)"(?:\^\^(?P<dt>[\w-]+:[\w-]+)|@(?P<lang>[\w-]+))?$', re.S)
_CURIE = re.compile(r"^(?P<prefix>[a-z][\w-]*):(?P<local>\S*)$")


def expand(curie: str) -> URIRef:
    m = _CURIE.match(curie)
    if not m or m.group("prefix") not in PREFIXES:
        raise ValueError(f"not a CURIE with a project prefix: {curie!r}")
    return URIRef(PREFIXES[m.group("prefix")] + m.group("local"))


def parse_term(text: str) -> Term:
    """`_`, a literal, a CURIE with a project prefix, or an IRI relative to the id/ namespace."""
    text = str(text).strip()
    if text == ANY:
        return None
    lit = _LITERAL.match(text)
    if lit:
        dt = lit.group("dt")
        return Literal(lit.group("lex"), datatype=expand(dt) if dt else None, lang=lit.group("lang"))
    m = _CURIE.match(text)
    if m and m.group("prefix") in PREFIXES:
        return expand(text)
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if not re.fullmatch(r"[a-z-]+/[^\s/]+", text):
        raise ValueError(f"not an id/ relative IRI, CURIE or literal: {text!r}")
    return URIRef(str(ID) + text)


def parse_pattern(triple: list) -> Pattern:
    if not isinstance(triple, list) or len(triple) != 3:
        raise ValueError(f"a triple is a list of three terms: {triple!r}")
    return tuple(parse_term(t) for t in triple)  # type: ignore[return-value]


def parse_expected(item: list) -> tuple[Pattern, str | None]:
    """An expected triple, and the rule that must have read it when a fourth item names one."""
    if isinstance(item, list) and len(item) == 4:
        if item[3] not in RULES:
            raise ValueError(f"not a rule's name: {item[3]!r}")
        return parse_pattern(item[:3]), item[3]
    return parse_pattern(item), None


def load_cases(path: Path) -> list[Case]:
    rule = path.stem
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    cases = []
    for item in raw:
        unknown = set(item) - CASE_KEYS
        if unknown:
            raise ValueError(f"{path.name}: case {item.get('name')!r} has unknown keys {sorted(unknown)}")
        expected = [parse_expected(t) for t in item.get("expect") or []]
        cases.append(Case(rule=rule, name=item["name"], text=item["text"],
                          expect=[pattern for pattern, _ in expected],
                          absent=[parse_pattern(t) for t in item.get("absent") or []],
                          xfail=item.get("xfail"), slug=item.get("slug", "case"),
                          read_by=[(pattern, by) for pattern, by in expected if by]))
    return cases


def all_cases() -> list[Case]:
    return [case for path in sorted(CASES_DIR.glob("*.yaml")) for case in load_cases(path)]


def as_param(case: Case):
    marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
    return pytest.param(case, id=case.id, marks=marks)


# -- showing facts ------------------------------------------------------------------------------------------------

def show(term: Term) -> str:
    """A term as the case files write it."""
    if term is None:
        return ANY
    if isinstance(term, Literal):
        if term.datatype:
            return f'"{term}"^^{show(term.datatype)}'
        return f'"{term}"' + (f"@{term.language}" if term.language else "")
    iri = str(term)
    if iri.startswith(str(ID)):
        return iri[len(str(ID)):]
    for prefix, ns in PREFIXES.items():
        if prefix != "id" and iri.startswith(ns) and re.fullmatch(r"[\w-]*", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def show_triple(triple) -> str:
    """A fact as the case files write it, and the rules that read it when it names them."""
    rules = f"  (read by {', '.join(triple[3])})" if len(triple) > 3 and triple[3] else ""
    return "[" + ", ".join(show(t) for t in triple[:3]) + "]" + rules


def matches(pattern: Pattern, triple: tuple) -> bool:
    return all(p is None or p == t for p, t in zip(pattern, triple))


# -- the tests ----------------------------------------------------------------------------------------------------

def read_facts(text: str, slug: str, tmp_path: Path) -> list[tuple]:
    """(s, p, o, rules that read it) of each fact of the text."""
    from r2pkg.loaders.document import load_document

    path = tmp_path / f"{slug}.txt"
    path.write_text(text, encoding="utf-8")
    return [(f.subject, f.predicate, f.object, f.rules) for f in load_document(path, slug).facts]


@pytest.mark.parametrize("case", [as_param(c) for c in all_cases()])
def test_rule_case(case: Case, tmp_path):
    facts = read_facts(case.text, case.slug, tmp_path)
    missing = [p for p in case.expect if not any(matches(p, f) for f in facts)]
    unwanted = [f for p in case.absent for f in facts if matches(p, f)]
    misread = [(p, by) for p, by in case.read_by if any(matches(p, f) for f in facts)
               and not any(matches(p, f) and by in f[3] for f in facts)]
    if missing or unwanted or misread:
        lines = [f"case {case.id}"]
        lines += [f"  missing:  {show_triple(p)}" for p in missing]
        lines += [f"  not read by {by}: {show_triple(p)}" for p, by in misread]
        lines += [f"  unwanted: {show_triple(f)}" for f in dict.fromkeys(unwanted)]
        lines.append(f"facts found ({len(facts)}):")
        lines += [f"  {show_triple(f)}" for f in dict.fromkeys(facts)]
        pytest.fail("\n".join(lines), pytrace=False)


def test_every_rule_has_its_cases():
    """One case file per rule, each with what the rule must find and what it must not."""
    files = {p.stem for p in CASES_DIR.glob("*.yaml")}
    assert files == set(RULES), f"missing: {sorted(set(RULES) - files)}; unknown: {sorted(files - set(RULES))}"
    for rule in RULES:
        cases = load_cases(CASES_DIR / f"{rule}.yaml")
        assert len(cases) >= MIN_CASES, f"{rule}: {len(cases)} cases, at least {MIN_CASES} wanted"
        assert all(c.expect or c.absent for c in cases), f"{rule}: a case that checks nothing"
        names = [c.name for c in cases]
        assert len(names) == len(set(names)), f"{rule}: two cases share a name"


def test_term_syntax():
    """The notation of the case files, read as the docstring says."""
    assert parse_term("state/denmark") == URIRef("https://w3id.org/r2pkg/id/state/denmark")
    assert parse_term("r2p:hostedBy") == URIRef("https://w3id.org/r2pkg/ontology#hostedBy")
    assert parse_term('"42"^^xsd:integer') == Literal(42)
    assert parse_term('"2014-06-12"^^xsd:date') == Literal("2014-06-12", datatype=expand("xsd:date"))
    assert parse_term('"a theme: with a colon"') == Literal("a theme: with a colon")
    assert parse_term("_") is None
    with pytest.raises(ValueError):
        parse_term("Denmark")
    assert show(parse_term('"42"^^xsd:integer')) == '"42"^^xsd:integer'


def test_a_case_names_the_rule_that_read_a_fact(tmp_path):
    """A fourth item names the rule whose evidence the fact carries; a case naming another rule fails."""
    case = next(c for c in load_cases(CASES_DIR / "rule_participants.yaml") if c.read_by)
    pattern, rule = case.read_by[0]
    facts = read_facts(case.text, case.slug, tmp_path)
    assert rule == "rule_participants"
    assert [f[3] for f in facts if matches(pattern, f)] == [("rule_participants",)]
    with pytest.raises(ValueError, match="not a rule's name"):
        parse_expected(["state/brazil", "r2p:hasParticipant", "state/kenya", "rule_nothing"])
