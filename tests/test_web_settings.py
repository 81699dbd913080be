"""Every setting of the web app is documented: a help text in webapp/settings.py and a row in the README."""
from __future__ import annotations

import re

import pytest

from r2pkg.graph.resources import ROOT
from r2pkg.webapp.settings import SETTINGS

README_ROWS = set(re.findall(r"^\| `([A-Z_]+)` \|", (ROOT / "README.md").read_text(encoding="utf-8"), re.M))


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_each_setting_has_help_and_a_readme_row(setting):
    assert len(setting.help) > 20, f"{setting.name} needs a help text"
    assert setting.name in README_ROWS, f"{setting.name} is missing from the README's settings table"


def test_the_readme_documents_no_setting_that_does_not_exist():
    assert README_ROWS <= {s.name for s in SETTINGS}
