"""What differs between the SPARQL engines behind a remote store: one class per engine, one method per quirk.

:mod:`helsegraf.store.remote` speaks the standard protocols and asks its dialect wherever an engine needs
something else; each method says why. A new engine is one class here (and its name in :data:`DIALECTS`).
"""

from __future__ import annotations

import io
import re
from typing import IO
from urllib.parse import urlsplit, urlunsplit

#: A graph nobody writes to, named where an engine would read "no graph" as "all graphs".
EMPTY_GRAPH = "urn:helsegraf:empty-graph"


def _replace_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class Dialect:
    """A standards-true engine: every method answers "do the standard thing"."""

    name = "generic"
    #: How the union default graph is obtained: ``"param"`` (a union-default-graph request parameter),
    #: ``"engine"`` (the engine is configured so), ``"dataset"`` (every graph named in the request),
    #: ``"exclude"`` (the engine's own graphs excluded by pragmas).
    union = "engine"
    #: Name of the Graph Store Protocol's graph parameter.
    gsp_graph_param = "graph"
    #: The authentication scheme for writes when none is configured.
    auth_scheme = "basic"

    def update_url(self, url: str, has_credentials: bool) -> str:
        """Where updates go when no URL is configured: the query URL (one endpoint for both)."""
        return url

    def gsp_url(self, url: str, has_credentials: bool) -> str | None:
        """The Graph Store Protocol endpoint when none is configured: unknown for a generic engine."""
        return None

    def speaks(self, kind: str, fmt: str) -> bool:
        """Whether to ask the engine for ``fmt`` directly (else for the fallback format, then convert)."""
        return True

    def passes_through(self, kind: str, fmt: str) -> bool:
        """Whether the engine's bytes in ``fmt`` can be sent on unchanged (else they are re-serialised)."""
        return True

    def repair(self, body: IO[bytes]) -> IO[bytes]:
        """The result body with the engine's lexical quirks repaired (as a stream)."""
        return body

    def writes_booleans_itself(self) -> bool:
        """Whether helsegraf writes an ASK result itself instead of passing the engine's on."""
        return False

    def asks_as_select(self) -> bool:
        """Whether an ASK is sent as ``SELECT * … LIMIT 1`` because the engine's ASK is wrong."""
        return False

    def update_request(self, sparql: str) -> dict:
        """Keyword arguments of the HTTP request that carries an update."""
        return {"data": sparql.encode("utf-8"), "headers": {"Content-Type": "application/sparql-update; charset=utf-8"}}

    def empty_default_graph(self) -> dict:
        """Protocol parameters that make the request's default graph the engine's own (none needed here)."""
        return {}

    def named_only_dataset(self, params: dict) -> dict:
        """The parameters of a request that names only named graphs (its default graph must be empty)."""
        return params

    def is_system_graph(self, iri: str) -> bool:
        """Whether ``iri`` is one of the engine's own graphs, not part of helsegraf's dataset."""
        return False


class Oxigraph(Dialect):
    name = "oxigraph"
    # Oxigraph server takes a union-default-graph parameter on a query.
    union = "param"

    def update_url(self, url, has_credentials):
        return _replace_path(url, "/update")

    def gsp_url(self, url, has_credentials):
        return _replace_path(url, "/store")


class Fuseki(Dialect):
    name = "fuseki"

    @staticmethod
    def _base(url: str) -> str:
        return url.rsplit("/", 1)[0] if url.rstrip("/").rsplit("/", 1)[-1] in {"query", "sparql"} else url

    def update_url(self, url, has_credentials):
        return self._base(url) + "/update"

    def gsp_url(self, url, has_credentials):
        return self._base(url) + "/data"


#: Graphs a fresh Virtuoso holds for itself; they are not part of helsegraf's dataset.
VIRTUOSO_SYSTEM_GRAPH_PREFIXES = (
    "http://www.openlinksw.com/",
    "http://localhost:8890/",
    "http://localuriqaserver/",
    "http://www.w3.org/ns/ldp",
    "urn:activitystreams-owl:map",
    "http://www.w3.org/2002/07/owl",
    "virtrdf-label",
)
#: Virtuoso's own system graphs named exactly (the exclusion DEFINEs take IRIs, not prefixes).
VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "urn:activitystreams-owl:map",
    "http://www.w3.org/2002/07/owl#",
    "virtrdf-label",
    "http://localhost:8890/sparql",
    "http://localhost:8890/DAV/",
    "http://localuriqaserver/sparql",
)


