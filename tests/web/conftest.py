"""The web tests need the ``web`` extra (FastAPI, httpx); without it they are skipped."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():  # starlette's TestClient on httpx: a deprecation notice only
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from starrules._web import WebSettings, create_app


@pytest.fixture
def make_client() -> Callable[..., TestClient]:
    """``make_client(max_rows=3)``: a client of an app with those settings (errors are responses)."""

    def make(**settings: Any) -> TestClient:
        return TestClient(create_app(WebSettings(**settings)), raise_server_exceptions=False)

    return make


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(WebSettings()), raise_server_exceptions=False)
