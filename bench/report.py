"""Turn ``bench/results/*.json`` into Markdown tables, target verdicts and a PNG chart.

``python bench/run.py report`` rewrites the part of ``docs/benchmarks.md`` between the markers
``<!-- results:start -->`` and ``<!-- results:end -->`` (the prose around it is kept) and draws
``docs/img/benchmarks.png``. Everything is a ratio to a reference measured in the same run on the same machine.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
CHART = ROOT / "docs" / "img" / "benchmarks.png"
START, END = "<!-- results:start -->", "<!-- results:end -->"

ORDER = ["pyoxigraph-memory", "pyoxigraph", "helsegraf", "oxigraph", "virtuoso", "helsegraf-virtuoso", "rdflib-endpoint"]
LABELS = {"pyoxigraph-memory": "pyoxigraph in memory, in process (the floor)",
          "pyoxigraph": "pyoxigraph RocksDB, in process", "helsegraf": "helsegraf embedded",
          "oxigraph": "Oxigraph server", "virtuoso": "Virtuoso /sparql", "helsegraf-virtuoso": "helsegraf on Virtuoso",
          "rdflib-endpoint": "rdflib-endpoint"}


def geomean(values: list[float]) -> float | None:
    """Geometric mean of positive numbers (None for none).

    >>> round(geomean([1, 4]), 3)
    2.0
    """
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.0f}" if seconds >= 0.1 else f"{seconds * 1000:.1f}"


def _mib(value: int | None) -> str:
    return "—" if not value else f"{value / 2**20:,.0f}"


def _cell(result: dict | None, floor: dict | None) -> str:
    if result is None:
        return "—"
    if "failed" in result:
        return f"**{result['failed']}** ({result['seconds']:.0f} s)"
    text = f"{_ms(result['median'])} / {_ms(result['p95'])}"
    if floor and "median" in floor and floor["median"] > 0:
        text += f" ({result['median'] / floor['median']:.1f}x)"
    return text


def _systems(record: dict) -> list[str]:
    """The systems that were measured (not those that failed), in report order."""
    return [s for s in ORDER if s in record["systems"] and "latency" in record["systems"][s]]


def ran_full_mix(record: dict, system: str) -> bool:
    """Whether the system was given the analytic queries (rdflib-endpoint may have had the selective ones only)."""
    latency = record["systems"][system].get("latency", {})
    return any(kind == "analytic" and name in latency for name, kind in record["queries"].items())


def latency_ratio(record: dict, system: str, reference: str, *, selective_only: bool = False) -> float | None:
    """Geometric mean over the queries both answered of system median / reference median."""
    systems = record["systems"]
    if system not in _systems(record) or reference not in _systems(record):
        return None
    ratios = []
    for name, kind in record["queries"].items():
        if kind == "export" or (selective_only and kind != "selective"):
            continue
        a, b = systems[system]["latency"].get(name), systems[reference]["latency"].get(name)
        if a and b and "median" in a and "median" in b and b["median"] > 0:
            ratios.append(a["median"] / b["median"])
    return geomean(ratios)


def markdown_tables(record: dict) -> str:
    systems = _systems(record)
    floor = record["systems"].get("pyoxigraph", {}).get("latency", {})
    prep = record["prepare"]
    lines = [f"### {record['scale']} (seed {record['seed']}; {prep.get('triples', 0):,} generated triples, "
             f"{prep.get('dataset_quads', 0):,} quads with the bundled data and entailments)", ""]
    lines += [f"Measured {record['started']} in {record['minutes']} min; load average at start "
              f"{', '.join(f'{x:.1f}' for x in record['machine']['load_average_at_start'])} "
              f"(the machine was shared with other engineers' work).", ""]

    lines += ["**Load** (quads per second; helsegraf = `helsegraf load`'s `load_files` on the generated file)", "",
              "| system | load rate | ratio to pyoxigraph bulk_load |", "| --- | ---: | ---: |"]
    triples = prep.get("triples", 0)
    base_rate = triples / prep["pyoxigraph_bulk_load_seconds"] if prep.get("pyoxigraph_bulk_load_seconds") else None
    if base_rate:
        lines.append(f"| pyoxigraph `bulk_load` (empty store) | {base_rate:,.0f} | 1.00 |")
    if prep.get("helsegraf_load_seconds"):
        rate = triples / prep["helsegraf_load_seconds"]
        lines.append(f"| helsegraf `load` | {rate:,.0f} | {rate / base_rate:.2f} |" if base_rate else "")
    for name in systems:
        rate = record["systems"][name].get("load_rate")
        if rate:
            lines.append(f"| {LABELS[name]} (whole dataset) | {rate:,.0f} | "
                         f"{rate / base_rate:.2f} |" if base_rate else f"| {LABELS[name]} | {rate:,.0f} | |")
    entail = prep.get("entailment_seconds")
    if entail:
        lines.append("")
        lines.append(f"RDFS entailments ({prep.get('entailments', 0):,} quads) took {entail:.1f} s with the closure "
                     "bound first (what `helsegraf.inference.materialise` now does); see the note below.")
    mat = prep.get("materialise", {})
    if "seconds" in mat:
        lines.append(f"`helsegraf.inference.materialise` itself: {mat['seconds']:.0f} s.")
    elif "timeout" in mat:
        lines.append(f"`helsegraf.inference.materialise` itself: **did not finish within {mat['timeout']:.0f} s**.")
    lines.append("")

    lines += ["**Per-query latency**, ms, median / p95 (ratio of the median to the in-process floor)", ""]
    lines.append("| query | class | " + " | ".join(LABELS[s] for s in systems) + " | rows |")
    lines.append("| --- | --- | " + " | ".join("---:" for _ in systems) + " | ---: |")
    for name, kind in record["queries"].items():
        if kind == "export":
            continue
        cells = [_cell(record["systems"][s]["latency"].get(name), None if s == "pyoxigraph" else floor.get(name))
                 for s in systems]
        counts = {record["systems"][s]["latency"].get(name, {}).get("rows") for s in systems} - {None}
        rows = "/".join(str(c) for c in sorted(counts)) + (" **differ**" if len(counts) > 1 else "")
        lines.append(f"| {name} | {kind} | " + " | ".join(cells) + f" | {rows} |")
    lines.append("")
    ratios = {s: latency_ratio(record, s, "pyoxigraph") for s in systems if s != "pyoxigraph"}
    lines.append("Geometric mean of median / floor over the mix: " + ", ".join(
        f"{LABELS[s]} {r:.2f}x" for s, r in ratios.items() if r) + ".")
    lines.append("")

    http = [s for s in systems if "throughput" in record["systems"][s]]
    clients = record["settings"]["clients"]
    lines += ["**Throughput**, queries per second (full mix without the export; selective-only mix)", ""]
    lines.append("| system | " + " | ".join(f"full, {c} clients" for c in clients) + " | "
                 + " | ".join(f"selective, {c}" for c in clients) + " |")
    lines.append("| --- | " + " | ".join("---:" for _ in clients * 2) + " |")
    for s in http:
        t = record["systems"][s]["throughput"]
        cells = []
        for mix in ("full", "selective"):
            for c in clients:
                r = t.get(f"{mix}-{c}") if mix == "selective" or ran_full_mix(record, s) else None
                cells.append("—" if not r else f"{r['qps']:.2f}" + (f" ({r['failed']} failed)" if r["failed"] else ""))
        lines.append(f"| {LABELS[s]} | " + " | ".join(cells) + " |")
    lines.append("")

    lines += ["**Memory** of the server's process tree (MiB, psutil RSS), and the streamed CSV export", "",
              "| system | idle | peak over the run | export rows | export seconds | RSS before export | peak during export |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for s in http:
        r = record["systems"][s]
        e = r.get("export", {})
        lines.append(f"| {LABELS[s]} | {_mib(r.get('rss_idle'))} | {_mib(r.get('rss_peak'))} | "
                     f"{e.get('rows') if e.get('rows') is not None else '—'} | "
                     f"{e['seconds']:.1f} |" if e else f"| {LABELS[s]} | {_mib(r.get('rss_idle'))} | "
                     f"{_mib(r.get('rss_peak'))} | — | — |")
        if e:
            lines[-1] += f" {_mib(e.get('rss_before'))} | {_mib(e.get('rss_peak'))} |"
        else:
            lines[-1] += " — | — |"
    if "helsegraf-virtuoso" in http:
        lines.append("")
        lines.append("(helsegraf on Virtuoso: helsegraf's own processes only; the engine's memory is in the Virtuoso row.)")
    lines.append("")
    for name, result in record["systems"].items():
        if "error" in result:
            last = [line.strip() for line in result["error"].splitlines() if line.strip()][-1]
            lines.append(f"**{LABELS.get(name, name)} could not be measured**: `{last[:400]}`")
            lines.append("")
    lines += targets(record)
    return "\n".join(line for line in lines if line is not None)


def targets(record: dict) -> list[str]:
    s = {name: record["systems"][name] for name in _systems(record)}
    out = ["**Targets**", "", "| target | measured | verdict |", "| --- | --- | --- |"]

    def verdict(ok: bool | None) -> str:
        return "—" if ok is None else ("met" if ok else "**missed**")

    if "helsegraf" in s and "oxigraph" in s:
        for c in record["settings"]["clients"]:
            a, b = s["helsegraf"]["throughput"].get(f"full-{c}"), s["oxigraph"]["throughput"].get(f"full-{c}")
            if a and b and b["qps"]:
                out.append(f"| helsegraf ≥ Oxigraph server, full mix, {c} clients | {a['qps'] / b['qps']:.2f}x | "
                           f"{verdict(a['qps'] >= b['qps'])} |")
        a, b = s["helsegraf"]["throughput"].get("selective-16"), s["oxigraph"]["throughput"].get("selective-16")
        if a and b and b["qps"]:
            out.append(f"| helsegraf ≥ 0.75x Oxigraph server, selective mix, 16 clients | {a['qps'] / b['qps']:.2f}x | "
                       f"{verdict(a['qps'] >= 0.75 * b['qps'])} |")
    r = latency_ratio(record, "helsegraf", "pyoxigraph")
    if r:
        out.append(f"| helsegraf ≤ 1.3x in-process pyoxigraph, per-query median (geometric mean) | {r:.2f}x | "
                   f"{verdict(r <= 1.3)} |")
        sel = latency_ratio(record, "helsegraf", "pyoxigraph", selective_only=True)
        if sel:
            out.append(f"| (the same, selective queries only) | {sel:.2f}x | {verdict(sel <= 1.3)} |")
    if "helsegraf" in s and "rdflib-endpoint" in s:
        rl = s["rdflib-endpoint"]["latency"]
        hl = s["helsegraf"]["latency"]
        ratios, timeouts = [], 0
        for name, kind in record["queries"].items():
            if kind == "export" or name not in hl or "median" not in hl[name]:
                continue
            other = rl.get(name)
            if other and "median" in other:
                ratios.append(other["median"] / hl[name]["median"])
            elif other and other.get("failed") == "timeout":
                timeouts += 1
                ratios.append(other["seconds"] / hl[name]["median"])  # a lower bound
        g = geomean(ratios)
        if g:
            out.append(f"| helsegraf ≥ 10x rdflib-endpoint, per-query median (geometric mean over the {len(ratios)} "
                       f"queries rdflib-endpoint was given; {timeouts} timeouts counted at the limit, a lower bound) | "
                       f"{g:.0f}x | {verdict(g >= 10)} |")
        # The selective mix is the one both ran whole (rdflib-endpoint may have been given only that).
        for c in record["settings"]["clients"]:
            a = s["helsegraf"]["throughput"].get(f"selective-{c}")
            b = s["rdflib-endpoint"]["throughput"].get(f"selective-{c}")
            if a and b and b["qps"]:
                out.append(f"| helsegraf ≥ 10x rdflib-endpoint, selective-mix throughput, {c} clients | "
                           f"{a['qps'] / b['qps']:.1f}x | {verdict(a['qps'] >= 10 * b['qps'])} |")
    r = latency_ratio(record, "helsegraf-virtuoso", "virtuoso")
    if r:
        out.append(f"| helsegraf on Virtuoso within 1.3x of Virtuoso's endpoint, per-query median (geometric mean) | "
                   f"{r:.2f}x | {verdict(r <= 1.3)} |")
    prep = record["prepare"]
    if prep.get("helsegraf_load_seconds") and prep.get("pyoxigraph_bulk_load_seconds"):
        r = prep["pyoxigraph_bulk_load_seconds"] / prep["helsegraf_load_seconds"]
        out.append(f"| bulk load ≥ 0.8x pyoxigraph's bulk_load rate | {r:.2f}x | {verdict(r >= 0.8)} |")
    h = s.get("helsegraf", {}).get("export")
    if h and h.get("rss_before"):
        growth = (h["rss_peak"] - h["rss_before"]) / 2**20
        out.append(f"| a {h['rows']:,}-row CSV SELECT streams in memory that does not grow with the result | "
                   f"server RSS +{growth:,.0f} MiB during the export | "
                   f"{verdict(growth < 100)} |")
    out.append("")
    return out


def chart(records: list[dict], path: Path = CHART) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    records = [r for r in records if any("throughput" in v for v in r["systems"].values())]
    if not records:
        return
    fig, axes = plt.subplots(len(records), 2, figsize=(12, 3.6 * len(records)), squeeze=False)
    for row, record in enumerate(records):
        clients = record["settings"]["clients"]
        systems = [s for s in _systems(record) if "throughput" in record["systems"][s]]
        for col, mix in enumerate(("full", "selective")):
            ax = axes[row][col]
            width = 0.8 / max(1, len(systems))
            for i, system in enumerate(systems):
                full = mix == "selective" or ran_full_mix(record, system)
                values = [record["systems"][system]["throughput"].get(f"{mix}-{c}", {}).get("qps", 0) if full else 0
                          for c in clients]
                ax.bar([x + i * width for x in range(len(clients))], values, width, label=LABELS[system])
            ax.set_xticks([x + width * (len(systems) - 1) / 2 for x in range(len(clients))])
            ax.set_xticklabels([f"{c} clients" for c in clients])
            ax.set_ylabel("queries per second")
            ax.set_title(f"{record['scale']}: {mix} mix")
            ax.grid(axis="y", alpha=0.3)
        axes[row][0].legend(fontsize=7, loc="upper left")
    fig.suptitle("helsegraf benchmark: throughput by concurrency (shared 2-core machine; compare ratios)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _scale_key(record: dict) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmM]?)", record["scale"])
    return float(match.group(1)) * {"": 1, "k": 1e3, "m": 1e6}[match.group(2).lower()] if match else 0


def write_report(paths: list[Path], doc: Path = DOC, chart_path: Path = CHART) -> int:
    # Load-only runs (``measure --load-only``) have no systems: docs/benchmarks.md reads them by hand.
    records = sorted((r for r in (json.loads(p.read_text()) for p in paths) if "systems" in r), key=_scale_key)
    if not records:
        print("no results")
        return 1
    m = records[-1]["machine"]
    body = [START, "",
            f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gib']} GiB memory, Linux {m['kernel']}, "
            f"Python {m['python']}; shared with other engineers' builds and tests while measuring.", "",
            "Versions: " + ", ".join(f"{k} {v}" for k, v in sorted(m["versions"].items())) + ".", "",
            f"![Throughput by concurrency](img/{chart_path.name})", ""]
    for record in records:
        body += [markdown_tables(record), ""]
    body.append(END)
    text = doc.read_text(encoding="utf-8") if doc.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(before + "\n".join(body) + after, encoding="utf-8")
    chart(records, chart_path)
    print(f"wrote {doc} and {chart_path}")
    return 0
