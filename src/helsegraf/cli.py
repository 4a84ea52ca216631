"""The ``helsegraf`` command: serve, load, query, export, stats (and validate).

Every flag can also be set as a ``HELSEGRAF_*`` environment variable (flags win).
"""

from __future__ import annotations

import argparse
import gzip
import logging
import sys
from pathlib import Path

from .config import Settings
from .store import GRAPH_FORMATS, SOLUTION_FORMATS, Store, StoreError, open_store

#: Exit codes, spelled out: 0 success, 1 validation found violations, 2 bad input or usage.
EXIT_OK, EXIT_VIOLATIONS, EXIT_USAGE = 0, 1, 2


def _store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", metavar="DIR", default=None,
                        help="on-disk store directory (default: in memory) [HELSEGRAF_STORE]")
    parser.add_argument("--store-url", metavar="URL", default=None,
                        help="use a remote SPARQL 1.1 engine instead of the embedded store [HELSEGRAF_STORE_URL]")
    parser.add_argument("--no-bundled-data", dest="bundled_data", action="store_false", default=None,
                        help="start empty instead of loading ontology/, shapes/ and data/ [HELSEGRAF_BUNDLED_DATA]")
    parser.add_argument("--data-root", metavar="DIR", default=None,
                        help="where ontology/, shapes/ and data/ are [HELSEGRAF_DATA_ROOT]")
    parser.add_argument("--base", default=None, help="base IRI of the graph [HELSEGRAF_BASE]")
    parser.add_argument("--union-default-graph", action=argparse.BooleanOptionalAction, default=None,
                        help="the default graph of a query is the union of the named graphs (default); "
                             "--no-union-default-graph: the store's own default graph, as SPARQL 1.1 says "
                             "[HELSEGRAF_UNION_DEFAULT_GRAPH]")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="helsegraf", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = commands.add_parser("serve", help="serve the SPARQL endpoint and web pages",
                                description="Serve helsegraf under the waitress WSGI server.")
    _store_options(serve)
    serve.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1) [HELSEGRAF_HOST]")
    serve.add_argument("--port", type=int, default=None, help="port (default 8000) [HELSEGRAF_PORT]")
    serve.add_argument("--threads", type=int, default=None, help="worker threads (default 8) [HELSEGRAF_THREADS]")
    serve.add_argument("--write-token", default=None,
                       help="bearer token that enables writes [HELSEGRAF_WRITE_TOKEN]")
    serve.add_argument("--query-timeout", type=float, default=None,
                       help="seconds a query may run (default 30) [HELSEGRAF_QUERY_TIMEOUT]")
    serve.set_defaults(func=cmd_serve)

    load = commands.add_parser("load", help="load RDF files into named graphs",
                               description="Load files (or, with none, the bundled ontology/, shapes/ and data/) "
                                           "into the store, one named graph per file, and report triples per graph.")
    _store_options(load)
    load.add_argument("files", nargs="*", type=Path, help="RDF files (.ttl .nt .nq .trig .jsonld .rdf)")
    load.add_argument("--graph", help="load every file into this graph instead of one graph per file")
    load.add_argument("--force", action="store_true", help="reload files whose checksum is unchanged")
    load.set_defaults(func=cmd_load, bundled_data=False)

    query = commands.add_parser("query", help="run a SPARQL query and print the result",
                                description="Run a SPARQL query on the store (by default the bundled graph in memory).")
    _store_options(query)
    source = query.add_mutually_exclusive_group(required=True)
    source.add_argument("sparql", nargs="?", help="the query text")
    source.add_argument("-f", "--file", type=Path, help="read the query from a file")
    query.add_argument("--format", default="table",
                       choices=["table", *SOLUTION_FORMATS, *[f for f in GRAPH_FORMATS if f not in ("trig", "nquads")]],
                       help="output format (default: a table, or Turtle for CONSTRUCT/DESCRIBE)")
    query.set_defaults(func=cmd_query)

    export = commands.add_parser("export", help="write the whole dataset as TriG or N-Quads",
                                 description="Dump every named graph of the store.")
    _store_options(export)
    export.add_argument("--format", choices=["trig", "nquads"], default="trig")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: standard output); "
                        "a name ending in .gz is gzip-compressed")
    export.set_defaults(func=cmd_export)

    stats = commands.add_parser("stats", help="triples per graph, classes and their instance counts")
    _store_options(stats)
    stats.set_defaults(func=cmd_stats)

    _add_validate(commands)
    from .planner.cli import extend  # the planner's spreadsheets (.xlsx/.csv/.zip) for validate

    extend(commands)
    return parser


