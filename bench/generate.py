"""Generate a synthetic national-scale graph in helsegraf's own ontology, for benchmarks only.

Run: ``python bench/generate.py --triples 1M --seed 1 -o /tmp/bench-1M.nq`` (``.nq`` or ``.trig``).

Every one of the 357 municipalities of the reference data (``data/reference/municipalities.ttl``) gets one
named graph, ``{base}graph/synthetic/municipality/{number}``, that names its (synthetic) source, and in it:
service areas, units, departments and sub-departments (``org:unitOf`` chains with validity dates), services
on the care staircase (``hg:careStaircaseStep``, ``hg:providedBy``, ``hg:legalBasis`` to laws of
``data/reference/laws.ttl``), buildings with care places and capacities, thematic plans with goals,
strategies and measures (``hg:servesGoal``, ``hg:servesStrategy``, period, adopting council, legal basis), and
the municipality's membership of its helsefellesskap (``data/reference/health-communities.ttl``).

The data are invented: every minted IRI lies under ``{base}id/synthetic/`` and every label says
«syntetisk». Nothing generated here is committed or loaded into the bundled graph. The references to real
resources (municipalities, health communities, laws, care-staircase steps) use their bundled IRIs, so the
graph joins with the reference data the way real data would.

The output is a pure function of ``--triples``, ``--seed``, ``--violations`` and ``--municipalities``: the
same arguments give the same bytes. ``--violations K`` plants exactly K defects, each of which the shapes
report as exactly one ``sh:Violation`` (a building in no municipality, a strategy serving no goal, a plan
period that ends before it starts, a negative capacity).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BASE = "https://w3id.org/helsegraf/"

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
HG = "https://w3id.org/helsegraf/ontology#"
ORG = "http://www.w3.org/ns/org#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
DCAT = "http://www.w3.org/ns/dcat#"

#: Service classes with the law each rests on (an IRI of data/reference/laws.ttl) and its care-staircase step.
SERVICES = [
    ("HomeService", "Hjemmetjenester", "law/lov-2011-06-24-30", 4),
    ("InstitutionService", "Langtidsopphold", "law/lov-2011-06-24-30", 7),
    ("DayService", "Dagsenter", "law/lov-2011-06-24-30", 4),
    ("RespiteService", "Korttidsopphold", "law/lov-2011-06-24-30", 5),
    ("HealthPromotionService", "Frisklivssentral", "law/lov-2011-06-24-29", 2),
    ("AmbulantService", "Hverdagsrehabilitering", "law/lov-2011-06-24-30", 3),
    ("MealService", "Middagslevering", "law/lov-2011-06-24-30", 3),
    ("GPService", "Fastlegetjeneste", "law/lov-2011-06-24-30", 1),
    ("CareService", "Bolig med heldøgns tjenester", "law/lov-2011-06-24-30", 6),
]

#: Kinds of planted defects, in the order they are used; each gives exactly one sh:Violation result.
VIOLATION_KINDS = ("building-without-municipality", "strategy-without-goal", "plan-period-reversed",
                   "negative-capacity")

PLANNING_ACT = "law/lov-2008-06-27-71"


@dataclass(frozen=True)
class Municipality:
    number: str
    name: str
    iri: str
    health_community: str | None


def parse_size(text: str) -> int:
    """``100k`` -> 100000, ``1M`` -> 1000000, ``2500`` -> 2500.

    >>> parse_size("10M"), parse_size("100k"), parse_size("2500")
    (10000000, 100000, 2500)
    """
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kKmM]?)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (use e.g. 100k, 1M, 10M)")
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    return int(float(match.group(1)) * factor)


def reference_municipalities(root: Path = ROOT, base: str = DEFAULT_BASE) -> list[Municipality]:
    """The municipalities of the reference data, sorted by number, with their health community."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS

    graph = Graph()
    graph.parse(root / "data/reference/municipalities.ttl", format="turtle")
    graph.parse(root / "data/reference/health-communities.ttl", format="turtle")
    hg = URIRef(HG + "Municipality")
    community = {}
    for hc in graph.subjects(URIRef(RDF_TYPE), URIRef(HG + "HealthCommunity")):
        for member in graph.objects(hc, URIRef(ORG + "hasMember")):
            community.setdefault(str(member), str(hc))
    out = []
    for iri in graph.subjects(URIRef(RDF_TYPE), hg):
        number = str(graph.value(iri, URIRef(HG + "municipalityNumber")))
        names = [str(o) for o in graph.objects(iri, SKOS.prefLabel) if getattr(o, "language", None) == "nb"]
        name = names[0] if names else number
        out.append(Municipality(number, name, _rebase(str(iri), base), community.get(str(iri))))
    if community:
        out = [m if m.health_community is None else
               Municipality(m.number, m.name, m.iri, _rebase(m.health_community, base)) for m in out]
    return sorted(out, key=lambda m: m.number)


