"""Settings: defaults, then ``HELSEGRAF_*`` environment variables, then command-line flags — built in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .namespaces import DEFAULT_BASE

#: The repository root when running from a checkout (where ontology/, shapes/ and data/ live).
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Every setting of a helsegraf process.

    >>> Settings().port
    8000
    >>> Settings.from_env({"HELSEGRAF_PORT": "9000"}).port
    9000
    """

    host: str = "127.0.0.1"
    port: int = 8000
    #: Directory of the on-disk store; ``None`` keeps the store in memory.
    store: str | None = None
    #: URL of a remote SPARQL 1.1 endpoint to use instead of the embedded store (see README).
    store_url: str | None = None
    #: Optional, for a remote store (see docs/remote-stores.md): the engine's Update and Graph Store Protocol
    #: URLs (default: from the engine's profile), credentials for writes, the authentication scheme
    #: (``digest`` or ``basic``) and the engine (``auto``, ``virtuoso``, ``oxigraph``, ``fuseki``, ``generic``).
    store_update_url: str | None = None
    store_gsp_url: str | None = None
    store_user: str | None = None
    store_password: str | None = None
    store_auth: str | None = None
    store_engine: str | None = None
    #: Load ontology/, shapes/ and data/ at start.
    bundled_data: bool = True
    #: Where the bundled ontology/, shapes/ and data/ are.
    data_root: str = str(PROJECT_ROOT)
    #: The base of every IRI helsegraf mints (instances, graphs, ontology).
    base: str = DEFAULT_BASE
    #: Bearer token that enables writes; writes are refused when unset.
    write_token: str | None = None
    #: Seconds a query may run before it is stopped.
    query_timeout: float = 30.0
    #: Seconds an update may run: it is first run on a throw-away copy in memory and refused (503, nothing
    #: written) past this (the served store; 0: no limit).
    update_timeout: float = 30.0
    #: Largest request body accepted, in bytes.
    max_body_bytes: int = 50 * 1024 * 1024
    #: Longest query or update accepted, in characters.
    max_query_chars: int = 100_000
    #: Most rows (or triples) a query result may have; longer results are cut and say so (0: no limit).
    max_result_rows: int = 100_000
    #: Worker processes that run queries under the time limit (``helsegraf serve``).
    query_workers: int = 4
    #: MiB of its own (no longer shared) memory after which a query worker is replaced by a fresh fork of the
    #: in-memory copy; pyoxigraph's reads dirty the pages they visit (0: never). One analytic query at 1M
    #: triples makes about 1.06 GiB of the copy a worker's own: a budget below that replaces the worker after
    #: each such query, and the next one pays the page faults again (2.3x slower, docs/benchmarks.md).
    worker_memory_mb: int = 4096
    #: Memory allocator of the in-memory engine and its query workers: ``jemalloc`` (used when libjemalloc.so.2
    #: is installed) or ``system``. With glibc's allocator a forked worker takes a copy-on-write fault on each
    #: heap page it allocates into, which makes a point lookup several times slower there than in the engine.
    engine_allocator: str = "jemalloc"
    #: Where queries on an on-disk store read: ``memory`` (an in-memory copy, made while a checkpoint of the store
    #: answers), ``disk`` (checkpoints of the store, renewed by every write: slower queries, no copy) or ``auto``
    #: (memory when the copy and its workers' share fit in the memory available, docs/operations.md).
    query_copy: str = "auto"
    #: Worker threads of the WSGI server.
    threads: int = 8
    #: SERVICE endpoints a query may call (federation is refused for any other).
    service_allow_list: tuple[str, ...] = field(default_factory=tuple)
    #: SHACL engine for validation: ``pyshacl`` (reference) or a faster one that agrees with it.
    shacl_engine: str = "pyshacl"
    #: Validate writes against the shapes and refuse those that introduce violations.
    validate_on_write: bool = True
    # --- agency (issue 14): the publisher named in the DCAT-AP-NO description (/dataset). Unset, nothing is
    # claimed: the publisher is "the helsegraf project" with no organisation number and the contact point is
    # the site itself. A deployer fills these in (README, "Dataset description"); DCAT-AP-NO v3 wants an e-mail.
    #: The publishing organisation's name, as registered.
    publisher_name: str | None = None
    #: Its organisation number (nine digits, Enhetsregisteret); makes the publisher Digdir's organisation IRI.
    publisher_organisation_number: str | None = None
    #: Its home page.
    publisher_url: str | None = None
    #: The contact point's e-mail address and page (default page: this site's front page).
    publisher_contact_email: str | None = None
    publisher_contact_url: str | None = None
    # --- the dataset of a query (issue 10) ---
    #: Without a stated dataset, the default graph is the RDF merge of all graphs (each triple once, like Fuseki's
    #: ``unionDefaultGraph``; updates and CLEAR DEFAULT see it too), or, when false, the store's own default
    #: graph, as SPARQL 1.1 and the W3C suites expect (the "standards mode").
    union_default_graph: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Build settings from ``HELSEGRAF_*`` variables, then apply ``overrides`` (CLI flags; ``None`` is ignored)."""
        env: Mapping[str, str] = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get("HELSEGRAF_" + f.name.upper())
            if raw is None or raw == "":
                continue
            values[f.name] = _convert(f.name, raw)
        settings = cls(**values)
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})


def _convert(name: str, raw: str) -> object:
    default = Settings.__dataclass_fields__[name].default
    if name in {"store", "store_url", "write_token"}:
        return raw
    if name == "service_allow_list":
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    if isinstance(default, bool):
        return _bool(raw)
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw
