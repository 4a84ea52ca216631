"""Every fact of a seed graph back to its passage (issue 15): the Web Annotations in ``data/passages``.

Each ``hg:quote`` of ``data/seeds`` has an ``oa:Annotation`` whose target selects the passage in the seed text
by quote (``oa:TextQuoteSelector``) and by position (``oa:TextPositionSelector``), and whose bodies are the
facts (``rdf:Statement``) it supports. The tests that read the seed texts skip without ``../shared/seeds`` on a
laptop and fail instead under ``CI=true`` (``harness.require``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from harness import ROOT, require

pytestmark = pytest.mark.unit

OA = Namespace("http://www.w3.org/ns/oa#")
HG = Namespace("https://w3id.org/helsegraf/ontology#")
SEED_GRAPHS = sorted((ROOT / "data" / "seeds").glob("*.ttl"))
PASSAGES = ROOT / "data" / "passages"
SCRIPT = ROOT / "scripts" / "build_passages.py"


def seeds_dir() -> Path:
    """The folder of seed texts: ``$HELSEGRAF_SHARED/seeds`` or ``../shared/seeds``; skip (CI: fail) without it."""
    shared = Path(os.environ["HELSEGRAF_SHARED"]) if os.environ.get("HELSEGRAF_SHARED") else ROOT.parent / "shared"
    folder = shared / "seeds"
    require(folder.is_dir(), f"the seed texts are not at {folder}")
    return folder


@cache
def parsed(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def annotations(path: Path):
    """(annotation, document, exact, prefix, suffix, start, end) for every annotation of one passages file."""
    graph = parsed(path)
    for annotation in graph.subjects(RDF.type, OA.Annotation):
        target = graph.value(annotation, OA.hasTarget)
        document = graph.value(target, OA.hasSource)
        selectors = {graph.value(s, RDF.type): s for s in graph.objects(target, OA.hasSelector)}
        quote, position = selectors[OA.TextQuoteSelector], selectors[OA.TextPositionSelector]
        yield (
            annotation, document, str(graph.value(quote, OA.exact)), str(graph.value(quote, OA.prefix)),
            str(graph.value(quote, OA.suffix)), int(graph.value(position, OA.start)), int(graph.value(position, OA.end)),
        )


def test_there_is_a_passages_file_per_seed_graph():
    assert SEED_GRAPHS
    assert sorted(p.name for p in PASSAGES.glob("*.ttl")) == [p.name for p in SEED_GRAPHS]


@pytest.mark.parametrize("seed", SEED_GRAPHS, ids=[p.stem for p in SEED_GRAPHS])
def test_every_quote_of_the_seed_graph_has_an_annotated_passage(seed: Path):
    graph, passages = parsed(seed), parsed(PASSAGES / seed.name)
    quotes = set(graph.subject_objects(HG.quote))
    assert quotes
    annotated = {
        (passages.value(st, RDF.subject), passages.value(st, RDF.object))
        for annotation in passages.subjects(RDF.type, OA.Annotation)
        for st in passages.objects(annotation, OA.hasBody)
        if passages.value(st, RDF.predicate) == HG.quote
    }
    assert quotes - annotated == set()


@pytest.mark.parametrize("seed", SEED_GRAPHS, ids=[p.stem for p in SEED_GRAPHS])
def test_every_annotated_fact_is_a_statement_of_the_seed_graph(seed: Path):
    """The bodies are reified triples that the seed graph asserts: a passage never vouches for a fact not there."""
    graph, passages = parsed(seed), parsed(PASSAGES / seed.name)
    statements = list(passages.subjects(RDF.type, RDF.Statement))
    assert statements
    for st in statements:
        triple = (passages.value(st, RDF.subject), passages.value(st, RDF.predicate), passages.value(st, RDF.object))
        assert triple in graph, triple


@pytest.mark.parametrize("seed", SEED_GRAPHS, ids=[p.stem for p in SEED_GRAPHS])
def test_every_quote_is_found_at_its_stated_position_in_the_seed_text(seed: Path):
    folder = seeds_dir()
    graph = parsed(seed)
    found = list(annotations(PASSAGES / seed.name))
    assert found
    for annotation, document, exact, prefix, suffix, start, end in found:
        source_file = graph.value(URIRef(str(document)), HG.sourceFile)
        text = (folder / str(source_file)).read_text(encoding="utf-8")
        assert text[start:end] == exact, annotation
        assert text[:start].endswith(prefix) and text[end:].startswith(suffix), annotation
        assert exact.strip(), annotation


def test_the_passages_files_are_what_the_script_writes(tmp_path: Path):
    """Re-running ``scripts/build_passages.py`` on the seed texts gives the committed bytes."""
    folder = seeds_dir()
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--seeds-dir", str(folder), "--out", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    for path in sorted(PASSAGES.glob("*.ttl")):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_quote_missing_from_the_text_stops_the_build(tmp_path: Path):
    """A quote the seed text does not contain is an error, and nothing is written."""
    folder = seeds_dir()
    texts = tmp_path / "seeds"
    texts.mkdir()
    for text in folder.glob("*.txt"):
        (texts / text.name).write_text(text.read_text(encoding="utf-8").replace("Leira", "Lira"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--seeds-dir", str(texts), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 1
    assert "Leira" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_script_docstring_examples_hold():
    import doctest
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_passages", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        failures, tried = doctest.testmod(module)
    finally:
        sys.modules.pop(spec.name, None)
    assert tried > 0 and failures == 0
