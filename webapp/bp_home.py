"""Home: the graph at a glance."""
from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Blueprint, render_template

from r2pkg.graph.vocab import R2P, sparql_prologue

from . import graph_data
from .caching import kept_html

bp = Blueprint("home", __name__)

# A corpus of news items and press releases names meetings and the network's size by the hundred: the home page
# shows the latest meetings and a sample of the growth, and links to the lists of all of them (at 1,000 summaries
# the page was 1.9 MB of HTML).
MEETINGS_SHOWN = 50
GROWTH_POINTS_SHOWN = 40

_MEETINGS = sparql_prologue() + """
SELECT ?m (MIN(?o) AS ?ordinal) (MIN(?start) AS ?startDate) (MAX(?end) AS ?endDate)
       (MAX(?count) AS ?participants) (MAX(?lb) AS ?lowerBound) (SAMPLE(?city) AS ?cityIri)
       (SAMPLE(?country) AS ?countryIri)
WHERE {
  ?m a r2p:Meeting .
  OPTIONAL { ?m r2p:ordinal ?o }
  OPTIONAL { ?m r2p:startDate ?start }
  OPTIONAL { ?m r2p:endDate ?end }
  OPTIONAL { ?m r2p:participantCount ?count }
  OPTIONAL { ?m r2p:countIsLowerBound ?lb }
  OPTIONAL { ?m r2p:heldInCity ?city }
  OPTIONAL { ?m r2p:heldInCountry ?country }
}
GROUP BY ?m ORDER BY ?ordinal ?startDate
"""
_HOSTS = sparql_prologue() + "SELECT DISTINCT ?m ?h WHERE { { ?m r2p:hostedBy ?h } UNION { ?h r2p:hosted ?m } }"
_GROWTH = sparql_prologue() + """
SELECT ?obs (SAMPLE(?d) AS ?date) (MAX(?sc) AS ?states) (MAX(?oc) AS ?orgs) WHERE {
  ?obs a r2p:NetworkSizeObservation .
  OPTIONAL { ?obs r2p:date ?d }
  OPTIONAL { ?obs r2p:stateCount ?sc }
  OPTIONAL { ?obs r2p:organizationCount ?oc }
} GROUP BY ?obs
"""
_NAMED_PARTICIPANTS = sparql_prologue() + """
SELECT ?m (COUNT(DISTINCT ?p) AS ?n) WHERE { ?m a r2p:Meeting ; r2p:hasParticipant ?p } GROUP BY ?m"""
_MEMBERS = sparql_prologue() + """
SELECT DISTINCT ?member WHERE {
  { ?member r2p:hasFocalPoint ?post } UNION { ?post r2p:focalPointOf ?member } UNION { ?member a r2p:NetworkMember }
}
"""


def network_members(data) -> list[ox.NamedNode]:
    """The members the texts name: an agent with a focal-point post, or typed r2p:NetworkMember."""
    return [r["member"] for r in data.query(_MEMBERS) if isinstance(r["member"], ox.NamedNode)]


@dataclass
class Meeting:
    iri: ox.NamedNode
    ordinal: ox.Literal | None
    start: ox.Literal | None
    end: ox.Literal | None
    city: ox.NamedNode | None
    country: ox.NamedNode | None
    participants: ox.Literal | None
    lower_bound: bool
    hosts: list[ox.NamedNode] = field(default_factory=list)
    named_note: str = ""        # "named in the texts: 18 of the more than 45 stated"


@dataclass
class GrowthPoint:
    label: str
    sort_key: str
    states: int | None
    orgs: int | None


@dataclass
class Chart:
    width: int
    height: int
    points: list[dict]
    states_path: str
    orgs_path: str
    y_ticks: list[dict]


@dataclass
class HomePage:
    available: bool
    error: str | None
    triples: int = 0
    class_counts: list[tuple[ox.NamedNode, int]] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)     # the latest MEETINGS_SHOWN, in order
    meetings_total: int = 0
    growth: list[GrowthPoint] = field(default_factory=list)   # at most GROWTH_POINTS_SHOWN, first and last kept
    growth_total: int = 0
    chart: Chart | None = None
    members: list[ox.NamedNode] = field(default_factory=list)
    map: object = None          # graphdata.MapData: member states and meeting cities
    map_json: str = ""
    members_note: str = ""      # "named in the texts: 11 of the 63 stated", when a text states the network's size
    meeting_class: str = str(R2P.Meeting)                       # the lists of all meetings and observations
    observation_class: str = str(R2P.NetworkSizeObservation)


def members_note(named: int, growth: list[GrowthPoint]) -> str:
    """How the members the texts name compare with the latest size a text states (states and organizations)."""
    from .statements import named_of_stated

    stated = [p for p in growth if p.states is not None]
    if not stated:
        return ""
    latest = stated[-1]
    total = latest.states + (latest.orgs or 0)
    return f"{named_of_stated(named, f'{total:,}', False)} ({latest.label})"


