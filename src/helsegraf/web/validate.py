"""``/validate``: check a plan against the project's SHACL shapes, as RDF, as the planner's spreadsheet, or
through a form; and what-if validation of a proposed change. Nothing sent is stored.

``POST /validate`` takes Turtle, TriG, JSON-LD, RDF/XML or N-Triples as the body (by Content-Type) or as a
multipart upload (``data`` part; optional ``shapes`` part; ``shape-set`` fields), or the HTML form's pasted
text; or the filled-in template (``.xlsx``, a ``.zip`` of CSV files, or ``.csv`` files, as ``data`` parts
or as the body with its media type); or the plan form's fields (``plan.navn`` …). A spreadsheet is turned
into RDF by the declared mapping (:mod:`helsegraf.planner`) before validation, and every finding points
back to its sheet, row and column. The answer is the ``sh:ValidationReport`` as Turtle or JSON-LD, a JSON
summary (with the planner's grouping under ``elements``), or an HTML page, by Accept; messages follow
``?lang=`` or Accept-Language (nb by default; nn and en).

``GET /validate/mal.xlsx`` and ``/validate/mal.zip``: the template, pre-filled with seed 004's plan.
``POST /validate/convert``: the converted RDF of a template (Turtle). ``POST /validate/what-if``: the
violations a change introduces and resolves against the current graph. ``GET /context.jsonld``: a JSON-LD
context for the ontology's terms.

Errors: unparseable data → 400 with the parser's message and line; a file that is neither RDF nor the
template → 415 (in Norwegian); too large → 413; unknown shape set → 404; malformed shapes → 400.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, render_template, request
from rdflib import Graph

from .. import validation
from ..planner import convert as planner_convert
from ..planner import report as planner_report
from ..planner import template as planner_template
from ..planner import whatif as planner_whatif
from ..planner.context import jsonld_context
from ..planner.mapping import load_mapping, lookup_lists
from ..sparql.negotiation import best_media_type
from . import current_settings, current_store
from .errors import ClientError

bp = Blueprint("validate", __name__)

#: Media types of the answer, in the order tried when Accept allows several equally.
ANSWER_TYPES = ["application/json", "text/html", "text/turtle", "application/ld+json", "text/plain"]
#: Media types and file endings of the planner's template (everything else is read as RDF).
SPREADSHEET_TYPES = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv",
                     "application/zip", "application/x-zip-compressed"}
SPREADSHEET_ENDINGS = (".xlsx", ".csv", ".zip")
#: Rows of each kind in the plan form (a small plan; bigger ones use the spreadsheet).
FORM_ROWS = {"plan": 1, "mål": 3, "strategier": 2, "tiltak": 4}
LANGS = ("nb", "nn", "en")


def answer_lang() -> str:
    """The language of the messages: ``?lang=``, else Accept-Language (no read as nb), else nb."""
    if request.mimetype == "application/x-www-form-urlencoded":
        request.get_data(cache=True)  # keep the raw body: it may be a CSV file rather than a form
    asked = request.args.get("lang", "").strip().lower() or request.form.get("lang", "").strip().lower()
    if asked in LANGS:
        return asked
    best = request.accept_languages.best_match(["nb", "no", "nn", "en"], default="nb")
    return {"en": "en", "nn": "nn"}.get(best, "nb")


def _page_context(lang: str) -> dict:
    """The shared page frame's variables (navigation, words) where the UI blueprint provides them."""
    try:
        from .ui import page_context

        context = page_context()
        context["lang"] = lang
        if lang == "nn":
            context["lang_param"] = "lang=nn"
        return context
    except Exception:  # noqa: BLE001 -- the form must work even if the UI face is absent or changes
        return {"lang": lang, "t": {}, "nav": [], "other_lang": "en" if lang != "en" else "nb",
                "other_lang_url": "?lang=" + ("en" if lang != "en" else "nb"), "lang_param": ""}


@lru_cache(maxsize=4)
def _context(root: str) -> tuple[Graph, dict]:
    """The graph the lookups and labels come from (bundled data and ontology) and the lookup lists."""
    graph = validation.bundled_graph(root) + validation.ontology_graph(root)
    return graph, lookup_lists(graph)


def context_graph() -> tuple[Graph, dict]:
    """(graph, lookup lists) for this app's data root."""
    return _context(str(current_settings().data_root))


