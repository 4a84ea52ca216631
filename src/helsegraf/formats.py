"""The one table of the formats helsegraf reads and writes, and everything derived from it.

Each :class:`Format` row says which media types name it, which ``format=``/``output=`` values clients send for
it (SPARQLWrapper, rdflib's SPARQLStore, Fuseki's ``output=``), its file suffixes, the engine's (pyoxigraph)
name for it, the result kinds it serves and its IRI in the W3C formats namespace (for the Service
Description). A new format is one row here (plus a writer if the engine has none).

Result kinds: ``solutions`` (SELECT), ``boolean`` (ASK), ``graph`` (CONSTRUCT, DESCRIBE, one graph of the Graph
Store Protocol) and ``dataset`` (several graphs: dumps, dataset uploads).

An alias may mean different formats for different kinds: SPARQLWrapper sends ``format=xml`` for a SELECT (SPARQL
XML results) and for a CONSTRUCT (RDF/XML), ``format=json`` for both SPARQL JSON results and JSON-LD.
"""

from __future__ import annotations

from dataclasses import dataclass

W3C_FORMATS = "http://www.w3.org/ns/formats/"

SOLUTIONS, BOOLEAN, GRAPH, DATASET = "solutions", "boolean", "graph", "dataset"


@dataclass(frozen=True)
class Format:
    """One row of the table."""

    #: Short key used everywhere inside helsegraf (CLI ``--format``, ``Store.dump`` ...).
    key: str
    #: The media type helsegraf writes.
    media_type: str
    #: Result kinds this format serves (see the module docstring).
    kinds: frozenset[str]
    #: Other media types that name the same format in Accept or Content-Type, least specific last.
    other_media_types: tuple[str, ...] = ()
    #: Values of ``format=``/``output=``/``results=`` that clients send for it (lower case).
    aliases: tuple[str, ...] = ()
    #: File suffixes (lower case, with the dot); the first is the one helsegraf writes.
    suffixes: tuple[str, ...] = ()
    #: The engine's name: ``pyoxigraph.RdfFormat.<name>`` or ``pyoxigraph.QueryResultsFormat.<name>``.
    engine: str = ""
    #: rdflib's name of the format (parsing uploads, validation, small serialisations).
    rdflib: str | None = None
    #: Local name in http://www.w3.org/ns/formats/ (Service Description ``sd:resultFormat``).
    sd_name: str | None = None

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.other_media_types)

    @property
    def sd_iri(self) -> str | None:
        return W3C_FORMATS + self.sd_name if self.sd_name else None

    @property
    def is_rdf(self) -> bool:
        return bool(self.kinds & {GRAPH, DATASET})


_RESULTS = frozenset({SOLUTIONS, BOOLEAN})
_GRAPH = frozenset({GRAPH})
_DATASET = frozenset({DATASET})

#: The table. Order matters: within a kind, the first row is the default when the client states no preference.
FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        "application/sparql-results+json",
        _RESULTS,
        ("application/json",),
        ("json", "srj", "sparql-results+json", "application/sparql-results+json"),
        (".srj", ".json"),
        "JSON",
        None,
        "SPARQL_Results_JSON",
    ),
    Format(
        "xml",
        "application/sparql-results+xml",
        _RESULTS,
        ("application/xml", "text/xml"),
        ("xml", "srx", "sparql", "sparql-results+xml", "application/sparql-results+xml"),
        (".srx", ".xml"),
        "XML",
        None,
        "SPARQL_Results_XML",
    ),
    Format("csv", "text/csv", _RESULTS, (), ("csv", "text/csv"), (".csv",), "CSV", None, "SPARQL_Results_CSV"),
    Format(
        "tsv",
        "text/tab-separated-values",
        _RESULTS,
        (),
        ("tsv", "text/tab-separated-values"),
        (".tsv",),
        "TSV",
        None,
        "SPARQL_Results_TSV",
    ),
    Format(
        "turtle",
        "text/turtle",
        _GRAPH,
        ("application/x-turtle", "text/n3", "text/rdf+n3"),
        # Turtle is a subset of N3, so an N3 request gets Turtle.
        ("turtle", "ttl", "n3", "text/turtle", "text/n3"),
        (".ttl",),
        "TURTLE",
        "turtle",
        "Turtle",
    ),
    Format(
        "ntriples",
        "application/n-triples",
        _GRAPH,
        ("text/plain",),
        ("ntriples", "nt", "n-triples", "text/plain", "application/n-triples"),
        (".nt",),
        "N_TRIPLES",
        "nt",
        "N-Triples",
    ),
    Format(
        "jsonld",
        "application/ld+json",
        _GRAPH,
        ("application/json",),
        ("jsonld", "json-ld", "json", "application/ld+json"),
        (".jsonld",),
        "JSON_LD",
        "json-ld",
        "JSON-LD",
    ),
    Format(
        "rdfxml",
        "application/rdf+xml",
        _GRAPH,
        ("application/xml", "text/xml"),
        ("rdfxml", "rdf", "rdf+xml", "xml-rdf", "xml", "application/rdf+xml"),
        (".rdf", ".owl", ".xml"),
        "RDF_XML",
        "xml",
        "RDF_XML",
    ),
    Format(
        "trig",
        "application/trig",
        _DATASET,
        ("application/x-trig",),
        ("trig", "application/trig"),
        (".trig",),
        "TRIG",
        "trig",
        "TriG",
    ),
    Format(
        "nquads",
        "application/n-quads",
        _DATASET,
        ("text/x-nquads",),
        ("nquads", "nq", "n-quads", "application/n-quads"),
        (".nq",),
        "N_QUADS",
        "nquads",
        "N-Quads",
    ),
)

