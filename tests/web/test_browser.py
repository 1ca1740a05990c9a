"""A real browser (Playwright driving Debian's headless Chromium) against ``starrules serve``
started on 127.0.0.1 at a free port: upload an example, see 达标 and the stars, open an
indicator's explanation, download the report; the same without JavaScript.

``STARRULES_UPDATE_SCREENSHOT=1`` also writes the screenshot to docs/images/web.png."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import starrules

from ._docs import EXAMPLES, ROOT, example_doc

if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))
from _server import serving  # noqa: E402

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed (.ci/run installs it)", allow_module_level=True)

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOT = ROOT / "docs" / "images" / "web.png"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving() as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _watch_requests(page: object, base: str) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda req: seen.append(req.url))  # type: ignore[attr-defined]
    return seen


def test_rate_explain_download(server: str, browser: object, tmp_path: Path) -> None:
    ctx = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 1100}, locale="zh-CN")  # type: ignore[attr-defined]
    page = ctx.new_page()
    seen = _watch_requests(page, server)
    page.goto(server + "/")
    page.set_input_files("#facts", str(EXAMPLES / "three-star-branch.yaml"))
    page.select_option("#standard", "prov-2023")
    page.click("#rate")
    page.wait_for_selector("#outcome")
    assert page.url.rstrip("/") == server  # htmx sent the form in place
    assert page.inner_text("#outcome") == "达标"
    assert page.inner_text("#stars") == "★★★☆☆"
    assert page.get_attribute("#summary", "data-stars") == "3"

    lib = starrules.evaluate("prov-2023", example_doc("three-star-branch"))
    first = lib.indicators[0].id
    details = page.locator(f"#explain-{first}")
    assert not details.locator("> ul.tree").is_visible()
    details.locator("summary").click()
    assert details.get_attribute("open") is not None
    tree = details.locator("> ul.tree")
    assert tree.is_visible() and first in tree.inner_text()

    frame = page.frame_locator("#report")
    assert lib.branch.id in frame.locator("body").inner_text()

    with page.expect_download() as info:
        page.click("#dl-report")
    download = info.value
    got = Path(download.path()).read_text(encoding="utf-8")
    assert got == starrules.report_html("prov-2023", [example_doc("three-star-branch")])
    assert download.suggested_filename.endswith("-report.html")

    page.evaluate("window.scrollTo(0, 0)")
    shot = tmp_path / "web.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    if os.environ.get("STARRULES_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, SCREENSHOT)
    assert all(u.startswith((server, "about:", "blob:")) for u in seen), seen
    ctx.close()


def test_forms_work_without_javascript(server: str, browser: object) -> None:
    ctx = browser.new_context(java_script_enabled=False, accept_downloads=True)  # type: ignore[attr-defined]
    page = ctx.new_page()
    page.goto(server + "/?lang=en")
    page.set_input_files("#facts", str(EXAMPLES / "required-fail-branch.yaml"))
    page.select_option("#standard", "prov")
    page.click("#rate")
    page.wait_for_selector("#outcome")
    assert page.url.startswith(server + "/evaluate")  # a plain form post
    lib = starrules.evaluate("prov", example_doc("required-fail-branch"))
    assert page.get_attribute("#summary", "data-outcome") == lib.outcome == "not_met"
    failed = next(i.id for i in lib.indicators if i.status == "FAIL")
    page.locator(f"#explain-{failed} summary").click()
    assert page.locator(f"#explain-{failed} > ul.tree").is_visible()
    with page.expect_download() as info:
        page.click("#dl-json")
    assert Path(info.value.path()).read_text(encoding="utf-8") == lib.to_json() + "\n"
    ctx.close()


def test_problems_are_shown_in_place(server: str, browser: object, tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("branch: {id: X\nyear: 2023\n", encoding="utf-8")
    ctx = browser.new_context()  # type: ignore[attr-defined]
    page = ctx.new_page()
    page.goto(server + "/")
    page.set_input_files("#facts", str(bad))
    page.click("#rate")
    page.wait_for_selector("#problems")
    assert page.url.rstrip("/") == server  # swapped in by htmx, a 400 answer included
    assert page.locator('#problems li[data-code="yaml-syntax"]').count() == 1
    assert "broken.yaml:" in page.inner_text("#problems")
    assert page.locator("#rate-form").is_visible()  # the form again, to try once more
    ctx.close()


def test_checked_in_screenshot() -> None:
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
