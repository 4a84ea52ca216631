"""The query page, the gallery, the language switch and the YASGUI files."""

from pathlib import Path

import pytest
from web_app import app, client  # noqa: F401 - fixtures

from harness import require
from helsegraf.namespaces import PREFIXES
from helsegraf.web.ui import load_examples, parse_example

pytestmark = pytest.mark.unit


def test_index_is_norwegian_by_default_and_english_on_request(client):
    nb = client.get("/").get_data(as_text=True)
    assert '<html lang="nb">' in nb and "Spør grafen med SPARQL" in nb
    en = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in en and "Query the graph with SPARQL" in en
    by_header = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in by_header
    nynorsk = client.get("/", headers={"Accept-Language": "nn,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="nb">' in nynorsk


def test_index_points_yasgui_at_the_endpoint_with_the_project_prefixes(client):
    html = client.get("/").get_data(as_text=True)
    assert 'data-endpoint="/sparql"' in html
    assert "/vendor/yasgui/yasgui.min.js" in html and "<script>" not in html  # CSP: no inline scripts
    for prefix in ("hg", "hgid", "org", "skos"):
        assert f"&#34;{prefix}&#34;: &#34;{PREFIXES[prefix] if prefix not in ('hg', 'hgid') else ''}" in html \
            or f"&#34;{prefix}&#34;:" in html


def test_gallery_lists_every_competency_question_with_both_languages(client, app):
    examples = load_examples(Path(app.extensions["helsegraf"]["settings"].data_root))
    html = client.get("/").get_data(as_text=True)
    en = client.get("/?lang=en").get_data(as_text=True)
    for example in examples:
        assert f'id="example-{example.name}"' in html
        if "nb" in example.question:
            assert example.question["nb"].replace("'", "&#39;").replace('"', "&#34;")[:40] in html
        if "en" in example.question:
            assert example.question["en"].replace("'", "&#39;").replace('"', "&#34;")[:40] in en


def test_examples_are_read_at_request_time(tmp_path):
    folder = tmp_path / "queries" / "cq"
    folder.mkdir(parents=True)
    assert load_examples(tmp_path) == []
    (folder / "cq-99-new.rq").write_text("# Title(nb): Ny\n# Title(en): New\n# Q(nb): Hva?\n# Q(en): What?\n"
                                         "SELECT * { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    [example] = load_examples(tmp_path)
    assert example.text("title", "en") == "New" and example.text("question", "nb") == "Hva?"


def test_example_without_header_falls_back_to_file_name(tmp_path):
    path = tmp_path / "plain.rq"
    path.write_text("ASK {}\n", encoding="utf-8")
    example = parse_example(path)
    assert example.text("title", "nb") == "plain" and example.text("question", "en") == ""


def test_yasgui_is_served_from_the_npm_install(client):
    response = client.get("/vendor/yasgui/yasgui.min.js")
    if response.status_code == 404:
        response.close()
        require(False, "node_modules not installed (run make install)")
    assert response.status_code == 200 and len(response.get_data()) > 100_000
    response.close()  # send_file keeps the file open until the response is closed
    assert client.get("/vendor/yasgui/../../package.json").status_code == 404


def test_pages_carry_the_content_security_policy(client):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_data_in_the_page_is_escaped(client):
    html = client.get('/?query=<script>alert(1)</script>&title="><b>x').get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and '"><b>x' not in html
