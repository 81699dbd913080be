"""IRI slugs are ASCII transliterations of names: no letter is ever dropped (issue 11)."""
import pytest

from r2pkg.graph.iris import slugify

CASES = [
    ("Côte d'Ivoire", "cote-d-ivoire"),          # accents come off
    ("Ingrid Søberg", "ingrid-soberg"),           # ø -> o
    ("Karl Weißmann", "karl-weissmann"),          # ß -> ss
    ("Ægir Ørnsholt", "aegir-ornsholt"),          # æ -> ae, capitals too
    ("Đura Petrović", "dura-petrovic"),           # đ -> d
    ("Paweł Wróblewski", "pawel-wroblewski"),     # ł -> l
    ("Þóra Guðmundsdóttir", "thora-gudmundsdottir"),  # þ -> th, ð -> d
    ("Mehmet Yıldız", "mehmet-yildiz"),           # dotless i
    ("Nguyễn Thị Lan", "nguyen-thi-lan"),         # stacked diacritics
    ("2017-7th-annual-meeting-doha", "2017-7th-annual-meeting-doha"),  # existing slugs are fixed points
]


@pytest.mark.parametrize(("name", "slug"), CASES)
def test_slug_transliterates(name: str, slug: str) -> None:
    assert slugify(name) == slug


@pytest.mark.parametrize(("name", "_slug"), CASES)
def test_slug_keeps_every_letter(name: str, _slug: str) -> None:
    """Each letter of the name yields at least one letter of the slug."""
    letters = sum(ch.isalpha() for ch in name)
    assert sum(ch.isalpha() for ch in slugify(name)) >= letters
