"""Parse a SPARQL 1.1 Protocol request (query or update operation) from its method, parameters and body."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs

from ..errors import ClientError as ProtocolError  # a request the protocol does not allow (status 400/405/415)


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


def apply_update_dataset(text: str, default_graphs: list[str], named_graphs: list[str]) -> str:
    """Carry the protocol's ``using-graph-uri`` / ``using-named-graph-uri`` into the update text.

    SPARQL 1.1 Protocol §2.2.3: they set the dataset of every operation with a WHERE clause, as USING and
    USING NAMED would; an update that has its own USING, USING NAMED or WITH is then an error. The clauses go
    right before each top-level WHERE of an INSERT/DELETE operation (not after ``DELETE``, whose short form
    takes no USING).

    >>> apply_update_dataset("INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", ["http://g"], [])
    'INSERT { ?s ?p 1 } USING <http://g> WHERE { ?s ?p ?o }'
    """
    if not default_graphs and not named_graphs:
        return text
    from .guards import _TOKEN, decode_escapes

    clauses = "".join(f"USING <{_checked_iri(g)}> " for g in default_graphs)
    clauses += "".join(f"USING NAMED <{_checked_iri(g)}> " for g in named_graphs)
    out, last, depth, previous = [], 0, 0, ""
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group(0)
        if kind in ("ws", "comment"):
            continue
        word = decode_escapes(value).upper() if kind == "word" else ""
        if value == "{":
            depth += 1
        elif value == "}":
            depth -= 1
        elif depth == 0 and word in ("USING", "WITH"):
            raise ProtocolError(
                "the update has its own USING or WITH clause; it cannot also have "
                "using-graph-uri or using-named-graph-uri parameters"
            )
        elif depth == 0 and word == "WHERE" and previous != "DELETE":
            out.append(text[last : match.start()])
            out.append(clauses)
            last = match.start()
        previous = word or value
    out.append(text[last:])
    return "".join(out)


def _checked_iri(iri: str) -> str:
    import re

    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*", iri):
        raise ProtocolError(f"not an absolute IRI: {iri!r}")
    return iri
