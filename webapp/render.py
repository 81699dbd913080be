"""How graph terms read on a page: IRIs as labels linking to their pages, dates and numbers as words."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                   "positiveInteger", "unsignedInt", "unsignedLong", "negativeInteger",
                                   "nonPositiveInteger")}


@dataclass(frozen=True)
class TermView:
    kind: str                  # "iri" | "literal" | "bnode"
    text: str                  # what to show
    href: str | None = None    # where it links (local page, or the outside IRI)
    title: str = ""            # tooltip: the full IRI or the raw literal and its datatype
    external: bool = False
    lang: str = ""
    raw: str = ""              # the lexical value / IRI
    datatype: str = ""


def natural_literal(value: str, datatype: str) -> str:
    try:
        if datatype == XSD + "date":
            d = dt.date.fromisoformat(value[:10])
            return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
        if datatype == XSD + "gYearMonth":
            year, month = value[:7].split("-")
            return f"{MONTHS[int(month) - 1]} {int(year)}"
        if datatype == XSD + "gYear":
            return str(int(value[:4]))
        if datatype == XSD + "dateTime":
            t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return f"{t.day} {MONTHS[t.month - 1]} {t.year}, {t:%H:%M}"
        if datatype in INTEGER_TYPES:
            return grouped(int(value))
        if datatype in (XSD + "decimal", XSD + "double", XSD + "float"):
            number = float(value)
            return f"{number:,.0f}" if number.is_integer() and abs(number) < 1e15 else f"{number:,.4g}"
        if datatype == XSD + "boolean":
            return "yes" if value in ("true", "1") else "no"
    except (ValueError, IndexError):
        return value
    return value


def grouped(number: int) -> str:
    """Thousands separators from five digits on: a year ("2012") or an ordinal is never "2,012", and a count
    of ten thousand or more still reads "19,360" (the SI and Chicago rule for four-digit numbers)."""
    return f"{number:,}" if abs(number) >= 10000 else str(number)


def term_view(term, data, urls) -> TermView:
    """`data` is the app's GraphData (labels), `urls` the URL builder."""
    if term is None:
        return TermView("literal", "")
    if isinstance(term, ox.NamedNode):
        iri = term.value
        href = urls.link(iri)
        local = href != iri
        from .graphdata import short_iri

        text = data.label(iri) if (local or data.has_label(iri)) else short_iri(iri)
        return TermView("iri", text, href, iri, external=not local, raw=iri)
    if isinstance(term, ox.BlankNode):
        return TermView("bnode", "_:" + term.value, raw=term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if not term.language else ""
        text = natural_literal(term.value, datatype) if datatype else term.value
        title = f"{term.value} ({datatype.removeprefix(XSD) if datatype.startswith(XSD) else datatype})" \
            if datatype and datatype != XSD + "string" else ""
        return TermView("literal", text, None, title, lang=term.language or "", raw=term.value, datatype=datatype)
    return TermView("literal", str(term), raw=str(term))
