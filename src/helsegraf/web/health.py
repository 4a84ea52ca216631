"""Liveness and readiness."""

from flask import Blueprint, jsonify

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """The process answers."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """The store answers a query."""
    from . import current_store

    if current_store().ping():
        return jsonify(status="ready")
    return jsonify(status="store unavailable"), 503
