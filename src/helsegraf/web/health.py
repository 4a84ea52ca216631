"""Liveness and readiness."""

from flask import Blueprint, jsonify

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """The process answers."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """The store answers a query; ``copy`` says where queries read: ``"in memory"`` (the copy), ``"warming up"``
    (a checkpoint of the on-disk store answers while the copy is made, and writes wait for it) or ``"on disk"``
    (the copy would not fit in memory, or ``HELSEGRAF_QUERY_COPY=disk``)."""
    from . import current_store

    store = current_store()
    if not store.ping():
        return jsonify(status="store unavailable"), 503
    replica = getattr(store, "replica", None)
    if replica is None:
        return jsonify(status="ready")
    copy = "on disk" if replica.on_disk else "warming up" if replica.warming else "in memory"
    return jsonify(status="ready", copy=copy)
