"""``/validate``: check a planner's RDF against the project's SHACL shapes (or the planner's own).

``POST /validate`` takes Turtle, TriG, JSON-LD, RDF/XML or N-Triples as the body (by Content-Type) or as a
multipart upload (``data`` part; optional ``shapes`` part; ``shape-set`` fields), or the HTML form's pasted
text. It answers with the ``sh:ValidationReport`` as Turtle or JSON-LD, a JSON summary, or an HTML page, by
Accept; messages follow Accept-Language (nb by default). Nothing sent is stored.

Errors: unparseable data → 400 with the parser's message and line (a ``SyntaxError``, mapped in
:mod:`.errors`); too large → 413 (Flask's limit); unknown shape set → 404; malformed shapes → 400 naming the
shape.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request

from .. import validation
from ..sparql.negotiation import best_media_type
from . import current_settings
from .errors import ClientError

bp = Blueprint("validate", __name__)

#: Media types of the answer, in the order tried when Accept allows several equally.
ANSWER_TYPES = ["application/json", "text/html", "text/turtle", "application/ld+json", "text/plain"]


def answer_lang() -> str:
    """The language of the messages: ``?lang=``, else Accept-Language (nn/no read as nb), else nb."""
    asked = request.args.get("lang", "").strip().lower()
    if asked in ("nb", "en"):
        return asked
    best = request.accept_languages.best_match(["nb", "no", "nn", "en"], default="nb")
    return "en" if best == "en" else "nb"


def _page_context(lang: str) -> dict:
    """The shared page frame's variables (navigation, words) where the UI blueprint provides them."""
    try:
        from .ui import page_context

        context = page_context()
        context["lang"] = lang
        return context
    except Exception:  # noqa: BLE001 -- the form must work even if the UI face is absent or changes
        return {"lang": lang, "t": {}, "nav": [], "other_lang": "en" if lang == "nb" else "nb",
                "other_lang_url": "?lang=" + ("en" if lang == "nb" else "nb"), "lang_param": ""}


@bp.get("/validate")
def form():
    """The upload form (works without JavaScript)."""
    lang = answer_lang()
    sets = sorted(validation.shape_sets(current_settings().data_root, include_meta=False))
    return render_template("validate.html", words=WORDS[lang], shape_sets=sets, **_page_context(lang))


@bp.post("/validate")
def run():
    """Validate the request's data and answer with the report."""
    settings = current_settings()
    lang = answer_lang()
    try:
        data, user_shapes, names = _read_request()
    except validation.RDFSyntaxError as exc:
        return _unreadable(exc, lang)
    if user_shapes is not None:
        try:
            validation.check_shapes(user_shapes)
        except validation.ShapesError as exc:
            raise ClientError(str(exc), 400) from exc
    try:
        outcome = validation.validate(
            data, user_shapes, shape_sets=names, engine=settings.shacl_engine, lang=lang, root=settings.data_root,
            base=settings.base,
        )
    except validation.UnknownShapeSetError as exc:
        raise ClientError(str(exc), 404) from exc
    except validation.ShapesError as exc:
        raise ClientError(str(exc), 400) from exc
    return _answer(outcome, lang, settings.base)


def _read_request():
    """Return (data Dataset, user shapes Graph or None, shape-set names or None)."""
    names = [n.strip() for n in request.values.getlist("shape-set") if n.strip()] or None
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        upload = request.files.get("data")
        if upload is not None and upload.filename:
            data = validation.parse_rdf(upload.read(), _upload_format(upload.mimetype, upload.filename),
                                        name=upload.filename)
        elif request.form.get("data", "").strip():
            fmt = _format(request.form.get("format") or "text/turtle", None)
            data = validation.parse_rdf(request.form["data"], fmt, name="data")
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
        return data, shapes, names
    body = request.get_data(cache=False)
    return validation.parse_rdf(body, _format(request.content_type, None), name="body"), None, names


