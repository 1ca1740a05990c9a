"""Where standards live: roots (package data, --standards-dir, $STARRULES_STANDARDS), ids, families.

A :class:`Registry` is an ordinary object (no module-level state): it indexes the YAML files
under its roots by id, resolves ``extends``/``revises`` chains (refusing cycles and files
outside the roots), and picks a family's version by year.

A name is a path only when it looks like one (a ``.yaml``/``.yml`` suffix or a path
separator): an id never names a file of the current folder.  An id held by two files of the
roots (a local standard shadowing a shipped one, say) is ``standard-ambiguous`` when it is
resolved, and a family with two versions covering the year is ``family-ambiguous``: neither
is ever picked silently.  Indexing is bounded (:data:`MAX_DEPTH`, :data:`MAX_FILES`,
:data:`MAX_ENTRIES`), reads regular files only, and skips a symlink that leads out of its root.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Sequence

from .._errors import NotFoundError, Problem, StandardError, StarrulesError
from .._yaml import YamlError, load as load_yaml
from .layer import apply_layer, from_base
from .._files import decode_text, is_regular, read_bytes
from .load import load_file, MAX_STANDARD_BYTES
from .pydantic_problems import suggest
from .resolved import ResolvedStandard

ENV_VAR = "STARRULES_STANDARDS"

#: how deep below a root standard files are looked for
MAX_DEPTH = 8
#: YAML files indexed per root at most (``list --standards-dir /`` stays bounded)
MAX_FILES = 500
#: folder entries looked at per root at most
MAX_ENTRIES = 20000


def shipped_root() -> Path:
    """The standards shipped with starrules (package data; the repo's standards/ in a checkout)."""
    packaged = Path(str(resources.files("starrules"))) / "_standards"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "standards"


@dataclass(frozen=True)
class Header:
    id: str
    family: str
    version: str
    path: Path
    start: date | None
    end: date | None
    parent: str | None
    where: tuple[int | None, int | None] = (1, 1)  # line, col of effective.from (for messages)
    id_where: tuple[int | None, int | None] = (1, 1)  # line, col of id

    def covers(self, year: int) -> bool:
        if self.start is None:
            return False
        return self.start.year <= year and (self.end is None or year <= self.end.year)

    @property
    def period(self) -> str:
        return f"{self.start or '?'}..{self.end or ''}"


def looks_like_path(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) or "/" in name or os.sep in name or (os.altsep or "/") in name


class Registry:
    def __init__(self, roots: Sequence[str | Path] = (), *, include_env: bool = True, include_shipped: bool = True):
        found: list[Path] = [Path(r) for r in roots]
        if include_env and os.environ.get(ENV_VAR):
            found += [Path(p) for p in os.environ[ENV_VAR].split(os.pathsep) if p]
        if include_shipped:
            found.append(shipped_root())
        self.roots: tuple[Path, ...] = tuple(dict.fromkeys(p.resolve() for p in found))
        self._shipped = shipped_root().resolve() if include_shipped else None
        self._headers: dict[str, Header] | None = None
        self._all: list[Header] | None = None
        self._file_lists: dict[Path, list[Path]] = {}
        #: roots whose walk stopped at a bound -> which bound
        self.truncated: dict[Path, str] = {}

    # -- index ---------------------------------------------------------------------------
    def all_headers(self) -> list[Header]:
        """Every standard file of the roots, in root order (an id may appear twice)."""
        if self._all is None:
            self._all = [h for root in self.roots for path in self._files(root)
                         if (h := read_header(path)) is not None]
        return self._all

    def headers(self) -> dict[str, Header]:
        """id -> header (for an id held twice: the first root's)."""
        if self._headers is None:
            headers: dict[str, Header] = {}
            for header in self.all_headers():
                headers.setdefault(header.id, header)
            # an overlay without its own effective period inherits its base's
            for hid in list(headers):
                h, seen = headers[hid], {hid}
                while h.start is None and h.parent in headers and h.parent not in seen:
                    seen.add(h.parent)
                    h = headers[h.parent]
                if h.start is not None and h is not headers[hid]:
                    headers[hid] = replace(headers[hid], start=h.start, end=h.end)
            self._headers = headers
        return self._headers

    def shipped(self, header: Header) -> bool:
        """Whether a header is of a standard shipped with starrules."""
        return self._shipped is not None and header.path.resolve().is_relative_to(self._shipped)

    def _files(self, root: Path) -> list[Path]:
        """The YAML files under ``root`` (sorted; bounded; regular files only; no symlink
        leading out of the root).  Records a root whose walk hit a bound in ``truncated``."""
        if root in self._file_lists:
            return self._file_lists[root]
        files: list[Path] = []
        entries = 0
        if root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root):
                depth = len(Path(dirpath).relative_to(root).parts)
                entries += len(dirnames) + len(filenames)
                if depth >= MAX_DEPTH and dirnames:
                    dirnames[:] = []
                    self.truncated[root] = f"depth {MAX_DEPTH}"
                dirnames.sort()
                for name in sorted(filenames):
                    if not name.endswith((".yaml", ".yml")):
                        continue
                    path = Path(dirpath) / name
                    if not is_regular(path) or not path.resolve().is_relative_to(root):
                        continue
                    files.append(path)
                    if len(files) >= MAX_FILES:
                        break
                if len(files) >= MAX_FILES or entries >= MAX_ENTRIES:
                    self.truncated[root] = f"{len(files)} files" if len(files) >= MAX_FILES else f"{entries} entries"
                    break
        self._file_lists[root] = files
        return files

    def _by_id(self, ident: str) -> list[Header]:
        """Every file of the roots whose id is ``ident`` (each file once).  Before the full
        index exists, only files whose text could hold that id are parsed."""
        if self._all is not None:
            found = [h for h in self._all if h.id == ident]
        else:
            key = ident.encode("utf-8")
            found = []
            for root in self.roots:
                for path in self._files(root):
                    try:
                        raw = read_bytes(path, MAX_STANDARD_BYTES, str(path))
                    except StarrulesError:
                        continue
                    # an id is spelt out, or hidden behind a YAML escape ("\u..", '' or a folded line)
                    if not (key in raw or b"\\" in raw or b"''" in raw):
                        continue
                    plain = _plain_id(raw)
                    if plain is not None and plain != key:  # its id is another one: no need to parse it
                        continue
                    header = _header_of(path, raw)
                    if header is not None and header.id == ident:
                        found.append(header)
        unique: dict[Path, Header] = {}
        for h in found:
            unique.setdefault(h.path.resolve(), h)
        return list(unique.values())

    def _one(self, ident: str) -> Header | None:
        """The one file whose id is ``ident``; ``standard-ambiguous`` when there are more."""
        found = self._by_id(ident)
        if len(found) > 1:
            first, second = found[0], found[1]
            if self.shipped(second) and not self.shipped(first):  # locate it on the local file
                first, second = second, first
            raise StandardError(Problem("standard-ambiguous", {"id": ident, "first": _display(first.path),
                                                               "second": _display(second.path)},
                                        file=_display(second.path), line=second.id_where[0],
                                        col=second.id_where[1], path="id"))
        return found[0] if found else None

    def ids(self) -> list[str]:
        return sorted(self.headers())

    def family_versions(self, family: str) -> list[Header]:
        chain_starts = [h for h in self.headers().values() if h.family == family]
        return sorted(chain_starts, key=lambda h: (h.start or date.min, h.id))

    # -- loading -------------------------------------------------------------------------
    def resolve(self, name: str, *, year: int | None = None,
                problems: list[Problem] | None = None) -> tuple[ResolvedStandard, str | None]:
        """Resolve an id, a path or a family (with ``year``). Returns the standard and, for a
        family, a note saying which version was picked.  Layering problems are raised, or
        appended to ``problems`` when it is given (the standard is still resolved)."""
        if looks_like_path(name):
            path = Path(name)
            if not path.exists() or path.is_dir():  # a device or pipe is refused when read
                raise StandardError(Problem("file-not-found", {"file": name}, file=name))
            return self._resolve_file(path, extra_root=path.resolve().parent, stack=(), problems=problems), None
        direct = self._one(name)
        if direct is not None:
            return self._resolve_file(direct.path, extra_root=None, stack=(), problems=problems), None
        headers = self.headers()
        versions = self.family_versions(name)
        if versions:
            if year is None:
                raise NotFoundError(Problem("no-version-for-year", {"family": name, "year": "?",
                                                                     "versions": [h.id for h in versions]}))
            covering = [h for h in versions if h.covers(year)]
            if not covering:
                raise NotFoundError(Problem("no-version-for-year", {"family": name, "year": year,
                                                                     "versions": [f"{h.id} ({h.period})" for h in versions]}))
            if len(covering) > 1:
                second = covering[1]
                raise NotFoundError(Problem("family-ambiguous", {"family": name, "year": year,
                                                                  "versions": [f"{h.id} ({h.period})" for h in covering]},
                                            file=_display(second.path), line=second.where[0], col=second.where[1],
                                            path="effective.from"))
            picked = covering[0]
            note = f"{name} → {picked.id} ({picked.period})"
            return self._resolve_file(self._one(picked.id).path, extra_root=None, stack=(),  # type: ignore[union-attr]
                                      problems=problems), note
        families = sorted({h.family for h in headers.values()})
        raise NotFoundError(Problem("standard-not-found", {"name": name, "available": self.ids() + families}))

    def resolve_file(self, path: Path) -> ResolvedStandard:
        """The standard of one file of the roots, its layers resolved through the roots."""
        return self._resolve_file(path, extra_root=None, stack=())

    def _inside_roots(self, path: Path, extra_root: Path | None) -> bool:
        resolved = path.resolve()
        roots = self.roots + ((extra_root,) if extra_root else ())
        return any(resolved.is_relative_to(r) for r in roots)

    def _resolve_file(self, path: Path, *, extra_root: Path | None, stack: tuple[str, ...],
                      problems: list[Problem] | None = None) -> ResolvedStandard:
        loaded = load_file(path, _display(path))
        model = loaded.model
        if model.id in stack:
            raise StandardError(Problem("extends-cycle", {"cycle": " → ".join(stack + (model.id,))},
                                        file=loaded.positions.file, line=1, col=1))
        if not loaded.is_layer:
            return from_base(loaded)
        target = model.extends or model.revises  # type: ignore[union-attr]
        key = "extends" if model.extends else "revises"  # type: ignore[union-attr]
        line, col = loaded.positions.of((key,))
        where = dict(file=loaded.positions.file, line=line, col=col, path=key)
        assert target is not None
        if looks_like_path(target):
            target_path = (path.parent / target)
            if not self._inside_roots(target_path, extra_root or path.resolve().parent):
                raise StandardError(Problem("extends-outside-roots", {"target": target}, **where))
            if not target_path.is_file():
                raise StandardError(Problem("extends-not-found", {"target": target, "available": self.ids()}, **where))
        else:
            direct = self._one(target)
            if direct is not None:
                base = self._resolve_file(direct.path, extra_root=extra_root, stack=stack + (model.id,),
                                          problems=problems)
                return apply_layer(base, loaded, problems)
            headers = self.headers()
            sibling = None
            if target not in headers:
                sibling_ids: list[str] = []
                for candidate in sorted(self._files(path.resolve().parent)):
                    h = read_header(candidate)
                    if h is not None and h.id == target:
                        sibling = candidate
                        break
                    if h is not None and h.id != model.id:
                        sibling_ids.append(h.id)
                if sibling is None:
                    available = sorted(set(self.ids()) | set(sibling_ids))
                    params: dict[str, Any] = {"target": target, "available": available}
                    close = suggest(target, available)
                    if close:
                        params["suggestion"] = close
                    raise StandardError(Problem("extends-not-found", params, **where))
            target_path = sibling or headers[target].path
        if target in stack or (target == model.id):
            raise StandardError(Problem("extends-cycle", {"cycle": " → ".join(stack + (model.id, target))}, **where))
        base = self._resolve_file(target_path, extra_root=extra_root, stack=stack + (model.id,), problems=problems)
        return apply_layer(base, loaded, problems)

    # -- checks across files ---------------------------------------------------------------
    def overlap_problems(self, headers: Iterable[Header] | None = None) -> list[Problem]:
        by_family: dict[str, list[Header]] = {}
        for h in headers if headers is not None else self.headers().values():
            by_family.setdefault(h.family, []).append(h)
        problems = []
        for family, hs in by_family.items():
            hs = sorted((h for h in hs if h.start), key=lambda h: h.start)  # type: ignore[arg-type, return-value]
            for a, b in zip(hs, hs[1:]):
                if a.end is None or (b.start and b.start <= a.end):
                    problems.append(Problem("version-overlap", {"family": family, "a": a.id, "b": b.id},
                                            file=_display(b.path), line=b.where[0], col=b.where[1],
                                            path="effective.from"))
        return problems


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


