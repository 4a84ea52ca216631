"""The one way a write reaches the store: guard, optional validation, one transaction, entailments.

Writes are serialised by a lock in this process (the only writer of the store), so that a trial run for
validation and the commit after it see the same state.

Validate-on-write (``Settings.validate_on_write``, when shape files exist under ``data_root``): the update is
first run on a copy of the store (:func:`helsegraf.store.writes.trial`); the nodes whose triples it changes —
and, where a type changed, the nodes that point at them — are validated with
:func:`helsegraf.validation.validate` in their state after the write. A write that *introduces* a result of
severity Violation on one of those nodes is refused with 422 and the SHACL report; violations that were
already there before the write do not block it. Nothing is written then.

Entailments: after every write the inferred graph is recomputed (:func:`helsegraf.inference.materialise`), so
inferred triples follow inserts, deletes, drops, PUTs and loads; see docs/operations.md.
"""

from __future__ import annotations

import json
import logging
import threading

from flask import Response, request

from ..sparql import guards
from . import current_settings, current_store
from .errors import ClientError

log = logging.getLogger("helsegraf.write")

_WRITE_LOCK = threading.Lock()


def commit(update: str, graphs: set[str | None] | None = None) -> Response | None:
    """Run ``update`` as one transaction, after validation; return a 422 response when validation refuses it.

    :param graphs: the graphs the update may change (see :func:`guards.touched_graphs`); computed when absent.
    """
    settings, store = current_settings(), current_store()
    guards.check(update, settings.service_allow_list)
    if graphs is None:
        graphs = guards.touched_graphs(update)
    with _WRITE_LOCK:
        try:
            if _validation_enabled(settings):
                refusal = _validate(store, update, graphs, settings)
                if refusal is not None:
                    return refusal
            store.update(update)
        except RuntimeError as error:
            # pyoxigraph reports an update that cannot be carried out (CREATE of an existing graph, DROP of a
            # missing one without SILENT) as RuntimeError; the transaction is rolled back, so it is the
            # client's request that failed.
            raise ClientError(f"the update could not be carried out and changed nothing: {error}", 400) from None
        # Entailments follow every write (issue 10 defect 12): a dropped or changed graph can take away the
        # premises of inferred triples without naming any hierarchy term (DROP GRAPH <g>).
        from ..inference import materialise

        materialise(store, settings.base)
    return None


def _validation_enabled(settings) -> bool:
    if not settings.validate_on_write:
        return False
    from .. import validation

    return bool(validation.shape_sets(settings.data_root, include_meta=False))


def _validate(store, update: str, graphs, settings) -> Response | None:
    import rdflib

    from .. import validation
    from ..store import writes

    delta = writes.trial(store, update, graphs)
    focus = {rdflib.URIRef(n[1:-1]) for n in delta.focus if n.startswith("<")}
    if not delta.changed or not focus:
        return None
    after = rdflib.Graph().parse(data=delta.after, format="nt")
    outcome = validation.validate(after, focus=focus, root=settings.data_root, engine=settings.shacl_engine)
    new = _violations(outcome)
    if new:
        before = rdflib.Graph().parse(data=delta.before, format="nt")
        new -= _violations(validation.validate(before, focus=focus, root=settings.data_root,
                                               engine=settings.shacl_engine))
    if not new:
        return None
    log.info("write refused by validation: %d new violation(s)", len(new))
    accept = request.headers.get("Accept", "")
    if "text/turtle" in accept:
        return Response(outcome.serialize("turtle"), 422, mimetype="text/turtle")
    body = json.loads(validation.report_as_jsonld(outcome)) if "ld+json" in accept else outcome.to_json()
    return Response(json.dumps(body, ensure_ascii=False, indent=1), 422,
                    mimetype="application/ld+json" if "ld+json" in accept else "application/json")


def _violations(outcome) -> set[tuple]:
    return {(str(r.focus_node), str(r.path), str(r.component), str(r.source_shape), str(r.value))
            for r in outcome.results if r.severity == "Violation"}
