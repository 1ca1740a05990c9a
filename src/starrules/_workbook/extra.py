"""The optional ``starrules[xlsx]`` dependencies (xlsxwriter, python-calamine), imported lazily."""

from __future__ import annotations

import importlib
from types import ModuleType

from .._errors import FactsError, Problem

#: module -> the distribution that provides it
PACKAGES = {"xlsxwriter": "xlsxwriter", "python_calamine": "python-calamine"}


def require(module: str, file: str | None = None) -> ModuleType:
    """Import ``module``, or raise FactsError ``xlsx-missing-extra`` with the install hint."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise FactsError(Problem("xlsx-missing-extra", {"package": PACKAGES.get(module, module)},
                                 file=file)) from None
