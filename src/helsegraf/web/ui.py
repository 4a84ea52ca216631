"""The browser face: the query UI at ``/`` (YASGUI) with a gallery of the competency questions, the shared
page language (nb by default, en by ``?lang=en`` or Accept-Language), and the YASGUI files from npm.

YASGUI is installed by ``npm ci`` (the Makefile's install step) into ``node_modules/`` of the checkout and served
from there under ``/vendor/yasgui/``, so the page works offline and no CDN is asked at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, render_template, request, send_from_directory

from ..config import PROJECT_ROOT
from ..namespaces import PREFIXES
from ..questions import by_language, parse_header
from . import current_settings, current_store

bp = Blueprint("ui", __name__)

#: Languages of the pages; the first is the default.
LANGUAGES = ("nb", "en")

#: Words of the pages, by language. Templates read them as ``t.key``.
TEXT = {
    "nb": {
        "site_title": "helsegraf",
        "tagline": "Kunnskapsgraf for kommunale helse- og omsorgstjenester",
        "skip": "Hopp til innholdet",
        "nav_query": "Spørring",
        "nav_examples": "Eksempler",
        "nav_ontology": "Ontologi",
        "nav_dataset": "Datasett",
        "nav_pictures": "Bilder",
        "nav_validate": "Validering",
        "switch_lang": "English",
        "query_heading": "Spør grafen med SPARQL",
        "query_intro": "Skriv en SPARQL-spørring og trykk på kjør-knappen, eller velg et eksempel nedenfor. "
                       "Endepunktet er",
        "noscript": "Spørreeditoren trenger JavaScript. Uten den kan du åpne eksemplene som rå resultater, "
                    "eller sende spørringer til endepunktet med curl eller et annet verktøy.",
        "examples_heading": "Eksempelspørringer",
        "examples_intro": "Kompetansespørsmålene prosjektet svarer på. Ett klikk åpner spørringen i editoren.",
        "examples_none": "Ingen eksempelspørringer er lagt inn ennå.",
        "open_in_editor": "Åpne i editoren",
        "run_raw": "Rått resultat (JSON)",
        "question": "Spørsmål",
        "types": "Typer",
        "properties": "Egenskaper",
        "inverse": "Lenker hit",
        "value": "Verdi",
        "property": "Egenskap",
        "subject": "Fra",
        "source": "Kilde",
        "sources": "Kildedokumenter",
        "passages": "Kilder i dokumentene",
        "passages_intro": "Passasjene i kildedokumentene som faktaene om ressursen står i, med teksten rundt. "
                          "Lenken går til posisjonen i dokumentet.",
        "chars": "tegn",
        "matched_by": "funnet ved",
        "passage_at": "Passasjen ved tegn {start}–{end}",
        "no_passage_at": "Ingen passasje i grafen står akkurat ved denne posisjonen.",
        "readings": "Står ikke i dokumentet",
        "readings_intro": "Fakta om ressursen som grafen har, men som kildedokumentet ikke sier: modellørenes lesning "
                          "av dokumentet. Merknaden (på engelsk) sier hvorfor.",
        "not_stated_in": "står ikke i",
        "graph": "Graf",
        "inferred": "avledet",
        "query_about": "Spør om denne ressursen",
        "download_as": "Last ned som",
        "not_found": "Ingen data om denne ressursen",
        "not_found_detail": "Grafen har ingen utsagn om",
        "classes": "Klasser",
        "object_properties": "Objektegenskaper",
        "datatype_properties": "Dataegenskaper",
        "other_terms": "Andre termer",
        "individuals": "Navngitte individer",
        "definition": "Definisjon",
        "subclass_of": "Underklasse av",
        "subproperty_of": "Underegenskap av",
        "subclasses": "Underklasser",
        "domain": "Domene",
        "range": "Verdiområde",
        "contents": "Innhold",
        "dataset_heading": "Datasettbeskrivelse",
        "dataset_intro": "Katalogen, datasettet, distribusjonene og endepunktet beskrevet med DCAT (DCAT-AP-NO) "
                         "og VoID-statistikk per navngitt graf.",
        "distributions": "Distribusjoner",
        "statistics": "Statistikk",
        "triples": "Tripler",
        "classes_count": "Klasser",
        "properties_count": "Egenskaper",
        "named_graphs": "Navngitte grafer",
        "endpoint": "SPARQL-endepunkt",
        "licence": "Lisens",
        "publisher": "Utgiver",
        "themes": "Tema",
        "pictures_heading": "Bilder fra grafen",
        "pictures_intro": "Tegnet fra grafen ved hver forespørsel, ikke for hånd.",
        "org_chart": "Organisasjonskart",
        "org_chart_caption": "Enheter under {unit} den {date}",
        "health_community": "Helsefellesskap: organer og medlemmer",
        "care_staircase": "Omsorgstrappa med tjenester på hvert trinn",
        "date": "Dato",
        "unit": "Enhet",
        "show": "Vis",
        "community": "Helsefellesskap",
        "staircase": "Omsorgstrapp",
        "members": "Medlemmer",
        "bodies": "Organer",
        "services": "Tjenester og enheter",
        "examples_label": "Eksempler",
        "no_items": "(ingen i grafen)",
        "open_svg": "Åpne SVG",
        "home": "Forside",
        "showing": "Viser {first}–{last} av {total}",
        "next_page": "Neste side",
        "previous_page": "Forrige side",
        "page_of": "Side {page} av {last}",
        "page": "Side {page}",
        "show_more": "Vis flere",
        "more_in_query": "Alle i spørreeditoren",
        "more_units": "… og {n} til",
        "cited_heading": "Åpnet fra en permalenke",
        "cited_same": "Dagens graf gir samme resultat som da lenken ble laget.",
        "cited_differs": "Dagens graf gir et annet resultat enn da lenken ble laget.",
        "cited_release": "Sitert utgave", "current_release": "Denne tjenerens utgave",
        "cited_hash": "Sitert resultat", "current_hash": "Resultat i dag",
        "cited_error": "Spørringen i lenken kan ikke kjøres",
    },
    "en": {
        "site_title": "helsegraf",
        "tagline": "Knowledge graph of Norwegian municipal health and care",
        "skip": "Skip to content",
        "nav_query": "Query",
        "nav_examples": "Examples",
        "nav_ontology": "Ontology",
        "nav_dataset": "Dataset",
        "nav_pictures": "Pictures",
        "nav_validate": "Validation",
        "switch_lang": "Norsk",
        "query_heading": "Query the graph with SPARQL",
        "query_intro": "Write a SPARQL query and press the run button, or pick an example below. The endpoint is",
        "noscript": "The query editor needs JavaScript. Without it you can open the examples as raw results, "
                    "or send queries to the endpoint with curl or another tool.",
        "examples_heading": "Example queries",
        "examples_intro": "The competency questions the project answers. One click opens a query in the editor.",
        "examples_none": "No example queries yet.",
        "open_in_editor": "Open in the editor",
        "run_raw": "Raw result (JSON)",
        "question": "Question",
        "types": "Types",
        "properties": "Properties",
        "inverse": "Links to here",
        "value": "Value",
        "property": "Property",
        "subject": "From",
        "source": "Source",
        "sources": "Source documents",
        "passages": "Sources in the documents",
        "passages_intro": "The passages of the source documents that the resource's facts come from, with the text "
                          "around them. The link goes to the position in the document.",
        "chars": "characters",
        "matched_by": "matched by",
        "passage_at": "The passage at characters {start}–{end}",
        "no_passage_at": "No passage in the graph stands at exactly this position.",
        "readings": "Not stated in the document",
        "readings_intro": "Facts about the resource that the graph holds but the source document does not say: the "
                          "modellers' reading of the document. The note says why.",
        "not_stated_in": "not stated in",
        "graph": "Graph",
        "inferred": "inferred",
        "query_about": "Query about this resource",
        "download_as": "Download as",
        "not_found": "No data about this resource",
        "not_found_detail": "The graph has no statements about",
        "classes": "Classes",
        "object_properties": "Object properties",
        "datatype_properties": "Datatype properties",
        "other_terms": "Other terms",
        "individuals": "Named individuals",
        "definition": "Definition",
        "subclass_of": "Subclass of",
        "subproperty_of": "Subproperty of",
        "subclasses": "Subclasses",
        "domain": "Domain",
        "range": "Range",
        "contents": "Contents",
        "dataset_heading": "Dataset description",
        "dataset_intro": "The catalogue, the dataset, its distributions and the endpoint described with DCAT "
                         "(DCAT-AP-NO) and VoID statistics per named graph.",
        "distributions": "Distributions",
        "statistics": "Statistics",
        "triples": "Triples",
        "classes_count": "Classes",
        "properties_count": "Properties",
        "named_graphs": "Named graphs",
        "endpoint": "SPARQL endpoint",
        "licence": "Licence",
        "publisher": "Publisher",
        "themes": "Themes",
        "pictures_heading": "Pictures from the graph",
        "pictures_intro": "Drawn from the graph on every request, not by hand.",
        "org_chart": "Organisation chart",
        "org_chart_caption": "Units under {unit} on {date}",
        "health_community": "Health community: bodies and members",
        "care_staircase": "The care staircase with the services on each step",
        "date": "Date",
        "unit": "Unit",
        "show": "Show",
        "community": "Health community",
        "staircase": "Care staircase",
        "members": "Members",
        "bodies": "Bodies",
        "services": "Services and units",
        "examples_label": "Examples",
        "no_items": "(none in the graph)",
        "open_svg": "Open SVG",
        "home": "Home",
        "showing": "Showing {first}–{last} of {total}",
        "next_page": "Next page",
        "previous_page": "Previous page",
        "page_of": "Page {page} of {last}",
        "page": "Page {page}",
        "show_more": "Show more",
        "more_in_query": "All of them in the query editor",
        "more_units": "… and {n} more",
        "cited_heading": "Opened from a permalink",
        "cited_same": "Today's graph gives the same result as when the link was made.",
        "cited_differs": "Today's graph gives a different result from when the link was made.",
        "cited_release": "Cited release", "current_release": "This server's release",
        "cited_hash": "Cited result", "current_hash": "Result today",
        "cited_error": "The query in the link cannot be run",
    },
}


#: Words the query UI's script shows (its own controls and YASGUI's), by page language. English strings of
#: YASGUI map to Norwegian in ``yasgui`` (YASGUI has no translations of its own).
UI_WORDS = {
    "nb": {
        "truncated": "Resultatet er kuttet etter {limit} rader (grensen på denne tjeneren). Legg til LIMIT/OFFSET "
                     "eller last ned med curl for å få resten.",
        "permalink": "Permalenke", "permalink_title": "Lag en lenke som binder spørringen til utgaven av grafen "
                     "og en kontrollsum av resultatet",
        "permalink_made": "Utgave {release}, {rows} rader, resultat {hash}",
        "copy": "Kopier", "label_column": "Etikettkolonne", "value_column": "Verdikolonne",
        "yasgui": {
            "Table": "Tabell", "Response": "Svar", "Chart": "Diagram", "Run query": "Kjør spørringen",
            "Share query": "Del spørringen", "Share": "Del", "Copy": "Kopier", "Shorten": "Forkort",
            "Download result": "Last ned resultatet", "Download": "Last ned", "Search": "Søk",
            "Filter query results": "Filtrer resultatene", "Show all": "Vis alle", "Show less": "Vis færre",
            "Add a new tab": "Ny fane", "New Tab": "Ny fane", "Query": "Spørring", "Close": "Lukk",
            "Rename": "Gi nytt navn", "Copy tab": "Kopier fanen", "Close tab": "Lukk fanen",
            "Close other tabs": "Lukk andre faner", "Reopen closed tab": "Åpne lukket fane igjen",
            "Add new tab": "Ny fane", "Query endpoint": "Endepunkt", "Type or select an endpoint":
            "Skriv eller velg et endepunkt", "Set the request method, headers, and other settings":
            "Metode, hoder og andre innstillinger", "Settings": "Innstillinger", "Save": "Lagre",
            "Cancel": "Avbryt", "Documentation": "Dokumentasjon", "Results": "Resultater",
            "Previous": "Forrige", "Next": "Neste", "Rows per page": "Rader per side",
            "Simple view": "Enkel visning", "Ellipse": "Forkort lange verdier", "Show": "Vis",
            "entries": "rader", "of": "av", "results": "resultater", "result": "resultat",
            "Showing": "Viser", "to": "til", "No data available in table": "Ingen rader",
            "Compact view": "Kompakt visning", "Fullscreen": "Fullskjerm", "Prefixes": "Prefikser",
            "Format query": "Formater spørringen", "Abort query": "Avbryt spørringen",
            "Request": "Forespørsel", "Headers": "Hoder", "Arguments": "Argumenter", "Method": "Metode",
            "Add tab": "Ny fane", "Open settings": "Åpne innstillinger", "Request method": "Metode",
            "Accept Headers": "Accept-hoder", "Ask / Select": "ASK / SELECT", "Construct / Describe":
            "CONSTRUCT / DESCRIBE", "Header Arguments": "Hoder", "Default Graphs": "Standardgrafer",
            "Named Graphs": "Navngitte grafer", "Clear endpoint": "Tøm endepunktet",
            "Shows Table view": "Vis som tabell", "Shows Response view": "Vis svaret slik det kom",
            "Shows Diagram view": "Vis som diagram", "Page size:": "Rader per side:", "All": "Alle",
            "Download Results": "Last ned resultatene", "View documentation of Table": "Om tabellvisningen",
            "View documentation of Response": "Om svarvisningen", "First": "Første", "Last": "Siste",
            "pagination": "sidevalg", "Copy to clipboard":
            "Kopier", "Copy link": "Kopier lenken", "Create short link": "Lag kort lenke",
            "results in": "rader på", "seconds": "sekunder", "second": "sekund",
            "Activate to sort": "Trykk for å sortere",
        },
    },
    "en": {
        "truncated": "The result was cut after {limit} rows (this server's limit). Add LIMIT/OFFSET or download "
                     "with curl to get the rest.",
        "permalink": "Permalink", "permalink_title": "Make a link that ties the query to the release of the graph "
                     "and a checksum of its result",
        "permalink_made": "Release {release}, {rows} rows, result {hash}",
        "copy": "Copy", "label_column": "Label column", "value_column": "Value column",
        "yasgui": {},
    },
}


def page_lang() -> str:
    """The language of this page: ``?lang=`` if given, else the best of Accept-Language, else nb.

    Nynorsk and plain «no» readers get Bokmål pages (the labels themselves keep their own language).
    """
    asked = request.args.get("lang", "").strip().lower()
    if asked in LANGUAGES:
        return asked
    best = request.accept_languages.best_match(["nb", "no", "nn", "en"], default="nb")
    return "en" if best == "en" else "nb"


def words(lang: str | None = None) -> dict[str, str]:
    """The page words in ``lang`` (default: this request's language)."""
    return TEXT[lang or page_lang()]


def url_with_lang(lang: str) -> str:
    """This page's URL with ``?lang=`` set, for the language switch."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [lang]
    return request.path + "?" + urlencode(args, doseq=True)


@bp.app_context_processor
def page_context() -> dict:
    """What every page built on ``base.html`` needs (the SHACL engineer's pages get it too)."""
    try:
        lang = page_lang()
    except RuntimeError:  # rendering outside a request (e.g. a unit test of a template)
        lang = "nb"
    other = "en" if lang == "nb" else "nb"
    nav = [
        ("/", "nav_query"), ("/#examples", "nav_examples"), ("/ontology", "nav_ontology"),
        ("/dataset", "nav_dataset"), ("/pictures", "nav_pictures"), ("/validate", "nav_validate"),
    ]
    return {
        "lang": lang,
        "t": TEXT[lang],
        "nav": nav,
        "other_lang": other,
        "other_lang_url": url_with_lang(other) if request else "?lang=" + other,
        "lang_param": "" if lang == "nb" else "lang=en",
    }


# --- the example gallery ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Example:
    """One competency question: its file name, titles and questions in nb and en, and the query text."""

    name: str
    title: dict[str, str]
    question: dict[str, str]
    query: str

    def text(self, field: str, lang: str) -> str:
        """``title`` or ``question`` in ``lang``, falling back to the other language, then the file name."""
        values = getattr(self, field)
        return values.get(lang) or values.get("nb") or values.get("en") or ("" if field == "question" else self.name)


def parse_example(path: Path) -> Example:
    """Read a ``.rq`` file and its header (:mod:`helsegraf.questions`).

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp(), "cq-01-units.rq")
    >>> _ = p.write_text("# Title(nb): Enheter\\n# Q(nb): Hvilke enheter?\\n# Q(en): Which units?\\nSELECT * {}\\n")
    >>> e = parse_example(p); (e.title["nb"], e.question["en"], e.query.splitlines()[-1])
    ('Enheter', 'Which units?', 'SELECT * {}')

    The query keeps its header comments, so the editor shows the question with it.
    """
    text = path.read_text(encoding="utf-8")
    header = parse_header(text)
    return Example(path.stem, by_language(header, "Title"), by_language(header, "Q"), text)


def load_examples(root: Path | None = None) -> list[Example]:
    """Every ``queries/cq/*.rq`` under the data root, read now, so new files appear without a restart."""
    root = Path(root or current_settings().data_root)
    folder = root / "queries" / "cq"
    if not folder.is_dir():
        return []
    examples = []
    for path in sorted(folder.glob("*.rq")):
        try:
            examples.append(parse_example(path))
        except (OSError, UnicodeDecodeError):  # a half-written file must not break the page
            continue
    return examples


# --- routes ----------------------------------------------------------------------------------------------

def yasgui_prefixes(base: str) -> dict[str, str]:
    """The project's prefixes, with the instance and ontology prefixes under this deployment's base."""
    prefixes = dict(PREFIXES)
    prefixes.update({"hg": base + "ontology#", "hgsh": base + "shapes#", "hgid": base + "id/",
                     "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
                     "hggraph": base + "graph/"})
    return prefixes


@bp.route("/")
def index():
    """The query UI and the example gallery."""
    lang = page_lang()
    examples = load_examples()
    settings = current_settings()
    first_query = request.args.get("query") or _default_query(settings.base)
    return render_template(
        "index.html",
        examples=[{"name": e.name, "title": e.text("title", lang), "question": e.text("question", lang),
                   "query": e.query, "raw": "/sparql?" + urlencode({"query": e.query, "format": "json"})}
                  for e in examples],
        prefixes_json=json.dumps(yasgui_prefixes(settings.base)),
        initial_query=first_query,
        initial_title=request.args.get("title", ""),
        cited=_cited(),
        ui_words=json.dumps(UI_WORDS[lang]),
    )


def _cited() -> dict | None:
    """When the page is opened from a permalink: what it cites and whether today's graph gives the same."""
    from .release import check_permalink

    query, release, digest = (request.args.get(k, "") for k in ("query", "release", "hash"))
    if not (query.strip() and release and digest):
        return None
    try:
        return check_permalink(query, release, digest)
    except SyntaxError as error:  # a mangled link: show the query, say why it cannot be checked
        return {"error": str(error), "cited_release": release, "cited_hash": digest}


def _default_query(base: str) -> str:
    return (
        f"PREFIX hg: <{base}ontology#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n\n"
        "# Tjenester og hvem som yter dem / Services and who provides them\n"
        "SELECT DISTINCT ?service ?label ?provider WHERE {\n"
        "  ?service a/rdfs:subClassOf* hg:Service ; rdfs:label ?label .\n"
        "  OPTIONAL { ?service hg:providedBy ?provider }\n"
        "  FILTER(lang(?label) = \"nb\")\n"
        "}\nORDER BY ?label\nLIMIT 50\n"
    )


#: What the editor completes after ``a`` (classes) and in predicate position (properties).
CLASS_TYPES = ("owl:Class", "rdfs:Class")
PROPERTY_TYPES = ("owl:ObjectProperty", "owl:DatatypeProperty", "owl:AnnotationProperty", "rdf:Property")


@bp.route("/ui/terms.json")
def ontology_terms():
    """The classes and properties of the project's ontology graphs, for the editor's completion (no LOV)."""
    from ..namespaces import graph_base
    from .linked_data import conditional

    settings = current_settings()
    pfx = yasgui_prefixes(settings.base)

    def expand(curie: str) -> str:
        prefix, local = curie.split(":")
        return f"<{pfx[prefix]}{local}>"

    def typed(types: tuple[str, ...]) -> list[str]:
        values = " ".join(expand(t) for t in types)
        rows = current_store().query(
            f"SELECT DISTINCT ?t WHERE {{ GRAPH ?g {{ ?t a ?type }} VALUES ?type {{ {values} }} "
            f"FILTER(STRSTARTS(STR(?g), \"{graph_base(settings.base)}ontology\")) FILTER(isIRI(?t)) }} ORDER BY ?t")
        return [row["t"].value for row in rows.rows()]

    body = json.dumps({"classes": typed(CLASS_TYPES), "properties": typed(PROPERTY_TYPES)})
    return conditional(Response(body, mimetype="application/json", headers={"Cache-Control": "max-age=300"}))


def vendor_dirs() -> list[Path]:
    """Where the built YASGUI files may be: the data root's and the checkout's ``node_modules``."""
    candidates = [Path(current_settings().data_root), PROJECT_ROOT]
    return [root / "node_modules" / "@zazuko" / "yasgui" / "build" for root in candidates]


@bp.route("/vendor/yasgui/<path:filename>")
def yasgui_file(filename: str):
    """Serve YASGUI's built script and style sheet from the npm install (never from a CDN)."""
    if filename not in {"yasgui.min.js", "yasgui.min.css", "yasgui.min.js.map"}:
        abort(404)
    for folder in vendor_dirs():
        if (folder / filename).is_file():
            return send_from_directory(folder, filename, max_age=3600)
    abort(404, description="YASGUI is not installed; run `make install` (npm ci) first")
