"""Find and load case files: YAML -> :class:`CaseFileSpec` -> one :class:`Case` per case,
with its facts merged onto the base.  Every problem is located (``file:line:col``) and
carries the code ``case-invalid`` (or the facts file's own code when a base file is broken).

:func:`collect` is the one collector shared by ``starrules test`` and pytest.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from pydantic import ValidationError

from .._errors import Problem, StarrulesError
from .._facts.read import read_facts
from .._standard.load import read_text
from .._standard.pydantic_problems import problems_from
from .._yaml import Path, Positions, YamlError, format_path
from .._yaml import load as load_yaml
from .merge import Layer, Origins, merge
from .model import CaseFileSpec, Expect

MAX_CASE_BYTES = 4 * 1024 * 1024
#: folders whose YAML files a directory scan leaves alone (base facts live there)
SKIPPED_DIRS = ("facts",)


class CaseError(StarrulesError):
    """A case file is invalid (``case-invalid``), or a facts file it names cannot be read."""


@dataclass(frozen=True, eq=False)
class Case:
    """One case, ready to run: the standard it names, its merged facts and what to expect."""

    file: str  # as displayed (the path it was collected under)
    line: int
    name: str
    standard: str  # an id, or a path resolved from the case file's folder
    facts: dict[str, Any]
    expect: Expect
    note: str | None = None
    origins: Origins = field(default_factory=Origins, repr=False, compare=False)
    positions: Positions | None = field(default=None, repr=False, compare=False)
    index: int = 0  # position in the file's ``cases:`` list

    @property
    def id(self) -> str:
        """``file::case name`` (the pytest id and the name ``starrules test`` shows)."""
        return f"{self.file}::{self.name}"

    def where(self, *path: str | int) -> tuple[int | None, int | None]:
        """Line and column of ``cases[index].<path>`` in the case file."""
        if self.positions is None:
            return (self.line, None)
        return self.positions.of(("cases", self.index) + tuple(path), key=True)


@dataclass
class Collection:
    """What :func:`collect` found: the cases, and the problems of the files that failed."""

    cases: list[Case] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def invalid(detail_zh: str, detail_en: str, file: str | None, line: int | None = None, col: int | None = None,
            path: str | None = None) -> Problem:
    """A ``case-invalid`` problem with its detail in both languages."""
    return Problem(
        "case-invalid",
        {"detail": detail_en, "_zh": f"测试用例无效：{detail_zh}", "_en": f"invalid test case: {detail_en}"},
        file=file, line=line, col=col, path=path,
    )


def _as_case_problem(p: Problem) -> Problem:
    """A format problem (unknown key, wrong type …) reported under the code ``case-invalid``."""
    params = {"detail": p.message("en"), "_zh": f"测试用例无效：{p.message('zh')}",
              "_en": f"invalid test case: {p.message('en')}"}
    if p.code != "invalid-format":  # its fix points at the standard format's docs
        for lang in ("zh", "en"):
            fix = p.fix(lang)  # type: ignore[arg-type]
            if fix:
                params[f"_fix_{lang}"] = fix
    return Problem("case-invalid", params, file=p.file, line=p.line, col=p.col, path=p.path)


def find_case_files(paths: Iterable[str | os.PathLike[str]]) -> list[FsPath]:
    """Files named directly, and every ``*.yaml``/``*.yml`` under a folder named (except in
    hidden folders and in folders named ``facts``), each folder's files in name order."""
    out: list[FsPath] = []
    for p in paths:
        path = FsPath(p)
        if path.is_dir():
            for q in sorted(path.rglob("*")):
                rel = q.relative_to(path).parts
                if q.suffix not in (".yaml", ".yml") or not q.is_file():
                    continue
                if any(part.startswith(".") or part in SKIPPED_DIRS for part in rel[:-1]) or rel[-1].startswith("."):
                    continue
                out.append(q)
        else:
            out.append(path)
    seen: set[FsPath] = set()
    unique = []
    for f in out:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def _looks_like_path(ref: str) -> bool:
    return ref.endswith((".yaml", ".yml", ".json")) or "/" in ref or os.sep in ref


class _FactsFiles:
    """Facts files read once per collection (many case files share one base)."""

    def __init__(self) -> None:
        self._cache: dict[FsPath, tuple[Any, Positions | None, str]] = {}

    def read(self, path: FsPath) -> tuple[Any, Positions | None, str]:
        key = path.resolve()
        if key not in self._cache:
            self._cache[key] = read_facts(path)
        return self._cache[key]


