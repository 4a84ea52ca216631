"""The planner's template: a workbook (and the same as a zip of CSV files) written from the mapping.

One sheet per sheet of the mapping, Norwegian headers in row 1 and help text in row 2; lookup columns get
a drop-down list (data validation) that points at a hidden sheet of choices taken from the graph. The
example rows are read back out of the graph through the same mapping (Levanger's «Mestring for alle»,
seed 004), so the template states nothing the graph does not.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

from rdflib import RDF, Graph, Literal, URIRef

from .convert import _ascii
from .mapping import Choice, Mapping, Sheet, column_letter, load_mapping

#: The example plan the template is filled with (seed 004).
EXAMPLE_PLAN = URIRef("https://w3id.org/helsegraf/id/plan/levanger-kommunedelplan-helse-og-omsorg")
LISTS_SHEET = "lister"
#: Data rows that get the drop-down lists (enough for a large plan's measures).
VALIDATED_ROWS = 400


def example_rows(graph: Graph, lookups: dict[str, list[Choice]], plan: URIRef = EXAMPLE_PLAN,
                 mapping: Mapping | None = None) -> dict[str, list[list[str]]]:
    """The rows of each sheet for ``plan`` as the graph states it (cells as the planner would type them)."""
    mapping = mapping or load_mapping()
    labels = {kind: {c.value: c.label for c in choices} for kind, choices in lookups.items()}
    rows: dict[str, list[list[str]]] = {}
    for sheet in mapping.sheets:
        subjects: list = [plan] if sheet.element == "plan" else []
        for col in sheet.columns:
            if col.inverse is not None and col.ref == "plan":
                subjects = sorted(graph.objects(plan, col.inverse), key=lambda s: _sort_key(graph, s))
        rows[sheet.name] = [[_cell(graph, s, sheet, col, labels, mapping) for col in sheet.columns]
                            for s in subjects if (s, None, None) in graph]
    return rows


def _sort_key(graph: Graph, node) -> tuple:
    from rdflib.namespace import SKOS

    notation = str(graph.value(node, SKOS.notation) or "")
    return tuple(int(p) if p.isdigit() else p for p in notation.replace("S", "").split(".")), str(node)


def _cell(graph: Graph, subject, sheet: Sheet, col, labels, mapping: Mapping) -> str:
    if col.name == "id":
        return _local(str(subject), mapping.base + sheet.iri.split("{", 1)[0])
    if col.name == sheet.class_column:
        kinds = [labels[col.lookup][t] for t in graph.objects(subject, RDF.type) if t in labels[col.lookup]]
        return kinds[0] if kinds else ""
    if col.subject is not None:
        return ""  # the second resource of a row (a project's service concept): not in the example plan
    values = graph.subjects(col.inverse, subject) if col.inverse is not None else graph.objects(subject, col.property)
    out = []
    for v in values:
        if col.ref:
            prefix = mapping.base + mapping.sheet(col.ref).iri.split("{", 1)[0]
            if str(v).startswith(prefix):  # a measure's plan, not the strategy that also has it
                out.append(_local(str(v), prefix))
        elif col.lookup == "boolean" and isinstance(v, Literal):
            out.append("ja" if v.toPython() is True else "nei")
        elif col.lookup:
            if v in labels[col.lookup]:
                out.append(labels[col.lookup][v])
        elif isinstance(v, Literal) and (col.language is None or v.language in (col.language, None)):
            out.append(str(v))
    return "; ".join(sorted(out, key=_natural)) if col.multiple else (out[0] if out else "")


def _natural(text: str) -> tuple:
    import re

    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _local(iri: str, prefix: str) -> str:
    return iri[len(prefix):] if iri.startswith(prefix) else iri


def workbook_bytes(lookups: dict[str, list[Choice]], rows: dict[str, list[list[str]]] | None = None,
                   lang: str = "nb", mapping: Mapping | None = None) -> bytes:
    """The template as an ``.xlsx`` file: headers, help row, drop-down lists, the example rows."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    mapping = mapping or load_mapping()
    rows = rows or {}
    book = Workbook()
    book.remove(book.active)
    lists = book.create_sheet(LISTS_SHEET)
    ranges = {}
    for index, (kind, choices) in enumerate(lookups.items()):
        letter = column_letter(index)
        lists.cell(1, index + 1, mapping.lookups[kind]["label"].get(lang, kind))
        for row, choice in enumerate(choices, start=2):
            lists.cell(row, index + 1, choice.label)
        ranges[kind] = f"{LISTS_SHEET}!${letter}$2:${letter}${max(2, len(choices) + 1)}"
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    for sheet in mapping.sheets:
        ws = book.create_sheet(sheet.name)
        for index, col in enumerate(sheet.columns, start=1):
            head = ws.cell(1, index, col.header)
            head.font = Font(bold=True)
            head.fill = header_fill
            head.comment = Comment(col.help.get(lang, col.help.get("nb", "")), "helsegraf")
            help_cell = ws.cell(2, index, col.help.get(lang, col.help.get("nb", "")))
            help_cell.font = Font(italic=True, color="555555")
            help_cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.column_dimensions[column_letter(index - 1)].width = 48 if col.name == "navn" else 24
            if col.lookup:
                dv = DataValidation(type="list", formula1=f"={ranges[col.lookup]}", allow_blank=True,
                                    showErrorMessage=True, errorTitle="helsegraf",
                                    error={"nb": "Velg en verdi fra listen.", "nn": "Vel ein verdi frå lista.",
                                           "en": "Pick a value from the list."}.get(lang, "Velg en verdi fra listen."))
                ws.add_data_validation(dv)
                dv.add(f"{column_letter(index - 1)}3:{column_letter(index - 1)}{VALIDATED_ROWS}")
        ws.freeze_panes = "B3"
        for r, values in enumerate(rows.get(sheet.name, []), start=3):
            for c, value in enumerate(values, start=1):
                if value != "":
                    ws.cell(r, c, value)
    lists.sheet_state = "hidden"
    book.move_sheet(LISTS_SHEET, offset=len(mapping.sheets))
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_zip_bytes(rows: dict[str, list[list[str]]] | None = None, lookups: dict[str, list[Choice]] | None = None,
                  lang: str = "nb", mapping: Mapping | None = None) -> bytes:
    """The template as a zip of CSV files (UTF-8, comma), one per sheet, their CSVW metadata and the lists."""
    mapping = mapping or load_mapping()
    rows = rows or {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for sheet in mapping.sheets:
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow([c.header for c in sheet.columns])
            writer.writerow([c.help.get(lang, c.help.get("nb", "")) for c in sheet.columns])
            writer.writerows(rows.get(sheet.name, []))
            z.writestr(f"{_ascii(sheet.name)}.csv", text.getvalue().encode("utf-8"))
        from .csvw import csvw_metadata  # the same mapping, as W3C CSVW metadata for the CSV files

        z.writestr("csv-metadata.json", json.dumps(csvw_metadata(mapping), ensure_ascii=False, indent=1))
        for kind, choices in (lookups or {}).items():
            z.writestr(f"lister/{kind}.txt", "\n".join(c.label for c in choices) + "\n")
    return buffer.getvalue()
