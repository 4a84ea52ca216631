"""Tie the facts of the seed graphs to their passages in the seed texts, as W3C Web Annotations.

The script writes, into ``data/passages/<seed>.ttl``, ``oa:Annotation``s on the seed text
(``../shared/seeds/<hg:sourceFile>``):

* ``oa:hasTarget`` an ``oa:SpecificResource`` whose ``oa:hasSource`` is the document (``document:seed-NNN``)
  and whose selectors are an ``oa:TextQuoteSelector`` (``oa:exact`` the passage exactly as the seed text has it,
  line breaks included, with ``oa:prefix``/``oa:suffix``) and an ``oa:TextPositionSelector`` (``oa:start``,
  ``oa:end``: offsets in Unicode code points into the seed text, end exclusive, as the Web Annotation model fixes);
* ``oa:hasBody`` the facts the passage supports, each an ``rdf:Statement`` (RDF reification; one IRI per
  triple, the same in every annotation);
* ``hg:matchedBy`` how the passage was found for its facts (a concept of ``hg:PassageMatchScheme``):

  1. ``hg:MatchedByQuote``: every ``hg:quote`` of ``data/seeds/*.ttl``; the bodies are the quote statement and
     every statement of the same subject whose object the passage names (a number or date in the forms the seeds
     write them, or the text of a literal, or the label of the resource it points at);
  2. ``hg:MatchedByVerbatimText``: every other ``@nb``/``@nn`` literal the text has verbatim (at least
     ``VERBATIM_MINIMUM`` characters), with the same bodies;
  3. for each content fact still without a passage (:func:`match_by_text`): ``hg:MatchedByName`` (a name: where the
     text writes the resource's name), ``hg:MatchedByNameAndClass`` (a type: the name, or the sentence it stands in,
     holds the word for the class; :func:`class_passage`), ``hg:MatchedByLabelsInSentence`` (a sentence or list
     item naming subject and object), ``hg:MatchedByLabelsInList`` (a list naming one in its lead-in, the other in
     an item). These are the modellers' reading of the text; a fact the text does not support so stays without one;
  4. ``hg:MatchedByListOrder`` (:func:`match_scheme_lists`): where the text names every concept of a scheme close
     together, in the order of their notations, that list supports their membership, their broader/narrower links
     and their notations (the text lists them, it does not number them); their SKOS types come with it
     (``hg:MatchedByNameAndClass``);
  5. ``hg:MatchedByCuration``: the rows of ``data/passages/curated.tsv`` (``CURATED``), a verbatim quote the
     modellers chose for a fact the matching does not find; the script finds the quote's position itself, and a
     quote not in the text (or there more than once), a fact not in the seed graph, or a fact that already has a
     passage stops the build. Facts the seed text does not state are listed in ``data/passages/unstated.tsv``
     (``UNSTATED``) and get no passage: each is written as an ``rdf:Statement`` of its own (the same IRI as a body
     would have) with ``hg:notStatedIn`` the document and why in ``hg:inferenceNote`` (English), so that a query
     tells the modellers' readings from the facts not yet matched. A listed fact that has a passage after all (from
     the matching or a curated row), or a fact listed twice for one seed, stops the build.

A **content fact** is a triple of a seed graph that says something the document says (:func:`is_content`): not the
graph's own metadata (subject the seed graph IRI), not bookkeeping (``hg:quote``, ``prov:hadPrimarySource``,
``hg:sourceFile``), not the modellers' notes (``skos:editorialNote``, ``hg:inferenceNote``), not English literals
(the modellers' renderings of a Norwegian text), not the description of a reified quotation; and not what no
passage can state: the seed document's catalogue record (its ``dct:language`` and ``dct:type``: the modellers'
description of the whole file), the RDF Data Cube schema of seed 002's table (``qb:DataStructureDefinition`` and
its components: how the graph records the observations), and the cells of an RDF collection (``rdf:first``,
``rdf:rest``: parts of the fact whose object the collection is). Facts the seed graph repeats from the reference data
(:func:`is_reference`: municipality and organisation numbers, and any triple a graph of ``data/reference`` asserts
too, such as Levanger's type or Husbanken's name) are content but not the seed text's: their source is that graph,
which says where it comes from (``dct:source``, ``prov:wasDerivedFrom``), and they get no passage. The inferred
facts of ``data/derived`` are in graphs of their own (``hg:InferenceGraph``), not in the seed graphs, so they are
never asked for one. ``--report`` prints how many content facts have a passage, per seed and per predicate, from
the committed files; ``--report --uncovered`` lists the others by reason (:func:`category`).

A quote is matched against the text ignoring whitespace, hyphens and dashes, bullets and quotation marks, because
the graph joins the PDF's line breaks and hyphenations (docs/domain.md, "Source tags"); the selector's ``exact``
is the text as it stands in the seed. A quote of the seed graph with an ellipsis (``…``) is matched piece by
piece, one annotation per piece; a curated quote is matched whole (no ellipsis: quote one unbroken stretch). A quote that cannot be found stops the build (exit status 1) and nothing is written.

The seed texts stay outside the repository; the generated files are committed, and
``tests/test_passages.py`` checks every selector against the texts where they are present (always in CI).

Run from the repository root::

    .venv/bin/python scripts/build_passages.py --seeds-dir ../shared/seeds --out data/passages
    .venv/bin/python scripts/build_passages.py --report --uncovered

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
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD
from rdflib.util import from_n3

REPO = Path(__file__).resolve().parents[1]
HG = Namespace("https://w3id.org/helsegraf/ontology#")
HGID = "https://w3id.org/helsegraf/id/"
HGGRAPH = "https://w3id.org/helsegraf/graph/"
DCT = Namespace("http://purl.org/dc/terms/")
QB = Namespace("http://purl.org/linked-data/cube#")
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


@dataclass(frozen=True)
class Segment:
    """A sentence or list item of the seed text (``start``/``end`` code points, end exclusive), or a whole list."""

    start: int
    end: int
    item: bool = False
    marker: str = ""
    kind: str = "sentence"
    #: A list's lead-in ends here (its items follow).
    lead: int = 0


#: The bullet a line starts with: the seeds' own glyphs (004 writes ``ü``/``Å`` for its PDF bullets), a dash, or a
#: list number.
BULLET = re.compile(r"[ \t]*(?:[•▪⚫➢]|ü(?= )|Å(?=[A-ZÆØÅ])|[-–](?= )|\d{1,2}[.)](?= ))")
BULLET_LINE = re.compile(r"(?m)^" + BULLET.pattern)
#: A full stop, question or exclamation mark that ends a sentence: the next word starts with a capital or digit.
SENTENCE_END = re.compile(r"[.!?](?=(?:[ \t\u00a0]+\n?|\n)[ \t\u00a0]*[«\"(]?[A-ZÆØÅ0-9])")
#: A blank line: a break between segments unless the text goes on in lower case (a PDF page or column break).
BLANK = re.compile(r"\n[ \t\u00a0]*\n\s*")


def segments(text: str) -> list[Segment]:
    """The sentences and list items of ``text``, then every list (its lead-in and its items) as one segment.

    >>> text = "Om planen\\n\\nDen vedtok. Dette er\\nen kortversjon.\\n• a\\n• b"
    >>> [text[s.start:s.end] for s in segments(text)]
    ['Om planen', 'Den vedtok.', 'Dette er\\nen kortversjon.', 'a', 'b', 'Dette er\\nen kortversjon.\\n• a\\n• b']
    """
    bullets = {m.start(): m.end() for m in BULLET_LINE.finditer(text)}
    cuts = {0, len(text), *bullets}
    cuts.update(m.end() for m in SENTENCE_END.finditer(text))
    cuts.update(m.start() for m in BLANK.finditer(text) if not text[m.end():m.end() + 1].islower())
    found = []
    bounds = sorted(cuts)
    for begin, finish in zip(bounds, bounds[1:], strict=False):
        marker = text[begin:bullets[begin]].strip() if begin in bullets else ""
        start = bullets.get(begin, begin)
        while start < finish and text[start].isspace():
            start += 1
        end = begin + len(text[begin:finish].rstrip())
        if end > start and any(c.isalnum() for c in text[start:end]):
            found.append(Segment(start, end, bool(marker), marker))
    # A list: the segment before a run of items with the same bullet (its lead-in), and the run. A sentence that
    # goes on inside an item stays in the run; one that ends without a full stop (a heading) ends it.
    # A page break (two blank lines or more) ends it too.
    def heading(segment: Segment) -> bool:
        return text[segment.end - 1] not in ".!?)»”"

    def near(first: Segment, second: Segment) -> bool:
        return text[first.end:second.start].count("\n") < 3

    lists, index = [], 1
    while index < len(found):
        here = found[index]
        if here.item and found[index - 1].marker != here.marker:
            last = index
            while last + 1 < len(found):
                after = found[last + 1]
                if not near(found[last], after):
                    break
                if after.item and after.marker == here.marker:
                    last += 1
                elif (not after.item and not heading(after) and last + 2 < len(found)
                      and found[last + 2].marker == here.marker and near(after, found[last + 2])):
                    last += 2
                else:
                    break
            if last > index:
                lists.append(Segment(found[index - 1].start, found[last].end, kind="list", lead=found[index - 1].end))
            index += 1
        else:
            index += 1
    return found + lists


def fold(text: str) -> str:
    """``text`` in lower case, one character for one (so offsets stay valid)."""
    return "".join(c.casefold() if len(c.casefold()) == 1 else c for c in text)


class Text:
    """A seed text with what the matching needs: its squeezed form, its segments, the places each name stands."""

    def __init__(self, text: str):
        self.text = text
        self.squeezed, self.offsets = squeeze(text)
        self.folded = fold(self.squeezed)
        self.segments = segments(text)
        self._places: dict[str, list[tuple[int, int]]] = {}

    def places(self, name: str) -> list[tuple[int, int]]:
        """Where ``name`` stands in the text as a word or words of its own (case, spacing and hyphens aside)."""
        needle = fold(squeeze(name)[0]).strip(".,;:")
        if needle not in self._places:
            found, at = [], self.folded.find(needle) if len(needle) >= 3 else -1
            while at >= 0:
                start, end = self.offsets[at], self.offsets[at + len(needle) - 1] + 1
                before = self.text[start - 1] if start else " "
                after = self.text[end] if end < len(self.text) else " "
                if not before.isalnum() and not after.isalnum():
                    found.append((start, end))
                at = self.folded.find(needle, at + 1)
            self._places[needle] = found
        return self._places[needle]

    def private(self, segment: Segment) -> bool:
        """Whether the segment names a person the graph leaves out (docs/domain.md, privacy note)."""
        return any(inside(self.places(person), segment) for person in PERSONS)

    def passage(self, start: int, end: int) -> Passage:
        """The passage at ``start``–``end`` with up to ``CONTEXT`` characters either side, the context cut short
        before a person's name (the graph keeps posts, not persons; the name stays only where the passage itself
        is a quote that holds it)."""
        text = self.text
        before, after = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
        for person in PERSONS:
            for a, b in self.places(person):
                if before < b <= start:
                    before = b
                if end <= a < after:
                    after = a
        return Passage(start, end, text[start:end], text[before:start], text[end:after])


#: Persons the seeds name in official roles (003 by an e-mail address): the graph keeps their posts only, and no
#: passage matched by names is chosen that names them (the quotes' own passages are the text the graph quotes).
PERSONS = ("Peter Ardon", "Anne Lise Kvannli", "Renate Hovdal", "Øvregård", "odd.ivar.ovregard", "ovregard")
#: How an annotation's passage was found for its facts (``hg:matchedBy``; the concepts are in the ontology).
QUOTE_MATCH = HG.MatchedByQuote
VERBATIM_MATCH = HG.MatchedByVerbatimText
NAME_MATCH = HG.MatchedByName
SENTENCE_MATCH = HG.MatchedByLabelsInSentence
LIST_MATCH = HG.MatchedByLabelsInList
LIST_ORDER_MATCH = HG.MatchedByListOrder
CLASS_MATCH = HG.MatchedByNameAndClass
CURATED_MATCH = HG.MatchedByCuration

#: Predicates whose object is a name of the subject: the passage is where the text writes that name.
NAME_PREDICATES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCT.title, DCT.alternative)
#: Bookkeeping: how the graph records its sources, not what the document says.
BOOKKEEPING = (HG.quote, PROV.hadPrimarySource, HG.sourceFile)
#: The modellers' notes (in English) on a resource: about the modelling, not facts of the text.
NOTES = (SKOS.editorialNote, HG.inferenceNote)
#: Facts a seed graph repeats from the reference data: their source is the register (SSB, Enhetsregisteret).
REFERENCE_PREDICATES = (HG.municipalityNumber, HG.organisationNumber)
#: The catalogue record of a seed document (what kind of text it is, the language it is written in): a description
#: of the whole file by the modellers, which no passage states.
CATALOGUE_PREDICATES = (DCT.language, DCT.type)
#: The modellers' schema of a statistical table (RDF Data Cube): how the graph records the observations, not what the
#: text says (the observations themselves are content).
SCHEMA_PREDICATES = (QB.structure, QB.component, QB.dimension, QB.measure, QB.attribute, QB.order,
                     QB.componentRequired)
#: The cells of an RDF collection: parts of the one fact whose object the collection is.
COLLECTION_PREDICATES = (RDF.first, RDF.rest)
NUMERIC = (XSD.integer, XSD.nonNegativeInteger, XSD.decimal, XSD.date, XSD.gYear, XSD.gYearMonth, XSD.double,
           XSD.positiveInteger, XSD.int)


def is_content(graph: Graph, graph_iri: URIRef, fact: tuple) -> bool:
    """Whether ``fact`` is a content fact: a triple of the seed graph that says something the document says.

    Not content: the graph's own metadata (subject the graph IRI), bookkeeping (``hg:quote``,
    ``prov:hadPrimarySource``, ``hg:sourceFile``), the modellers' notes (``skos:editorialNote``,
    ``hg:inferenceNote``), the seed document's catalogue record (``dct:language``, ``dct:type``), the schema of a
    statistical table (``qb:DataStructureDefinition`` and its components), the cells of an RDF collection, English
    literals (the modellers' renderings of a Norwegian text), and the description of a reified quotation
    (``rdf:Statement`` with ``hg:quotedFromOtherSource``).
    """
    s, p, o = fact
    if s == graph_iri or p in BOOKKEEPING or p in NOTES or p in SCHEMA_PREDICATES or p in COLLECTION_PREDICATES:
        return False
    if p in CATALOGUE_PREDICATES and (s, RDF.type, HG.SourceDocument) in graph:
        return False
    if (s, RDF.type, QB.DataStructureDefinition) in graph:
        return False
    if isinstance(o, Literal) and o.language == "en":
        return False
    return (s, RDF.type, RDF.Statement) not in graph


def reference_graph() -> Graph:
    """The reference data (``data/reference``): registers and hand-kept lists, each graph naming its own sources."""
    found = Graph()
    for path in sorted((REPO / "data" / "reference").glob("*.ttl")):
        found.parse(path, format="turtle")
    return found


def is_reference(reference: Graph, fact: tuple) -> bool:
    """Whether a content fact is one the seed graph repeats from the reference data, whose source it is.

    An identifier from a register (``REFERENCE_PREDICATES``), or any triple a graph of ``data/reference`` asserts
    too (Levanger is an ``hg:Municipality``, Helse Bergen an ``hg:HealthTrust``, Husbanken is called «Husbanken»):
    that graph says where it comes from (``dct:source``, ``prov:wasDerivedFrom``), so the fact gets no seed passage.
    """
    return fact[1] in REFERENCE_PREDICATES or fact in reference


def category(graph: Graph, reference: Graph, fact: tuple, unstated: dict) -> str:
    """Why a content fact without a passage has none (the order of the tests matters: the first that fits)."""
    s, p, o = fact
    if is_reference(reference, fact):
        return "reference data (own source: data/reference; not a fact of the seed text)"
    if fact in unstated:
        return f"unstated (the seed text does not state it: {unstated[fact]})"
    if p == SKOS.notation:
        return "list position (skos:notation: the text does not name its scheme's concepts together in this order)"
    if p == RDF.type:
        return "type (no passage writes the resource's name with the word for its class, nor lists its scheme)"
    if p in NAME_PREDICATES:
        return "name (not written verbatim, or too short and written more than once)"
    if isinstance(o, URIRef):
        return "link (subject and object not named together in one sentence or list)"
    return "value (not written in one sentence or list with its subject's name)"


def name_variants(label: str, comma: bool = True) -> list[str]:
    """A label, and its head without the modellers' qualifier (``… (helsebygg i Levanger)``; with ``comma`` also
    ``…, Levanger kommune``, which names the resource in a sentence but is too short to vouch for the label).

    >>> name_variants("Tjenestekonsept (helsebygg i Levanger)")
    ['Tjenestekonsept (helsebygg i Levanger)', 'Tjenestekonsept']
    """
    found = [label]
    head = re.sub(r"\s*\([^)]*\)\s*$", "", label).strip()
    if head and head not in found:
        found.append(head)
    if comma and ", " in head and len(head.split(", ")[0]) >= 4 and head.split(", ")[0] not in found:
        found.append(head.split(", ")[0])
    return found


def names_of(world: Graph, node, comma: bool = True) -> list[str]:
    """The Norwegian (or language-less) names of a resource, with their heads."""
    found: list[str] = []
    for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCT.title):
        for label in world.objects(node, prop):
            if isinstance(label, Literal) and label.language in ("nb", "nn", "no", None):
                found += [v for v in name_variants(str(label), comma) if v not in found]
    return found


def writes_value(text: Text, segment: Segment, obj) -> bool:
    """Whether the segment writes the literal ``obj`` (a number or date in the seeds' forms, or a text)."""
    if isinstance(obj, Literal) and obj.datatype in NUMERIC:
        folded = fold(text.text[segment.start:segment.end])
        return any(re.search(rf"(?<![\w,.]){re.escape(fold(f))}(?![\w]|,\d)", folded) for f in forms(obj))
    return any(segment.start <= a and b <= segment.end for a, b in text.places(str(obj)))


def inside(places, segment: Segment) -> bool:
    return any(segment.start <= a and b <= segment.end for a, b in places)


def name_place(text: Text, candidates: list[str], own: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Where the text writes one of the names: inside one of the resource's quoted passages if it stands there,
    else its one place, else its first place when it is long enough to be unambiguous (``VERBATIM_MINIMUM``)."""
    for name in candidates:
        places = [(a, b) for a, b in text.places(name) if not text.private(Segment(a, b))]
        if not places:
            continue
        in_quote = [(a, b) for a, b in places if any(qa <= a and b <= qb for qa, qb in own)]
        if in_quote:
            return in_quote[0]
        if len(places) == 1 or len(squeeze(name)[0]) >= VERBATIM_MINIMUM:
            return places[0]
    return None


def class_words(ontology: Graph, cls) -> list[str]:
    """The word a Norwegian text names the class by: the last word of its ``@nb``/``@nn`` label, without the last
    letter (the inflection: «styringsgruppe» stands as «styringsgruppa», «kommunestyre» as «kommunestyret»).

    >>> class_words(Graph().parse(data='<x:c> <http://www.w3.org/2000/01/rdf-schema#label> "Heldøgns omsorgsbolig"@nb .', format="turtle"), URIRef("x:c"))
    ['omsorgsboli']
    """
    found = []
    for label in ontology.objects(cls, RDFS.label):
        if isinstance(label, Literal) and label.language in ("nb", "nn"):
            word = fold(str(label).split()[-1])
            stem = word[:-1] if len(word) > 4 else word
            if stem not in found:
                found.append(stem)
    return found


def class_passage(text: Text, ontology: Graph, cls, name: tuple[int, int]) -> tuple | None:
    """The passage that supports ``s rdf:type cls`` where the text writes s's name at ``name``: the name itself if
    it holds the word for the class («Enhet bolig og mestring»), else the sentence the name stands in if that holds
    it; ``None`` when neither says what kind of thing s is."""
    words = class_words(ontology, cls)

    def holds(start: int, end: int) -> bool:
        return any(re.search(rf"(?<!\w){re.escape(word)}", fold(text.text[start:end])) for word in words)

    if holds(*name):
        return (*name, CLASS_MATCH)
    for segment in text.segments:
        if (segment.kind == "sentence" and segment.start <= name[0] and name[1] <= segment.end
                and not text.private(segment) and holds(segment.start, segment.end)):
            return segment.start, segment.end, CLASS_MATCH
    return None


def match_by_text(world: Graph, ontology: Graph, text: Text, fact: tuple, quoted: dict) -> tuple | None:
    """(passage start, end, how) for a fact no quote supports, or ``None`` when the text does not support it.

    A name (label, title) gets the place where the text writes it: inside one of the subject's quoted passages if
    it stands there, else its one place, else its first place when it is long enough to be unambiguous
    (``VERBATIM_MINIMUM``). A type gets the passage of the subject's name. Any other fact gets the first sentence or
    list item (then the first list) that names both the subject (by a name, or by holding one of its quoted
    passages) and the object (by a name, or the value as the seeds write it); a ``skos:notation`` is written when
    the item naming the subject is numbered with it.
    """
    s, p, o = fact
    own = quoted.get(s, [])
    if p in NAME_PREDICATES:
        where = name_place(text, name_variants(str(o), comma=False), own)
        return None if where is None else (*where, NAME_MATCH)
    if p == RDF.type:
        where = name_place(text, names_of(world, s, comma=False), own)
        return None if where is None else class_passage(text, ontology, o, where)
    subject_places = [pl for name in names_of(world, s) for pl in text.places(name)]
    object_places = [pl for name in names_of(world, o) for pl in text.places(name)] if isinstance(o, URIRef) else []

    def subject_in(segment: Segment) -> list[tuple[int, int]] | None:
        """The subject's places in the segment (empty when it holds one of its quotes), ``None`` if not named."""
        named = [(a, b) for a, b in subject_places if segment.start <= a and b <= segment.end]
        if named:
            return named
        return [] if any(a < segment.end and segment.start < b for a, b in own) else None

    def object_in(segment: Segment, named: list[tuple[int, int]]) -> bool:
        if p == SKOS.notation:
            return segment.marker.rstrip(".)") == str(o)
        if isinstance(o, URIRef):
            # The object's name must stand apart from the subject's («kommunalsjef helse og velferd» does not
            # name the unit «Helse og velferd» beside the post).
            return any(segment.start <= a and b <= segment.end and all(b <= c or d <= a for c, d in named)
                       for a, b in object_places)
        return writes_value(text, segment, o)

    for segment in text.segments:
        if segment.kind == "sentence" and not text.private(segment):
            named = subject_in(segment)
            if named is not None and object_in(segment, named):
                return segment.start, segment.end, SENTENCE_MATCH
    # A list supports the fact when one of the two is named in its lead-in and the other in its items.
    for segment in text.segments:
        if segment.kind == "list" and not text.private(segment) and p != SKOS.notation:
            lead, items = Segment(segment.start, segment.lead), Segment(segment.lead, segment.end)
            for first, second in ((lead, items), (items, lead)):
                named = subject_in(first)
                if named is not None and object_in(second, named):
                    return segment.start, segment.end, LIST_MATCH
    return None


#: The most characters between two consecutive concepts of a scheme where the text lists them: the items of one
#: list stand close together; a wider gap means the names were found in different parts of the text.
LIST_GAP = 300
#: SKOS structure between the concepts of one scheme that the list the scheme renders supports.
SCHEME_LINKS = (SKOS.inScheme, SKOS.topConceptOf, SKOS.broader, SKOS.narrower)


def notation_key(notation) -> tuple[int, ...] | None:
    """The place a ``skos:notation`` gives (``"3"``, ``"1.2"``, ``"S1.2"`` for strategy 1's second measure).

    >>> notation_key(Literal("S1.2")), notation_key(Literal("a"))
    ((1, 2), None)
    """
    if notation is None or not re.fullmatch(r"[A-Z]?\d+(?:\.\d+)*", str(notation)):
        return None
    return tuple(int(part) for part in re.findall(r"\d+", str(notation)))


def listed_in_order(text: Text, places: list[list[tuple[int, int]]]) -> tuple[int, int] | None:
    """The span from the first to the last name where the text names each group's name after the one before (at
    most ``LIST_GAP`` characters later), trying each place of the first; ``None`` when the text does not."""
    for first in places[0] if places else []:
        chain = [first]
        for candidates in places[1:]:
            following = [pl for pl in candidates if chain[-1][1] <= pl[0] <= chain[-1][1] + LIST_GAP]
            if not following:
                break
            chain.append(following[0])
        if len(chain) == len(places) and not text.private(Segment(chain[0][0], chain[-1][1])):
            return chain[0][0], chain[-1][1]
    return None


def match_scheme_lists(graph: Graph, world: Graph, text: Text) -> dict[tuple, list[tuple]]:
    """For each concept scheme whose every concept the text names, one after the other, where it lists them: the
    facts that list supports (``hg:MatchedByListOrder``), and the concepts' and scheme's SKOS types
    (``hg:MatchedByNameAndClass``: a list the scheme renders is a scheme, its items are concepts).

    The concepts are taken in the order of their notations when every one has one (so the list also supports each
    notation), else in the order the text first names them.
    """
    found: dict[tuple, list[tuple]] = {}
    for scheme in sorted(set(graph.objects(None, SKOS.inScheme))):
        members = sorted(set(graph.subjects(SKOS.inScheme, scheme)))
        places = {m: sorted(pl for name in names_of(world, m, comma=False) for pl in text.places(name)) for m in members}
        if not all(places.values()):
            continue
        keys = {m: notation_key(graph.value(m, SKOS.notation)) for m in members}
        numbered = all(keys.values()) and len(set(keys.values())) == len(members)
        order = sorted(members, key=lambda m: keys[m] if numbered else places[m][0])  # type: ignore[arg-type,return-value]
        span = listed_in_order(text, [places[m] for m in order])
        if span is None:
            continue
        facts = [(m, p, o) for m in members for p in SCHEME_LINKS for o in graph.objects(m, p)
                 if o == scheme or o in members]
        facts += [(scheme, SKOS.hasTopConcept, m) for m in members if (scheme, SKOS.hasTopConcept, m) in graph]
        if numbered:
            facts += [(m, SKOS.notation, graph.value(m, SKOS.notation)) for m in members]
        types = [(node, RDF.type, cls) for node, cls in [(scheme, SKOS.ConceptScheme)] + [(m, SKOS.Concept) for m in members]
                 if (node, RDF.type, cls) in graph]
        found.setdefault((*span, LIST_ORDER_MATCH), []).extend(facts)
        found.setdefault((*span, CLASS_MATCH), []).extend(types)
    return found


#: The curated passages: rows of seed number, subject, predicate, object (Turtle terms with the seed graph's
#: prefixes) and a verbatim quote of the seed text that states the fact, tab-separated; ``#`` starts a comment.
CURATED = REPO / "data" / "passages" / "curated.tsv"
#: Facts of the seed graphs the seed text does not state (same columns, the last one says why): listed, no passage.
UNSTATED = REPO / "data" / "passages" / "unstated.tsv"


@dataclass(frozen=True)
class Row:
    """One row of a curated file: where it stands (for the error messages), the seed, the fact, the last column."""

    line: str
    seed: str
    fact: tuple
    text: str


def read_rows(path: Path, graphs: dict[str, Graph], only: bool = False) -> list[Row]:
    """The rows of ``path`` (none if there is no such file), each fact checked against its seed graph.

    A row naming a seed that does not exist, a term that does not parse, or a fact its seed graph does not assert
    stops the build (:class:`PassageError`). With ``only``, rows of seeds not in ``graphs`` are skipped.
    """
    if not path.exists():
        return []
    rows, errors = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        where = f"{path.name}:{number}"
        cells = line.split("\t")
        if only and cells[0] not in graphs:
            continue
        if len(cells) != 5 or cells[0] not in graphs:
            errors.append(f"{where}: not five tab-separated columns starting with a seed number: {line!r}")
            continue
        graph = graphs[cells[0]]
        try:
            fact = tuple(from_n3(cell.strip(), nsm=graph.namespace_manager) for cell in cells[1:4])
        except Exception as error:  # rdflib raises several kinds for a malformed term
            errors.append(f"{where}: a term does not parse ({error}): {line!r}")
            continue
        if fact not in graph:
            errors.append(f"{where}: not a fact of the seed graph {cells[0]}: {' '.join(cells[1:4])}")
            continue
        rows.append(Row(where, cells[0], fact, cells[4].strip()))
    if errors:
        raise PassageError("\n".join(errors))
    return rows


def locate_once(quote: str, text: Text) -> Passage:
    """The one place of a curated quote in the seed text; a quote not there, or there more than once, is an error
    (the position is the script's to find, and only a quote that stands once fixes it)."""
    passage = locate(quote, text.text, text.squeezed, text.offsets)
    needle = squeeze(quote)[0]
    if text.squeezed.find(needle, text.squeezed.find(needle) + 1) >= 0:
        raise PassageError(f"more than once in the seed text, quote more of it: {quote!r}")
    return passage


def curated_passages(rows: list[Row], text: Text, graph_iri: URIRef, graph: Graph, reference: Graph,
                     covered: set) -> dict[tuple, list[tuple]]:
    """The passages of one seed's curated rows, with their facts; every failure is listed, then the build stops.

    A row is an error when its quote is not in the text (or not once), or its fact is not a content fact of the
    seed text (bookkeeping, reference data) or already has a passage from the matching (drop the row then).
    """
    found: dict[tuple, list[tuple]] = {}
    errors = []
    for row in rows:
        if not is_content(graph, graph_iri, row.fact) or is_reference(reference, row.fact):
            errors.append(f"{row.line}: not a content fact of the seed text: {row.fact}")
        elif row.fact in covered:
            errors.append(f"{row.line}: already has a passage, drop the row: {row.fact}")
        else:
            try:
                passage = locate_once(row.text, text)
            except PassageError as error:
                errors.append(f"{row.line}: {error}")
                continue
            facts = found.setdefault((passage.start, passage.end, CURATED_MATCH), [])
            if row.fact not in facts:
                facts.append(row.fact)
    if errors:
        raise PassageError("\n".join(errors))
    return found


def annotation_lines(annotation: str, document, bodies: list[str], how, passage: Passage) -> list[str]:
    return [
        "",
        f"<{annotation}> a oa:Annotation ;",
        "    oa:motivatedBy oa:identifying ;",
        f"    hg:matchedBy <{how}> ;",
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


def not_stated(unstated: list[Row], statements: dict[str, tuple]) -> dict[str, Row]:
    """The statements of one seed's unstated rows, by IRI; a row whose fact has a passage stops the build.

    A fact is either what the text states (a body of an annotation) or the modellers' reading (not stated): both at
    once would tell a researcher two things about one document.
    """
    clashes = [f"{row.line}: listed as not stated, but the seed text has a passage for it (drop the row, or the "
               f"curated passage): {row.fact}" for row in unstated if statement_iri(*row.fact) in statements]
    if clashes:
        raise PassageError("\n".join(clashes))
    return {statement_iri(*row.fact): row for row in unstated}


def statement_lines(iri: str, fact: tuple, document, reading: Row | None) -> list[str]:
    """One reified fact; a reading (an unstated row) says which document does not state it, and why."""
    s, p, o = fact
    lines = ["", f"<{iri}> a rdf:Statement ;", f"    rdf:subject {term(s)} ;", f"    rdf:predicate {term(p)} ;",
             f"    rdf:object {term(o)} ."]
    if reading is not None:
        lines[-1] = lines[-1][:-2] + " ;"
        lines += [f"    hg:notStatedIn <{document}> ;", f"    hg:inferenceNote {turtle(reading.text)}@en ."]
    return lines


def build_one(path: Path, seeds_dir: Path, world: Graph, reference: Graph, ontology: Graph,
              curated: list[Row], unstated: list[Row] = ()) -> tuple[str, int, int, int]:
    """The Turtle of one seed's passages; with the number of annotations, of fact statements (bodies) and of
    statements marked not stated in it."""
    graph = Graph().parse(path, format="turtle")
    stem = path.stem
    number = stem[:3]
    document = URIRef(f"{HGID}document/seed-{number}")
    source_file = str(graph.value(document, HG.sourceFile))
    seed = Text((seeds_dir / source_file).read_text(encoding="utf-8"))
    text, squeezed, offsets = seed.text, seed.squeezed, seed.offsets
    graph_iri = f"{HGGRAPH}data/passages/{stem}"
    # The Norwegian title in the document's own written standard (the Nynorsk check reads it too).
    nynorsk = graph.value(document, DCT.language) == URIRef(NYNORSK)
    title = f'"Passasjar i seed {number} (sitat og posisjon)"@nn' if nynorsk else f'"Passasjer i seed {number} (sitat og posisjon)"@nb'

    lines = [
        f"# Passages of seed {number} ({source_file}): the facts of data/seeds/{stem}.ttl as W3C Web Annotations",
        "# on the seed text. Generated by scripts/build_passages.py — do not edit; re-run the script.",
        "",
        "@prefix oa:   <http://www.w3.org/ns/oa#> .",
        "@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .",
        "@prefix dct:  <http://purl.org/dc/terms/> .",
        "@prefix prov: <http://www.w3.org/ns/prov#> .",
        "@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix hg:   <https://w3id.org/helsegraf/ontology#> .",
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
        if p != HG.quote and isinstance(o, Literal) and o.language in ("nb", "nn") and not is_reference(reference, (s, p, o))
        and len(squeeze(str(o))[0]) >= VERBATIM_MINIMUM and squeeze(str(o))[0] in squeezed
    ]
    missing = []
    covered: set[tuple] = set()
    quote_places: dict = {}
    for subject, predicate, evidence, required in quoted + verbatim:
        for index, piece in enumerate(pieces(str(evidence)) if required else [str(evidence)]):
            try:
                found_at = locate(piece, text, squeezed, offsets)
            except PassageError as error:
                missing.append(f"{stem}: {subject}: {error}")
                continue
            passage = seed.passage(found_at.start, found_at.end)
            if required:
                quote_places.setdefault(subject, []).append((passage.start, passage.end))
            facts = [(subject, predicate, evidence)] + [
                fact for fact in supported(graph, world, subject, piece)
                if fact[1:] != (predicate, evidence) and not is_reference(reference, fact)
            ]
            key = digest(subject, evidence) if required else digest(subject, predicate, evidence)
            annotation = f"{HGID}annotation/seed-{number}-{key[:16]}" + (f"-{index + 1}" if index else "")
            bodies = []
            for fact in facts:
                iri = statement_iri(*fact)
                statements[iri] = fact
                covered.add(fact)
                bodies.append(f"<{iri}>")
            lines += annotation_lines(annotation, document, bodies, QUOTE_MATCH if required else VERBATIM_MATCH,
                                      passage)
            annotations += 1
    if missing:
        raise PassageError("\n".join(missing))
    # The content facts no quote or verbatim literal supports: matched by the names the text writes.
    found: dict[tuple, list[tuple]] = {}
    for fact in sorted(graph):
        if (fact in covered or not is_content(graph, URIRef(f"{HGGRAPH}data/seeds/{stem}"), fact)
                or is_reference(reference, fact)):
            continue
        where = match_by_text(world, ontology, seed, fact, quote_places)
        if where is not None:
            found.setdefault(where, []).append(fact)
            covered.add(fact)
    for where, facts in match_scheme_lists(graph, world, seed).items():
        for fact in facts:
            if fact not in covered and fact not in found.get(where, []):
                found.setdefault(where, []).append(fact)
                covered.add(fact)
    # Last, the passages the modellers chose for facts the matching does not find.
    for where, facts in curated_passages(curated, seed, URIRef(f"{HGGRAPH}data/seeds/{stem}"), graph, reference,
                                         covered).items():
        found.setdefault(where, []).extend(facts)
    for (start, end, how), facts in sorted(found.items(), key=lambda item: (item[0][0], item[0][1], str(item[0][2]))):
        annotation = f"{HGID}annotation/seed-{number}-{digest(str(start), str(end), str(how))[:16]}"
        bodies = []
        for fact in facts:
            iri = statement_iri(*fact)
            statements[iri] = fact
            bodies.append(f"<{iri}>")
        lines += annotation_lines(annotation, document, bodies, how, seed.passage(start, end))
        annotations += 1
    bodies = len(statements)
    # The facts the text does not state, reified like the bodies (same IRI for the same triple), so that a query
    # finds them as readings of this document rather than as facts merely without a passage yet.
    readings = not_stated(list(unstated), statements)
    statements.update({iri: row.fact for iri, row in readings.items()})
    for iri in sorted(statements):
        lines += statement_lines(iri, statements[iri], document, readings.get(iri))
    return "\n".join(lines) + "\n", annotations, bodies, len(readings)


OA = Namespace("http://www.w3.org/ns/oa#")


@dataclass
class Coverage:
    """Which content facts of one seed graph have a passage of their own, and how it was matched."""

    seed: str
    content: list[tuple]
    matched: dict[tuple, set]
    uncovered: dict[str, list[tuple]]
    #: The content facts the seed graph repeats from the reference data (:func:`is_reference`).
    reference: list[tuple]

    @property
    def text_facts(self) -> int:
        """The content facts that are the seed text's to support (reference data has its own source)."""
        return len(self.content) - len(self.reference)


def coverage(seed_graph: Path, passages: Path, reference: Graph | None = None) -> Coverage:
    """Read one seed graph and its passages file (no seed text needed) and sort its content facts."""
    reference = reference_graph() if reference is None else reference
    graph = Graph().parse(seed_graph, format="turtle")
    annotated = Graph().parse(passages, format="turtle")
    graph_iri = URIRef(f"{HGGRAPH}data/seeds/{seed_graph.stem}")
    unstated = {row.fact: row.text for row in read_rows(UNSTATED, {seed_graph.stem[:3]: graph}, only=True)}
    matched: dict[tuple, set] = {}
    for annotation in annotated.subjects(RDF.type, OA.Annotation):
        how = annotated.value(annotation, HG.matchedBy)
        for st in annotated.objects(annotation, OA.hasBody):
            fact = (annotated.value(st, RDF.subject), annotated.value(st, RDF.predicate), annotated.value(st, RDF.object))
            matched.setdefault(fact, set()).add(how)
    content = [fact for fact in sorted(graph) if is_content(graph, graph_iri, fact)]
    uncovered: dict[str, list[tuple]] = {}
    for fact in content:
        if fact not in matched:
            uncovered.setdefault(category(graph, reference, fact, unstated), []).append(fact)
    return Coverage(seed_graph.stem, content, {f: h for f, h in matched.items() if f in set(content)}, uncovered,
                    [fact for fact in content if is_reference(reference, fact)])


def short(node) -> str:
    text = str(node)
    for base, prefix in ((HGID, ""), (str(HG), "hg:"), (str(RDFS), "rdfs:"), (str(SKOS), "skos:"), (str(DCT), "dct:"),
                         (str(RDF), "rdf:"), (str(PROV), "prov:"), ("http://www.w3.org/ns/org#", "org:")):
        if text.startswith(base):
            return prefix + text[len(base):]
    return text


def report(seeds: Path, passages: Path, uncovered: bool) -> str:
    """Coverage per seed and per predicate, and (with ``uncovered``) every content fact without a passage."""
    lines, per_predicate = [], {}
    total = [0, 0, 0]
    reference = reference_graph()
    results = [coverage(path, passages / path.name, reference) for path in sorted(seeds.glob("*.ttl"))]
    for result in results:
        lines.append(f"{result.seed}: {len(result.matched)} of {result.text_facts} seed-text facts have a passage"
                     f" ({len(result.reference)} more are reference data)")
        total[0] += len(result.matched)
        total[1] += result.text_facts
        total[2] += len(result.reference)
        for fact in result.content:
            counts = per_predicate.setdefault(short(fact[1]), [0, 0])
            counts[0 if fact in result.matched else 1] += 1
    lines.append(f"total: {total[0]} of {total[1]} ({100 * total[0] / max(total[1], 1):.1f} %); reference data {total[2]}")
    lines.append("per predicate (with a passage / without):")
    lines += [f"  {p}: {c[0]} / {c[1]}" for p, c in sorted(per_predicate.items(), key=lambda item: -sum(item[1]))]
    if uncovered:
        by_category: dict[str, list[str]] = {}
        for result in results:
            for name, facts in result.uncovered.items():
                by_category.setdefault(name, []).extend(
                    f"{result.seed[:3]} {short(s)} {short(p)} {short(o)[:60]}" for s, p, o in facts)
        for name, facts in sorted(by_category.items()):
            lines.append(f"without a passage: {name}: {len(facts)}")
            lines += [f"  {fact}" for fact in facts]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds-dir", type=Path, default=REPO.parent / "shared" / "seeds", help="the seed texts")
    parser.add_argument("--out", type=Path, default=REPO / "data" / "passages", help="output directory")
    parser.add_argument("--curated", type=Path, default=CURATED, help="the curated passages (TSV)")
    parser.add_argument("--unstated", type=Path, default=UNSTATED, help="the facts the seed texts do not state (TSV)")
    parser.add_argument("--report", action="store_true", help="print the coverage of the committed files and stop")
    parser.add_argument("--uncovered", action="store_true", help="with --report: list every fact without a passage")
    args = parser.parse_args(argv)
    if args.report:
        print(report(REPO / "data" / "seeds", args.out, args.uncovered))
        return 0
    world = Graph()
    for path in sorted((REPO / "data").rglob("*.ttl")):
        if path.relative_to(REPO / "data").parts[0] != "passages":  # not path.parts: the checkout may be "passages"
            world.parse(path, format="turtle")
    texts = {}
    reference = reference_graph()
    ontology = Graph().parse(REPO / "ontology" / "helsegraf.ttl", format="turtle")
    seeds = sorted((REPO / "data" / "seeds").glob("*.ttl"))
    try:
        graphs = {path.stem[:3]: Graph().parse(path, format="turtle") for path in seeds}
        curated = read_rows(args.curated, graphs)
        # Per seed: a triple two seed graphs share can be stated by one text and not by the other.
        unstated_rows = read_rows(args.unstated, graphs)
        keys = [(row.seed, row.fact) for row in unstated_rows]
        both = set(keys) & {(row.seed, row.fact) for row in curated}
        if both:
            raise PassageError(f"{args.unstated.name}: curated as stated too: {sorted(both)}")
        # One reason per reading: two rows would give its statement two notes.
        twice = [row.line for row, key in zip(unstated_rows, keys, strict=True) if keys.count(key) > 1]
        if twice:
            raise PassageError(f"{args.unstated.name}: a fact listed more than once for its seed: {twice}")
        for path in seeds:
            rows = [row for row in curated if row.seed == path.stem[:3]]
            readings = [row for row in unstated_rows if row.seed == path.stem[:3]]
            text, annotations, statements, marked = build_one(path, args.seeds_dir, world, reference, ontology, rows,
                                                              readings)
            Graph().parse(data=text, format="turtle")  # a templating error stops here
            texts[path.name] = text
            print(f"{path.stem}: {annotations} annotations, {statements} statements, {marked} not stated")
    except (PassageError, OSError) as error:
        print(f"build_passages: {error}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (args.out / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