def _unreadable(exc: validation.RDFSyntaxError, lang: str) -> Response:
    """400 for data that are empty or not RDF: the parser's message, line and column; a page in the site's
    layout for browsers (in the page's language), JSON for API clients."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"], default="application/json")
    if best == "text/html":
        body = render_template("validate_error.html", words=WORDS[lang], error=exc, **_page_context(lang))
        return Response(body, 400, mimetype="text/html", headers={"Content-Language": lang})
    body = {"error": "unreadable RDF", "message": str(exc), "reason": exc.reason, "file": exc.filename,
            "line": exc.lineno, "column": exc.offset}
    return Response(json.dumps(body, ensure_ascii=False), 400, mimetype="application/json")

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
        raise ClientError(str(exc), 415) from exc


def _answer(outcome: validation.ValidationOutcome, lang: str, base: str) -> Response:
    best = best_media_type(request.headers.get("Accept"), ANSWER_TYPES) or "application/json"
    if best == "text/turtle":
        body, mimetype = outcome.serialize("turtle"), "text/turtle"
    elif best == "application/ld+json":
        body, mimetype = validation.report_as_jsonld(outcome), "application/ld+json"
    elif best == "text/html":
        return Response(_html(outcome, lang, base), mimetype="text/html")
    elif best == "text/plain":
        body, mimetype = outcome.to_text(lang), "text/plain"
    else:
        body, mimetype = json.dumps(outcome.to_json(lang), ensure_ascii=False, indent=1), "application/json"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Accept, Accept-Language"
    return response


def _html(outcome: validation.ValidationOutcome, lang: str, base: str) -> str:
    from ..validation.render import grouped, label_of, short

    names = outcome.shapes_graph
    groups = []
    for focus, results in grouped(outcome.results).items():
        groups.append({
            "iri": str(focus),
            "href": _local_link(str(focus), base),
            "label": label_of(focus, outcome.data_graph, lang),
            "short": short(focus, names),
            "results": [{
                "severity": r.severity,
                "message": validation.pick_message(r.messages, lang) if r.messages else r.message,
                "path": short(r.path, names) if r.path is not None else "",
                "value": short(r.value, names) if r.value is not None and r.value != r.focus_node else "",
                "shape": short(r.source_shape, names),
            } for r in results],
        })
    return render_template("validate_report.html", words=WORDS[lang], outcome=outcome, counts=outcome.counts(),
                           groups=groups, **_page_context(lang))


def _local_link(iri: str, base: str) -> str | None:
    """Link a resource of this graph to its page on this host; others to their own IRI where it is http(s)."""
    if iri.startswith(base):
        return "/" + iri[len(base):]
    return iri if iri.startswith(("http://", "https://")) else None


WORDS = {
    "nb": {
        "title": "Validering", "intro": "Sjekk en plan eller et byggeprosjekt mot SHACL-formene. Ingenting lagres.",
        "file": "Fil", "paste": "eller lim inn Turtle", "format": "Format", "sets": "Formsett",
        "own_shapes": "Egne former (valgfritt)", "submit": "Valider", "report": "Valideringsrapport",
        "conforms": "Samsvarer", "yes": "ja", "no": "nei", "Violation": "Brudd", "Warning": "Advarsel",
        "Info": "Info", "path": "egenskap", "value": "verdi", "shape": "form", "none": "Ingen funn.",
        "again": "Valider noe annet",
        "unreadable": "Filen kunne ikke leses som RDF", "line": "linje", "column": "kolonne",
        "unreadable_hint": "Send Turtle, TriG, JSON-LD, RDF/XML, N-Triples eller N-Quads med minst én tripel.",
    },
    "en": {
        "title": "Validation", "intro": "Check a plan or a building project against the SHACL shapes. Nothing is stored.",
        "file": "File", "paste": "or paste Turtle", "format": "Format", "sets": "Shape sets",
        "own_shapes": "Your own shapes (optional)", "submit": "Validate", "report": "Validation report",
        "conforms": "Conforms", "yes": "yes", "no": "no", "Violation": "Violation", "Warning": "Warning",
        "Info": "Info", "path": "path", "value": "value", "shape": "shape", "none": "No results.",
        "again": "Validate something else",
        "unreadable": "The file could not be read as RDF", "line": "line", "column": "column",
        "unreadable_hint": "Send Turtle, TriG, JSON-LD, RDF/XML, N-Triples or N-Quads with at least one triple.",
    },
}
