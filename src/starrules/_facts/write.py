"""Write a facts document as YAML or JSON text, exactly as it reads back.

Numbers stay exact: a ``Decimal`` is written in plain notation (``38.5``, never ``3.85E+1``
nor a binary float), dates as ``YYYY-MM-DD``.  Reading the text with
:func:`starrules._facts.read.read_facts` gives an equal document.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import yaml


def _plain_decimal(d: Decimal) -> str:
    text = format(d, "f")
    return text if "." in text else text + ".0"  # YAML 1.1 reads a float only with its dot


class _Dumper(yaml.SafeDumper):
    """SafeDumper that also writes Decimal (exactly) and keeps mapping order."""


def _represent_decimal(dumper: yaml.SafeDumper, d: Decimal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:float", _plain_decimal(d))


class _FlowMap(dict):  # type: ignore[type-arg]
    """A record of a list, written on one line: ``- {id: M1, type: group, …}``."""


class _FlowList(list):  # type: ignore[type-arg]
    """A list of plain values, written on one line: ``[CT01, CT02]``."""


def _flow_map(dumper: yaml.SafeDumper, data: Any) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _flow_list(dumper: yaml.SafeDumper, data: Any) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(tuple, yaml.SafeDumper.represent_list)
_Dumper.add_representer(_FlowMap, _flow_map)
_Dumper.add_representer(_FlowList, _flow_list)


def _shaped(value: Any, in_list: bool = False) -> Any:
    if isinstance(value, Mapping):
        flat = all(not isinstance(v, Mapping) and not (isinstance(v, (list, tuple)) and any(
            isinstance(i, (Mapping, list, tuple)) for i in v)) for v in value.values())
        items = {str(k): _shaped(v) for k, v in value.items()}
        return _FlowMap(items) if in_list and flat else items
    if isinstance(value, (list, tuple)):
        if all(not isinstance(v, (Mapping, list, tuple)) for v in value):
            return _FlowList(value)
        return [_shaped(v, in_list=True) for v in value]
    return value


def to_yaml(doc: Mapping[str, Any]) -> str:
    """Block style at the top, records and lists of plain values on one line each."""
    return yaml.dump(_shaped(doc), Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=120)


def _json(value: Any, indent: int, level: int) -> str:
    pad, inner = " " * (indent * level), " " * (indent * (level + 1))
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {_json(v, indent, level + 1)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + _json(v, indent, level + 1) for v in value) + "\n" + pad + "]"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return json.dumps(value.isoformat())
    if isinstance(value, date):
        return json.dumps(value.isoformat())
    return json.dumps(value, ensure_ascii=False)


def to_json(doc: Mapping[str, Any], indent: int = 2) -> str:
    """JSON with exact decimals (plain notation, read back by ``parse_float=Decimal``)."""
    return _json(doc, indent, 0) + "\n"
