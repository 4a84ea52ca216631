"""Map exceptions to HTTP answers in one place. Only server faults are logged with a traceback; no client
ever sees one."""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from .. import errors
from ..errors import ClientError

log = logging.getLogger("helsegraf.web")


# Re-exported: web modules raise ``ClientError(message, status)``.
__all__ = ["ClientError", "error_response", "register"]


def error_response(status: int, message: str, title: str | None = None) -> Response:
    """A plain-text error body: a short title line, then the detail (e.g. the parser's message)."""
    from werkzeug.http import HTTP_STATUS_CODES

    title = title or HTTP_STATUS_CODES.get(status, "Error")
    return Response(f"{status} {title}\n\n{message}\n", status=status, mimetype="text/plain")


def register(app: Flask) -> None:
    """Install the one mapping from exceptions to answers on ``app`` (see :mod:`helsegraf.errors`)."""

    @app.errorhandler(SyntaxError)
    def syntax_error(error: SyntaxError):
        # A parser's message with its line and column (pyoxigraph: "error at 1:19: expected ...").
        return error_response(400, str(error), "Bad Request: syntax error")

    @app.errorhandler(errors.HelsegrafError)
    def helsegraf_error(error: errors.HelsegrafError):
        if isinstance(error, errors.Unavailable):
            log.warning("unavailable on %s %s: %s", request.method, request.path, error)
            return error_response(error.status, str(error) or "the store is not available right now; try again later")
        if isinstance(error, errors.ServerError):
            log.error("server fault on %s %s: %s", request.method, request.path, error, exc_info=error)
            return error_response(500, "an internal error occurred; it has been logged")
        return error_response(error.status, str(error))

    @app.errorhandler(TimeoutError)
    def timeout(error: TimeoutError):
        # A query ran past the time limit and was stopped (store/workers.py); the server is fine.
        return error_response(503, str(error) or "the query ran past the time limit and was stopped")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        response = error_response(error.code or 500, error.description or "")
        valid_methods = getattr(error, "valid_methods", None)  # set by werkzeug's MethodNotAllowed
        if error.code == 405 and valid_methods:
            response.headers["Allow"] = ", ".join(valid_methods)
        return response

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "an internal error occurred; it has been logged")