def _add_validate(commands) -> None:
    """``helsegraf validate``: the bundled graph, or files with the reference data they point at."""
    from .validation import ENGINES

    parser = commands.add_parser(
        "validate", help="validate the bundled graph or RDF files against the SHACL shapes",
        description="Validate the whole bundled graph, or the given files together with the reference data they "
                    "point at. Exit 0 when no result is a Violation, 1 when one is, 2 for bad input.")
    parser.add_argument("files", nargs="*", type=Path, help="RDF files (.ttl .trig .jsonld .rdf .nt .nq)")
    parser.add_argument("--shapes", nargs="+", type=Path, default=None, metavar="FILE",
                        help="shapes files of your own (added to --shape-set when both are given)")
    parser.add_argument("--shape-set", nargs="+", default=None, metavar="NAME",
                        help="project shape sets by name (file stem in shapes/); default: all data shape sets")
    parser.add_argument("--lang", choices=["nb", "en"], default="nb", help="language of the messages")
    parser.add_argument("--format", choices=["text", "turtle", "json-ld", "json"], default="text",
                        help="report format (default: text)")
    parser.add_argument("--engine", dest="shacl_engine", choices=sorted(ENGINES), default=None,
                        help="SHACL engine [HELSEGRAF_SHACL_ENGINE]")
    parser.add_argument("--data-root", metavar="DIR", default=None,
                        help="where ontology/, shapes/ and data/ are [HELSEGRAF_DATA_ROOT]")
    parser.add_argument("--base", default=None, help="base IRI of the graph [HELSEGRAF_BASE]")
    parser.set_defaults(func=cmd_validate)


