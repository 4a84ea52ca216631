"""Every competency question in ``queries/cq/`` is answered, over HTTP, exactly as its expected file says.

The questions run against a real ``helsegraf serve`` on the bundled graph (the ``live_server`` fixture), through
the SPARQL 1.1 Protocol, as the query UI and outside clients would run them. The expected answers were written by
running each query once and checking the answer against the seed documents (see ``queries/README.md``); this test
keeps the data, the ontology's entailments and the endpoint from drifting away from them.
"""

from __future__ import annotations

import json

import pytest
import rdflib
import rdflib.compare
import requests

from cqlib import (
    CQ_DIR,
    Question,
    Solutions,
    compare_solutions,
    header_problems,
    question_files,
    read_srj,
)

FILES = question_files()
IDS = [p.stem for p in FILES]

pytestmark = pytest.mark.integration


def test_questions_exist():
    """The gallery is not empty: a missing folder or a wrong glob must not pass silently."""
    assert FILES, f"no competency questions found in {CQ_DIR}"
    assert len(FILES) >= 30, f"the issue asks for at least 30 questions, found {len(FILES)}"


def test_every_file_belongs_to_a_question():
    """No stray expected answers (a renamed question leaves its old answer behind)."""
    names = {p.stem for p in FILES}
    for path in CQ_DIR.iterdir():
        if ".expected." in path.name:
            assert path.name.split(".expected.")[0] in names, f"{path.name} has no question beside it"


def test_question_numbers_are_unique():
    numbers = [p.name[:5] for p in FILES]
    assert len(numbers) == len(set(numbers)), f"duplicate question numbers: {sorted(numbers)}"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_header_and_expected_file(path):
    """Each question has the header the UI shows and an expected answer of a kind that fits its query form."""
    question = Question.read(path)
    assert not header_problems(question), f"{path.name}: " + "; ".join(header_problems(question))
    suffix = question.expected_path.name.split(".expected")[1]
    allowed = {"select": {".srj", ".csv"}, "ask": {".srj"}, "construct": {".ttl"}, "describe": {".ttl"}}
    assert suffix in allowed[question.form], f"{path.name}: a {question.form.upper()} answer cannot be {suffix}"


def _run(server_url: str, question: Question, accept: str) -> requests.Response:
    response = requests.post(
        server_url,
        data=question.text.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept},
        timeout=60,
    )
    assert response.status_code == 200, f"{question.path.name}: HTTP {response.status_code}: {response.text[:500]}"
    return response


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_answer_matches_expected(path, live_server):
    """The endpoint's answer equals the expected one (rows as a multiset, or as a list under ORDER BY)."""
    question = Question.read(path)
    expected_path = question.expected_path
    assert expected_path is not None, f"{path.name}: no expected answer"
    if expected_path.name.endswith(".srj"):
        expected = read_srj(expected_path)
        actual = json.loads(_run(live_server.sparql, question, "application/sparql-results+json").text)
        if "boolean" in expected:
            assert actual.get("boolean") is expected["boolean"], f"{path.name}: ASK answered {actual.get('boolean')}"
            return
        problems = compare_solutions(Solutions.from_srj(actual), Solutions.from_srj(expected), question.ordered)
    elif expected_path.name.endswith(".csv"):
        actual_text = _run(live_server.sparql, question, "text/csv").content.decode("utf-8")
        problems = compare_solutions(Solutions.from_csv(actual_text),
                                     Solutions.from_csv(expected_path.read_text(encoding="utf-8")), question.ordered)
    else:
        actual_graph = rdflib.Graph().parse(data=_run(live_server.sparql, question, "text/turtle").text,
                                            format="turtle")
        expected_graph = rdflib.Graph().parse(expected_path, format="turtle")
        assert len(expected_graph) > 0, f"{expected_path.name} is empty: a CONSTRUCT question must build something"
        problems = []
        if not rdflib.compare.isomorphic(actual_graph, expected_graph):
            _, only_actual, only_expected = rdflib.compare.graph_diff(
                rdflib.compare.to_isomorphic(actual_graph), rdflib.compare.to_isomorphic(expected_graph))
            problems.append(f"graphs differ: {len(only_actual)} triples only in the answer, "
                            f"{len(only_expected)} only in the expected graph; e.g. "
                            f"{sorted(only_actual)[:3]} / {sorted(only_expected)[:3]}")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)
