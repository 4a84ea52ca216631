"""Pages that scale (issue 11): resource pages page through their facts with counts; the pictures bound what
they draw and say how much they left out. Checked functionally with small bounds, never by timing."""

import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from web_app import app, client  # noqa: F401 - fixtures

from helsegraf.namespaces import DEFAULT_BASE

pytestmark = pytest.mark.unit

COUNTY = "/id/county/50"  # Trøndelag: dozens of municipalities link to it


def inverse_rows(html: str) -> list[str]:
    section = html.split('id="inverse"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr><td><a href="([^"]+)"', section)


@pytest.mark.parametrize("sorted_up_to, count_up_to", [(0, 10_000), (2000, 10_000), (2000, 7)],
                         ids=["engine-order", "sorted", "counted-in-part"])
def test_inverse_links_page_through_every_fact_once(client, app, monkeypatch, sorted_up_to, count_up_to):
    from helsegraf.web import linked_data

    monkeypatch.setattr(linked_data, "SORTED_UP_TO", sorted_up_to)
    monkeypatch.setattr(linked_data, "COUNT_UP_TO", count_up_to)
    store = app.extensions["helsegraf"]["store"]
    iri = DEFAULT_BASE + COUNTY.lstrip("/")
    # The passages' reified statements (rdf:subject / rdf:object) are shown in the passages section instead.
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    expected = {(row["s"].value, row["p"].value) for row in store.query(
        f"SELECT DISTINCT ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p <{iri}> }} "
        f"FILTER(?p NOT IN (<{rdf}subject>, <{rdf}object>)) }}").rows()}
    assert len(expected) > 12, "the county needs enough inverse links for three pages"
    monkeypatch.setattr(linked_data, "PAGE_SIZE", 5)
    first = client.get(COUNTY, headers={"Accept": "text/html"}).get_data(as_text=True)
    if count_up_to >= len(expected):
        assert f'data-total="{len(expected)}"' in first
    else:  # counted only as far as needed: a lower bound, said as such
        assert f"({count_up_to}+)" in first and 'data-total' not in first.split('id="inverse"', 1)[1][:80]
    seen, page, html = [], 1, first
    while True:
        rows = inverse_rows(html)
        assert 0 < len(rows) <= 5
        seen += rows
        following = re.search(r'<a rel="next" href="([^"]+)"', html)
        if not following:
            break
        page += 1
        assert f"page={page}" in following.group(1)
        html = client.get(unescape(following.group(1)), headers={"Accept": "text/html"}).get_data(as_text=True)
        assert '<a rel="prev"' in html
    assert page == -(-len(expected) // 5)
    if count_up_to >= len(expected):
        assert f"Side {page} av {page}" in html
    assert len(seen) == len(expected)  # every fact once: no page repeats or skips a row
    shown = {href for href in seen}
    assert shown == {linked_data.local_href(s, DEFAULT_BASE) for s, _ in expected}


def test_a_page_past_the_last_is_empty_but_not_an_error(client, monkeypatch):
    from helsegraf.web import linked_data

    monkeypatch.setattr(linked_data, "PAGE_SIZE", 5)
    response = client.get(COUNTY + "?page=999", headers={"Accept": "text/html"})
    assert response.status_code == 200 and not inverse_rows(response.get_data(as_text=True))
    assert client.get(COUNTY + "?page=abc", headers={"Accept": "text/html"}).status_code == 200


def svg_texts(response) -> list[str]:
    root = ET.fromstring(response.get_data())
    return [el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text")]


def test_care_staircase_names_a_bounded_number_of_services_per_step(client, monkeypatch):
    from helsegraf.web import pictures

    page = client.get("/pictures", headers={"Accept": "text/html"}).get_data(as_text=True)
    urls = [unescape(u) for u in re.findall(r'src="(/pictures/care-staircase\.svg[^"]+)"', page)]

    def named(url):
        return [t for t in svg_texts(client.get(url)) if t.startswith("▸ ")]

    url = max(urls, key=lambda u: len(named(u)))  # the staircase that names the most services
    full = svg_texts(client.get(url))
    monkeypatch.setattr(pictures, "MAX_PER_STEP", 0)  # the bundled staircases name few services each
    bounded = svg_texts(client.get(url))
    services_full = [t for t in full if t.startswith("▸ ") and "·" not in t]
    services_bounded = [t for t in bounded if t.startswith("▸ ") and "·" not in t]
    assert services_full and not services_bounded
    more = [t for t in bounded if t.startswith("… og ")]
    assert more and sum(int(re.search(r"(\d+)", t).group(1)) for t in more) >= \
        len(services_full) - len(services_bounded)


def test_org_chart_draws_at_most_the_bound_of_sub_units(client, monkeypatch):
    from helsegraf.web import pictures

    full = svg_texts(client.get("/pictures/org-chart.svg?date=2024-01-01"))
    monkeypatch.setattr(pictures, "MAX_CHILDREN", 2)
    bounded = svg_texts(client.get("/pictures/org-chart.svg?date=2024-01-01"))
    assert len(bounded) < len(full) and any(t.startswith("… og ") for t in bounded)


def test_pictures_chooser_is_bounded_and_keeps_the_chosen_unit(client, monkeypatch):
    from helsegraf.web import pictures

    monkeypatch.setattr(pictures, "MAX_CHOICES", 2)
    html = client.get("/pictures", headers={"Accept": "text/html"}).get_data(as_text=True)
    unit_select = html.split('id="unit"', 1)[1].split("</select>", 1)[0]
    options = re.findall(r"<option value=\"([^\"]+)\"", unit_select)
    assert len(options) <= 3 and DEFAULT_BASE + pictures.DEFAULT_UNIT in options


def test_a_resource_linked_from_a_list_cell_is_a_page_not_a_syntax_error(client, app):
    store = app.extensions["helsegraf"]["store"]
    rows = list(store.query("SELECT ?o WHERE { ?cell <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ?o "
                            "FILTER(isIRI(?o) && STRSTARTS(STR(?o), 'https://w3id.org/helsegraf/id/')) } LIMIT 1").rows())
    assert rows, "the bundled graph holds a list of resources (the care staircases' steps)"
    path = "/" + rows[0]["o"].value[len(DEFAULT_BASE):]
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200 and "rdf:first" in response.get_data(as_text=True)
