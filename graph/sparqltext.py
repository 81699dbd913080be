"""Reading a query's text the way Oxigraph's parser reads it, for the checks made before it runs.

A check on query text is only as good as its agreement with the engine about where comments,
strings and IRIs end. Oxigraph (spargebra 0.5) differs from a naive reading in ways that each
opened a bypass of the SERVICE check:

* a `#` comment ends at `\\r` as well as at `\\n`;
* a backslash escapes the next character of a prefixed name (`ex:a\\#b` holds no comment);
* a keyword needs no word boundary after it (`SERVICEex:x` is SERVICE then `ex:x`), nor before it
  after a number or literal (`1SERVICE`, `trueSERVICE`);
* `<` opens an IRI or is the less-than operator depending on where it stands, and a region that
  reads as an IRI may hold a `#` or a `'`, which in the operator reading start a comment or string.

So `mask` blanks comments, strings and IRIs as the engine's lexer would, and `service_keywords`
reads the text both ways wherever `<` is ambiguous (innermost bracket a parenthesis, after an
operand) and reports a SERVICE keyword that any reading sees. It errs on the side of seeing one:
a wrongly seen keyword costs a refused query, a missed one a request to another host.
`tests/test_sparql_text.py` checks the agreement against the engine itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# IRIREF of the SPARQL grammar, with the \u and \U escapes Oxigraph accepts inside IRIs.
_IRIREF = re.compile(r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>')
_LONG_STRING = {q: re.compile(q * 3 + rf"(?:[^{q}\\]|\\[\s\S]|{q}(?!{q}{q}))*" + q * 3) for q in "'\""}
_SHORT_STRING = {q: re.compile(q + rf"(?:[^{q}\\\n\r]|\\[\s\S])*" + q) for q in "'\""}
_COMMENT_END = re.compile(r"[\r\n]")
_SPECIAL = re.compile(r"[#'\"<\\()\[\]{}]")
_WHITESPACE = " \t\r\n"
# After one of these, `<` can only open an IRI: an operand must follow them.
_OPERAND_STARTS = set("(,=!<&|+-*/^{[;")
_OPENERS = {")": "(", "]": "[", "}": "{"}

# Name-like runs of live text: variables, prefixed names, blank-node labels, keywords, numbers.
_NAME_RUN = re.compile(r"[?$]?[\w\-.:\u00b7\u0300-\u036f\u203f\u2040%]+")
_VARNAME = re.compile(r"[\w\u00b7\u0300-\u036f\u203f\u2040]+")
_LANGTAG = re.compile(r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_SERVICE = re.compile("service", re.IGNORECASE)
_BRACKETS = re.compile(r"[()\[\]{}]")

MAX_READINGS = 64


@dataclass
class _Reading:
    """One way of reading the text: how far it got, its open brackets, the last live character."""
    pos: int
    stack: tuple[str, ...]
    prev: str
    chunks: list[str]
    depth: int = 0

    def fork(self) -> "_Reading":
        return _Reading(self.pos, self.stack, self.prev, list(self.chunks), self.depth)


def _blank(text: str) -> str:
    """Spaces for the characters of an inert region, keeping line breaks (and so offsets and lines)."""
    return re.sub(r"[^\r\n]", " ", text)


def _ambiguous(reading: _Reading) -> bool:
    """May `<` here be the less-than operator? Only inside a parenthesis, after an operand."""
    return bool(reading.stack) and reading.stack[-1] == "(" and reading.prev not in _OPERAND_STARTS \
        and reading.prev != ""


def _live(reading: _Reading, text: str) -> None:
    reading.chunks.append(text)
    stripped = text.rstrip(_WHITESPACE)
    if stripped:
        reading.prev = stripped[-1]


def _step(reading: _Reading, text: str, *, iri_only: bool = False) -> _Reading | None:
    """Advance `reading` by one token from its position; return a second reading when `<` may be
    read both ways (the first takes it as an IRI, the returned one as an operator)."""
    match = _SPECIAL.search(text, reading.pos)
    if match is None:
        _live(reading, text[reading.pos:])
        reading.pos = len(text)
        return None
    if match.start() > reading.pos:
        _live(reading, text[reading.pos:match.start()])
    at, char = match.start(), match.group()
    if char == "#":
        end = _COMMENT_END.search(text, at)
        stop = end.start() if end else len(text)
        reading.chunks.append(_blank(text[at:stop]))
        reading.pos = stop
    elif char in "'\"":
        found = (_LONG_STRING if text.startswith(char * 3, at) else _SHORT_STRING)[char].match(text, at)
        if found:          # a string: inert, and an operand
            reading.chunks.append(_blank(found.group()))
            reading.prev = char
            reading.pos = found.end()
        else:              # unterminated: the engine refuses the query whatever follows
            _live(reading, char)
            reading.pos = at + 1
    elif char == "<":
        iri = _IRIREF.match(text, at)
        if iri is None:
            _live(reading, "<")
            reading.pos = at + 1
            return None
        other = reading.fork() if (_ambiguous(reading) and not iri_only) else None
        reading.chunks.append(_blank(iri.group()))
        reading.prev = ">"
        reading.pos = iri.end()
        if other is not None:
            _live(other, "<")
            other.pos = at + 1
        return other
    elif char == "\\":     # an escaped character of a prefixed name: part of the name
        escaped = text[at + 1:at + 2]
        width = 2 if escaped and escaped not in "\r\n" else 1
        reading.chunks.append("_" * width)
        reading.prev = "_"
        reading.pos = at + width
    elif char in "([{":
        reading.stack += (char,)
        reading.depth = max(reading.depth, len(reading.stack))
        _live(reading, char)
        reading.pos = at + 1
    else:                  # a closing bracket
        if reading.stack and reading.stack[-1] == _OPENERS[char]:
            reading.stack = reading.stack[:-1]
        _live(reading, char)
        reading.pos = at + 1
    return None


def _read(text: str, *, both_ways: bool) -> list[_Reading] | None:
    """Every reading of `text` (one unless `both_ways`), or None past MAX_READINGS."""
    todo = [_Reading(0, (), "", [])]
    done: list[_Reading] = []
    while todo:
        reading = todo.pop()
        while reading.pos < len(text):
            other = _step(reading, text, iri_only=not both_ways)
            if other is not None:
                todo.append(other)
                if len(todo) + len(done) >= MAX_READINGS:
                    return None
        done.append(reading)
    return done


def mask(query: str) -> str:
    """The query with comments, strings and IRIs blanked (offsets and lines kept), as the engine's
    lexer delimits them, `<` read as an IRI wherever it can be one."""
    return "".join(_read(query, both_ways=False)[0].chunks)


@dataclass(frozen=True)
class QueryText:
    """What the checks need to know of a query's text, whichever way the engine reads it."""
    depth: int                     # the deepest nesting of ( [ { outside comments, strings and IRIs
    services: list[int] | None     # offsets of SERVICE keywords; None: too ambiguous to tell


