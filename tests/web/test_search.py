"""/search over HTTP: JSON and the page (nb/en), folding, stemming, types, paging, bad input, and an index that
follows writes."""

import pytest
from web_app import app, client  # noqa: F401 - fixtures

from helsegraf.config import Settings
from helsegraf.web import create_app

ID = "https://w3id.org/helsegraf/id/"
HG = "https://w3id.org/helsegraf/ontology#"


def _search(client, **params):
    response = client.get("/search", query_string={**params, "format": "json"})
    assert response.status_code == 200, response.data
    assert response.mimetype == "application/json"
    return response.get_json()


@pytest.mark.parametrize("query", ["hoylandet", "Hoylandet", "Høylandet", "hoeylandet", "høyland"])
def test_hoylandet_finds_hoylandet(client, query):
    assert _search(client, q=query)["results"][0]["iri"] == ID + "municipality/5046"


def test_norwegian_letters_stay_distinct():
    """A word written with æ, ø or å matches only that letter; an ASCII word also matches the folded form."""
    app = create_app(Settings(bundled_data=False))
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    app.extensions["helsegraf"]["store"].load(
        f'<{ID}x/a> <{label}> "Bør"@nb .\n<{ID}x/b> <{label}> "Bor"@nb .\n<{ID}x/c> <{label}> "Bår"@nb .'.encode(),
        "ntriples", "urn:x:g")
    client = app.test_client()
    assert [r["iri"] for r in _search(client, q="bør")["results"]] == [ID + "x/a"]
    assert [r["iri"] for r in _search(client, q="bår")["results"]] == [ID + "x/c"]
    assert _search(client, q="bor")["results"][0]["iri"] == ID + "x/b"  # the equal name first
    assert {r["iri"] for r in _search(client, q="bor")["results"]} == {ID + "x/a", ID + "x/b"}
    assert {r["iri"] for r in _search(client, q="baar")["results"]} == {ID + "x/c"}


def test_stemming_finds_other_forms(client):
    singular = {r["iri"] for r in _search(client, q="helsetjeneste", limit=100)["results"]}
    plural = {r["iri"] for r in _search(client, q="helsetjenester", limit=100)["results"]}
    assert singular and singular == plural


def test_sami_and_nynorsk_forms_and_numbers(client):
    assert _search(client, q="Kárášjohka")["results"][0]["iri"] == ID + "municipality/5610"
    assert _search(client, q="karasjohka")["results"][0]["iri"] == ID + "municipality/5610"
    assert _search(client, q="5037")["results"][0]["iri"] == ID + "municipality/5037"
    assert _search(client, q="Helse Bergen")["results"][0]["iri"] == ID + "health-trust/helse-bergen"


def test_types_filter_and_facets(client):
    everything = _search(client, q="levanger")
    assert any(f["iri"] == HG + "Municipality" for f in everything["facets"]["types"])
    only = _search(client, q="levanger", type="Municipality")
    assert [r["iri"] for r in only["results"]] == [ID + "municipality/5037"]
    assert only["total"] < everything["total"]


def test_ranking_puts_the_equal_name_first_and_pages(client):
    first = _search(client, q="levanger", limit=2)
    second = _search(client, q="levanger", limit=2, offset=2)
    assert first["results"][0]["name"] == "Levanger"
    assert first["results"][0]["score"] >= first["results"][1]["score"]
    assert not {r["iri"] for r in first["results"]} & {r["iri"] for r in second["results"]}


def test_page_in_norwegian_and_english(client):
    page = client.get("/search?q=hoylandet")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "Høylandet" in html and "treff for" in html and 'href="/id/municipality/5046"' in html
    english = client.get("/search?q=hoylandet&lang=en").get_data(as_text=True)
    assert "results for" in english
    empty = client.get("/search", headers={"Accept": "text/html"})
    assert empty.status_code == 200 and 'name="q"' in empty.get_data(as_text=True)


def test_every_page_has_the_search_box(client):
    for path in ("/", "/dataset", "/ontology"):
        html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert 'action="/search"' in html, path


def test_json_by_accept_and_bad_input(client):
    response = client.get("/search?q=levanger", headers={"Accept": "application/json"})
    assert response.mimetype == "application/json"
    assert client.get("/search?format=json").status_code == 400
    bad = client.get("/search?q=x&limit=many&format=json")
    assert bad.status_code == 400 and b"limit" in bad.data
    assert client.get("/search?q=x&format=xml").status_code == 406
    # FTS5 syntax in the words is taken as words, never as an expression.
    assert _search(client, q='" OR * NEAR(')["results"] == []
    assert _search(client, q='Levanger AND (OR')["results"] == _search(client, q="levanger and or")["results"]


def test_the_index_follows_writes():
    app = create_app(Settings(write_token="t", validate_on_write=False))
    client = app.test_client()
    assert _search(client, q="Zyxwvutsplass")["total"] == 0
    update = ('INSERT DATA { GRAPH <urn:x:g> { <https://w3id.org/helsegraf/id/place/z> '
              '<http://www.w3.org/2000/01/rdf-schema#label> "Zyxwvutsplass"@nb } }')
    response = client.post("/sparql", data={"update": update}, headers={"Authorization": "Bearer t"})
    assert response.status_code == 204, response.data
    assert [r["iri"] for r in _search(client, q="zyxwvutsplass")["results"]] == [ID + "place/z"]
