"""The dataset description: a DCAT catalogue after DCAT-AP-NO (catalogue, dataset, one distribution per dump, the
SPARQL endpoint as a data service, publisher, licence, themes) with VoID statistics for the whole dataset and
for each named graph. The numbers are counted from the store when asked; the loader's meta graph
(``{base}graph/meta``) supplies each graph's source file and load time.

IRIs: ``{base}dataset`` is the dataset (dcat:Dataset and void:Dataset); ``{base}dataset#catalog``,
``#service``, ``#publisher``, ``#dump-trig``, ``#dump-nquads`` are its parts; each named graph is a
``void:subset``. Download and endpoint URLs are those of the serving host.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..namespaces import DCT, OWL, VOID, graph_base, inferred_graph, meta_graph
from . import current_store
from .linked_data import labels_of

#: EU data themes (the vocabulary DCAT-AP-NO uses for dcat:theme).
THEMES = {
    "http://publications.europa.eu/resource/authority/data-theme/HEAL": {"nb": "Helse", "en": "Health"},
    "http://publications.europa.eu/resource/authority/data-theme/GOVE": {
        "nb": "Forvaltning og offentlig sektor", "en": "Government and public sector"},
}
LANGUAGES = ["http://publications.europa.eu/resource/authority/language/NOB",
             "http://publications.europa.eu/resource/authority/language/NNO",
             "http://publications.europa.eu/resource/authority/language/ENG"]
IANA = "https://www.iana.org/assignments/media-types/"


@dataclass
class GraphStats:
    iri: str
    title: str
    source_file: str
    triples: int
    classes: int
    properties: int
    modified: str


def describe_dataset(base: str, root_url: str) -> dict:
    """Count the dataset and each named graph, and gather what the catalogue says."""
    store = current_store()
    per_graph = {row["g"].value: row for row in store.query(
        "SELECT ?g (COUNT(*) AS ?triples) (COUNT(DISTINCT ?p) AS ?properties) "
        "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows()}
    classes = {row["g"].value: int(row["n"].value) for row in store.query(
        "SELECT ?g (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?g").rows()}
    meta = {row["g"].value: row for row in store.query(
        f"SELECT ?g ?file ?modified WHERE {{ GRAPH <{meta_graph(base)}> {{ ?g a <{VOID}Dataset> "
        f"OPTIONAL {{ ?g <{DCT}source> ?file }} OPTIONAL {{ ?g <{DCT}modified> ?modified }} }} }}").rows()}
    titles = labels_of(list(per_graph), "nb")
    graphs = []
    for iri in sorted(per_graph):
        row, info = per_graph[iri], meta.get(iri, {})
        file = info.get("file").value if info.get("file") else ""
        graphs.append(GraphStats(
            iri, titles[iri].value if iri in titles else iri[len(graph_base(base)):], file,
            int(row["triples"].value), classes.get(iri, 0), int(row["properties"].value),
            info.get("modified").value if info.get("modified") else ""))
    totals = {row_name: int(value.value) for row_name, value in next(iter(store.query(
        "SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties) "
        "(COUNT(DISTINCT ?o) AS ?objects) WHERE { GRAPH ?g { ?s ?p ?o } }").rows())).items()}
    totals["classes"] = int(next(iter(store.query(
        "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?s a ?c } }").rows()))["n"].value)
    licence_rows = list(store.query(f"SELECT ?l WHERE {{ <{base}ontology> <{DCT}license> ?l }} LIMIT 1").rows())
    version_rows = list(store.query(f"SELECT ?v WHERE {{ <{base}ontology> <{OWL}versionInfo> ?v }} LIMIT 1").rows())
    return {
        "base": base,
        "dataset": base + "dataset",
        "root": root_url,
        "endpoint": root_url + "sparql",
        "dumps": [("trig", root_url + "dump.trig.gz", "application/trig", "TriG"),
                  ("nquads", root_url + "dump.nq.gz", "application/n-quads", "N-Quads")],
        "graphs": graphs,
        "totals": totals,
        "licence": licence_rows[0]["l"].value if licence_rows else None,
        "version": version_rows[0]["v"].value if version_rows else None,
        "themes": THEMES,
        "meta_graph": meta_graph(base),
        "inferred_graph": inferred_graph(base),
    }


def _literal(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def dataset_turtle(d: dict) -> str:
    """The description as Turtle (parsed back by the tests, so it must stay valid)."""
    ds, base = d["dataset"], d["base"]
    lines = [
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
        "@prefix void: <http://rdfs.org/ns/void#> .",
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
        "",
        f"<{ds}#catalog> a dcat:Catalog ;",
        f"  dct:title {_literal('helsegraf-katalogen', 'nb')}, {_literal('The helsegraf catalogue', 'en')} ;",
        f"  dct:description {_literal('Katalog over kunnskapsgrafen helsegraf og SPARQL-endepunktet.', 'nb')}, "
        f"{_literal('Catalogue of the helsegraf knowledge graph and its SPARQL endpoint.', 'en')} ;",
        f"  dct:publisher <{ds}#publisher> ;",
        f"  foaf:homepage <{d['root']}> ;",
        f"  dcat:dataset <{ds}> ;",
        f"  dcat:service <{ds}#service> .",
        "",
        f"<{ds}#publisher> a foaf:Agent ;",
        f"  foaf:name {_literal('helsegraf-prosjektet', 'nb')}, {_literal('The helsegraf project', 'en')} .",
        "",
        f"<{ds}> a dcat:Dataset, void:Dataset ;",
        f"  dct:title {_literal('helsegraf: kommunale helse- og omsorgstjenester', 'nb')}, "
        f"{_literal('helsegraf: Norwegian municipal health and care', 'en')} ;",
        f"  dct:description {_literal('Tjenester, organisasjoner og enheter, bygg og omsorgsplasser, lover og nasjonale føringer, planer og helsefellesskap, med kilde for hvert faktum.', 'nb')}, "
        f"{_literal('Services, organisations and units, buildings and care places, laws and national guidelines, plans and health communities, each fact with its source.', 'en')} ;",
        f"  dct:publisher <{ds}#publisher> ;",
        "  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;",
        "  dct:language " + ", ".join(f"<{x}>" for x in LANGUAGES) + " ;",
        "  dcat:theme " + ", ".join(f"<{x}>" for x in d["themes"]) + " ;",
        f"  dcat:keyword {_literal('helse', 'nb')}, {_literal('omsorg', 'nb')}, {_literal('kommune', 'nb')}, "
        f"{_literal('helsefellesskap', 'nb')}, {_literal('health', 'en')}, {_literal('care', 'en')} ;",
    ]
    if d["licence"]:
        lines.append(f"  dct:license <{d['licence']}> ;")
    if d["version"]:
        lines.append(f"  dcat:version {_literal(d['version'])} ;")
    lines += [
        "  dcat:distribution " + ", ".join(f"<{ds}#dump-{key}>" for key, *_ in d["dumps"]) + " ;",
        f"  void:sparqlEndpoint <{d['endpoint']}> ;",
        "  void:dataDump " + ", ".join(f"<{url}>" for _, url, *_ in d["dumps"]) + " ;",
        f"  void:uriSpace {_literal(base + 'id/')} ;",
        f"  void:vocabulary <{base}ontology#> ;",
        f"  void:triples {d['totals']['triples']} ;",
        f"  void:distinctSubjects {d['totals']['subjects']} ;",
        f"  void:distinctObjects {d['totals']['objects']} ;",
        f"  void:properties {d['totals']['properties']} ;",
        f"  void:classes {d['totals']['classes']} ;",
        "  void:subset " + ", ".join(f"<{g.iri}>" for g in d["graphs"]) + " ." if d["graphs"] else "  .",
        "",
    ]
    for key, url, media, name in d["dumps"]:
        lines += [
            f"<{ds}#dump-{key}> a dcat:Distribution ;",
            f"  dct:title {_literal(f'Hele datasettet som {name}, gzip', 'nb')}, "
            f"{_literal(f'The whole dataset as {name}, gzip', 'en')} ;",
            f"  dcat:downloadURL <{url}> ;",
            f"  dcat:accessURL <{url}> ;",
            f"  dcat:mediaType <{IANA}{media}> ;",
            f"  dct:format <{IANA}{media}> ;",
            f"  dcat:compressFormat <{IANA}application/gzip> ;",
        ] + ([f"  dct:license <{d['licence']}> ;"] if d["licence"] else []) + [
            f"  dcat:accessService <{ds}#service> .", ""]
    lines += [
        f"<{ds}#service> a dcat:DataService, sd:Service ;",
        f"  dct:title {_literal('helsegraf SPARQL-endepunkt', 'nb')}, {_literal('helsegraf SPARQL endpoint', 'en')} ;",
        f"  dcat:endpointURL <{d['endpoint']}> ;",
        f"  dcat:endpointDescription <{d['endpoint']}> ;",
        f"  sd:endpoint <{d['endpoint']}> ;",
        "  dct:conformsTo <https://www.w3.org/TR/sparql11-protocol/> ;",
        f"  dct:publisher <{ds}#publisher> ;",
    ] + ([f"  dct:license <{d['licence']}> ;"] if d["licence"] else []) + [
        f"  dcat:servesDataset <{ds}> .", ""]
    for g in d["graphs"]:
        lines += [
            f"<{g.iri}> a void:Dataset ;",
            f"  dct:title {_literal(g.title)} ;",
            f"  void:triples {g.triples} ;",
            f"  void:classes {g.classes} ;",
            f"  void:properties {g.properties} ;",
            f"  void:sparqlEndpoint <{d['endpoint']}> ;",
        ] + ([f"  dct:source {_literal(g.source_file)} ;"] if g.source_file else []) + [
            f"  sd:name <{g.iri}> .", ""]
    return "\n".join(lines)
