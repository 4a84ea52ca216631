"""Resource pages show the passages of the seed documents their facts come from (issue 15), over real HTTP.

A real ``helsegraf serve`` on the bundled graph (the ``live_server`` fixture); the passages, their offsets and the
facts they support are read from the committed ``data/passages`` files, so the page is checked against the
annotations it renders (and against the seed text where ``../shared/seeds`` is present).
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
import requests
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from harness import ROOT

pytestmark = pytest.mark.integration

OA = Namespace("http://www.w3.org/ns/oa#")
HG = Namespace("https://w3id.org/helsegraf/ontology#")
ID = "https://w3id.org/helsegraf/id/"
SERVICE = "service/levanger-eplehagen-ambulante-tjenester"  # Eplehagen's ambulant services (seed 002)
PASSAGES = ROOT / "data" / "passages" / "002-levanger-orientering.ttl"


def selector_of(subject: str, predicate: URIRef) -> tuple[str, str, str, int, int]:
    """(exact, prefix, suffix, start, end) of the one annotation on the fact ``subject predicate ?``."""
    graph = Graph().parse(PASSAGES, format="turtle")
    found = []
    for st in graph.subjects(RDF.subject, URIRef(ID + subject)):
        if graph.value(st, RDF.predicate) != predicate:
            continue
        for annotation in graph.subjects(OA.hasBody, st):
            target = graph.value(annotation, OA.hasTarget)
            selectors = {graph.value(s, RDF.type): s for s in graph.objects(target, OA.hasSelector)}
            quote, position = selectors[OA.TextQuoteSelector], selectors[OA.TextPositionSelector]
            found.append((str(graph.value(quote, OA.exact)), str(graph.value(quote, OA.prefix)),
                          str(graph.value(quote, OA.suffix)), int(graph.value(position, OA.start)),
                          int(graph.value(position, OA.end))))
    assert len(found) == 1, found
    return found[0]


def page(server, path: str) -> str:
    response = requests.get(server.url + path, headers={"Accept": "text/html", "Accept-Language": "nb"}, timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response.text


def test_a_resource_page_shows_the_passage_of_its_fact_with_context_position_and_link(live_server):
    exact, prefix, suffix, start, end = selector_of(SERVICE, HG.providedBy)
    assert exact.startswith("Eplehagen yter tjenester innenfor samme område")
    text = page(live_server, "/id/" + SERVICE)
    assert '<h2 id="passages">Kilder i dokumentene' in text
    # The quote with the text around it, the exact part marked, as the seed has it (escaped, line breaks kept).
    assert (f'<span class="context">{html.escape(prefix)}</span><mark>{html.escape(exact)}</mark>'
            f'<span class="context">{html.escape(suffix)}</span>') in text
    # The position as the TextPositionSelector states it, linked to the document's page at that position.
    link = f'href="/id/document/seed-002?char={start},{end}#passage" data-start="{start}" data-end="{end}"'
    assert link in text and f"tegn {start}–{end}" in text
    assert 'href="/id/document/seed-002"' in text and "Kommunedirektørens orientering, Levanger kommune" in text
    # Which fact the passage supports (property and value), and how it was matched.
    figure = text[text.index(html.escape(exact)):]
    figure = figure[:figure.index("</figure>")]
    assert 'href="/ontology#providedBy"' in figure and 'href="/id/unit/levanger-eplehagen"' in figure
    assert 'href="/ontology#MatchedByLabelsInSentence"' in figure and "navn i samme setning" in figure
    # Where the seed texts are at hand, the offsets select that very passage.
    shared = Path(os.environ.get("HELSEGRAF_SHARED") or ROOT.parent / "shared") / "seeds"
    seed = shared / "002_d1dcd3a73b459098.txt"
    if seed.exists():
        assert seed.read_text(encoding="utf-8")[start:end] == exact


def test_the_position_link_opens_the_document_page_at_the_passage(live_server):
    exact, _, _, start, end = selector_of(SERVICE, HG.providedBy)
    text = page(live_server, f"/id/document/seed-002?char={start},{end}")
    assert f'<h2 id="passage">Passasjen ved tegn {start}–{end}</h2>' in text
    at = text[text.index('id="passage"'):text.index('id="passages"')]
    assert f"<mark>{html.escape(exact)}</mark>" in at
    assert f'href="/id/{SERVICE}"' in at  # the fact's subject, since this is another resource's page
    # A position no annotation has, or a malformed one, is said so or ignored; the page still answers.
    assert "Ingen passasje i grafen" in page(live_server, "/id/document/seed-002?char=1,2")
    assert 'id="passage"' not in page(live_server, "/id/document/seed-002?char=9,x")


def test_passage_text_is_escaped_and_english_pages_translate_the_section(live_server):
    text = page(live_server, "/id/document/seed-002")
    marks = re.findall(r"<mark>(.*?)</mark>", text, flags=re.S)
    assert "Helse &amp; Velferd" in " ".join(marks) and "Helse & Velferd" not in " ".join(marks)
    english = requests.get(live_server.url + "/id/" + SERVICE + "?lang=en", headers={"Accept": "text/html"},
                           timeout=30).text
    assert '<h2 id="passages">Sources in the documents' in english and "characters " in english


def test_the_reified_statements_are_not_listed_as_links_in(live_server):
    """A resource is the rdf:subject or rdf:object of the statements its passages support; those show as passages,
    and the links-in table lists only the resource's real inverse links."""
    text = page(live_server, "/id/unit/levanger-eplehagen")
    assert 'id="inverse"' in text and f'href="/id/{SERVICE}"' in text  # its services link in
    assert "/id/statement/" not in text


PROJECT = "project/levanger-helsebygg"  # seed 000's project: named by the modellers, partly read from the deck


def test_a_resource_page_lists_the_facts_its_document_does_not_state_with_why(live_server):
    """The readings (hg:notStatedIn the document, hg:inferenceNote why) are listed apart from the passages, in
    Norwegian with the note in English; their statements link in to the document nowhere on its page."""
    passages = Graph().parse(ROOT / "data" / "passages" / "000-levanger-helsetjenester-og-helsebygg.ttl",
                             format="turtle")
    notes = {str(passages.value(st, RDF.object)): str(passages.value(st, HG.inferenceNote))
             for st in passages.subjects(RDF.subject, URIRef(ID + PROJECT)) if (st, HG.notStatedIn, None) in passages}
    assert ID + "municipality/5037" in notes
    text = page(live_server, "/id/" + PROJECT)
    assert '<h2 id="readings">Står ikke i dokumentet' in text
    readings = text[text.index('id="readings"'):]
    readings = readings[:readings.index("</ul>")]
    assert readings.count("<li>") == len(notes) == 3
    assert 'href="/id/municipality/5037"' in readings and 'href="/id/document/seed-000"' in readings
    assert "står ikke i" in readings
    assert f'<q lang="en">{notes[ID + "municipality/5037"]}</q>' in html.unescape(readings)  # Jinja writes &#39;
    # A fact with a passage is not a reading: its label is in the passages section, not here.
    assert 'id="passages"' in text and "Helsetjenester og helsebygg i Levanger</a>" not in readings
    document = page(live_server, "/id/document/seed-000")
    assert "/id/statement/" not in document
    english = requests.get(live_server.url + "/id/" + PROJECT + "?lang=en", headers={"Accept": "text/html"},
                           timeout=30).text
    assert '<h2 id="readings">Not stated in the document' in english
