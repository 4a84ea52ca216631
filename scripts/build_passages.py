"""Tie the facts of the seed graphs to their passages in the seed texts, as W3C Web Annotations.

For every ``hg:quote`` in ``data/seeds/*.ttl`` the script finds the quoted passage in the seed text
(``../shared/seeds/<hg:sourceFile>``) and writes, into ``data/passages/<seed>.ttl``, one ``oa:Annotation``:

* ``oa:hasTarget`` an ``oa:SpecificResource`` whose ``oa:hasSource`` is the document (``document:seed-NNN``)
  and whose selectors are an ``oa:TextQuoteSelector`` (``oa:exact`` the passage exactly as the seed text has it,
  line breaks included, with ``oa:prefix``/``oa:suffix``) and an ``oa:TextPositionSelector`` (``oa:start``,
  ``oa:end``: offsets in Unicode code points into the seed text, end exclusive, as the Web Annotation model fixes);
* ``oa:hasBody`` the facts the passage supports, each an ``rdf:Statement`` (RDF reification; one IRI per
  triple, the same in every annotation): the quote statement itself, and every statement of the same subject in
  the seed graph whose object the passage names (a number or date in the forms the seeds write them, or the
  text of a literal, or the label of the resource it points at).

A quote is matched against the text ignoring whitespace, hyphens and dashes, bullets and quotation marks, because
the graph joins the PDF's line breaks and hyphenations (docs/domain.md, "Source tags"); the selector's ``exact``
is the text as it stands in the seed. A quote with an ellipsis (``…``) is matched piece by piece, one annotation
per piece. A quote that cannot be found stops the build (exit status 1) and nothing is written.

The seed texts stay outside the repository; the generated files are committed, and
``tests/test_passages.py`` checks every selector against the texts where they are present (always in CI).

Run from the repository root::

    .venv/bin/python scripts/build_passages.py --seeds-dir ../shared/seeds --out data/passages

>>> forms(Literal("3.9", datatype=XSD.decimal))
['3,9', '3.9']
>>> "12.04.23" in forms(Literal("2023-04-12", datatype=XSD.date))
True
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS, SKOS, XSD

REPO = Path(__file__).resolve().parents[1]
HG = Namespace("https://w3id.org/helsegraf/ontology#")
HGID = "https://w3id.org/helsegraf/id/"
HGGRAPH = "https://w3id.org/helsegraf/graph/"
DCT = Namespace("http://purl.org/dc/terms/")
NYNORSK = "http://publications.europa.eu/resource/authority/language/NNO"

#: Characters left out when a quote is matched: the graph's quotes join what the PDF extraction split.
IGNORED = set(" \t\r\n\u00a0-‐‑–—ς•▪⚫➢«»\"“”'’…Åü·:")
#: The shortest literal (without ignored characters) annotated because the seed has it verbatim: shorter ones
#: («NAV», «Regnbuen») would be located at an arbitrary one of their occurrences.
VERBATIM_MINIMUM = 12
#: How much text the TextQuoteSelector keeps on either side of the passage.
CONTEXT = 32

NUMBER_WORDS = {
    1: ("en", "ein", "ett", "eitt"), 2: ("to",), 3: ("tre",), 4: ("fire",), 5: ("fem",), 6: ("seks",),
    7: ("sju", "syv"), 8: ("åtte",), 9: ("ni",), 10: ("ti",), 11: ("elleve",), 12: ("tolv",),
}
MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "desember")


class PassageError(Exception):
    """A quote is not in its seed text; nothing is written."""


def forms(value: Literal) -> list[str]:
    """The ways a seed writes this literal: numbers with a decimal comma, dates as 12.04.23 or «1. mai 2023»."""
    text = str(value)
    datatype = value.datatype
    found = {text}
    if datatype in (XSD.decimal, XSD.double, XSD.float):
        found.add(text.replace(".", ","))
    if datatype in (XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.int):
        found.update(NUMBER_WORDS.get(int(text), ()))
    if datatype == XSD.date:
        year, month, day = text.split("-")
        found.update({f"{day}.{month}.{year[2:]}", f"{day}.{month}.{year}", f"{int(day)}. {MONTHS[int(month) - 1]} {year}",
                      f"{day}.{month}."})
    if datatype == XSD.gYearMonth:
        year, month = text.split("-")
        found.add(f"{MONTHS[int(month) - 1]} {year}")
    return sorted(found)


def squeeze(text: str) -> tuple[str, list[int]]:
    """``text`` without the ignored characters, and the offset in ``text`` of each character kept."""
    kept, offsets = [], []
    for index, char in enumerate(text):
        if char not in IGNORED:
            kept.append(char)
            offsets.append(index)
    return "".join(kept), offsets


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def locate(piece: str, text: str, squeezed: str, offsets: list[int]) -> Passage:
    """The one place in ``text`` where ``piece`` stands (the first, if the seed repeats it)."""
    needle, _ = squeeze(piece)
    if not needle:
        raise PassageError(f"nothing to match in {piece!r}")
    at = squeezed.find(needle)
    if at < 0:
        raise PassageError(f"not in the seed text: {piece!r}")
    start, end = offsets[at], offsets[at + len(needle) - 1] + 1
    return Passage(start, end, text[start:end], text[max(0, start - CONTEXT):start], text[end:end + CONTEXT])


def pieces(quote: str) -> list[str]:
    """The parts of a quote between ellipses (a quote that leaves text out is matched part by part)."""
    return [part for part in (p.strip() for p in re.split(r"…|\.\.\.", quote)) if part.strip(" «»\"")]


def turtle(value: str) -> str:
    """A Turtle string literal with every character that needs it escaped."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    escaped = escaped.replace("\t", "\\t")
    return '"' + escaped + '"'


