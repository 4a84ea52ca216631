"""Derive helsegraf's national reference data (Turtle) from the files in ``data/sources``.

Writes four files into ``--out`` (normally ``data/reference``):

* ``counties.ttl`` — the 15 counties of the classification valid from 2024-01-01;
* ``municipalities.ttl`` — the 357 municipalities, with county, organisation number (where the
  SSB 1236 correspondence gives it without doubt) and the health trust whose catchment area they are in;
* ``health-trusts.ttl`` — the four regional health authorities and their health trusts (domain.md §3.3),
  plus the two private non-profit hospitals that SKDE names as catchment hospitals in Oslo;
* ``health-communities.ttl`` — the 19 helsefellesskap derived from the SKDE catchment areas (domain.md §3.4).

The Turtle is written by templating, not by a serialiser, so that the output is the same bytes on every
run: subjects, predicates and objects are sorted, there are no blank nodes, and every literal goes through
:func:`turtle_string`.  Each file is parsed back with rdflib before it is written, so a templating error
stops the build instead of reaching the repository.

Run from the repository root::

    .venv/bin/python scripts/build_reference.py --out data/reference

The inputs are the upstream copies in ``data/sources`` (their origin, commit and licence in
``data/sources/README.md``) and the curated JSON files beside them (names, owners and mapping rules that
once lived in this script); ``--reference-dir`` points elsewhere, for tests that plant a defect.

Any inconsistency between the inputs (a catchment-area trust that maps to no IRI, a region that differs from
the owner of the trust, a municipality code missing from one file, a count that is not 357/15/19) is an error:
the script exits with status 1 and writes nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

# --------------------------------------------------------------------------------------------------
# Namespaces (docs/modelling.md)
# --------------------------------------------------------------------------------------------------
HGID = "https://w3id.org/helsegraf/id/"
HGGRAPH = "https://w3id.org/helsegraf/graph/"

PREFIXES = {
    "dct": "http://purl.org/dc/terms/",
    "hg": "https://w3id.org/helsegraf/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

#: The classification the municipality and county lists follow (domain.md §3.5).
VALID_FROM = "2024-01-01"
EXPECTED_MUNICIPALITIES = 357
EXPECTED_COUNTIES = 15
EXPECTED_HEALTH_COMMUNITIES = 19

OSLO = "0301"

# --------------------------------------------------------------------------------------------------
# Upstream files, exactly as data/sources/README.md describes them
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upstream:
    """One upstream file: its copy in ``data/sources`` and where that copy came from."""

    local_name: str
    repository: str
    commit: str
    path: str
    rights: str
    note: str
    licence_iri: str | None = None

    @property
    def iri(self) -> str:
        """The GitHub address of the file at the stated commit."""
        return f"https://github.com/{self.repository}/blob/{self.commit}/{self.path}"

    @property
    def citation(self) -> str:
        return f"{self.repository} @ {self.commit}, {self.path}"


#: The curated data files beside the upstream copies (data/sources/README.md).
SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"


def read_curated(name: str) -> dict:
    """One curated JSON file of ``data/sources`` (the data this script once held in code)."""
    with (SOURCES / name).open(encoding="utf-8") as handle:
        return json.load(handle)


_UPSTREAM = {key: Upstream(**value) for key, value in read_curated("upstream.json").items()}
NORGE_DATA_KOMMUNER = _UPSTREAM["norge_data_kommuner"]
NORGE_DATA_FYLKER = _UPSTREAM["norge_data_fylker"]
SSB_1236 = _UPSTREAM["ssb_1236"]
SKDE_CATCHMENTS = _UPSTREAM["skde_catchments"]

# --------------------------------------------------------------------------------------------------
# Health trusts (domain.md §3.3).  Labels as written there; slugs follow docs/modelling.md.
# --------------------------------------------------------------------------------------------------
_TRUSTS = read_curated("health-trusts.json")
REGJERINGEN_RHF = _TRUSTS["regjeringen_rhf_page"]


@dataclass(frozen=True)
class RegionalHealthAuthority:
    """A regional health authority (RHF).  ``seat`` is a municipality number, only where verified."""

    slug: str
    label: str
    trusts: tuple[str, ...]
    seat: str | None
    seat_town: str | None = None  # for the reader of the JSON file only
    note_nb: str | None = None
    note_en: str | None = None


REGIONAL_HEALTH_AUTHORITIES = tuple(
    RegionalHealthAuthority(**{**rhf, "trusts": tuple(rhf["trusts"])}) for rhf in _TRUSTS["regional_health_authorities"]
)

#: Owned by Helse Vest RHF according to domain.md §3.3, but a limited company (AS), not a helseforetak.
OTHER_OWNED: dict[str, str] = _TRUSTS["other_owned"]

#: Former names stated in domain.md §3.3.
FORMER_NAMES = {label: tuple(names) for label, names in _TRUSTS["former_names"].items()}


@dataclass(frozen=True)
class PrivateHospital:
    """A private non-profit (ideell) hospital with an agreement with an RHF; not a health trust."""

    label: str
    partner_rhf: str


#: The SKDE file names these two as catchment hospitals for Oslo bydeler (data/sources/README.md:
#: private non-profit hospitals with agreements with Helse Sør-Øst RHF, not health trusts it owns).
PRIVATE_HOSPITALS = tuple(PrivateHospital(**hospital) for hospital in _TRUSTS["private_hospitals"])

# --------------------------------------------------------------------------------------------------
# Sources for the helsefellesskap (domain.md §3.2, §3.4)
# --------------------------------------------------------------------------------------------------
# The white paper and the KS agreement are described in data/reference/national-guidelines.ttl; this file
# only refers to their IRIs.
_COMMUNITY_SOURCES = read_curated("health-communities.json")
MELD_ST_7: str = _COMMUNITY_SOURCES["meld_st_7"]
KS_AGREEMENT: str = _COMMUNITY_SOURCES["ks_agreement"]
HDIR_REGIONS: str = _COMMUNITY_SOURCES["hdir_regions"]


class ReferenceDataError(Exception):
    """The inputs disagree with each other or with domain.md; nothing is written."""


# --------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})
_LEGAL_FORM = re.compile(r"\s+(RHF|HF|AS)$")


def slugify(name: str) -> str:
    """Slug per docs/modelling.md: lower case, ASCII-folded (æ→ae, ø→o, å→a), words joined by ``-``.

    The legal-form suffix (RHF, HF, AS) is dropped, as in the fixed IRIs of modelling.md.

    >>> slugify("St. Olavs hospital HF")
    'st-olavs-hospital'
    >>> slugify("Helse Nord-Trøndelag HF")
    'helse-nord-trondelag'
    """
    base = _LEGAL_FORM.sub("", name.strip()).translate(_FOLD).lower()
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", base).strip("-")


def turtle_string(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    """A Turtle literal with the characters that need it escaped.

    >>> turtle_string('a "b"\\n', "nb")
    '"a \\\\"b\\\\"\\\\n"@nb'
    """
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    literal = f'"{escaped}"'
    if lang:
        return f"{literal}@{lang}"
    if datatype:
        return f"{literal}^^{datatype}"
    return literal


def iri(value: str) -> str:
    """An IRI reference in Turtle syntax."""
    if any(ch in value for ch in '<>"{}|^`\\ '):
        raise ReferenceDataError(f"not an IRI that can be written in Turtle: {value!r}")
    return f"<{value}>"


def nb(text: str) -> str:
    return turtle_string(text, "nb")


def en(text: str) -> str:
    return turtle_string(text, "en")


def municipality_iri(code: str) -> str:
    return iri(f"{HGID}municipality/{code}")


def county_iri(code: str) -> str:
    return iri(f"{HGID}county/{code}")


def rhf_iri(slug: str) -> str:
    return iri(f"{HGID}regional-health-authority/{slug}")


def trust_iri(slug: str) -> str:
    return iri(f"{HGID}health-trust/{slug}")


def organisation_iri(slug: str) -> str:
    return iri(f"{HGID}organisation/{slug}")


def health_community_iri(slug: str) -> str:
    return iri(f"{HGID}health-community/{slug}")


def graph_iri(out_name: str) -> str:
    """The named graph the loader gives ``data/reference/<out_name>.ttl`` (docs/modelling.md)."""
    return iri(f"{HGGRAPH}data/reference/{out_name}")


# --------------------------------------------------------------------------------------------------
# Turtle document
# --------------------------------------------------------------------------------------------------
@dataclass
class TurtleDocument:
    """Statements grouped by subject, written in sorted order with no blank nodes."""

    header: str
    statements: dict[str, dict[str, set[str]]] = field(default_factory=dict)

    def add(self, subject: str, predicate: str, *objects: str) -> None:
        self.statements.setdefault(subject, {}).setdefault(predicate, set()).update(objects)

    def render(self) -> str:
        lines = [f"# {line}".rstrip() for line in self.header.strip().splitlines()]
        lines.append("")
        lines += [f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())]
        for subject in sorted(self.statements):
            predicates = self.statements[subject]
            # rdf:type first, then the rest alphabetically, so each block reads "what it is" first.
            order = sorted(predicates, key=lambda p: (p != "a", p))
            lines.append("")
            lines.append(subject)
            for index, predicate in enumerate(order):
                objects = sorted(predicates[predicate])
                end = " ." if index == len(order) - 1 else " ;"
                if len(objects) == 1:
                    lines.append(f"    {predicate} {objects[0]}{end}")
                else:
                    lines.append(f"    {predicate}")
                    for j, obj in enumerate(objects):
                        lines.append(f"        {obj}{',' if j < len(objects) - 1 else end}")
        return "\n".join(lines) + "\n"


def describe_upstream(doc: TurtleDocument, upstream: Upstream) -> str:
    """State what an upstream file is, where it is kept and under which terms; return its IRI."""
    subject = iri(upstream.iri)
    doc.add(subject, "a", "prov:Entity")
    doc.add(subject, "dct:title", turtle_string(upstream.path))
    doc.add(subject, "dct:bibliographicCitation", turtle_string(upstream.citation))
    doc.add(subject, "dct:isPartOf", iri(f"https://github.com/{upstream.repository}"))
    doc.add(subject, "dct:rights", turtle_string(upstream.rights))
    if upstream.licence_iri:
        doc.add(subject, "dct:license", iri(upstream.licence_iri))
    doc.add(subject, "rdfs:comment", turtle_string(f"{upstream.note} Copied to data/sources/{upstream.local_name}."))
    return subject


def describe_graph(
    doc: TurtleDocument,
    out_name: str,
    title_nb: str,
    title_en: str,
    sources: list[str],
    notes: list[tuple[str, str]],
    valid: bool = True,
) -> str:
    """The provenance every data file states about its own named graph (docs/modelling.md)."""
    subject = graph_iri(out_name)
    doc.add(subject, "dct:title", nb(title_nb), en(title_en))
    doc.add(subject, "dct:source", *sources)
    doc.add(subject, "prov:wasDerivedFrom", *sources)
    doc.add(
        subject,
        "rdfs:comment",
        en("Generated by scripts/build_reference.py from data/sources; do not edit by hand."),
    )
    if valid:
        doc.add(subject, "dct:valid", turtle_string(VALID_FROM, datatype="xsd:date"))
    for note_nb, note_en in notes:
        doc.add(subject, "skos:editorialNote", nb(note_nb), en(note_en))
    return subject


# --------------------------------------------------------------------------------------------------
# Reading the inputs
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Municipality:
    code: str
    name_no: str  # k_name_no: the Norwegian name form
    name: str  # k_name: differs from k_name_no only where the file gives another name form

    @property
    def county(self) -> str:
        return self.code[:2]


@dataclass(frozen=True)
class Catchment:
    code: str
    level: str  # "kommune" or "bydel"
    name: str
    area: str
    hospital: str
    region: str


def read_counties(directory: Path) -> dict[str, str]:
    rows = json.loads((directory / NORGE_DATA_FYLKER.local_name).read_text(encoding="utf-8"))
    counties = {row["f_id"]: row["f_name"].strip() for row in rows}
    if len(counties) != len(rows) or len(counties) != EXPECTED_COUNTIES:
        raise ReferenceDataError(f"expected {EXPECTED_COUNTIES} unique counties, found {len(counties)}")
    for code in counties:
        if not re.fullmatch(r"\d{2}", code):
            raise ReferenceDataError(f"county number {code!r} is not two digits")
    return counties


def read_municipalities(directory: Path, counties: dict[str, str]) -> dict[str, Municipality]:
    rows = json.loads((directory / NORGE_DATA_KOMMUNER.local_name).read_text(encoding="utf-8"))
    municipalities = {
        row["k_id"]: Municipality(row["k_id"], row["k_name_no"].strip(), row["k_name"].strip()) for row in rows
    }
    if len(municipalities) != len(rows) or len(municipalities) != EXPECTED_MUNICIPALITIES:
        raise ReferenceDataError(
            f"expected {EXPECTED_MUNICIPALITIES} unique municipalities, found {len(municipalities)}"
        )
    for m in municipalities.values():
        if not re.fullmatch(r"\d{4}", m.code):
            raise ReferenceDataError(f"municipality number {m.code!r} is not four digits")
        if m.county not in counties:
            raise ReferenceDataError(f"municipality {m.code} is in county {m.county}, which the county file lacks")
    return municipalities


def read_catchments(directory: Path) -> list[Catchment]:
    with (directory / SKDE_CATCHMENTS.local_name).open(encoding="utf-8", newline="") as handle:
        return [
            Catchment(
                r["kode"], r["niva"], r["navn"], r["opptaksomrade"], r["opptaksomrade_for"], r["helseregion_rhf"]
            )
            for r in csv.DictReader(handle)
        ]


# --------------------------------------------------------------------------------------------------
# Organisation numbers: SSB 1236 uses the 2020–2023 codes
# --------------------------------------------------------------------------------------------------
#: Counties whose municipalities were renumbered on 2024-01-01 without a change of territory (the county was
#: split): old county number → the new county numbers (domain.md §3.5, data/sources/README.md).
_ORGNR = read_curated("organisation-numbers.json")
RENUMBERED_COUNTIES = {old: tuple(new) for old, new in _ORGNR["renumbered_counties"].items()}

#: 2020–2023 codes whose orgnr is left out on purpose: old code → (2024 code, reason nb, reason en).
DOUBTFUL_CODES = {old: tuple(reason) for old, reason in _ORGNR["doubtful_codes"].items()}
NEW_IN_2024 = tuple(_ORGNR["new_in_2024"])

_SUFFIX = re.compile(r"\s*\([^)]*\)$")


def name_forms(name: str) -> set[str]:
    """The name forms in an SSB name: ``"Deatnu - Tana"`` → {Deatnu, Tana}; ``"Våler (Viken)"`` → {Våler}."""
    return {_SUFFIX.sub("", part).strip() for part in name.split(" - ")}


def match_organisation_numbers(
    directory: Path, municipalities: dict[str, Municipality]
) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Map 2024 kommunenummer → orgnr; return the map and the municipalities left without one (reason nb, en).

    A row of the 2020–2023 table is used when its code is a 2024 code with the same name, or when its
    county was only renumbered (see :data:`RENUMBERED_COUNTIES`) and exactly one municipality in a successor
    county has one of its name forms.  Anything else is left out.
    """
    path = directory / SSB_1236.local_name
    with path.open(encoding="iso-8859-1", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    orgnr: dict[str, str] = {}
    for row in rows:
        number, old_code, old_name = row["sourceCode"].strip(), row["targetCode"].strip(), row["targetName"]
        if not re.fullmatch(r"\d{9}", number):
            raise ReferenceDataError(f"organisation number {number!r} is not nine digits")
        if old_code in DOUBTFUL_CODES:
            continue
        forms = name_forms(old_name)
        if old_code in municipalities:
            m = municipalities[old_code]
            if not forms & {m.name_no, m.name}:
                raise ReferenceDataError(f"code {old_code} is {old_name!r} in SSB 1236 but {m.name_no!r} in 2025")
            target = old_code
        else:
            successors = RENUMBERED_COUNTIES.get(old_code[:2], ())
            candidates = [
                m.code for m in municipalities.values() if m.county in successors and forms & {m.name_no, m.name}
            ]
            if len(candidates) != 1:
                raise ReferenceDataError(f"cannot map {old_code} {old_name!r} to one 2024 municipality: {candidates}")
            target = candidates[0]
        if target in orgnr:
            raise ReferenceDataError(f"two organisation numbers for municipality {target}")
        orgnr[target] = number
    if len(set(orgnr.values())) != len(orgnr):
        raise ReferenceDataError("one organisation number is mapped to two municipalities")
    doubtful = {new: (why_nb, why_en) for new, why_nb, why_en in DOUBTFUL_CODES.values()}
    missing = {code: doubtful.get(code, NEW_IN_2024) for code in sorted(set(municipalities) - set(orgnr))}
    return orgnr, missing


# --------------------------------------------------------------------------------------------------
# Catchment areas → health trusts
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Provider:
    """Whatever SKDE names as the hospital of a catchment area: a health trust or a private hospital."""

    label: str
    iri: str
    rhf_slug: str
    slug: str
    is_trust: bool


def providers() -> dict[str, Provider]:
    """Every organisation a catchment area can point to, by its label."""
    found: dict[str, Provider] = {}
    for rhf in REGIONAL_HEALTH_AUTHORITIES:
        for label in rhf.trusts:
            slug = slugify(label)
            found[label] = Provider(label, trust_iri(slug), rhf.slug, slug, True)
    for hospital in PRIVATE_HOSPITALS:
        slug = slugify(hospital.label)
        found[hospital.label] = Provider(hospital.label, organisation_iri(slug), hospital.partner_rhf, slug, False)
    if len({p.iri for p in found.values()}) != len(found):
        raise ReferenceDataError("two organisations have the same slug")
    return found


def check_catchments(catchments: list[Catchment], municipalities: dict[str, Municipality]) -> None:
    """Fail unless every catchment row maps to a known organisation in the region the file names."""
    known = providers()
    rhf_labels = {r.slug: r.label for r in REGIONAL_HEALTH_AUTHORITIES}
    seen: set[str] = set()
    for row in catchments:
        if row.hospital not in known:
            raise ReferenceDataError(f"SKDE names {row.hospital!r} for {row.code}; it maps to no IRI")
        provider = known[row.hospital]
        if rhf_labels[provider.rhf_slug] != row.region:
            raise ReferenceDataError(
                f"{row.code}: SKDE says {row.region!r}, domain.md puts {row.hospital!r} under "
                f"{rhf_labels[provider.rhf_slug]!r}"
            )
        if row.code in seen:
            raise ReferenceDataError(f"catchment code {row.code} appears twice")
        seen.add(row.code)
        if row.level == "kommune":
            if row.code not in municipalities:
                raise ReferenceDataError(f"SKDE municipality {row.code} is not in the 2025 list")
            if _SUFFIX.sub("", row.name) not in {municipalities[row.code].name_no, municipalities[row.code].name}:
                raise ReferenceDataError(f"SKDE names {row.code} {row.name!r}, the 2025 list does not")
            if not provider.is_trust:
                raise ReferenceDataError(f"municipality {row.code} has a catchment hospital that is no trust")
        elif row.level == "bydel":
            if not row.code.startswith(OSLO):
                raise ReferenceDataError(f"bydel {row.code} is not in Oslo")
        else:
            raise ReferenceDataError(f"unknown level {row.level!r} for {row.code}")
    covered = {r.code for r in catchments if r.level == "kommune"} | {OSLO}
    if covered != set(municipalities):
        raise ReferenceDataError(f"catchment areas miss {sorted(set(municipalities) - covered)}")


def oslo_split(catchments: list[Catchment]) -> dict[str, list[Catchment]]:
    """Oslo's bydeler grouped by the hospital whose catchment area they are in."""
    split: dict[str, list[Catchment]] = {}
    for row in catchments:
        if row.level == "bydel":
            split.setdefault(row.hospital, []).append(row)
    return {k: sorted(v, key=lambda r: r.code) for k, v in sorted(split.items())}


def describe_oslo_split(split: dict[str, list[Catchment]]) -> tuple[str, str]:
    parts = [f"{hospital}: " + ", ".join(f"{r.name} ({r.code})" for r in rows) for hospital, rows in split.items()]
    joined = "; ".join(parts)
    return (
        "Oslo er delt på bydeler i SKDEs opptaksområder. Kommunen er knyttet til helseforetakene som har "
        f"minst én bydel i sitt opptaksområde; de private ideelle sykehusene er ikke helseforetak. {joined}.",
        "Oslo is split by bydel (city district) in SKDE's catchment areas. The municipality is linked to the "
        "health trusts that have at least one bydel in their catchment area; the private non-profit hospitals "
        f"are not health trusts. {joined}.",
    )


# --------------------------------------------------------------------------------------------------
# The four documents
# --------------------------------------------------------------------------------------------------
GENERATED = "Generated by scripts/build_reference.py — do not edit; re-run the script (see data/reference/README.md)."


def build_counties(counties: dict[str, str]) -> TurtleDocument:
    doc = TurtleDocument(f"Counties of Norway, classification valid from {VALID_FROM}.\n{GENERATED}")
    source = describe_upstream(doc, NORGE_DATA_FYLKER)
    describe_graph(
        doc,
        "counties",
        f"Fylker i Norge (inndeling gyldig fra {VALID_FROM})",
        f"Counties of Norway (classification valid from {VALID_FROM})",
        [source],
        [
            (
                "Fylkesnummer og navn fra norge-data (fylker-2025); inndelingen er SSBs fylkesinndeling "
                "(Klass 104) gyldig fra 2024-01-01. At 2025-lista er lik 2024-lista er ikke verifisert mot SSB.",
                "County numbers and names from norge-data (fylker-2025); the structure is SSB's county "
                "classification (Klass 104) valid from 2024-01-01. That the 2025 list equals the 2024 list is "
                "not verified against SSB.",
            )
        ],
    )
    for code, name in counties.items():
        subject = county_iri(code)
        doc.add(subject, "a", "hg:County")
        doc.add(subject, "hg:countyNumber", turtle_string(code))
        doc.add(subject, "rdfs:label", nb(name))
        doc.add(subject, "skos:prefLabel", nb(name))
    return doc


def build_municipalities(
    municipalities: dict[str, Municipality],
    orgnr: dict[str, str],
    missing_orgnr: dict[str, tuple[str, str]],
    catchments: list[Catchment],
) -> TurtleDocument:
    doc = TurtleDocument(
        f"Municipalities of Norway, classification valid from {VALID_FROM}, with organisation number and "
        f"the health trust whose catchment area they are in.\n{GENERATED}"
    )
    sources = [describe_upstream(doc, u) for u in (NORGE_DATA_KOMMUNER, SSB_1236, SKDE_CATCHMENTS)]
    without_nb, without_en = (
        "; ".join(f"{code} {municipalities[code].name_no} ({why[i]})" for code, why in missing_orgnr.items())
        for i in (0, 1)
    )
    split = oslo_split(catchments)
    graph = describe_graph(
        doc,
        "municipalities",
        f"Kommuner i Norge (inndeling gyldig fra {VALID_FROM})",
        f"Municipalities of Norway (classification valid from {VALID_FROM})",
        sources,
        [
            (
                "Kommunenummer og navn fra norge-data (kommuner-2025); fylket er de to første sifrene i "
                "kommunenummeret. At 2025-lista er lik 2024-lista er ikke verifisert mot SSB. Folketall, areal, "
                "administrasjonssenter, målform og nettadresse i kildefila er ikke kontrollert og er utelatt.",
                "Municipality numbers and names from norge-data (kommuner-2025); the county is the first two "
                "digits of the number. That the 2025 list equals the 2024 list is not verified against SSB. "
                "Population, area, administrative centre, written standard and web address in the source file "
                "are unchecked and left out.",
            ),
            (
                "Navnet i skos:prefLabel/rdfs:label er navneformen k_name_no. Der kildefila har en annen "
                "navneform i k_name, står den som skos:altLabel uten språkkode, fordi fila ikke sier hvilket "
                "språk den er på.",
                "The name in skos:prefLabel/rdfs:label is the name form k_name_no. Where the file gives another "
                "name form in k_name, it is kept as skos:altLabel without a language tag, because the file does "
                "not say which language it is in.",
            ),
            (
                "Organisasjonsnummer fra SSBs korrespondanse 1236 (kodene 2020–2023), koblet på kommunenummer, "
                "eller på navn der fylket bare fikk nytt nummer i 2024. Uten organisasjonsnummer: "
                f"{without_nb}.",
                "Organisation numbers from SSB correspondence 1236 (2020–2023 codes), matched on the municipality "
                "number, or on the name where the county was only renumbered in 2024. Without an organisation "
                f"number: {without_en}.",
            ),
            describe_oslo_split(split),
        ],
    )
    doc.add(graph, "dct:conformsTo", iri("https://www.ssb.no/klass/klassifikasjoner/131"))

    known = providers()
    catchment_of = {r.code: known[r.hospital] for r in catchments if r.level == "kommune"}
    # Oslo: every health trust with at least one bydel in its catchment area (see describe_oslo_split).
    oslo_trusts = sorted({known[h].iri for h in split if known[h].is_trust})
    for m in municipalities.values():
        subject = municipality_iri(m.code)
        doc.add(subject, "a", "hg:Municipality")
        doc.add(subject, "hg:municipalityNumber", turtle_string(m.code))
        doc.add(subject, "rdfs:label", nb(m.name_no))
        doc.add(subject, "skos:prefLabel", nb(m.name_no))
        if m.name != m.name_no:
            doc.add(subject, "skos:altLabel", turtle_string(m.name))
        doc.add(subject, "hg:county", county_iri(m.county))
        if m.code in orgnr:
            doc.add(subject, "hg:organisationNumber", turtle_string(orgnr[m.code]))
            doc.add(subject, "rdfs:seeAlso", iri(f"https://data.brreg.no/enhetsregisteret/api/enheter/{orgnr[m.code]}"))
        else:
            why_nb, why_en = missing_orgnr[m.code]
            doc.add(
                subject,
                "skos:editorialNote",
                nb(f"Uten organisasjonsnummer: {why_nb}."),
                en(f"No organisation number: {why_en}."),
            )
        if m.code == OSLO:
            doc.add(subject, "hg:inCatchmentAreaOf", *oslo_trusts)
            note_nb, note_en = describe_oslo_split(split)
            doc.add(subject, "skos:editorialNote", nb(note_nb), en(note_en))
        else:
            doc.add(subject, "hg:inCatchmentAreaOf", catchment_of[m.code].iri)
    return doc


def build_health_trusts() -> TurtleDocument:
    doc = TurtleDocument(f"Regional health authorities and health trusts (domain.md §3.3).\n{GENERATED}")
    regjeringen = iri(REGJERINGEN_RHF)
    doc.add(regjeringen, "dct:title", nb("De regionale helseforetakene"))
    doc.add(regjeringen, "dct:publisher", nb("Regjeringen (regjeringen.no)"))
    doc.add(
        regjeringen,
        "rdfs:comment",
        en("The page text uses the pre-2024 county names, so it dates from 2020–2023 (domain.md §3.3)."),
    )
    skde = describe_upstream(doc, SKDE_CATCHMENTS)
    describe_graph(
        doc,
        "health-trusts",
        "Regionale helseforetak og helseforetak",
        "Regional health authorities and health trusts",
        [regjeringen, skde],
        [
            (
                "Eierforhold etter regjeringen.no («De regionale helseforetakene») og, for Helse Nord, NOU 2016: 25 "
                "tabell 2.1. Organisasjonsnumre for helseforetakene er ikke verifisert og er utelatt. "
                "Lovisenberg diakonale sykehus og Diakonhjemmet sykehus er private ideelle sykehus med avtale med "
                "Helse Sør-Øst RHF, ikke helseforetak; de er med fordi SKDE oppgir dem som sykehus for "
                "opptaksområder i Oslo.",
                "Ownership after regjeringen.no («De regionale helseforetakene») and, for Helse Nord, NOU 2016: 25 "
                "table 2.1. Organisation numbers of the health trusts are not verified and are left out. "
                "Lovisenberg diakonale sykehus and Diakonhjemmet sykehus are private non-profit hospitals with an "
                "agreement with Helse Sør-Øst RHF, not health trusts; they are included because SKDE names them "
                "as the hospitals of catchment areas in Oslo.",
            )
        ],
        valid=False,
    )
    for rhf in REGIONAL_HEALTH_AUTHORITIES:
        subject = rhf_iri(rhf.slug)
        doc.add(subject, "a", "hg:RegionalHealthAuthority")
        doc.add(subject, "rdfs:label", nb(rhf.label))
        doc.add(subject, "skos:prefLabel", nb(rhf.label))
        doc.add(subject, "dct:source", regjeringen)
        if rhf.seat:
            # The head office's town, given as the municipality it lies in.
            doc.add(subject, "schema:location", municipality_iri(rhf.seat))
        if rhf.note_nb:
            doc.add(subject, "skos:editorialNote", nb(rhf.note_nb), en(rhf.note_en))
        for label in rhf.trusts:
            trust = trust_iri(slugify(label))
            doc.add(trust, "a", "hg:HealthTrust")
            doc.add(trust, "rdfs:label", nb(label))
            doc.add(trust, "skos:prefLabel", nb(label))
            doc.add(trust, "org:subOrganizationOf", subject)
            doc.add(trust, "dct:source", regjeringen)
            for former in FORMER_NAMES.get(label, ()):
                doc.add(trust, "skos:altLabel", nb(former))
                doc.add(trust, "skos:editorialNote", en(f"Former name: {former} (NOU 2016: 25, table 2.1)."))
    for label, rhf_slug in OTHER_OWNED.items():
        subject = organisation_iri(slugify(label))
        doc.add(subject, "a", "org:FormalOrganization")
        doc.add(subject, "rdfs:label", nb(label))
        doc.add(subject, "skos:prefLabel", nb(label))
        doc.add(subject, "org:subOrganizationOf", rhf_iri(rhf_slug))
        doc.add(subject, "dct:source", regjeringen)
        doc.add(
            subject,
            "skos:editorialNote",
            nb("Oppført blant selskapene Helse Vest RHF eier; et aksjeselskap (AS), ikke et helseforetak."),
            en("Listed among the companies Helse Vest RHF owns; a limited company (AS), not a health trust."),
        )
    for hospital in PRIVATE_HOSPITALS:
        subject = organisation_iri(slugify(hospital.label))
        doc.add(subject, "a", "org:Organization")
        doc.add(subject, "rdfs:label", nb(hospital.label))
        doc.add(subject, "skos:prefLabel", nb(hospital.label))
        doc.add(subject, "org:linkedTo", rhf_iri(hospital.partner_rhf))
        doc.add(subject, "dct:source", skde)
        doc.add(
            subject,
            "skos:editorialNote",
            nb("Privat ideelt sykehus med avtale med Helse Sør-Øst RHF (org:linkedTo); ikke et helseforetak."),
            en("Private non-profit hospital with an agreement with Helse Sør-Øst RHF (org:linkedTo); not a health trust."),
        )
    return doc


def flag_memberships(doc: TurtleDocument, community: str, slug: str, members: list[tuple[str, str]], skde: str) -> None:
    """One org:Membership per member, flagged as derived from SKDE and not checked (issue 15, defect 5).

    ``members`` are (key, member IRI) pairs; the key (kommunenummer or organisation slug) names the record.
    """
    for key, member in members:
        record = iri(f"{HGID}membership/{slug}-{key}")
        doc.add(record, "a", "org:Membership")
        doc.add(record, "org:organization", community)
        doc.add(record, "org:member", member)
        doc.add(record, "hg:verificationStatus", "hg:DerivedNotVerified")
        doc.add(record, "prov:wasDerivedFrom", skde)
        doc.add(
            record,
            "skos:editorialNote",
            en("Derived from SKDE's catchment areas; not checked against Helsedirektoratet's Vedlegg 6 or the agreement."),
        )


def build_health_communities(catchments: list[Catchment]) -> TurtleDocument:
    doc = TurtleDocument(f"The 19 helsefellesskap, derived from SKDE catchment areas (domain.md §3.4).\n{GENERATED}")
    skde = describe_upstream(doc, SKDE_CATCHMENTS)

    agreement = iri(KS_AGREEMENT)
    meld = iri(MELD_ST_7)
    hdir = iri(HDIR_REGIONS)
    doc.add(hdir, "dct:publisher", nb("Helsedirektoratet"))
    doc.add(
        hdir,
        "rdfs:comment",
        en("States that the 19 health communities match the health-trust areas, with Oslo as one (ch. 2.3)."),
    )

    note = (
        "Inndelingen er avledet av SKDEs opptaksområder (Helseatlas, kommunenummer 2024) og er ikke kontrollert "
        "mot Helsedirektoratets Vedlegg 6. Oslo er ett helsefellesskap, som Helsedirektoratet skriver, selv om "
        "bydelene er fordelt på flere opptaksområder. Navnet er nøytralt; de offisielle navnene er ikke verifisert.",
        "The grouping is derived from SKDE's catchment areas (Helseatlas, 2024 municipality numbers) and is not "
        "checked against Helsedirektoratet's Vedlegg 6. Oslo is one health community, as Helsedirektoratet "
        "states, although its bydeler are spread over several catchment areas. The label is neutral; the "
        "official names are not verified.",
    )
    describe_graph(
        doc,
        "health-communities",
        "Helsefellesskap (avledet av SKDEs opptaksområder)",
        "Health communities (derived from SKDE catchment areas)",
        [agreement, meld, hdir, skde],
        [note],
    )

    known = providers()
    groups: dict[str, set[str]] = {}
    for row in catchments:
        if row.level == "kommune":
            groups.setdefault(row.hospital, set()).add(row.code)
    oslo_members = sorted(oslo_split(catchments))
    oslo_key = "Oslo universitetssykehus HF"
    if oslo_key in groups:
        raise ReferenceDataError("a municipality other than Oslo is in Oslo universitetssykehus HF's catchment")
    if len(groups) + 1 != EXPECTED_HEALTH_COMMUNITIES:
        raise ReferenceDataError(f"expected {EXPECTED_HEALTH_COMMUNITIES} health communities, found {len(groups) + 1}")

    for label, codes in groups.items():
        provider = known[label]
        subject = health_community_iri(provider.slug)
        doc.add(subject, "a", "hg:HealthCommunity")
        doc.add(
            subject,
            "rdfs:label",
            nb(f"Helsefellesskapet for {label} sitt opptaksområde"),
            en(f"Health community of the {label} catchment area"),
        )
        doc.add(subject, "skos:prefLabel", nb(f"Helsefellesskapet for {label} sitt opptaksområde"),
                en(f"Health community of the {label} catchment area"))
        doc.add(subject, "org:hasMember", provider.iri, *(municipality_iri(c) for c in codes))
        flag_memberships(
            doc, subject, f"health-community-{provider.slug}",
            [(provider.slug, provider.iri)] + [(c, municipality_iri(c)) for c in sorted(codes)], skde,
        )
        doc.add(subject, "dct:source", agreement)
        doc.add(subject, "prov:wasDerivedFrom", skde)
        doc.add(subject, "skos:editorialNote", nb(note[0]), en(note[1]))

    # Oslo: one helsefellesskap of Oslo kommune and the hospitals of its bydeler, except those bydeler that
    # belong to another health trust's catchment (Ahus), whose health community is Akershus's own.
    oslo_hospitals = [h for h in oslo_members if h not in groups]
    subject = health_community_iri(known[oslo_key].slug)
    doc.add(subject, "a", "hg:HealthCommunity")
    doc.add(subject, "rdfs:label", nb("Helsefellesskapet for Oslo"), en("Health community of Oslo"))
    doc.add(subject, "skos:prefLabel", nb("Helsefellesskapet for Oslo"), en("Health community of Oslo"))
    doc.add(subject, "org:hasMember", municipality_iri(OSLO), *(known[h].iri for h in oslo_hospitals))
    flag_memberships(
        doc, subject, f"health-community-{known[oslo_key].slug}",
        [(OSLO, municipality_iri(OSLO))] + [(known[h].slug, known[h].iri) for h in oslo_hospitals], skde,
    )
    doc.add(subject, "dct:source", agreement, hdir)
    doc.add(subject, "prov:wasDerivedFrom", skde)
    doc.add(subject, "skos:editorialNote", nb(note[0]), en(note[1]))
    return doc


# --------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------
def build(reference_dir: Path) -> dict[str, str]:
    """Derive all four files; return their text by file name.  Raises :class:`ReferenceDataError`."""
    counties = read_counties(reference_dir)
    municipalities = read_municipalities(reference_dir, counties)
    orgnr, missing = match_organisation_numbers(reference_dir, municipalities)
    catchments = read_catchments(reference_dir)
    check_catchments(catchments, municipalities)
    documents = {
        "counties.ttl": build_counties(counties),
        "municipalities.ttl": build_municipalities(municipalities, orgnr, missing, catchments),
        "health-trusts.ttl": build_health_trusts(),
        "health-communities.ttl": build_health_communities(catchments),
    }
    return {name: doc.render() for name, doc in documents.items()}


def check_syntax(name: str, text: str) -> None:
    """Parse the Turtle back so that a templating error never reaches the repository."""
    import rdflib  # imported here: the derivation itself needs only the standard library

    try:
        rdflib.Graph().parse(data=text, format="turtle")
    except Exception as error:  # rdflib raises several types; any of them means the output is broken
        raise ReferenceDataError(f"{name} is not valid Turtle: {error}") from error


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference-dir", type=Path, default=SOURCES, help="input directory (default: data/sources)")
    parser.add_argument("--out", type=Path, required=True, help="output directory (data/reference)")
    args = parser.parse_args(argv)
    try:
        texts = build(args.reference_dir)
        for name, text in texts.items():
            check_syntax(name, text)
    except (ReferenceDataError, OSError, KeyError, ValueError) as error:
        print(f"build_reference: {error}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (args.out / name).write_bytes(text.encode("utf-8"))
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
