"""One fixture per error code, each declaring what it must produce in its first lines.

A fixture's leading comment lines are its expectation::

    # expect: 57:5 unknown-key            (line:col, line, file.yaml:line:col, file.yaml, or -)
    # en: unknown key 'titel'             (a fragment of the English message)
    # zh: 未知的键 “titel”                 (a fragment of the Chinese message)
    # run: load other.yaml                (optional; how to produce the problem, see _run)

Several ``expect`` lines (each followed by its ``en``/``zh``) mean several problems, in this
order (sorted by line).  ``expect: … facts-undeclared warning`` expects a warning, not an
error.  JSON has no comments: ``x.json`` keeps its expectation in ``x.expect``.

Standards live in ``tests/fixtures/invalid/<code>.yaml`` (or ``<code>/``, several files, the one
with the ``expect`` line is the entry point; more fixtures of one code are ``<code>--<what>.yaml``,
e.g. one per silent no-op that the code now reports), facts documents in ``tests/fixtures/facts/<code>.*``
(checked against prov-2023).  A new catalogue code without a fixture fails
:func:`test_every_code_has_a_fixture`.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import starrules
from starrules import FactsError, NotFoundError, Problem, StandardError, StarrulesError
from starrules._messages import CATALOGUE
from starrules._standard.load import MAX_STANDARD_BYTES
from starrules._standard.registry import Registry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
INVALID = FIXTURES / "invalid"
FACTS = FIXTURES / "facts"
SEVERAL = FIXTURES / "several"

# The codes about standard files and facts documents: each has a fixture.
FILE_CODES = {
    "file-not-found", "file-too-large", "encoding", "yaml-syntax", "json-syntax", "duplicate-key",
    "too-deep", "too-many-nodes", "bad-scalar", "not-a-mapping", "number-too-large",
    "too-much-text",
}
STANDARD_CODES = {
    "unknown-key", "missing-key", "wrong-type", "invalid-value", "out-of-range", "invalid-format",
    "duplicate-id", "unknown-dimension", "kind-field", "bad-default", "bad-parameter",
}
LAYER_CODES = {
    "extends-not-found", "extends-cycle", "extends-outside-roots", "overlay-loosens", "overlay-rewrites",
    "overlay-new-incomplete", "version-overlap", "standard-not-found", "no-version-for-year",
    "standard-ambiguous", "family-ambiguous",
    "overlay-new-incomplete", "rating-unread-indicator", "version-overlap", "standard-not-found", "no-version-for-year",
}
RULE_CODES = {
    "rule-syntax", "rule-unknown-name", "rule-unknown-function", "rule-type", "rule-arity",
    "rule-bad-date", "rule-unknown-value", "rule-cycle", "rule-too-deep",
    "rule-too-costly",
}
FACTS_CODES = {
    "facts-missing", "facts-type", "facts-range", "facts-invalid-value", "facts-duplicate-id",
    "facts-duplicate-item", "facts-dangling-ref", "facts-null-in-list", "facts-timestamp",
    "facts-not-mapping", "facts-undeclared", "bad-text",
}
FIXTURE_CODES = FILE_CODES | STANDARD_CODES | LAYER_CODES | RULE_CODES | FACTS_CODES
# Codes of later stages (evaluation, batch, verify, test cases): tested where they arise.
LATER_CODES = {
    "rule-error", "facts-year-outside", "eval-error", "engine-error", "engine-missing", "dask-missing", "dask-error",
    "file-unreadable", "batch-duplicate-branch",
    "rule-error", "facts-year-outside", "eval-error", "engine-error", "engine-missing", "dask-missing", "dask-error", "file-unreadable", "batch-duplicate-branch", "batch-unit-fact-conflict",
    "verify-standard-changed", "verify-no-facts", "verify-facts-changed", "case-invalid",
    "rule-error", "facts-year-outside", "eval-error", "engine-error", "engine-missing", "dask-missing", "dask-error", "file-unreadable", "batch-duplicate-branch",
    "verify-standard-changed", "verify-no-facts", "verify-facts-changed", "case-invalid", "explain-missing",
    "upload-type", "batch-too-many-rows", "request-timeout", "zip-refused",
    "rule-error", "facts-year-outside", "eval-error", "engine-error", "engine-missing", "file-unreadable", "batch-duplicate-branch",
    "verify-standard-changed", "verify-what-changed", "verify-no-facts", "verify-facts-changed", "case-invalid",
    "not-a-regular-file", "output-over-input", "output-unwritable",  # tests/security
    # facts workbooks: tests/workbook/test_read_errors.py
    "xlsx-missing-extra", "xlsx-unreadable", "xlsx-not-template", "xlsx-missing-sheet", "xlsx-missing-column",
    "xlsx-wrong-standard", "xlsx-standard-changed",
    "upload-type", "batch-too-many-rows", "request-timeout", "zip-refused",
    "internal-error", "bad-path", "facts-undeclared-more",  # tests/hostile
}

_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WHERE = re.compile(
    r"^(?:(?P<file>[^:\s]+\.(?:ya?ml|json))(?::|$))?(?:(?P<line>\d+)(?::(?P<col>\d+))?)?$"
)


@dataclass
class Expect:
    code: str
    file: str | None
    line: int | None
    col: int | None
    warning: bool = False
    en: list[str] = field(default_factory=list)
    zh: list[str] = field(default_factory=list)


@dataclass
class Case:
    path: Path  # the entry file
    expects: list[Expect]
    run: list[str]

    @property
    def name(self) -> str:
        nested = self.path.parent not in (INVALID, FACTS, SEVERAL)
        return self.path.parent.name if nested else self.path.stem


def _header(path: Path) -> list[str]:
    source = path.with_suffix(".expect") if path.suffix == ".json" else path
    lines = []
    for raw in source.read_bytes().splitlines():
        if not raw.startswith(b"#"):
            break
        lines.append(raw.decode("utf-8"))
    return lines


def parse_case(path: Path) -> Case:
    expects: list[Expect] = []
    run: list[str] = []
    for line in _header(path):
        key, _, value = line.lstrip("# ").partition(":")
        value = value.strip()
        if key == "expect":
            where, code, *flags = value.split()
            if where == "-":
                file = line_no = col = None
            else:
                m = _WHERE.match(where)
                assert m, f"{path}: bad location {where!r}"
                file = m["file"]
                line_no = int(m["line"]) if m["line"] else None
                col = int(m["col"]) if m["col"] else None
            expects.append(Expect(code, file, line_no, col, warning="warning" in flags))
        elif key in ("en", "zh"):
            assert expects, f"{path}: '{key}:' before any 'expect:'"
            getattr(expects[-1], key).append(value)
        elif key == "run":
            run = value.split()
    assert expects, f"{path}: no '# expect:' line"
    return Case(path, expects, run)


def _entry_files(folder: Path) -> list[Path]:
    out = []
    for p in sorted(folder.iterdir()):
        if p.is_dir():
            entries = [q for q in sorted(p.iterdir()) if q.suffix in (".yaml", ".json") and _header(q)
                       and any(h.startswith("# expect:") for h in _header(q))]
            assert len(entries) == 1, f"{p}: exactly one file must carry '# expect:'"
            out.extend(entries)
        elif p.suffix in (".yaml", ".json"):
            out.append(p)
    return out


def all_cases() -> list[Case]:
    return [parse_case(p) for p in _entry_files(INVALID) + _entry_files(FACTS)]


def _run(case: Case, tmp_path: Path) -> tuple[list[Problem], list[Problem], Path]:
    """Produce the problems: (errors, warnings, directory the expected file names are relative to)."""
    verb, *args = case.run or (["facts", "prov-2023"] if case.path.parent == FACTS else ["load"])
    base = case.path.parent
    try:
        if verb == "load":
            target, year = (args + [None])[0], None
            for a in args[1:]:
                year = int(a.removeprefix("year="))
            if target is None:
                starrules.load_standard(case.path)
            elif target.endswith((".yaml", ".yml")) or "/" in target:
                starrules.load_standard(str(base / target))
            else:
                starrules.load_standard(target, year=year)
        elif verb == "pad":  # a copy of the fixture padded past the size limit
            copy = tmp_path / case.path.name
            shutil.copy(case.path, copy)
            with copy.open("a", encoding="utf-8") as fh:
                fh.write(("# " + "x" * 98 + "\n") * (MAX_STANDARD_BYTES // 100 + 1))
            base = tmp_path
            starrules.load_standard(copy)
        elif verb == "resolve":  # the fixture's folder as a root besides the shipped standards
            year = next((int(a.removeprefix("year=")) for a in args[1:]), None)
            Registry([base], include_env=False).resolve(args[0], year=year)
        elif verb == "overlap":
            problems = Registry([base], include_env=False, include_shipped=False).overlap_problems()
            if problems:
                raise StandardError(problems)
        elif verb == "facts":
            vf = starrules.validate_facts(starrules.load_standard(args[0]), case.path)
            return [], list(vf.warnings), base
        else:  # pragma: no cover - a typo in a fixture
            raise AssertionError(f"{case.path}: unknown run verb {verb!r}")
    except StarrulesError as exc:
        assert isinstance(exc, (StandardError, FactsError, NotFoundError)), type(exc)
        return list(exc.problems), [], base
    return [], [], base


def check_problem(problem: Problem) -> None:
    """Every problem: a catalogue code, a message and a fix in both languages, nothing unfilled."""
    assert problem.code in CATALOGUE, problem.code
    for lang in ("en", "zh"):
        message, fix = problem.message(lang), problem.fix(lang)
        assert message and fix, (problem, lang)
        assert not _PLACEHOLDER.search(message), message
        assert not _PLACEHOLDER.search(fix), fix
    assert _CJK.search(problem.message("zh")), problem.message("zh")
    assert "修改建议：" in problem.render("zh") and "fix: " in problem.render("en")


def assert_matches(case: Case, tmp_path: Path) -> list[Problem]:
    errors, warnings, base = _run(case, tmp_path)
    want_warning = any(e.warning for e in case.expects)
    got = warnings if want_warning else errors
    if want_warning:
        assert not errors, [p.render("en") for p in errors]
    shown = "\n".join(p.render("en") for p in got) or "(no problem)"
    assert [p.code for p in got] == [e.code for e in case.expects], shown
    for problem, want in zip(got, case.expects):
        assert (problem.line, problem.col) == (want.line, want.col), shown
        if want.file is not None:
            assert problem.file is not None, shown
            assert Path(problem.file).resolve() == (base / want.file).resolve(), shown
        for fragment in want.en:
            assert fragment in problem.message("en"), (fragment, problem.message("en"))
        for fragment in want.zh:
            assert fragment in problem.message("zh"), (fragment, problem.message("zh"))
        check_problem(problem)
    return got


CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixture(case: Case, tmp_path: Path) -> None:
    assert_matches(case, tmp_path)


def test_every_code_has_a_fixture() -> None:
    assert FIXTURE_CODES <= set(CATALOGUE)
    assert set(CATALOGUE) == FIXTURE_CODES | LATER_CODES, "classify the new code and give it a fixture"
    by_name = {c.name: c for c in CASES}
    assert {name.split("--")[0] for name in by_name} == FIXTURE_CODES
    for name, case in by_name.items():
        code = name.split("--")[0]
        assert case.expects[0].code == code, f"fixture {name} expects {case.expects[0].code}"
        assert case.expects[0].en and case.expects[0].zh, f"fixture {name}: give an en and a zh fragment"


def test_fixtures_are_read_as_utf8_whatever_the_locale(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Files are decoded as UTF-8 and messages rendered from the catalogue: no locale involved."""
    monkeypatch.setenv("LANG", "C")
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.setenv("PYTHONIOENCODING", "ascii")
    case = next(c for c in CASES if c.name == "unknown-key")
    got = assert_matches(case, tmp_path)
    assert "未知的键" in got[0].message("zh")


# -- several mistakes in one file: all of them, sorted by line ----------------------------------

SEVERAL_CASES = [parse_case(p) for p in _entry_files(SEVERAL)]


@pytest.mark.parametrize("case", SEVERAL_CASES, ids=[c.name for c in SEVERAL_CASES])
def test_every_problem_in_one_run(case: Case, tmp_path: Path) -> None:
    got = assert_matches(case, tmp_path)
    assert len(got) >= 3
    assert [p.sort_key() for p in got] == sorted(p.sort_key() for p in got)
    assert [p.line for p in got] == sorted(p.line for p in got)  # type: ignore[type-var]


def test_every_code_is_documented() -> None:
    """docs/errors.md has one section (anchor) per catalogue code."""
    text = (FIXTURES.parents[1] / "docs" / "errors.md").read_text(encoding="utf-8")
    sections = re.findall(r"^### ([a-z-]+)$", text, re.M)
    assert sorted(sections) == sorted(CATALOGUE), set(sections) ^ set(CATALOGUE)
    for code in FIXTURE_CODES:
        section = text.split(f"### {code}\n", 1)[1].split("\n### ", 1)[0]
        assert "**Fix.**" in section and "修改建议：" in section and "Chinese: " in section, code
