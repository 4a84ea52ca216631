"""helsegraf: a knowledge graph of Norwegian municipal health and care, served over SPARQL 1.1.

The public surface:

- :class:`Settings` — every setting, from defaults, ``HELSEGRAF_*`` variables and flags
- :func:`open_store`, :class:`Store`, :class:`StoreError` — the one interface to the data
- :func:`load_bundled`, :func:`load_files` — files into named graphs
- :func:`create_app` — the Flask application
"""

from .config import Settings
from .loader import load_bundled, load_files
from .store import Store, StoreError, open_store

__all__ = ["Settings", "Store", "StoreError", "create_app", "load_bundled", "load_files", "open_store"]
__version__ = "0.1.0"


def create_app(settings=None, store=None):
    """Build the web application (see :func:`helsegraf.web.create_app`)."""
    from .web import create_app as _create_app

    return _create_app(settings, store)
