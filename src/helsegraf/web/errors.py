"""Map exceptions to HTTP answers in one place. Only server faults are logged with a traceback; no client
ever sees one."""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from ..sparql.negotiation import NotAcceptableError
from ..sparql.protocol import ProtocolError
from ..store import StoreError

log = logging.getLogger("helsegraf.web")


class ClientError(Exception):
    """A request the client must change; ``status`` is the HTTP status."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def error_response(status: int, message: str, title: str | None = None) -> Response:
    """A plain-text error body: a short title line, then the detail (e.g. the parser's message)."""
    from werkzeug.http import HTTP_STATUS_CODES

    title = title or HTTP_STATUS_CODES.get(status, "Error")
    return Response(f"{status} {title}\n\n{message}\n", status=status, mimetype="text/plain")


def register(app: Flask) -> None:
    """Install the error handlers on ``app``."""

    @app.errorhandler(SyntaxError)
    def syntax_error(error: SyntaxError):
        return error_response(400, str(error), "Bad Request: syntax error")

    @app.errorhandler(ProtocolError)
    def protocol_error(error: ProtocolError):
        return error_response(error.status, str(error))

    @app.errorhandler(ClientError)
    def client_error(error: ClientError):
        return error_response(error.status, str(error))

    @app.errorhandler(NotAcceptableError)
    def not_acceptable(error: NotAcceptableError):
        return error_response(406, str(error))

    @app.errorhandler(StoreError)
    def store_error(error: StoreError):
        log.error("store failure on %s %s: %s", request.method, request.path, error)
        return error_response(503, "the store is not available right now; try again later")

    @app.errorhandler(TimeoutError)
    def timeout(error: TimeoutError):
        # A query ran past the time limit and was stopped (store/workers.py); the server is fine.
        return error_response(503, str(error) or "the query ran past the time limit and was stopped")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        response = error_response(error.code or 500, error.description or "")
        if error.code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "an internal error occurred; it has been logged")
