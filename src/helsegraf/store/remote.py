"""A store on any SPARQL 1.1 engine, spoken to over the standard protocols (Query, Update, Graph Store).

One URL is enough for the engines helsegraf knows (Virtuoso, Oxigraph server); the update and Graph Store
Protocol URLs, credentials and the engine's profile can be given separately (see ``docs/remote-stores.md``).

Behaving like the embedded store on every engine:

- *Union default graph.* helsegraf's default graph is the union of the named graphs. Oxigraph server gets the
  ``union-default-graph`` request parameter; Virtuoso already queries all graphs, but also its own system graphs
  (``virtrdf:`` and friends), which are excluded with ``DEFINE input:default-graph-exclude`` and
  ``input:named-graph-exclude``; on other engines it is configured in the engine (Fuseki ``unionDefaultGraph``,
  GraphDB's default) or, with ``union="dataset"``, every graph is named in the request.
- *Syntax errors.* Queries are parsed locally with the same SPARQL 1.1 parser as the embedded store, so a bad
  query is refused with the same message (line and column) on every engine, before anything is sent.
- *Result formats.* A result is asked of the engine in the format the client wants and streamed through
  unchanged when the engine speaks it; otherwise it is converted while streaming (pyoxigraph's parsers and
  serialisers), so memory does not grow with the result.
- *Loads.* Data are parsed locally first (bad data changes nothing, the base IRI applies) and sent as
  N-Triples with the Graph Store Protocol, in batches for bulk loads.
"""

from __future__ import annotations

import http.client
import io
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox
import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter

from .. import formats
from ..errors import EvaluationError, QueryTimeout, Unavailable
from . import GRAPH_FORMATS, SOLUTION_FORMATS, QueryResult, Store, StoreError, Term, batched, dialects
from .dialects import ask_as_select, dialect
from .embedded import _RDF_FORMATS, _RESULT_FORMATS, solution_row, states_dataset

# Virtuoso echoes every graph a request names as an X-SPARQL-*-graph response header (2 x 378 on the national
# benchmark graph); http.client refuses responses with more than 100 headers, so the limit is raised.
setattr(http.client, "_MAXHEADERS", max(getattr(http.client, "_MAXHEADERS", 100), 10_000))  # noqa: B010

#: Triples per request of a bulk load.
BULK_BATCH = 200_000

#: Seconds the list of graphs is reused for the union default graph (writes through this store reset it).
GRAPH_LIST_TTL = 5.0
_KIND_PATTERN = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Profile:
    """What helsegraf needs to know of an engine: its URLs, how to get the union default graph, its quirks."""

    name: str
    query_url: str
    update_url: str
    gsp_url: str | None
    #: ``"param"`` (Oxigraph's union-default-graph parameter), ``"exclude"`` (Virtuoso: all graphs but its
    #: own), ``"engine"`` (the engine is configured so), ``"dataset"`` (name every graph in the request).
    union: str
    #: ``"exclude"`` is kept for engines whose exclusion works; Virtuoso's does not (see make_profile).
    #: Name of the Graph Store Protocol's graph parameter (Virtuoso's older endpoint calls it ``graph-uri``).
    gsp_graph_param: str = "graph"


def make_profile(
    engine: str, url: str, update_url: str | None, gsp_url: str | None, has_credentials: bool, union: str | None = None
) -> Profile:
    """The profile of ``engine`` at ``url`` (``virtuoso``, ``oxigraph``, ``fuseki`` or ``generic``); the engine's
    defaults come from its dialect (:mod:`helsegraf.store.dialects`).

    >>> make_profile("oxigraph", "http://h:7878/query", None, None, False).update_url
    'http://h:7878/update'
    >>> make_profile("virtuoso", "http://h:8890/sparql", None, None, True).update_url
    'http://h:8890/sparql-auth'
    """
    d = dialect(engine)
    return Profile(
        d.name,
        url,
        update_url or d.update_url(url, has_credentials),
        gsp_url or d.gsp_url(url, has_credentials),
        union or d.union,
        gsp_graph_param=d.gsp_graph_param,
    )


