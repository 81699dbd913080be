"""How triples become statements (webapp/statements.py): a fact restated by a super-property or an inverse is
one statement under its most specific name, sourced by all its forms, inferred only when none is asserted."""
from __future__ import annotations

import pyoxigraph as ox

from r2pkg.webapp.statements import PropertyHierarchy, Raw, fold, named_of_stated

EX = "https://example.org/vocab#"


def hierarchy() -> PropertyHierarchy:
    """organisedBy ⊑ involves; guestOf is the inverse of hosts; involvedIn the inverse of involves."""
    h = PropertyHierarchy()
    h.supers = {EX + "organisedBy": {EX + "involves"}}
    h.inverses = {EX + "guestOf": {EX + "hosts"}, EX + "hosts": {EX + "guestOf"},
                  EX + "involvedIn": {EX + "involves"}, EX + "involves": {EX + "involvedIn"}}
    return h


def prefer(form):
    return (form[0] != "out", form[1])


def test_a_super_property_and_an_inverse_fold_into_the_most_specific_statement():
    club = ox.NamedNode("https://example.org/id/club")
    raws = [Raw(("out", EX + "organisedBy"), club, "text"),
            Raw(("out", EX + "involves"), club, "inferred"),
            Raw(("in", EX + "involvedIn"), club, "inferred")]
    folded = fold(raws, hierarchy(), prefer)
    assert list(folded) == [(("out", EX + "organisedBy"), str(club))]
    assert len(folded[(("out", EX + "organisedBy"), str(club))]) == 3


def test_an_inverse_pair_is_one_statement_seen_from_the_page():
    town = ox.NamedNode("https://example.org/id/town")
    folded = fold([Raw(("in", EX + "hosts"), town, "inferred"), Raw(("out", EX + "guestOf"), town, "text")],
                  hierarchy(), prefer)
    assert list(folded) == [(("out", EX + "guestOf"), str(town))]


def test_different_values_and_unrelated_properties_stay_apart():
    a, b = ox.NamedNode("https://example.org/id/a"), ox.NamedNode("https://example.org/id/b")
    folded = fold([Raw(("out", EX + "organisedBy"), a, "text"), Raw(("out", EX + "involves"), b, "text"),
                   Raw(("out", EX + "mentions"), a, "text")], hierarchy(), prefer)
    assert set(folded) == {(("out", EX + "organisedBy"), str(a)), (("out", EX + "involves"), str(b)),
                           (("out", EX + "mentions"), str(a))}


def test_partial_counts_read_as_named_of_stated():
    assert named_of_stated(18, "45", True) == "named in the texts: 18 of the more than 45 stated"
    assert named_of_stated(12, "63", False) == "named in the texts: 12 of the 63 stated"