def read_query(query: str) -> QueryText:
    """Nesting depth and SERVICE keywords over every reading of `query`'s grammar.

    With more than MAX_READINGS readings the SERVICE keywords are unknown (None) when the letters
    occur at all, and the depth is that of the raw text, brackets in strings and comments included.
    """
    readings = _read(query, both_ways=True)
    letters = "service" in query.lower()
    if readings is None:
        return QueryText(_raw_depth(query), None if letters else [])
    found: set[int] = set()
    if letters:
        for reading in readings:
            found.update(_keywords_in("".join(reading.chunks)))
    return QueryText(max(reading.depth for reading in readings), sorted(found))


def _raw_depth(text: str) -> int:
    depth = deepest = 0
    for char in _BRACKETS.findall(text):
        depth = depth + 1 if char in "([{" else max(0, depth - 1)
        deepest = max(deepest, depth)
    return deepest


def _keywords_in(live: str) -> list[int]:
    """Offsets of "service" in masked text that are not inside a variable name, the local part of
    a prefixed name, a blank-node label or a language tag (where the engine reads no keyword)."""
    live = _LANGTAG.sub(lambda m: " " * len(m.group()), live)
    found: list[int] = []
    for run in _NAME_RUN.finditer(live):
        token, start = run.group(), run.start()
        if "service" not in token.lower():
            continue
        found.extend(start + offset for offset in _keyword_offsets(token))
    return found


def _keyword_offsets(token: str) -> list[int]:
    """Where, inside one name-like run, the engine may read a SERVICE keyword."""
    names = 0
    if token[0] in "?$":                      # a variable: its VARNAME is one name
        varname = _VARNAME.match(token, 1)
        names = varname.end() if varname else 1
    elif token.startswith("_:"):              # a blank-node label, up to a dot
        names = 2 + len(token[2:].split(".")[0])
    elif ":" in token:                        # a prefixed name: keyword in its prefix, not its local part
        prefix, _, local = token.partition(":")
        names = len(prefix) + 1 + len(local.split(".")[0])
        return [m.start() for m in _SERVICE.finditer(token) if m.start() < len(prefix) or m.start() >= names]
    return [m.start() for m in _SERVICE.finditer(token) if m.start() >= names]


# --------------------------------------------------------------------------------------------
# What a syntax error means, in words
# --------------------------------------------------------------------------------------------

