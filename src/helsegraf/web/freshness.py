"""When the data last changed: the change signal that the search index follows, and conditional GET
(``ETag`` / ``Last-Modified``, answered with 304) for the dataset description and the dumps, so that a
harvester need not download an unchanged dump again.

The signal is cheap and needs no line in the write path: a counter bumped after every successful write
request that this app serves (SPARQL Update, Graph Store PUT/POST/DELETE), paired with the store's quad
count (which also catches a ``helsegraf load`` into the same on-disk store by another process, unless that
load leaves the count exactly as it was — then a restart or the next write here brings the index in step).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from flask import Blueprint, Response, current_app, g, request

from ..namespaces import DCT, meta_graph

bp = Blueprint("freshness", __name__)

#: Representations that carry an ETag and Last-Modified and answer conditional requests.
CONDITIONAL_PATHS = {"/dataset", "/.well-known/void", "/dump.trig.gz", "/dump.nq.gz"}
#: Paths whose successful non-query POST/PUT/DELETE/PATCH changes the data.
WRITE_PATHS = {"/sparql", "/data"}
_WRITE_METHODS = {"POST", "PUT", "DELETE", "PATCH"}


class DataState:
    """The generation counter of one app and when its data was last seen to change."""

    def __init__(self) -> None:
        self.generation = 0
        self.token: str | None = None
        self.changed: datetime = datetime.now(UTC).replace(microsecond=0)


def _state() -> DataState:
    return current_app.extensions.setdefault("helsegraf_data_state", DataState())


def data_version() -> tuple[str, datetime]:
    """A token that changes whenever the data changes, and the time (whole seconds, UTC) it last changed."""
    from . import current_settings, current_store

    state = _state()
    store = current_store()
    token = f"{state.generation}-{store.count()}"
    if state.token is None:
        state.changed = _loaded_at(store, current_settings().base) or state.changed
    elif token != state.token:
        state.changed = datetime.now(UTC).replace(microsecond=0)
    state.token = token
    return token, state.changed


def _loaded_at(store, base: str) -> datetime | None:
    """The latest load time the loader recorded in the meta graph (so a restart does not pretend a change)."""
    rows = list(store.query(
        f"SELECT (MAX(?m) AS ?latest) WHERE {{ GRAPH <{meta_graph(base)}> {{ ?g <{DCT}modified> ?m }} }}").rows())
    if not rows or "latest" not in rows[0]:
        return None
    try:
        moment = datetime.fromisoformat(rows[0]["latest"].value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def _entity_tag(token: str) -> str:
    # The representation varies by Accept, Accept-Language and the query string, so they are part of the tag.
    key = "\n".join([token, request.path, request.query_string.decode("latin-1"),
                     request.headers.get("Accept", ""), request.headers.get("Accept-Language", "")])
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def _matches(header: str, tag: str) -> bool:
    """Weak comparison (RFC 9110 §13.1.2), as If-None-Match asks."""
    candidates = [part.strip() for part in header.split(",")]
    return "*" in candidates or any(c.removeprefix("W/") == tag for c in candidates)


def _not_modified_since(header: str, changed: datetime) -> bool:
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored (RFC 9110 §13.1.3)
    if since is None:
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return changed <= since


@bp.before_app_request
def answer_conditional_request():
    if request.method not in {"GET", "HEAD"} or request.path not in CONDITIONAL_PATHS:
        return None
    token, changed = data_version()
    tag = _entity_tag(token)
    g.freshness = (tag, changed)
    none_match = request.headers.get("If-None-Match")
    if none_match is not None:
        unchanged = _matches(none_match, tag)
    else:
        since = request.headers.get("If-Modified-Since")
        unchanged = since is not None and _not_modified_since(since, changed)
    if unchanged:
        return Response(status=304, headers=_validators(tag, changed))
    return None


def _validators(tag: str, changed: datetime) -> dict[str, str]:
    return {"ETag": tag, "Last-Modified": format_datetime(changed, usegmt=True),
            "Cache-Control": "no-cache", "Vary": "Accept, Accept-Language"}


@bp.after_app_request
def stamp_and_follow_writes(response):
    freshness = g.get("freshness")
    if freshness is not None and response.status_code == 200:
        for name, value in _validators(*freshness).items():
            if name == "Vary" and response.headers.get("Vary"):
                continue
            response.headers[name] = value
    if (request.method in _WRITE_METHODS and request.path in WRITE_PATHS and response.status_code < 300
            and g.get("operation_kind") != "query"):
        _state().generation += 1
    return response
