"""A synthetic corpus of meeting summaries in the genre of the bundled ones, for benchmarks.

    python -m bench.corpus 100 /tmp/corpus-100 [--seed 0]

writes 100 summaries and a manifest.json. The same (n, seed) always gives the same bytes. Each
summary has what the real ones have: a banner and an address block left over from the PDF, page
numbers and a word broken at a line end; a title with the ordinal, city, state and date; co-hosts
("The governments of A and B, in association with C, co-hosted ..."), "more than N countries",
"N national and M regional R2P Focal Points", a UN Special Adviser named with an honorific, speakers
with honorifics, a focal-point paragraph per state with a position in a ministry and often a
person, situations discussed, announcements of appointments and numbered recommendations naming
mechanisms. States, cities, organizations, mechanisms, ministries and honorifics are read from
loaders/gazetteers/ (see bench/gazetteers.py); persons are invented, apart from the known Special
Advisers of persons.csv.
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from .gazetteers import Names, load

BANNER = "GLOBAL CENTRE FOR THE RESPONSIBILITY TO PROTECT"
ADDRESS = ("Ralph Bunche Institute for International Studies CUNY Graduate Center 365 5th Ave., Suite 5203 "
           "New York, NY 10016 USA info@globalr2p.org T: + 1 212-817-2104 F: + 1 212-817-1565\n\nwww.globalr2p.org")
PUBLISHER = "Global Centre for the Responsibility to Protect"

# Invented names: given names and surname syllables (not from any gazetteer), so that the
# loaders meet persons they were not written for.
GIVEN = ("Amara", "Bruno", "Camila", "Dariusz", "Elena", "Farid", "Greta", "Hiroshi", "Ines", "Jonas", "Kofi",
         "Leila", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Samuel", "Tamar", "Umar", "Vera",
         "Wanjiru", "Xavier", "Yara", "Zoran", "Aino", "Beatriz", "Cyril", "Dalia", "Emeka", "Freya", "Goran",
         "Hana", "Ivo", "Julia", "Kwame", "Lucia", "Marek", "Noor")
SYLLABLES = ("ba", "den", "kor", "mal", "ves", "tan", "ri", "sol", "lin", "gar", "no", "bel", "ham", "ski",
             "var", "o", "ek", "man", "dra", "sen", "lu", "ko", "vic", "ber", "ta", "mi", "ros", "ha")
POSITIONS = ("Director of the Department of Human Rights", "Deputy Director-General for Multilateral Affairs",
             "Head of the Division for Conflict Prevention", "Legal Adviser", "Director for International Law",
             "Ambassador for Human Rights", "Head of the United Nations Department",
             "Deputy Head of the Office for Peace and Security", "Director of Political Affairs")
PERSON_HONORIFICS = ("Mr.", "Ms.", "Mrs.", "Dr.", "Ambassador", "H.E. Mr.", "H.E. Ms.", "Prof.")
SESSION_TITLES = ("THE ROLE OF NATIONAL R2P FOCAL POINTS", "PREVENTION IN PRACTICE: NATIONAL EXPERIENCES",
                  "EARLY WARNING AND EARLY ACTION", "ACCOUNTABILITY AND ATROCITY PREVENTION",
                  "REGIONAL ORGANIZATIONS AND R2P", "WOMEN, PEACE AND SECURITY AND R2P")
FILLER = (
    "Participants agreed that the role of a national R2P Focal Point should be tailored to the context of each "
    "individual country.",
    "In some instances governments have created new positions, while in others existing offices have been "
    "expanded to include R2P within their current portfolios.",
    "Several participants stressed that a national R2P Focal Point must be able to convene different government "
    "agencies and departments and to mobilize the political leadership when atrocity risks emerge.",
    "Participants also discussed the value of inter-ministerial working groups, which have brought together "
    "officials from foreign affairs, defence, justice and development cooperation.",
    "The discussion highlighted the importance of mapping the departments relevant to atrocity prevention and of "
    "sharing the results of such exercises across the Global Network.",
    "Many participants noted that prevention is more effective and less costly than belated reaction, and that "
    "structural prevention requires sustained commitment over many years.",
    "Participants underlined that civil society, women and youth are essential partners in identifying risks "
    "early and in building resilient societies.",
    "It was noted that training for the security sector and raising awareness within government remain among the "
    "most practical contributions an R2P Focal Point can make.",
)
SITUATION_SENTENCES = (
    "In the case of {s}, participants noted the risk of further atrocities against civilians and the need for a "
    "coordinated response.",
    "Participants discussed the situation in {s} and the obligation of the international community to protect "
    "populations at risk.",
    "With regard to {s}, several R2P Focal Points called for accountability for crimes against humanity and war "
    "crimes.",
)
RECOMMENDATIONS = (
    "States should support the {m} and share their analyses with R2P Focal Points.",
    "All states should make use of the {m} to assess national capacities for the prevention of mass atrocities.",
    "R2P Focal Points should promote the {m} within their governments and regional organizations.",
    "States should strengthen their cooperation with the {o} in ensuring accountability for genocide, war crimes, "
    "ethnic cleansing and crimes against humanity.",
    "Each state should appoint a senior official as its R2P Focal Point, with a mandate to coordinate atrocity "
    "prevention across all relevant ministries.",
)


def ordinal_word(n: int, names: Names) -> str:
    """'ninth', 'twenty-third', else '123rd'."""
    if n in names.ordinal_words:
        return names.ordinal_words[n]
    tens, unit = divmod(n, 10)
    tens_word = {2: "twenty", 3: "thirty", 4: "forty"}.get(tens)
    if tens_word and unit:
        return f"{tens_word}-{names.ordinal_words[unit]}"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _person(rng: random.Random) -> str:
    surname = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{rng.choice(GIVEN)} {surname}"


def _list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def summary(ordinal: int, rng: random.Random, names: Names) -> tuple[str, dict]:
    """One summary's text and its manifest entry."""
    year = 2010 + ordinal
    month_no = rng.randint(1, 12)
    month = names.months[month_no - 1]
    day = rng.randint(1, 26)
    states = [s for s in names.states if names.capital_of(s.slug)]
    host, cohost = rng.sample(states, 2)
    city = names.capital_of(host.slug)
    regional = [o for o in names.organizations if o.cls == "RegionalOrganization"]
    ngos = [o for o in names.organizations if o.cls == "NonGovernmentalOrganization"]
    partner = rng.choice(ngos)
    ro1, ro2 = rng.sample(regional, 2)
    count = rng.randint(25, 120)
    national, regional_n = rng.randint(20, 90), rng.randint(1, 4)
    word = ordinal_word(ordinal, names)
    title = f"{word.capitalize()} Annual Meeting of the Global Network of R2P Focal Points, {city.name}, {host.name}, {month} {year}"
    adviser = rng.choice(names.special_advisers[:6]) if rng.random() < 0.5 else _person(rng)
    minister = _person(rng)
    announcing = rng.sample(states, 2)
    situations = rng.sample([s for s in names.states if s not in (host, cohost)], rng.randint(2, 4))
    experiences = rng.sample(states, rng.randint(4, 12))
    mechanisms = rng.sample(names.mechanisms, 5)
    acr = f" ({ro2.acronym})" if ro2.acronym else ""
    more = "more than " if rng.random() < 0.5 else ""

    parts = [f"**{BANNER}**" if rng.random() < 0.5 else BANNER, "", title, "", "INTRODUCTION", ""]
    parts.append(
        f"The governments of {host.name} and {cohost.name}, in association with the {partner.name}, co-hosted the "
        f"{word} annual meeting of the Global Network of R2P Focal Points in {city.name}, {host.name}, from {day} to "
        f"{day + 1} {month} {year}. The meeting brought together representatives of {more}{count} countries from all "
        f"regions of the globe, as well as officials of the {ro1.name} and the {ro2.name}{acr}.")
    parts.append("")
    parts.append(
        f"Since the launch of the R2P Focal Points initiative in 2010 the Global Network has expanded to include "
        f"{national} national and {regional_n} regional R2P Focal Points. The meeting was opened by the Minister of "
        f"Foreign Affairs of {host.name}, {rng.choice(PERSON_HONORIFICS)} {minister}, who welcomed the growth of the "
        f"network.")
    parts.append("")
    parts.append(
        f"During the opening session participants were joined by the UN Special Adviser on the Responsibility to "
        f"Protect, {rng.choice(('Dr.', 'Mr.', 'Ms.'))} {adviser}, who briefed the network on the work of the joint "
        f"office and on the importance of early warning. A particular highlight of the meeting was the announcements "
        f"by {announcing[0].name} and {announcing[1].name} of their intention to appoint R2P Focal Points.")
    sessions = rng.sample(SESSION_TITLES, rng.randint(2, 4))
    parts += ["", sessions[0], ""]
    parts.append(" ".join(rng.sample(FILLER, 4)))
    parts += ["", ADDRESS, "", str(rng.randint(2, 9)), ""]
    parts.append("with the development agency and the Ministry of Defence. Participants also discussed the value of "
                 "inter-ministerial working groups to review policies through an R2P lens, including develop- ment "
                 "cooperation.")
    for session in sessions[1:]:
        parts += ["", session, ""]
        for _ in range(rng.randint(2, 3)):
            parts.append(" ".join(rng.sample(FILLER, rng.randint(3, 5))))
            parts.append("")
    parts += ["", "NATIONAL EXPERIENCES", ""]
    for state in experiences:
        kind, ministry = rng.choice(names.ministries[:3])
        position = rng.choice(POSITIONS)
        parts += [state.name, ""]
        para = f"The R2P Focal Point is the {position} at the {ministry} of {state.name}."
        if rng.random() < 0.6:
            person = _person(rng)
            para += (f" {rng.choice(PERSON_HONORIFICS)} {person}, who holds the post, described how the office had "
                     f"mapped the departments relevant to atrocity prevention.")
        para += " " + " ".join(rng.sample(FILLER, 2))
        parts += [para, ""]
    parts += ["SITUATIONS OF CONCERN", ""]
    names_of = [s.name for s in situations]
    parts.append(f"Participants discussed the situations in {_list(names_of)}. "
                 + " ".join(rng.choice(SITUATION_SENTENCES).format(s=s) for s in names_of))
    parts += ["", "RECOMMENDATIONS", ""]
    parts.append(f"The {word} annual meeting of the Global Network of R2P Focal Points concluded with the following "
                 f"recommendations for states to consider:")
    parts.append("")
    icc = next((o for o in names.organizations if o.slug == "international-criminal-court"), ro1)
    for i, (slug, mech_name, _cls) in enumerate(mechanisms, 1):
        template = RECOMMENDATIONS[(i - 1) % len(RECOMMENDATIONS)]
        parts.append(f"{i}. " + template.format(m=mech_name, o=icc.name))
    parts += ["", f"It was agreed that the {ordinal_word(ordinal + 1, names)} annual meeting of the Global Network "
                  f"of R2P Focal Points should be held in {year + 1}.", ""]
    entry = {"city_slug": city.slug, "title": title, "meeting": ordinal, "year": year, "publisher": PUBLISHER, "language": "en",
             "format": "text/plain"}
    return "\n".join(parts), entry


def generate(n: int, out_dir: Path | str, *, seed: int = 0) -> list[Path]:
    """Write n summaries and manifest.json into out_dir; returns the summaries' paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = load()
    rng = random.Random(seed)
    paths, documents = [], []
    for i in range(1, n + 1):
        text, entry = summary(i, rng, names)
        path = out / f"{entry['year']}-meeting-{i:05d}-{entry.pop('city_slug')}.txt"
        path.write_text(text, encoding="utf-8")
        entry = {"file": path.name, **entry}
        documents.append(entry)
        paths.append(path)
    manifest = {"description": f"Synthetic summaries for benchmarks: bench.corpus n={n} seed={seed}.",
                "documents": documents}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    paths = generate(args.n, args.out_dir, seed=args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} summaries, {size / 1e6:.2f} MB in {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