class Virtuoso(Dialect):
    name = "virtuoso"
    # Virtuoso queries all graphs by default, its own system graphs too; its "input:*-graph-exclude" pragmas
    # give wrong answers (7.2.5: GRAPH <g> patterns lose solutions), so the graphs are named in the request.
    union = "dataset"
    # Its older Graph Store endpoint calls the parameter graph-uri.
    gsp_graph_param = "graph-uri"
    # Its authenticated endpoints take digest authentication.
    auth_scheme = "digest"

    def update_url(self, url, has_credentials):
        # The anonymous /sparql runs as the SPARQL user, which may not write; /sparql-auth takes digest
        # authentication of a user with the SPARQL_UPDATE role (dba has it).
        return _replace_path(url, "/sparql" + ("-auth" if has_credentials else ""))

    def gsp_url(self, url, has_credentials):
        return _replace_path(url, "/sparql-graph-crud" + ("-auth" if has_credentials else ""))

    def speaks(self, kind, fmt):
        # Virtuoso 7's JSON uses the pre-1.1 "typed-literal", its CSV/TSV differ from the SPARQL 1.1 result
        # formats, and it has no JSON-LD: its XML results and N-Triples/Turtle/RDF/XML are used instead.
        return fmt in {"xml", "turtle", "ntriples", "rdfxml"}

    def passes_through(self, kind, fmt):
        # Its result sets name blank nodes nodeID://…, which the conversion repairs (see repair).
        return kind == "graph"

    def repair(self, body):
        # "nodeID://b123" in a result set is not a blank node label.
        return Replacing(body, b"<bnode>nodeID://", b"<bnode>")

    def writes_booleans_itself(self):
        # Its ASK answers are computed as SELECT (see asks_as_select), so helsegraf writes the boolean.
        return True

    def asks_as_select(self):
        # Virtuoso 7.2 answers ASK { GRAPH <g> {…} } with true for a graph outside the request's dataset; its
        # SELECT is right.
        return True

    def update_request(self, sparql):
        # Virtuoso refuses blank nodes in INSERT DATA; and its update endpoint reads the form encoding reliably,
        # the body type less so.
        return {"data": {"update": insert_data_as_template(sparql)}}

    def empty_default_graph(self):
        # Without default-graph-uri, Virtuoso's default graph is every graph; an unused IRI makes it empty.
        return {"default-graph-uri": [EMPTY_GRAPH]}

    def named_only_dataset(self, params):
        # Virtuoso reads "no default-graph-uri" as "all graphs"; an unused IRI makes it empty.
        return {**params, "default-graph-uri": [EMPTY_GRAPH]}

    def is_system_graph(self, iri):
        return iri.startswith(VIRTUOSO_SYSTEM_GRAPH_PREFIXES)


#: The dialects by engine name (``Settings.store_engine``; ``auto`` detects it from the Server header).
DIALECTS: dict[str, Dialect] = {d.name: d for d in (Dialect(), Oxigraph(), Fuseki(), Virtuoso())}


def dialect(name: str) -> Dialect:
    """The dialect of an engine name (``generic`` for an unknown one)."""
    return DIALECTS.get(name, DIALECTS["generic"])


def ask_as_select(sparql: str) -> str:
    """Turn ``ASK …`` into ``SELECT * … LIMIT 1`` (the first ASK keyword outside IRIs, strings and comments).

    >>> ask_as_select("PREFIX a: <http://ask/> ASK { ?s a:p ?o }")
    'PREFIX a: <http://ask/> SELECT * { ?s a:p ?o } LIMIT 1'
    """
    for match in re.finditer(r"<[^>]*>|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|#[^\n]*|\bASK\b", sparql, re.IGNORECASE):
        if match.group(0).upper() == "ASK":
            return sparql[: match.start()] + "SELECT *" + sparql[match.end() :].rstrip() + " LIMIT 1"
    return sparql


_UPDATE_TOKENS = re.compile(
    r"<[^>\s]*>|\"\"\".*?\"\"\"|'''.*?'''|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|#[^\n]*|\bINSERT\s+DATA\b|[{}]",
    re.IGNORECASE | re.DOTALL,
)


