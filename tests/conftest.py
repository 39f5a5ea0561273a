"""Shared fixtures: real `mkdocs build` runs into tmp_path, and real Chromium (helpers: tests/helpers.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from harness.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.helpers import BASE_CONFIG, run_mkdocs, write_site


@pytest.fixture
def build(tmp_path):
    """Build pages into tmp_path; return (process, site dir)."""

    def _build(pages: dict[str, str], config: str = BASE_CONFIG) -> tuple[subprocess.CompletedProcess[str], Path]:
        write_site(tmp_path, pages, config)
        done = run_mkdocs(tmp_path)
        return done, tmp_path / "site"

    return _build


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright for Python (harness/chromium.py)."""
    assert Path(CHROMIUM).exists(), "Debian's chromium is required: apt-get install chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()
