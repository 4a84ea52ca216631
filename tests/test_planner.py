"""The planner's path over HTTP: the template from /validate, a broken plan uploaded as a workbook, as CSV and
through the form, its findings by plan element with their cells, fixes and legal links; the fixed plan clean;
what-if validation against the served graph; /context.jsonld; ``helsegraf validate plan.xlsx``."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import requests
from openpyxl import load_workbook
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from helsegraf import validation

pytestmark = pytest.mark.integration

HG = "https://w3id.org/helsegraf/ontology#"
PLAN = URIRef("https://w3id.org/helsegraf/id/plan/levanger-kommunedelplan-helse-og-omsorg")
MEASURE = "https://w3id.org/helsegraf/id/measure/levanger-khpo-s1-t3"
STRATEGY = "https://w3id.org/helsegraf/id/strategy/levanger-khpo-s1"
PBL_ELI = "https://lovdata.no/eli/lov/2008/06/27/71/nor"
TIMEOUT = 120


def template(server) -> bytes:
    response = requests.get(server.url + "/validate/mal.xlsx", timeout=TIMEOUT)
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    return response.content


def break_plan(data: bytes) -> bytes:
    """The example plan with a misspelt plan kind, a period that ends before it starts, «not under the
    Planning and Building Act» beside that act as legal basis (the example leaves the legal basis empty: that
    the plan rests on the act is an inference of the graph, not a statement of seed 004), and a measure (row 5)
    serving no strategy."""
    book = load_workbook(io.BytesIO(data))
    plan, measures = book["plan"], book["tiltak"]
    assert plan["A1"].value == "ID" and plan["B1"].value == "Plantype" and measures["E1"].value == "Tjener strategi (ID)"
    plan["B3"], plan["G3"], plan["H3"], plan["J3"] = "Kommunedelpaln", 2026, 2022, "nei"
    plan["I3"] = "plan- og bygningsloven"
    assert plan["I1"].value == "Lovgrunnlag"
    assert measures["A5"].value == MEASURE.rsplit("/", 1)[1]
    measures["E5"] = None
    return _save(book)


def fix_plan(data: bytes) -> bytes:
    book = load_workbook(io.BytesIO(data))
    plan, measures = book["plan"], book["tiltak"]
    plan["B3"], plan["G3"], plan["H3"], plan["J3"] = "Kommunedelplan", 2022, 2026, "ja"
    measures["E5"] = STRATEGY.rsplit("/", 1)[1]
    return _save(book)


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(server, data: bytes, name="plan.xlsx", accept="application/json", lang=None):
    headers = {"Accept": accept, **({"Accept-Language": lang} if lang else {})}
    return requests.post(server.url + "/validate", files={"data": (name, data)}, headers=headers, timeout=TIMEOUT)


def findings(summary: dict) -> dict[str, list[dict]]:
    return {e["kind"] + ":" + (e["iri"] or ""): e["results"] for e in summary["elements"]}


def test_template_has_one_sheet_per_kind_drop_downs_from_the_graph_and_seed_004_as_example(live_server):
    book = load_workbook(io.BytesIO(template(live_server)))
    assert book.sheetnames[:5] == ["plan", "mål", "strategier", "tiltak", "byggeprosjekt"]
    graph = validation.bundled_graph()
    # the example is what the graph states about the plan, nothing more
    assert book["plan"]["C3"].value == Literal("Kommunedelplan helse og omsorg «Mestring for alle»", lang="nb").value
    assert (PLAN, RDFS.label, Literal(book["plan"]["C3"].value, lang="nb")) in graph
    assert book["plan"]["G3"].value is None  # the seed states no period for the sub-plan
    assert book["tiltak"].max_row - 2 == len(list(graph.objects(PLAN, URIRef(HG + "hasMeasure"))))
    assert book["plan"]["A2"].value.startswith("Kort, unik ID")  # help text under the headers
    lists = book["lister"]
    assert lists.sheet_state == "hidden"
    municipalities = [c.value for c in next(col for col in lists.columns if col[0].value == "kommuner")[1:] if c.value]
    assert len(municipalities) == len(set(graph.subjects(RDF.type, URIRef(HG + "Municipality")))) == 357
    validated = {str(dv.sqref).split(":")[0][0] for dv in book["plan"].data_validations.dataValidation}
    assert {"B", "D", "E", "I", "J"} <= validated  # plan kind, municipality, council, law, yes/no


def test_broken_workbook_reports_by_element_with_cells_fixes_and_legal_links_then_clean_when_fixed(live_server):
    original = template(live_server)
    response = upload(live_server, break_plan(original))
    assert response.status_code == 200
    summary = response.json()
    assert summary["conforms"] is False
    by_element = findings(summary)
    plan = by_element["plan:" + str(PLAN)]
    cells = {(r["cell"]["sheet"], r["cell"]["row"], r["cell"]["column"]) for r in plan}
    assert ("plan", 3, "B") in cells  # the misspelt plan kind
    assert ("plan", 3, "G, H") in cells  # the period
    kind = next(r for r in plan if r["cell"]["column"] == "B")
    assert "Kommunedelpaln" in kind["message"] and "Kommunedelplan" in kind["fix"]
    period = next(r for r in plan if r["cell"]["column"] == "G, H")
    assert period["message"] == "Planperioden slutter (2022) før den starter (2026)." and period["fix"]
    assert period["legal"]["none"] is True
    act = next(r for r in plan if r["legal"] and not r["legal"]["none"])
    assert act["legal"]["href"] == PBL_ELI and act["fix"]
    measure = by_element["measure:" + MEASURE]
    assert [(r["cell"]["sheet"], r["cell"]["row"], r["cell"]["column"]) for r in measure] == [("tiltak", 5, "E")]
    assert "hg:" not in measure[0]["message"] and measure[0]["fix"].startswith("Skriv ID-en til strategien")
    assert all("_:" not in json.dumps(e) for e in summary["elements"])  # no blank-node ids
    # the RDF report carries the template's own finding too, with its cell
    turtle = upload(live_server, break_plan(original), accept="text/turtle").text
    report = Graph().parse(data=turtle, format="turtle")
    sh = validation.SH
    assert (None, sh.conforms, Literal(False)) in report
    template_results = set(report.subjects(sh.sourceShape, URIRef("https://w3id.org/helsegraf/shapes#PlannerTemplate")))
    assert [str(report.value(r, RDFS.comment)) for r in template_results] == ["plan!B3"]
    # fixed: clean
    clean = upload(live_server, fix_plan(break_plan(original))).json()
    assert clean["conforms"] is True and clean["elements"] == [] and clean["counts"]["Warning"] == 0


def test_report_page_shows_converted_rdf_downloads_and_english_on_request(live_server):
    page = upload(live_server, break_plan(template(live_server)), accept="text/html", lang="en").text
    assert 'lang="en"' in page and "What to do" in page and "sheet «tiltak», row 5, column E" in page
    assert 'id="converted-rdf"' in page and "levanger-khpo-s1-t3" in page
    assert 'download="rapport.json"' in page and 'download="plan.ttl"' in page and "@media print" in page
    assert f'href="{PBL_ELI}"' in page and 'href="/id/plan/levanger-kommunedelplan-helse-og-omsorg"' in page
    nynorsk = upload(live_server, break_plan(template(live_server)), accept="text/html", lang="nn").text
    assert "Kva du gjer" in nynorsk and "Brot" in nynorsk


def test_csv_zip_and_a_single_csv_body_are_the_template_too(live_server):
    archive = requests.get(live_server.url + "/validate/mal.zip", timeout=TIMEOUT).content
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        names = z.namelist()
        measures = z.read("tiltak.csv").decode("utf-8")
        metadata = json.loads(z.read("csv-metadata.json"))
    assert {"plan.csv", "mal.csv", "strategier.csv", "tiltak.csv", "byggeprosjekt.csv"} <= set(names)
    # the CSVW description names each file and, column by column, the template's headers and properties
    tables = {t["url"]: t for t in metadata["tables"]}
    assert set(tables) <= set(names)
    columns = {c["name"]: c for c in tables["plan.csv"]["tableSchema"]["columns"] if "name" in c}
    assert columns["periode_fra"]["propertyUrl"] == HG + "periodStart" and columns["periode_fra"]["datatype"] == "gYear"
    assert [c["titles"]["nb"] for c in tables["tiltak.csv"]["tableSchema"]["columns"] if "titles" in c] == \
        measures.splitlines()[0].split(",")
    summary = upload(live_server, archive, name="plan.zip").json()
    assert summary["counts"]["Violation"] == 0
    # one CSV with its own type, a measure without strategy: a violation at its row
    lines = measures.splitlines()
    broken = "\n".join(lines[:3] + [lines[3].rsplit(",", 1)[0] + ","]) + "\n"
    for content_type in ("text/csv", "application/x-www-form-urlencoded"):  # the second is curl's default
        response = requests.post(live_server.url + "/validate", data=broken.encode(), timeout=TIMEOUT,
                                 headers={"Content-Type": content_type, "Accept": "application/json"})
        assert response.status_code == 200, response.text
        cells = [r["cell"] for e in response.json()["elements"] for r in e["results"] if r["cell"]]
        assert {"sheet": "tiltak", "row": 4, "column": "E", "header": "Tjener strategi (ID)"} in cells


def test_a_file_that_is_neither_rdf_nor_the_template_is_400_in_norwegian(live_server):
    """Unreadable input is a 400 with its position and reason (issue 12, defect 7), also for a spreadsheet."""
    response = upload(live_server, b"PK\x03\x04 not a zip", name="plan.zip")
    assert response.status_code == 400 and response.json()["line"] == 1
    assert "Zip-filen kan ikke leses" in response.text and "Traceback" not in response.text


FORM = {"plan.1.navn": "Temaplan for prøving", "plan.1.plantype": "Temaplnn", "plan.1.kommune": "Levanger",
        "plan.1.vedtatt_av": "Kommunestyret i Levanger", "plan.1.lovgrunnlag": "helse- og omsorgstjenesteloven",
        "plan.1.etter_pbl": "nei", "plan.1.periode_fra": "2026", "plan.1.periode_til": "2022",
        "mål.1.navn": "Et mål", "strategier.1.navn": "En strategi", "strategier.1.tjener_mal": "1",
        "tiltak.1.navn": "Første tiltak", "tiltak.1.tjener_strategi": "1", "tiltak.2.navn": "Andre tiltak"}


def test_the_form_converts_by_the_same_mapping_and_points_at_its_fields(live_server):
    response = requests.post(live_server.url + "/validate", data=FORM, headers={"Accept": "application/json"},
                             timeout=TIMEOUT)
    summary = response.json()
    assert summary["conforms"] is False
    results = {(e["kind"], r["cell"]["sheet"], r["cell"]["row"], r["cell"]["column"])
               for e in summary["elements"] for r in e["results"]}
    assert ("plan", "plan", 3, "B") in results and ("plan", "plan", 3, "G, H") in results
    assert ("measure", "tiltak", 4, "E") in results  # form row 2 of the measures
    fixed = dict(FORM, **{"plan.1.plantype": "Temaplan", "plan.1.periode_fra": "2022", "plan.1.periode_til": "2026",
                          "tiltak.2.tjener_strategi": "1"})
    clean = requests.post(live_server.url + "/validate", data=fixed, headers={"Accept": "application/json"},
                          timeout=TIMEOUT).json()
    assert clean["conforms"] is True and clean["elements"] == []
    turtle = requests.post(live_server.url + "/validate/convert", data=fixed, timeout=TIMEOUT).text
    converted = Graph().parse(data=turtle, format="turtle")
    plan = URIRef("https://w3id.org/helsegraf/id/plan/temaplan-for-proving")
    assert (plan, URIRef(HG + "periodStart"), Literal("2022", datatype=XSD.gYear)) in converted


def test_what_if_shows_introduced_and_resolved_violations_and_stores_nothing(live_server):
    removed = f"<{MEASURE}> <{HG}servesStrategy> <{STRATEGY}> ."
    url = live_server.url + "/validate/what-if"
    diff = requests.post(url, data={"removed": removed}, headers={"Accept": "application/json"}, timeout=TIMEOUT).json()
    assert diff["violationsIntroduced"] == 1 and diff["violationsResolved"] == 0 and diff["triplesRemoved"] == 1
    assert diff["introduced"][0]["focusNode"] == MEASURE and diff["introduced"][0]["href"].startswith("/id/measure/")
    # the same change again gives the same answer: nothing was stored
    again = requests.post(url, data={"removed": removed}, headers={"Accept": "application/json"}, timeout=TIMEOUT).json()
    assert again["violationsIntroduced"] == 1
    ask = requests.get(live_server.url + "/sparql", params={"query": f"ASK {{ <{MEASURE}> <{HG}servesStrategy> <{STRATEGY}> }}"},
                       headers={"Accept": "application/sparql-results+json"}, timeout=TIMEOUT).json()
    assert ask["boolean"] is True
    # a filled-in template replaces what the graph says about its resources
    broken = break_plan(template(live_server))
    diff = requests.post(url, files={"data": ("plan.xlsx", broken)}, headers={"Accept": "application/json"},
                         timeout=TIMEOUT).json()
    introduced = {(r["focusNode"], r["sourceShape"].rsplit("#", 1)[1]) for r in diff["introduced"]}
    assert (MEASURE, "MeasureShape-servesStrategy") in introduced
    assert (str(PLAN), "PlanConsistencyShape") in introduced
    # and a change that mends: the plan's missing period (two warnings in the graph) is resolved
    period = (f'<{PLAN}> <{HG}periodStart> "2015"^^<{XSD.gYear}> ; <{HG}periodEnd> "2030"^^<{XSD.gYear}> .')
    diff = requests.post(url, data={"added": period}, headers={"Accept": "application/json"}, timeout=TIMEOUT).json()
    assert {r["sourceShape"].rsplit("#", 1)[1] for r in diff["resolved"]} == {"PlanShape-periodStart", "PlanShape-periodEnd"}
    assert diff["introduced"] == []
    page = requests.post(url, data={"removed": removed}, headers={"Accept": "text/html"}, timeout=TIMEOUT).text
    assert 'id="introduced"' in page and "Tiltaket tjener ingen strategi" in page


def test_context_jsonld_expands_the_planners_json(live_server):
    response = requests.get(live_server.url + "/context.jsonld", timeout=TIMEOUT)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/ld+json")
    context = response.json()["@context"]
    doc = {"@context": context, "id": "https://w3id.org/helsegraf/id/plan/x", "type": "MunicipalSubPlan",
           "periodStart": "2024", "adoptedBy": "https://w3id.org/helsegraf/id/committee/levanger-kommunestyret",
           "label": {"nb": "Prøveplan"}}
    graph = Graph().parse(data=json.dumps(doc), format="json-ld")
    plan = URIRef("https://w3id.org/helsegraf/id/plan/x")
    assert (plan, URIRef(HG + "periodStart"), Literal("2024", datatype=XSD.gYear)) in graph
    assert (plan, URIRef(HG + "adoptedBy"), URIRef("https://w3id.org/helsegraf/id/committee/levanger-kommunestyret")) in graph
    assert (plan, RDFS.label, Literal("Prøveplan", lang="nb")) in graph


def test_shapes_page_shows_descriptions_fixes_and_legal_sources(live_server):
    page = requests.get(live_server.url + "/shapes", headers={"Accept": "text/html"}, timeout=TIMEOUT).text
    assert "Hvert tiltak tjener en strategi." in page  # the Norwegian description
    assert "Skriv ID-en til strategien" in page and f'href="{PBL_ELI}"' in page and "Ingen lovkilde" in page


def test_cli_validates_a_workbook_with_cells_and_exit_codes(live_server, tmp_path: Path):
    broken = tmp_path / "plan.xlsx"
    broken.write_bytes(break_plan(template(live_server)))
    helsegraf = [sys.executable, "-m", "helsegraf.cli"]
    run = subprocess.run([*helsegraf, "validate", str(broken), "--converted", str(tmp_path / "plan.ttl")],
                         capture_output=True, text=True, timeout=TIMEOUT)
    assert run.returncode == 1, run.stderr
    assert "Tiltak:" in run.stdout and "[ark «tiltak», rad 5, kolonne E]" in run.stdout
    assert "[ark «plan», rad 3, kolonne B]" in run.stdout and PBL_ELI in run.stdout
    assert (URIRef(MEASURE), None, None) in Graph().parse(tmp_path / "plan.ttl")
    fixed = tmp_path / "fixed.xlsx"
    fixed.write_bytes(fix_plan(broken.read_bytes()))
    run = subprocess.run([*helsegraf, "validate", str(fixed)], capture_output=True, text=True, timeout=TIMEOUT)
    assert run.returncode == 0 and run.stdout.startswith("Planen følger reglene.")


def test_guide_is_linked_from_validate_and_shows_its_screenshots(live_server):
    page = requests.get(live_server.url + "/validate", timeout=TIMEOUT).text
    assert 'href="/validate/veiledning"' in page
    guide = requests.get(live_server.url + "/validate/veiledning", timeout=TIMEOUT)
    assert guide.status_code == 200 and "Fra plandokument til ren rapport" in guide.text
    pictures = re.findall(r"<img[^>]+src=\"([^\"]+)\"", guide.text)
    assert len(pictures) >= 3
    for src in pictures:
        picture = requests.get(live_server.url + src, timeout=TIMEOUT)
        assert picture.status_code == 200 and picture.content[:4] == b"\x89PNG"


def test_what_if_compares_against_the_served_store_after_a_write(server_factory):
    """A measure written to the running server is seen by what-if; the what-if itself writes nothing."""
    server = server_factory("--write-token", "planner-test")
    new = "https://w3id.org/helsegraf/id/measure/prove-tiltak"
    insert = (f'INSERT DATA {{ GRAPH <https://w3id.org/helsegraf/graph/planner-test> {{ <{new}> a <{HG}Measure> ; '
              f'<{RDFS.label}> "Prøvetiltak"@nb ; <{HG}servesStrategy> <{STRATEGY}> . }} }}')
    written = requests.post(server.url + "/sparql", data={"update": insert}, timeout=TIMEOUT,
                            headers={"Authorization": "Bearer planner-test"})
    assert written.status_code in (200, 204), written.text
    removed = f"<{new}> <{HG}servesStrategy> <{STRATEGY}> ."
    diff = requests.post(server.url + "/validate/what-if", data={"removed": removed}, timeout=TIMEOUT,
                         headers={"Accept": "application/json"}).json()
    assert diff["triplesRemoved"] == 1 and diff["violationsIntroduced"] == 1
    assert diff["introduced"][0]["focusNode"] == new
    ask = requests.get(server.url + "/sparql", params={"query": f"ASK {{ <{new}> <{HG}servesStrategy> <{STRATEGY}> }}"},
                       headers={"Accept": "application/sparql-results+json"}, timeout=TIMEOUT).json()
    assert ask["boolean"] is True
