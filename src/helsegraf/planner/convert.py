"""Spreadsheet → RDF by the declared mapping, keeping the cell every triple came from.

Input is a filled-in workbook (``.xlsx``), a zip of CSV files, one or more CSV files, or the form's fields;
all become the same *tables* (sheet name → rows of cells, the first row the headers). Each sheet of
:mod:`.mapping` turns its rows into resources of its class; each column into one property. What cannot be
converted (a plan kind not in the list, a reference to an ID that no row has, a missing ID) becomes a
:class:`Finding` that points at its cell, so the report can tell the planner where to look.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import zipfile
from dataclasses import dataclass, field

from rdflib import RDF, XSD, Graph, Literal, URIRef

from .mapping import Choice, Column, Mapping, Sheet, column_letter, load_mapping

#: The template's layout: headers in row 1, help text in row 2, data from row 3 (xlsx and CSV alike).
HEADER_ROW, FIRST_DATA_ROW = 1, 3


class TemplateError(ValueError):
    """The upload is not a workbook or CSV the mapping can read (message in Norwegian)."""


@dataclass(frozen=True)
class Cell:
    """Where a value sits: sheet name, spreadsheet row (1-based), column letter and header."""

    sheet: str
    row: int
    column: str = ""
    header: str = ""

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "header": self.header}


@dataclass
class Finding:
    """Something the converter could not turn into RDF, with the cell and a fix (nb/nn/en)."""

    cell: Cell
    severity: str
    message: dict[str, str]
    hint: dict[str, str]
    value: str = ""
    subject: URIRef | None = None


@dataclass
class Conversion:
    """The converted graph, the cell of each triple and of each row's resource, and the findings."""

    graph: Graph
    cells: dict[tuple, Cell] = field(default_factory=dict)
    rows: dict[URIRef, Cell] = field(default_factory=dict)
    elements: dict[URIRef, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    mapping: Mapping | None = None

    def cell_of(self, subject, prop) -> Cell | None:
        """The cell that gave ``subject`` its ``prop``, else the cell of that property's column in the
        subject's row (for a value that is missing), else the subject's row."""
        for (s, p, _o), cell in self.cells.items():
            if s == subject and p == prop:
                return cell
        row = self.rows.get(subject)
        if row is None or self.mapping is None:
            return row
        sheet = self.mapping.sheet(row.sheet)
        for col in sheet.columns:
            if col.property == prop and (col.subject is None) == (self.elements.get(subject) == sheet.element):
                return Cell(row.sheet, row.row, sheet.letter(col), col.header)
        return row

    def cell_of_query(self, subject, query: str) -> Cell | None:
        """For a SPARQL rule with no result path: the columns of the subject's row whose properties the
        rule's query names (``hg:periodStart``, ``hg:periodEnd`` → columns G, H)."""
        row = self.rows.get(subject)
        if row is None or self.mapping is None:
            return row
        sheet = self.mapping.sheet(row.sheet)
        named = []
        for col in sheet.columns:
            if col.property is None or col.subject is not None:
                continue
            for prefix, ns in self.mapping.prefixes.items():
                if str(col.property).startswith(ns) and f"{prefix}:{str(col.property)[len(ns):]}" in query:
                    named.append(col)
        if not named:
            return row
        return Cell(row.sheet, row.row, ", ".join(sheet.letter(c) for c in named), ", ".join(c.header for c in named))


# ------------------------------------------------------------------------------------------- reading


def read_tables(data: bytes, filename: str) -> dict[str, list[list]]:
    """Read an upload into tables: ``.xlsx`` (a sheet each), ``.zip`` of CSVs, or one ``.csv``."""
    name = (filename or "").lower()
    if data[:2] == b"PK":  # both a workbook and a zip of CSVs are zip archives
        return _read_xlsx(data) if _is_xlsx(data) else _read_zip(data)
    if name.endswith((".csv", ".txt")):
        return {_sheet_of_csv(filename, data): _read_csv(data)}
    raise TemplateError(f"«{filename}» er verken et regneark (.xlsx), en zip med CSV-filer eller en CSV-fil.")


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "xl/workbook.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


def _read_xlsx(data: bytes) -> dict[str, list[list]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 -- openpyxl raises many kinds for a damaged file
        raise TemplateError(f"Regnearket kan ikke leses: {exc}") from exc
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def _read_zip(data: bytes) -> dict[str, list[list]]:
    tables = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for info in z.infolist():
                if info.filename.lower().endswith(".csv"):
                    tables[_sheet_of_csv(info.filename, None)] = _read_csv(z.read(info))
    except zipfile.BadZipFile as exc:
        raise TemplateError(f"Zip-filen kan ikke leses: {exc}") from exc
    if not tables:
        raise TemplateError("Zip-filen har ingen CSV-filer.")
    return tables


def _read_csv(data: bytes) -> list[list]:
    text = data.decode("utf-8-sig") if not data.startswith(b"\xff\xfe") else data.decode("utf-16")
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _sheet_of_csv(filename: str, data: bytes | None) -> str:
    """The sheet a CSV file stands for: its file name (``tiltak.csv``), else the sheet whose headers it has."""
    mapping = load_mapping()
    stem = re.sub(r"\.(csv|txt)$", "", (filename or "").rsplit("/", 1)[-1], flags=re.I)
    for sheet in mapping.sheets:
        if stem.casefold() in (sheet.name.casefold(), _ascii(sheet.name)) or stem.casefold().endswith(
                "-" + _ascii(sheet.name)):
            return sheet.name
    if data is not None:
        headers = {str(h).strip() for h in (_read_csv(data)[:1] or [[]])[0]}
        for sheet in mapping.sheets:
            if {c.header for c in sheet.columns if c.required} <= headers:
                return sheet.name
    raise TemplateError(f"Fant ikke hvilket ark CSV-filen «{filename}» hører til: gi den navnet på arket "
                        f"({', '.join(s.name for s in mapping.sheets)}).")


def _ascii(text: str) -> str:
    return text.casefold().replace("å", "a").replace("æ", "ae").replace("ø", "o")


def slug(text: str) -> str:
    """An ID fit for an IRI: lower case, æøå spelt out, anything else a hyphen."""
    return re.sub(r"[^a-z0-9._-]+", "-", _ascii(str(text).strip())).strip("-")


# ---------------------------------------------------------------------------------------- converting


def convert(tables: dict[str, list[list]], lookups: dict[str, list[Choice]], mapping: Mapping | None = None) -> Conversion:
    """Turn tables into RDF by the mapping; unknown sheets are ignored, unknown columns reported."""
    mapping = mapping or load_mapping()
    out = Conversion(Graph(), mapping=mapping)
    for prefix, ns in mapping.prefixes.items():
        out.graph.bind(prefix, ns)
    for prefix in ("plan", "goal", "strategy", "measure", "project", "concept"):
        out.graph.bind(prefix, mapping.base + prefix + "/")
    by_sheet = {}
    for name, rows in tables.items():
        try:
            by_sheet[mapping.sheet(name).name] = rows
        except KeyError:
            continue  # the template's own list sheet, or a sheet of the planner's own
    ids = {name: _ids(mapping.sheet(name), rows) for name, rows in by_sheet.items()}
    for sheet in mapping.sheets:
        if sheet.name in by_sheet:
            _convert_sheet(sheet, by_sheet[sheet.name], ids, lookups, mapping, out)
    return out


def _positions(sheet: Sheet, header_row: list) -> dict[str, tuple[int, str]]:
    """Column name → (index in the file, letter) by header text (or the column's own name)."""
    found = {}
    for index, text in enumerate(header_row):
        text = str(text or "").strip().casefold()
        for col in sheet.columns:
            if text in (col.header.casefold(), col.name.casefold()):
                found[col.name] = (index, column_letter(index))
    return found


def _data_rows(sheet: Sheet, rows: list[list]):
    """(spreadsheet row number, cells) of the data rows: after the headers, skipping the help row."""
    helps = {t for c in sheet.columns for t in c.help.values()}
    for number, cells in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        texts = [str(c).strip() for c in cells if c not in (None, "")]
        if not texts:
            continue
        if all(t in helps for t in texts):
            continue  # the template's help row
        yield number, cells


def _ids(sheet: Sheet, rows: list[list]) -> set[str]:
    if not rows:
        return set()
    pos = _positions(sheet, rows[0])
    if "id" not in pos:
        return set()
    index = pos["id"][0]
    return {slug(cells[index]) for _, cells in _data_rows(sheet, rows)
            if index < len(cells) and cells[index] not in (None, "")}


def _convert_sheet(sheet, rows, ids, lookups, mapping, out: Conversion) -> None:
    if not rows:
        return
    pos = _positions(sheet, rows[0])
    missing = [c for c in sheet.columns if c.required and c.name not in pos]
    for col in missing:
        out.findings.append(Finding(Cell(sheet.name, HEADER_ROW, "", col.header), "Violation",
                                    _words("no_column", header=col.header, sheet=sheet.name),
                                    _words("no_column_fix", header=col.header)))
    if "id" not in pos:
        return
    for number, cells in _data_rows(sheet, rows):
        def value(col: Column, cells=cells):
            index = pos.get(col.name, (None,))[0]
            if index is None or index >= len(cells):
                return None
            v = cells[index]
            return None if v is None or (isinstance(v, str) and not v.strip()) else v

        def cell(col: Column, number=number) -> Cell:
            return Cell(sheet.name, number, pos[col.name][1] if col.name in pos else sheet.letter(col), col.header)

        id_col = sheet.column("id")
        raw_id = value(id_col)
        if raw_id is None:
            out.findings.append(Finding(cell(id_col), "Violation", _words("no_id"), _words("no_id_fix")))
            continue
        row_id = slug(raw_id)
        subject = URIRef(mapping.base + sheet.iri.format(id=row_id))
        out.rows[subject] = Cell(sheet.name, number)
        out.elements[subject] = sheet.element
        subjects = {None: subject}
        for key, spec in sheet.subjects.items():
            if value(sheet.column(spec["when"])) is not None:
                other = URIRef(mapping.base + spec["iri"].format(id=row_id))
                subjects[key] = other
                out.rows[other] = Cell(sheet.name, number)
                out.elements[other] = spec.get("element", key)
                _add(out, (other, RDF.type, spec["rdf_class"]), cell(sheet.column(spec["when"])))
                _add(out, (subject, spec["link"], other), cell(sheet.column(spec["when"])))
        rdf_class = sheet.rdf_class
        if sheet.class_column:
            kind_col = sheet.column(sheet.class_column)
            kind = value(kind_col)
            if kind is not None:
                picked = _pick(str(kind), lookups.get(kind_col.lookup, []))
                if picked is None:
                    _unknown(out, cell(kind_col), kind_col, str(kind), lookups, subject)
                else:
                    rdf_class = picked
            _add(out, (subject, RDF.type, rdf_class), cell(kind_col))
        else:
            _add(out, (subject, RDF.type, rdf_class), cell(id_col))
        for col in sheet.columns:
            if col.name in ("id", sheet.class_column):
                continue
            v = value(col)
            target = subjects.get(col.subject)
            if v is None or target is None:
                if v is None and col.required:
                    out.findings.append(Finding(cell(col), "Violation", _words("empty", header=col.header),
                                                _words("empty_fix", header=col.header), subject=subject))
                continue
            parts = [p.strip() for p in re.split(r"[;\n]", str(v))] if col.multiple else [v]
            for part in parts:
                if part in (None, ""):
                    continue
                term = _term(part, col, ids, lookups, mapping, out, cell(col), subject)
                if term is None:
                    continue
                if col.inverse is not None:
                    _add(out, (term, col.inverse, target), cell(col))
                else:
                    _add(out, (target, col.property, term), cell(col))


def _add(out: Conversion, triple: tuple, cell: Cell) -> None:
    out.graph.add(triple)
    out.cells.setdefault(triple, cell)


def _term(v, col: Column, ids, lookups, mapping: Mapping, out: Conversion, cell: Cell, subject):
    """The RDF term of one cell value, or None (with a finding) when it cannot be read."""
    if col.ref:
        target = mapping.sheet(col.ref)
        ref_id = slug(v)
        if ref_id not in ids.get(target.name, set()):
            out.findings.append(Finding(cell, "Violation", _words("no_ref", value=str(v), sheet=target.name),
                                        _words("no_ref_fix", sheet=target.name), str(v), subject))
            return None
        return URIRef(mapping.base + target.iri.format(id=ref_id))
    if col.lookup:
        spec = mapping.lookups[col.lookup]
        if "values" in spec:
            key = str(v).strip().casefold()
            if key in spec["values"]:
                return Literal(spec["values"][key])
            _unknown(out, cell, col, str(v), lookups, subject)
            return None
        picked = _pick(str(v), lookups.get(col.lookup, []))
        if picked is None:
            _unknown(out, cell, col, str(v), lookups, subject)
        return picked
    if col.datatype == XSD.gYear:
        text = str(v.year if isinstance(v, (dt.date, dt.datetime)) else v).strip()
        if re.fullmatch(r"\d{4}(\.0)?", text):
            return Literal(text[:4], datatype=XSD.gYear)
        return Literal(text)  # not a year: the shapes' datatype rule reports it at this cell
    if col.datatype == XSD.date:
        if isinstance(v, (dt.date, dt.datetime)):
            return Literal(v.date() if isinstance(v, dt.datetime) else v, datatype=XSD.date)
        text = str(v).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return Literal(text, datatype=XSD.date)
        match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)  # 19.11.2014, as Norwegian documents write
        if match:
            day, month, year = match.groups()
            return Literal(f"{year}-{int(month):02d}-{int(day):02d}", datatype=XSD.date)
        return Literal(text)
    if col.datatype is not None:
        return Literal(str(v).strip(), datatype=col.datatype)
    text = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip()
    return Literal(text, lang=col.language) if col.language else Literal(text)


def _pick(text: str, choices: list[Choice]):
    key = text.strip().casefold()
    for c in choices:
        if c.label.casefold() == key or str(c.value) == text.strip():
            return c.value
    return None


def _unknown(out: Conversion, cell: Cell, col: Column, text: str, lookups, subject) -> None:
    labels = [c.label for c in lookups.get(col.lookup, [])]
    near = difflib.get_close_matches(text, labels, n=1, cutoff=0.6)
    message = _words("unknown", value=text, header=col.header)
    hint = _words("unknown_fix_near", near=near[0]) if near else _words("unknown_fix", header=col.header)
    out.findings.append(Finding(cell, "Violation", message, hint, text, subject))


def _words(key: str, **values) -> dict[str, str]:
    return {lang: text.format(**values) for lang, text in WORDS[key].items()}


#: The converter's messages and fixes, in bokmål, nynorsk and English.
WORDS = {
    "no_column": {"nb": "Arket «{sheet}» mangler kolonnen «{header}».", "nn": "Arket «{sheet}» manglar kolonnen «{header}».",
                  "en": "The sheet «{sheet}» has no column «{header}»."},
    "no_column_fix": {"nb": "Bruk malen fra /validate, eller legg til kolonnen «{header}» i rad 1.",
                      "nn": "Bruk malen frå /validate, eller legg til kolonnen «{header}» i rad 1.",
                      "en": "Use the template from /validate, or add the column «{header}» in row 1."},
    "no_id": {"nb": "Raden har ingen ID.", "nn": "Rada har ingen ID.", "en": "The row has no ID."},
    "no_id_fix": {"nb": "Skriv en kort, unik ID i kolonne A.", "nn": "Skriv ein kort, unik ID i kolonne A.",
                  "en": "Write a short, unique ID in column A."},
    "empty": {"nb": "«{header}» er tom.", "nn": "«{header}» er tom.", "en": "«{header}» is empty."},
    "empty_fix": {"nb": "Fyll ut «{header}».", "nn": "Fyll ut «{header}».", "en": "Fill in «{header}»."},
    "no_ref": {"nb": "Ingen rad på arket «{sheet}» har ID-en «{value}».",
               "nn": "Inga rad på arket «{sheet}» har ID-en «{value}».",
               "en": "No row on the sheet «{sheet}» has the ID «{value}»."},
    "no_ref_fix": {"nb": "Skriv ID-en slik den står i kolonne A på arket «{sheet}».",
                   "nn": "Skriv ID-en slik han står i kolonne A på arket «{sheet}».",
                   "en": "Write the ID as it stands in column A of the sheet «{sheet}»."},
    "unknown": {"nb": "«{value}» finnes ikke i listen for «{header}».",
                "nn": "«{value}» finst ikkje i lista for «{header}».",
                "en": "«{value}» is not in the list for «{header}»."},
    "unknown_fix": {"nb": "Velg en verdi fra nedtrekkslisten i «{header}».",
                    "nn": "Vel ein verdi frå nedtrekkslista i «{header}».",
                    "en": "Pick a value from the drop-down list in «{header}»."},
    "unknown_fix_near": {"nb": "Mente du «{near}»? Velg fra nedtrekkslisten.",
                         "nn": "Meinte du «{near}»? Vel frå nedtrekkslista.",
                         "en": "Did you mean «{near}»? Pick from the drop-down list."},
}
