"""The union default graph as a set: the RDF merge of all graphs, kept materialised in the store's default graph.

In *union mode* (``Settings.union_default_graph``, the default) the default graph of queries **and** of update
WHERE clauses is the RDF merge of every named graph: each triple once (pyoxigraph's own union, its
``use_default_graph_as_union`` and a list of default graphs all return a triple once per graph holding it, a
bag). helsegraf keeps that merge in the engine's default graph and maintains it inside the same transaction as
every write, so a query, an update WHERE and ``CLEAR DEFAULT`` see one dataset. The semantics (those of GraphDB):

- triples written into the default graph (``INSERT DATA { … }`` without ``GRAPH``, a Graph Store PUT/POST to
  ``?default``, default-graph quads of TriG/N-Quads) are kept in the named graph :data:`OWN_DEFAULT`, which is
  part of the merge and is exported as the default graph again;
- deleting a triple from the default graph deletes it from every graph; ``CLEAR DEFAULT`` / ``DROP DEFAULT``
  therefore clear everything queries see;
- dropping or changing a named graph removes from the merge exactly the triples no other graph still holds.

In *standards mode* the default graph is the store's own default graph, exactly as SPARQL 1.1 says. An on-disk
store records which layout it holds (the file :data:`MARKER` in its directory) and is converted when opened in
the other mode.
"""

from __future__ import annotations

from ..sparql.guards import tokens

#: The named graph that holds the triples written to the default graph in union mode.
OWN_DEFAULT = "urn:x-helsegraf:graph:own-default"

#: Scratch graphs holding, within an update's transaction only, the merge and the changed named graphs as they
#: were before the update.
BEFORE_DEFAULT = "urn:x-helsegraf:graph:merge-before"
BEFORE_NAMED = "urn:x-helsegraf:graph:named-before"
_SCRATCH = f"<{BEFORE_DEFAULT}>, <{BEFORE_NAMED}>"

#: File in an on-disk store's directory saying that its default graph holds the merge.
MARKER = "HELSEGRAF-UNION-DEFAULT-GRAPH"

_T = "?s ?p ?o"


def _in_no_graph() -> str:
    return f"FILTER NOT EXISTS {{ GRAPH ?h {{ {_T} }} FILTER(?h NOT IN ({_SCRATCH})) }}"


