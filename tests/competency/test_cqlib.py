"""The helpers that read questions and compare answers (no server needed)."""

from __future__ import annotations

from pathlib import Path

from cqlib import Question, Solutions, compare_solutions, has_order_by, header_problems, parse_header, query_form

HEADER = """# Title(nb): Enheter
# Title(en): Units
# Q(nb): Hvilke enheter finnes,
#   og hvor?
# Q(en): Which units exist?
# Audience: planner, agency
PREFIX ex: <http://example.org/#>
SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s
"""


def _literal(value: str) -> dict:
    return {"type": "literal", "value": value}


def _solutions(*values: str) -> Solutions:
    return Solutions.from_srj({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": _literal(v)} for v in values]}})


def test_header_fields_and_continuation_lines():
    header = parse_header(HEADER)
    assert header["Q(nb)"] == "Hvilke enheter finnes, og hvor?"
    assert header["Audience"] == "planner, agency"
    assert set(header) == {"Title(nb)", "Title(en)", "Q(nb)", "Q(en)", "Audience"}


def test_header_problems_name_missing_fields(tmp_path: Path):
    path = tmp_path / "cq-01-units.rq"
    path.write_text("# Title(nb): Enheter\n# Audience: mayor\nASK {}\n", encoding="utf-8")
    problems = " ".join(header_problems(Question.read(path)))
    assert "Title(en)" in problems and "Q(nb)" in problems and "Audience" in problems and "expected" in problems


def test_query_form_ignores_prologue_and_comments():
    assert query_form(HEADER) == "select"
    assert query_form("# SELECT in a comment\nPREFIX a: <http://x/#>\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") \
        == "construct"


def test_order_by_in_a_comment_does_not_count():
    assert has_order_by(HEADER)
    assert not has_order_by("# ORDER BY ?s is not used here\nSELECT ?s WHERE { ?s ?p ?o }")


def test_unordered_answers_compare_as_multisets():
    assert not compare_solutions(_solutions("a", "b"), _solutions("b", "a"), ordered=False)
    assert compare_solutions(_solutions("a", "a", "b"), _solutions("a", "b", "b"), ordered=False)


def test_ordered_answers_compare_as_lists():
    assert compare_solutions(_solutions("a", "b"), _solutions("b", "a"), ordered=True)
    assert not compare_solutions(_solutions("a", "b"), _solutions("a", "b"), ordered=True)


def test_language_and_datatype_matter_but_xsd_string_is_plain():
    tagged = Solutions.from_srj({"head": {"vars": ["x"]}, "results": {"bindings": [
        {"x": {"type": "literal", "value": "a", "xml:lang": "nb"}}]}})
    typed = Solutions.from_srj({"head": {"vars": ["x"]}, "results": {"bindings": [
        {"x": {"type": "literal", "value": "a", "datatype": "http://www.w3.org/2001/XMLSchema#string"}}]}})
    assert compare_solutions(tagged, _solutions("a"), ordered=False)
    assert not compare_solutions(typed, _solutions("a"), ordered=False)
