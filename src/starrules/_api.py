"""The public entry points: load a standard, evaluate facts."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from ._compile.standard import CompiledStandard, compile_standard  # noqa: F401 (used by the CLI)
from ._errors import FactsError, NotFoundError, Problem, StandardError
from ._evaluate.evaluate import evaluate_facts, facts_hash
from ._evaluate.result import Result
from ._facts.read import read_facts
from ._facts.unfit import depth_problem
from ._facts.validate import ValidatedFacts, describe
from ._standard.registry import Registry
from ._yaml import Positions

FactsInput = Mapping[str, Any] | str | Path


class Standard:
    """A loaded, resolved and compiled standard: immutable and safe to share across threads."""

    __slots__ = ("compiled", "note")

    def __init__(self, compiled: CompiledStandard, note: str | None = None) -> None:
        self.compiled = compiled
        self.note = note  # e.g. which version of a family was picked

    @property
    def id(self) -> str:
        return self.compiled.resolved.id

    @property
    def family(self) -> str:
        return self.compiled.resolved.family

    @property
    def version(self) -> str:
        return self.compiled.resolved.version

    @property
    def title(self) -> str:
        return self.compiled.resolved.title

    @property
    def sha256(self) -> str:
        """sha256 of the resolved standard's canonical form."""
        return self.compiled.sha256

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.compiled.indicators)

    @property
    def resolved(self) -> Any:
        return self.compiled.resolved

    def __repr__(self) -> str:
        return f"<Standard {self.id} v{self.version} {self.sha256[:12]}>"


def load_standard(
    id_or_path: str | Path,
    *,
    standards_dirs: Sequence[str | Path] = (),
    year: int | None = None,
) -> Standard:
    """Load a shipped standard by id (``"prov-2023"``), a family with a year (``"prov"``,
    ``year=2024``), or a YAML file by path. Raises :class:`StandardError` with every problem."""
    return Standard(*_compile(Registry(standards_dirs), str(id_or_path), year))


def _compile(registry: Registry, name: str, year: int | None) -> tuple[CompiledStandard, str | None]:
    """Resolve and compile, reporting layering and rule problems together."""
    problems: list[Problem] = []
    resolved, note = registry.resolve(name, year=year, problems=problems)
    try:
        compiled = compile_standard(resolved)
    except StandardError as exc:
        later = list(exc.problems)
        if problems:  # an indicator left unread by a refused rating rewrite is a consequence, not news
            later = [p for p in later if p.code != "rating-unread-indicator"]
        raise StandardError(problems + later) from None
    if problems:
        raise StandardError(problems)
    return compiled, note


def read_document(facts: FactsInput) -> tuple[Any, Positions | None, str | None]:
    if isinstance(facts, (str, Path)):
        return read_facts(facts)
    return facts, None, None


def validate_facts(standard: Standard, facts: FactsInput) -> ValidatedFacts:
    """Check a facts document against the standard's fact schema (raises :class:`FactsError`)."""
    doc, positions, file = read_document(facts)
    vf = standard.compiled.validator.validate(doc, file=file, positions=positions)
    facts_hash(doc, file)  # what evaluating would refuse (a lone surrogate, a 5000-digit number), refused here too
    return vf


def _year_of(doc: Any) -> int | None:
    year = doc.get("year") if isinstance(doc, Mapping) else None
    return year if type(year) is int else None


def load_for_year(name: str | Path, doc: Any, file: str | None, standards_dirs: Sequence[str | Path] = (),
                  ) -> Standard:
    """Load ``name`` (a family picks its version by the document's ``year``).  A family that
    finds no version because ``year`` is missing or not a whole number is the facts' fault:
    ``facts-missing`` / ``facts-type`` on ``year``, not ``no-version-for-year``."""
    year = _year_of(doc)
    try:
        return load_standard(name, standards_dirs=standards_dirs, year=year)
    except NotFoundError as exc:
        if year is not None or not any(p.code == "no-version-for-year" for p in exc.problems):
            raise
        raw = doc.get("year") if isinstance(doc, Mapping) else None
        if raw is None:
            raise FactsError(Problem("facts-missing", {"path": "year"}, file=file, path="year")) from None
        raise FactsError(Problem("facts-type", {"path": "year", "expected": "a whole number", "expected_zh": "整数",
                                                "got": describe(raw)}, file=file, path="year")) from None


def evaluate(
    standard: Standard | str | Path,
    facts: FactsInput,
    *,
    engine: str = "native",
    embed_facts: bool = False,
    standards_dirs: Sequence[str | Path] = (),
) -> Result:
    """Rate one branch. ``standard`` is a loaded :class:`Standard`, or an id, family or path
    (a family picks the version whose effective period contains the facts' year)."""
    doc, positions, file = read_document(facts)
    if not isinstance(standard, Standard):
        standard = load_for_year(standard, doc, file, standards_dirs)
    return evaluate_document(standard, doc, positions=positions, file=file, engine=engine, embed_facts=embed_facts)


def evaluate_document(
    standard: Standard,
    doc: Any,
    *,
    positions: Positions | None = None,
    file: str | None = None,
    engine: str = "native",
    embed_facts: bool = False,
) -> Result:
    compiled = standard.compiled
    vf = compiled.validator.validate(doc, file=file, positions=positions)
    sha = facts_hash(doc, file)
    embed = doc if embed_facts else None
    if embed is not None:  # the result's JSON must be writable: no deeper than a facts file may be
        deep = depth_problem(doc, file)
        if deep is not None:
            raise FactsError(deep)
    if engine == "native":
        return evaluate_facts(compiled, vf, facts_sha256=sha, embed=embed)
    if engine == "durable":
        from ._engines.durable import evaluate_durable

        return evaluate_durable(compiled, vf, facts_sha256=sha, embed=embed)
    raise FactsError(Problem("invalid-value", {"value": engine, "allowed": ["native", "durable"]}))
