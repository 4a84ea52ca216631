"""``helsegraf validate``: exit 0 without violations, 1 with, 2 for bad input; messages in nb or en."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph

from helsegraf.cli import main
from helsegraf.validation import SH

SHAPES_FIXTURES = Path(__file__).parent / "shapes"
pytestmark = pytest.mark.unit


def test_a_conforming_file_exits_0(capsys):
    assert main(["validate", str(SHAPES_FIXTURES / "valid-plans.ttl"), "--shape-set", "plans"]) == 0
    assert "Samsvarer: ja" in capsys.readouterr().out


def test_violations_exit_1_with_a_bokmal_report_grouped_by_focus_node(capsys):
    assert main(["validate", str(SHAPES_FIXTURES / "invalid-buildings.ttl"), "--shape-set", "buildings"]) == 1
    out = capsys.readouterr().out
    assert "Samsvarer: nei" in out
    assert "https://w3id.org/helsegraf/id/building/test-helsehus" in out
    assert "Helsehuset har boplasser" in out


def test_english_json_summary(capsys):
    code = main(["validate", str(SHAPES_FIXTURES / "invalid-helsefellesskap.ttl"), "--shape-set",
                 "helsefellesskap", "--lang", "en", "--format", "json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 1 and summary["lang"] == "en"
    messages = {r["message"] for g in summary["focusNodes"] for r in g["results"]}
    assert "The health community has no health trust as a member." in messages


def test_turtle_report_parses(capsys):
    main(["validate", str(SHAPES_FIXTURES / "invalid-plans.ttl"), "--shape-set", "plans", "--format", "turtle"])
    report = Graph().parse(data=capsys.readouterr().out, format="turtle")
    assert len(set(report.objects(None, SH.result))) == 16


def test_own_shapes_file(tmp_path, capsys):
    shapes = tmp_path / "mine.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/#> .
        @prefix hg: <https://w3id.org/helsegraf/ontology#> .
        ex:S a sh:NodeShape ; sh:targetClass hg:Goal ; sh:property ex:S-notation .
        ex:S-notation sh:path <http://www.w3.org/2004/02/skos/core#notation> ; sh:minCount 1 ;
            sh:message "mangler nummer"@nb , "no number"@en .""")
    code = main(["validate", str(SHAPES_FIXTURES / "valid-plans.ttl"), "--shapes", str(shapes), "--lang", "en"])
    assert code == 1
    assert "no number" in capsys.readouterr().out


def test_bad_input_exits_2_with_the_parsers_line(tmp_path, capsys):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <https://example.org/> .\nex:a ex:b "unterminated .\n')
    assert main(["validate", str(bad)]) == 2
    assert "line 2" in capsys.readouterr().err


def test_unknown_shape_set_exits_2(capsys):
    assert main(["validate", str(SHAPES_FIXTURES / "valid-plans.ttl"), "--shape-set", "nope"]) == 2
    assert "unknown shape set 'nope'" in capsys.readouterr().err
