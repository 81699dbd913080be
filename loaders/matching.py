"""Token-pattern matching with spaCy's `Matcher` semantics, faster for the loaders' few, selective patterns.

spaCy's `Matcher` starts a state for every pattern at every token, so its cost grows with tokens x patterns
(146 gazetteer patterns made it 3/4 of a document's time). `TokenMatcher` runs the same state machine
(`find_matches`, `transition_states`, `finish_states` of spacy/matcher/matcher.pyx, spaCy 3.8) but starts a
pattern only where its leading single tokens match (candidates come from a hash index on the first token).
Through those tokens a Matcher state can only advance or die, with no other effect, so not starting the
ones that would die changes nothing: the matches, their order and the greedy filtering are the Matcher's,
which tests/test_loaders_matching.py checks against spaCy on the corpus and on random token soups.

Supported token specs: ORTH/TEXT, LOWER and ENT_TYPE, each equal to a string, {"IN": [...]} or {"REGEX": ...};
operators none, "+", "*" and "?". Anything else raises ValueError when the pattern is added.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from spacy.attrs import ENT_TYPE, LOWER, ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.vocab import Vocab

# Quantifiers, as in spaCy: "+" is ONE followed by ZERO_PLUS.
ONE, ZERO_PLUS, ZERO_ONE = "1", "*", "?"
_OPS = {None: (ONE,), "+": (ONE, ZERO_PLUS), "*": (ZERO_PLUS,), "?": (ZERO_ONE,)}
# Feature columns read from the Doc once per call.
_ATTRS = {"ORTH": 0, "TEXT": 0, "LOWER": 1, "ENT_TYPE": 2}
_COLUMNS = [ORTH, LOWER, ENT_TYPE]

# Actions of spaCy's get_action.
REJECT, MATCH, ADVANCE, RETRY, RETRY_ADVANCE, RETRY_EXTEND, MATCH_EXTEND, MATCH_REJECT, MATCH_DOUBLE = range(9)

Check = tuple[int, str, object]  # (feature column, "eq" | "in" | "regex", value)


@dataclass(frozen=True)
class Node:
    quantifier: str
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class Pattern:
    key: int
    nodes: tuple[Node, ...]

    @property
    def fixed_prefix(self) -> tuple[tuple[int, Node], ...]:
        """The leading ONE nodes with their offsets, those without a regex first: a state only advances
        or dies there, leaving no trace if it dies."""
        n = 0
        while n < len(self.nodes) and self.nodes[n].quantifier == ONE:
            n += 1
        return tuple(sorted(enumerate(self.nodes[:n]), key=lambda kn: any(c[1] == "regex" for c in kn[1].checks)))


class TokenMatcher:
    """`matcher(doc)` -> [(key, start, end)], exactly what `spacy.matcher.Matcher` returns for the same adds."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self.patterns: list[Pattern] = []
        self._filter: dict[int, str | None] = {}
        self._index: list[dict[int, list[int]]] = [{}, {}, {}]  # per column: first-token value -> pattern numbers
        # Patterns with a second fixed token: per column, first-token value -> column -> second-token value ->
        # pattern numbers (a word that starts many names, "the", need not try each of them).
        self._index2: list[dict[int, dict[int, dict[int, list[int]]]]] = [{}, {}, {}]
        self._unindexed: list[int] = []                          # patterns without such a value
        # Patterns without such a value whose fixed prefix has one at a later offset ("of" in NAME of ORG):
        # (pattern, offset, column, values as an array); they may start only that many tokens before one.
        self._offset_indexed: list[tuple[int, int, int, np.ndarray]] = []
        self._keys: list[frozenset[int]] | None = None             # per column: the values of both indexes
        # Per pattern: its leading ONE nodes still to check where it may start (see _index_pattern), and
        # how many tokens they span.
        self._prefixes: list[tuple[int, tuple[tuple[int, Node], ...]]] = []

    def __len__(self) -> int:
        return len(self.patterns)

    def _normalize_key(self, key: str | int) -> int:
        """The key's string id (EntityRuler calls this on its matcher)."""
        return self.vocab.strings.add(key) if isinstance(key, str) else key

    def add(self, key: str, patterns: list[list[dict]], greedy: str | None = None) -> None:
        if greedy not in (None, "FIRST", "LONGEST"):
            raise ValueError(f"greedy must be FIRST or LONGEST, not {greedy!r}")
        key_id = self._normalize_key(key)
        self._filter[key_id] = greedy
        for spec in patterns:
            nodes = tuple(node for token in spec for node in self._nodes(token))
            pattern = Pattern(key_id, nodes)
            prefix = pattern.fixed_prefix
            width = 1 + max((k for k, _ in prefix), default=-1)
            known = self._index_pattern(len(self.patterns), nodes[0], nodes[1] if width >= 2 else None, prefix)
            self.patterns.append(pattern)
            self._prefixes.append((width, tuple((k, n) for k, n in prefix if k not in known)))

    def _nodes(self, token: dict) -> list[Node]:
        token = dict(token)
        op = token.pop("OP", None)
        if op not in _OPS:
            raise ValueError(f"unsupported operator {op!r}")
        checks = []
        for attr, value in token.items():
            if attr not in _ATTRS:
                raise ValueError(f"unsupported token attribute {attr!r}")
            col = _ATTRS[attr]
            if isinstance(value, str):
                checks.append((col, "eq", self.vocab.strings.add(value)))
            elif isinstance(value, dict) and list(value) == ["IN"]:
                checks.append((col, "in", frozenset(get_string_id(v) for v in value["IN"])))
            elif isinstance(value, dict) and list(value) == ["REGEX"]:
                checks.append((col, "regex", re.compile(value["REGEX"])))
            else:
                raise ValueError(f"unsupported value for {attr}: {value!r}")
        checks.sort(key=lambda c: c[1] == "regex")  # cheap comparisons first; the result is the same
        return [Node(q, tuple(checks)) for q in _OPS[op]]

    def _index_pattern(self, number: int, first: Node, second: Node | None,
                       prefix: tuple[tuple[int, Node], ...]) -> set[int]:
        """Index a pattern under the values its first token may have (and its second, when that is a fixed
        token too); without any, under the values of a later token of its fixed prefix; without any, try it
        everywhere. Returns the offsets of the nodes whose every check a token found this way passes (nothing
        left to test there).
        """
        self._keys = None
        key = _index_key(first) if first.quantifier == ONE else None
        if key is None:
            later = next(((k, found) for k, node in prefix if k and (found := _index_key(node))), None)
            if later is not None:
                (offset, (col, values)) = later
                self._offset_indexed.append((number, offset, col, np.array(sorted(values), dtype=np.uint64)))
                return set()
            self._unindexed.append(number)
            return {0} if first.quantifier == ONE else set()  # found by Features.where, which applies all its checks
        col, values = key
        second_key = _index_key(second) if second is not None else None
        for v in values:
            if second_key is None:
                self._index[col].setdefault(v, []).append(number)
            else:
                by_value = self._index2[col].setdefault(v, {}).setdefault(second_key[0], {})
                for w in second_key[1]:
                    by_value.setdefault(w, []).append(number)
        known = {0} if len(first.checks) == 1 else set()
        if second_key is not None and len(second.checks) == 1:
            known.add(1)
        return known

    # -- matching ------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        if not self.patterns:
            return []
        found = self._find(_Features(doc))
        return self._filtered(found)

    def _find(self, feats: _Features) -> list[tuple[int, int, int]]:
        """spaCy's find_matches: every (key, start, end), in the order the state machine emits them."""
        starts = self._starts(feats)
        states: list[tuple[int, int, int, int]] = []   # (pattern, node, start, length)
        emitted: list[tuple[int, int, int]] = []       # (key, start, length)
        at = sorted(starts)
        k, i = 0, 0
        while i < feats.n:
            if not states:  # nothing under way: jump to the next token where a pattern starts
                if k == len(at):
                    break
                i = at[k]
            if k < len(at) and at[k] == i:
                states.extend((p, 0, i, 0) for p in starts[i])
                k += 1
            states = self._transition(states, i, feats, emitted)
            i += 1
        self._finish(states, emitted)
        out, seen = [], set()
        for key, start, length in emitted:
            match = (key, start, start + length)
            if length > 0 and match not in seen:
                out.append(match)
                seen.add(match)
        return out

    def _starts(self, feats: _Features) -> dict[int, list[int]]:
        """Token -> the patterns (in order) that can get past their leading fixed tokens from there.

        The Matcher starts every pattern at every token; the others die within those tokens without
        emitting anything or adding states, so leaving them out changes nothing.
        """
        cands: dict[int, set[int]] = {}
        if self._keys is None:
            self._keys = [frozenset(index.keys() | index2.keys()) for index, index2 in zip(self._index, self._index2)]
        for col, (index, index2) in enumerate(zip(self._index, self._index2)):
            values = feats.cols[col]
            # The few indexed values the document has (a set intersection), then where they are.
            present = self._keys[col].intersection(values)
            if not present:
                continue
            at = np.flatnonzero(np.isin(feats.array[:, col], np.fromiter(present, dtype=np.uint64, count=len(present))))
            for i in at.tolist():
                value = values[i]
                if value in index:
                    cands.setdefault(i, set()).update(index[value])
                if value in index2 and i + 1 < feats.n:
                    for col2, by_value in index2[value].items():
                        found = by_value.get(feats.cols[col2][i + 1])
                        if found:
                            cands.setdefault(i, set()).update(found)
        for p, offset, col, values in self._offset_indexed:
            for j in np.flatnonzero(np.isin(feats.array[:, col], values)).tolist():
                if j >= offset:
                    cands.setdefault(j - offset, set()).add(p)
        for p in self._unindexed:
            first = self.patterns[p].nodes[0]
            for i in feats.where(first.checks) if first.quantifier == ONE else range(feats.n):
                cands.setdefault(i, set()).add(p)
        starts: dict[int, list[int]] = {}
        for i, ps in cands.items():
            ok = [p for p in sorted(ps) if feats.fits(*self._prefixes[p], i)]
            if ok:
                starts[i] = ok
        return starts

    def _action(self, node_at: int, nodes: tuple[Node, ...], i: int, feats: _Features) -> int:
        node = nodes[node_at]
        is_match = feats.matches(node.checks, i)
        is_final = node_at == len(nodes) - 1
        if node.quantifier == ONE:
            return (MATCH if is_final else ADVANCE) if is_match else REJECT
        if node.quantifier == ZERO_PLUS:
            if is_match:
                return MATCH_EXTEND if is_final else RETRY_EXTEND
            return MATCH_REJECT if is_final else RETRY
        if is_match:  # ZERO_ONE
            return MATCH_DOUBLE if is_final else RETRY_ADVANCE
        return MATCH_REJECT if is_final else RETRY

    def _transition(self, states, i: int, feats: _Features, emitted: list) -> list:
        kept, added = [], []
        for p, k, start, length in states:
            pattern = self.patterns[p]
            nodes = pattern.nodes
            action = self._action(k, nodes, i, feats)
            if action == REJECT:
                continue
            while action in (RETRY, RETRY_ADVANCE, RETRY_EXTEND):
                if action == RETRY_EXTEND:
                    added.append((p, k, start, length + 1))
                elif action == RETRY_ADVANCE:
                    added.append((p, k + 1, start, length + 1))
                k += 1
                action = self._action(k, nodes, i, feats)
            if action == ADVANCE:
                kept.append((p, k + 1, start, length + 1))
            elif action == MATCH:
                emitted.append((pattern.key, start, length + 1))
            elif action == MATCH_DOUBLE:
                if length > 0:
                    emitted.append((pattern.key, start, length))
                emitted.append((pattern.key, start, length + 1))
            elif action == MATCH_REJECT:
                emitted.append((pattern.key, start, length))
            elif action == MATCH_EXTEND:
                emitted.append((pattern.key, start, length))
                kept.append((p, k, start, length + 1))
        kept.extend(added)
        return kept

    def _finish(self, states, emitted: list) -> None:
        """States still open at the end of the document match if only optional tokens remain."""
        for p, k, start, length in states:
            nodes = self.patterns[p].nodes
            while nodes[k].quantifier in (ZERO_PLUS, ZERO_ONE):
                if k == len(nodes) - 1:
                    emitted.append((self.patterns[p].key, start, length))
                    break
                k += 1

    def _filtered(self, found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """Matcher.__call__: unfiltered keys as found, then each greedy key's non-overlapping choice."""
        final: list[tuple[int, int, int]] = []
        pairs_by_key: dict[int, list[tuple[int, int]]] = {}
        for key, start, end in found:
            if self._filter.get(key) is not None:
                pairs_by_key.setdefault(key, []).append((start, end))
            else:
                final.append((key, start, end))
        for key, pairs in pairs_by_key.items():
            if self._filter[key] == "FIRST":
                ordered = sorted(pairs, key=lambda x: (x[0], -x[1]))
            else:
                ordered = sorted(pairs, key=lambda x: (x[1] - x[0], -x[0]), reverse=True)
            taken: set[int] = set()
            for start, end in ordered:
                if taken.isdisjoint(range(start, end)):
                    final.append((key, start, end))
                    taken.update(range(start, end))
        return final


def _index_key(node: Node) -> tuple[int, tuple[int, ...]] | None:
    """The column and values a token must have to pass the node, when one check says so ("no entity type"
    is no key: nearly every token has it)."""
    for col, kind, value in node.checks:
        values = (value,) if kind == "eq" else tuple(value) if kind == "in" else ()
        if values and not (col == _ATTRS["ENT_TYPE"] and 0 in values):
            return col, values
    return None


class _Features:
    """A Doc's token features as ints (one array call), and token texts on demand for regexes."""

    def __init__(self, doc: Doc):
        self.n = len(doc)
        self.array = doc.to_array(_COLUMNS).reshape(self.n, len(_COLUMNS))
        self.cols = [col.tolist() for col in self.array.T]
        self._strings = doc.vocab.strings

    def matches(self, checks: tuple[Check, ...], i: int) -> bool:
        for col, kind, value in checks:
            got = self.cols[col][i]
            if kind == "eq":
                if got != value:
                    return False
            elif kind == "in":
                if got not in value:
                    return False
            elif not self._search(value, got):
                return False
        return True

    def fits(self, width: int, nodes: tuple[tuple[int, Node], ...], i: int) -> bool:
        """Whether the `width` tokens from i on are there and match these (offset, node) pairs."""
        if i + width > self.n:
            return False
        return all(self.matches(node.checks, i + k) for k, node in nodes)

    def where(self, checks: tuple[Check, ...]) -> list[int]:
        """The tokens that pass all checks: comparisons on the arrays, then each regex once per distinct string."""
        mask = np.ones(self.n, dtype=bool)
        for col, kind, value in checks:
            if kind == "eq":
                mask &= self.array[:, col] == np.uint64(value)
            elif kind == "in":
                mask &= np.isin(self.array[:, col], np.array(sorted(value), dtype=np.uint64))
        at = np.flatnonzero(mask)
        for col, kind, rx in checks:
            if kind == "regex" and len(at):
                distinct, inverse = np.unique(self.array[at, col], return_inverse=True)
                ok = np.array([self._search(rx, v) for v in distinct.tolist()], dtype=bool)
                at = at[ok[inverse]]
        return at.tolist()

    def _search(self, rx: re.Pattern, value: int) -> bool:
        """A regex on a token string, once per distinct string (string ids are hashes, the same in every Doc)."""
        hit = _SEARCHED.get((rx, value))
        if hit is None:
            if len(_SEARCHED) >= _SEARCHED_MAX:
                _SEARCHED.clear()
            hit = _SEARCHED[(rx, value)] = bool(rx.search(self._strings[value]))
        return hit


_SEARCHED: dict[tuple[re.Pattern, int], bool] = {}
_SEARCHED_MAX = 500_000