def insert_data_as_template(sparql: str) -> str:
    """Turn every ``INSERT DATA { … }`` into ``INSERT { … } WHERE {}``: Virtuoso refuses blank nodes in
    INSERT DATA ("not allowed in a constant clause") but takes them in a template, with the same meaning.

    >>> insert_data_as_template('INSERT DATA { <a:b> <a:c> [ <a:d> "}" ] }')
    'INSERT { <a:b> <a:c> [ <a:d> "}" ] } WHERE {}'
    """
    out, last, depth, open_insert = [], 0, 0, False
    for match in _UPDATE_TOKENS.finditer(sparql):
        text = match.group(0)
        if text[:6].upper() == "INSERT" and depth == 0:
            out.append(sparql[last : match.start()] + "INSERT")
            last, open_insert = match.end(), True
        elif text == "{":
            depth += 1
        elif text == "}":
            depth -= 1
            if open_insert and depth == 0:
                out.append(sparql[last : match.end()] + " WHERE {}")
                last, open_insert = match.end(), False
    out.append(sparql[last:])
    return "".join(out)


class Replacing(io.RawIOBase):
    """A binary stream that replaces ``old`` by ``new`` in ``source``, also across read boundaries."""

    def __init__(self, source, old: bytes, new: bytes):
        self._source, self._old, self._new = source, old, new
        self._pending = b""
        self._eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._eof and len(self._pending) < len(buffer) + len(self._old):
            chunk = self._source.read(64 * 1024)
            if not chunk:
                self._eof = True
                break
            self._pending += chunk
        if self._eof:
            ready, self._pending = self._pending.replace(self._old, self._new), b""
        else:
            # Keep back a tail that could be the start of ``old`` cut by the read boundary.
            text = self._pending.replace(self._old, self._new)
            keep = len(self._old) - 1
            ready, self._pending = text[:-keep] if keep else text, text[-keep:] if keep else b""
        if len(ready) > len(buffer):
            self._pending = ready[len(buffer) :] + self._pending
            ready = ready[: len(buffer)]
        buffer[: len(ready)] = ready
        return len(ready)


class LiteralEdgesKept(io.RawIOBase):
    r"""SPARQL XML results from ``source`` with the whitespace at the edges of each ``<literal>``'s text written as
    character references, which pyoxigraph 0.5's results parser keeps (it trims unescaped edge whitespace, so
    ``" x "`` from Virtuoso, which writes it as is, would read as ``"x"``; Oxigraph writes ``&#32;`` itself).

    >>> stream = LiteralEdgesKept(io.BytesIO(b'<literal xml:lang="nb"> a\nb </literal><literal/>'))
    >>> stream.read()
    b'<literal xml:lang="nb">&#32;a\nb&#32;</literal><literal/>'
    """

    _LITERAL = re.compile(rb"(<literal\b[^>]*>)([^<]*)(</literal>)")
    _CLOSE = b"</literal>"

    def __init__(self, source):
        self._source = source
        self._pending = b""
        self._ready = b""
        self._eof = False

    def readable(self) -> bool:
        return True

    @classmethod
    def _escape(cls, match: re.Match) -> bytes:
        text = match.group(2)
        core = text.strip(b" \t\r\n")
        if core == text:
            return match.group(0)
        start = text.index(core) if core else len(text)
        lead, tail = text[:start], text[start + len(core) :] if core else b""

        def refs(space: bytes) -> bytes:
            return b"".join(b"&#%d;" % byte for byte in space)

        return match.group(1) + refs(lead) + core + refs(tail) + match.group(3)

    def readinto(self, buffer) -> int:
        while not self._ready and not self._eof:
            chunk = self._source.read(64 * 1024)
            if not chunk:
                self._eof = True
                self._ready, self._pending = self._LITERAL.sub(self._escape, self._pending), b""
                break
            self._pending += chunk
            # Only whole literals are rewritten: the text up to the last closing tag; the rest waits.
            end = self._pending.rfind(self._CLOSE)
            if end >= 0:
                end += len(self._CLOSE)
                self._ready = self._LITERAL.sub(self._escape, self._pending[:end])
                self._pending = self._pending[end:]
        ready, self._ready = self._ready[: len(buffer)], self._ready[len(buffer) :]
        buffer[: len(ready)] = ready
        return len(ready)
