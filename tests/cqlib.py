"""Reading competency questions (``queries/cq/*.rq``) and comparing their answers with the expected ones.

A question is a SPARQL file whose first lines are ``# Key: value`` comments (see :data:`HEADER_FIELDS`),
with its expected answer beside it: ``<name>.expected.srj`` (SPARQL 1.1 JSON results, for SELECT and ASK),
``<name>.expected.csv`` (SPARQL 1.1 CSV results, for SELECT) or ``<name>.expected.ttl`` (CONSTRUCT).
Headers are parsed by :mod:`helsegraf.questions`, which the query UI uses too.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from helsegraf.questions import HEADER_FIELDS, OPTIONAL_FIELDS, parse_header  # noqa: F401 - re-exported

ROOT = Path(__file__).resolve().parents[1]
CQ_DIR = ROOT / "queries" / "cq"
QC_DIR = ROOT / "queries" / "qc"

AUDIENCES = {"researcher", "planner", "agency"}
#: Expected-answer suffixes, in the order they are looked for.
EXPECTED_SUFFIXES = (".expected.srj", ".expected.csv", ".expected.ttl")
NAME_PATTERN = re.compile(r"^cq-\d{2}-[a-z0-9]+(-[a-z0-9]+)*\.rq$")

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass
class Question:
    """One competency question file."""

    path: Path
    text: str
    header: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> Question:
        text = path.read_text(encoding="utf-8")
        return cls(path, text, parse_header(text))

    @property
    def name(self) -> str:
        return self.path.name[: -len(".rq")]

    @property
    def form(self) -> str:
        return query_form(self.text)

    @property
    def ordered(self) -> bool:
        return has_order_by(self.text)

    @property
    def expected_path(self) -> Path | None:
        for suffix in EXPECTED_SUFFIXES:
            candidate = self.path.with_name(self.name + suffix)
            if candidate.exists():
                return candidate
        return None


def question_files(directory: Path = CQ_DIR) -> list[Path]:
    """Every ``.rq`` file of the question folder, sorted by name."""
    return sorted(directory.glob("*.rq"))


def header_problems(question: Question) -> list[str]:
    """What is missing or wrong in a question's header and name (empty when it is fine)."""
    problems = [f"missing header '# {key}: …'" for key in HEADER_FIELDS if not question.header.get(key)]
    audience = question.header.get("Audience", "")
    if audience and not set(a.strip() for a in audience.split(",")) <= AUDIENCES:
        problems.append(f"Audience must be one or more of {sorted(AUDIENCES)}, not {audience!r}")
    if not NAME_PATTERN.match(question.path.name):
        problems.append("file name must be cq-NN-<slug>.rq (lower-case ASCII slug)")
    if question.expected_path is None:
        problems.append(f"no expected answer ({' or '.join(question.name + s for s in EXPECTED_SUFFIXES)})")
    return problems


def _code_lines(text: str) -> str:
    """The query without its full-line comments (questions keep comments on lines of their own)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def query_form(text: str) -> str:
    """``select``, ``ask``, ``construct`` or ``describe``: the first query keyword after the prologue.

    >>> query_form("PREFIX a: <http://x/#> # c\\nASK { ?s ?p ?o }")
    'ask'
    """
    code = _code_lines(text)
    code = re.sub(r"(?is)\b(PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)", " ", code)
    match = re.search(r"(?i)\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", code)
    if not match:
        raise ValueError("not a SPARQL query form")
    return match.group(1).lower()


def has_order_by(text: str) -> bool:
    """Whether the query orders its solutions (then the row order of the answer matters)."""
    return re.search(r"(?i)\bORDER\s+BY\b", _code_lines(text)) is not None


# --- answers -------------------------------------------------------------------------------------

Term = tuple  # (kind, value, datatype or None, language or None)


def _term(binding: dict) -> Term:
    kind = binding["type"]
    if kind == "typed-literal":  # SPARQL 1.0 JSON spelling
        kind = "literal"
    if kind == "bnode":
        # Blank node labels are local to one result document; compare only that it is a blank node.
        return ("bnode", "", None, None)
    datatype = binding.get("datatype")
    lang = binding.get("xml:lang")
    if datatype in (_XSD_STRING, _RDF_LANGSTRING):
        datatype = None
    return (kind, binding["value"], datatype, lang.lower() if lang else None)


@dataclass
class Solutions:
    """A SELECT answer: the projected variables and the rows, each row a tuple of terms (None = unbound)."""

    variables: list[str]
    rows: list[tuple]

    @classmethod
    def from_srj(cls, document: dict) -> Solutions:
        variables = list(document["head"]["vars"])
        rows = [
            tuple(_term(b[v]) if v in b else None for v in variables)
            for b in document["results"]["bindings"]
        ]
        return cls(variables, rows)

    @classmethod
    def from_csv(cls, text: str) -> Solutions:
        reader = csv.reader(io.StringIO(text))
        variables = next(reader)
        rows = [tuple(("csv", value, None, None) if value != "" else None for value in row) for row in reader]
        return cls(variables, rows)


def read_srj(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def compare_solutions(actual: Solutions, expected: Solutions, ordered: bool) -> list[str]:
    """Differences between two SELECT answers: as lists when ``ordered``, else as multisets of rows."""
    problems: list[str] = []
    if actual.variables != expected.variables:
        problems.append(f"variables {actual.variables} != expected {expected.variables}")
        return problems
    if ordered:
        if actual.rows != expected.rows:
            problems.append(_row_diff(actual.rows, expected.rows, ordered=True))
    elif Counter(actual.rows) != Counter(expected.rows):
        problems.append(_row_diff(actual.rows, expected.rows, ordered=False))
    return problems


def _row_diff(actual: list[tuple], expected: list[tuple], ordered: bool) -> str:
    missing = list((Counter(expected) - Counter(actual)).elements())
    extra = list((Counter(actual) - Counter(expected)).elements())
    lines = [f"{len(actual)} rows, expected {len(expected)}" + (" (order matters: ORDER BY)" if ordered else "")]
    lines += [f"  missing: {_show(row)}" for row in missing[:10]]
    lines += [f"  unexpected: {_show(row)}" for row in extra[:10]]
    if ordered and not missing and not extra:
        lines.append("  same rows in another order")
    return "\n".join(lines)


def _show(row: tuple) -> str:
    return " | ".join("UNDEF" if t is None else (t[1] + (f"@{t[3]}" if t[3] else "") + (f"^^{t[2]}" if t[2] else ""))
                      for t in row)