def _lang_query(lang: str) -> str:
    return "" if lang == "nb" else f"?lang={lang}"


@bp.get("/validate")
def form():
    """The page: template downloads, upload, the plan form and what-if (all work without JavaScript)."""
    lang = answer_lang()
    sets = sorted(validation.shape_sets(current_settings().data_root, include_meta=False))
    _, lookups = context_graph()
    mapping = load_mapping()
    sheets = [{"sheet": s, "rows": range(1, FORM_ROWS[s.name] + 1),
               "columns": [c for c in s.columns if not (s.name != "plan" and c.name == "plan")]}
              for s in mapping.sheets if s.name in FORM_ROWS]
    return render_template("validate.html", words=WORDS[lang], shape_sets=sets, sheets=sheets, lookups=lookups,
                           q=_lang_query(lang), **_page_context(lang))


@bp.get("/validate/mal.xlsx")
def template_xlsx():
    """The template workbook, pre-filled with Levanger's «Mestring for alle» (seed 004)."""
    graph, lookups = context_graph()
    lang = answer_lang()
    body = planner_template.workbook_bytes(lookups, planner_template.example_rows(graph, lookups), lang)
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="helsegraf-planmal.xlsx"'})


@bp.get("/validate/mal.zip")
def template_zip():
    """The same template as CSV files in a zip (one per sheet, plus the lists)."""
    graph, lookups = context_graph()
    lang = answer_lang()
    body = planner_template.csv_zip_bytes(planner_template.example_rows(graph, lookups), lookups, lang)
    return Response(body, mimetype="application/zip",
                    headers={"Content-Disposition": 'attachment; filename="helsegraf-planmal-csv.zip"'})


@bp.get("/validate/veiledning")
def guide():
    """The planner's guide (``docs/planlegger.md``) as a page; its pictures under ``/validate/img/``."""
    import markdown

    path = Path(current_settings().data_root) / "docs" / "planlegger.md"
    if not path.is_file():
        raise ClientError("Veiledningen finnes ikke i denne installasjonen.", 404)
    # the guide is the project's own text, so its HTML is trusted; image paths point at the route below
    html = markdown.markdown(path.read_text(encoding="utf-8"), extensions=["tables", "fenced_code"])
    html = html.replace('src="img/', 'src="/validate/img/')
    return Response(render_template("validate_guide.html", body=html, **_page_context("nb")), mimetype="text/html",
                    headers={"Content-Language": "nb"})


@bp.get("/validate/img/<name>.png")
def guide_picture(name: str):
    """A screenshot of the guide."""
    folder = Path(current_settings().data_root) / "docs" / "img"
    path = folder / f"{name}.png"
    if not name.replace("-", "").isalnum() or not path.is_file():
        raise ClientError("Bildet finnes ikke.", 404)
    return Response(path.read_bytes(), mimetype="image/png")


@bp.get("/context.jsonld")
def context_jsonld():
    """A JSON-LD context for the ontology's terms (``hg:`` classes and properties by local name)."""
    graph, _ = context_graph()
    body = json.dumps(jsonld_context(graph), ensure_ascii=False, indent=1)
    return Response(body, mimetype="application/ld+json", headers={"Access-Control-Allow-Origin": "*"})


@bp.post("/validate")
def run():
    """Validate the request's data and answer with the report."""
    settings = current_settings()
    lang = answer_lang()
    try:
        data, user_shapes, names, conversion = _read_request()
    except validation.RDFSyntaxError as exc:
        return _unreadable(exc, lang)
    if user_shapes is not None:
        try:
            validation.check_shapes(user_shapes)
        except validation.ShapesError as exc:
            raise ClientError(str(exc), 400) from exc
    outcome = _validate(data, user_shapes, names, lang)
    return _answer(outcome, lang, settings.base, conversion)


@bp.post("/validate/convert")
def convert_only():
    """The RDF (Turtle) a filled-in template or the form turns into, without validating it."""
    _, _, _, conversion = _read_request()
    if conversion is None:
        raise ClientError("Send en utfylt mal (.xlsx, .zip eller .csv) eller skjemaet.", 415)
    return Response(conversion.graph.serialize(format="turtle"), mimetype="text/turtle")


