"""The mapping as CSV on the Web metadata (W3C CSVW, ``csv-metadata.json``) for the CSV files of the template.

Written from :mod:`.mapping`, not kept beside it, so there is still one declared mapping; a CSVW processor
reading the zip gets the same classes, properties and datatypes (lookups and references as ``valueUrl``
where a column holds an ID; lookup columns hold labels, which CSVW cannot resolve, so they stay literals).
"""

from __future__ import annotations

from .convert import _ascii
from .mapping import Mapping, load_mapping


def csvw_metadata(mapping: Mapping | None = None) -> dict:
    """A CSVW table group: one table per sheet, header row plus the help row, one column each."""
    mapping = mapping or load_mapping()
    tables = []
    for sheet in mapping.sheets:
        columns = []
        for col in sheet.columns:
            column: dict = {"name": col.name, "titles": {"nb": col.header}, "dc:description": col.help.get("nb", "")}
            if col.name == "id":
                column["suppressOutput"] = True
            elif col.subject is not None:
                column["suppressOutput"] = True  # the row's second resource: beyond what CSVW's one aboutUrl says
            elif col.ref:
                target = mapping.sheet(col.ref)
                template = mapping.base + target.iri.replace("{id}", "{" + col.name + "}")
                if col.inverse is not None:
                    column.update({"aboutUrl": template, "propertyUrl": str(col.inverse),
                                   "valueUrl": mapping.base + sheet.iri})
                else:
                    column.update({"propertyUrl": str(col.property), "valueUrl": template})
                if col.multiple:
                    column["separator"] = ";"
            elif col.property is not None:
                column["propertyUrl"] = str(col.property)
                if col.datatype is not None:
                    column["datatype"] = str(col.datatype).rsplit("#", 1)[1]
                if col.language:
                    column["lang"] = col.language
            else:
                column["suppressOutput"] = True
            columns.append(column)
        columns.append({"virtual": True, "propertyUrl": "rdf:type", "valueUrl": str(sheet.rdf_class)})
        tables.append({"url": f"{_ascii(sheet.name)}.csv", "dc:title": [{"@value": t, "@language": lang} for lang, t in sheet.title.items()],
                       "tableSchema": {"aboutUrl": mapping.base + sheet.iri, "primaryKey": "id", "columns": columns}})
    return {"@context": ["http://www.w3.org/ns/csvw", {"@language": "nb"}],
            "dialect": {"headerRowCount": 2}, "tables": tables}
