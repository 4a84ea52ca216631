"""The streaming result writers agree with the engine's own serialisers, and say when the row cap cut."""

import io
import json

import pyoxigraph as ox
import pytest

from helsegraf.store.embedded import _RESULT_FORMATS
from helsegraf.store.writers import write_solutions

pytestmark = pytest.mark.unit

QUERY = """SELECT ?a ?b ?c WHERE { VALUES (?a ?b ?c) {
  (<http://x/a> "t\\tab, \\"q\\"\\nline" 1) (<http://x/b> "hei"@nb 2.5) (<http://x/é> UNDEF "x"^^<http://x/dt>)
  (UNDEF true "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>) (<http://x/c> "-1.5e3"^^<http://www.w3.org/2001/XMLSchema#double> "01"^^<http://www.w3.org/2001/XMLSchema#integer>) } }"""


def both(fmt: str) -> tuple[bytes, bytes]:
    store = ox.Store()
    engine = io.BytesIO()
    store.query(QUERY).serialize(engine, _RESULT_FORMATS[fmt])
    result = store.query(QUERY)
    ours = io.BytesIO()
    write_solutions(ours, fmt, [v.value for v in result.variables], result)
    return engine.getvalue(), ours.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_text_formats_are_byte_for_byte_the_engine_s(fmt):
    engine, ours = both(fmt)
    assert ours == engine


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_structured_formats_parse_to_the_engine_s_solutions(fmt):
    engine, ours = both(fmt)

    def rows(data):
        parsed = ox.parse_query_results(data, _RESULT_FORMATS[fmt])
        return [[str(s[v]) if s[v] is not None else None for v in ("a", "b", "c")] for s in parsed]

    assert rows(ours) == rows(engine) and len(rows(ours)) == 5


def test_a_cut_result_says_so_in_the_body():
    store = ox.Store()
    result = store.query(QUERY)
    out = io.BytesIO()
    write_solutions(out, "json", ["a", "b", "c"], iter(list(result)[:2]), truncated=2)
    body = json.loads(out.getvalue())
    assert len(body["results"]["bindings"]) == 2 and body["truncated"]["limit"] == 2
    out = io.BytesIO()
    write_solutions(out, "xml", ["a", "b", "c"], iter([]), truncated=2)
    assert b"truncated" in out.getvalue()
    assert list(ox.parse_query_results(out.getvalue(), ox.QueryResultsFormat.XML)) == []