def detect_engine(url: str, session: requests.Session) -> str:
    """Guess the engine from its ``Server`` header (one cheap ASK)."""
    try:
        response = session.get(
            url, params={"query": "ASK {}"}, timeout=10, headers={"Accept": SOLUTION_FORMATS["json"]}
        )
    except requests.RequestException as error:
        raise Unavailable(f"the SPARQL engine at {url} does not answer: {error}") from error
    server = response.headers.get("Server", "").lower()
    for name in ("virtuoso", "oxigraph", "fuseki"):  # the names of helsegraf.store.dialects.DIALECTS
        if name in server:
            return name
    return "generic"


def query_kind(sparql: str, base_iri: str | None = None) -> tuple[str, list[str]]:
    """Parse ``sparql`` with the SPARQL 1.1 parser: return its result kind and projected variables.

    Evaluating on an empty in-memory store is the cheapest way pyoxigraph offers to parse a query.

    >>> query_kind("PREFIX s: <http://s/> SELECT ?x { ?x a s:C }")
    ('solutions', ['x'])

    :raises SyntaxError: with line and column when the query does not parse.
    """
    if re.search(r"\bSERVICE\b", sparql, re.IGNORECASE):
        # Evaluating would call the service: fall back to reading the query form's keyword.
        match = _KIND_PATTERN.search(re.sub(r"<[^>]*>|#[^\n]*", " ", sparql))
        if not match:
            raise SyntaxError("no query form (SELECT, ASK, CONSTRUCT or DESCRIBE) found")
        word = match.group(1).upper()
        return {"SELECT": "solutions", "ASK": "boolean"}.get(word, "graph"), []
    result = _EMPTY.query(sparql, base_iri)
    if isinstance(result, ox.QuerySolutions):
        return "solutions", [v.value for v in result.variables]
    if isinstance(result, ox.QueryBoolean):
        return "boolean", []
    return "graph", []


class _EmptyStore:
    """A per-thread empty pyoxigraph store (its results may not cross threads)."""

    def __init__(self):
        self._local = threading.local()

    def query(self, sparql: str, base_iri: str | None = None):
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = ox.Store()
        return store.query(sparql, base_iri=base_iri)


_EMPTY = _EmptyStore()


class RemoteResult(QueryResult):
    """A query result fetched lazily, in the format it is written in, when it is consumed."""

    def __init__(self, store: RemoteStore, sparql: str, params: dict, kind: str, variables: list[str]):
        self._store = store
        self._sparql = sparql
        self._params = params
        self.kind = kind
        self._variables = variables

    @property
    def variables(self) -> list[str]:
        return list(self._variables) if self.kind == "solutions" else []

    def _fetch(self, media_type: str) -> requests.Response:
        return self._store._post_query(self._sparql, self._params, media_type)

    def _body(self, response: requests.Response):
        """The decoded body as a binary file object, with the engine's quirks repaired on the fly."""
        response.raw.decode_content = True
        return self._store.dialect.repair(response.raw)

    def write(self, out: IO[bytes], fmt: str) -> None:
        if self.kind == "boolean" and self._store.dialect.writes_booleans_itself():
            answer = "true" if self.boolean else "false"
            if fmt == "xml":
                out.write(
                    f'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                    f"<head/><boolean>{answer}</boolean></sparql>".encode()
                )
            else:
                out.write(f'{{"head":{{}},"boolean":{answer}}}'.encode())
            return
        wanted = (SOLUTION_FORMATS if self.kind != "graph" else GRAPH_FORMATS)[fmt]
        accept = wanted if self._store.speaks(self.kind, fmt) else self._store.fallback(self.kind)
        with self._fetch(accept) as response:
            got = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            try:
                if got == wanted and self._store.passes_through(self.kind, fmt):
                    for chunk in response.iter_content(64 * 1024):
                        out.write(chunk)
                    return
                self._convert(response, got, out, fmt)
            except (requests.RequestException, urllib3.exceptions.HTTPError) as error:
                # The engine stopped sending in the middle of its answer (its time-out, a restart, the network).
                raise self._store.unavailable(error) from error

    def _convert(self, response: requests.Response, got: str, out: IO[bytes], fmt: str) -> None:
        """Re-serialise the engine's answer in ``fmt`` while streaming (pyoxigraph's parser and serialiser)."""
        body = self._body(response)
        if self.kind == "graph":
            source = _rdf_format_of(got)
            triples = (q.triple for q in ox.parse(body, format=source))
            ox.serialize(triples, out, _RDF_FORMATS[fmt])
            return
        results_format = _results_format_of(got)
        if results_format == ox.QueryResultsFormat.XML:
            body = dialects.LiteralEdgesKept(body)
        parsed = ox.parse_query_results(body, format=results_format)
        parsed.serialize(out, _RESULT_FORMATS[fmt])

    def _parsed_results(self):
        response = self._fetch(SOLUTION_FORMATS["xml"])
        body = dialects.LiteralEdgesKept(self._body(response))
        return response, ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)

    def rows(self) -> Iterator[dict[str, Term]]:
        if self.kind != "solutions":
            raise TypeError("not a SELECT result")
        # XML results parse as a stream (JSON would be read whole): rows come as they arrive.
        response, parsed = self._parsed_results()
        with response:
            names = [v.value for v in parsed.variables]
            for solution in parsed:
                yield solution_row(solution, names)

    @property
    def boolean(self) -> bool:
        if self.kind != "boolean":
            raise TypeError("not an ASK result")
        if self._store.dialect.asks_as_select():
            as_select = RemoteResult(self._store, ask_as_select(self._sparql), self._params, "solutions", [])
            response, parsed = as_select._parsed_results()
            with response:
                return next(iter(parsed), None) is not None
        response, parsed = self._parsed_results()
        with response:
            return bool(parsed)


