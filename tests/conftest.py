"""Shared fixtures: real `mkdocs build` runs into tmp_path (helpers: tests/helpers.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import BASE_CONFIG, run_mkdocs, write_site


@pytest.fixture
def build(tmp_path):
    """Build pages into tmp_path; return (process, site dir)."""

    def _build(pages: dict[str, str], config: str = BASE_CONFIG) -> tuple[subprocess.CompletedProcess[str], Path]:
        write_site(tmp_path, pages, config)
        done = run_mkdocs(tmp_path)
        return done, tmp_path / "site"

    return _build