_POSITION = re.compile(r"error at (\d+):(\d+)")
_PNAME_BEFORE = re.compile(r"(?:^|[^\w:\-.])([A-Za-z\u00c0-\ufffd][\w\-.]*)?:[^\s]*$")
# The parser's list of what it expected: quoted tokens and keywords are worth reading, character classes not.
_CHAR_CLASS = re.compile(r"(?<!\")\[(?:[^\]\\]|\\.)*\]")
_EXPECTED_TOKEN = re.compile(r'"(?:[^"\\]|\\.)+"|\b[A-Z][A-Z_]+\b')


def undeclared_prefix(query: str, line: int, column: int) -> str | None:
    """The prefix of the prefixed name the engine stopped at (line and column as it counts them,
    from 1), or None when no prefixed name ends there."""
    lines = re.split(r"\r\n|\r|\n", query)
    if not 1 <= line <= len(lines):
        return None
    before = lines[line - 1][:max(0, column - 1)]
    match = _PNAME_BEFORE.search(before)
    return match.group(1) or "" if match else None


_PREFIX_DECL = re.compile(r"(?i)\bPREFIX\s+((?:[A-Za-z\u00c0-\ufffd][\w\-.]*)?):")
_PNAME_NS = re.compile(r"(?<![\w\-.?$:\\])((?:[A-Za-z\u00c0-\ufffd][\w\-.]*)?):")


def undeclared_prefixes(query: str, predeclared=()) -> list[tuple[str, int, int]]:
    """(prefix, line, column) of each prefixed name whose prefix neither the query nor `predeclared`
    declares, read outside comments, strings and IRIs (as `mask` reads the text)."""
    live = mask(query)
    declared = set(predeclared) | {m.group(1) for m in _PREFIX_DECL.finditer(live)}
    declarations = {m.start(1) for m in _PREFIX_DECL.finditer(live)}
    found = []
    for match in _PNAME_NS.finditer(live):
        prefix = match.group(1)
        if prefix in declared or match.start(1) in declarations or prefix.upper() == "PREFIX":
            continue
        line = live.count("\n", 0, match.start()) + 1
        column = match.start() - (live.rfind("\n", 0, match.start()) + 1) + 1
        found.append((prefix, line, column))
    return found


def syntax_problem(query: str, message: str, predeclared=()) -> str:
    """The engine's syntax error, said for a person: an undeclared prefix by its name, else the place
    and the tokens it expected (its character-class lists left out)."""
    undeclared = undeclared_prefixes(query, predeclared)
    if undeclared:
        prefix, line, column = undeclared[0]
        return (f"undeclared prefix {prefix or '(empty)'}: at line {line}, column {column}; declare it with "
                f"PREFIX {prefix}: <…> or use a full IRI")
    position = _POSITION.search(message)
    if position is None:
        return message
    line, column = int(position.group(1)), int(position.group(2))
    where = f"line {line}, column {column}"
    if "Prefix not found" in message:
        prefix = undeclared_prefix(query, line, column)
        if prefix is not None:
            return (f"undeclared prefix {prefix or '(empty)'}: at {where}; declare it with "
                    f"PREFIX {prefix}: <…> or use a full IRI")
    if "IRI parsing failed" in message:
        return f"invalid IRI at {where}"
    head, _, expected = message.partition("expected one of")
    if not expected:
        return f"syntax error at {where}: {message[position.end():].strip(': ') or 'unexpected text'}"
    expected = _CHAR_CLASS.sub(" ", expected)
    found = list(dict.fromkeys(t for t in _EXPECTED_TOKEN.findall(expected) if t != "Prefix"))
    # what may start a term is said in words; keywords and the other punctuation are listed
    term = any(t in _TERM_STARTS for t in found)
    listed = [t for t in found if t not in _TERM_STARTS and not t.startswith('"<<')]
    words = sorted(listed, key=lambda t: t.startswith('"'))
    shown = (["a variable, IRI or literal"] if term else []) + words[:10] + (["…"] if len(words) > 10 else [])
    return f"syntax error at {where}" + (f": expected {' or '.join([', '.join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)}" if shown else "")


_TERM_STARTS = {'"?"', '"$"', '"<"', '"\'"', '"\'\'\'"', '"\\""', '"\\"\\"\\""', '"_:"', '"("', '"["', '":"',
                '"true"', '"false"', '"+"', '"-"', '"!"', '"."'}


_WORD = re.compile(r"(?<![\w:?$])[A-Za-z]+(?!\w)")


def query_keywords(query: str) -> set[str]:
    """The words of a query outside its strings, IRIs, comments, variables and prefixed names,
    upper-cased: what tells whether it says FROM, GRAPH, SERVICE..."""
    return {word.upper() for word in _WORD.findall(mask(query))}