def _rebase(iri: str, base: str) -> str:
    return base + iri[len(DEFAULT_BASE):] if iri.startswith(DEFAULT_BASE) else iri


def _lit(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


class _Graph:
    """Collects the triples of one municipality's graph as N-Triples terms."""

    def __init__(self):
        self.triples: list[tuple[str, str, str]] = []

    def add(self, s: str, p: str, o: str) -> None:
        self.triples.append((s, p, o))

    def iri(self, s: str, p: str, o: str) -> None:
        self.triples.append((f"<{s}>", f"<{p}>", f"<{o}>"))

    def lit(self, s: str, p: str, literal: str) -> None:
        self.triples.append((f"<{s}>", f"<{p}>", literal))


class Generator:
    """Builds the graph municipality by municipality; ``quads()`` yields (s, p, o, g) in N-Quads syntax."""

    def __init__(self, triples: int, seed: int, *, violations: int = 0, municipalities: int | None = None,
                 base: str = DEFAULT_BASE, root: Path = ROOT):
        self.base, self.seed = base, seed
        self.munis = reference_municipalities(root, base)
        if municipalities:
            self.munis = self.munis[:municipalities]
        self.target = triples
        # Small graphs get small service areas, so that even one area per municipality stays near the target.
        self.units_per_area = (1, 2) if triples // len(self.munis) < 500 else (3, 5)
        self.violations = violations
        # Planted defects: the k-th goes to municipality k mod n, kind by round: each municipality gets at most
        # one defect of each kind before any gets a second, and the first area of a municipality always has
        # the entities a defect needs (a nursing home, a strategy, a plan).
        self.planted: dict[int, list[str]] = {}
        for k in range(violations):
            index = k % len(self.munis)
            self.planted.setdefault(index, []).append(VIOLATION_KINDS[(k // len(self.munis)) % len(VIOLATION_KINDS)])
        if any(len(kinds) > len(VIOLATION_KINDS) for kinds in self.planted.values()):
            raise ValueError(f"at most {len(VIOLATION_KINDS) * len(self.munis)} violations for this graph")

    def sid(self, kind: str, slug: str) -> str:
        return f"{self.base}id/synthetic/{kind}/{slug}"

    def graph_iri(self, muni: Municipality) -> str:
        return f"{self.base}graph/synthetic/municipality/{muni.number}"

    def quads(self) -> Iterator[tuple[str, list[tuple[str, str, str]]]]:
        """Yield (graph IRI, triples) per municipality."""
        emitted = 0
        for index, muni in enumerate(self.munis):
            rng = random.Random(f"{self.seed}/{muni.number}")
            # The running budget keeps the total near the target although areas come in whole blocks.
            quota = self.target * (index + 1) // len(self.munis) - emitted
            triples = self._municipality(muni, rng, list(self.planted.get(index, [])), quota).triples
            emitted += len(triples)
            yield self.graph_iri(muni), triples

    # -- one municipality

    def _municipality(self, m: Municipality, rng: random.Random, defects: list[str], quota: int) -> _Graph:
        g = _Graph()
        gi = self.graph_iri(m)
        source = self.sid("dataset", f"{m.number}-seed-{self.seed}")
        # The graph names its source (shapes/provenance.ttl) and says plainly that it is invented.
        g.iri(gi, DCT + "source", source)
        g.iri(gi, PROV + "wasDerivedFrom", source)
        g.lit(gi, DCT + "title", _lit(f"Syntetiske testdata for {m.name} ({m.number})", "nb"))
        g.lit(gi, RDFS + "comment", _lit("Synthetic benchmark data made by bench/generate.py; not facts.", "en"))
        g.iri(source, RDF_TYPE, DCAT + "Dataset")
        g.lit(source, RDFS + "label", _lit(f"Syntetisk datasett, frø {self.seed}, kommune {m.number}", "nb"))
        g.lit(source, DCT + "creator", _lit("bench/generate.py"))

        council = self.sid("committee", f"{m.number}-kommunestyre")
        g.iri(council, RDF_TYPE, HG + "MunicipalCouncil")
        g.lit(council, RDFS + "label", _lit(f"Kommunestyret i {m.name} (syntetisk)", "nb"))
        g.iri(council, ORG + "unitOf", m.iri)

        if m.health_community:
            membership = self.sid("membership", f"{m.number}-helsefellesskap")
            g.iri(membership, RDF_TYPE, ORG + "Membership")
            g.iri(membership, ORG + "member", m.iri)
            g.iri(membership, ORG + "organization", m.health_community)
            g.lit(membership, HG + "validFrom", _lit(f"20{rng.randint(20, 23)}-0{rng.randint(1, 9)}-01", None,
                                                     XSD + "date"))

        area, block = 0, 0
        while area == 0 or len(g.triples) + block // 2 < quota:
            area += 1
            before = len(g.triples)
            self._area(g, m, rng, area, council, defects if area == 1 else [])
            block = len(g.triples) - before
        return g

    def _date(self, rng: random.Random, first: int = 2015, last: int = 2024) -> str:
        return _lit(f"{rng.randint(first, last)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", None,
                    XSD + "date")

    def _unit(self, g: _Graph, rng, iri: str, cls: str, label: str, parent: str) -> None:
        g.iri(iri, RDF_TYPE, HG + cls)
        g.lit(iri, RDFS + "label", _lit(label, "nb"))
        g.iri(iri, ORG + "unitOf", parent)
        start = rng.randint(2015, 2023)
        g.lit(iri, HG + "validFrom", _lit(f"{start}-01-01", None, XSD + "date"))
        if rng.random() < 0.1:  # a unit that was closed or reorganised later
            g.lit(iri, HG + "validUntil", _lit(f"{rng.randint(start, 2024)}-12-31", None, XSD + "date"))

    def _service(self, g: _Graph, rng, iri: str, provider: str, where: str) -> None:
        cls, label, law, step = SERVICES[rng.randrange(len(SERVICES))]
        g.iri(iri, RDF_TYPE, HG + cls)
        g.lit(iri, RDFS + "label", _lit(f"{label} – {where} (syntetisk)", "nb"))
        g.iri(iri, HG + "providedBy", provider)
        g.iri(iri, HG + "careStaircaseStep", f"{self.base}id/concept/omsorgstrappa-trinn-{step}")
        g.iri(iri, HG + "legalBasis", self.base + "id/" + law)

    def _area(self, g: _Graph, m: Municipality, rng, a: int, council: str, defects: list[str]) -> None:
        n = m.number
        area = self.sid("unit", f"{n}-a{a}")
        self._unit(g, rng, area, "ServiceArea", f"Tjenesteområde {a} i {m.name} (syntetisk)", m.iri)

        # Buildings with care places; the first building of the first area is a nursing home, so a planted
        # negative capacity always has an institution place to sit on.
        buildings = []
        for k in range(rng.randint(1, 2)):
            building = self.sid("building", f"{n}-a{a}-b{k}")
            kind = "NursingHome" if k == 0 else rng.choice(["NursingHome", "CareCentre", "HealthHouse"])
            buildings.append(building)
            g.iri(building, RDF_TYPE, HG + kind)
            g.lit(building, RDFS + "label", _lit(f"Bygg {a}.{k} i {m.name} (syntetisk)", "nb"))
            if not (k == 0 and "building-without-municipality" in defects):
                g.iri(building, HG + "locatedIn", m.iri)
            if kind == "HealthHouse":  # a health house has no residential places (shapes/buildings.ttl)
                continue
            place_class = "InstitutionPlace" if kind == "NursingHome" else "HDOHome"
            for p in range(rng.randint(2, 4)):
                place = self.sid("care-place", f"{n}-a{a}-b{k}-p{p}")
                g.iri(place, RDF_TYPE, HG + place_class)
                g.lit(place, RDFS + "label", _lit(f"Plasser {a}.{k}.{p} (syntetisk)", "nb"))
                g.iri(place, HG + "partOfBuilding", building)
                if k == 0 and p == 0 and "negative-capacity" in defects:
                    g.lit(place, HG + "capacity", _lit(str(-rng.randint(1, 9)), None, XSD + "integer"))
                else:
                    g.lit(place, HG + "capacity", _lit(str(rng.randint(4, 40)), None, XSD + "nonNegativeInteger"))

        # Units, departments and sub-departments (a four-level org:unitOf chain below the municipality).
        for u in range(rng.randint(*self.units_per_area)):
            unit = self.sid("unit", f"{n}-a{a}-u{u}")
            self._unit(g, rng, unit, "MunicipalUnit", f"Enhet {a}.{u} i {m.name} (syntetisk)", area)
            departments = rng.randint(2, 4)
            g.lit(unit, HG + "numberOfDepartments", _lit(str(departments), None, XSD + "nonNegativeInteger"))
            g.iri(unit, ORG + "hasSite", buildings[u % len(buildings)])
            for s in range(2):
                self._service(g, rng, self.sid("service", f"{n}-a{a}-u{u}-s{s}"), unit, f"enhet {a}.{u}, {m.name}")
            for d in range(departments):
                dept = self.sid("unit", f"{n}-a{a}-u{u}-d{d}")
                self._unit(g, rng, dept, "Department", f"Avdeling {a}.{u}.{d} i {m.name} (syntetisk)", unit)
                self._service(g, rng, self.sid("service", f"{n}-a{a}-u{u}-d{d}-s0"), dept,
                              f"avdeling {a}.{u}.{d}, {m.name}")
                if rng.random() < 0.5:
                    sub = self.sid("unit", f"{n}-a{a}-u{u}-d{d}-t0")
                    self._unit(g, rng, sub, "Department", f"Team {a}.{u}.{d}.0 i {m.name} (syntetisk)", dept)

        # A thematic plan with goals, strategies and measures.
        plan = self.sid("plan", f"{n}-a{a}")
        g.iri(plan, RDF_TYPE, HG + "ThemePlan")
        g.lit(plan, RDFS + "label", _lit(f"Temaplan for tjenesteområde {a} i {m.name} (syntetisk)", "nb"))
        start = rng.randint(2018, 2026)
        end = start - 2 if "plan-period-reversed" in defects else start + rng.randint(2, 8)
        g.lit(plan, HG + "periodStart", _lit(str(start), None, XSD + "gYear"))
        g.lit(plan, HG + "periodEnd", _lit(str(end), None, XSD + "gYear"))
        g.iri(plan, HG + "adoptedBy", council)
        g.lit(plan, HG + "adoptedOn", self._date(rng, start - 1, start))
        under = rng.random() < 0.3
        g.iri(plan, HG + "planLegalBasis", self.base + "id/" + (PLANNING_ACT if under else "law/lov-2011-06-24-30"))
        g.lit(plan, HG + "underPlanningAndBuildingAct", _lit("true" if under else "false", None, XSD + "boolean"))
        first_strategy = True
        for o in range(rng.randint(2, 3)):
            goal = self.sid("goal", f"{n}-a{a}-g{o}")
            g.iri(goal, RDF_TYPE, HG + "Goal")
            g.lit(goal, RDFS + "label", _lit(f"Mål {o + 1} i temaplan {a}, {m.name} (syntetisk)", "nb"))
            g.iri(plan, HG + "hasGoal", goal)
            for s in range(2):
                strategy = self.sid("strategy", f"{n}-a{a}-g{o}-s{s}")
                g.iri(strategy, RDF_TYPE, HG + "Strategy")
                g.lit(strategy, RDFS + "label", _lit(f"Strategi {o + 1}.{s + 1}, {m.name} (syntetisk)", "nb"))
                if not (first_strategy and "strategy-without-goal" in defects):
                    g.iri(strategy, HG + "servesGoal", goal)
                first_strategy = False
                g.iri(plan, HG + "hasStrategy", strategy)
                for t in range(2):
                    measure = self.sid("measure", f"{n}-a{a}-g{o}-s{s}-m{t}")
                    g.iri(measure, RDF_TYPE, HG + "Measure")
                    g.lit(measure, RDFS + "label", _lit(f"Tiltak {o + 1}.{s + 1}.{t + 1}, {m.name} (syntetisk)", "nb"))
                    g.iri(measure, HG + "servesStrategy", strategy)
                    g.iri(plan, HG + "hasMeasure", measure)


def write(generator: Generator, out, fmt: str) -> int:
    """Write the graph as N-Quads (``nq``) or TriG (``trig``) to the binary file ``out``; return the triples."""
    total = 0
    for graph, triples in generator.quads():
        total += len(triples)
        if fmt == "nq":
            out.write("".join(f"{s} {p} {o} <{graph}> .\n" for s, p, o in triples).encode("utf-8"))
        else:
            body = "".join(f"  {s} {p} {o} .\n" for s, p, o in triples)
            out.write(f"<{graph}> {{\n{body}}}\n".encode())
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=parse_size, default=parse_size("100k"),
                        help="about how many triples (100k, 1M, 10M, or a number)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    parser.add_argument("--violations", type=int, default=0, metavar="K",
                        help="plant exactly K defects that the shapes report as sh:Violation")
    parser.add_argument("--municipalities", type=int, default=None, metavar="N",
                        help="only the first N municipalities (for tiny test graphs)")
    parser.add_argument("--base", default=DEFAULT_BASE, help="base IRI (default %(default)s)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="FILE.nq or FILE.trig")
    args = parser.parse_args(argv)
    fmt = args.output.suffix.lstrip(".").lower()
    if fmt not in {"nq", "trig"}:
        parser.error("the output must end in .nq or .trig")
    generator = Generator(args.triples, args.seed, violations=args.violations,
                          municipalities=args.municipalities, base=args.base)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("wb") as out:
        total = write(generator, out, fmt)
    print(f"{args.output}: {total} triples in {len(generator.munis)} graphs "
          f"({args.violations} planted violations, seed {args.seed})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
