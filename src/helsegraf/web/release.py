"""Citable releases and query permalinks.

A *release* of the graph is named by the package version and a checksum of what was loaded: the loader records
the SHA-256 of every loaded file in ``{base}graph/meta`` (:mod:`helsegraf.loader`); the release checksum is the
SHA-256 of the sorted ``graph checksum`` lines, so the same files give the same release on every machine and
after every restart, and a changed file gives a new one. Its IRI is ``{base}release/{version}+{checksum[:12]}``.

* ``/release`` describes the running release (JSON, or Turtle by Accept): IRI, version, checksum, the date the
  data was loaded, the graphs with their checksums, and dated dump names; ``/dump.trig.gz.sha256`` (and
  ``.nq.gz.sha256``) give a dump's SHA-256 in ``sha256sum`` format.
* Every ``/sparql`` answer carries ``X-Helsegraf-Release`` (and a ``Link: <release IRI>; rel="version"``).
* ``/permalink?query=`` runs a query and answers the release, a hash of its result and a stateless URL
  (``/?query=…&release=…&hash=…``) that reopens the query in the UI, where the page says whether today's graph
  still gives the same result. The hash is over a canonical form of the result (see :func:`result_hash`), so it
  does not depend on row order, serialisation or blank-node labels.

Writes made through the API after loading are not part of a release (the release names the loaded files); the
README says so where it explains how to cite a result.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

import rdflib
from flask import Blueprint, Response, abort, current_app, request
from rdflib.compare import to_canonical_graph

from .. import __version__
from ..namespaces import DCT, SPDX, meta_graph
from ..store import QueryResult, Term
from . import current_settings, current_store

bp = Blueprint("release", __name__)

#: The response header that names the release a ``/sparql`` answer was computed on.
HEADER = "X-Helsegraf-Release"


@dataclass(frozen=True)
class Release:
    """One release of the graph."""

    iri: str
    id: str
    version: str
    checksum: str
    loaded: str
    graphs: tuple[tuple[str, str], ...]

    def dump_name(self, suffix: str) -> str:
        """A dated, versioned file name for a dump, e.g. ``helsegraf-0.1.0+ab12…-2026-12-02.trig.gz``."""
        day = self.loaded[:10] or "undated"
        return f"helsegraf-{self.id}-{day}.{suffix}"


def compute_release() -> Release:
    """Read the meta graph and name the release it records."""
    base = current_settings().base
    rows = current_store().query(
        f"SELECT ?g ?sum ?modified WHERE {{ GRAPH <{meta_graph(base)}> {{ "
        f"?g <{SPDX}checksum>/<{SPDX}checksumValue> ?sum OPTIONAL {{ ?g <{DCT}modified> ?modified }} }} }}").rows()
    graphs: dict[str, str] = {}
    loaded = ""
    for row in rows:
        graphs[row["g"].value] = row["sum"].value
        if row.get("modified") is not None:
            loaded = max(loaded, row["modified"].value)
    ordered = tuple(sorted(graphs.items()))
    checksum = hashlib.sha256("".join(f"{g} {s}\n" for g, s in ordered).encode("utf-8")).hexdigest()
    release_id = f"{__version__}+{checksum[:12]}"
    return Release(base + "release/" + release_id, release_id, __version__, checksum, loaded, ordered)


def current_release() -> Release:
    """The running release, computed once and kept until a write (see :func:`forget_release`)."""
    state = current_app.extensions["helsegraf"]
    if state.get("release") is None:
        state["release"] = compute_release()
    return state["release"]


def forget_release() -> None:
    """Drop the kept release after a write, so a reload of changed files names a new one."""
    current_app.extensions["helsegraf"].pop("release", None)


def stamp_ready() -> None:
    """Compute the release now if it is not kept, so that :func:`stamp` needs no query later."""
    try:
        current_release()
    except Exception:  # noqa: BLE001 - as in stamp: a store that is down is reported by the query itself
        pass


def stamp(response: Response) -> None:
    """Name the release on a ``/sparql`` answer (called by the app's after-request hook)."""
    try:
        release = current_release()
    except Exception:  # noqa: BLE001 - a store that is down must not turn an answer into a second error
        return
    response.headers[HEADER] = release.iri
    response.headers.add("Link", f'<{release.iri}>; rel="version"')


# --- result hashes ----------------------------------------------------------------------------------------

def _canonical(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "bnode":
        return "_:b"  # blank-node labels differ between runs; their positions still count
    return term.n3()


def result_hash(result: QueryResult) -> tuple[str, int]:
    """``sha256:…`` of the canonical form of ``result`` and its number of rows (or triples).

    Canonical form: for SELECT, the sorted variable names, then one line per solution (``?v=<n-triples term>``
    joined by tabs, in variable order), lines sorted; for ASK, ``true``/``false``; for a graph, the sorted
    canonical N-Triples lines (rdflib's canonical blank-node labels). Blank nodes in solutions are ``_:b``.
    """
    if result.kind == "boolean":
        lines, count = ["true" if result.boolean else "false"], 1
    elif result.kind == "solutions":
        names = sorted(result.variables)
        lines = sorted("\t".join(f"?{n}={_canonical(row.get(n))}" for n in names) for row in result.rows())
        count = len(lines)
        lines.insert(0, " ".join(names))
    else:
        # Graph results go through the store's own N-Triples writer (every store has it), then rdflib's
        # canonical labelling, so isomorphic graphs hash alike whatever blank-node labels the engine chose.
        buffer = io.BytesIO()
        result.write(buffer, "ntriples")
        graph = to_canonical_graph(rdflib.Graph().parse(data=buffer.getvalue(), format="nt"))
        lines = sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip())
        count = len(lines)
    digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    return "sha256:" + digest, count


def permalink_of(query: str) -> dict:
    """Run ``query`` and say what a citation needs: release, result hash, row count and the permalink."""
    release = current_release()
    digest, count = result_hash(current_store().query(query))
    url = "/?" + urlencode({"query": query, "release": release.id, "hash": digest})
    return {"query": query, "release": release.id, "release_iri": release.iri, "hash": digest, "rows": count,
            "permalink": url}


def check_permalink(query: str, release_id: str, digest: str) -> dict:
    """Compare a permalink's release and hash with what this server gives today."""
    today = permalink_of(query)
    return {**today, "cited_release": release_id, "cited_hash": digest,
            "same_release": release_id == today["release"], "same_result": digest == today["hash"]}


# --- dump checksums --------------------------------------------------------------------------------------

class _Digest:
    """A write-only file that only hashes what it is given (a dump is never held in memory)."""

    def __init__(self):
        self.sha256 = hashlib.sha256()

    def write(self, data) -> int:
        self.sha256.update(data)
        return len(data)

    def flush(self) -> None:
        pass


def dump_checksum(name: str) -> str:
    """SHA-256 of the gzip dump ``name`` of the running release, written once and kept per release.

    The dump is gzip with a zero timestamp, so the same release gives the same bytes and the same checksum.
    """
    from .linked_data import DUMPS, _gzip_dump

    release = current_release()
    kept = current_app.extensions["helsegraf"].setdefault("dump_checksums", {})
    key = (release.id, name)
    if key not in kept:
        digest = _Digest()
        _gzip_dump(current_store(), digest, DUMPS[name])
        kept[key] = digest.sha256.hexdigest()
    return kept[key]


# --- routes ------------------------------------------------------------------------------------------------

@bp.route("/dump.trig.gz.sha256")
@bp.route("/dump.nq.gz.sha256")
def dump_checksum_file():
    """``sha256sum`` format: the checksum and the dated file name the dump is served under."""
    name = request.path.lstrip("/").removesuffix(".sha256")
    release = current_release()
    return Response(f"{dump_checksum(name)}  {release.dump_name(name[5:])}\n", mimetype="text/plain")


@bp.route("/release")
def release_page():
    """The running release as JSON (default) or Turtle (``Accept: text/turtle``)."""
    release = current_release()
    dumps = {name: {"url": "/" + name, "file": release.dump_name(name[5:]), "sha256": "/" + name + ".sha256"}
             for name in ("dump.trig.gz", "dump.nq.gz")}
    if request.accept_mimetypes.best_match(["application/json", "text/turtle"]) == "text/turtle":
        lines = [f"<{release.iri}> a <http://www.w3.org/ns/dcat#Dataset> ;",
                 f'  <http://www.w3.org/2002/07/owl#versionInfo> "{release.id}" ;',
                 f'  <{SPDX}checksum> [ <{SPDX}algorithm> <{SPDX}checksumAlgorithm_sha256> ; '
                 f'<{SPDX}checksumValue> "{release.checksum}" ] ;',
                 f"  <{DCT}isVersionOf> <{current_settings().base}dataset> ."]
        return Response("\n".join(lines) + "\n", mimetype="text/turtle")
    body = {**asdict(release), "graphs": dict(release.graphs), "dumps": dumps}
    return Response(json.dumps(body, indent=2), mimetype="application/json")


@bp.route("/permalink")
def permalink():
    """``?query=`` → release, result hash and permalink (JSON); with ``release`` and ``hash``, also a check."""
    query = request.args.get("query", "")
    if not query.strip():
        abort(400, description="give the query as ?query=")
    cited_release, cited_hash = request.args.get("release"), request.args.get("hash")
    body = check_permalink(query, cited_release, cited_hash) if cited_release and cited_hash \
        else permalink_of(query)
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")
