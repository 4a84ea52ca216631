"""Load the bundled ontology/, shapes/ and data/ into named graphs, one graph per file.

Graph IRI rule: ``{base}graph/`` + the file's path relative to the data root, without its extension
(``data/seeds/000-x.ttl`` -> ``{base}graph/data/seeds/000-x``). TriG and N-Quads files keep the graph names they
state. Loading a file again replaces its graph, so loading is idempotent; a file whose checksum is unchanged
since the last load is skipped (this matters for the on-disk store, which survives restarts).

What was loaded is recorded in the graph ``{base}graph/meta`` with VoID and SPDX checksums, so that agencies
can see where each graph came from.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .namespaces import DCT, DEFAULT_BASE, RDF, SPDX, VOID, XSD, graph_base, meta_graph
from .store import DATASET_FORMATS, EXTENSIONS, Store, guess_format

log = logging.getLogger(__name__)

#: Folders of the data root that hold bundled RDF, in load order.
BUNDLED_FOLDERS = ("ontology", "shapes", "data")

#: Files at least this large are bulk-loaded (faster, not transactional).
BULK_BYTES = 20 * 1024 * 1024


@dataclass
class LoadReport:
    """What loading one file did."""

    path: str
    graph: str
    triples: int
    skipped: bool


def graph_iri(path: Path, root: Path, base: str = DEFAULT_BASE) -> str:
    """The named graph of a bundled file.

    >>> graph_iri(Path("/r/data/seeds/000-a.ttl"), Path("/r"))
    'https://w3id.org/helsegraf/graph/data/seeds/000-a'
    """
    relative = path.resolve().relative_to(root.resolve()).with_suffix("")
    return graph_base(base) + relative.as_posix()


def bundled_files(root: Path) -> list[Path]:
    """The RDF files under ontology/, shapes/ and data/ of ``root``, in a stable order."""
    files: list[Path] = []
    for folder in BUNDLED_FOLDERS:
        directory = root / folder
        if directory.is_dir():
            files.extend(sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS))
    return files


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _recorded_checksums(store: Store, base: str) -> dict[str, str]:
    result = store.query(
        f"SELECT ?g ?sum WHERE {{ GRAPH <{meta_graph(base)}> {{ ?g <{SPDX}checksum>/<{SPDX}checksumValue> ?sum }} }}"
    )
    return {row["g"].value: row["sum"].value for row in result.rows()}


def _record(store: Store, base: str, graph: str, relative: str, digest: str, triples: int) -> None:
    meta = meta_graph(base)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    store.update(
        f"""
        DELETE {{ GRAPH <{meta}> {{ <{graph}> ?p ?o . ?o ?q ?r }} }}
        WHERE {{ GRAPH <{meta}> {{ <{graph}> ?p ?o OPTIONAL {{ ?o ?q ?r }} }} }} ;
        INSERT DATA {{ GRAPH <{meta}> {{
          <{graph}> <{RDF}type> <{VOID}Dataset> ;
            <{DCT}source> "{relative}" ;
            <{VOID}triples> {triples} ;
            <{DCT}modified> "{now}"^^<{XSD}dateTime> ;
            <{SPDX}checksum> [ <{SPDX}algorithm> <{SPDX}checksumAlgorithm_sha256> ;
                               <{SPDX}checksumValue> "{digest}" ] .
        }} }}
        """,
        graphs={meta},
    )


def load_files(
    store: Store,
    files: Iterable[Path],
    root: Path,
    base: str = DEFAULT_BASE,
    *,
    force: bool = False,
    progress: bool | None = None,
) -> list[LoadReport]:
    """Load ``files`` into ``store``, each into its own named graph, and record them in the meta graph.

    :param force: reload files whose checksum has not changed.
    :param progress: show a progress bar (default: when stderr is a terminal).
    :raises SyntaxError: when a file does not parse (its message names the file, line and column).
    """
    files = list(files)
    if progress is None:
        progress = sys.stderr.isatty()
    recorded = {} if force else _recorded_checksums(store, base)
    reports: list[LoadReport] = []
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=sum(p.stat().st_size for p in files), unit="B", unit_scale=True, desc="loading")
    for path in files:
        fmt = guess_format(path)
        graph = graph_iri(path, root, base)
        digest = checksum(path)
        relative = path.resolve().relative_to(root.resolve()).as_posix()
        reported = False
        if recorded.get(graph) == digest:
            reports.append(LoadReport(relative, graph, store.count(graph), skipped=True))
        else:
            bulk = path.stat().st_size >= BULK_BYTES
            try:
                if base != DEFAULT_BASE:
                    triples = _load_rebased(store, path, fmt, graph, base)
                else:
                    # A bulk load of one large file reports its progress as the engine reads it.
                    reported = bulk and bar is not None and "progress" in inspect.signature(store.load).parameters
                    extra = {"progress": bar.update} if reported and bar is not None else {}
                    triples = store.load(path, fmt, None if fmt in DATASET_FORMATS else graph, bulk=bulk,
                                         base_iri=graph, **extra)
            except SyntaxError as error:
                raise SyntaxError(f"{relative}: {error}") from error
            _record(store, base, graph, relative, digest, triples)
            reports.append(LoadReport(relative, graph, triples, skipped=False))
            log.info("loaded %s into <%s>: %d triples", relative, graph, triples)
        if bar is not None and not reported:
            bar.update(path.stat().st_size)
    if bar is not None:
        bar.close()
    return reports


def _load_rebased(store: Store, path: Path, fmt: str, graph: str, base: str) -> int:
    """Load a bundled file whose IRIs use the default base into a deployment with another base."""
    text = path.read_text(encoding="utf-8").replace(DEFAULT_BASE, base)
    return store.load(text.encode("utf-8"), fmt, None if fmt in DATASET_FORMATS else graph, base_iri=graph)


def load_bundled(store: Store, root: Path, base: str = DEFAULT_BASE, *, force: bool = False,
                 progress: bool | None = None) -> list[LoadReport]:
    """Load everything under ``root``'s ontology/, shapes/ and data/, then materialise the entailments."""
    from .inference import materialise

    reports = load_files(store, bundled_files(root), root, base, force=force, progress=progress)
    if force or any(not r.skipped for r in reports):
        materialise(store, base)
    return reports