@bp.post("/validate/what-if")
def what_if():
    """Validate a proposed change against the current graph: what it breaks and what it mends; stores nothing."""
    settings = current_settings()
    lang = answer_lang()
    graph, lookups = context_graph()
    added, removed, conversion = Graph(), Graph(), None
    upload = request.files.get("data")
    if upload is not None and upload.filename:
        conversion = _convert_upload([upload], lookups)
        added = conversion.graph
    for field, target in (("added", added), ("removed", removed)):
        text = request.form.get(field, "")
        part = request.files.get(field)
        if part is not None and part.filename:
            text = part.read().decode("utf-8")
        if text.strip():
            target += validation.union_graph(validation.parse_rdf(text, "turtle", name=field), describe_graphs=False)
    if not (len(added) or len(removed)):
        raise ClientError("Ingen endring: send tillagte tripler (added), fjernede tripler (removed) eller en utfylt mal (data).", 400)
    def current(seeds):
        return planner_whatif.store_slice(current_store(), seeds, settings.base + "graph/inferred")

    diff = planner_whatif.compare(current, added, removed, replace=conversion is not None,
                                  validate=lambda g, focus: _validate(g, None, None, lang, focus=focus))
    body = planner_whatif.to_dict(diff, graph, lang, settings.base)
    if request.accept_mimetypes.best_match(["application/json", "text/html"], default="application/json") == "text/html":
        return Response(render_template("validate_whatif.html", words=WORDS[lang], diff=body, q=_lang_query(lang),
                                        **_page_context(lang)), mimetype="text/html")
    return Response(json.dumps(body, ensure_ascii=False, indent=1), mimetype="application/json",
                    headers={"Content-Language": lang})


def _validate(data, user_shapes, names, lang, focus=None):
    settings = current_settings()
    try:
        return validation.validate(
            data, user_shapes, shape_sets=names, engine=settings.shacl_engine, lang="nb" if lang == "nn" else lang,
            root=settings.data_root, base=settings.base, **({"focus": focus} if focus is not None else {}),
        )
    except validation.UnknownShapeSetError as exc:
        raise ClientError(str(exc), 404) from exc
    except validation.ShapesError as exc:
        raise ClientError(str(exc), 400) from exc


def _is_spreadsheet(mimetype: str | None, filename: str | None) -> bool:
    return (mimetype or "") in SPREADSHEET_TYPES or (filename or "").lower().endswith(SPREADSHEET_ENDINGS)


def _convert_upload(uploads, lookups) -> planner_convert.Conversion:
    tables: dict = {}
    for upload in uploads:
        body = upload.read()
        try:
            found = planner_convert.read_tables(body, upload.filename)
        except planner_convert.TemplateError as exc:
            found, why = {}, exc
        else:
            why = planner_convert.TemplateError(f"«{upload.filename}» mangler malens påkrevde kolonner.")
        if not _has_template_headers(found):
            # Unreadable input, like RDF that does not parse: a 400 with where and why (the page's layout for a
            # browser, JSON for a client); the template's reader stops at the file's start.
            error = validation.RDFSyntaxError(f"{upload.filename}: line 1, column 1: {why}")
            error.filename, error.lineno, error.offset, error.reason = upload.filename, 1, 1, str(why)
            raise error
        tables.update(found)
    conversion = planner_convert.convert(tables, lookups)
    if not conversion.rows and not conversion.findings:
        raise ClientError("Regnearket har ingen rader å sjekke (bruk malen fra /validate).", 400)
    return conversion


def _has_template_headers(tables: dict) -> bool:
    """Whether some table has its sheet's required column headers (else the upload is not the template)."""
    mapping = load_mapping()
    for name, rows in tables.items():
        try:
            sheet = mapping.sheet(name)
        except KeyError:
            continue
        headers = {str(h).strip().casefold() for h in (rows[0] if rows else []) if h is not None}
        required = [c for c in sheet.columns if c.required]
        if required and all({c.header.casefold(), c.name.casefold()} & headers for c in required):
            return True
    return False