def load_case_file(path: str | os.PathLike[str], *, facts_files: _FactsFiles | None = None) -> list[Case]:
    """Load one case file; raise :class:`CaseError` with every problem found."""
    facts_files = facts_files or _FactsFiles()
    fs_path = FsPath(path)
    display = str(path)
    try:
        text = read_text(fs_path, MAX_CASE_BYTES, display)
        data, positions = load_yaml(text, display)
    except YamlError as exc:
        raise CaseError([_as_case_problem(p) if p.code != "yaml-syntax" else p for p in exc.problems]) from None
    except StarrulesError as exc:
        raise CaseError(list(exc.problems)) from None
    if not isinstance(data, dict):
        raise CaseError(invalid("文件顶层应是键值映射，含 standard 和 cases",
                                "the top level must be a mapping with standard and cases", display, 1, 1))
    try:
        spec = CaseFileSpec.model_validate(data)
    except ValidationError as exc:
        raise CaseError([_as_case_problem(p) for p in problems_from(exc, CaseFileSpec, data, positions)]) from None

    folder = fs_path.parent
    problems: list[Problem] = []

    def at(path: Path, *, key: bool = False) -> tuple[int | None, int | None]:
        return positions.of(path, key=key)

    standard = spec.standard
    if _looks_like_path(standard):
        standard = os.path.abspath(os.path.join(folder, standard))  # the case may run from elsewhere

    def facts_file(ref: str, where: Path) -> Layer | None:
        target = FsPath(os.path.normpath(os.path.join(folder, ref)))
        if not target.is_file():
            line, col = at(where)
            shown = os.path.abspath(target)
            problems.append(invalid(f"找不到事实文件 {ref}（相对于用例文件所在的文件夹，即 {shown}）",
                                    f"facts file {ref} not found (relative to the case file's folder: {shown})",
                                    display, line, col, format_path(where)))
            return None
        try:
            doc, pos, shown = facts_files.read(target)
        except StarrulesError as exc:
            problems.extend(exc.problems)
            return None
        if not isinstance(doc, dict):
            line, col = at(where)
            problems.append(invalid(f"事实文件 {ref} 的顶层应是键值映射", f"facts file {ref} is not a mapping",
                                    display, line, col, format_path(where)))
            return None
        return Layer(doc, shown, pos)

    base: Layer | None = None
    if isinstance(spec.base, str):
        base = facts_file(spec.base, ("base",))
    elif isinstance(spec.base, dict):
        base = Layer(data["base"], display, positions, ("base",))

    cases: list[Case] = []
    first_line: dict[str, int] = {}
    for i, case in enumerate(spec.cases):
        line, col = at(("cases", i, "name"))
        if case.name in first_line:
            problems.append(invalid(f"用例名 “{case.name}” 重复（第一次出现在第 {first_line[case.name]} 行）",
                                    f"case name '{case.name}' used twice (first at line {first_line[case.name]})",
                                    display, line, col, f"cases[{i}].name"))
            continue
        first_line[case.name] = line or 0
        for iid, want in case.expect.indicators.items():
            if want.status is None and want.points is None:
                where = ("cases", i, "expect", "indicators", iid)
                iline, icol = at(where)
                problems.append(invalid(f"指标 {iid} 的期望需写 status 或 points", f"the expectation of {iid} needs status or points",
                                        display, iline, icol, format_path(where)))
        layers: list[Layer] = []
        if case.facts_file is not None:
            start = facts_file(case.facts_file, ("cases", i, "facts_file"))
            if start is None:
                continue
            layers.append(start)
        elif base is not None:
            layers.append(base)
        elif spec.base is not None:  # a base file that could not be read: reported once
            continue
        raw = data["cases"][i]["facts"] if case.facts is not None else {}
        doc = merge(layers[0].data if layers else {}, raw)
        if case.facts is not None:
            layers.append(Layer(raw, display, positions, ("cases", i, "facts")))
        cases.append(Case(file=display, line=line or 0, name=case.name, standard=standard, facts=doc,
                          expect=case.expect, note=case.note, origins=Origins(tuple(layers)),
                          positions=positions, index=i))
    if problems:
        raise CaseError(problems)
    return cases


def collect(paths: Sequence[str | os.PathLike[str]]) -> Collection:
    """Every case under ``paths`` (files or folders), in file and case order.  A file with
    problems contributes its problems instead of its cases."""
    found = Collection()
    facts_files = _FactsFiles()
    for f in find_case_files(paths):
        found.files.append(str(f))
        try:
            found.cases.extend(load_case_file(f, facts_files=facts_files))
        except CaseError as exc:
            found.problems.extend(exc.problems)
    return found


__all__ = ["Case", "CaseError", "Collection", "collect", "find_case_files", "invalid", "load_case_file"]