def evenly_sampled(points: list[GrowthPoint], most: int) -> list[GrowthPoint]:
    """At most `most` of the points, spread evenly from the first to the last, so that the chart still spans
    the whole history."""
    if len(points) <= most:
        return points
    if most < 2:
        return points[-most:] if most else []
    last = len(points) - 1
    return [points[round(i * last / (most - 1))] for i in range(most)]


def _int(term) -> int | None:
    try:
        return int(float(term.value)) if term is not None else None
    except ValueError:
        return None


def _label_anchor(i: int, n: int) -> str:
    """The first date label starts at its point and the last ends at it, so neither runs off the chart."""
    if n > 1 and i == 0:
        return "start"
    if n > 1 and i == n - 1:
        return "end"
    return "middle"


def build_chart(points: list[GrowthPoint]) -> Chart | None:
    pts = [p for p in points if p.states is not None or p.orgs is not None]
    if not pts:
        return None
    width, height, left, right, top, bottom = 640, 240, 48, 16, 16, 40
    top_value = max(max(p.states or 0, p.orgs or 0) for p in pts) or 1
    step = 10 if top_value <= 100 else 50
    y_max = ((top_value // step) + 1) * step
    n = len(pts)
    xs = [left + (width - left - right) * (i / (n - 1) if n > 1 else 0.5) for i in range(n)]
    y = lambda v: top + (height - top - bottom) * (1 - v / y_max)  # noqa: E731
    out, sp, op = [], [], []
    for i, (x, p) in enumerate(zip(xs, pts)):
        d = {"x": round(x, 1), "label": p.label, "states": p.states, "orgs": p.orgs, "anchor": _label_anchor(i, n)}
        if p.states is not None:
            d["ys"] = round(y(p.states), 1)
            sp.append(f"{'M' if not sp else 'L'}{x:.1f},{y(p.states):.1f}")
        if p.orgs is not None:
            d["yo"] = round(y(p.orgs), 1)
            op.append(f"{'M' if not op else 'L'}{x:.1f},{y(p.orgs):.1f}")
        out.append(d)
    ticks = [{"y": round(y(v), 1), "value": v} for v in range(0, y_max + 1, step if y_max / step <= 6 else step * 2)]
    return Chart(width, height, out, " ".join(sp), " ".join(op), ticks)


@bp.route("/")
def index():
    return kept_html(_render_home)


def _render_home() -> str:
    data = graph_data()
    snap = data.snapshot()
    if snap.store is None:
        return render_template("home/index.html", page=HomePage(False, snap.error))
    page = HomePage(True, None, triples=data.statement_count())
    page.class_counts = data.class_counts()
    hosts: dict[str, list] = {}
    for r in data.query(_HOSTS):
        hosts.setdefault(r["m"].value, []).append(r["h"])
    from .statements import named_of_stated

    named = {r["m"].value: int(r["n"].value) for r in data.query(_NAMED_PARTICIPANTS)}
    rows = data.query(_MEETINGS)
    page.meetings_total = len(rows)
    for r in rows[-MEETINGS_SHOWN:]:
        lb = r["lowerBound"]
        page.meetings.append(Meeting(r["m"], r["ordinal"], r["startDate"], r["endDate"], r["cityIri"], r["countryIri"],
                                     r["participants"], bool(lb is not None and lb.value in ("true", "1")),
                                     sorted(hosts.get(r["m"].value, []), key=lambda h: data.label(h.value))))
        meeting = page.meetings[-1]
        if meeting.participants is not None:
            meeting.named_note = named_of_stated(named.get(r["m"].value, 0), meeting.participants.value,
                                                 meeting.lower_bound)
    from .render import natural_literal

    for r in data.query(_GROWTH):
        date = r["date"]
        label = natural_literal(date.value, date.datatype.value) if date is not None else data.label(r["obs"].value)
        page.growth.append(GrowthPoint(label, date.value if date is not None else "", _int(r["states"]), _int(r["orgs"])))
    page.growth.sort(key=lambda p: p.sort_key)
    page.members = sorted(network_members(data), key=lambda m: data.label(m.value).lower())
    page.members_note = members_note(len(page.members), page.growth)     # the latest size stated, of them all
    page.growth_total = len(page.growth)
    page.growth = evenly_sampled(page.growth, GROWTH_POINTS_SHOWN)
    page.chart = build_chart(page.growth)
    return render_template("home/index.html", page=add_network_map(data, page))


def add_network_map(data, page: HomePage) -> HomePage:
    """The map of the network's member states and meeting cities (graphdata.network_map)."""
    from flask import g

    from .graphdata import network_map

    found = network_map(data)
    if found.points:
        page.map, page.map_json = found, found.to_json(g.urls, data.label)
    return page
