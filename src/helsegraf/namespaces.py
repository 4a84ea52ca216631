"""The IRIs helsegraf uses, defined once.

The default base is ``https://w3id.org/helsegraf/``; a deployment may configure another base
(:class:`helsegraf.config.Settings.base`), in which case the loader rewrites the default base in the bundled
files to the configured one.
"""

DEFAULT_BASE = "https://w3id.org/helsegraf/"

HG = DEFAULT_BASE + "ontology#"
HGSH = DEFAULT_BASE + "shapes#"
HGID = DEFAULT_BASE + "id/"
HGGRAPH = DEFAULT_BASE + "graph/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
SH = "http://www.w3.org/ns/shacl#"
SPDX = "http://spdx.org/rdf/terms#"

#: Prefixes known to the query UI, the CLI and the documentation.
PREFIXES = {
    "hg": HG,
    "hgsh": HGSH,
    "hgid": HGID,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dct": DCT,
    "prov": PROV,
    "org": ORG,
    "dcat": DCAT,
    "void": VOID,
    "sh": SH,
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "qb": "http://purl.org/linked-data/cube#",
    "time": "http://www.w3.org/2006/time#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
}


def graph_base(base: str) -> str:
    """Return the prefix of named-graph IRIs under ``base``.

    >>> graph_base("https://example.org/hg/")
    'https://example.org/hg/graph/'
    """
    return base + "graph/"


def meta_graph(base: str) -> str:
    """The named graph where the loader records what it loaded (VoID and checksums)."""
    return graph_base(base) + "meta"


def inferred_graph(base: str) -> str:
    """The named graph that holds the materialised RDFS entailments."""
    return graph_base(base) + "inferred"
