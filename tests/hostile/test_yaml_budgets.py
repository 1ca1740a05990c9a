"""YAML budgets are checked while reading, by the budget (never by wall time): the node
budget before composing a big flat list, the text budget on aliases of a long string."""

from __future__ import annotations

import pytest
from yaml.nodes import ScalarNode

from starrules import _yaml
from starrules._yaml import MAX_NODES, MAX_TEXT_CHARS, YamlError, load


def codes(text: str) -> list[str]:
    with pytest.raises(YamlError) as exc:
        load(text, "x.yaml")
    return [p.code for p in exc.value.problems]


def test_a_big_flat_list_is_refused_before_any_node_is_composed(monkeypatch: pytest.MonkeyPatch) -> None:
    composed = []
    real_init = ScalarNode.__init__

    def counting_init(self: ScalarNode, *a: object, **k: object) -> None:
        composed.append(1)
        real_init(self, *a, **k)

    monkeypatch.setattr(ScalarNode, "__init__", counting_init)
    text = "items:\n" + "- 1\n" * (MAX_NODES + 10)
    with pytest.raises(YamlError) as exc:
        load(text, "x.yaml")
    (p,) = exc.value.problems
    assert p.code == "too-many-nodes" and "too many nodes" in p.message("en")
    assert p.line == MAX_NODES - 1  # the first value past the budget (`items`, its mapping and list count too)
    assert not composed


def test_a_list_within_the_budget_still_loads() -> None:
    value, _ = load("- 1\n" * (MAX_NODES // 2))
    assert len(value) == MAX_NODES // 2


def test_aliases_of_a_long_text_count_its_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_yaml, "MAX_TEXT_CHARS", 1000)
    text = "a: &a " + "x" * 100 + "\nb: [" + ", ".join(["*a"] * 20) + "]\n"
    assert codes(text) == ["too-much-text"]
    value, _ = load("a: &a " + "x" * 100 + "\nb: [" + ", ".join(["*a"] * 5) + "]\n")
    assert value["b"] == ["x" * 100] * 5


def test_the_text_budget_default_holds_ten_thousand_aliases_of_a_mebibyte_text() -> None:
    # 10 000 aliases to a 1 MiB text: ~10 GB once expanded, refused after MAX_TEXT_CHARS
    text = "a: &a " + "x" * (1 << 20) + "\nb: [" + ", ".join(["*a"] * 10_000) + "]\n"
    with pytest.raises(YamlError) as exc:
        load(text, "x.yaml", located=True)
    (p,) = exc.value.problems
    assert (p.code, p.params["limit"]) == ("too-much-text", MAX_TEXT_CHARS)
