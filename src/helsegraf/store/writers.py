"""Streaming writers of SELECT results (SPARQL JSON, XML, CSV, TSV) over a lazy iterator of solutions.

pyoxigraph serialises a whole ``QuerySolutions`` and nothing else, so a result cut at the row cap cannot go
through its serialiser. These writers consume the engine's solutions one at a time and write bytes as they go:
no list of rows, no JSON round trip. When the cap cut the result, the formats that can carry a remark say so in
the body (a ``truncated`` member in JSON, a comment in XML); CSV and TSV have nowhere to put it but the header.

The term syntax follows the W3C formats (and pyoxigraph's own writers, which the tests compare against).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import IO
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def write_solutions(out: IO[bytes], fmt: str, variables: list[str], solutions: Iterable,
                    truncated: int | bool = False) -> None:
    """Write ``solutions`` (pyoxigraph ``QuerySolution`` objects) to ``out`` in format ``fmt``."""
    {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[fmt](out, variables, solutions, truncated)


def _json_term(node) -> dict:
    if isinstance(node, ox.NamedNode):
        return {"type": "uri", "value": node.value}
    if isinstance(node, ox.BlankNode):
        return {"type": "bnode", "value": node.value}
    if isinstance(node, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(node.subject),
                                            "predicate": _json_term(node.predicate),
                                            "object": _json_term(node.object)}}
    term = {"type": "literal", "value": node.value}
    if node.language:
        term["xml:lang"] = node.language
    elif node.datatype.value != _XSD_STRING:
        term["datatype"] = node.datatype.value
    return term


def _json(out, variables, solutions, truncated) -> None:
    out.write(b'{"head":{"vars":' + json.dumps(variables).encode() + b'},"results":{"bindings":[')
    first = True
    for solution in solutions:
        row = {name: _json_term(value) for name in variables if (value := solution[name]) is not None}
        out.write((b"" if first else b",") + json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode())
        first = False
    out.write(b"]}")
    if truncated:
        out.write(b',"truncated":{"limit":' + str(int(truncated)).encode()
                  + b',"reason":"the result has more rows than the server\'s row limit (HELSEGRAF_MAX_RESULT_ROWS)"}')
    out.write(b"}")


def _xml_term(node) -> str:
    if isinstance(node, ox.NamedNode):
        return f"<uri>{escape(node.value)}</uri>"
    if isinstance(node, ox.BlankNode):
        return f"<bnode>{escape(node.value)}</bnode>"
    if isinstance(node, ox.Triple):
        return (f"<triple><subject>{_xml_term(node.subject)}</subject><predicate>{_xml_term(node.predicate)}"
                f"</predicate><object>{_xml_term(node.object)}</object></triple>")
    if node.language:
        return f"<literal xml:lang={quoteattr(node.language)}>{escape(node.value)}</literal>"
    if node.datatype.value != _XSD_STRING:
        return f"<literal datatype={quoteattr(node.datatype.value)}>{escape(node.value)}</literal>"
    return f"<literal>{escape(node.value)}</literal>"


def _xml(out, variables, solutions, truncated) -> None:
    head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
    out.write(f'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>{head}</head>'
              .encode())
    if truncated:
        out.write(f"<!-- truncated: the result has more rows than the server's row limit of {int(truncated)} "
                  "(HELSEGRAF_MAX_RESULT_ROWS) -->".encode())
    out.write(b"<results>")
    for solution in solutions:
        cells = "".join(f"<binding name={quoteattr(name)}>{_xml_term(value)}</binding>"
                        for name in variables if (value := solution[name]) is not None)
        out.write(f"<result>{cells}</result>".encode())
    out.write(b"</results></sparql>")


def _csv_cell(node) -> str:
    if node is None:
        return ""
    if isinstance(node, ox.BlankNode):
        text = f"_:{node.value}"
    elif isinstance(node, ox.Triple):
        text = str(node)
    else:
        text = node.value
    if any(c in text for c in '",\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv(out, variables, solutions, truncated) -> None:
    out.write((",".join(variables) + "\r\n").encode())
    for solution in solutions:
        out.write((",".join(_csv_cell(solution[name]) for name in variables) + "\r\n").encode())


_XSD = "http://www.w3.org/2001/XMLSchema#"
#: Literals that TSV (like Turtle) writes bare when their lexical form is Turtle's short form.
_BARE = {
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    _XSD + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
    _XSD + "boolean": re.compile(r"true|false"),
}


def _tsv_cell(node) -> str:
    if node is None:
        return ""
    if isinstance(node, ox.Literal) and not node.language:
        bare = _BARE.get(node.datatype.value)
        if bare is not None and bare.fullmatch(node.value):
            return node.value
    return str(node)


def _tsv(out, variables, solutions, truncated) -> None:
    out.write(("\t".join(f"?{v}" for v in variables) + "\n").encode())
    for solution in solutions:
        out.write(("\t".join(_tsv_cell(solution[name]) for name in variables) + "\n").encode())
