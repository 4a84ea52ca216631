"""The one way a write reaches the store: guard, optional validation, one transaction, entailments.

Writes are serialised by a lock in this process (the only writer of the store), so that a trial run for
validation and the commit after it see the same state.

Validate-on-write (``Settings.validate_on_write``, when shape files exist under ``data_root``): the update is
first run on a copy of the store (:func:`helsegraf.store.writes.trial`); the nodes whose triples it changes —
and, where a type changed, the nodes that point at them — are validated with
:func:`helsegraf.validation.validate` in their state after the write. A write that *introduces* a result of
severity Violation on one of those nodes is refused with 422 and the SHACL report; violations that were
already there before the write do not block it. Nothing is written then.

Entailments: after a write the inferred graph is recomputed (:func:`helsegraf.inference.materialise`), so
inferred triples follow inserts, deletes, drops, PUTs and loads — unless the written graphs hold no triple a rule
reads or writes, before or after the write (:func:`helsegraf.inference.may_change_entailments`); see
docs/operations.md.
"""

from __future__ import annotations

import json
import logging
import threading

from flask import Response, request

from ..inference import materialise, may_change_entailments
from ..sparql import guards, negotiation
from . import current_settings, current_store
from .errors import ClientError

log = logging.getLogger("helsegraf.write")

_WRITE_LOCK = threading.Lock()


def commit(update: str, graphs: set[str | None] | None = None, *, base_iri: str | None = None) -> Response | None:
    """Run ``update`` as one transaction, after validation; return a 422 response when validation refuses it.

    :param graphs: the graphs the update may change (see :func:`guards.touched_graphs`); computed when absent.
    :param base_iri: against which relative IRIs in the update resolve (the request IRI).
    """
    settings, store = current_settings(), current_store()
    guards.check(update, settings.service_allow_list)
    if graphs is None:
        graphs = guards.touched_graphs(update, base_iri or "")
    with _WRITE_LOCK:
        try:
            store.rehearse(update, base_iri=base_iri, graphs=graphs)  # the update time limit (503 past it)
            if _validation_enabled(settings):
                refusal = _validate(store, update, graphs, settings, base_iri)
                if refusal is not None:
                    return refusal
            premises_before = may_change_entailments(store, graphs, settings.base)
            store.update(update, base_iri=base_iri)
        except RuntimeError as error:
            # pyoxigraph reports an update that cannot be carried out (CREATE of an existing graph, DROP of a
            # missing one without SILENT) as RuntimeError; the transaction is rolled back, so it is the
            # client's request that failed.
            raise ClientError(f"the update could not be carried out and changed nothing: {error}", 400) from None
        # Entailments follow every write (issue 10 defect 12): a dropped or changed graph can take away the
        # premises of inferred triples without naming any hierarchy term (DROP GRAPH <g>). A write whose graphs
        # hold no premise before or after it leaves them as they are (re-materialising reads every graph).
        if premises_before or may_change_entailments(store, graphs, settings.base):
            materialise(store, settings.base)
    return None


def _validation_enabled(settings) -> bool:
    if not settings.validate_on_write:
        return False
    from .. import validation

    return bool(validation.shape_sets(settings.data_root, include_meta=False))


def _validate(store, update: str, graphs, settings, base_iri: str | None = None) -> Response | None:
    from .. import validation
    from ..validation.on_write import new_violations

    outcome = new_violations(store, update, graphs, settings, base_iri)
    if outcome is None:
        return None
    log.info("write refused by validation: %d violation(s)", outcome.counts()["Violation"])
    # The report in what the client accepts (JSON when it accepts none of these: the 422 is the answer).
    wanted = negotiation.best_media_type(
        request.headers.get("Accept"), ["application/json", "text/turtle", "application/ld+json"]
    )
    if wanted == "text/turtle":
        return Response(outcome.serialize("turtle"), 422, mimetype="text/turtle")
    as_jsonld = wanted == "application/ld+json"
    body = json.loads(validation.report_as_jsonld(outcome)) if as_jsonld else outcome.to_json()
    return Response(
        json.dumps(body, ensure_ascii=False, indent=1),
        422,
        mimetype="application/ld+json" if as_jsonld else "application/json",
    )
