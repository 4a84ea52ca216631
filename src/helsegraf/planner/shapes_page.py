"""What the ``/shapes`` page shows of each shape besides its IRI: its Norwegian (or English) name and
description, the fix hint and the legal source, read from the shapes files."""

from __future__ import annotations

from rdflib import Graph

from helsegraf.validation import SH, load_shapes, shape_sets

from .report import HGSH, legal_source, pick


def shape_details(root, context: Graph, lang: str) -> dict[str, dict]:
    """Local name (after ``hgsh:``) → name, description, fix and legal source in ``lang``."""
    shapes = load_shapes(list(shape_sets(root)), root=root)
    out = {}
    for node in set(shapes.subjects(HGSH.fixHint, None)):
        local = str(node)[len(str(HGSH)):]
        out[local] = {
            "name": pick(shapes, node, SH.name, lang), "description": pick(shapes, node, SH.description, lang),
            "message": pick(shapes, node, SH.message, lang), "fix": pick(shapes, node, HGSH.fixHint, lang),
            "legal": legal_source(shapes, [node], context, lang),
        }
    return out

