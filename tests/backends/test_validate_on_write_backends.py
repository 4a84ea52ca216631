"""Issue 12 defect 5 (and 4 on the write path): validate-on-write on the embedded store, Oxigraph server and
Virtuoso, under the default base and another one. The same invalid write is refused with 422 and the report
everywhere, and nothing is written; a valid write about the same node is accepted."""

from __future__ import annotations

import pytest
from conftest import _empty

from helsegraf.config import Settings
from helsegraf.namespaces import DEFAULT_BASE
from helsegraf.store.embedded import EmbeddedStore
from helsegraf.store.remote import RemoteStore
from helsegraf.web import create_app

TOKEN = "test-token-backends"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BASES = [DEFAULT_BASE, "https://example.org/hg/"]


@pytest.fixture(params=[(b, base) for b in ("embedded", "oxigraph", "virtuoso") for base in BASES],
                ids=lambda p: f"{p[0]}-{'default' if p[1] == DEFAULT_BASE else 'example.org'}")
def served(request, engine_factory):
    backend, base = request.param
    if backend == "embedded":
        store = EmbeddedStore()
    else:
        engine = engine_factory(backend)
        store = RemoteStore(engine.query_url, **engine.store_kwargs())
        _empty(store)
    app = create_app(Settings(write_token=TOKEN, base=base), store=store)
    yield app.test_client(), store, base
    if backend != "embedded":
        _empty(store)
        store.close()


def _ask(store, query: str) -> bool:
    return store.query(query).boolean


def test_issue_12_defect_5_invalid_write_refused_on_every_store_and_base(served):
    client, store, base = served
    levanger = f"{base}id/municipality/5037"
    graph = f"{base}graph/test/validate"
    bad = f'<{levanger}> <{base}ontology#municipalityNumber> "537" .'
    assert _ask(store, f"ASK {{ <{levanger}> a <{base}ontology#Municipality> }}"), "bundled data not loaded"
    before = store.count()

    response = client.put(f"/data?graph={graph}", data=bad, content_type="application/n-triples", headers=AUTH)

    assert response.status_code == 422, response.get_data(as_text=True)[:500]
    report = response.get_json()
    assert report["noViolations"] is False and report["counts"]["Violation"] >= 1
    assert any(r["focusNode"] == levanger and r["sourceConstraintComponent"].endswith("PatternConstraintComponent")
               for g in report["focusNodes"] for r in g["results"])
    assert store.count() == before
    assert not _ask(store, f'ASK {{ GRAPH ?g {{ <{levanger}> <{base}ontology#municipalityNumber> "537" }} }}')


def test_issue_12_defect_5_valid_write_accepted_on_every_store_and_base(served):
    client, store, base = served
    levanger = f"{base}id/municipality/5037"
    graph = f"{base}graph/test/validate-ok"
    good = f'<{levanger}> <http://www.w3.org/2000/01/rdf-schema#comment> "written by a test"@en .'

    response = client.put(f"/data?graph={graph}", data=good, content_type="application/n-triples", headers=AUTH)

    assert response.status_code in (201, 204), response.get_data(as_text=True)[:500]
    assert _ask(store, f"ASK {{ GRAPH <{graph}> {{ <{levanger}> ?p ?o }} }}")
    assert client.delete(f"/data?graph={graph}", headers=AUTH).status_code == 204
