"""Print the issue-11 ratios of one `run.py measure` result file as Markdown (for docs/benchmarks.md).

    python bench/serve_ratios.py bench/results/100k-serve.json

Whole mix: queries/s of each system at each client count; the in-process floors have no server, so their
1-client rate is the mix run one query after another (count / sum of medians). Selective queries: the median of
helsegraf's per-query latency ratios to Oxigraph server's. Export: server memory growth (peak RSS of the
process tree minus RSS before) during the CSV export.
"""

from __future__ import annotations

import json
import statistics
import sys


def mix_rate(latency: dict, names: list[str]) -> float:
    """Queries/s of the mix run sequentially from per-query medians."""
    return len(names) / sum(latency[n]["median"] for n in names)


def main(path: str) -> None:
    record = json.load(open(path))
    systems, queries = record["systems"], record["queries"]
    mix = [n for n, kind in queries.items() if kind != "export"]
    selective = [n for n, kind in queries.items() if kind == "selective"]
    clients = record["settings"]["clients"]
    print(f"| whole mix, queries/s ({record['scale']}) | " + " | ".join(f"{c} client{'s' * (c > 1)}" for c in clients)
          + " |")
    print("| --- |" + " ---: |" * len(clients))
    for name, system in systems.items():
        if "error" in system:
            print(f"| {name} | failed: {system['error'][:80]} |")
            continue
        if "throughput" in system:
            cells = [f"{system['throughput'][f'full-{c}']['qps']:.1f}" for c in clients]
        else:
            cells = [f"{mix_rate(system['latency'], mix):.1f}"] + ["–"] * (len(clients) - 1)
        print(f"| {name} | " + " | ".join(cells) + " |")
    hg, ox = systems.get("helsegraf", {}), systems.get("oxigraph", {})
    if "latency" in hg and "latency" in ox:
        print()
        ratios = {n: hg["latency"][n]["median"] / ox["latency"][n]["median"] for n in selective}
        print(f"selective queries, helsegraf / Oxigraph server latency: median of ratios "
              f"{statistics.median(ratios.values()):.2f}x (" + ", ".join(f"{n} {r:.2f}" for n, r in ratios.items())
              + ")")
        for c in clients:
            print(f"whole mix at {c} clients: helsegraf / Oxigraph server = "
                  f"{hg['throughput'][f'full-{c}']['qps'] / ox['throughput'][f'full-{c}']['qps']:.2f}x")
        floor = systems.get("pyoxigraph-memory", {}).get("latency")
        if floor:
            rate = mix_rate(floor, mix)
            for c in (1, clients[-1]):
                print(f"whole mix at {c} clients: helsegraf / in-memory floor = "
                      f"{hg['throughput'][f'full-{c}']['qps'] / rate:.2f}x")
    for name in ("helsegraf", "oxigraph"):
        export = systems.get(name, {}).get("export")
        if export:
            print(f"{name} CSV export of {export['rows']} rows: memory +"
                  f"{(export['rss_peak'] - export['rss_before']) / 2**20:.0f} MiB in {export['seconds']:.1f} s")
    for name, system in systems.items():
        if "rss_peak" in system:
            pss = f", peak PSS {system['pss_peak'] / 2**20:.0f} MiB" if system.get("pss_peak") else ""
            print(f"{name} server memory: idle {system['rss_idle'] / 2**20:.0f} MiB, peak RSS sum "
                  f"{system['rss_peak'] / 2**20:.0f} MiB{pss} (RSS counts pages shared by forks once per process)")


if __name__ == "__main__":
    main(sys.argv[1])
