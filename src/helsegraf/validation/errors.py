"""The errors validation raises on purpose; the web layer and the CLI map each to an answer."""

from __future__ import annotations


class ValidationError(Exception):
    """Base of the errors this package raises on purpose."""


class UnknownShapeSetError(ValidationError, KeyError):
    """A shape set was asked for by a name that is no file stem in ``shapes/`` (the web layer answers 404)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0] if self.args else "unknown shape set"


class ShapesError(ValidationError, ValueError):
    """The shapes graph is malformed; ``shape`` names the offending shape where it can be found."""

    def __init__(self, message: str, shape: str | None = None):
        super().__init__(message)
        self.shape = shape


class UnknownEngineError(ValidationError, ValueError):
    """An engine name outside :data:`helsegraf.validation.engines.ENGINES`, or an engine not installed."""


class RDFSyntaxError(SyntaxError):
    """Data that do not parse, or hold no triples.

    ``lineno`` and ``offset`` are the 1-based line and column where the parser stopped, when it says;
    ``reason`` is the parser's message without the position.
    """

    reason: str = ""
