"""The one interface through which everything reads and writes data.

Two implementations fit behind it: :class:`~helsegraf.store.embedded.EmbeddedStore` (pyoxigraph, in memory or
on disk; the default) and a remote one over the SPARQL 1.1 protocols. Nothing outside this package imports
pyoxigraph.

Result formats are named by the short keys of :mod:`helsegraf.formats`; the web layer maps media types to
these keys (:mod:`helsegraf.sparql.negotiation`).
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

# The format tables and StoreError live in helsegraf.formats / helsegraf.errors; imported here under their old
# names because many modules import them from the store package.
from ..errors import StoreError
from ..formats import DATASET_FORMATS, EXTENSIONS, GRAPH_FORMATS, SOLUTION_FORMATS

__all__ = ["DATASET_FORMATS", "EXTENSIONS", "GRAPH_FORMATS", "SOLUTION_FORMATS", "QueryResult", "Store",
           "StoreError", "Term", "batched", "guess_format", "open_store"]


class QueryResult(abc.ABC):
    """The result of a query, written lazily in the format a client asks for."""

    #: ``"solutions"`` (SELECT), ``"boolean"`` (ASK) or ``"graph"`` (CONSTRUCT, DESCRIBE).
    kind: str

    @abc.abstractmethod
    def write(self, out: IO[bytes], fmt: str) -> None:
        """Serialise the result to ``out`` in format ``fmt`` (a key of SOLUTION_FORMATS or GRAPH_FORMATS)."""

    @property
    def variables(self) -> list[str]:
        """Names of the projected variables of a SELECT result (empty for others)."""
        return []

    @abc.abstractmethod
    def rows(self) -> Iterator[dict[str, Term]]:
        """Iterate SELECT solutions as ``{variable: Term}`` (unbound variables absent)."""

    @property
    def boolean(self) -> bool:
        """The answer of an ASK query."""
        raise TypeError("not an ASK result")


@dataclass(frozen=True)
class Term:
    """An RDF term in plain Python, independent of the engine.

    ``kind`` is ``"uri"``, ``"bnode"`` or ``"literal"`` (as in SPARQL JSON results).
    """

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    def n3(self) -> str:
        """The term in N-Triples syntax.

        >>> Term("literal", 'a "b"', lang="nb").n3()
        '"a \\\\"b\\\\""@nb'
        """
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        escaped = (
            self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        )
        if self.lang:
            return f'"{escaped}"@{self.lang}'
        if self.datatype and self.datatype != "http://www.w3.org/2001/XMLSchema#string":
            return f'"{escaped}"^^<{self.datatype}>'
        return f'"{escaped}"'


class Store(abc.ABC):
    """Everything that reads or writes data goes through a Store.

    The default graph of a query is, in union mode (``Settings.union_default_graph``, the default), the RDF merge of
    all named graphs (each triple once; updates see the same default graph), in standards mode the store's own
    default graph; unless the request names its dataset (``default_graphs`` / ``named_graphs``, or FROM / FROM
    NAMED in the query).
    """

    @abc.abstractmethod
    def query(
        self,
        sparql: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL 1.1 query.

        :raises SyntaxError: when the query does not parse; the message holds line and column.
        :raises StoreError: when the store fails.
        """

    def stream(
        self,
        sparql: str,
        *,
        choose: Callable[[str], str],
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> tuple[str, Iterable[bytes]]:
        """Run a query and serialise its result as it is read: the format ``choose(kind)`` names for the kind of
        result (it raises for a kind the client cannot take: 406), and the body as an iterable of byte chunks
        with a ``close()`` and a ``truncated`` attribute (the row limit that cut the result, or False).

        The default runs the query on a producer thread (:mod:`helsegraf.sparql.streaming`), because an
        in-process engine's result must be read on the thread that made it.
        """
        from ..sparql.streaming import run_and_stream

        def run() -> QueryResult:
            return self.query(sparql, default_graphs=default_graphs, named_graphs=named_graphs, base_iri=base_iri)

        return run_and_stream(run, choose)

    @abc.abstractmethod
    def update(self, sparql: str, *, base_iri: str | None = None, graphs: set[str | None] | None = None) -> None:
        """Run a SPARQL 1.1 update as one transaction (all of it or none of it).

        ``graphs``, when the caller knows them, are the graphs the update may change (``None`` in the set: the
        default graph); a store may use the hint to bound its bookkeeping, and must stay correct without it.

        :raises SyntaxError: when the update does not parse.
        """

    def rehearse(self, sparql: str, *, base_iri: str | None = None, graphs: set[str | None] | None = None) -> None:  # noqa: B027 - a default: most stores cannot stop an update
        """Check that ``sparql`` finishes within the update time limit without writing anything.

        :raises QueryTimeout: past the limit (nothing is written).

        A store that cannot stop an update checks nothing (the default); the served store runs the update on a
        throw-away fork of its in-memory copy (:meth:`helsegraf.store.workers.WorkerStore.rehearse`).
        """

    @abc.abstractmethod
    def load(self, source: Path | bytes | IO[bytes], fmt: str, graph: str | None, *, replace: bool = True,
             base_iri: str | None = None, bulk: bool = False) -> int:
        """Parse RDF into ``graph`` (``None``: the default graph; for dataset formats, the graphs it names).

        With ``replace`` the graph is emptied first, so loading twice does not duplicate.
        Returns the number of triples in the graph afterwards.

        :raises SyntaxError: when the data does not parse (nothing is changed then).
        """

    @abc.abstractmethod
    def dump(self, out: IO[bytes], fmt: str, graph: str | None = None) -> None:
        """Write the whole dataset (dataset formats) or one graph (``graph``; ``""`` means the default graph)."""

    @abc.abstractmethod
    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""

    @abc.abstractmethod
    def count(self, graph: str | None = None) -> int:
        """Number of quads in the store, or triples in one graph (``""`` for the default graph)."""

    @abc.abstractmethod
    def drop(self, graph: str) -> bool:
        """Remove a named graph; return whether it existed."""

    def close(self) -> None:  # noqa: B027 - a default: a store without resources has nothing to release
        """Release the store's resources."""

    def ping(self) -> bool:
        """Whether the store answers (used by ``/readyz``)."""
        try:
            _ = self.query("ASK {}").boolean
        except Exception:  # noqa: BLE001 - readiness is a yes/no answer, never a crash
            return False
        return True


def open_store(settings) -> Store:
    """Open the store that ``settings`` describe: remote when ``store_url`` is set, else embedded.

    >>> from helsegraf.config import Settings
    >>> store = open_store(Settings(bundled_data=False))
    >>> store.count()
    0
    """
    if settings.store_url:
        from .remote import RemoteStore

        return RemoteStore.from_settings(settings)
    from .embedded import EmbeddedStore

    return EmbeddedStore(settings.store, union_default_graph=getattr(settings, "union_default_graph", True))


def guess_format(path: Path) -> str:
    """Format key of a file by its extension.

    :raises ValueError: for an extension the loader does not read.
    """
    try:
        return EXTENSIONS[path.suffix.lower()]
    except KeyError:
        raise ValueError(f"unknown RDF file extension: {path.name}") from None


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Yield lists of at most ``size`` items."""
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
