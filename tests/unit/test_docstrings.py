"""The ``>>>`` examples in the package's docstrings run and hold (doctests of every module)."""

import doctest
import importlib
import pkgutil

import pytest

import helsegraf

pytestmark = pytest.mark.unit

MODULES = sorted(m.name for m in pkgutil.walk_packages(helsegraf.__path__, "helsegraf."))


def test_modules_are_found():
    assert "helsegraf.store.embedded" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
