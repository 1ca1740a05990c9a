"""Safe YAML loading with a position for every node.

PyYAML composes the node graph (with its marks); we construct plain Python values from it
ourselves so that we can

* keep ``path -> (line, col)`` for every value and every mapping key,
* refuse duplicate keys (PyYAML keeps the last one silently),
* read numbers exactly (``0.8`` becomes ``Decimal("0.8")``, never a float),
* follow YAML 1.2's core schema: only ``true``/``false`` are booleans (``yes``/``no``/``on``/
  ``off`` stay text), no sexagesimal numbers, no ``.nan``/``.inf``, no merge keys,
* bound the work: nesting depth and the number of nodes after alias expansion (a
  "billion laughs" file is refused after a fixed node budget, not after minutes).

Nothing here registers constructors on PyYAML's shared loaders: ``_Loader`` is a private
subclass with its own resolver table.  Only composition (nodes with marks) uses PyYAML/libyaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ._errors import Problem

Path = tuple[str | int, ...]

MAX_DEPTH = 64
MAX_NODES = 100_000
#: characters of text (scalars and keys) after alias expansion: a file cannot hold more than its
#: size, but 10 000 aliases of a 1 MiB text would be 10 GB
MAX_TEXT_CHARS = 32 * 1024 * 1024
#: a number may have at most this many digits, and a magnitude between 1e-MAX_EXPONENT and
#: 1e+MAX_EXPONENT: ``1e5000`` would break hashing and formatting (Python's 4300-digit limit
#: for int <-> str), ``1e999999`` takes half a minute to become an int
MAX_DIGITS = 100
MAX_EXPONENT = 100


class NumberTooLarge(ValueError):
    """A number with too many digits or too large an exponent (see :data:`MAX_DIGITS`)."""

    def __init__(self, text: str) -> None:
        super().__init__(f"number too large: {text[:40]}")
        self.text = text


def exact_decimal(text: str) -> Decimal:
    """``Decimal(text)``, refused (:class:`NumberTooLarge`) beyond the digit and exponent bounds."""
    value = Decimal(text)
    if value.is_finite() and (len(value.as_tuple().digits) > MAX_DIGITS
                              or (value != 0 and abs(value.adjusted()) > MAX_EXPONENT)):
        raise NumberTooLarge(text)
    return value


def bounded_int(text: str) -> int:
    """``int(text)``, refused (:class:`NumberTooLarge`) beyond :data:`MAX_DIGITS` digits."""
    if len(text) > MAX_DIGITS + 1:
        raise NumberTooLarge(text)
    return int(text)


def number_params(text: str) -> dict[str, Any]:
    """Message parameters of a ``number-too-large`` problem."""
    shown = text if len(text) <= 40 else text[:20] + "…" + text[-10:]
    return {"value": shown, "digits": MAX_DIGITS, "exponent": MAX_EXPONENT}


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML has it


def _char_at(text: str, mark: Any) -> str:
    """The character a syntax error points at (for the plain-words message of _yaml_words)."""
    if mark is None:
        return ""
    lines = text.split("\n")
    line = lines[mark.line] if 0 <= mark.line < len(lines) else ""
    return line[mark.column] if 0 <= mark.column < len(line) else ""


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader (libyaml's parser when available) with the YAML 1.2 core schema's implicit
    resolvers and nothing else; no constructor is ever registered on it."""


_Loader.yaml_implicit_resolvers = {}
_CORE_RESOLVERS = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
    (
        "tag:yaml.org,2002:timestamp",
        r"^(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
        r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
        r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?)$",
        list("0123456789"),
    ),
]
for _tag, _regexp, _first in _CORE_RESOLVERS:
    _Loader.add_implicit_resolver(_tag, re.compile(_regexp), _first)

_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_DATE_ONLY = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$")


