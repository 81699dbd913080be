"""The cue lists of facts in time, roles and parties (loaders/gazetteers/time-and-roles.json), compiled once."""
from __future__ import annotations

import re
from functools import lru_cache
from ..gazetteer import data_json
from ..wordlists import word_alternation


@lru_cache(maxsize=1)
def forms() -> dict:
    return data_json("time-and-roles.json")


@lru_cache(maxsize=16)
def words_rx(name: str) -> re.Pattern:
    """Any word of a list, in any case, on word boundaries."""
    return re.compile(word_alternation(forms()[name], ignore_case=True) + r"(?![\w-])")