def _read_request():
    """Return (data, user shapes Graph or None, shape-set names or None, Conversion or None)."""
    # read a urlencoded body before the form parser does (it may be a CSV file curl sent as a form)
    raw = request.get_data(cache=True) if request.mimetype == "application/x-www-form-urlencoded" else b""
    names = [n.strip() for n in request.values.getlist("shape-set") if n.strip()] or None
    _, lookups = context_graph()
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        uploads = [u for u in request.files.getlist("data") if u is not None and u.filename]
        conversion = None
        if uploads and all(_is_spreadsheet(u.mimetype, u.filename) for u in uploads):
            conversion = _convert_upload(uploads, lookups)
            data = conversion.graph
        elif uploads:
            upload = uploads[0]
            data = validation.parse_rdf(upload.read(), _upload_format(upload.mimetype, upload.filename),
                                        name=upload.filename)
        elif any(key.startswith("plan.") for key in request.form):
            conversion = planner_convert.convert(_form_tables(request.form), lookups)
            if not conversion.rows and not conversion.findings:
                raise ClientError("Skjemaet er tomt: fyll ut minst planens ID og navn.", 400)
            data = conversion.graph
        elif request.form.get("data", "").strip():
            fmt = _format(request.form.get("format") or "text/turtle", None)
            data = validation.parse_rdf(request.form["data"], fmt, name="data")
        elif raw and (csv_tables := _template_csv(raw)):
            # curl --data-binary @tiltak.csv sends a CSV file as a form: read it as the template it is
            conversion = planner_convert.convert(csv_tables, lookups)
            data = conversion.graph
        else:  # nothing sent: refused like an empty file, with its position
            data = validation.parse_rdf("", "turtle", name="data")
        shapes = None
        shapes_upload = request.files.get("shapes")
        if shapes_upload is not None and shapes_upload.filename:
            fmt = _format(shapes_upload.mimetype, shapes_upload.filename)
            try:
                shapes = validation.union_graph(
                    validation.parse_rdf(shapes_upload.read(), fmt, name=shapes_upload.filename),
                    describe_graphs=False)
            except validation.RDFSyntaxError as exc:
                raise ClientError(f"malformed shapes: {exc}", 400) from exc
        return data, shapes, names, conversion
    body = request.get_data(cache=False)
    if _is_spreadsheet(request.mimetype, None):
        name = {"text/csv": "upload.csv"}.get(request.mimetype, "upload.xlsx")  # a CSV is known by its headers
        try:
            tables = planner_convert.read_tables(body, request.args.get("filename") or name)
        except planner_convert.TemplateError as exc:
            raise ClientError(str(exc), 415) from exc
        conversion = planner_convert.convert(tables, lookups)
        return conversion.graph, None, names, conversion
    return validation.parse_rdf(body, _format(request.content_type, None), name="body"), None, names, None


def _template_csv(body: bytes) -> dict | None:
    """The tables of a body that is one of the template's CSV files (known by its headers), else None."""
    try:
        return planner_convert.read_tables(body, "upload.csv")
    except (planner_convert.TemplateError, UnicodeDecodeError):
        return None


def _form_tables(form) -> dict[str, list[list]]:
    """The form's fields as tables in the template's layout (headers, an empty help row, the rows).

    A row left without ID gets one from the plan's (``<plan>-measure-2``); references to other rows may
    give their row number (1, 2 …), their «Nummer» (S1) or their ID.
    """
    mapping = load_mapping()
    plan_id = planner_convert.slug(form.get("plan.1.id", "") or form.get("plan.1.navn", ""))
    filled: dict[str, list[tuple[int, dict]]] = {}
    for name, count in FORM_ROWS.items():
        sheet = mapping.sheet(name)
        filled[name] = []
        for n in range(1, count + 1):
            values = {c.name: form.get(f"{name}.{n}.{c.name}", "").strip() for c in sheet.columns}
            if not any(v for k, v in values.items() if k not in ("id", "plan", "nummer")):
                filled[name].append((n, {}))  # an empty row keeps row n at table row n + 2 (the converter skips it)
                continue
            if name == "plan":
                values["id"] = plan_id
            elif not values["id"]:
                values["id"] = f"{plan_id}-{sheet.element}-{n}"  # the form numbers its rows itself
            filled[name].append((n, values))
    aliases = {name: {alias: v["id"] for n, v in rows if v for alias in (str(n), v.get("nummer", ""), v["id"]) if alias}
               for name, rows in filled.items()}
    tables = {}
    for name, rows in filled.items():
        sheet = mapping.sheet(name)
        table = [[c.header for c in sheet.columns], []]
        for _, values in rows:
            if not values:
                table.append([])
                continue
            for col in sheet.columns:
                if col.name == "plan" and name != "plan":
                    values["plan"] = plan_id
                elif col.ref and values.get(col.name):
                    refs = [r.strip() for r in values[col.name].replace(",", ";").split(";") if r.strip()]
                    values[col.name] = "; ".join(aliases.get(col.ref, {}).get(r, r) for r in refs)
            table.append([values.get(c.name, "") for c in sheet.columns])
        tables[name] = table
    return tables


