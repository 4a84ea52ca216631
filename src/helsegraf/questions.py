"""The header of a query file the project owns (``queries/cq/*.rq``): ``# Key: value`` comment lines.

The competency-question tests and the query UI's example gallery read headers here, one way.
"""

from __future__ import annotations

import re

#: Header fields every competency question must carry (``# Field: value``), in this order.
HEADER_FIELDS = ("Title(nb)", "Title(en)", "Q(nb)", "Q(en)", "Audience")
#: Optional header fields.
OPTIONAL_FIELDS = ("Shows", "Note")

_HEADER_LINE = re.compile(r"^#\s*([A-Za-z]+(?:\([a-z]{2}\))?)\s*:\s*(.*\S)\s*$")


def parse_header(text: str) -> dict[str, str]:
    """The ``# Key: value`` lines at the top of a query, up to the first line that is not a comment.

    A value may continue on following comment lines that are not themselves ``Key:`` lines.

    >>> parse_header("# Title(nb): Enheter\\n# Audience: planner\\nSELECT * {}")
    {'Title(nb)': 'Enheter', 'Audience': 'planner'}
    """
    header: dict[str, str] = {}
    last: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        match = _HEADER_LINE.match(stripped)
        if match and (match.group(1) in HEADER_FIELDS or match.group(1) in OPTIONAL_FIELDS):
            last = match.group(1)
            header[last] = match.group(2)
        elif last is not None and stripped.lstrip("#").strip():
            header[last] += " " + stripped.lstrip("#").strip()
        else:
            last = None
    return header


def by_language(header: dict[str, str], key: str) -> dict[str, str]:
    """``{"nb": …, "en": …}`` for a header key such as ``Title`` or ``Q`` (only the languages present).

    >>> by_language({"Title(nb)": "Enheter", "Title(en)": "Units"}, "Title")
    {'nb': 'Enheter', 'en': 'Units'}
    """
    return {lang: header[f"{key}({lang})"] for lang in ("nb", "en") if header.get(f"{key}({lang})")}
