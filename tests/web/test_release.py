"""Citable releases and permalinks (issue 14): a release IRI from the loaded files' checksums, named on every
``/sparql`` answer; a permalink that reproduces its result and hash after a restart."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from web_app import app, client  # noqa: F401 - fixtures

from helsegraf.store import Term
from helsegraf.web.release import result_hash

QUERY = ("PREFIX hg: <https://w3id.org/helsegraf/ontology#>\n"
         "SELECT ?m ?nr WHERE { ?m a hg:Municipality ; hg:municipalityNumber ?nr } ORDER BY ?nr LIMIT 20")


@pytest.mark.unit
def test_release_is_named_by_version_and_the_checksums_of_the_loaded_files(client, app):
    from helsegraf import __version__

    release = client.get("/release").get_json()
    assert release["id"].startswith(__version__ + "+") and release["iri"].endswith("/release/" + release["id"])
    assert len(release["checksum"]) == 64 and release["graphs"]
    store = app.extensions["helsegraf"]["store"]
    recorded = {row["g"].value: row["s"].value for row in store.query(
        "SELECT ?g ?s WHERE { GRAPH ?meta { ?g <http://spdx.org/rdf/terms#checksum>/"
        "<http://spdx.org/rdf/terms#checksumValue> ?s } }").rows()}
    assert release["graphs"] == recorded
    assert re.fullmatch(r"helsegraf-.+-\d{4}-\d{2}-\d{2}\.trig\.gz", release["dumps"]["dump.trig.gz"]["file"])
    dump = client.get("/dump.trig.gz")
    assert release["dumps"]["dump.trig.gz"]["file"] in dump.headers["Content-Disposition"]
    import hashlib

    body = dump.get_data()
    dump.close()
    digest, name = client.get(release["dumps"]["dump.trig.gz"]["sha256"]).get_data(as_text=True).split()
    assert digest == hashlib.sha256(body).hexdigest() and name == release["dumps"]["dump.trig.gz"]["file"]


@pytest.mark.unit
def test_sparql_answers_name_their_release(client):
    release = client.get("/release").get_json()
    response = client.get("/sparql", query_string={"query": "ASK {}"},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.headers["X-Helsegraf-Release"] == release["iri"]
    assert f'<{release["iri"]}>; rel="version"' in response.headers["Link"]


@pytest.mark.unit
def test_result_hash_ignores_row_order_and_blank_node_labels():
    class Rows:
        kind, variables = "solutions", ["b", "a"]

        def __init__(self, rows):
            self._rows = rows

        def rows(self):
            return iter(self._rows)

    one = [{"a": Term("literal", "1"), "b": Term("bnode", "x1")}, {"a": Term("literal", "2")}]
    two = [{"a": Term("literal", "2")}, {"b": Term("bnode", "y7"), "a": Term("literal", "1")}]
    assert result_hash(Rows(one)) == result_hash(Rows(two))
    assert result_hash(Rows(one))[0] != result_hash(Rows(one[:1]))[0]


@pytest.mark.unit
def test_the_editor_completes_from_this_servers_ontology(client):
    terms = client.get("/ui/terms.json").get_json()
    assert "https://w3id.org/helsegraf/ontology#Municipality" in terms["classes"]
    assert "https://w3id.org/helsegraf/ontology#municipalityNumber" in terms["properties"]


@pytest.mark.unit
def test_raw_links_ask_for_json_and_the_footer_opens_the_query_page(client):
    html = client.get("/").get_data(as_text=True)
    raw = [unescape(h) for h in re.findall(r'<a href="([^"]+)" class="raw">', html)]
    assert raw and all(parse_qs(urlsplit(h).query)["format"] == ["json"] for h in raw)
    response = client.get(raw[0])
    assert response.mimetype == "application/sparql-results+json"
    footer = html.split('<footer class="site">', 1)[1]
    assert 'href="/sparql"' not in footer


@pytest.mark.integration
def test_a_permalink_reproduces_its_result_and_hash_after_a_restart(server_factory):
    first = server_factory()
    made = requests.get(first.url + "/permalink", params={"query": QUERY}, timeout=60).json()
    assert made["hash"].startswith("sha256:") and made["rows"] == 20
    assert made["permalink"].startswith("/?")
    assert parse_qs(urlsplit(made["permalink"]).query)["release"] == [made["release"]]
    first.stop()
    second = server_factory()
    page = requests.get(second.url + made["permalink"], headers={"Accept": "text/html"}, timeout=60).text
    assert 'data-same-result="true"' in page and made["hash"] in page and made["release"] in page
    params = parse_qs(urlsplit(made["permalink"]).query)
    check = requests.get(second.url + "/permalink", params={k: v[0] for k, v in params.items()}, timeout=60).json()
    assert check["same_release"] and check["same_result"] and check["hash"] == made["hash"]
    changed = requests.get(second.url + "/permalink", params={
        "query": QUERY.replace("LIMIT 20", "LIMIT 19"), "release": made["release"], "hash": made["hash"]},
        timeout=60).json()
    assert changed["same_release"] and not changed["same_result"]
