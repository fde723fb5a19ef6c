"""
Fixtures for the browser journeys: the shared tree and personas, and a
headless Chromium driven by Playwright (Debian's /usr/bin/chromium; never
``playwright install``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API keeps an event loop running in the test thread; the
# ORM calls the fixtures make from that thread are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from orglife.conftest import *  # noqa: E402,F403

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def builtin_roles(transactional_db: Any) -> None:
    """
    Seed the built-in roles again: the browser tests need a transactional
    database (the live server runs in another thread), and a transactional
    test that ran before on this worker flushed the rows the data migration
    had seeded.
    """
    from orglife.common.seeds import ensure_reference_data

    ensure_reference_data()


def chromium_path() -> str | None:
    """The system Chromium, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def browser() -> Iterator[Any]:
    """
    A headless Chromium for one test. Function scope on purpose: Playwright's
    event loop must not outlive the test and leak into the rest of the suite.
    """
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but chromium is not installed: apt-get install -y chromium")
        pytest.skip("chromium is not installed (apt-get install -y chromium); browser tests skipped")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        if os.environ.get("CI"):
            raise
        pytest.skip("playwright is not installed")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()
