"""What the browser metrics load, built into the benchmark's temp dir and served by one server.

``www/handbook/``  the real handbook (``mkdocs build`` of this repo, HANDBOOK_SITE_URL = its served URL)
``www/handbook/bench-baseline/``  the baseline: a bare page that calls stock ``loadPyodide()``
``www/plain-a/``, ``www/plain-b/``  a small site without calculators, plugin enabled / ``enabled: false``
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

from . import handbook

REPO = handbook.REPO
NPM_PYODIDE = REPO / "node_modules" / "pyodide"
#: The page whose first calculator is timed; its trial-length block takes the keystrokes.
CALCULATOR_PAGE = "sales/inbound/"
TYPING_CALCULATOR = "trial-sizing"
TYPING_FIELD = "annual_value"
#: Same-length names, so the two builds differ in nothing but the plugin switch.
PLAIN_ENABLED, PLAIN_DISABLED = "plain-a", "plain-b"


@dataclasses.dataclass(frozen=True)
class Sites:
    url: str  # the server's root URL
    calculator_page: str  # absolute URL of the handbook page with calculators
    baseline_page: str  # absolute URL of the bare loadPyodide() page
    plain_enabled: str  # absolute URL of the calculator-free page, plugin enabled
    plain_disabled: str  # ... and the same page built with the plugin disabled
    pyodide_dir: str  # the runtime's directory name in the built site, e.g. 314.0.7 or 314.0.7-<hash>


def mkdocs_build(project: Path, out: Path, env: dict[str, str] | None = None) -> None:
    """``mkdocs build`` of ``project`` into ``out``; raises with MkDocs' output if it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )
    if done.returncode != 0:
        raise RuntimeError(f"mkdocs build of {project} failed:\n{done.stdout}{done.stderr}")


def runtime_dir(site: Path, page: str) -> Path:
    """The Pyodide directory the page's calculators load (its ``data-pyodide``), in the built site."""
    html = (site / page / "index.html").read_text(encoding="utf-8")
    found = re.search(r'data-pyodide="([^"]+)"', html)
    if not found:
        raise RuntimeError(f"{page} has no calculator with data-pyodide: is the plugin enabled?")
    relative = found.group(1)
    if "://" in relative:
        raise RuntimeError(f"the site loads Pyodide from {relative}, not from its own copy")
    path = (site / page / relative).resolve()
    if not (path / "pyodide.mjs").is_file():
        raise RuntimeError(f"no pyodide.mjs in {path}")
    return path


BASELINE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Baseline: stock loadPyodide()</title></head>
<body><p id="out">loading</p><script type="module" src="{script}"></script></body></html>
"""

BASELINE_JS = """// Stock Pyodide: loadPyodide() with the npm package's own python_stdlib.zip and lock file.
import {{ loadPyodide }} from "{pyodide_mjs}";
const here = new URL(".", import.meta.url).href;
const pyodide = await loadPyodide({{ stdLibURL: here + "python_stdlib.zip", lockFileURL: here + "pyodide-lock.json" }});
document.getElementById("out").textContent = pyodide.runPython("str(6 * 7)");
document.body.dataset.state = "ready";
"""


def add_baseline(site: Path, runtime: Path) -> str:
    """Write the baseline page into ``site``; return its path relative to the site root.

    The page imports ``pyodide.mjs`` (so also the wasm) from the very directory the
    handbook serves. The stdlib and lock file are the npm package's stock copies, placed
    under ``assets/`` so the server caches them exactly as it caches the runtime's.
    """
    version = json.loads((NPM_PYODIDE / "package.json").read_text(encoding="utf-8"))["version"]
    stock = site / "assets" / "bench-baseline" / version
    stock.mkdir(parents=True, exist_ok=True)
    for name in ("python_stdlib.zip", "pyodide-lock.json"):
        shutil.copyfile(NPM_PYODIDE / name, stock / name)
    pyodide_mjs = os.path.relpath(runtime / "pyodide.mjs", stock).replace(os.sep, "/")
    (stock / "baseline.mjs").write_text(BASELINE_JS.format(pyodide_mjs=pyodide_mjs), encoding="utf-8")
    page = site / "bench-baseline"
    page.mkdir(exist_ok=True)
    script = os.path.relpath(stock / "baseline.mjs", page).replace(os.sep, "/")
    (page / "index.html").write_text(BASELINE_HTML.format(script=script), encoding="utf-8")
    return "bench-baseline/"


def build_plain(projects: Path, www: Path, url: str, name: str, enabled: bool) -> str:
    """The calculator-free site (two ordinary pages), built with the plugin on or off."""
    project = projects / name
    if project.exists():
        shutil.rmtree(project)
    (project / "docs").mkdir(parents=True)
    site_url = urljoin(url, name + "/")
    handbook.write_config(project, handbook.config(enabled, site_url=site_url))
    (project / "docs" / "index.md").write_text(
        handbook.page_markdown("How we work", 0, None, "other.md", calculator=False), encoding="utf-8"
    )
    (project / "docs" / "other.md").write_text(
        handbook.page_markdown("Another step", 1, "index.md", None, calculator=False), encoding="utf-8"
    )
    mkdocs_build(project, www / name)
    return site_url


def build_all(tmp: Path, url: str, log) -> Sites:
    """Build everything the browser metrics load into ``tmp/www`` (served at ``url``)."""
    www = tmp / "www"
    site = www / "handbook"
    handbook_url = urljoin(url, "handbook/")
    log(f"building the handbook (mkdocs build, HANDBOOK_SITE_URL={handbook_url})")
    mkdocs_build(REPO, site, {"HANDBOOK_SITE_URL": handbook_url})
    runtime = runtime_dir(site, CALCULATOR_PAGE)
    baseline = add_baseline(site, runtime)
    log("building the calculator-free page with the plugin enabled and disabled")
    plain_on = build_plain(tmp / "projects", www, url, PLAIN_ENABLED, enabled=True)
    plain_off = build_plain(tmp / "projects", www, url, PLAIN_DISABLED, enabled=False)
    return Sites(
        url=url,
        calculator_page=urljoin(handbook_url, CALCULATOR_PAGE),
        baseline_page=urljoin(handbook_url, baseline),
        plain_enabled=plain_on,
        plain_disabled=plain_off,
        pyodide_dir=runtime.name,
    )