class Located(str):
    """A string that remembers where it stood in its file (for rule texts)."""

    file: str | None
    line: int
    col: int
    end_line: int
    end_col: int
    style: str | None

    def __new__(cls, value: str, file: str | None, node: Node) -> "Located":
        self = super().__new__(cls, value)
        self.file = file
        self.line = node.start_mark.line + 1
        self.col = node.start_mark.column + 1
        self.end_line = node.end_mark.line + 1
        self.end_col = node.end_mark.column + 1
        self.style = getattr(node, "style", None)
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # copy and pickle keep the text and its place
        return (_relocate, (str(self), self.file, self.line, self.col, self.end_line, self.end_col, self.style))


def _relocate(value: str, file: str | None, line: int, col: int, end_line: int, end_col: int,
              style: str | None) -> Located:
    self = str.__new__(Located, value)
    self.file, self.line, self.col, self.end_line, self.end_col, self.style = file, line, col, end_line, end_col, style
    return self


@dataclass
class Positions:
    """Where each value (and each mapping key) of a loaded document stands."""

    file: str | None
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def of(self, path: Path, *, key: bool = False) -> tuple[int | None, int | None]:
        """Position of ``path``; falls back to the nearest enclosing node."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while True:
            if probe in table:
                return table[probe]
            if key and probe in self.values:
                return self.values[probe]
            if not probe:
                return (None, None)
            probe = probe[:-1]

    def locate(self, path: Path, *, key: bool = False) -> tuple[str | None, int | None, int | None]:
        """``(file or None, line, col)`` of ``path``; a facts workbook's positions give the cell
        (``台账.xlsx!会议记录!C12``) as the file and no line."""
        line, col = self.of(path, key=key)
        return None, line, col


class YamlError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


@dataclass
class _Builder:
    file: str | None
    located: bool
    positions: Positions
    problems: list[Problem]
    nodes: int = 0
    chars: int = 0  # of scalar texts built, aliases expanded
    text_dates: bool = False  # an impossible date (2023-02-30) stays text instead of a problem
    constructor: SafeConstructor = field(default_factory=SafeConstructor)

    def problem(self, code: str, node: Node, path: Path, **params: Any) -> None:
        self.problems.append(
            Problem(
                code,
                params,
                file=self.file,
                line=node.start_mark.line + 1,
                col=node.start_mark.column + 1,
                path=format_path(path) or None,
            )
        )

    def build(self, node: Node, path: Path, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Budget(node)
        if depth > MAX_DEPTH:
            self.problem("too-deep", node, path, limit=MAX_DEPTH)
            return None
        self.positions.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, (MappingNode, SequenceNode)) and node.tag not in _COLLECTION_TAGS:
            # e.g. !!python/object, !!set, !!omap: refused, never built as a plain mapping
            self.problem("bad-scalar", node, path, value=node.tag)
            return None
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: MappingNode, path: Path, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first: dict[Any, int] = {}
        for key_node, value_node in node.value:
            self.nodes += 1
            if not isinstance(key_node, ScalarNode):
                self.problem("wrong-type", key_node, path, expected="a text key",
                             expected_zh="文字键名", got="list" if isinstance(key_node, SequenceNode) else "mapping")
                continue
            key = self._scalar(key_node, path)
            if not isinstance(key, str):
                if isinstance(key, (int, bool)) or key is None or isinstance(key, Decimal):
                    key = "" if key is None else str(key).lower() if isinstance(key, bool) else str(key)
                else:
                    self.problem("wrong-type", key_node, path, expected="a text key",
                                 expected_zh="文字键名", got=type(key).__name__)
                    continue
            key = str(key)
            if key in first:
                self.problem("duplicate-key", key_node, path + (key,), key=key, first_line=first[key])
                continue
            first[key] = key_node.start_mark.line + 1
            self.positions.keys[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, path + (key,), depth + 1)
        return out

    def _scalar(self, node: ScalarNode, path: Path) -> Any:
        tag = node.tag
        text = node.value
        self.chars += len(text)
        if self.chars > MAX_TEXT_CHARS:
            raise _Budget(node, "too-much-text", MAX_TEXT_CHARS)
        if tag == "tag:yaml.org,2002:str":
            return Located(text, self.file, node) if self.located else text
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return text.lower() == "true"
        if tag == "tag:yaml.org,2002:int":
            if len(text) > MAX_DIGITS + 2:
                self.problem("number-too-large", node, path, **number_params(text))
                return None
            try:
                return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
            except ValueError:
                self.problem("bad-scalar", node, path, value=text)
                return None
        if tag == "tag:yaml.org,2002:float":
            try:
                value = exact_decimal(text)
            except InvalidOperation:
                value = None
            except NumberTooLarge:
                self.problem("number-too-large", node, path, **number_params(text))
                return None
            if value is None or not value.is_finite():
                self.problem("bad-scalar", node, path, value=text)
                return None
            return value
        if tag == "tag:yaml.org,2002:timestamp":
            try:
                stamp = self.constructor.construct_yaml_timestamp(node)
            except (ValueError, TypeError):
                if self.text_dates:
                    return text
                self.problem("bad-scalar", node, path, value=text)
                return None
            if _DATE_ONLY.match(text) and not isinstance(stamp, datetime):
                return stamp
            return stamp  # a datetime: callers that want a date reject it
        self.problem("bad-scalar", node, path, value=f"{tag} {text}".strip())
        return None


class _Budget(Exception):
    def __init__(self, node: Node | None, code: str = "too-many-nodes", limit: int = MAX_NODES,
                 mark: Any = None) -> None:
        self.node = node
        self.code = code
        self.limit = limit
        self.mark = mark if mark is not None else node.start_mark  # type: ignore[union-attr]


def _count_events(text: str) -> None:
    """Raise :class:`_Budget` once a text has more than MAX_NODES values, counting parser
    events only (no node is built): a 15 MB flat list is refused in a fraction of a second
    instead of after composing millions of nodes."""
    loader = _Loader(text)
    try:
        n = 0
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.SequenceStartEvent,
                                  yaml.MappingStartEvent)):
                n += 1
                if n > MAX_NODES:
                    raise _Budget(None, mark=event.start_mark)
    finally:
        loader.dispose()


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def load(text: str, file: str | None = None, *, located: bool = False, text_dates: bool = False
         ) -> tuple[Any, Positions]:
    """Parse ``text``; return ``(value, positions)`` or raise :class:`YamlError` with every problem.
    ``text_dates``: an impossible date such as ``2023-02-30`` is kept as text (facts: the
    schema then says ``facts-type`` where a date is declared, nothing where no key is)."""
    positions = Positions(file)
    problems: list[Problem] = []
    try:
        if len(text) > 2 * MAX_NODES:  # a shorter text cannot hold MAX_NODES values (2 characters each at least)
            _count_events(text)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except _Budget as budget:
        raise _budget_error(budget, file) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlError(
            [
                Problem(
                    "yaml-syntax",
                    {"problem": exc.problem or exc.context or "?", "context": exc.context or "",
                     "char": _char_at(text, mark)},
                    file=file,
                    line=mark.line + 1 if mark else None,
                    col=mark.column + 1 if mark else None,
                )
            ]
        ) from None
    except yaml.reader.ReaderError as exc:  # a control character; libyaml's position is in bytes
        line = col = None
        if isinstance(exc.character, int) and chr(exc.character) in text:
            at = text.index(chr(exc.character))
            line, col = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
        raise YamlError([Problem("yaml-syntax", {"problem": f"{exc.reason} (#x{exc.character:04x})"
                                                 if isinstance(exc.character, int) else str(exc.reason)},
                                 file=file, line=line, col=col)]) from None
    except yaml.YAMLError as exc:
        raise YamlError([Problem("yaml-syntax", {"problem": str(exc).splitlines()[0]}, file=file)]) from None
    if node is None:
        return None, positions
    builder = _Builder(file, located, positions, problems, text_dates=text_dates)
    try:
        value = builder.build(node, (), 0)
    except _Budget as budget:
        raise _budget_error(budget, file) from None
    if problems:
        raise YamlError(problems)
    return value, positions


def _budget_error(budget: _Budget, file: str | None) -> YamlError:
    return YamlError([Problem(budget.code, {"limit": budget.limit}, file=file, line=budget.mark.line + 1,
                              col=budget.mark.column + 1)])


def is_date(value: Any) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)
