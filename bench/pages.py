"""Time the browser pages (resource, law, ontology, pictures and its SVGs) of a running helsegraf.

    python bench/pages.py --url http://127.0.0.1:8000 [--repeat 3] [--timeout 120] [--json out.json]

Each page is fetched ``--repeat`` times after one warm-up; the median wall time and the body size are printed
as a Markdown table (what ``docs/benchmarks.md`` "Pages" shows). A page that takes longer than ``--timeout`` is
reported as such, not waited for. To reproduce the 1M figures::

    python bench/generate.py --triples 1M -o /tmp/g.nq
    helsegraf load --store /tmp/store1m /tmp/g.nq && helsegraf load --store /tmp/store1m   # + bundled files
    helsegraf serve --store /tmp/store1m --no-bundled-data --port 8000 &
    python bench/pages.py --url http://127.0.0.1:8000

The pages are chosen for their neighbourhoods in the generated graph: the health and care services act
(lov-2011-06-24-30) is cited by about 125,000 services, care-staircase step 3 by 30,000, Levanger holds the
seed documents' units.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from urllib.parse import quote

import requests

BASE = "https://w3id.org/helsegraf/"

PAGES = [
    ("municipality (Levanger)", "/id/municipality/5037"),
    ("law (health and care services act)", "/id/law/lov-2011-06-24-30"),
    ("law, page 2", "/id/law/lov-2011-06-24-30?page=2"),
    ("care-staircase step 3", "/id/concept/omsorgstrappa-trinn-3"),
    ("law as Turtle", "/id/law/lov-2011-06-24-30?format=ttl"),
    ("ontology", "/ontology"),
    ("pictures", "/pictures"),
    ("org chart SVG", "/pictures/org-chart.svg?unit=" + quote(BASE + "id/municipality/5037", safe="")),
    ("health community SVG", "/pictures/health-community.svg"),
    ("care staircase SVG", "/pictures/care-staircase.svg"),
]


def time_page(url: str, repeat: int, timeout: float) -> dict:
    """Median seconds and bytes of ``repeat`` fetches of ``url`` after a warm-up (or the time-out)."""
    times, size, status = [], 0, 0
    for attempt in range(repeat + 1):
        started = time.perf_counter()
        try:
            response = requests.get(url, timeout=timeout, headers={"Accept": "text/html"}
                                    if "format=" not in url else {})
        except requests.Timeout:
            return {"seconds": None, "bytes": None, "status": "timeout"}
        elapsed = time.perf_counter() - started
        size, status = len(response.content), response.status_code
        if attempt:  # the first fetch warms caches
            times.append(elapsed)
    return {"seconds": statistics.median(times), "bytes": size, "status": status}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="base URL of a running helsegraf")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    results = {}
    print("| page | path | median | size | status |\n| --- | --- | ---: | ---: | ---: |")
    for name, path in PAGES:
        figures = time_page(args.url.rstrip("/") + path, args.repeat, args.timeout)
        results[name] = {"path": path, **figures}
        seconds = f"{figures['seconds'] * 1000:,.0f} ms" if figures["seconds"] is not None \
            else f"> {args.timeout:.0f} s"
        size = f"{figures['bytes'] / 1024:,.0f} KiB" if figures["bytes"] is not None else "–"
        print(f"| {name} | `{path[:60]}` | {seconds} | {size} | {figures['status']} |", flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
