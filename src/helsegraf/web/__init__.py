"""The Flask application: ``create_app(settings)`` is the one place it is assembled."""

from __future__ import annotations

import logging
import time
import uuid
from pathlib import Path

from flask import Flask, current_app, g, request

from ..config import Settings
from ..store import Store, open_store

log = logging.getLogger("helsegraf.access")


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    """Build the app on ``store`` (opened from ``settings`` when not given), loading the bundled data if asked.

    >>> app = create_app(Settings(bundled_data=False))
    >>> app.test_client().get("/healthz").status_code
    200
    """
    settings = settings or Settings.from_env()
    if store is None:
        store = open_store(settings)
    if settings.bundled_data:
        from ..loader import load_bundled

        load_bundled(store, Path(settings.data_root), settings.base)

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.extensions["helsegraf"] = {"settings": settings, "store": store}

    from . import errors, health, sparql

    errors.register(app)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(health.bp)
    from . import linked_data, pictures, ui  # the browser face: query UI, linked data, pictures

    app.register_blueprint(ui.bp)
    app.register_blueprint(linked_data.bp)
    app.register_blueprint(pictures.bp)
    from . import release  # citable releases and query permalinks

    app.register_blueprint(release.bp)
    from . import graph_store

    app.register_blueprint(graph_store.bp)
    from .validate import bp as validate_bp  # POST/GET /validate (SHACL for planners)

    app.register_blueprint(validate_bp)
    from . import freshness  # noqa: E402 - ETag/Last-Modified on /dataset and the dumps; the change signal
    app.register_blueprint(freshness.bp)
    from . import search_page  # noqa: E402 - /search
    app.register_blueprint(search_page.bp)
    from . import reconcile  # noqa: E402 - /reconcile (W3C Reconciliation Service API 0.2)
    app.register_blueprint(reconcile.bp)
    from . import openapi  # noqa: E402 - /openapi.json
    app.register_blueprint(openapi.bp)
    _install_request_hooks(app)
    return app


def current_store() -> Store:
    """The store of the running app."""
    return current_app.extensions["helsegraf"]["store"]


def current_settings() -> Settings:
    """The settings of the running app."""
    return current_app.extensions["helsegraf"]["settings"]


#: Paths whose read requests any web page may make (CORS), so other agencies' pages can query the graph.
_CORS_READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def _install_request_hooks(app: Flask) -> None:
    @app.before_request
    def start_clock():
        g.request_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex[:16]
        g.started = time.perf_counter()

    @app.after_request
    def finish(response):
        response.headers["X-Request-Id"] = g.get("request_id", "")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
        )
        is_read = request.method in _CORS_READ_METHODS or (
            request.method == "POST" and g.get("operation_kind") == "query"
        )
        if is_read:
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Expose-Headers"] = "Content-Type, X-Request-Id, X-Result-Truncated, X-Helsegraf-Release, Link"
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Methods"] = "GET, POST, HEAD, OPTIONS"
                response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
                response.headers["Access-Control-Max-Age"] = "86400"
        if request.path == "/sparql" or request.method not in _CORS_READ_METHODS:
            from .release import forget_release, stamp  # name the release an answer was computed on

            if request.method not in _CORS_READ_METHODS and g.get("operation_kind") != "query":
                forget_release()
            if request.path == "/sparql":
                stamp(response)
        elapsed_ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        log.info(
            'request_id=%s method=%s path=%s status=%d duration_ms=%.1f',
            g.get("request_id", "-"), request.method, request.path, response.status_code, elapsed_ms,
        )
        return response