_ID_LINE = re.compile(rb"^id:[ \t]*(.*?)[ \t]*(?:#.*)?$", re.M)
_PLAIN = re.compile(rb"[A-Za-z0-9][A-Za-z0-9_.\-]*")


def _plain_id(raw: bytes) -> bytes | None:
    """The id of a block-mapping file written plainly on one line (``id: prov-2023``), or None
    when that cannot be told without the YAML parser (quotes, tags, several ``id:`` lines)."""
    found = _ID_LINE.findall(raw)
    if len(found) != 1 or not _PLAIN.fullmatch(found[0]):
        return None
    return found[0]  # type: ignore[no-any-return]


def read_header(path: Path) -> Header | None:
    """Identity of a standard file without full validation (None if unreadable)."""
    try:
        raw = read_bytes(path, MAX_STANDARD_BYTES, str(path))
    except StarrulesError:
        return None
    return _header_of(path, raw)


def _header_of(path: Path, raw: bytes) -> Header | None:
    try:
        data, positions = load_yaml(decode_text(raw, str(path)), str(path))
    except (StarrulesError, YamlError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return None
    eff: Any = data.get("effective") or {}
    start = eff.get("from") if isinstance(eff, dict) else None
    end = eff.get("to") if isinstance(eff, dict) else None
    return Header(
        id=data["id"],
        family=str(data.get("family", data["id"])),
        version=str(data.get("version", "")),
        path=path,
        start=start if isinstance(start, date) else None,
        end=end if isinstance(end, date) else None,
        parent=next((v for v in (data.get("extends"), data.get("revises")) if isinstance(v, str) and v), None),
        where=positions.of(("effective", "from")),
        id_where=positions.of(("id",)),
    )
