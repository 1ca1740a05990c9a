"""Static types of the rule language.

Types are frozen, hashable values::

    BOOL  NUMBER  INT (an integer NUMBER)  STRING  DATE
    Enum(values)        a STRING with a fixed set of values (``status``)
    Set(T) / List(T)    a list fact is a List; literals, ranges and months(...) are Sets
    Object(fields)      ``committee``: fields by name
    Record(fields, key) one item of a record collection; ``key`` names its id field
    Records(record)     ``members``, ``meetings``
    Map(T)              a parameter keyed by strings, ``$brand_points``
    Optional(T)         a value that may be ``none`` (a field declared ``absent: none``)
    Opaque(name)        a value only host functions understand (e.g. rating bands)
    NONE                the type of the literal ``none``
    NOTHING             the element type of ``[]`` (fits anything)
    ERROR               stands in for an expression that already failed to check

UNKNOWN is a *value*, not a type: any value read from the facts may be unknown at run time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = [
    "Type",
    "Prim",
    "BOOL",
    "NUMBER",
    "INT",
    "STRING",
    "DATE",
    "NONE",
    "NOTHING",
    "ERROR",
    "Enum",
    "Set",
    "List",
    "Object",
    "Record",
    "Records",
    "Map",
    "Optional",
    "Opaque",
    "is_numeric",
    "is_collection",
    "element",
    "strip_optional",
    "assignable",
    "join",
    "comparable",
    "describe",
]


class Type:
    """Base class of all types."""

    __slots__ = ()

    def __str__(self) -> str:
        return describe(self, "en")


@dataclass(frozen=True, slots=True)
class Prim(Type):
    name: str

    def __repr__(self) -> str:
        return f"T.{self.name.upper()}"

    __str__ = Type.__str__


BOOL = Prim("bool")
NUMBER = Prim("number")
INT = Prim("int")
STRING = Prim("string")
DATE = Prim("date")
NONE = Prim("none")
NOTHING = Prim("nothing")
ERROR = Prim("error")


@dataclass(frozen=True, slots=True)
class Enum(Type):
    """A string whose possible values are known (``values`` may be given as any iterable)."""

    values: frozenset[str]

    def __init__(self, values: Iterable[str]) -> None:
        object.__setattr__(self, "values", frozenset(values))


@dataclass(frozen=True, slots=True)
class Set(Type):
    elem: Type


@dataclass(frozen=True, slots=True)
class List(Type):
    elem: Type


def _fields(fields: Mapping[str, Type] | Iterable[tuple[str, Type]]) -> tuple[tuple[str, Type], ...]:
    items = fields.items() if isinstance(fields, Mapping) else fields
    return tuple((str(k), v) for k, v in items)


class _HasFields(Type):
    """Field lookup shared by objects and records (``fields`` is a tuple of (name, type))."""

    __slots__ = ()
    fields: tuple[tuple[str, Type], ...]

    def field(self, name: str) -> Type | None:
        for k, v in self.fields:
            if k == name:
                return v
        return None

    def field_names(self) -> list[str]:
        return [k for k, _ in self.fields]


@dataclass(frozen=True, slots=True)
class Object(_HasFields):
    """An object fact (``committee``).  ``fields`` may be given as a mapping."""

    fields: tuple[tuple[str, Type], ...]
    name: str | None = None

    def __init__(self, fields: Mapping[str, Type] | Iterable[tuple[str, Type]], name: str | None = None) -> None:
        object.__setattr__(self, "fields", _fields(fields))
        object.__setattr__(self, "name", name)


@dataclass(frozen=True, slots=True)
class Record(_HasFields):
    """One item of a record collection.  ``key`` is the field identifying an item (``id``);
    its values are the evidence reported for the item."""

    fields: tuple[tuple[str, Type], ...]
    key: str | None = None
    name: str | None = None

    def __init__(
        self,
        fields: Mapping[str, Type] | Iterable[tuple[str, Type]],
        key: str | None = None,
        name: str | None = None,
    ) -> None:
        object.__setattr__(self, "fields", _fields(fields))
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "name", name)


@dataclass(frozen=True, slots=True)
class Records(Type):
    record: Record

    @property
    def elem(self) -> Record:
        return self.record


@dataclass(frozen=True, slots=True)
class Map(Type):
    """A parameter mapping strings to values of one type."""

    value: Type


@dataclass(frozen=True, slots=True)
class Optional(Type):
    inner: Type


@dataclass(frozen=True, slots=True)
class Opaque(Type):
    name: str


# ---------------------------------------------------------------------------- helpers


def strip_optional(t: Type) -> Type:
    return t.inner if isinstance(t, Optional) else t


def is_numeric(t: Type) -> bool:
    return t is NUMBER or t is INT or t == NUMBER or t == INT


def is_collection(t: Type) -> bool:
    return isinstance(t, (Set, List, Records))


def element(t: Type) -> Type:
    if isinstance(t, (Set, List)):
        return t.elem
    if isinstance(t, Records):
        return t.record
    raise TypeError(t)


def _is_stringy(t: Type) -> bool:
    return t == STRING or isinstance(t, Enum)


def assignable(src: Type, dst: Type) -> bool:
    """Whether a value of type ``src`` may be used where ``dst`` is expected."""
    if src == dst or src == ERROR or dst == ERROR or src == NOTHING:
        return True
    if dst == NUMBER and src == INT:
        return True
    if dst == STRING and isinstance(src, Enum):
        return True
    if isinstance(dst, Enum) and isinstance(src, Enum):
        return src.values <= dst.values
    if isinstance(dst, Optional):
        return src == NONE or assignable(strip_optional(src), dst.inner)
    if isinstance(dst, Set) and isinstance(src, (Set, List)):
        return assignable(src.elem, dst.elem)
    if isinstance(dst, List) and isinstance(src, List):
        return assignable(src.elem, dst.elem)
    return False


def join(a: Type, b: Type) -> Type | None:
    """The least type both fit (for if-branches, list items, min/max); None if none."""
    if a == b:
        return a
    if a == ERROR or b == ERROR:
        return ERROR
    if a == NOTHING:
        return b
    if b == NOTHING:
        return a
    if a == NONE:
        return Optional(strip_optional(b))
    if b == NONE:
        return Optional(strip_optional(a))
    if isinstance(a, Optional) or isinstance(b, Optional):
        j = join(strip_optional(a), strip_optional(b))
        return Optional(strip_optional(j)) if j is not None else None
    if is_numeric(a) and is_numeric(b):
        return NUMBER
    if isinstance(a, Enum) and isinstance(b, Enum):
        return Enum(a.values | b.values)
    if _is_stringy(a) and _is_stringy(b):
        return STRING
    if isinstance(a, (Set, List)) and isinstance(b, (Set, List)):
        e = join(a.elem, b.elem)
        if e is None:
            return None
        return List(e) if isinstance(a, List) and isinstance(b, List) else Set(e)
    return None


def comparable(a: Type, b: Type, ordering: bool) -> bool:
    """Whether ``a OP b`` is meaningful.  Ordering (< <= > >=) needs numbers or dates;
    equality also accepts strings, bools and sets/lists (compared as sets)."""
    a, b = strip_optional(a), strip_optional(b)
    if a == ERROR or b == ERROR:
        return True
    if is_numeric(a) and is_numeric(b):
        return True
    if a == DATE and b == DATE:
        return True
    if ordering:
        return False
    if _is_stringy(a) and _is_stringy(b):
        return True
    if a == BOOL and b == BOOL:
        return True
    if isinstance(a, (Set, List)) and isinstance(b, (Set, List)):
        return a.elem == NOTHING or b.elem == NOTHING or comparable(a.elem, b.elem, False)
    return False


_ZH = {
    "bool": "真假值",
    "number": "数值",
    "int": "整数",
    "string": "文字",
    "date": "日期",
    "none": "none",
    "nothing": "任意值",
    "error": "（错误）",
}
_EN = {
    "bool": "true/false",
    "number": "a number",
    "int": "an integer",
    "string": "text",
    "date": "a date",
    "none": "none",
    "nothing": "anything",
    "error": "(error)",
}


def describe(t: Type, lang: str = "en") -> str:
    """A plain description of a type for messages (``"a set of integers"``, ``"整数集合"``)."""
    zh = lang == "zh"
    match t:
        case Prim(name=n):
            return (_ZH if zh else _EN)[n]
        case Enum(values=vs):
            shown = ", ".join(sorted(vs)[:6]) + (", …" if len(vs) > 6 else "")
            return f"文字（{shown}）" if zh else f"text ({shown})"
        case Set(elem=e) | List(elem=e):
            if e == NOTHING:
                return "集合" if zh else "a set"
            inner = describe(e, lang)
            if zh:
                return f"{inner}集合"
            return "a set of " + _plural(inner)
        case Object(name=n) | Record(name=n):
            kind = "对象" if isinstance(t, Object) else "记录"
            if zh:
                return f"{n}{kind}" if n else kind
            word = "an object" if isinstance(t, Object) else "a record"
            return f"{word} ({n})" if n else word
        case Records(record=r):
            if zh:
                return f"{r.name}记录集" if r.name else "记录集"
            return f"records ({r.name})" if r.name else "records"
        case Map(value=v):
            return f"{describe(v, lang)}映射" if zh else f"a map to {_plural(describe(v, lang))}"
        case Optional(inner=i):
            return f"{describe(i, lang)}或 none" if zh else f"{describe(i, lang)} or none"
        case Opaque(name=n):
            return n
    return repr(t)


def _plural(desc: str) -> str:
    for art in ("an ", "a "):
        if desc.startswith(art):
            rest = desc[len(art) :]
            if rest == "integer":
                return "integers"
            if rest in ("number", "date"):
                return rest + "s"
            return rest
    return desc
