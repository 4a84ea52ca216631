"""Quality checks (``queries/qc/*-violation.rq``, in the style of the ODK's SPARQL checks): any row is a defect.

Every check runs against the bundled graph (ontology, shapes, data and the materialised entailments) in an
in-process store. A second test feeds the checks a small graph with one planted defect per check, so that a
check that can never fire (a typo in a prefix, a filter that is always false) does not pass unnoticed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import ROOT
from helsegraf.config import Settings
from helsegraf.loader import load_bundled, load_files
from helsegraf.store import open_store

QC_DIR = ROOT / "queries" / "qc"
CHECKS = sorted(QC_DIR.glob("*-violation.rq"))


def _rows(store, path: Path) -> list[dict]:
    result = store.query(path.read_text(encoding="utf-8"))
    return [{k: v.value for k, v in row.items()} for row in result.rows()]


@pytest.fixture(scope="module")
def bundled_store():
    store = open_store(Settings(bundled_data=False))
    load_bundled(store, ROOT, progress=False)
    return store


def test_checks_exist():
    assert CHECKS, f"no quality checks (*-violation.rq) in {QC_DIR}"
    stray = [p.name for p in QC_DIR.glob("*.rq") if not p.name.endswith("-violation.rq")]
    assert not stray, f"quality checks must be named <name>-violation.rq: {stray}"


@pytest.mark.parametrize("path", CHECKS, ids=[p.stem for p in CHECKS])
def test_bundled_graph_passes(bundled_store, path):
    rows = _rows(bundled_store, path)
    assert not rows, f"{path.name} found {len(rows)} defect(s), e.g.:\n" + "\n".join(map(str, rows[:10]))


#: One planted defect per check (by file stem); the graph's own provenance is deliberately incomplete.
PLANTED = """
@prefix hg:   <https://w3id.org/helsegraf/ontology#> .
@prefix unit: <https://w3id.org/helsegraf/id/unit/> .
@prefix document: <https://w3id.org/helsegraf/id/document/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/helsegraf/graph/data/planted> dct:source document:planted .

unit:a a hg:MunicipalUnit ; rdfs:label "Enhet A"@nb ;
    hg:validFrom "2024-01-01"^^xsd:date ; hg:validUntil "2023-12-31"^^xsd:date ;
    hg:decidedOn "11.04.23" ;
    hg:undeclaredProperty "x" .
unit:b a hg:MunicipalUnit ; rdfs:label "Enhet A"@nb .
unit:c a hg:MunicipalUnit .
document:planted a hg:SourceDocument ; rdfs:label "Plantet dokument"@nb ;
    dct:language <http://publications.europa.eu/resource/authority/language/NNO> .
<https://w3id.org/helsegraf/id/health-community/planted> a hg:HealthCommunity ;
    rdfs:label "Plantet helsefellesskap"@nb ;
    <http://www.w3.org/ns/org#hasMember> unit:a .
"""

EXPECTED_TO_FIRE = {
    "undeclared-hg-term-violation": "https://w3id.org/helsegraf/ontology#undeclaredProperty",
    "resource-without-label-violation": "https://w3id.org/helsegraf/id/unit/c",
    "graph-without-source-violation": "prov:wasDerivedFrom",
    "date-not-xsd-date-violation": "11.04.23",
    "day-property-not-xsd-date-violation": "11.04.23",
    "duplicate-label-in-class-violation": "Enhet A",
    "validity-interval-reversed-violation": "https://w3id.org/helsegraf/id/unit/a",
    "seed-fact-without-document-violation": "no hg:sourceFile",
    "class-without-nb-or-en-label-violation": "https://w3id.org/helsegraf/ontology#PlantedClass",
    # The planted document is Nynorsk, so the Bokmål label of unit:a is out of place (issue 15, defect 4).
    "nynorsk-seed-literal-not-nn-violation": "Enhet A",
    "health-community-membership-unflagged-violation": "https://w3id.org/helsegraf/id/health-community/planted",
}

#: Planted in the ontology's own graph: a class with a Bokmål label only.
PLANTED_IN_ONTOLOGY = b"""
<https://w3id.org/helsegraf/ontology#PlantedClass> a <http://www.w3.org/2002/07/owl#Class> ;
    <http://www.w3.org/2000/01/rdf-schema#label> "Plantet klasse"@nb .
"""
ONTOLOGY_GRAPH = "https://w3id.org/helsegraf/graph/ontology/helsegraf"


@pytest.fixture(scope="module")
def planted_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("planted")
    (root / "data").mkdir()
    (root / "data" / "planted.ttl").write_text(PLANTED, encoding="utf-8")
    store = open_store(Settings(bundled_data=False))
    load_files(store, [ROOT / "ontology" / "helsegraf.ttl"], ROOT, progress=False)
    load_files(store, [root / "data" / "planted.ttl"], root, progress=False)
    store.load(PLANTED_IN_ONTOLOGY, "turtle", ONTOLOGY_GRAPH, replace=False)  # keep the real ontology
    return store


@pytest.mark.parametrize("path", CHECKS, ids=[p.stem for p in CHECKS])
def test_check_finds_a_planted_defect(planted_store, path):
    """Each check reports the defect planted for it (a check without a planted defect fails here, on purpose)."""
    assert path.stem in EXPECTED_TO_FIRE, f"add a planted defect for {path.name} to PLANTED/EXPECTED_TO_FIRE"
    rows = _rows(planted_store, path)
    values = {value for row in rows for value in row.values()}
    assert EXPECTED_TO_FIRE[path.stem] in values, f"{path.name} missed its planted defect; rows: {rows}"