def _unreadable(exc: validation.RDFSyntaxError, lang: str) -> Response:
    """400 for data that are empty or not RDF: the parser's message, line and column; a page in the site's
    layout for browsers (in the page's language), JSON for API clients."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"], default="application/json")
    if best == "text/html":
        body = render_template("validate_error.html", words=WORDS[lang], error=exc, **_page_context(lang))
        return Response(body, 400, mimetype="text/html", headers={"Content-Language": lang})
    error = {"error": "unreadable RDF", "message": str(exc), "reason": exc.reason, "file": exc.filename,
             "line": exc.lineno, "column": exc.offset}
    return Response(json.dumps(error, ensure_ascii=False), 400, mimetype="application/json")

def _upload_format(content_type: str | None, filename: str | None) -> str:
    """The syntax of an uploaded file: by its type, else its name, else Turtle. A browser sends a spreadsheet
    or CSV with its own type; it is read as Turtle so that the planner gets the parser's line and column."""
    try:
        return validation.rdf_format(content_type, filename)
    except ValueError:
        return validation.rdf_format(None, filename)


def _format(content_type: str | None, filename: str | None) -> str:
    try:
        return validation.rdf_format(content_type, filename)
    except ValueError as exc:
        raise ClientError(f"{exc}. Regneark (.xlsx), CSV og zip med CSV-filer tas også imot.", 415) from exc


def _answer(outcome: validation.ValidationOutcome, lang: str, base: str, conversion) -> Response:
    best = best_media_type(request.headers.get("Accept"), ANSWER_TYPES) or "application/json"
    graph, _ = context_graph()
    if best == "text/turtle":
        body, mimetype = planner_report.report_graph(outcome, conversion).serialize(format="turtle"), "text/turtle"
    elif best == "application/ld+json":
        if conversion is not None and conversion.findings:
            body = planner_report.report_graph(outcome, conversion).serialize(format="json-ld")
        else:
            body = validation.report_as_jsonld(outcome)
        mimetype = "application/ld+json"
    elif best == "text/html":
        return Response(_html(outcome, lang, base, conversion, graph), mimetype="text/html",
                        headers={"Content-Language": lang, "Vary": "Accept, Accept-Language"})
    elif best == "text/plain":
        body, mimetype = outcome.to_text("nb" if lang == "nn" else lang), "text/plain"
    else:
        body, mimetype = json.dumps(_json(outcome, lang, base, conversion, graph), ensure_ascii=False,
                                    indent=1), "application/json"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Accept, Accept-Language"
    return response


def _json(outcome, lang, base, conversion, graph) -> dict:
    """The summary of :mod:`helsegraf.report` plus the planner's grouping, and conformance that counts the
    template's own findings (a misspelt plan kind is a violation too)."""
    planner = planner_report.build(outcome, conversion, graph, lang, base)
    summary = outcome.to_json("nb" if lang == "nn" else lang)
    summary["lang"] = lang
    # sh:conforms stays SHACL's (no result at all); the template's own findings are results too.
    summary["conforms"] = summary["conforms"] and not (conversion is not None and conversion.findings)
    summary["noViolations"] = summary["noViolations"] and planner.no_violations
    summary["counts"] = planner.counts
    summary["elements"] = planner.to_dict()["elements"]
    if conversion is not None:
        summary["templateFindings"] = len(conversion.findings)
    return summary


def _data_uri(text: str, mimetype: str) -> str:
    return f"data:{mimetype};charset=utf-8;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


def _html(outcome, lang: str, base: str, conversion, graph) -> str:
    planner = planner_report.build(outcome, conversion, graph, lang, base)
    converted = conversion.graph.serialize(format="turtle") if conversion is not None else None
    downloads = {
        "json": _data_uri(json.dumps(_json(outcome, lang, base, conversion, graph), ensure_ascii=False, indent=1),
                          "application/json"),
        "report": _data_uri(planner_report.report_graph(outcome, conversion).serialize(format="turtle"), "text/turtle"),
        "converted": _data_uri(converted, "text/turtle") if converted else None,
    }
    return render_template("validate_report.html", words=WORDS[lang], report=planner, converted=converted,
                           downloads=downloads, from_form=conversion is not None and request.form.get("plan.1.navn") is not None,
                           q=_lang_query(lang), **_page_context(lang))