BY_KEY: dict[str, Format] = {f.key: f for f in FORMATS}


def for_kind(kind: str) -> list[Format]:
    """The formats that serve ``kind``, default first."""
    return [f for f in FORMATS if kind in f.kinds]


def media_type(key: str) -> str:
    """The media type helsegraf writes for a format key."""
    return BY_KEY[key].media_type


def from_media_type(mime: str | None, kinds: frozenset[str] | set[str] = frozenset({GRAPH, DATASET})) -> str | None:
    """The format key a ``Content-Type`` names (parameters ignored), among formats of ``kinds``; else None.

    >>> from_media_type("text/turtle; charset=utf-8")
    'turtle'
    >>> from_media_type("application/json") is None
    True
    """
    bare = (mime or "").split(";")[0].strip().lower()
    if bare in _GENERIC_MEDIA_TYPES:
        return None
    for f in FORMATS:
        if f.kinds & set(kinds) and bare in f.media_types:
            return f.key
    return None


#: Media types that name a family (JSON, XML) rather than one RDF syntax: accepted in Accept, where the
#: server picks, but not as the Content-Type of a body, which would be ambiguous.
_GENERIC_MEDIA_TYPES = frozenset({"application/json", "application/xml", "text/xml"})


def from_alias(alias: str, kind: str) -> str | None:
    """The format key a ``format=``/``output=`` value means for a result of ``kind``.

    >>> from_alias("xml", "graph"), from_alias("xml", "solutions"), from_alias("JSON", "graph")
    ('rdfxml', 'xml', 'jsonld')
    """
    wanted = alias.strip().lower()
    for f in for_kind(kind):
        if wanted == f.key or wanted in f.aliases or wanted in f.media_types:
            return f.key
    return None


def from_suffix(suffix: str, kinds: frozenset[str] | set[str] = frozenset({GRAPH, DATASET})) -> str | None:
    """The RDF format key of a file suffix (``.ttl``), or None."""
    wanted = suffix.lower()
    for f in FORMATS:
        if f.kinds & set(kinds) and wanted in f.suffixes:
            return f.key
    return None


# --- Derived tables, under the names older modules import -------------------------------------------------------

#: Result formats of SELECT and ASK: key -> media type.
SOLUTION_FORMATS: dict[str, str] = {f.key: f.media_type for f in for_kind(SOLUTIONS)}
#: RDF formats (graph and dataset): key -> media type.
GRAPH_FORMATS: dict[str, str] = {f.key: f.media_type for f in FORMATS if f.is_rdf}
#: Formats that hold several graphs.
DATASET_FORMATS: frozenset[str] = frozenset(f.key for f in for_kind(DATASET))
#: File suffixes the loader reads: suffix -> format key (``.xml`` left out: it is too often not RDF).
EXTENSIONS: dict[str, str] = {s: f.key for f in FORMATS if f.is_rdf for s in f.suffixes if s != ".xml"}
