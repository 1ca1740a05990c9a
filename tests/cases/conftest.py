"""Case ids as written (``file::case name``, Chinese included), not ASCII-escaped."""

from __future__ import annotations

from typing import Any

from starrules._cases import Case


def pytest_make_parametrize_id(config: Any, val: object, argname: str) -> str | None:
    if isinstance(val, Case):
        return val.id
    return None
