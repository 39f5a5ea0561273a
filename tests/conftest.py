"""Shared fixtures: real `mkdocs build` runs into tmp_path."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PYODIDE_DIR = REPO / "node_modules" / "pyodide"

BASE_CONFIG = f"""\
site_name: Test handbook
theme:
  name: material
  font: false
  features: [navigation.instant]
plugins:
  - sales-calculators:
      pyodide_dir: {PYODIDE_DIR}
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
validation:
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
"""


def run_mkdocs(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` in a real process, as a contributor runs it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )


def write_site(root: Path, pages: dict[str, str], config: str = BASE_CONFIG) -> Path:
    """A small project: mkdocs.yml plus docs/<page>."""
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    for name, text in pages.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def build(tmp_path):
    """Build pages into tmp_path; return (process, site dir)."""

    def _build(pages: dict[str, str], config: str = BASE_CONFIG) -> tuple[subprocess.CompletedProcess[str], Path]:
        write_site(tmp_path, pages, config)
        done = run_mkdocs(tmp_path)
        return done, tmp_path / "site"

    return _build
