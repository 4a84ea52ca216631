"""Bearer-token authorisation of writes. Reads are public; writes are off unless a token is configured."""

from __future__ import annotations

import hmac

from flask import Response, request

from . import current_settings
from .errors import ClientError


def write_refusal() -> Response | None:
    """``None`` when the request may write; otherwise the answer to send (401) or raise (403).

    - no token configured on the server: 403 (writes are disabled);
    - no ``Authorization: Bearer`` header: 401 with ``WWW-Authenticate``;
    - a wrong token: 403. The comparison takes the same time wherever the tokens differ.
    """
    token = current_settings().write_token
    if not token:
        raise ClientError("writes are disabled on this server (no write token is configured)", 403)
    supplied = request.headers.get("Authorization", "")
    scheme, _, credentials = supplied.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        response = Response("401 Unauthorized\n\nwrites need 'Authorization: Bearer <token>'\n", 401,
                            mimetype="text/plain")
        response.headers["WWW-Authenticate"] = 'Bearer realm="helsegraf"'
        return response
    if not hmac.compare_digest(credentials.strip().encode("utf-8"), token.encode("utf-8")):
        raise ClientError("the write token is wrong", 403)
    return None