def cmd_validate(args) -> int:
    """Run ``helsegraf validate``: 0 no violations (the planner's verdict), 1 violations, 2 bad input."""
    import json

    from . import validation

    settings = settings_from(args)
    root, base = settings.data_root, settings.base
    try:
        user_shapes = None
        if args.shapes:
            user_shapes = validation.union_graph(validation.load_rdf_file(args.shapes[0]), describe_graphs=False)
            for path in args.shapes[1:]:
                user_shapes += validation.union_graph(validation.load_rdf_file(path), describe_graphs=False)
            validation.check_shapes(user_shapes)
        options = dict(shape_sets=args.shape_set, engine=settings.shacl_engine, lang=args.lang, root=root,
                       base=base)
        if args.files:
            outcome = validation.validate(args.files, user_shapes, **options)
        else:
            outcome = validation.validate(validation.bundled_graph(root, base=base), user_shapes, reference=False,
                                          **options)
    except validation.RDFSyntaxError as exc:
        print(f"helsegraf validate: syntax error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (validation.ValidationError, OSError) as exc:
        print(f"helsegraf validate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "turtle":
        sys.stdout.write(outcome.serialize("turtle"))
    elif args.format == "json-ld":
        sys.stdout.write(validation.report_as_jsonld(outcome) + "\n")
    elif args.format == "json":
        sys.stdout.write(json.dumps(outcome.to_json(args.lang), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(outcome.to_text(args.lang))
    return EXIT_OK if outcome.no_violations else EXIT_VIOLATIONS


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from the environment, overridden by the flags that were given."""
    names = Settings.__dataclass_fields__.keys()
    return Settings.from_env(**{k: v for k, v in vars(args).items() if k in names and v is not None})


def open_loaded_store(settings: Settings) -> Store:
    """Open the store and load the bundled data when the settings ask for it."""
    store = open_store(settings)
    if settings.bundled_data:
        from .loader import load_bundled

        load_bundled(store, Path(settings.data_root), settings.base)
    return store


def cmd_serve(args) -> int:
    import signal

    from waitress import serve

    from .web import create_app

    settings = settings_from(args)
    from .store.workers import WorkerStore, open_served_store

    # SIGTERM ends the process like Ctrl-C, so the exit handlers run (the engine and worker processes stopped,
    # the store flushed) instead of the process vanishing with them.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    # Queries run from memory in worker processes that can be stopped at the time limit (docs/operations.md).
    store = open_served_store(settings)
    app = create_app(settings, store=store)
    if isinstance(store, WorkerStore):
        store.start()  # the in-memory copy, made once the bundled data are in, before the first client
    if settings.store_url:
        where = f"remote store {settings.store_url}"
    elif settings.store and isinstance(store, WorkerStore):
        where = f"store {settings.store}, queries answered from an in-memory copy"
    elif settings.store:
        where = f"store {settings.store}"
    else:
        where = "in memory: no --store, so writes last until the server stops"
    mode = "union default graph" if settings.union_default_graph else "standard default graph"
    print(f"helsegraf: serving http://{settings.host}:{settings.port}/sparql ({where}; {mode})",
          file=sys.stderr, flush=True)
    serve(app, host=settings.host, port=settings.port, threads=settings.threads, ident="helsegraf",
          channel_timeout=max(120, int(settings.query_timeout) + 30))
    return EXIT_OK


def cmd_load(args) -> int:
    from .loader import load_bundled, load_files

    settings = settings_from(args)
    store = open_store(settings)
    root = Path(settings.data_root)
    if args.files:
        missing = [str(f) for f in args.files if not f.is_file()]
        if missing:
            print(f"helsegraf load: no such file: {', '.join(missing)}", file=sys.stderr)
            return EXIT_USAGE
        if args.graph:
            from .store import guess_format

            reports = [(str(f), args.graph, store.load(f, guess_format(f), args.graph, replace=False)) for f in args.files]
        else:
            reports = [(r.path, r.graph, r.triples) for r in load_files(store, args.files, _common_root(args.files, root),
                                                                       settings.base, force=args.force)]
            from .inference import materialise

            materialise(store, settings.base)
    else:
        reports = [(r.path, r.graph, r.triples) for r in load_bundled(store, root, settings.base, force=args.force)]
    if args.files and args.graph:
        from .inference import materialise

        materialise(store, settings.base)  # entailments follow every load
    if hasattr(store, "optimize"):
        store.optimize()  # compact the on-disk store after a bulk load: queries on a fresh load are 1.3-4x slower
    width = max((len(r[1]) for r in reports), default=5)
    for path, graph, triples in reports:
        print(f"{graph:<{width}}  {triples:>9}  {path}")
    print(f"{'total quads':<{width}}  {store.count():>9}")
    store.close()
    return EXIT_OK


def _common_root(files: list[Path], default: Path) -> Path:
    """Graph IRIs of files under the data root are named relative to it; other files relative to their folder."""
    resolved = [f.resolve() for f in files]
    if all(default.resolve() in f.parents for f in resolved):
        return default
    return Path(*Path.cwd().resolve().parts) if all(Path.cwd().resolve() in f.parents for f in resolved) \
        else resolved[0].parent


def cmd_query(args) -> int:
    settings = settings_from(args)
    text = args.file.read_text(encoding="utf-8") if args.file else args.sparql
    store = open_loaded_store(settings)
    result = store.query(text)
    out = sys.stdout.buffer
    if args.format != "table":
        allowed = GRAPH_FORMATS if result.kind == "graph" else SOLUTION_FORMATS
        if args.format not in allowed:
            print(f"helsegraf query: format {args.format} does not fit a {result.kind} result", file=sys.stderr)
            return EXIT_USAGE
        result.write(out, args.format)
        out.flush()
        return EXIT_OK
    if result.kind == "graph":
        result.write(out, "turtle")
    elif result.kind == "boolean":
        print("true" if result.boolean else "false")
    else:
        print_table(result.variables, [[_show(row.get(v)) for v in result.variables] for row in result.rows()])
    return EXIT_OK


def _show(term) -> str:
    if term is None:
        return ""
    if term.kind == "uri":
        from .namespaces import PREFIXES

        for prefix, iri in PREFIXES.items():
            if term.value.startswith(iri) and "/" not in term.value[len(iri):]:
                return f"{prefix}:{term.value[len(iri):]}"
        return f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    return term.value + (f"@{term.lang}" if term.lang else "")


def print_table(header: list[str], rows: list[list[str]]) -> None:
    """Print rows as an aligned text table with a count line."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    widths = [min(w, 120) for w in widths]

    def line(cells):
        return " | ".join(c[:120].ljust(w) for c, w in zip(cells, widths, strict=False))

    print(line(header))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(line(row))
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def cmd_export(args) -> int:
    settings = settings_from(args)
    store = open_loaded_store(settings)
    if args.output:
        opener = gzip.open if args.output.suffix == ".gz" else open
        with opener(args.output, "wb") as handle:
            store.dump(handle, args.format)
    else:
        store.dump(sys.stdout.buffer, args.format)
        sys.stdout.buffer.flush()
    return EXIT_OK


def cmd_stats(args) -> int:
    settings = settings_from(args)
    store = open_loaded_store(settings)
    print_table(["graph", "triples"], [[g, str(store.count(g))] for g in store.graphs()])
    print(f"total quads: {store.count()}")
    print()
    classes = store.query(
        "SELECT ?class (COUNT(DISTINCT ?s) AS ?instances) WHERE { ?s a ?class } GROUP BY ?class "
        "ORDER BY DESC(?instances) ?class"
    )
    print_table(["class", "instances"], [[_show(r["class"]), r["instances"].value] for r in classes.rows()])
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    # The server logs one line per request; the other commands stay quiet unless asked.
    level = logging.DEBUG if args.verbose else logging.INFO if args.command == "serve" else logging.WARNING
    logging.basicConfig(level=level,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        return args.func(args)
    except SyntaxError as error:
        print(f"helsegraf {args.command}: syntax error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (StoreError, OSError, ValueError) as error:
        print(f"helsegraf {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
