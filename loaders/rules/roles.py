"""Roles held by organizations: 'the Global Centre, in its capacity as the Secretariat of the Network',
'As Secretariat of the Network, the Centre will ...'. A role assignment whose holder is an organization
(r2p:heldByOrganization), with the title kept whole."""
from __future__ import annotations

import re
from functools import lru_cache
from r2pkg.graph import iris
from ..analysis import Ment, Sent
from ..gazetteer import ORG as ORG_LABEL, STATE, Gazetteer
from ..wordlists import word_alternation
from .base import Ctx, R2P, _literal, rule
from .time_words import forms


@lru_cache(maxsize=4)
def _patterns(gaz: Gazetteer) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """A probe for the role words; the role after its holder; the role opening the sentence before it."""
    f = forms()
    roles = word_alternation(f["organization_roles"], not_after=r"[\w-]")  # capitalised: a title, not a task
    probe = re.compile(roles + r"(?![\w-])")
    link = r"\s+(?:of|for|to)\s+(?:the\s+)?"
    after = re.compile(rf",?\s+(?:{word_alternation(f['capacity_after'])})\s+(?:the\s+)?(?P<role>{roles}){link}")
    before = re.compile(rf"(?:{word_alternation(f['capacity_before'])})\s+(?:the\s+)?(?P<role>{roles}){link}")
    return probe, after, before


@rule(reads=("meeting", "year"),
      writes=("r2p:atMeeting", "r2p:heldByOrganization", "r2p:role", "r2p:roleIn", "r2p:statedTitle", "r2p:year",
             "rdf:type", "skos:prefLabel"))
def rule_organization_roles(ctx: Ctx) -> None:
    probe, after, before = _patterns(ctx.gaz)
    for s in ctx.an.sents:
        if not probe.search(s.text) or not s.mentions_any((ORG_LABEL,)):
            continue
        orgs = [m for m in s.ments if m.label in (ORG_LABEL, STATE)]
        at = {m.start - s.start: m for m in orgs}
        ends = {m.end - s.start: m for m in orgs}
        for m in after.finditer(s.text):
            holder, target = ends.get(m.start()), at.get(m.end())
            if holder is not None and target is not None:
                _held(ctx, s, holder, m.group("role"), target, s.text[m.start("role"):target.end - s.start])
        m = before.match(s.text)
        if m and m.end() in at:
            target = at[m.end()]
            rest = re.match(r",\s+(?:the\s+)?", s.text[target.end - s.start:])
            holder = at.get(target.end - s.start + rest.end()) if rest else None
            if holder is not None:
                _held(ctx, s, holder, m.group("role"), target, s.text[m.start("role"):target.end - s.start])


def _held(ctx: Ctx, s: Sent, holder: Ment, role_word: str, target: Ment, title: str) -> None:
    role = iris.entity("role", iris.slug_or_digest(role_word))
    if role not in ctx.minted and ctx.gaz.get(role) is None:
        ctx.node(role, R2P.Role, role_word, s)
    when = ctx.when()
    ra = iris.entity("role-assignment", f"{ctx.slug_of(role)}-{ctx.slug_of(holder.iri)}-{when}")
    label = f"{ctx.label_of(holder.iri)} as {title}" + (f" ({ctx.year})" if ctx.year else "")
    ctx.node(ra, R2P.RoleAssignment, label, s)
    ctx.emit(ra, R2P.heldByOrganization, holder.iri, s)
    ctx.emit(ra, R2P.role, role, s)
    ctx.emit(ra, R2P.roleIn, target.iri, s)
    ctx.emit(ra, R2P.statedTitle, _literal(title), s)
    if ctx.year:
        ctx.emit(ra, R2P.year, ctx.year_lit(ctx.year), s)
    if ctx.meeting:
        ctx.emit(ra, R2P.atMeeting, ctx.meeting.iri, s)
