"""Done-when test of issue 12 ("explanations in business language"): over every shipped
standard × every example, no sentence a person reads echoes rule syntax.

Sentences checked: each indicator's explanation (zh and en), the facts to verify (by name),
the rectification list, next-star (summary, changes, gaps, limits), the explain tree of the
whole result and of every indicator (the lines' ``text``; ``expr`` keeps the rule text for
programs), and the HTML report's text.  None may contain ``$``, ``==``, ``>=``, ``<=``, a rule
or rating function name followed by ``(``, or a fact key: a declared fact or field name as a
whole word (in English only the keys with an underscore: ``members`` or ``due`` are English
words there).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import starrules
from starrules._explain.explain import explain_session
from starrules._explain.next_star import next_star_session
from starrules._explain.session import open_session
from starrules._lang import BUILTINS

REPO = Path(__file__).resolve().parents[2]
STANDARDS = ("prov-2023", "port-group-2023", "prov-2024", "city-2023")
EXAMPLES = sorted(REPO.glob("examples/*.yaml"))
RATING_FUNCTIONS = ("failed", "unknown", "points", "lit", "lit_count", "cap_limit", "band", "status")
SYNTAX = re.compile(r"\$|==|>=|<=|\b(?:" + "|".join(sorted(set(BUILTINS) | set(RATING_FUNCTIONS))) + r")\(")


def fact_keys(std: Any) -> set[str]:
    keys: set[str] = set()

    def walk(name: str, spec: Any) -> None:
        keys.add(name)
        for field, sub in (spec.fields or {}).items():
            walk(field, sub)

    for name, spec in std.compiled.resolved.facts.items():
        walk(name, spec)
    return keys


@functools.cache
def key_pattern(standard: str, lang: str) -> re.Pattern[str]:
    keys = fact_keys(starrules.load_standard(standard))
    if lang == "en":
        keys = {k for k in keys if "_" in k}
    # a whole word: not part of an id such as port-group-2023 or M2023-01-TD
    return re.compile(r"(?<![A-Za-z0-9_-])(?:" + "|".join(sorted(map(re.escape, keys), key=len, reverse=True))
                      + r")(?![A-Za-z0-9_-])")


def offences(standard: str, lang: str, text: str) -> list[str]:
    found = [m.group(0) for m in SYNTAX.finditer(text)]
    found += [m.group(0) for m in key_pattern(standard, lang).finditer(text)]
    return found


def tree_texts(node: Any) -> Iterator[str]:
    yield node.text
    for c in node.children:
        yield from tree_texts(c)


def sentences(standard: str, example: Path, lang: str) -> Iterator[tuple[str, str]]:
    session = open_session(standard, example)
    res = session.result
    for ind in res.indicators:
        yield f"{ind.id} explanation", ind.explanation.zh if lang == "zh" else ind.explanation.en
    for f in res.facts_to_verify_labels:
        yield "facts_to_verify", f.label.zh if lang == "zh" else f.label.en
    for r in res.rectification_list:
        yield f"rectification {r.id}", r.explanation.zh if lang == "zh" else r.explanation.en
    ns = next_star_session(session, lang=lang)
    yield "next-star summary", ns.summary
    for opt in ns.options:
        for ch in opt.changes:
            yield f"next-star {ch.id}", ch.text
            for g in ch.gaps:
                yield f"next-star gap {ch.id}", g.text
    for line in ns.limits:
        yield "next-star limit", line
    for t in tree_texts(explain_session(session, lang=lang).tree):
        yield "explain", t
    for ind in res.indicators:
        for t in tree_texts(explain_session(session, ind.id, lang=lang).tree):
            yield f"explain {ind.id}", t


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("standard", STANDARDS)
def test_no_sentence_echoes_rule_syntax(standard: str, lang: str) -> None:
    bad = []
    count = 0
    for example in EXAMPLES:
        for where, text in sentences(standard, example, lang):
            count += 1
            got = offences(standard, lang, text)
            if got:
                bad.append(f"{example.name} {where}: {got} in {text!r}")
    assert count > 1000  # every example, every indicator, both outputs
    assert not bad, "\n".join(bad[:40]) + f"\n({len(bad)} in all)"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("standard", STANDARDS)
def test_the_report_text_echoes_no_rule_syntax(standard: str, lang: str) -> None:
    page = starrules.report_html(standard, EXAMPLES, lang=lang)
    body = page.split("<body", 1)[1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.DOTALL)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", body))
    lines = [t.strip() for t in text.split("\n") if t.strip()]
    bad = [f"{got}: {line!r}" for line in lines if (got := offences(standard, lang, line))]
    assert not bad, "\n".join(bad[:40])


def test_the_check_itself_finds_syntax_and_keys() -> None:
    """The patterns are not vacuous: the old sentences would fail them."""
    assert offences("prov-2023", "zh", "通过（longest_run(dues_unpaid_months) = 0）")
    assert offences("prov-2023", "zh", "NE 中不满足 training_hours >= 32")
    assert offences("prov-2023", "zh", "待核实事项：satisfaction")
    assert offences("prov-2023", "en", "$training_share = 0.8")
    assert not offences("prov-2023", "en", "1 non-exempt members below 32 hours (WH03: 28 hours)")
    assert not offences("prov-2023", "zh", "1 名党员学时不足 32（WH03：28 学时）")
