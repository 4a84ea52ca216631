"""Parse a SPARQL 1.1 Protocol request (query or update operation) from its method, parameters and body."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs


class ProtocolError(Exception):
    """A request the protocol does not allow; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class Operation:
    """One query or update with its dataset."""

    kind: str  # "query" or "update"
    text: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    #: The ``format`` parameter, an alternative to Accept that browsers' links can carry.
    format: str | None = None


def _one(values: dict[str, list[str]], name: str) -> str | None:
    found = values.get(name, [])
    if len(found) > 1:
        raise ProtocolError(f"the request has {len(found)} '{name}' parameters; the protocol allows one")
    return found[0] if found else None


def parse_operation(method: str, content_type: str | None, query_string: str, body: bytes) -> Operation:
    """Parse a request to the SPARQL endpoint.

    >>> parse_operation("GET", None, "query=ASK%7B%7D&default-graph-uri=http%3A%2F%2Fg", b"").default_graphs
    ['http://g']

    :raises ProtocolError: for requests the SPARQL 1.1 Protocol forbids (400) or media types it does not
        define (415).
    """
    url_params = parse_qs(query_string, keep_blank_values=True)
    mime = (content_type or "").split(";")[0].strip().lower()
    if method in ("GET", "HEAD"):
        if "update" in url_params:
            raise ProtocolError("updates must be sent with POST (SPARQL 1.1 Protocol §2.2)")
        params = url_params
        text = _one(params, "query")
        kind = "query"
    elif method == "POST":
        if mime == "application/x-www-form-urlencoded":
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError as error:
                raise ProtocolError(f"the form body is not UTF-8: {error}") from None
            if "query" in url_params or "update" in url_params:
                raise ProtocolError("a form POST carries the query or update in its body, not in the URL")
            params = {**url_params, **form}
            query, update = _one(form, "query"), _one(form, "update")
            if query is not None and update is not None:
                raise ProtocolError("the request has both 'query' and 'update'; send one operation")
            kind, text = ("update", update) if update is not None else ("query", query)
        elif mime == "application/sparql-query":
            params, kind = url_params, "query"
            text = _decode(body)
        elif mime == "application/sparql-update":
            params, kind = url_params, "update"
            text = _decode(body)
        else:
            raise ProtocolError(
                f"unsupported media type '{mime or '(none)'}': use application/sparql-query, "
                "application/sparql-update or application/x-www-form-urlencoded",
                status=415,
            )
    else:
        raise ProtocolError(f"method {method} is not allowed here", status=405)
    if text is None:
        raise ProtocolError("missing 'query' (or 'update') parameter")
    if kind == "query":
        defaults, nameds = params.get("default-graph-uri", []), params.get("named-graph-uri", [])
        if params.get("using-graph-uri") or params.get("using-named-graph-uri"):
            raise ProtocolError("using-graph-uri and using-named-graph-uri belong to updates, not queries")
    else:
        defaults, nameds = params.get("using-graph-uri", []), params.get("using-named-graph-uri", [])
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            raise ProtocolError("default-graph-uri and named-graph-uri belong to queries, not updates")
    # Clients such as SPARQLWrapper repeat 'format' (and add 'output'/'results'); the first value counts.
    fmt = next(iter(params.get("format", []) + params.get("output", [])), None)
    return Operation(kind, text, list(defaults), list(nameds), fmt)


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(f"the body is not UTF-8: {error}") from None
