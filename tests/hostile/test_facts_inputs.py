"""Hostile facts documents give located library errors, never a traceback or a hang: huge
numbers, lone surrogates, deep nesting, a NUL in a path, a string year, bad dates, a
duplicate key in a big JSON file."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import starrules
from starrules import FactsError
from starrules._facts import read as facts_read

from batch._support import example, json_line

STD = starrules.load_standard("prov-2023")


def codes(exc: pytest.ExceptionInfo[Any]) -> list[str]:
    return [p.code for p in exc.value.problems]


def problem_of(facts: Any, **kw: Any) -> Any:
    with pytest.raises(FactsError) as exc:
        starrules.evaluate(STD, facts, **kw)
    (p,) = exc.value.problems
    assert p.message("zh") and p.message("en") and p.fix("zh") and p.fix("en")
    return p


def json_file(tmp_path: Path, text: str, name: str = "facts.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def three_star_json(**changes: Any) -> str:
    doc = example("three-star-branch")
    doc.update(changes)
    return json_line(doc)


# -- numbers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("literal", ["1e5000", "1e999999", "-1E-999999", "9" * 5000, "1" * 101 + ".5"],
                         ids=["1e5000", "1e999999", "-1E-999999", "9x5000", "101-digits"])
def test_a_huge_number_in_json_is_located(literal: str, tmp_path: Path) -> None:
    text = three_star_json(satisfaction=0.5).replace('"satisfaction": 0.5', f'"satisfaction": {literal}')
    p = problem_of(json_file(tmp_path, text))
    assert p.code == "number-too-large" and p.line == 1 and p.col == text.index(literal) + 1


@pytest.mark.parametrize("literal", ["1e5000", "1e999999", "9" * 5000, "0x" + "f" * 200],
                         ids=["1e5000", "1e999999", "9x5000", "hex"])
def test_a_huge_number_in_yaml_is_located(literal: str, tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "examples" / "three-star-branch.yaml").read_text(encoding="utf-8")
    text = text.replace("year: 2023", f"year: 2023\nhuge: {literal}")
    p = problem_of(json_file(tmp_path, text, "facts.yaml"))
    assert (p.code, p.path, p.line) == ("number-too-large", "huge", text.splitlines().index(f"huge: {literal}") + 1)


@pytest.mark.parametrize("value", [Decimal("1e999999"), Decimal("1e-999999"), 10 ** 5000, -(10 ** 200)],
                         ids=["1e999999", "1e-999999", "10**5000", "-10**200"])
def test_a_huge_number_from_python_is_a_problem(value: Any) -> None:
    declared = example("three-star-branch")
    declared["satisfaction"] = value
    assert problem_of(declared).code == "number-too-large"
    if value in (10 ** 5000, Decimal("1e999999")):  # undeclared: only hashing sees it (and cannot take it)
        undeclared = example("three-star-branch")
        undeclared["extra"] = {"deep": [value]}
        p = problem_of(undeclared)
        assert (p.code, p.path) == ("number-too-large", "extra.deep[0]")


def test_ordinary_numbers_are_untouched(tmp_path: Path) -> None:
    text = three_star_json(satisfaction=Decimal("0.1234567890123456789"), big=10 ** 50)
    assert starrules.evaluate(STD, json_file(tmp_path, text)).outcome


# -- text, nesting, paths --------------------------------------------------------------------

def test_a_lone_surrogate_in_json_is_located(tmp_path: Path) -> None:
    text = three_star_json().replace('"BHPG-LOG-WH"', '"a\\ud800b"')
    p = problem_of(json_file(tmp_path, text))
    assert (p.code, p.path, p.file) == ("bad-text", "branch.id", str(tmp_path / "facts.json"))


def test_a_lone_surrogate_in_a_jsonl_batch_is_one_error_row(tmp_path: Path) -> None:
    good = three_star_json()
    bad = good.replace('"BHPG-LOG-WH"', '"X"').replace('"name": "', '"name": "\\udc00')
    path = json_file(tmp_path, good + "\n" + bad + "\n", "in.jsonl")
    items = list(starrules.evaluate_many(STD, path, workers=1))
    assert items[0].ok and not items[1].ok
    assert items[1].error[0]["code"] == "bad-text" and items[1].error[0]["line"] == 2


def test_paired_surrogates_are_fine(tmp_path: Path) -> None:
    text = three_star_json().replace('"BHPG-LOG-WH"', '"\\ud83d\\ude00"')
    assert starrules.evaluate(STD, json_file(tmp_path, text)).branch.id == "😀"


def test_deep_json_nesting_is_too_deep(tmp_path: Path) -> None:
    text = three_star_json()[:-1] + ', "deep": ' + '{"a":' * 3000 + "1" + "}" * 3000 + "}"
    assert problem_of(json_file(tmp_path, text)).code == "too-deep"


def test_depth_300_with_embedded_facts_is_too_deep(tmp_path: Path) -> None:
    text = three_star_json()[:-1] + ', "deep": ' + "[" * 300 + "1" + "]" * 300 + "}"
    path = json_file(tmp_path, text)
    assert starrules.evaluate(STD, path).outcome  # without embedding, an undeclared deep key is harmless
    p = problem_of(path, embed_facts=True)
    assert p.code == "too-deep" and p.path.startswith("deep[0]")


def test_depth_300_with_embed_facts_in_the_cli(tmp_path: Path, run_cli: Any) -> None:
    text = three_star_json()[:-1] + ', "deep": ' + "[" * 300 + "1" + "]" * 300 + "}"
    res = run_cli("evaluate", json_file(tmp_path, text), "--standard", "prov-2023", "--embed-facts",
                  "--format", "json", "--lang", "en")
    assert res.exit_code == 1 and "too-deep" in res.output and "Traceback" not in res.output


def test_a_nul_in_a_path(run_cli: Any) -> None:
    assert problem_of("a\0b.yaml").code == "bad-path"
    items = list(starrules.evaluate_many(STD, ["a\0b.json"], workers=1))
    assert items[0].error[0]["code"] == "bad-path"


# -- types and dates ---------------------------------------------------------------------------

@pytest.mark.parametrize("year", ["2023", 2023.0, None])
def test_a_year_that_is_not_a_whole_number_is_a_facts_problem_with_a_family(year: Any) -> None:
    doc = example("three-star-branch")
    if year is None:
        del doc["year"]
    else:
        doc["year"] = year
    with pytest.raises(FactsError) as exc:
        starrules.evaluate("prov", doc)
    assert codes(exc) == (["facts-missing"] if year is None else ["facts-type"])
    assert exc.value.problems[0].path == "year"
    items = list(starrules.evaluate_many("prov", [doc], workers=1))
    assert [e["code"] for e in items[0].error] == codes(exc)


def test_an_impossible_date_in_an_undeclared_key_is_only_a_warning(tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "examples" / "three-star-branch.yaml").read_text(encoding="utf-8")
    result = starrules.evaluate(STD, json_file(tmp_path, text + "\nnote_date: 2023-02-30\n", "f.yaml"))
    assert [w.code for w in result.warnings if "note_date" in (w.path or "")] == ["facts-undeclared"]


# -- duplicate keys in JSON ----------------------------------------------------------------------

def test_a_duplicate_key_in_a_big_json_file_is_located_without_yaml(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    doc = example("three-star-branch")
    doc["members"] = [{"id": f"M{i}", "status": "formal"} for i in range(20000)]
    text = json.dumps(json.loads(json_line(doc)), indent=1)
    at = text.index('"id": "M12345"')
    text = text[:at] + '"status": "formal", ' + text[at:]
    def no_yaml(*a: Any, **k: Any) -> Any:
        raise AssertionError("re-parsed as YAML")
    monkeypatch.setattr(facts_read, "load_yaml", no_yaml)
    p = problem_of(json_file(tmp_path, text))
    assert (p.code, p.path, p.line) == ("duplicate-key", "members[12345].status", text[:at].count("\n") + 2)
    assert p.params["first_line"] == p.line - 1 or p.params["first_line"] < p.line
