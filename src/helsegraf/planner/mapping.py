"""The declared spreadsheet mapping (``mapping.json``) and the lookup lists it draws from the graph.

The mapping is data, not code: sheets name a class and an IRI template, columns name a property with a
datatype, a language, a lookup (a list of labelled IRIs taken from the graph) or a reference to another
sheet's row. The converter (:mod:`.convert`), the template writer (:mod:`.template`) and the form all
read this one table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

MAPPING_FILE = Path(__file__).with_name("mapping.json")


@dataclass
class Column:
    """One column of a sheet: its header, the property it fills and how its cells are read."""

    name: str
    header: str
    help: dict[str, str]
    property: URIRef | None = None
    inverse: URIRef | None = None
    datatype: URIRef | None = None
    language: str | None = None
    lookup: str | None = None
    ref: str | None = None
    multiple: bool = False
    required: bool = False
    subject: str | None = None


@dataclass
class Sheet:
    """One sheet (or CSV file): one row per resource of ``rdf_class``, IRI from ``iri``."""

    name: str
    element: str
    title: dict[str, str]
    help: dict[str, str]
    iri: str
    rdf_class: URIRef
    columns: list[Column]
    class_column: str | None = None
    subjects: dict[str, dict] = field(default_factory=dict)

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        return next(c for c in self.columns if c.name == name)

    def letter(self, column: Column) -> str:
        """The spreadsheet letter of ``column`` (A, B, …) in the template's layout."""
        return column_letter(self.columns.index(column))


@dataclass
class Mapping:
    """The whole declared mapping: base IRI, prefixes, lookup kinds and sheets in template order."""

    base: str
    prefixes: dict[str, str]
    lookups: dict[str, dict]
    sheets: list[Sheet]

    def sheet(self, name: str) -> Sheet:
        """The sheet called ``name`` (exact, else case-insensitive)."""
        for sheet in self.sheets:
            if sheet.name == name or sheet.name.casefold() == name.casefold():
                return sheet
        raise KeyError(name)

    def expand(self, curie: str) -> URIRef:
        """``hg:Plan`` → the full IRI."""
        prefix, _, local = curie.partition(":")
        return URIRef(self.prefixes[prefix] + local)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@lru_cache(maxsize=1)
def load_mapping() -> Mapping:
    """Read ``mapping.json`` into :class:`Mapping` (once)."""
    raw = json.loads(MAPPING_FILE.read_text(encoding="utf-8"))
    prefixes = raw["prefixes"]

    def iri(curie):
        if curie is None:
            return None
        prefix, _, local = curie.partition(":")
        return URIRef(prefixes[prefix] + local)

    sheets = []
    for s in raw["sheets"]:
        columns = [Column(
            name=c["name"], header=c["header"], help=c.get("help", {}), property=iri(c.get("property")),
            inverse=iri(c.get("inverse")), datatype=iri(c.get("datatype")), language=c.get("language"),
            lookup=c.get("lookup"), ref=c.get("ref"), multiple=c.get("multiple", False),
            required=c.get("required", False), subject=c.get("subject"),
        ) for c in s["columns"]]
        subjects = {k: dict(v, rdf_class=iri(v["class"]), link=iri(v["link"])) for k, v in s.get("subjects", {}).items()}
        sheets.append(Sheet(s["name"], s["element"], s["title"], s["help"], s["iri"], iri(s["class"]), columns,
                            s.get("classColumn"), subjects))
    return Mapping(raw["base"], prefixes, raw["lookups"], sheets)


@dataclass
class Choice:
    """One entry of a drop-down list: the label a planner picks and the IRI (or value) it stands for."""

    label: str
    value: object


def lookup_lists(graph: Graph, mapping: Mapping | None = None) -> dict[str, list[Choice]]:
    """Every lookup kind's choices from ``graph`` (data and ontology), sorted by label, labels made unique."""
    mapping = mapping or load_mapping()
    lists: dict[str, list[Choice]] = {}
    for kind, spec in mapping.lookups.items():
        if "values" in spec:
            lists[kind] = [Choice(label, value) for label, value in spec["values"].items() if label in ("ja", "nei")]
            continue
        if "subClassOf" in spec:
            top = mapping.expand(spec["subClassOf"])
            members = {s for s in graph.transitive_subjects(RDFS.subClassOf, top) if s != top}
            members = {m for m in members if (m, RDF.type, OWL.Class) in graph}
        else:
            members = set(graph.subjects(RDF.type, mapping.expand(spec["class"])))
        choices = [Choice(_label(graph, m), m) for m in members if isinstance(m, URIRef)]
        lists[kind] = _unique(sorted(choices, key=lambda c: (c.label.casefold(), str(c.value))))
    return lists


def _label(graph: Graph, node) -> str:
    for prop in (SKOS.prefLabel, RDFS.label):
        labels = {(lit.language or ""): str(lit) for lit in graph.objects(node, prop) if isinstance(lit, Literal)}
        for lang in ("nb", "nn", "no", "", "en"):
            if lang in labels:
                return labels[lang]
    return str(node).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _unique(choices: list[Choice]) -> list[Choice]:
    """Two resources with the same label (two care staircases' «trinn 1») get their IRI's last part added."""
    seen: dict[str, int] = {}
    for c in choices:
        seen[c.label] = seen.get(c.label, 0) + 1
    for c in choices:
        if seen[c.label] > 1:
            c.label = f"{c.label} ({str(c.value).rstrip('/').rsplit('/', 1)[-1]})"
    return choices
