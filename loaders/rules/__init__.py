"""The extraction rules: small functions, one module per kind of fact, run in the order of `RULES`.

Each rule reads the `Analysis` of a document (sentences, blocks, mentions) and the context the
rules before it set (the meeting the document is about, its year), and writes facts through
`ctx.emit(subject, predicate, object, evidence_sentence)`. It declares what it reads and writes
(`base.rule`); the meeting context is written by the meeting rule alone and read by the others.
Cue words and word lists come from `gazetteers/cues.json`, never from code.
"""
from __future__ import annotations

from .base import Ctx, Meeting, Rule, find_date, rule, yearless_date_text
from .focal_points import rule_announcements, rule_focal_points
from .labels import label_for_every_client, rule_labels
from .mechanisms import rule_mechanisms
from .meetings import rule_meeting, rule_meeting_statements, rule_other_meetings
from .network import rule_groups, rule_network_size
from .participants import rule_counts, rule_participants, rule_theme
from .persons import rule_persons
from .recommendations import rule_recommendations
from .practices import rule_practices
from .roles import rule_organization_roles
from .sessions import rule_sessions
from .situations import rule_crimes_pillars, rule_situations
from .themes import rule_sentence_themes
from .time import rule_post_descriptions

RULES: tuple[Rule, ...] = tuple(run.contract for run in (
    rule_meeting, rule_other_meetings, rule_meeting_statements, rule_counts, rule_theme, rule_participants,
    rule_persons, rule_organization_roles, rule_focal_points, rule_announcements, rule_network_size, rule_groups,
    rule_post_descriptions, rule_situations, rule_mechanisms,
    rule_crimes_pillars, rule_sessions, rule_recommendations, rule_practices, rule_sentence_themes, rule_labels,
))


def description(each: Rule) -> str:
    """What a rule reads, in a sentence or two: the first paragraph of its docstring, else of its module's
    (one module per kind of fact). The page of the rule's IRI shows it (graph/evidence.py `rule_triples`)."""
    import sys

    text = each.run.__doc__ or sys.modules[each.run.__module__].__doc__ or each.name
    return " ".join(text.strip().split("\n\n")[0].split())


def run_rules(ctx: Ctx) -> None:
    """Every rule in order, each fact named with the rule that emitted it (`Fact.rules`); the mentions rules
    find themselves join the document's. Then the labels any rule wrote are given their language and an
    rdfs:label (`label_for_every_client`), named with the rules of the label it copies."""
    for each in RULES:
        ctx.rule = (each.name,)
        each.run(ctx)
    ctx.rule = ()
    label_for_every_client(ctx)


__all__ = ["Ctx", "Meeting", "RULES", "Rule", "description", "find_date", "rule", "run_rules", "yearless_date_text"]
