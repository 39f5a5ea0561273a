"""A real `mkdocs build` of calculator blocks: what renders, and where."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import zstandard
from bs4 import BeautifulSoup

import calculators
from tests.helpers import BASE_CONFIG, REPO


def soup(site, page="index.html"):
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def widgets(site, page="index.html"):
    return soup(site, page).select("div.calc[data-calculator]")


def test_several_calculators_and_the_same_one_twice(build):
    done, site = build(
        {
            "index.md": """\
        # Deals

        ```calculator trial-length
        annual_value: 45000
        start_date: 2026-01-10
        ```

        ```calculator trial-length
        id: big-trial
        annual_value: "60,000"
        ```

        ```calculator checkin-cadence
        annual_value: 80000
        close_date: 2026-01-31
        ```
        """
        }
    )
    assert done.returncode == 0, done.stderr
    found = widgets(site)
    assert [(w["data-calculator"], w["id"]) for w in found] == [
        ("trial-length", "trial-length"),
        ("trial-length", "big-trial"),
        ("checkin-cadence", "checkin-cadence"),
    ]
    first = json.loads(found[0]["data-result"])
    assert first == calculators.run("trial-length", {"annual_value": 45000, "start_date": "2026-01-10"})
    assert json.loads(found[1]["data-result"])["result"]["trial_days"] == 28
    for widget in found:
        assert widget["data-state"] == "static"
        names = [control["name"] for control in widget.select("input, select")]
        assert names == [f["name"] for f in calculators.describe(widget["data-calculator"])["fields"]]
        for control in widget.select("input, select"):
            label = widget.select_one(f'label[for="{control["id"]}"]')
            assert label is not None and label.get_text(strip=True)


def test_answer_and_reasons_are_prerendered(build):
    done, site = build({"index.md": "```calculator trial-length\nannual_value: 45000\nstart_date: 2026-01-10\n```\n"})
    assert done.returncode == 0, done.stderr
    widget = widgets(site)[0]
    rows = {row["data-output"]: row.dd.get_text() for row in widget.select(".calc__answer .calc__row")}
    assert rows["trial_days"] == "14" and rows["end_date"] == "2026-01-24" and rows["route"] == "sales-led"
    assert [li.find(["a", "span"]).get_text() for li in widget.select(".calc__reasons li")] == ["L2", "L4", "L5"]


def test_form_comes_from_the_declarations(build):
    done, site = build({"index.md": "```calculator checkin-cadence\nannual_value: 1\nclose_date: 2026-01-01\n```\n"})
    assert done.returncode == 0, done.stderr
    widget = widgets(site)[0]
    select = widget.select_one('select[name="interval_weeks"]')
    assert [o["value"] for o in select.select("option")] == ["1", "2"]
    assert select.select_one("option[selected]")["value"] == "2"
    assert widget.select_one('input[name="close_date"]')["type"] == "date"
    assert widget.select_one('input[name="horizon_months"]')["value"] == "12"
    assert widget.select_one('[data-field="annual_value"] .calc__unit').get_text() == "USD / year"


def test_missing_required_values_prompt_instead_of_an_answer(build):
    done, site = build({"index.md": "```calculator trial-length\n```\n"})
    assert done.returncode == 0, done.stderr
    widget = widgets(site)[0]
    assert json.loads(widget["data-result"])["ok"] is False
    assert "Fill in the fields" in widget.select_one(".calc__output").get_text()


@pytest.mark.parametrize(
    ("label", "markdown"),
    [
        ("admonition", '!!! tip "Try it"\n\n    ```calculator trial-length\n    annual_value: 45000\n    ```\n'),
        (
            "collapsible",
            '??? note "Try it"\n    Some text.\n\n    ```calculator trial-length\n    annual_value: 45000\n    ```\n',
        ),
        (
            "tab",
            '=== "Small"\n\n    ```calculator trial-length\n    annual_value: 45000\n    ```\n\n'
            '=== "Big"\n\n    ```calculator trial-length\n    id: big\n    annual_value: 90000\n    ```\n',
        ),
        ("list", "1. First step\n\n    ```calculator trial-length\n    annual_value: 45000\n    ```\n\n2. Next\n"),
        ("blockquote", "> Try it:\n>\n> ```calculator trial-length\n> annual_value: 45000\n> ```\n"),
        ("md-in-html", "<div markdown>\n\n```calculator trial-length\nannual_value: 45000\n```\n\n</div>\n"),
        (
            "nested",
            '!!! note\n\n    === "Tab"\n\n        ```calculator trial-length\n        annual_value: 45000\n'
            "        ```\n",
        ),
    ],
)
def test_blocks_inside_containers_render(build, label, markdown):
    done, site = build({"index.md": markdown})
    assert done.returncode == 0, done.stderr
    found = widgets(site)
    assert found and all(json.loads(w["data-result"])["ok"] for w in found)
    assert "hbcalcslot" not in (site / "index.html").read_text()
    if label == "blockquote":
        assert found[0].find_parent("blockquote") is not None


def test_a_block_quoted_inside_a_longer_fence_stays_code(build):
    done, site = build(
        {
            "index.md": "How to embed one:\n\n````markdown\n```calculator trial-length\n"
            "annual_value: 45000\n```\n````\n\n    ```calculator trial-length\n    ```\n"
        }
    )
    assert done.returncode == 0, done.stderr
    assert widgets(site) == []
    assert "```calculator trial-length" in soup(site).select_one("pre").get_text()


def test_assets_only_on_pages_with_calculators(build):
    done, site = build({"index.md": "# Home\n", "calc.md": "```calculator large-deal\nannual_value: 1\n```\n"})
    assert done.returncode == 0, done.stderr
    home = (site / "index.html").read_text()
    assert "assets/calculators/" not in home and "pyodide" not in home
    page = soup(site, "calc/index.html")
    script = page.select_one('script[type="module"][src*="assets/calculators/calculators-"]')
    assert script is not None and (site / "calc" / script["src"]).resolve().is_file()
    widget = widgets(site, "calc/index.html")[0]
    for attribute in ("data-worker", "data-package", "data-snapshot"):
        assert (site / "calc" / widget[attribute]).resolve().is_file()
    # The page's three scripts of ours: the notice for a page opened from disk and calculators.js,
    # which starts the runtime (both after the content), and the search hold right before the
    # theme's scripts (its config, then bundle.js, which creates the search worker).
    ours = [tag["src"] for tag in page.select('script[src*="assets/calculators/"]')]
    names = [re.sub(r"-[0-9a-f]{12}\.js$", "", src) for src in ours]
    assert names == [
        "../assets/calculators/file_notice",
        "../assets/calculators/calculators",
        "../assets/calculators/search_hold",
    ]
    hold = page.select_one('body > script[src*="assets/calculators/search_hold-"]')
    after = hold.find_next_siblings("script")
    assert after[0]["id"] == "__config" and "/bundle." in after[1]["src"]
    assert (site / "calc" / hold["src"]).resolve().is_file() and not hold.has_attr("type")
    snapshot = (site / "calc" / widget["data-snapshot"]).resolve().read_bytes()
    # The sparse layout of build_snapshot.mjs: zero pages and pages as the wasm instantiates them left out.
    magic, length, header, page_size, kept, as_instantiated = struct.unpack_from("<4s5I", snapshot)
    assert magic == b"SNP2" and page_size == 4096 and as_instantiated > 500
    assert len(snapshot) == 24 + 4 * (kept + as_instantiated) + header + kept * page_size < length / 3
    assert (site / "calc" / widget["data-pyodide"] / "pyodide.asm.wasm").resolve().is_file()
    assert re.fullmatch(r"\.\./assets/calculators/pyodide/314\.0\.7-[0-9a-f]{10}/", widget["data-pyodide"])
    assert widget["data-root"] == "../"


def test_big_files_go_compressed_and_are_asked_for_from_the_head(build):
    """The wasm and the snapshot have .zst siblings the worker expands (each the zstd of the plain
    file), pyodide.asm.mjs a .gz one for hosts that serve siblings; the page preloads, from
    <head>, every file the worker fetches before its first answer, and knows how many bytes."""
    done, site = build({"index.md": "# Home\n", "calc.md": "```calculator large-deal\nannual_value: 1\n```\n"})
    assert done.returncode == 0, done.stderr
    page = soup(site, "calc/index.html")
    widget = widgets(site, "calc/index.html")[0]
    runtime = (site / "calc" / widget["data-pyodide"]).resolve()
    snapshot = (site / "calc" / widget["data-snapshot"]).resolve()
    for plain, suffix in (
        (runtime / "pyodide.asm.wasm", ".zst"),
        (snapshot, ".zst"),
        (runtime / "pyodide.asm.mjs", ".gz"),
    ):
        packed = plain.with_name(plain.name + suffix).read_bytes()
        unpacked = zstandard.ZstdDecompressor().decompress(packed) if suffix == ".zst" else gzip.decompress(packed)
        assert unpacked == plain.read_bytes()
        assert len(packed) < len(unpacked) * 0.35
    decoder = (site / "calc" / widget["data-zstd"]).resolve()
    assert decoder.read_bytes() == (REPO / "node_modules" / "fzstd" / "esm" / "index.mjs").read_bytes()
    package = (site / "calc" / widget["data-package"]).resolve()
    fetched = [runtime / "pyodide.asm.wasm.zst", snapshot.with_name(snapshot.name + ".zst"), package]
    assert int(widget["data-download-bytes"]) == sum(path.stat().st_size for path in fetched)
    preloads = page.select('head > link[rel="preload"]')
    assert all(link["as"] == "fetch" and link.has_attr("crossorigin") for link in preloads)
    preloaded = {(site / "calc" / link["href"]).resolve() for link in preloads}
    worker = (site / "calc" / widget["data-worker"]).resolve()
    assert preloaded == {*fetched, decoder, worker, runtime / "pyodide.mjs", runtime / "pyodide.asm.mjs"}
    # Pages without calculators stay as the plugin-less build makes them.
    assert 'rel="preload"' not in (site / "index.html").read_text()


def test_cdn_option_loads_pyodide_from_there(build):
    config = BASE_CONFIG.replace(
        "      pyodide_dir:", "      pyodide_url: https://cdn.example.org/pyodide/v314.0.7/full/\n      pyodide_dir:"
    )
    done, site = build({"index.md": "```calculator large-deal\nannual_value: 1\n```\n"}, config)
    assert done.returncode == 0, done.stderr
    assert widgets(site)[0]["data-pyodide"] == "https://cdn.example.org/pyodide/v314.0.7/full/"
    assert not widgets(site)[0].has_attr("data-snapshot")  # made from the self-hosted runtime only
    assert not widgets(site)[0].has_attr("data-zstd")  # a CDN has no .zst siblings
    preloads = [link["href"] for link in soup(site).select('link[rel="preload"]')]
    assert preloads and not [href for href in preloads if "cdn.example.org" in href]
    assert not (site / "assets" / "calculators" / "pyodide").exists()


def test_disabled_plugin_adds_nothing(build):
    config = BASE_CONFIG.replace("  - sales-calculators:\n", "  - sales-calculators:\n      enabled: false\n")
    done, site = build({"index.md": "```calculator large-deal\nannual_value: 1\n```\n"}, config)
    assert done.returncode == 0, done.stderr
    assert widgets(site) == [] and not (site / "assets" / "calculators").exists()


def test_a_fence_glued_to_its_admonition_line_is_never_silently_code(build):
    done, _ = build({"index.md": "# Title\n\n!!! note\n    ```calculator trial-length\n    annual_value: 1\n    ```\n"})
    assert done.returncode != 0
    assert "docs/index.md:4: this ```calculator fence is glued to the line above it" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("body", "is_open"), [("annual_value: 1\n", False), ("annual_value: 1\nlead_score: 30\n", True)]
)
def test_grouped_fields_fold_until_the_block_uses_them(build, body, is_open):
    done, site = build({"index.md": f"```calculator lead-qualification\n{body}```\n"})
    assert done.returncode == 0, done.stderr
    group = widgets(site)[0].select_one("details.calc__group")
    assert group.summary.get_text() == "Product-led signals"
    assert group.has_attr("open") is is_open
    names = [control["name"] for control in group.select("input")]
    assert "lead_score" in names and "annual_value" not in names


def test_the_shipped_stdlib_is_precompiled(build):
    done, site = build({"index.md": "```calculator large-deal\nannual_value: 1\n```\n"})
    assert done.returncode == 0, done.stderr
    (runtime,) = (site / "assets" / "calculators" / "pyodide").iterdir()
    names = zipfile.ZipFile(runtime / "python_stdlib.zip").namelist()
    assert "json/__init__.pyc" in names and "datetime.pyc" in names
    stock = zipfile.ZipFile(REPO / "node_modules" / "pyodide" / "python_stdlib.zip").namelist()
    assert not [name for name in stock if name.endswith(".pyc")]


def test_without_node_the_stock_stdlib_ships_with_a_warning(build, tmp_path):
    pyodide = tmp_path / "npm" / "pyodide"
    shutil.copytree(REPO / "node_modules" / "pyodide", pyodide)  # a fresh copy: nothing cached
    config = BASE_CONFIG.replace(str(REPO / "node_modules" / "pyodide"), str(pyodide))
    env_path = os.environ["PATH"]
    try:
        os.environ["PATH"] = str(Path(sys.executable).parent)  # python, but no node
        done, _site = build({"index.md": "```calculator large-deal\nannual_value: 1\n```\n"}, config)
    finally:
        os.environ["PATH"] = env_path
    assert done.returncode == 1  # --strict turns the warning into a failure
    assert "could not precompile Pyodide's standard library (Node.js is not on PATH)" in done.stderr


def test_without_the_zstd_decoder_the_plain_files_ship_with_a_warning(build, tmp_path):
    """A checkout whose node_modules lacks fzstd (no 'npm ci' since it was added) still builds a
    working site: the worker fetches the plain files; --strict says what to run."""
    pyodide = tmp_path / "npm" / "pyodide"
    shutil.copytree(REPO / "node_modules" / "pyodide", pyodide)  # no fzstd beside it
    config = BASE_CONFIG.replace(str(REPO / "node_modules" / "pyodide"), str(pyodide))
    config = config.replace("  - sales-calculators:\n", "  - sales-calculators:\n      memory_snapshot: false\n")
    done, site = build({"index.md": "```calculator large-deal\nannual_value: 1\n```\n"}, config)
    assert done.returncode == 1  # --strict turns the warning into a failure
    assert "the zstd decoder is not installed" in done.stderr and "run 'npm ci'" in done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    widget = widgets(site)[0]
    assert not widget.has_attr("data-zstd") and not list(site.rglob("*.zst"))
    preloads = [link["href"] for link in soup(site).select('head > link[rel="preload"]')]
    assert [href for href in preloads if href.endswith("/pyodide.asm.wasm")], preloads
