"""The optional ``starrules[xlsx]`` dependencies (xlsxwriter, python-calamine), imported lazily."""

from __future__ import annotations

import io

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

from .._errors import FactsError, Problem
from .._files import write_atomic

#: module -> the distribution that provides it
PACKAGES = {"xlsxwriter": "xlsxwriter", "python_calamine": "python-calamine"}


def require(module: str, file: str | None = None) -> ModuleType:
    """Import ``module``, or raise FactsError ``xlsx-missing-extra`` with the install hint."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise FactsError(Problem("xlsx-missing-extra", {"package": PACKAGES.get(module, module)},
                                 file=file)) from None


def new_workbook(path: str | Path) -> Any:
    """An xlsxwriter workbook that writes every string as text (never a number, formula or URL)."""
    xlsxwriter = require("xlsxwriter", str(path))
    # built in memory, then written atomically by close_workbook (never a half-written file)
    return xlsxwriter.Workbook(io.BytesIO(), {"strings_to_numbers": False, "strings_to_formulas": False,
                                              "strings_to_urls": False})


def close_workbook(wb: Any, path: str | Path) -> None:
    """Write the workbook (built in memory) to ``path`` atomically; a file that cannot be
    written is ``output-unwritable``."""
    wb.close()
    write_atomic(path, wb.filename.getvalue())