def _results_format_of(media_type: str):
    """The engine's results format for the media type an engine answered with (the formats table, loosely:
    an engine may answer application/json or text/xml)."""
    for row in formats.for_kind(formats.SOLUTIONS):
        if media_type in row.media_types:
            return _RESULT_FORMATS[row.key]
    raise StoreError(f"the engine answered with {media_type or 'no media type'}, which helsegraf cannot read")


def _rdf_format_of(media_type: str):
    """The engine's RDF format for the media type of a graph answer (application/xml is RDF/XML there)."""
    for row in formats.for_kind(formats.GRAPH):
        if media_type in row.media_types:
            return _RDF_FORMATS[row.key]
    raise StoreError(f"the engine answered with {media_type or 'no media type'}, which helsegraf cannot read")


class RemoteStore(Store):
    """A :class:`Store` on a SPARQL 1.1 engine at ``url`` (its query endpoint).

    :param update_url: the Update endpoint (default: from the engine's profile).
    :param gsp_url: the Graph Store Protocol endpoint used for loads (default: from the profile; ``None`` on a
        generic engine, which then gets ``INSERT DATA`` requests).
    :param user: user name for updates and loads (with ``password``).
    :param auth: ``"digest"`` (Virtuoso's default) or ``"basic"``.
    :param engine: ``"auto"`` (from the ``Server`` header), ``"virtuoso"``, ``"oxigraph"``, ``"fuseki"``,
        ``"generic"``.
    :param union: override how the union default graph is obtained (see :class:`Profile`).
    :param timeout: seconds an HTTP request may wait for the engine.
    """

    def __init__(
        self,
        url: str,
        *,
        update_url: str | None = None,
        gsp_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        auth: str | None = None,
        engine: str = "auto",
        union: str | None = None,
        timeout: float = 300.0,
    ):
        self.url = url
        self.timeout = timeout
        self._local = threading.local()
        self._auth: tuple[str, str, str] | None = None
        if user is not None:
            scheme = (auth or dialect(engine).auth_scheme).lower()
            self._auth = (scheme, user, password or "")
        if engine == "auto":
            engine = detect_engine(url, self._session())
            if self._auth and auth is None and dialect(engine).auth_scheme != self._auth[0]:
                self._auth = (dialect(engine).auth_scheme, user or "", password or "")
                self._local = threading.local()  # the probe's session was made with the basic scheme
        self.profile = make_profile(engine, url, update_url, gsp_url, self._auth is not None, union)
        #: The engine's quirks (helsegraf.store.dialects).
        self.dialect = dialect(self.profile.name)
        self._graph_cache: list[str] | None = None
        self._graph_cache_time = 0.0

    @classmethod
    def from_settings(cls, settings) -> RemoteStore:
        """Build from :class:`~helsegraf.config.Settings` (``store_url`` and the optional ``store_*`` fields)."""
        store = cls(
            settings.store_url,
            update_url=getattr(settings, "store_update_url", None),
            gsp_url=getattr(settings, "store_gsp_url", None),
            user=getattr(settings, "store_user", None),
            password=getattr(settings, "store_password", None),
            auth=getattr(settings, "store_auth", None),
            engine=getattr(settings, "store_engine", None) or "auto",
            timeout=max(30.0, float(getattr(settings, "query_timeout", 30.0)) + 5),
        )
        store.union_default_graph = getattr(settings, "union_default_graph", True)
        return store

    #: Settings.union_default_graph (see EmbeddedStore): False leaves the engine's own default graph.
    union_default_graph = True

    # -- HTTP -------------------------------------------------------------------------------------------------

    def _session(self) -> requests.Session:
        """One HTTP session per thread (digest authentication keeps per-session state)."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(pool_connections=4, pool_maxsize=32)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._local.session = session
            self._local.auth = None
            if self._auth:
                scheme, user, password = self._auth
                self._local.auth = (
                    requests.auth.HTTPDigestAuth(user, password)
                    if scheme == "digest"
                    else requests.auth.HTTPBasicAuth(user, password)
                )
        return session

    def _send(self, method: str, url: str, *, authenticated: bool, **kwargs) -> requests.Response:
        session = self._session()
        if authenticated:
            # Credentials go with updates and loads only; queries stay anonymous (a user name in the query
            # URL, http://user:pass@host/..., is still honoured by requests as basic authentication).
            kwargs["auth"] = self._local.auth
        try:
            response = session.request(method, url, timeout=(10, self.timeout), **kwargs)
        except requests.RequestException as error:
            raise self.unavailable(error) from error
        if response.status_code >= 400:
            body = response.text[:2000].strip()
            response.close()
            if response.status_code in (400, 422) or "syntax" in body.lower()[:300] or "SP030" in body:
                raise SyntaxError(f"the engine refused the request: {body}")
            if response.status_code in (401, 403):
                raise StoreError(f"the engine at {url} refused the credentials ({response.status_code}): {body}")
            if 400 <= response.status_code < 500:
                # The engine refused what the client asked (it parsed, but cannot be carried out).
                raise EvaluationError(f"the engine refused the request ({response.status_code}): {body}")
            if response.status_code == 503:
                raise Unavailable(f"the engine at {url} is not available ({response.status_code}): {body}")
            raise StoreError(f"the engine at {url} answered {response.status_code}: {body}")
        return response

    def unavailable(self, error: Exception) -> Unavailable:
        """The error for a request the engine did not answer, or stopped answering: 503 either way; past the
        read time-out it is the time limit (:class:`QueryTimeout`)."""
        timed_out = isinstance(error, requests.Timeout | urllib3.exceptions.ReadTimeoutError) or isinstance(
            getattr(error, "__context__", None), urllib3.exceptions.ReadTimeoutError
        )
        if timed_out:
            return QueryTimeout(
                f"the SPARQL engine at {self.url} sent nothing for {self.timeout:g} s and was "
                "given up (the query may be too heavy for it; try again, or narrow the query)"
            )
        return Unavailable(f"the SPARQL engine at {self.url} does not answer: {error}")

    def _post_query(self, sparql: str, params: dict, accept: str) -> requests.Response:
        data = {"query": sparql, **params}
        return self._send(
            "POST", self.profile.query_url, authenticated=False, data=data, stream=True, headers={"Accept": accept}
        )

    # -- formats ----------------------------------------------------------------------------------------------

    def speaks(self, kind: str, fmt: str) -> bool:
        """Whether to ask the engine for ``fmt`` directly (else: for :meth:`fallback`, then convert)."""
        return self.dialect.speaks(kind, fmt)

    def passes_through(self, kind: str, fmt: str) -> bool:
        """Whether the engine's bytes in ``fmt`` can be sent on unchanged (else they are re-serialised)."""
        return self.dialect.passes_through(kind, fmt)

    def fallback(self, kind: str) -> str:
        """The media type every engine writes for ``kind``, from which others are converted."""
        return SOLUTION_FORMATS["xml"] if kind != "graph" else GRAPH_FORMATS["ntriples"]

    # -- the Store interface ----------------------------------------------------------------------------------

    def _dataset_params(self, sparql: str, default_graphs, named_graphs) -> tuple[str, dict]:
        params: dict = {}
        if default_graphs or named_graphs:
            params["default-graph-uri"] = list(default_graphs or [])
            params["named-graph-uri"] = list(named_graphs or [])
            if named_graphs and not default_graphs:
                params = self.dialect.named_only_dataset(params)
            return sparql, params
        if states_dataset(sparql) or not self.union_default_graph:
            return sparql, params
        union = self.profile.union
        if union == "param":
            params["union-default-graph"] = ""
        elif union == "exclude":
            sparql = (
                "".join(f"DEFINE input:default-graph-exclude <{g}>\n" for g in dialects.VIRTUOSO_SYSTEM_GRAPHS) + sparql
            )
        elif union == "dataset":
            # An empty list would mean "the engine's default" (on Virtuoso: every graph), so name an unused one.
            graphs = self.graphs() or [dialects.EMPTY_GRAPH]
            params["default-graph-uri"] = graphs
            params["named-graph-uri"] = graphs
        return sparql, params

    def query(self, sparql, *, default_graphs=None, named_graphs=None, base_iri=None):
        try:
            # Parsed here as the client sent it (line and column of a syntax error stay theirs); the engine
            # gets the base IRI as a BASE declaration.
            kind, variables = query_kind(sparql, base_iri)
            sparql = _with_base(sparql, base_iri)
        except SyntaxError:
            raise
        except ValueError as error:
            raise SyntaxError(str(error)) from error
        for iri in list(default_graphs or []) + list(named_graphs or []):
            try:
                ox.NamedNode(iri)
            except ValueError as error:
                raise SyntaxError(f"bad graph IRI {iri!r}: {error}") from error
        text, params = self._dataset_params(sparql, default_graphs, named_graphs)
        return RemoteResult(self, text, params, kind, variables)

    def _raw(self, sparql: str) -> RemoteResult:
        """A query helsegraf itself sends, with the same dataset handling as a user's."""
        kind, variables = query_kind(sparql)
        text, params = self._dataset_params(sparql, None, None)
        return RemoteResult(self, text, params, kind, variables)

    def update(self, sparql, *, base_iri=None, graphs=None):  # graphs: a hint the remote engine does not need
        sparql = _with_base(sparql, base_iri)
        self._graph_cache = None
        self._send("POST", self.profile.update_url, authenticated=True, **self.dialect.update_request(sparql)).close()

    def load(self, source, fmt, graph, *, replace=True, base_iri=None, bulk=False):
        self._graph_cache = None
        rdf_format = _RDF_FORMATS[fmt]
        dataset = fmt in {"trig", "nquads"}
        if isinstance(source, Path):
            parsed = ox.parse(path=str(source), format=rdf_format, base_iri=base_iri)
        elif isinstance(source, (bytes, str)):
            parsed = ox.parse(source, format=rdf_format, base_iri=base_iri)
        else:
            parsed = ox.parse(source, format=rdf_format, base_iri=base_iri)
        target = None if dataset else (graph or "")
        if not bulk:
            # Parse everything before changing anything: bad data changes nothing.
            quads = list(parsed)
            if replace and target:
                self.update(f"DROP SILENT GRAPH <{target}>")
            self._send_quads(quads, target)
        else:
            first = True
            for batch in batched(parsed, BULK_BATCH):
                if first and replace and target:
                    self.update(f"DROP SILENT GRAPH <{target}>")
                first = False
                self._send_quads(batch, target)
        return self.count(graph if not dataset else None)

    def _send_quads(self, quads: list, target: str | None) -> None:
        """Add ``quads`` to ``target`` (``None``: the graphs the quads name; ``""``: the default graph)."""
        by_graph: dict[str, list] = {}
        for quad in quads:
            if target is None:
                name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
            else:
                name = target
            by_graph.setdefault(name, []).append(quad.triple)
        for name, triples in by_graph.items():
            buffer = io.BytesIO()
            ox.serialize(triples, buffer, ox.RdfFormat.N_TRIPLES)
            self._post_graph(name, buffer.getvalue())

    def _post_graph(self, graph: str, ntriples: bytes) -> None:
        if not ntriples:
            return
        if self.profile.gsp_url is None:
            # No Graph Store Protocol: INSERT DATA (N-Triples is valid inside it).
            text = ntriples.decode("utf-8")
            body = f"INSERT DATA {{ GRAPH <{graph}> {{ {text} }} }}" if graph else f"INSERT DATA {{ {text} }}"
            self.update(body)
            return
        params = {self.profile.gsp_graph_param: graph} if graph else {"default": ""}
        # N-Triples is Turtle: text/turtle is the one RDF media type every Graph Store endpoint reads.
        self._send(
            "POST",
            self.profile.gsp_url,
            authenticated=True,
            params=params,
            data=ntriples,
            headers={"Content-Type": "text/turtle; charset=utf-8"},
        ).close()

    def dump(self, out, fmt, graph=None):
        if graph is None:
            if fmt not in {"trig", "nquads"}:
                raise ValueError(f"{fmt} holds one graph: name the graph to dump")
            result = self._raw("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            response, parsed = result._parsed_results()
            with response:
                quads = (
                    ox.Quad(s["s"], s["p"], s["o"], s["g"]) for s in parsed if not self._is_system_graph(s["g"].value)
                )
                ox.serialize(quads, out, _RDF_FORMATS[fmt])
            return
        pattern = "{ ?s ?p ?o }" if graph == "" else f"{{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        result = RemoteResult(self, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {pattern}", {}, "graph", [])
        if fmt in {"trig", "nquads"}:
            buffer = io.BytesIO()
            result.write(buffer, "ntriples")
            target = ox.DefaultGraph() if graph == "" else ox.NamedNode(graph)
            quads = (
                ox.Quad(q.subject, q.predicate, q.object, target)
                for q in ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_TRIPLES)
            )
            ox.serialize(quads, out, _RDF_FORMATS[fmt])
        else:
            result.write(out, fmt)

    def graphs(self):
        if self._graph_cache is None or time.monotonic() - self._graph_cache_time > GRAPH_LIST_TTL:
            # Asked without a dataset: every graph the engine has, less its own system graphs. GROUP BY, not
            # DISTINCT: Virtuoso 7.2.5 takes 11-13 s for SELECT DISTINCT ?g over its quads, 0.01 s for this.
            result = RemoteResult(self, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", {}, "solutions", ["g"])
            self._graph_cache_time = time.monotonic()
            self._graph_cache = sorted(
                row["g"].value
                for row in result.rows()
                if row["g"].kind == "uri" and not self._is_system_graph(row["g"].value)
            )
        return list(self._graph_cache)

    def count(self, graph=None):
        if graph is None:
            text = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
            result = self._raw(text)
        elif graph == "":
            # The engine's own default graph, not the union (on Virtuoso there is none apart from the union).
            result = RemoteResult(
                self,
                "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                self.dialect.empty_default_graph(),
                "solutions",
                ["n"],
            )
        else:
            result = RemoteResult(
                self, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", {}, "solutions", ["n"]
            )
        rows = list(result.rows())
        return int(rows[0]["n"].value) if rows else 0

    def drop(self, graph):
        existed = RemoteResult(self, f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", {}, "boolean", []).boolean
        if existed:
            self.update(f"DROP SILENT GRAPH <{graph}>")
        return existed

    def close(self):
        session = getattr(self._local, "session", None)
        if session is not None:
            session.close()

    def _is_system_graph(self, iri: str) -> bool:
        """Whether ``iri`` is one of the engine's own graphs (Virtuoso's), not part of helsegraf's dataset."""
        return self.dialect.is_system_graph(iri)


def _with_base(sparql: str, base_iri: str | None) -> str:
    """The request's base IRI as a BASE declaration (a later BASE in the text still overrides it)."""
    if not base_iri:
        return sparql
    ox.NamedNode(base_iri)  # raises ValueError for a malformed IRI
    return f"BASE <{base_iri}>\n{sparql}"
