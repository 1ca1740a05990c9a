"""The one exception tree of starrules.

::

    StarrulesError                 base of every error the library raises
    ├── StandardError              a standard file (or its layers) is invalid; .problems
    ├── FactsError                 a facts document is rejected; .problems (with fact paths)
    ├── NotFoundError              no standard with that id / no version for that year
    ├── EvaluationError            a rule failed at run time (e.g. division by zero); located
    ├── EngineError                a rule-engine backend (durable_rules) failed
    ├── VerifyError                a recorded result cannot be re-checked (standard changed)
    └── OutputError                an output file cannot be written, or would overwrite an input

Every error carries :class:`Problem` items: a stable ``code``, message parameters, and where
it happened (file, line, column, path).  Messages are rendered in Chinese or English only
for display (:mod:`starrules._messages`); the CLI renders them once, at its edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

Lang = Literal["zh", "en"]


@dataclass(frozen=True)
class Problem:
    """One located problem: ``file:line:col code message`` plus a fix in plain words."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    file: str | None = None
    line: int | None = None  # 1-based
    col: int | None = None  # 1-based
    path: str | None = None  # e.g. "indicators[3].rule" or "members[3].training_hours"

    def message(self, lang: Lang = "zh") -> str:
        from ._messages import render_message

        return render_message(self.code, self.params, lang)

    def fix(self, lang: Lang = "zh") -> str | None:
        from ._messages import render_fix

        return render_fix(self.code, self.params, lang)

    @property
    def where(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def render(self, lang: Lang = "zh") -> str:
        head = f"{self.where} {self.code} {self.message(lang)}"
        if self.path and self.path not in head:
            head += f" [{self.path}]"
        fix = self.fix(lang)
        if fix:
            head += "\n    " + ("修改建议：" if lang == "zh" else "fix: ") + fix
        return head

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file or "", self.line or 0, self.col or 0, self.code)

    def to_json(self, lang: Lang = "zh") -> dict[str, Any]:
        return {
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "path": self.path,
            "message": self.message(lang),
            "fix": self.fix(lang),
        }


class StarrulesError(Exception):
    """Base of every error raised by starrules."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | tuple[Problem, ...] | Problem) -> None:
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(sorted(problems, key=Problem.sort_key))
        super().__init__(self.render("en"))

    def render(self, lang: Lang = "zh") -> str:
        return "\n".join(p.render(lang) for p in self.problems)


class StandardError(StarrulesError):
    """A standard file, or one of the layers it extends, is invalid."""


class FactsError(StarrulesError):
    """A facts document is rejected (wrong type, out of range, missing identity, ...)."""


class NotFoundError(StarrulesError):
    """No standard with that id, or no version of a family for the facts' year."""


class EvaluationError(StarrulesError):
    """A rule could not be evaluated (e.g. a division by zero in a rule)."""


class EngineError(StarrulesError):
    """A rule-engine backend failed; the message says which standard and branch."""


class VerifyError(StarrulesError):
    """A recorded result cannot be re-checked (e.g. the standard file changed)."""


class OutputError(StarrulesError):
    """An output file cannot be written (folder missing or read-only, disk full), or would
    overwrite an input; any previous file under that name is left as it was."""