WORDS = {
    "nb": {
        "title": "Sjekk en plan", "intro": "Sjekk en plan eller et byggeprosjekt mot reglene (SHACL-formene). Ingenting lagres.",
        "template": "1. Last ned malen", "template_help": "Regnearket har ett ark per del av planen, hjelpetekst under hver overskrift og nedtrekkslister fra grafen. Det er fylt ut med Levangers «Mestring for alle» som eksempel.",
        "xlsx": "Mal som regneark (.xlsx)", "zip": "Mal som CSV-filer (.zip)", "guide": "Veiledning for planleggere",
        "upload": "2. Last opp planen", "file": "Fil (regneark, CSV, zip eller RDF)", "paste": "eller lim inn Turtle",
        "format": "Format", "sets": "Regelsett", "own_shapes": "Egne former (valgfritt)", "submit": "Sjekk planen",
        "form": "Eller: fyll ut en liten plan her", "form_help": "For en plan med få mål og tiltak. La ID stå tom, så lages den; vis til mål og strategier med radnummeret (1, 2 …) eller nummeret deres (S1).",
        "choose": "— velg —", "row": "nr.", "whatif": "Hva om …? Sjekk en endring mot grafen",
        "whatif_help": "Send tripler som legges til og/eller fjernes (Turtle), eller en utfylt mal som erstatter det grafen sier om de samme ressursene. Ingenting lagres.",
        "added": "Legges til (Turtle)", "removed": "Fjernes (Turtle)", "whatif_submit": "Sammenlign",
        "report": "Rapport", "conforms_yes": "Planen følger reglene.", "conforms_no": "Planen bryter reglene.",
        "Violation": "Brudd", "Warning": "Advarsel", "Info": "Merknad", "none": "Ingen funn.",
        "property": "Felt", "value": "Verdi", "cell": "Celle", "sheet": "ark", "rowword": "rad", "column": "kolonne",
        "fix": "Hva du gjør", "legal": "Lovkilde", "no_legal": "Ingen lovkilde", "rule": "Regel",
        "download": "Last ned", "dl_json": "rapporten som JSON", "dl_report": "rapporten som RDF (Turtle)",
        "dl_converted": "planen som RDF (Turtle)", "converted": "Planen som RDF", "print": "Skriv ut",
        "again": "Sjekk noe annet", "form_field": "feltet", "introduced": "Brudd endringen innfører",
        "resolved": "Brudd endringen retter", "unchanged": "Uendret", "whatif_title": "Hva om …?",
        "page": "side", "element": "Element",
        "unreadable": "Filen kunne ikke leses som RDF", "line": "linje",
        "unreadable_hint": "Send Turtle, TriG, JSON-LD, RDF/XML, N-Triples eller N-Quads med minst én tripel, "
                           "eller malen som regneark (.xlsx), CSV eller zip.",
    },
    "nn": {
        "title": "Sjekk ein plan", "intro": "Sjekk ein plan eller eit byggjeprosjekt mot reglane (SHACL-formene). Ingenting vert lagra.",
        "template": "1. Last ned malen", "template_help": "Reknearket har eitt ark per del av planen, hjelpetekst under kvar overskrift og nedtrekkslister frå grafen. Det er fylt ut med «Mestring for alle» frå Levanger som døme.",
        "xlsx": "Mal som rekneark (.xlsx)", "zip": "Mal som CSV-filer (.zip)", "guide": "Rettleiing for planleggjarar",
        "upload": "2. Last opp planen", "file": "Fil (rekneark, CSV, zip eller RDF)", "paste": "eller lim inn Turtle",
        "format": "Format", "sets": "Regelsett", "own_shapes": "Eigne former (valfritt)", "submit": "Sjekk planen",
        "form": "Eller: fyll ut ein liten plan her", "form_help": "For ein plan med få mål og tiltak. La ID stå tom, så vert ho laga; vis til mål og strategiar med radnummeret (1, 2 …) eller nummeret deira (S1).",
        "choose": "— vel —", "row": "nr.", "whatif": "Kva om …? Sjekk ei endring mot grafen",
        "whatif_help": "Send tripel som vert lagde til og/eller fjerna (Turtle), eller ein utfylt mal som erstattar det grafen seier om dei same ressursane. Ingenting vert lagra.",
        "added": "Vert lagt til (Turtle)", "removed": "Vert fjerna (Turtle)", "whatif_submit": "Samanlikn",
        "report": "Rapport", "conforms_yes": "Planen følgjer reglane.", "conforms_no": "Planen bryt reglane.",
        "Violation": "Brot", "Warning": "Åtvaring", "Info": "Merknad", "none": "Ingen funn.",
        "property": "Felt", "value": "Verdi", "cell": "Celle", "sheet": "ark", "rowword": "rad", "column": "kolonne",
        "fix": "Kva du gjer", "legal": "Lovkjelde", "no_legal": "Inga lovkjelde", "rule": "Regel",
        "download": "Last ned", "dl_json": "rapporten som JSON", "dl_report": "rapporten som RDF (Turtle)",
        "dl_converted": "planen som RDF (Turtle)", "converted": "Planen som RDF", "print": "Skriv ut",
        "again": "Sjekk noko anna", "form_field": "feltet", "introduced": "Brot endringa fører med seg",
        "resolved": "Brot endringa rettar", "unchanged": "Uendra", "whatif_title": "Kva om …?",
        "page": "side", "element": "Element",
        "unreadable": "Fila kunne ikkje lesast som RDF", "line": "linje",
        "unreadable_hint": "Send Turtle, TriG, JSON-LD, RDF/XML, N-Triples eller N-Quads med minst eitt tripel, "
                           "eller malen som rekneark (.xlsx), CSV eller zip.",
    },
    "en": {
        "title": "Check a plan", "intro": "Check a plan or a building project against the rules (the SHACL shapes). Nothing is stored.",
        "template": "1. Download the template", "template_help": "The workbook has one sheet per part of the plan, help text under each header and drop-down lists from the graph. It is filled in with Levanger's «Mestring for alle» as an example.",
        "xlsx": "Template as a workbook (.xlsx)", "zip": "Template as CSV files (.zip)", "guide": "Guide for planners (Norwegian)",
        "upload": "2. Upload the plan", "file": "File (workbook, CSV, zip or RDF)", "paste": "or paste Turtle",
        "format": "Format", "sets": "Rule sets", "own_shapes": "Your own shapes (optional)", "submit": "Check the plan",
        "form": "Or: fill in a small plan here", "form_help": "For a plan with few goals and measures. Leave ID empty and one is made; refer to goals and strategies by row number (1, 2 …) or their number (S1).",
        "choose": "— choose —", "row": "no.", "whatif": "What if …? Check a change against the graph",
        "whatif_help": "Send triples to add and/or remove (Turtle), or a filled-in template that replaces what the graph says about the same resources. Nothing is stored.",
        "added": "Added (Turtle)", "removed": "Removed (Turtle)", "whatif_submit": "Compare",
        "report": "Report", "conforms_yes": "The plan follows the rules.", "conforms_no": "The plan breaks the rules.",
        "Violation": "Violation", "Warning": "Warning", "Info": "Note", "none": "No findings.",
        "property": "Field", "value": "Value", "cell": "Cell", "sheet": "sheet", "rowword": "row", "column": "column",
        "fix": "What to do", "legal": "Legal source", "no_legal": "No legal source", "rule": "Rule",
        "download": "Download", "dl_json": "the report as JSON", "dl_report": "the report as RDF (Turtle)",
        "dl_converted": "the plan as RDF (Turtle)", "converted": "The plan as RDF", "print": "Print",
        "again": "Check something else", "form_field": "field", "introduced": "Violations the change introduces",
        "resolved": "Violations the change resolves", "unchanged": "Unchanged", "whatif_title": "What if …?",
        "page": "page", "element": "Element",
        "unreadable": "The file could not be read as RDF", "line": "line",
        "unreadable_hint": "Send Turtle, TriG, JSON-LD, RDF/XML, N-Triples or N-Quads with at least one triple, "
                           "or the template as a workbook (.xlsx), CSV or zip.",
    },
}
