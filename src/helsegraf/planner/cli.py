"""``helsegraf validate plan.xlsx``: the validate subcommand reads the planner's template too.

:func:`extend` wraps the subcommand that :mod:`helsegraf.validation` registers: when a file is a workbook,
a zip of CSV files or a CSV file it is converted by the declared mapping and the planner's report is
printed (findings by plan element with their sheet, row and column); any other call goes on unchanged.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rdflib import Graph

SPREADSHEET_ENDINGS = (".xlsx", ".csv", ".zip")


def extend(commands) -> None:
    """Let ``helsegraf validate`` take spreadsheets (called by :func:`helsegraf.cli.build_parser`)."""
    parser = commands.choices.get("validate")
    if parser is None:
        return
    original = parser.get_default("func")
    parser.add_argument("--converted", type=Path, default=None, metavar="FILE",
                        help="write the RDF a spreadsheet is converted to (Turtle) to FILE")

    def run(args) -> int:
        files = list(getattr(args, "files", None) or [])
        if not any(str(f).lower().endswith(SPREADSHEET_ENDINGS) for f in files):
            return original(args)
        return run_spreadsheets(args, files)

    parser.set_defaults(func=run)


def run_spreadsheets(args, files: list[Path]) -> int:
    """Convert the spreadsheets (and read any RDF files beside them), validate, print the planner's report."""
    from helsegraf import validation
    from helsegraf.config import Settings

    from .convert import TemplateError, convert, read_tables
    from .mapping import lookup_lists
    from .report import build, report_graph

    settings = Settings.from_env(data_root=args.data_root, shacl_engine=args.shacl_engine, base=args.base)
    root = settings.data_root
    lang = args.lang
    context = validation.bundled_graph(root) + validation.ontology_graph(root)
    tables: dict = {}
    data = None
    try:
        for path in files:
            if str(path).lower().endswith(SPREADSHEET_ENDINGS):
                tables.update(read_tables(Path(path).read_bytes(), Path(path).name))
            else:
                data = (data or Graph()) + validation.union_graph(validation.load_rdf_file(path))
    except (TemplateError, OSError) as exc:
        print(f"helsegraf validate: {exc}", file=sys.stderr)
        return 2
    except validation.RDFSyntaxError as exc:
        print(f"helsegraf validate: syntax error: {exc}", file=sys.stderr)
        return 2
    conversion = convert(tables, lookup_lists(context))
    graph = conversion.graph + data if data is not None else conversion.graph
    if args.converted:
        args.converted.write_text(conversion.graph.serialize(format="turtle"), encoding="utf-8")
    try:
        outcome = validation.validate(graph, shape_sets=args.shape_set, engine=settings.shacl_engine, lang=lang,
                                      root=root)
    except validation.ValidationError as exc:
        print(f"helsegraf validate: {exc}", file=sys.stderr)
        return 2
    report = build(outcome, conversion, context, lang, settings.base)
    if args.format == "turtle":
        sys.stdout.write(report_graph(outcome, conversion).serialize(format="turtle"))
    elif args.format in ("json", "json-ld"):
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(render_text(report))
    return 0 if report.no_violations else 1


WORDS = {
    "nb": {"ok": "Planen følger reglene.", "bad": "Planen bryter reglene.", "Violation": "Brudd", "Warning": "Advarsel",
           "Info": "Merknad", "sheet": "ark", "row": "rad", "column": "kolonne", "fix": "Hva du gjør",
           "legal": "Lovkilde", "none": "Ingen lovkilde"},
    "en": {"ok": "The plan follows the rules.", "bad": "The plan breaks the rules.", "Violation": "Violation",
           "Warning": "Warning", "Info": "Note", "sheet": "sheet", "row": "row", "column": "column",
           "fix": "What to do", "legal": "Legal source", "none": "No legal source"},
}


def render_text(report) -> str:
    """The planner's report as text: one block per plan element, each finding with its cell and fix."""
    w = WORDS["en" if report.lang == "en" else "nb"]
    c = report.counts
    lines = [f"{w['ok'] if report.no_violations else w['bad']} ({w['Violation']}: {c['Violation']}, "
             f"{w['Warning']}: {c['Warning']}, {w['Info']}: {c['Info']})"]
    for group in report.groups:
        lines.append("")
        lines.append(f"{group.kind_label}: {group.label}")
        for item in group.items:
            where = ""
            if item.cell:
                where = f" [{w['sheet']} «{item.cell['sheet']}», {w['row']} {item.cell['row']}"
                where += f", {w['column']} {item.cell['column']}]" if item.cell["column"] else "]"
            lines.append(f"  {w[item.severity]}: {item.message}{where}")
            if item.fix:
                lines.append(f"    {w['fix']}: {item.fix}")
            if item.legal:
                legal = w["none"] if item.legal["none"] else item.legal["label"] + (
                    f" <{item.legal['href']}>" if item.legal.get("href") else "")
                lines.append(f"    {w['legal']}: {legal}")
    return "\n".join(lines) + "\n"
