"""The namespaces validation uses, and the project IRIs built from a deployment's base.

Every IRI the validator mints or looks for (shapes, ontology terms, graph names) is derived from the configured
base (:attr:`helsegraf.config.Settings.base`); the bundled files are written with the default base and are
rebased as the loader rebases them (:func:`rebase_text`).
"""

from __future__ import annotations

from rdflib import Namespace

from ..namespaces import DEFAULT_BASE, graph_base

SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
#: The shapes namespace under the default base (the bundled shapes' own IRIs).
HGSH = Namespace(DEFAULT_BASE + "shapes#")
#: Named-graph prefix under the default base.
GRAPH_BASE = graph_base(DEFAULT_BASE)


def shapes_ns(base: str = DEFAULT_BASE) -> Namespace:
    """The shapes namespace under ``base``.

    >>> str(shapes_ns("https://example.org/hg/"))
    'https://example.org/hg/shapes#'
    """
    return Namespace(base + "shapes#")


def ontology_ns(base: str = DEFAULT_BASE) -> Namespace:
    """The ontology namespace under ``base``."""
    return Namespace(base + "ontology#")


def rebase_text(text: str, base: str) -> str:
    """A bundled file's text with the default base replaced by ``base`` (the loader's rule)."""
    return text if base == DEFAULT_BASE else text.replace(DEFAULT_BASE, base)
