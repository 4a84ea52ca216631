"""The embedded store: pyoxigraph, in memory or on disk (RocksDB) at a directory.

pyoxigraph releases the GIL while it evaluates a query, so several server threads query it concurrently.
In union mode (the default) the default graph is the RDF merge of all graphs, kept materialised by every
write in the same transaction (:mod:`helsegraf.store.union`).
"""

from __future__ import annotations

import io
import itertools
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from .. import formats
from ..errors import EvaluationError
from ..sparql.guards import tokens, touched_graphs
from . import QueryResult, Store, StoreError, Term, union

#: The engine's format objects, by the keys of :mod:`helsegraf.formats` (its ``engine`` column).
_RESULT_FORMATS = {f.key: getattr(ox.QueryResultsFormat, f.engine) for f in formats.for_kind(formats.SOLUTIONS)}
_RDF_FORMATS = {f.key: getattr(ox.RdfFormat, f.engine) for f in formats.FORMATS if f.is_rdf}


def rdf_format(key: str):
    """pyoxigraph's RdfFormat for a format key."""
    return _RDF_FORMATS[key]


def results_format(key: str):
    """pyoxigraph's QueryResultsFormat for a format key."""
    return _RESULT_FORMATS[key]


def to_term(node) -> Term:
    """Convert a pyoxigraph term to a :class:`Term`."""
    if isinstance(node, ox.NamedNode):
        return Term("uri", node.value)
    if isinstance(node, ox.BlankNode):
        return Term("bnode", node.value)
    if isinstance(node, ox.Literal):
        return Term("literal", node.value, node.datatype.value, node.language)
    if isinstance(node, ox.Triple):  # RDF-star quoted triple: shown as N-Triples text
        return Term("literal", f"<< {node} >>")
    raise TypeError(f"unexpected term {node!r}")


def states_dataset(sparql: str) -> bool:
    """Whether the query text names its own dataset (``FROM`` / ``FROM NAMED``).

    Read on tokens, so ``FROM`` inside a comment, a string or an IRI does not count; in SPARQL 1.1 the keyword
    occurs nowhere else (sub-queries take no dataset clause). Codepoint escapes are not decoded: pyoxigraph's
    parser does not decode them either, and this must agree with what the engine reads.

    >>> states_dataset("SELECT * FROM <http://g> { ?s ?p ?o }")
    True
    >>> states_dataset("SELECT * { ?s ?p 'FROM' } # from <x>")
    False
    """
    return any(t.kind == "word" and t.text.upper() == "FROM" for t in tokens(sparql))


def solution_row(solution, names: list[str]) -> dict[str, Term]:
    """A pyoxigraph solution as ``{variable: Term}``, unbound variables left out."""
    return {name: to_term(value) for name in names if (value := solution[name]) is not None}


class _Counting:
    """A binary file that reports how many bytes were read (progress of a bulk load of one large file)."""

    def __init__(self, handle, report):
        self._handle, self._report = handle, report

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self._report(len(data))
        return data

    def readinto(self, buffer) -> int:
        count = self._handle.readinto(buffer)
        self._report(count or 0)
        return count


def _graph_node(graph: str | None):
    if graph is None or graph == "":
        return ox.DefaultGraph()
    return ox.NamedNode(graph)


class _Result(QueryResult):
    def __init__(self, raw):
        self._raw = raw
        if isinstance(raw, ox.QuerySolutions):
            self.kind = "solutions"
        elif isinstance(raw, ox.QueryBoolean):
            self.kind = "boolean"
        else:
            self.kind = "graph"

    @property
    def variables(self) -> list[str]:
        if self.kind != "solutions":
            return []
        return [v.value for v in self._raw.variables]

    @property
    def boolean(self) -> bool:
        if self.kind != "boolean":
            raise TypeError("not an ASK result")
        return bool(self._raw)

    def write(self, out: IO[bytes], fmt: str) -> None:
        if self.kind == "graph":
            self._raw.serialize(out, _RDF_FORMATS[fmt])
        else:
            self._raw.serialize(out, _RESULT_FORMATS[fmt])

    def rows(self) -> Iterator[dict[str, Term]]:
        if self.kind != "solutions":
            raise TypeError("not a SELECT result")
        names = self.variables
        for solution in self._raw:
            yield solution_row(solution, names)

    def triples(self) -> Iterator[tuple[Term, Term, Term]]:
        if self.kind != "graph":
            raise TypeError("not a CONSTRUCT or DESCRIBE result")
        for triple in self._raw:
            yield to_term(triple.subject), to_term(triple.predicate), to_term(triple.object)


