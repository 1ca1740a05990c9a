"""The optional ``starrules[xlsx]`` dependencies (xlsxwriter, python-calamine), imported lazily."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

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


def new_workbook(path: str | Path) -> Any:
    """An xlsxwriter workbook that writes every string as text (never a number, formula or URL)."""
    xlsxwriter = require("xlsxwriter", str(path))
    return xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})


def close_workbook(wb: Any, path: str | Path) -> None:
    """Write the workbook; a file that cannot be written is ``file-unwritable``."""
    xlsxwriter = require("xlsxwriter", str(path))
    try:
        wb.close()
    except (OSError, xlsxwriter.exceptions.FileCreateError) as exc:
        cause = exc if isinstance(exc, OSError) else (exc.__cause__ or exc.__context__ or exc)
        reason = getattr(cause, "strerror", None) or str(cause)
        raise FactsError(Problem("file-unwritable", {"file": str(path), "reason": reason}, file=str(path))) from None
