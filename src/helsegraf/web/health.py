"""Liveness and readiness."""

from flask import Blueprint, jsonify

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """The process answers."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """The store answers a query; ``copy`` says whether queries read the in-memory copy yet (``"warming up"``:
    a checkpoint of the on-disk store answers them meanwhile, and writes wait for the copy)."""
    from . import current_store

    store = current_store()
    if not store.ping():
        return jsonify(status="store unavailable"), 503
    replica = getattr(store, "replica", None)
    if replica is None:
        return jsonify(status="ready")
    return jsonify(status="ready", copy="warming up" if replica.warming else "in memory")
