"""The SVG pictures are drawn from the graph: they change with the date and escape what they print."""

import xml.etree.ElementTree as ET

import pytest
from web_app import app, client  # noqa: F401 - fixtures

from helsegraf.web.pictures import wrap

pytestmark = pytest.mark.unit
SVG = "{http://www.w3.org/2000/svg}"


def texts(response) -> list[str]:
    root = ET.fromstring(response.get_data())  # also proves the SVG is well-formed XML
    assert root.tag == SVG + "svg"
    return [el.text or "" for el in root.iter(SVG + "text")]


def test_org_chart_follows_the_validity_dates(client):
    before = texts(client.get("/pictures/org-chart.svg?date=2023-12-31"))
    after = texts(client.get("/pictures/org-chart.svg?date=2024-01-01"))
    assert "Enhet habilitering" in before and "Enhet habilitering" not in after
    assert "Enhet bolig og mestring" in after and "Enhet bolig og mestring" not in before
    assert "Enhet friskliv og helsefremming" in after
    # a dated membership: the care bases move from habilitation to housing and coping
    assert "Omsorgsbasene (enhet habilitering)" in before and "Omsorgsbasene (enhet habilitering)" in after


def test_org_chart_rejects_a_bad_date_and_a_bad_iri(client):
    assert client.get("/pictures/org-chart.svg?date=31.12.2023").status_code == 400
    assert client.get("/pictures/org-chart.svg?unit=x%3E%20%7B").status_code == 400


def test_health_community_shows_members_and_bodies(client, app):
    found = texts(client.get("/pictures/health-community.svg"))
    assert "Bergen" in found and "Helse Bergen HF" in found
    store = app.extensions["helsegraf"]["store"]
    members = store.query("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { "
                          "<https://w3id.org/helsegraf/id/health-community/helse-bergen> "
                          "<http://www.w3.org/ns/org#hasMember> ?m }")
    count = int(next(iter(members.rows()))["n"].value)
    assert any(t.endswith(f"({count})") for t in found)


def test_care_staircase_has_its_steps_in_order(client):
    found = texts(client.get("/pictures/care-staircase.svg"))
    numbers = [t for t in found if t.isdigit()]
    assert numbers == sorted(numbers, key=int) and len(numbers) >= 2
    assert "Jeg klarer meg selv" in found


def test_text_from_the_data_is_escaped(app):
    store = app.extensions["helsegraf"]["store"]
    store.update('INSERT DATA { GRAPH <urn:test:escape> { <urn:test:u> <http://www.w3.org/ns/org#unitOf> '
                 '<urn:test:root> ; <http://www.w3.org/2000/01/rdf-schema#label> "<b>&amp;</b>" } }')
    try:
        response = app.test_client().get("/pictures/org-chart.svg?unit=urn:test:root")
        assert "<b>&amp;</b>" in texts(response)
        assert b"<b>" not in response.get_data()
    finally:
        store.drop("urn:test:escape")


def test_pictures_page_embeds_each_picture_with_alt_text(client):
    html = client.get("/pictures").get_data(as_text=True)
    assert html.count('class="picture"') >= 4 and 'alt=""' not in html
    assert "/pictures/org-chart.svg?" in html and "date=2023-12-31" in html and "date=2024-01-01" in html


def test_wrap_keeps_every_word():
    text = "Enhet for institusjons- og hjemmetjenester i Levanger kommune"
    assert " ".join(wrap(text, 18)).split() == text.split()
