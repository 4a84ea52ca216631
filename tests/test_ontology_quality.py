"""Quality checks of the hg: ontology and of how the data files use it.

Each check is a plain rdflib query over the files in ``ontology/`` and ``data/`` (no store, no
server), so the module runs in about a second. A check that finds nothing to check fails: an empty
``ontology/`` or ``data/`` directory is a broken checkout, not a pass.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
HG = Namespace("https://w3id.org/helsegraf/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/helsegraf/ontology")

# Declaration types and the kind each stands for; a term must have exactly one kind.
KIND_OF_TYPE = {
    OWL.Class: "class",
    RDFS.Class: "class",
    OWL.ObjectProperty: "object property",
    OWL.DatatypeProperty: "datatype property",
    OWL.AnnotationProperty: "annotation property",
    RDF.Property: "property",
    OWL.NamedIndividual: "individual",
}
# Predicates that tie an hg term to the standard term it specialises or resembles.
LINK_PREDICATES = (RDFS.subClassOf, RDFS.subPropertyOf, SKOS.closeMatch, SKOS.exactMatch,
                   SKOS.broadMatch, OWL.equivalentClass, OWL.equivalentProperty, RDF.type)
# Namespaces whose terms do not count as "a standard term specialised": they only say what kind
# of thing the hg term is.
META_NAMESPACES = (str(OWL), str(RDF), str(RDFS))


def _rdf_files(folder: str) -> list[Path]:
    """All Turtle and TriG files under ``folder`` (relative to the repository root), sorted."""
    base = ROOT / folder
    return sorted(p for p in base.rglob("*") if p.suffix in {".ttl", ".trig"})


@cache
def _parse(path: Path) -> Graph:
    """Parse one file once per test session (TriG into a conjunctive view)."""
    fmt = "trig" if path.suffix == ".trig" else "turtle"
    if fmt == "trig":
        from rdflib import Dataset

        ds = Dataset()
        ds.parse(path, format="trig")
        graph = Graph()
        for s, p, o, _ in ds.quads():
            graph.add((s, p, o))
        return graph
    return Graph().parse(path, format=fmt)


ONTOLOGY_FILES = _rdf_files("ontology")
DATA_FILES = _rdf_files("data")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    """The union of every file in ``ontology/``."""
    assert ONTOLOGY_FILES, "no ontology files found under ontology/"
    union = Graph()
    for path in ONTOLOGY_FILES:
        union += _parse(path)
    return union


@pytest.fixture(scope="module")
def declared(ontology: Graph) -> dict[URIRef, set[str]]:
    """Every hg: term the ontology declares, with the kinds it is declared as."""
    kinds: dict[URIRef, set[str]] = {}
    for rdf_type, kind in KIND_OF_TYPE.items():
        for term in ontology.subjects(RDF.type, rdf_type):
            if isinstance(term, URIRef) and term.startswith(str(HG)):
                kinds.setdefault(term, set()).add(kind)
    assert kinds, "the ontology declares no hg: terms"
    return kinds


def test_there_are_ontology_and_data_files_to_check():
    assert ONTOLOGY_FILES, "ontology/ holds no .ttl or .trig file"
    assert DATA_FILES, "data/ holds no .ttl or .trig file"


@pytest.mark.parametrize("path", ONTOLOGY_FILES + DATA_FILES,
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_every_rdf_file_parses(path: Path):
    graph = _parse(path)
    assert len(graph) > 0, f"{path} parses to an empty graph"


def test_the_ontology_header_is_complete(ontology: Graph):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for predicate in (OWL.versionInfo, URIRef("http://purl.org/dc/terms/license"),
                      URIRef("http://purl.org/dc/terms/created")):
        assert ontology.value(ONTOLOGY_IRI, predicate) is not None, f"ontology lacks {predicate}"
    for predicate in (URIRef("http://purl.org/dc/terms/title"),
                      URIRef("http://purl.org/dc/terms/description")):
        languages = {o.language for o in ontology.objects(ONTOLOGY_IRI, predicate)}
        assert {"nb", "en"} <= languages, f"{predicate} needs nb and en, has {languages}"


def test_every_hg_term_used_in_the_data_is_declared(declared: dict[URIRef, set[str]]):
    assert DATA_FILES, "no data files to check"
    undeclared: dict[str, set[str]] = {}
    for path in DATA_FILES:
        for triple in _parse(path):
            for node in triple:
                if isinstance(node, URIRef) and node.startswith(str(HG)) and node != URIRef(str(HG)):
                    if node not in declared:
                        undeclared.setdefault(str(node), set()).add(str(path.relative_to(ROOT)))
    assert not undeclared, f"hg: terms used but not declared in ontology/: {undeclared}"


def test_every_hg_term_has_one_kind_only(declared: dict[URIRef, set[str]]):
    clashes = {str(t): sorted(k) for t, k in declared.items() if len(k) > 1}
    assert not clashes, f"hg: terms declared as more than one kind: {clashes}"


def test_data_files_do_not_redeclare_hg_terms():
    """Terms belong in the ontology; a data file that types an hg: IRI as a class or property
    forks the vocabulary."""
    offenders = []
    for path in DATA_FILES:
        graph = _parse(path)
        for rdf_type in KIND_OF_TYPE:
            for term in graph.subjects(RDF.type, rdf_type):
                if isinstance(term, URIRef) and term.startswith(str(HG)):
                    offenders.append((str(path.relative_to(ROOT)), str(term)))
    assert not offenders, f"data files declare hg: terms: {offenders}"


@pytest.mark.parametrize("predicate", [RDFS.label, SKOS.definition], ids=["label", "definition"])
def test_every_hg_term_has_nb_and_en_text(ontology: Graph, declared, predicate):
    missing = {}
    for term in declared:
        languages = {o.language for o in ontology.objects(term, predicate)}
        if not {"nb", "en"} <= languages:
            missing[str(term)] = sorted(str(lang) for lang in languages)
    assert not missing, f"hg: terms without nb and en {predicate}: {missing}"


def test_every_hg_term_is_defined_by_the_ontology(ontology: Graph, declared):
    strays = [str(t) for t in declared if (t, RDFS.isDefinedBy, ONTOLOGY_IRI) not in ontology]
    assert not strays, f"hg: terms without rdfs:isDefinedBy the ontology: {strays}"


def _has_standard_link(ontology: Graph, term: URIRef, seen: set[URIRef]) -> bool:
    """True if ``term`` links to a non-hg, non-meta term, directly or through hg: parents."""
    seen.add(term)
    for predicate in LINK_PREDICATES:
        for target in ontology.objects(term, predicate):
            if not isinstance(target, URIRef):
                continue
            if target.startswith(str(HG)):
                if target not in seen and _has_standard_link(ontology, target, seen):
                    return True
            elif not target.startswith(META_NAMESPACES):
                return True
    return False


def test_every_hg_term_specialises_a_standard_term_or_says_why_not(ontology: Graph, declared):
    gap = HG.standardGap
    unlinked = [str(t) for t in declared
                if (t, gap, None) not in ontology and not _has_standard_link(ontology, t, set())]
    assert not unlinked, ("hg: terms with no link to a standard term and no hg:standardGap: "
                          f"{unlinked}")


def test_the_additions_section_is_kept():
    """Other engineers append terms below this marker; it must survive edits."""
    text = (ROOT / "ontology" / "helsegraf.ttl").read_text(encoding="utf-8")
    assert "# --- additions ---" in text
