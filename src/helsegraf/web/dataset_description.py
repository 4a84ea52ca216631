"""The dataset description: a DCAT catalogue after DCAT-AP-NO (catalogue, dataset, one distribution per dump, the
SPARQL endpoint as a data service, publisher, contact point, licence, themes) with VoID statistics for the whole
dataset and for each named graph. The numbers are counted from the store when asked; the loader's meta graph
(``{base}graph/meta``) supplies each graph's source file and load time.

It conforms to Digdir's DCAT-AP-NO 2.x SHACL shapes, checked with the EU vocabularies' facts they need
(``tests/web/test_dataset_description.py``): ``dct:identifier`` on catalogue, dataset and service; licence,
file type, frequency, language, access right, country and data theme from the EU authority tables; a LOS theme.

IRIs: ``{base}dataset`` is the dataset (dcat:Dataset and void:Dataset); ``{base}dataset#catalog``,
``#service``, ``#contact``, ``#temporal``, ``#dump-trig``, ``#dump-nquads`` are its parts; each named graph is a
``void:subset``. The publisher is the organisation of ``HELSEGRAF_PUBLISHER_ORGANISATION_NUMBER`` (Digdir's
organisation catalogue IRI, as DCAT-AP-NO recommends) or, unset, ``{base}dataset#publisher`` named after the
project; nothing about a publisher is said that the deployer did not set. Download and endpoint URLs are those
of the serving host.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..namespaces import DCT, OWL, VOID, XSD, graph_base, inferred_graph, meta_graph
from . import current_settings, current_store
from .linked_data import labels_of

EU = "http://publications.europa.eu/resource/authority/"
#: EU data themes (the vocabulary DCAT-AP-NO requires for dcat:theme) and LOS, Norway's theme vocabulary
#: for public services (Digdir's psi.norge.no/los): the dataset is about health and care services.
THEMES = {
    EU + "data-theme/HEAL": {"nb": "Helse", "en": "Health"},
    EU + "data-theme/GOVE": {"nb": "Forvaltning og offentlig sektor", "en": "Government and public sector"},
    "https://psi.norge.no/los/tema/helse-og-omsorg": {"nb": "Helse og omsorg", "en": "Health and care"},
}
LANGUAGES = [EU + "language/NOB", EU + "language/NNO", EU + "language/ENG"]
#: The licences the ontology may state, as creativecommons.org IRIs, mapped to the EU licence vocabulary.
EU_LICENCES = {
    "https://creativecommons.org/licenses/by/4.0/": EU + "licence/CC_BY_4_0",
    "https://creativecommons.org/licenses/by/4.0": EU + "licence/CC_BY_4_0",
    "http://creativecommons.org/licenses/by/4.0/": EU + "licence/CC_BY_4_0",
    "https://creativecommons.org/publicdomain/zero/1.0/": EU + "licence/CC0",
    "http://creativecommons.org/publicdomain/zero/1.0/": EU + "licence/CC0",
}
#: The data changes when someone loads or writes, not on a schedule.
FREQUENCY = EU + "frequency/IRREG"
SPATIAL = EU + "country/NOR"
ACCESS = EU + "access-right/PUBLIC"
IANA = "https://www.iana.org/assignments/media-types/"
#: Digdir's organisation catalogue: the publisher IRI DCAT-AP-NO recommends (used by the shapes file itself).
ORGANISATION_CATALOGUE = "https://organization-catalog.fellesdatakatalog.digdir.no/organizations/"
BRREG = "https://data.brreg.no/enhetsregisteret/api/enheter/"


@dataclass
class GraphStats:
    iri: str
    title: str
    source_file: str
    triples: int
    classes: int
    properties: int
    modified: str


@dataclass
class Publisher:
    """Who publishes the description: only what the deployer set (``HELSEGRAF_PUBLISHER_*``)."""

    iri: str
    names: dict[str, str]
    organisation_number: str | None
    url: str | None
    contact_email: str | None
    contact_url: str


def publisher_of(settings, dataset: str, root_url: str) -> Publisher:
    number = settings.publisher_organisation_number
    names = {"nb": settings.publisher_name} if settings.publisher_name else {
        "nb": "helsegraf-prosjektet", "en": "The helsegraf project"}
    return Publisher(
        iri=ORGANISATION_CATALOGUE + number if number else dataset + "#publisher",
        names=names, organisation_number=number, url=settings.publisher_url,
        contact_email=settings.publisher_contact_email,
        contact_url=settings.publisher_contact_url or settings.publisher_url or root_url)


def describe_dataset(base: str, root_url: str) -> dict:
    """Count the dataset and each named graph, and gather what the catalogue says."""
    from .freshness import data_version

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
        file, modified = info.get("file"), info.get("modified")
        graphs.append(GraphStats(
            iri, titles[iri].value if iri in titles else iri[len(graph_base(base)):], file.value if file else "",
            int(row["triples"].value), classes.get(iri, 0), int(row["properties"].value),
            modified.value if modified else ""))
    # The same triple in two named graphs is one triple of the dataset: VoID counts the merge, not the bag.
    totals = {row_name: int(value.value) for row_name, value in next(iter(store.query(
        "SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties) "
        "(COUNT(DISTINCT ?o) AS ?objects) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    ).rows())).items()}
    totals["quads"] = store.count()
    totals["classes"] = int(next(iter(store.query(
        "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?s a ?c } }").rows()))["n"].value)
    ontology = f"<{base}ontology>"
    licence_rows = list(store.query(f"SELECT ?l WHERE {{ {ontology} <{DCT}license> ?l }} LIMIT 1").rows())
    version_rows = list(store.query(f"SELECT ?v WHERE {{ {ontology} <{OWL}versionInfo> ?v }} LIMIT 1").rows())
    ontology_titles = {row["t"].lang or "": row["t"].value for row in store.query(
        f"SELECT ?t WHERE {{ {ontology} <{DCT}title> ?t }}").rows()}
    created_rows = list(store.query(f"SELECT ?d WHERE {{ {ontology} <{DCT}created> ?d }} LIMIT 1").rows())
    # The period the facts speak of: the earliest and latest xsd:date the data graphs state.
    span = next(iter(store.query(
        f"SELECT (MIN(?d) AS ?start) (MAX(?d) AS ?end) WHERE {{ GRAPH ?g {{ ?s ?p ?d }} "
        f"FILTER(DATATYPE(?d) = <{XSD}date> && STRSTARTS(STR(?g), \"{graph_base(base)}data/\")) }}").rows()), {})
    licence = licence_rows[0]["l"].value if licence_rows else None
    _, changed = data_version()
    dataset = base + "dataset"
    return {
        "base": base,
        "dataset": dataset,
        "root": root_url,
        "endpoint": root_url + "sparql",
        "dumps": [("trig", root_url + "dump.trig.gz", "application/trig", "TriG", EU + "file-type/RDF_TRIG"),
                  ("nquads", root_url + "dump.nq.gz", "application/n-quads", "N-Quads",
                   EU + "file-type/RDF_N_QUADS")],
        "graphs": graphs,
        "totals": totals,
        "licence": licence,
        "eu_licence": EU_LICENCES.get(licence or "", licence),
        "version": version_rows[0]["v"].value if version_rows else None,
        "issued": created_rows[0]["d"].value if created_rows else None,
        "modified": changed.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "temporal": (span["start"].value, span["end"].value) if "start" in span and "end" in span else None,
        "ontology_titles": ontology_titles or {"en": "The helsegraf ontology"},
        "themes": THEMES,
        "publisher": publisher_of(current_settings(), dataset, root_url),
        "meta_graph": meta_graph(base),
        "inferred_graph": inferred_graph(base),
    }


def _literal(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def _typed(text: str, datatype: str) -> str:
    return f"{_literal(text)}^^xsd:{datatype}"


def _names(names: dict[str, str]) -> str:
    return ", ".join(_literal(text, lang) for lang, text in names.items())


def _agent(p: Publisher, ds: str) -> list[str]:
    lines = [f"<{p.iri}> a foaf:Agent ;", f"  foaf:name {_names(p.names)} ;"]
    if p.organisation_number:
        lines += [f"  dct:identifier {_literal(p.organisation_number)} ;", f"  rdfs:seeAlso <{BRREG}{p.organisation_number}> ;"]
    if p.url:
        lines.append(f"  foaf:homepage <{p.url}> ;")
    lines[-1] = lines[-1][:-2] + " ."
    contact = [f"<{ds}#contact> a vcard:Organization ;", f"  vcard:fn {_names(p.names)} ;",
               f"  vcard:hasURL <{p.contact_url}> ;"]
    if p.contact_email:
        contact.append(f"  vcard:hasEmail <mailto:{p.contact_email}> ;")
    if p.organisation_number:
        contact.append(f"  vcard:hasOrganizationName {_literal(p.names.get('nb', ''), 'nb')} ;")
    contact[-1] = contact[-1][:-2] + " ."
    return lines + [""] + contact + [""]


def _dates(d: dict) -> list[str]:
    return ([f"  dct:issued {_typed(d['issued'], 'date')} ;"] if d["issued"] else []) + [
        f"  dct:modified {_typed(d['modified'], 'dateTime')} ;"]


def dataset_turtle(d: dict) -> str:
    """The description as Turtle (parsed back by the tests, so it must stay valid)."""
    ds, base, publisher = d["dataset"], d["base"], d["publisher"]
    licence = [f"  dct:license <{d['eu_licence']}> ;"] if d["eu_licence"] else []
    owner = [f"  dct:publisher <{publisher.iri}> ;", f"  dcat:contactPoint <{ds}#contact> ;"]
    lines = [
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
        "@prefix void: <http://rdfs.org/ns/void#> .",
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .",
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
        "",
        f"<{ds}#catalog> a dcat:Catalog ;",
        f"  dct:identifier {_literal(ds + '#catalog')} ;",
        f"  dct:title {_literal('helsegraf-katalogen', 'nb')}, {_literal('The helsegraf catalogue', 'en')} ;",
        (f"  dct:description {_literal('Katalog over kunnskapsgrafen helsegraf og SPARQL-endepunktet.', 'nb')}, "
        f"{_literal('Catalogue of the helsegraf knowledge graph and its SPARQL endpoint.', 'en')} ;"),
        *owner, *licence, *_dates(d),
        "  dct:language " + ", ".join(f"<{x}>" for x in LANGUAGES) + " ;",
        f"  dct:spatial <{SPATIAL}> ;",
        f"  foaf:homepage <{d['root']}> ;",
        f"  dcat:dataset <{ds}> ;",
        f"  dcat:service <{ds}#service> .",
        "",
        *_agent(publisher, ds),
        f"<{ds}> a dcat:Dataset, void:Dataset ;",
        f"  dct:identifier {_literal(ds)} ;",
        (f"  dct:title {_literal('helsegraf: kommunale helse- og omsorgstjenester', 'nb')}, "
        f"{_literal('helsegraf: Norwegian municipal health and care', 'en')} ;"),
        (f"  dct:description {_literal('Tjenester, organisasjoner og enheter, bygg og omsorgsplasser, lover og nasjonale føringer, planer og helsefellesskap, med kilde for hvert faktum.', 'nb')}, "
        f"{_literal('Services, organisations and units, buildings and care places, laws and national guidelines, plans and health communities, each fact with its source.', 'en')} ;"),
        *owner,
        f"  dct:accessRights <{ACCESS}> ;",
        "  dct:language " + ", ".join(f"<{x}>" for x in LANGUAGES) + " ;",
        "  dcat:theme " + ", ".join(f"<{x}>" for x in d["themes"]) + " ;",
        (f"  dcat:keyword {_literal('helse', 'nb')}, {_literal('omsorg', 'nb')}, {_literal('kommune', 'nb')}, "
        f"{_literal('helsefellesskap', 'nb')}, {_literal('health', 'en')}, {_literal('care', 'en')} ;"),
        f"  dct:spatial <{SPATIAL}> ;",
        f"  dct:accrualPeriodicity <{FREQUENCY}> ;",
        f"  dcat:landingPage <{d['root']}dataset> ;",
        f"  dct:conformsTo <{base}ontology> ;",
        *licence, *_dates(d),
    ]
    if d["temporal"]:
        lines.append(f"  dct:temporal <{ds}#temporal> ;")
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
    if d["temporal"]:
        start, end = d["temporal"]
        lines += [f"<{ds}#temporal> a dct:PeriodOfTime ;", f"  dcat:startDate {_typed(start, 'date')} ;",
                  f"  dcat:endDate {_typed(end, 'date')} .", ""]
    # The standards the dataset and the service conform to (DCAT-AP-NO's Standard needs a title).
    lines += [f"<{base}ontology> a dct:Standard ;", f"  dct:title {_names(d['ontology_titles'])} .", "",
              "<https://www.w3.org/TR/sparql11-protocol/> a dct:Standard ;",
              f"  dct:title {_literal('SPARQL 1.1 Protocol', 'en')} .", ""]
    for key, url, media, name, file_type in d["dumps"]:
        lines += [
            f"<{ds}#dump-{key}> a dcat:Distribution ;",
            (f"  dct:title {_literal(f'Hele datasettet som {name}, gzip', 'nb')}, "
            f"{_literal(f'The whole dataset as {name}, gzip', 'en')} ;"),
            f"  dcat:downloadURL <{url}> ;",
            f"  dcat:accessURL <{url}> ;",
            f"  dcat:mediaType <{IANA}{media}> ;",
            f"  dct:format <{file_type}> ;",
            f"  dcat:compressFormat <{IANA}application/gzip> ;",
            f"  dct:modified {_typed(d['modified'], 'dateTime')} ;",
            *licence,
            f"  dcat:accessService <{ds}#service> .", ""]
    lines += [
        f"<{ds}#service> a dcat:DataService, sd:Service ;",
        f"  dct:identifier {_literal(ds + '#service')} ;",
        f"  dct:title {_literal('helsegraf SPARQL-endepunkt', 'nb')}, {_literal('helsegraf SPARQL endpoint', 'en')} ;",
        f"  dcat:endpointURL <{d['endpoint']}> ;",
        f"  dcat:endpointDescription <{d['endpoint']}> ;",
        f"  sd:endpoint <{d['endpoint']}> ;",
        "  dct:conformsTo <https://www.w3.org/TR/sparql11-protocol/> ;",
        f"  dct:accessRights <{ACCESS}> ;",
        f"  dcat:landingPage <{d['root']}> ;",
        *owner, *licence,
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
