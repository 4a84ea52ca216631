"""Measure SHACL engines on helsegraf's shapes: the bundled graph and synthetic graphs of a given size.

Run: ``python bench/validation/bench.py [--sizes 100000 1000000] [--engines pyshacl pyshacl-turbo]``.
Each engine validates the same rdflib graph with the same shapes (all data shape sets, no inference; the
ontology's class hierarchy is in the data graph), and the script checks that the engines report the same
(focus node, source shape, component, severity) results. Numbers go to stdout as a Markdown table.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef  # noqa: E402

from helsegraf import validation  # noqa: E402

HG = Namespace("https://w3id.org/helsegraf/ontology#")
ID = "https://w3id.org/helsegraf/id/"
ORG = Namespace("http://www.w3.org/ns/org#")


def synthetic(triples: int, seed: int = 4) -> Graph:
    """A graph shaped like the seeds (units, services, buildings, places, plans with goal/strategy/measure),
    about ``triples`` triples, with about 1 % of the nodes made invalid on purpose."""
    rnd = random.Random(seed)
    g = Graph()
    municipalities = [URIRef(ID + f"municipality/{n}") for n in ("5037", "5038", "5006", "5046", "4601")]
    i = 0
    while len(g) < triples:
        i += 1
        bad = rnd.random() < 0.01
        m = municipalities[i % len(municipalities)]
        unit, service = URIRef(ID + f"unit/u{i}"), URIRef(ID + f"service/s{i}")
        building, place = URIRef(ID + f"building/b{i}"), URIRef(ID + f"care-place/p{i}")
        plan, goal = URIRef(ID + f"plan/pl{i}"), URIRef(ID + f"goal/g{i}")
        strategy, measure = URIRef(ID + f"strategy/st{i}"), URIRef(ID + f"measure/me{i}")
        g.add((unit, RDF.type, HG.MunicipalUnit))
        g.add((unit, RDFS.label, Literal(f"Enhet {i}", lang="nb")))
        if not bad:
            g.add((unit, ORG.unitOf, m))
        g.add((unit, HG.numberOfDepartments, Literal(rnd.randint(1, 9), datatype=XSD.nonNegativeInteger)))
        g.add((service, RDF.type, HG.HomeService))
        g.add((service, RDFS.label, Literal(f"Tjeneste {i}", lang="nb")))
        g.add((service, HG.providedBy, unit))
        g.add((service, HG.legalBasis, URIRef(ID + "law/lov-2011-06-24-30")))
        g.add((building, RDF.type, HG.CareCentre))
        g.add((building, RDFS.label, Literal(f"Bygg {i}", lang="nb")))
        g.add((building, HG.locatedIn, m if not bad else URIRef(ID + "municipality/9999")))
        g.add((place, RDF.type, HG.HDOHome))
        g.add((place, HG.partOfBuilding, building))
        g.add((place, HG.capacity, Literal(rnd.randint(1, 40), datatype=XSD.nonNegativeInteger)))
        g.add((plan, RDF.type, HG.ThemePlan))
        g.add((plan, RDFS.label, Literal(f"Plan {i}", lang="nb")))
        g.add((plan, HG.periodStart, Literal("2024", datatype=XSD.gYear)))
        g.add((plan, HG.periodEnd, Literal("2030" if not bad else "2020", datatype=XSD.gYear)))
        g.add((plan, HG.underPlanningAndBuildingAct, Literal(False)))
        g.add((goal, RDF.type, HG.Goal))
        g.add((strategy, RDF.type, HG.Strategy))
        g.add((strategy, HG.servesGoal, goal))
        g.add((measure, RDF.type, HG.Measure))
        g.add((measure, HG.servesStrategy, strategy))
    return g


def with_reference(data: Graph) -> Graph:
    full = validation.QueryCachingGraph()
    full += data
    full += validation.neighbourhood(set(data.objects()), validation.bundled_graph(reference_only=True))
    full += validation.ontology_graph()
    return full


def measure(engine: str, graph: Graph, shapes: Graph | None, repeat: int = 1, upload: bool = False):
    """Best time of ``repeat`` runs, the peak memory the validation added (MiB), and the result keys.

    Each measurement runs in a forked child, so that its peak resident size (``ru_maxrss``) minus the size at
    the fork is the memory that engine needed, independent of what earlier measurements left behind.
    """
    import multiprocessing
    import resource

    def child(conn):
        start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        best, outcome = None, None
        for _ in range(repeat):
            started = time.perf_counter()
            if upload:  # a planner's upload: the real path, with the reference data it points at
                outcome = validation.validate(graph, engine=engine)
            else:
                outcome = validation.validate(graph, shapes, engine=engine, reference=False, ontology=False)
            elapsed = time.perf_counter() - started
            best = elapsed if best is None else min(best, elapsed)
        peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start_rss) / 1024
        conn.send((best, peak, len(outcome.results), key(outcome)))
        conn.close()

    ctx = multiprocessing.get_context("fork")
    parent, child_end = ctx.Pipe()
    process = ctx.Process(target=child, args=(child_end,))
    process.start()
    answer = parent.recv()
    process.join()
    return answer


def key(outcome) -> list:
    return sorted((str(r.focus_node), str(r.source_shape), str(r.component), r.severity) for r in outcome.results)


def _lines(path: Path) -> int:
    """Triples of an N-Quads/N-Triples file (one per line)."""
    with path.open("rb") as f:
        return sum(1 for _ in f)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", type=int, default=[100_000])
    parser.add_argument("--engines", nargs="+", default=["pyshacl", "pyshacl-turbo"])
    parser.add_argument("--generated", nargs="*", type=Path, default=[], metavar="FILE",
                        help="graphs written by bench/generate.py, validated as `helsegraf validate FILE` does "
                             "(parsing, reference data and report included)")
    parser.add_argument("--no-bundled", dest="bundled", action="store_false", help="skip the bundled graph")
    parser.add_argument("--uploads", nargs="*", type=int, default=[1_000],
                        help="sizes of planner uploads validated with the bundled reference data")
    parser.add_argument("--max-pyshacl", type=int, default=200_000,
                        help="skip pyshacl above this size (it is the slow reference)")
    args = parser.parse_args(argv)
    shapes = validation.load_shapes()
    print(f"machine: {platform.machine()}, {platform.processor() or '?'}; Python {platform.python_version()}; "
          f"{platform.system()} {platform.release()}")
    import importlib.metadata as md
    print("versions: " + ", ".join(f"{p} {md.version(p)}" for p in ("pyshacl", "pyshacl-turbo", "rdflib")))
    print()
    print("| graph | triples | engine | seconds | peak extra memory (MiB) | results | agrees with pyshacl |")
    print("| --- | ---: | --- | ---: | ---: | ---: | --- |")
    cases = [("bundled (ontology + data)", validation.bundled_graph())] if args.bundled else []
    cases += [(f"synthetic {n:,}", with_reference(synthetic(n))) for n in args.sizes]
    cases += [(f"generated {path.name}", path) for path in args.generated]
    cases += [(f"upload {n:,} (+ reference data)", synthetic(n)) for n in args.uploads]
    for name, graph in cases:
        reference = None
        for engine in args.engines:
            size = _lines(graph) if isinstance(graph, Path) else len(graph)
            if engine == "pyshacl" and size > args.max_pyshacl:
                print(f"| {name} | {size:,} | {engine} | (skipped) | | | |")
                continue
            seconds, peak, count, found = measure(engine, graph, shapes, repeat=3 if size < 20_000 else 1,
                                                  upload=name.startswith(("upload", "generated")))
            if engine == "pyshacl":
                reference = found
            agrees = "—" if reference is None or engine == "pyshacl" else ("yes" if found == reference else "NO")
            print(f"| {name} | {size:,} | {engine} | {seconds:.2f} | {peak:.0f} | {count} | {agrees} |",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