def wrap(update: str, graphs: set[str | None] | None, *, scan_merge: bool = False) -> str:
    """``update`` with the maintenance of the merge around it, as one SPARQL update request (one transaction).

    :param graphs: the graphs the update may change (``None`` in it: the default graph, i.e. the merge); ``None``:
        any graph. The cost of the maintenance follows the size of these graphs (the whole store when unknown).
    :param scan_merge: find the triples that left the named graphs by reading the whole merge (no writes)
        instead of copying the changed graphs first (writes, in proportion to those graphs): cheaper when the
        changed graphs are a large part of the store (the inferred graph).
    """
    named = None if graphs is None else sorted(g for g in graphs if g is not None)
    default = graphs is None or None in graphs
    head, tail = [], []
    if default and named is not None and not scan_merge:
        # The written named graphs are copied anyway (below); with them the merge needs no copy: before the
        # update it held every named triple, so a named triple now missing from it was deleted from the default
        # graph (unless it is new in a written graph), and a merge triple in no named graph and not in the copy
        # is new to the default graph.
        # (An empty NOT IN () is left out: pyoxigraph 0.5.13 then drops every solution.)
        written = ", ".join(f"<{g}>" for g in named)
        new_in_written = (f"FILTER(?g NOT IN ({written}) || EXISTS {{ GRAPH <{BEFORE_NAMED}> {{ {_T} }} }})"
                          if named else "")
        tail.append(f"DELETE {{ GRAPH ?g {{ {_T} }} }} WHERE {{ GRAPH ?g {{ {_T} }} FILTER(?g NOT IN ({_SCRATCH})) "
                    f"FILTER NOT EXISTS {{ {_T} }} {new_in_written} }}")
        tail.append(f"INSERT {{ GRAPH <{OWN_DEFAULT}> {{ {_T} }} }} WHERE {{ {_T} {_in_no_graph()} "
                    f"FILTER NOT EXISTS {{ GRAPH <{BEFORE_NAMED}> {{ {_T} }} }} }}")
    elif default:
        head.append(f"ADD SILENT DEFAULT TO <{BEFORE_DEFAULT}>")
        # New triples of the default graph are the default graph's own; triples deleted from it leave every graph.
        tail.append(f"INSERT {{ GRAPH <{OWN_DEFAULT}> {{ {_T} }} }} WHERE {{ {_T} "
                    f"FILTER NOT EXISTS {{ GRAPH <{BEFORE_DEFAULT}> {{ {_T} }} }} {_in_no_graph()} }}")
        tail.append(f"DELETE {{ GRAPH ?g {{ {_T} }} }} WHERE {{ GRAPH <{BEFORE_DEFAULT}> {{ {_T} }} "
                    f"FILTER NOT EXISTS {{ {_T} }} GRAPH ?g {{ {_T} }} }}")
    if named is None:
        tail.append(f"INSERT {{ {_T} }} WHERE {{ GRAPH ?g {{ {_T} }} FILTER(?g NOT IN ({_SCRATCH})) "
                    f"FILTER NOT EXISTS {{ {_T} }} }}")
        tail.append(f"DELETE {{ {_T} }} WHERE {{ {_T} {_in_no_graph()} }}")
    else:
        tail.extend(f"INSERT {{ {_T} }} WHERE {{ GRAPH <{g}> {{ {_T} }} FILTER NOT EXISTS {{ {_T} }} }}"
                    for g in named)
        if scan_merge:
            tail.append(f"DELETE {{ {_T} }} WHERE {{ {_T} {_in_no_graph()} }}")
        else:
            head.extend(f"ADD SILENT <{g}> TO <{BEFORE_NAMED}>" for g in named)
            tail.append(f"DELETE {{ {_T} }} WHERE {{ GRAPH <{BEFORE_NAMED}> {{ {_T} }} {_in_no_graph()} }}")
    tail += [f"DROP SILENT GRAPH <{BEFORE_DEFAULT}>", f"DROP SILENT GRAPH <{BEFORE_NAMED}>"]
    # The request's own prologue (PREFIX, BASE) stays first: pyoxigraph 0.5.13 refuses a prologue after a ";".
    prologue, body = split_prologue(update)
    if _ends_with_separator(body) and not any(True for _ in tokens(body)):  # nothing but the prologue
        return prologue + "\n" + " ;\n".join(head + tail)
    separator = "\n" if _ends_with_separator(body) else "\n;\n"
    prefix = " ; ".join(head) + " ;\n" if head else ""
    return prologue + "\n" + prefix + body + separator + " ;\n".join(tail)


def split_prologue(update: str) -> tuple[str, str]:
    r"""The leading PREFIX/BASE declarations of ``update`` and the rest.

    >>> split_prologue("PREFIX : <http://e/> # c\nBASE <http://b/> ADD DEFAULT TO :g")
    ('PREFIX : <http://e/> # c\nBASE <http://b/>', ' ADD DEFAULT TO :g')
    """
    from ..sparql.guards import _TOKEN

    end = 0
    expect: tuple[str, ...] = ("keyword",)
    for match in _TOKEN.finditer(update):
        kind, text = match.lastgroup, match.group(0)
        if kind in ("ws", "comment"):
            continue
        if expect == ("keyword",):
            if kind == "word" and text.upper() == "PREFIX":
                expect = ("pname", "iri")
            elif kind == "word" and text.upper() == "BASE":
                expect = ("iri",)
            else:
                break
        elif kind == expect[0]:
            expect = expect[1:] or ("keyword",)
            if expect == ("keyword",):
                end = match.end()
        else:
            break
    return update[:end], update[end:]


def to_union() -> str:
    """The update that converts a standards-mode store into union mode."""
    return f"ADD SILENT DEFAULT TO <{OWN_DEFAULT}> ; CLEAR SILENT DEFAULT ;\n" + wrap("", None)


#: Converts a union-mode store back into standards mode.
TO_STANDARD = f"CLEAR SILENT DEFAULT ; ADD SILENT <{OWN_DEFAULT}> TO DEFAULT ; DROP SILENT GRAPH <{OWN_DEFAULT}>"


def _ends_with_separator(update: str) -> bool:
    """Whether nothing, or a ``;``, ends the update (another ``;`` would then be a syntax error)."""
    last = None
    for token in tokens(update):
        last = token
    return last is None or last.text == ";"

