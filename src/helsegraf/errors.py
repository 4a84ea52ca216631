"""The one exception hierarchy: each class knows its HTTP status and its CLI exit code.

- :class:`ClientError` and its subclasses (4xx, exit code 2): the request must change. The message is the
  answer's body (the parser's or the engine's message, with line and column where there is one).
- :class:`ServerError` (500, exit code 1): a fault of ours; the web layer logs it with its traceback and tells
  the client only that it was logged.
- :class:`Unavailable` (503, exit code 3): only a time limit that stopped a query and a store that does not
  answer; the client may try again later.

A parser's ``SyntaxError`` (raised by pyoxigraph and rdflib) stays a ``SyntaxError`` and is answered 400;
:class:`BadSyntax` is ours, for bodies and parameters that do not parse, and is both.
"""

from __future__ import annotations


class HelsegrafError(Exception):
    """Base of helsegraf's own exceptions."""

    status: int = 500
    exit_code: int = 1

    def __init__(self, message: str = "", status: int | None = None):
        super().__init__(message)
        if status is not None:
            self.status = status


class ClientError(HelsegrafError):
    """A request the client must change (``status`` 4xx; 400 unless a subclass or the caller says otherwise)."""

    status = 400
    exit_code = 2


class BadRequest(ClientError):
    status = 400


class BadSyntax(BadRequest, SyntaxError):
    """A body, query or parameter that does not parse; the message holds the parser's message and position."""


class EvaluationError(BadRequest):
    """The engine refused to evaluate a well-formed request (unknown function, CREATE of an existing graph,
    DROP of a missing one): the client's request failed and nothing was changed."""


class Forbidden(ClientError):
    status = 403


class NotFound(ClientError):
    status = 404


class MethodNotAllowed(ClientError):
    status = 405


class NotAcceptable(ClientError):
    """Nothing the client accepts can be produced."""

    status = 406


class PayloadTooLarge(ClientError):
    status = 413


class UnsupportedMediaType(ClientError):
    status = 415


class Unprocessable(ClientError):
    """Well-formed but refused on its content (e.g. a write that introduces SHACL violations)."""

    status = 422


class ServerError(HelsegrafError):
    """A fault of ours or of the store (I/O, corruption): logged with its traceback, answered 500."""

    status = 500
    exit_code = 1


class StoreError(ServerError):
    """A fault of the store itself (I/O, corruption, an engine answering nonsense)."""


class Unavailable(StoreError):
    """The store does not answer (a remote engine is down, a worker died): 503, try again later."""

    status = 503
    exit_code = 3


class QueryTimeout(Unavailable, TimeoutError):
    """A query ran past the time limit and was stopped; the server is fine."""


def status_of(error: BaseException) -> int:
    """The HTTP status of any exception: its own, 400 for a parser's SyntaxError, 503 for a timeout, else 500."""
    if isinstance(error, HelsegrafError):
        return error.status
    if isinstance(error, SyntaxError):
        return 400
    if isinstance(error, TimeoutError):
        return 503
    return 500


def exit_code_of(error: BaseException) -> int:
    """The CLI exit code of any exception (2 for the user's mistakes, 3 when the store is unavailable, else 1)."""
    if isinstance(error, HelsegrafError):
        return error.exit_code
    if isinstance(error, SyntaxError):
        return 2
    if isinstance(error, TimeoutError):
        return 3
    return 1
