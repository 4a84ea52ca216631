"""Refuse queries and updates that would make the server fetch a URL or read a file (no SSRF).

The engine (pyoxigraph) follows ``SERVICE <url>`` and ``LOAD <url>`` itself — it resolves host names and even
tries ``file:`` IRIs. So, before the engine sees a request:

- ``LOAD`` is refused outright (data come in through the Graph Store Protocol instead);
- ``SERVICE`` is refused unless its endpoint is a constant IRI on the allow-list
  (``Settings.service_allow_list``); ``SERVICE ?var`` is always refused.

The check runs on *tokens*, not on raw text: comments, string literals and IRIs are recognised as such, so a
keyword inside a string or a comment does not trigger it and ``service`` in lower case or split by a comment
does not escape it. Codepoint escapes (``\\u0053ERVICE``) are decoded first, as SPARQL 1.1 §19.2 says a parser
may; that can only add refusals. A full parse (rdflib's SPARQL grammar) is about a hundred times slower
(0.4 ms against 53 ms; docs/operations.md) and is not needed to find these two keywords.

>>> check("SELECT * WHERE { ?s ?p 'SERVICE <http://evil>' } # LOAD <file:///etc/passwd>", allow=())
>>> check("select * { service <http://evil/> { ?s ?p ?o } }", allow=())
Traceback (most recent call last):
...
helsegraf.sparql.guards.GuardError: SERVICE <http://evil/> is not on this server's allow-list of federated endpoints
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

from ..errors import Forbidden


class GuardError(Forbidden):
    """The request asks for something the server refuses to do (HTTP 403)."""


@dataclass(frozen=True)
class Token:
    """One lexical unit: ``kind`` is iri, pname, var, string, word or punct."""

    kind: str
    text: str


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7-\uFFFF]*)?:(?:[\w\-\u00B7-\uFFFF:%\\]|\.(?=[\w\-:%]))*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def decode_escapes(text: str) -> str:
    r"""Replace ``\uXXXX`` and ``\UXXXXXXXX`` codepoint escapes by their characters.

    >>> decode_escapes(r"SERV\u0049CE")
    'SERVICE'
    """

    def one(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(one, text)


def tokens(text: str) -> Iterator[Token]:
    """Split SPARQL text into tokens, dropping white space and comments.

    >>> [t.text for t in tokens("ASK { ?s a <x> } # done")]
    ['ASK', '{', '?s', 'a', '<x>', '}']
    """
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("ws", "comment"):
            continue
        yield Token(kind or "punct", match.group(0))


def check(text: str, allow: Iterable[str] = ()) -> None:
    """Refuse ``text`` (a query or an update) if it would fetch a URL or a file.

    :param allow: SERVICE endpoints that may be called (exact IRIs).
    :raises GuardError: naming what was refused.
    """
    allowed = set(allow)
    toks = list(tokens(decode_escapes(text)))
    prefixes: dict[str, str] = {}
    base = ""
    for i, tok in enumerate(toks):
        word = tok.text.upper() if tok.kind in ("word", "pname") else ""
        declared = _declaration(toks, i, word, prefixes, base)
        if declared is not None:
            base = declared
        elif word == "LOAD":
            raise GuardError(
                "LOAD is refused: this server does not fetch data from URLs or files; "
                "send the data with the Graph Store Protocol (PUT/POST /data) instead"
            )
        elif word == "SERVICE":
            j = i + 1
            if j < len(toks) and toks[j].text.upper() == "SILENT":
                j += 1
            target = toks[j] if j < len(toks) else None
            endpoint = _resolve(target, prefixes, base)
            if endpoint is None:
                raise GuardError(
                    "SERVICE with a variable or an unreadable endpoint is refused; name an endpoint on the allow-list"
                )
            if endpoint not in allowed:
                raise GuardError(f"SERVICE <{endpoint}> is not on this server's allow-list of federated endpoints")


def _declaration(toks: list[Token], i: int, word: str, prefixes: dict[str, str], base: str) -> str | None:
    """When ``toks[i]`` (upper-cased ``word``) starts a BASE or PREFIX declaration, record a prefix in
    ``prefixes`` and return the base IRI after the declaration; else ``None``."""
    following = toks[i + 1] if i + 1 < len(toks) else None
    if following is None:
        return None
    if word == "BASE" and following.kind == "iri":
        return urljoin(base, following.text[1:-1])
    if word == "PREFIX" and following.kind == "pname" and i + 2 < len(toks) and toks[i + 2].kind == "iri":
        prefixes[following.text.split(":")[0]] = urljoin(base, toks[i + 2].text[1:-1])
        return base
    return None


def _resolve(token: Token | None, prefixes: dict[str, str], base: str) -> str | None:
    if token is None:
        return None
    if token.kind == "iri":
        return urljoin(base, token.text[1:-1])
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return None


#: Keywords after which an update names a graph it may change.
_GRAPH_KEYWORDS = {"GRAPH", "WITH", "INTO", "TO", "DROP", "CLEAR", "CREATE", "ADD", "MOVE", "COPY"}


def touched_graphs(text: str, base_iri: str = "") -> set[str | None] | None:
    """The graphs an update may change: IRIs named after GRAPH/WITH/INTO/…, plus ``None`` when it may write to
    the default graph (:func:`writes_default_graph`).

    Returns ``None`` (any graph) when a graph is named by a variable or by ``ALL``/``NAMED``. An over-estimate
    is harmless: it only makes a trial look at more graphs, the union upkeep and the entailments do more work.

    >>> touched_graphs("INSERT DATA { GRAPH <http://g> { <a:s> <a:p> 1 } }")
    {'http://g'}
    >>> sorted(touched_graphs("INSERT DATA { <a:s> <a:p> 1 }"), key=str)
    [None]
    >>> touched_graphs("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }") is None
    True
    """
    toks = list(tokens(decode_escapes(text)))
    prefixes: dict[str, str] = {}
    base = base_iri  # the request's base IRI; a BASE in the text resolves against it
    found: set[str | None] = {None} if writes_default_graph(text) else set()
    for i, tok in enumerate(toks):
        word = tok.text.upper() if tok.kind == "word" else ""
        following = toks[i + 1] if i + 1 < len(toks) else None
        declared = _declaration(toks, i, word, prefixes, base)
        if declared is not None:
            base = declared
        elif word in _GRAPH_KEYWORDS and following is not None:
            target = following
            if target.text.upper() == "SILENT" and i + 2 < len(toks):
                target = toks[i + 2]
            if target.text.upper() == "GRAPH" and word != "GRAPH":
                continue  # "DROP GRAPH <g>": the GRAPH keyword is read next
            if target.kind == "var" or target.text.upper() in {"ALL", "NAMED"}:
                return None
            iri = _resolve(target, prefixes, base)
            if iri is not None:
                found.add(iri)
    return found


def writes_default_graph(update: str) -> bool:
    """Whether ``update`` may write to (or delete from) the default graph; errs on the side of yes.

    Read on tokens: a graph-management operation naming DEFAULT or ALL, a LOAD, or a triple outside ``GRAPH``
    in an INSERT/DELETE template (outside a ``WITH <g>`` operation) writes to it.

    >>> writes_default_graph("INSERT DATA { GRAPH <http://g> { <a:s> <a:p> 1 } }")
    False
    >>> writes_default_graph("DELETE { ?s ?p ?o } WHERE { GRAPH <http://g> { ?s ?p ?o } }")
    True
    >>> writes_default_graph("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")
    False
    >>> writes_default_graph("DROP GRAPH <http://g> ; CLEAR DEFAULT")
    True
    """
    toks = [t for t in tokens(decode_escapes(update))]
    i, with_graph = 0, False

    def skip_block(start: int) -> int:
        """Index after the balanced ``{ … }`` that starts at ``start``."""
        depth = 0
        for j in range(start, len(toks)):
            if toks[j].text == "{":
                depth += 1
            elif toks[j].text == "}":
                depth -= 1
                if depth == 0:
                    return j + 1
        return len(toks)

    def template_has_default(start: int) -> tuple[bool, int]:
        """Whether the template ``{ … }`` at ``start`` holds a triple outside GRAPH; and the index after it."""
        j, found = start + 1, False
        while j < len(toks) and toks[j].text != "}":
            if (
                toks[j].kind == "word"
                and toks[j].text.upper() == "GRAPH"
                and j + 2 < len(toks)
                and toks[j + 2].text == "{"
            ):
                j = skip_block(j + 2)
            else:
                found, j = True, j + 1
        return found, j + 1

    while i < len(toks):
        tok = toks[i]
        word = tok.text.upper() if tok.kind == "word" else ""
        if tok.text == ";":
            with_graph = False
        elif word == "WITH":
            with_graph = True
        elif word in {"DEFAULT", "ALL", "LOAD"}:
            return True
        elif word in {"INSERT", "DELETE"} and i + 1 < len(toks):
            following = toks[i + 1].text.upper()
            start = i + 2 if following in {"DATA", "WHERE"} else i + 1
            if start < len(toks) and toks[start].text == "{":
                found, i = template_has_default(start)
                if found and (following in {"DATA", "WHERE"} or not with_graph):
                    return True
                continue
        elif tok.text == "{":  # a WHERE pattern: what it reads is not written
            i = skip_block(i)
            continue
        i += 1
    return False
