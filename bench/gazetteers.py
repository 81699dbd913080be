"""Read the project's gazetteer files (loaders/gazetteers/) for the generators: the names the loaders know.

Nothing here is copied: every list is read from the files at run time, so a generated document names
exactly the entities the installed loaders recognise.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GAZETTEERS = Path(__file__).resolve().parent.parent / "loaders" / "gazetteers"


def _rows(name: str) -> list[dict[str, str]]:
    text = (GAZETTEERS / name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


@dataclass(frozen=True)
class State:
    slug: str
    name: str
    adjective: str


@dataclass(frozen=True)
class City:
    slug: str
    name: str
    state_slug: str
    capital: bool


@dataclass(frozen=True)
class Org:
    slug: str
    name: str
    cls: str
    acronym: str


@dataclass(frozen=True)
class Names:
    states: tuple[State, ...]
    cities: tuple[City, ...]
    organizations: tuple[Org, ...]
    mechanisms: tuple[tuple[str, str, str], ...]        # slug, name, class
    honorifics: tuple[str, ...]
    ministries: tuple[tuple[str, str], ...]              # kind, phrase as written in text
    special_advisers: tuple[str, ...]                    # known names of persons (persons.csv)
    roles: tuple[tuple[str, str], ...]                   # slug, name
    ordinal_words: dict[int, str]
    months: tuple[str, ...]

    def state(self, slug: str) -> State:
        return next(s for s in self.states if s.slug == slug)

    def capital_of(self, state_slug: str) -> City | None:
        for c in self.cities:
            if c.state_slug == state_slug and c.capital:
                return c
        return None


@lru_cache(maxsize=1)
def load() -> Names:
    states = tuple(State(r["slug"], r["name"], (r.get("adjectives") or "").split("|")[0])
                   for r in _rows("states.csv"))
    cities = tuple(City(r["slug"], r["name"], r["state_slug"], r["capital"] == "yes") for r in _rows("cities.csv"))
    orgs = tuple(Org(r["slug"], r["name"], r["class"], (r.get("acronyms") or "").split("|")[0])
                 for r in _rows("organizations.csv"))
    mechanisms = tuple((r["slug"], r["name"], r["class"]) for r in _rows("mechanisms.csv") if r.get("case") != "ci")
    honorifics = tuple(line.strip() for line in (GAZETTEERS / "honorifics.txt").read_text(encoding="utf-8").splitlines()
                       if line.strip() and not line.startswith("#"))
    ministries = tuple((r["kind"], r["aliases"].split("|")[0]) for r in _rows("government-bodies.csv"))
    persons = tuple(r["name"] for r in _rows("persons.csv"))
    roles = tuple((r["slug"], r["name"]) for r in _rows("roles.csv"))
    numbers = json.loads((GAZETTEERS / "numbers.json").read_text(encoding="utf-8"))
    ordinal_words = {v: k for k, v in numbers["ordinal_units"].items()}
    ordinal_words.update({v: k for k, v in numbers["ordinal_tens"].items()})
    longest: dict[int, str] = {}
    for word, n in numbers["months"].items():
        if len(word) > len(longest.get(n, "")):
            longest[n] = word
    months = tuple(longest[n].capitalize() for n in sorted(longest))
    return Names(states, cities, orgs, mechanisms, honorifics, ministries, persons, roles, ordinal_words, months)