#: Bytes of memory a bulk load's staging store takes per byte of the file it loads (10M triples, 2.3 GB of
#: N-Quads: 9.3 GB peak, issue 11); a file whose staging would not fit is merged by reading it back instead.
STAGING_BYTES_PER_BYTE = 4


def _size(source) -> int:
    """Bytes of a bulk load's source (a path, bytes, or a file object of known size; else 0)."""
    if isinstance(source, Path):
        return source.stat().st_size
    if isinstance(source, (bytes, str)):
        return len(source)
    return 0


def fits_in_memory(needed: int) -> bool:
    """Whether ``needed`` bytes fit in the memory available now, with a margin (Linux; elsewhere: assumed)."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return needed <= int(line.split()[1]) * 1024 * 0.8
    except OSError:
        pass
    return True


class EmbeddedStore(Store):
    """A pyoxigraph store; ``path=None`` keeps it in memory.

    >>> store = EmbeddedStore()
    >>> store.load(b'<http://a> <http://b> "c" .', "ntriples", "http://g")
    1
    >>> store.query("SELECT ?o WHERE { ?s ?p ?o }").variables
    ['o']
    """

    def __init__(self, path: str | Path | None = None, *, union_default_graph: bool = True):
        self.path = Path(path) if path else None
        #: Settings.union_default_graph: without a stated dataset, the default graph is the RDF merge of all graphs,
        #: kept in the engine's default graph (True), or the store's own default graph, as SPARQL 1.1 and the W3C
        #: suites expect (False).
        self.union = union_default_graph
        try:
            if self.path:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
            else:
                self._store = ox.Store()
        except OSError as error:
            raise StoreError(f"cannot open the store at {self.path}: {error}") from error
        if self.path:
            self._convert_layout()

    @classmethod
    def wrap(cls, engine, *, union_default_graph: bool, path: Path | None = None) -> EmbeddedStore:
        """An EmbeddedStore over an already opened pyoxigraph store (a read-only snapshot, a trial copy)."""
        store = cls.__new__(cls)
        store.path, store.union, store._store = path, union_default_graph, engine
        return store

    def _convert_layout(self) -> None:
        """Bring an on-disk store into the layout of the mode it is opened in (see :mod:`.union`)."""
        if self.path is None:  # an in-memory store is built in the mode it is opened in
            return
        marker = self.path / union.MARKER
        if self.union and not marker.exists():
            self._store.update(union.to_union())
            self._store.flush()
            marker.write_text("the default graph of this store holds the merge of its named graphs\n")
        elif not self.union and marker.exists():
            self._store.update(union.TO_STANDARD)
            self._store.flush()
            marker.unlink()

    def query(self, sparql, *, default_graphs=None, named_graphs=None, base_iri=None):
        # The dataset, by precedence (SPARQL 1.1 Protocol §2.1.4): the protocol's default-graph-uri /
        # named-graph-uri, else the query's own FROM / FROM NAMED, else helsegraf's union default graph.
        # pyoxigraph's use_default_graph_as_union would override a FROM, so it is only set without one.
        kwargs: dict = {"base_iri": base_iri} if base_iri else {}
        if default_graphs or named_graphs:
            # The request's dataset is exactly what it names: with only named graphs, the default graph is
            # empty; with only default graphs, there are no named graphs.
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs or []]
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or []]
        # Without either, the default graph is the engine's: in union mode it holds the merge (one copy of each
        # triple; the engine's own use_default_graph_as_union returns a triple once per graph holding it).
        try:
            return _Result(self._store.query(sparql, **kwargs))
        except SyntaxError:
            raise
        except RuntimeError as error:  # the engine refused to evaluate it (an unknown function ...)
            raise EvaluationError(f"the query cannot be evaluated: {error}") from None
        except ValueError as error:  # a bad IRI in the protocol parameters
            raise SyntaxError(str(error)) from error
        except OSError as error:
            raise StoreError(str(error)) from error

    def update(self, sparql, *, base_iri=None, graphs=None):
        """Run an update; in union mode with the maintenance of the merge, in the same transaction.

        :param base_iri: the IRI relative IRIs resolve against (the request's).
        :param graphs: the graphs the update may change, when the caller knows (``None`` in it: the default
            graph); it bounds the cost of maintaining the merge. Default: any graph.
        """
        if self.union and graphs is None:
            graphs = touched_graphs(sparql)
        text = union.wrap(sparql, graphs, scan_merge=self._large(graphs)) if self.union else sparql
        try:
            self._store.update(text, base_iri=base_iri)
        except SyntaxError:
            if text is sparql:
                raise
            ox.Store().update(sparql)  # the user's text alone, for the parser's own line and column
            raise
        except OSError as error:
            raise StoreError(str(error)) from error

    def load(self, source, fmt, graph, *, replace=True, base_iri=None, bulk=False, progress=None):
        rdf_format = _RDF_FORMATS[fmt]
        target = None if fmt in {"trig", "nquads"} else self._target(graph)
        kwargs = {"format": rdf_format, "base_iri": base_iri}
        if target is not None:
            kwargs["to_graph"] = target
        if isinstance(source, Path) and bulk and progress is not None:
            kwargs["input"] = _Counting(source.open("rb"), progress)
        elif isinstance(source, Path):
            kwargs["path"] = str(source)
        elif isinstance(source, (bytes, str)):
            kwargs["input"] = source
        else:
            kwargs["input"] = source
        if bulk:
            # bulk_load is not transactional; it is only used by the loader for bundled files.
            if replace and target is not None:
                if self.union:
                    self.update(f"DROP SILENT GRAPH <{target.value}>", graphs={target.value})
                else:
                    self._clear(target)
            try:
                if self.union and fits_in_memory(STAGING_BYTES_PER_BYTE * _size(source)):
                    self._bulk_load_with_merge(kwargs, target)
                elif self.union:
                    self._bulk_load_then_merge(kwargs, target)
                else:
                    self._store.bulk_load(**kwargs)
            except SyntaxError:
                raise
            except OSError as error:
                raise StoreError(str(error)) from error
        else:
            # Parse first, then write in one transaction: bad data changes nothing.
            quads = self._parse(source, rdf_format, target, base_iri)
            self._replace_and_extend(quads, target if replace else None)
        if target is None:
            return self.count()
        return self.count(target.value if isinstance(target, ox.NamedNode) else "")

    #: A changed named graph at least this large is not copied to find what left the merge (see union.wrap).
    LARGE_GRAPH = 20_000

    def _large(self, graphs) -> bool:
        """Whether one of the named ``graphs`` holds at least LARGE_GRAPH quads (read up to that many)."""
        for graph in graphs or ():
            if graph is not None:
                quads = self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
                if sum(1 for _ in itertools.islice(quads, self.LARGE_GRAPH)) >= self.LARGE_GRAPH:
                    return True
        return False

    def _bulk_load_with_merge(self, kwargs: dict, target) -> None:
        """Bulk-load the data and their merge into the default graph (not transactional, as any bulk load).

        The data go through an in-memory staging store first, where the merge is made by one update, and are
        then bulk-loaded from its N-Quads dump: the bulk loader gives blank nodes new labels on every load, so the
        data and their copies in the merge must come in one load. (Reading the quads back from the on-disk store
        after its bulk load cost more than the load itself: issue 11.) The staging store holds the file's quads
        twice, about 80 bytes each.
        """
        staging = ox.Store()
        if target is None:  # a dataset: its default-graph triples are the default graph's own
            kwargs = {**kwargs, "to_graph": ox.NamedNode(union.OWN_DEFAULT)}
        staging.bulk_load(**kwargs)
        staging.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        with tempfile.TemporaryDirectory(prefix="helsegraf-bulk-", dir=self.path.parent if self.path else None) as tmp:
            staged = Path(tmp) / "staged.nq"
            staging.dump(str(staged), ox.RdfFormat.N_QUADS)
            del staging
            # Lenient: the staging store's parser checked every IRI and tag on the way in.
            self._store.bulk_load(path=str(staged), format=ox.RdfFormat.N_QUADS, lenient=True)

    def _bulk_load_then_merge(self, kwargs: dict, target) -> None:
        """Bulk-load the data, then add them to the merge by reading them back: for data whose staging store
        would not fit in memory (several times slower: issue 11)."""
        if target is None:
            kwargs = {**kwargs, "to_graph": ox.NamedNode(union.OWN_DEFAULT)}
        self._store.bulk_load(**kwargs)
        loaded = self._store.quads_for_pattern(None, None, None, target)
        self._store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                                for q in loaded if not isinstance(q.graph_name, ox.DefaultGraph))

    def _target(self, graph: str | None):
        """The engine graph that data loaded into ``graph`` go to (in union mode, the default graph's own triples
        live in :data:`union.OWN_DEFAULT`)."""
        if (graph is None or graph == "") and self.union:
            return ox.NamedNode(union.OWN_DEFAULT)
        return _graph_node(graph)

    def _parse(self, source, rdf_format, target, base_iri) -> list:
        if isinstance(source, Path):
            parsed = ox.parse(path=str(source), format=rdf_format, base_iri=base_iri)
        else:
            parsed = ox.parse(source, format=rdf_format, base_iri=base_iri)
        if target is None:
            if not self.union:
                return list(parsed)
            own = ox.NamedNode(union.OWN_DEFAULT)
            return [ox.Quad(q.subject, q.predicate, q.object, own) if isinstance(q.graph_name, ox.DefaultGraph)
                    else q for q in parsed]
        return [ox.Quad(q.subject, q.predicate, q.object, target) for q in parsed]

    def _replace_and_extend(self, quads: list, clear_graph) -> None:
        if not self.union:
            # pyoxigraph's update() is one transaction; a DROP + INSERT DATA pair would need the data as text,
            # so the store's extend() (also one transaction) follows a clear of the target graph.
            if clear_graph is not None:
                self._clear(clear_graph)
            self._store.extend(quads)
            return
        # In union mode the merge changes with the data: one update (one transaction) replaces the graph and
        # brings the merge up to date, so a crash leaves the old state or the new one.
        from .writes import insert_data

        parts = [f"DROP SILENT GRAPH <{clear_graph.value}>"] if clear_graph is not None else []
        text, _ = insert_data(quads, None)
        if text:
            parts.append(text)
        self.update(" ;\n".join(parts), graphs={q.graph_name.value for q in quads} | (
            {clear_graph.value} if clear_graph is not None else set()))

    def _clear(self, graph) -> None:
        if isinstance(graph, ox.DefaultGraph):
            self._store.clear_graph(graph)
        elif self._store.contains_named_graph(graph):
            self._store.remove_graph(graph)

    def dump(self, out, fmt, graph=None):
        rdf_format = _RDF_FORMATS[fmt]
        if graph is None:
            if fmt not in {"trig", "nquads"}:
                raise ValueError(f"{fmt} holds one graph: name the graph to dump")
            if self.union:
                # The merge is derived data: the dataset is the named graphs, OWN_DEFAULT as the default graph.
                ox.serialize(self._dataset_quads(), out, rdf_format)
            else:
                self._store.dump(out, rdf_format)
        else:
            self._store.dump(out, rdf_format, from_graph=_graph_node(graph))

    def engine_quads(self) -> int:
        """Every quad the engine holds, the merge of union mode included (what an in-memory copy holds)."""
        return len(self._store)

    def dump_raw(self, path: str) -> None:
        """Write every quad the engine holds, the merge in union mode included, as N-Quads to ``path`` (the
        in-memory copy of :mod:`.replica` is loaded from it; a dataset dump leaves the derived merge out)."""
        self._store.dump(path, ox.RdfFormat.N_QUADS)

    def checkpoint(self, target: Path) -> None:
        """A consistent read-only snapshot of an on-disk store at ``target`` (a RocksDB checkpoint: hard links
        to the store's immutable files, made in milliseconds; ``target`` must not exist yet)."""
        if self.path is None:
            raise StoreError("only an on-disk store has checkpoints")
        try:
            self._store.flush()
            self._store.backup(str(target))
        except OSError as error:
            raise StoreError(f"cannot make a checkpoint of {self.path} at {target}: {error}") from error

    def _dataset_quads(self) -> Iterator:
        own = ox.NamedNode(union.OWN_DEFAULT)
        for quad in self._store.quads_for_pattern(None, None, None, None):
            if isinstance(quad.graph_name, ox.DefaultGraph):
                continue
            yield ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph()) \
                if quad.graph_name == own else quad

    def graphs(self):
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def count(self, graph=None):
        if graph is None:
            if self.union:  # the merge in the default graph is derived data, not counted twice
                return len(self._store) - self.count("")
            return len(self._store)
        pattern = "{ ?s ?p ?o }" if graph == "" else f"{{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        solutions = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {pattern}")
        return int(next(iter(solutions))["n"].value)

    def drop(self, graph):
        node = ox.NamedNode(graph)
        if not self._store.contains_named_graph(node):
            return False
        if self.union:
            self.update(f"DROP SILENT GRAPH <{graph}>", graphs={graph})
        else:
            self._store.remove_graph(node)
        return True

    def optimize(self) -> None:
        """Compact an on-disk store (RocksDB); after a bulk load its queries are 1.3-4x faster (issue 11)."""
        if self.path:
            self._store.optimize()

    def close(self):
        self._store.flush() if self.path else None
        del self._store

    def serialize_to_bytes(self, fmt: str, graph: str | None = None) -> bytes:
        """Dump to bytes (small graphs only)."""
        buffer = io.BytesIO()
        self.dump(buffer, fmt, graph)
        return buffer.getvalue()