def term(node) -> str:
    """An RDF term in Turtle syntax."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    assert isinstance(node, Literal)
    if node.language:
        return f"{turtle(str(node))}@{node.language}"
    if node.datatype:
        return f"{turtle(str(node))}^^<{node.datatype}>"
    return turtle(str(node))


def digest(*parts) -> str:
    return hashlib.sha1("\x1f".join(term(p) if not isinstance(p, str) else p for p in parts).encode("utf-8")).hexdigest()


def statement_iri(s, p, o) -> str:
    """The one IRI of the reified triple (s, p, o), the same wherever it is used."""
    return f"{HGID}statement/{digest(s, p, o)[:20]}"


def labels(world: Graph, node: URIRef) -> set[str]:
    return {str(label) for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel) for label in world.objects(node, prop)}


def names(text: str, squeezed_piece: str) -> bool:
    """Whether the passage names this text: it contains it, or it is the text (a label written verbatim).

    Both sides are compared without the ignored characters, so line breaks and hyphenation do not matter.

    >>> names("Enhet bolig og mestring", squeeze("som et alternativ til enhet bolig og mestring.".casefold())[0])
    True
    """
    squeezed_text = squeeze(text.casefold())[0].strip(".")
    if len(squeezed_text) < 3:
        return False
    return squeezed_text in squeezed_piece or (len(squeezed_piece) >= 20 and squeezed_piece in squeezed_text)


def supported(graph: Graph, world: Graph, subject, piece: str) -> list[tuple]:
    """The statements of ``subject`` in the seed graph whose object the passage names."""
    folded = piece.casefold()
    squeezed_piece = squeeze(folded)[0]
    found = []
    for predicate, obj in sorted(graph.predicate_objects(subject)):
        if predicate == HG.quote:
            continue
        if isinstance(obj, Literal):
            if obj.datatype in (XSD.integer, XSD.nonNegativeInteger, XSD.decimal, XSD.date, XSD.gYear,
                                XSD.gYearMonth, XSD.double, XSD.positiveInteger, XSD.int):
                hit = any(re.search(rf"(?<![\w,.]){re.escape(f.casefold())}(?![\w]|,\d)", folded) for f in forms(obj))
            else:
                hit = names(str(obj), squeezed_piece)
        elif isinstance(obj, URIRef):
            hit = any(names(label, squeezed_piece) for label in labels(world, obj))
        else:
            hit = False
        if hit:
            found.append((subject, predicate, obj))
    return found


def build_one(path: Path, seeds_dir: Path, world: Graph) -> tuple[str, int, int]:
    """The Turtle of one seed's passages; with the number of annotations and of fact statements in it."""
    graph = Graph().parse(path, format="turtle")
    stem = path.stem
    number = stem[:3]
    document = URIRef(f"{HGID}document/seed-{number}")
    source_file = str(graph.value(document, HG.sourceFile))
    text = (seeds_dir / source_file).read_text(encoding="utf-8")
    squeezed, offsets = squeeze(text)
    graph_iri = f"{HGGRAPH}data/passages/{stem}"
    # The Norwegian title in the document's own written standard (the Nynorsk check reads it too).
    nynorsk = graph.value(document, DCT.language) == URIRef(NYNORSK)
    title = f'"Passasjar i seed {number} (sitat og posisjon)"@nn' if nynorsk else f'"Passasjer i seed {number} (sitat og posisjon)"@nb'

    lines = [
        f"# Passages of seed {number} ({source_file}): every hg:quote of data/seeds/{stem}.ttl as a W3C Web",
        "# Annotation on the seed text. Generated by scripts/build_passages.py — do not edit; re-run the script.",
        "",
        "@prefix oa:   <http://www.w3.org/ns/oa#> .",
        "@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .",
        "@prefix dct:  <http://purl.org/dc/terms/> .",
        "@prefix prov: <http://www.w3.org/ns/prov#> .",
        "@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .",
        "",
        f"<{graph_iri}>",
        f"    dct:title {title} , \"Passages of seed {number} (quote and position)\"@en ;",
        f"    dct:source <{document}> ;",
        f"    prov:wasDerivedFrom <{document}> .",
    ]
    statements: dict[str, tuple] = {}
    annotations = 0
    # Work list: (subject, the literal that is the evidence, its predicate, whether it must be found).
    # Every hg:quote must be found; other Norwegian literals are annotated where the seed has them verbatim
    # (labels, definitions and goals copied from the text), so that those facts get their passage too.
    quoted = [(s, HG.quote, o, True) for s, o in sorted(graph.subject_objects(HG.quote))]
    verbatim = [
        (s, p, o, False) for s, p, o in sorted(graph)
        if p != HG.quote and isinstance(o, Literal) and o.language in ("nb", "nn")
        and len(squeeze(str(o))[0]) >= VERBATIM_MINIMUM and squeeze(str(o))[0] in squeezed
    ]
    missing = []
    for subject, predicate, evidence, required in quoted + verbatim:
        for index, piece in enumerate(pieces(str(evidence)) if required else [str(evidence)]):
            try:
                passage = locate(piece, text, squeezed, offsets)
            except PassageError as error:
                missing.append(f"{stem}: {subject}: {error}")
                continue
            facts = [(subject, predicate, evidence)] + [
                fact for fact in supported(graph, world, subject, piece) if fact[1:] != (predicate, evidence)
            ]
            key = digest(subject, evidence) if required else digest(subject, predicate, evidence)
            annotation = f"{HGID}annotation/seed-{number}-{key[:16]}" + (f"-{index + 1}" if index else "")
            bodies = []
            for fact in facts:
                iri = statement_iri(*fact)
                statements[iri] = fact
                bodies.append(f"<{iri}>")
            lines += [
                "",
                f"<{annotation}> a oa:Annotation ;",
                "    oa:motivatedBy oa:identifying ;",
                f"    oa:hasBody {' , '.join(bodies)} ;",
                f"    oa:hasTarget <{annotation}#target> .",
                f"<{annotation}#target> a oa:SpecificResource ;",
                f"    oa:hasSource <{document}> ;",
                f"    oa:hasSelector <{annotation}#quote> , <{annotation}#position> .",
                f"<{annotation}#quote> a oa:TextQuoteSelector ;",
                f"    oa:exact {turtle(passage.exact)} ;",
                f"    oa:prefix {turtle(passage.prefix)} ;",
                f"    oa:suffix {turtle(passage.suffix)} .",
                f"<{annotation}#position> a oa:TextPositionSelector ;",
                f'    oa:start "{passage.start}"^^xsd:nonNegativeInteger ;',
                f'    oa:end "{passage.end}"^^xsd:nonNegativeInteger .',
            ]
            annotations += 1
    if missing:
        raise PassageError("\n".join(missing))
    for iri in sorted(statements):
        s, p, o = statements[iri]
        lines += ["", f"<{iri}> a rdf:Statement ;", f"    rdf:subject {term(s)} ;", f"    rdf:predicate {term(p)} ;",
                  f"    rdf:object {term(o)} ."]
    return "\n".join(lines) + "\n", annotations, len(statements)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds-dir", type=Path, default=REPO.parent / "shared" / "seeds", help="the seed texts")
    parser.add_argument("--out", type=Path, default=REPO / "data" / "passages", help="output directory")
    args = parser.parse_args(argv)
    world = Graph()
    for path in sorted((REPO / "data").rglob("*.ttl")):
        if "passages" not in path.parts:
            world.parse(path, format="turtle")
    texts = {}
    try:
        for path in sorted((REPO / "data" / "seeds").glob("*.ttl")):
            text, annotations, statements = build_one(path, args.seeds_dir, world)
            Graph().parse(data=text, format="turtle")  # a templating error stops here
            texts[path.name] = text
            print(f"{path.stem}: {annotations} annotations, {statements} statements")
    except (PassageError, OSError) as error:
        print(f"build_passages: {error}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (args.out / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
