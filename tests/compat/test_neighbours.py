"""Beside the plugins real sites use: each added to a copy of the project (or to a small site)
and built with `mkdocs build --strict` as a contributor would. The calculators and the
references must still render, or the build must say what to change.

Versions pinned in constraints.txt: mkdocs-macros-plugin, mkdocs-static-i18n,
mkdocs-minify-plugin, mkdocs-exclude; Material's blog and offline plugins.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.helpers import (
    PYODIDE_DIR,
    assert_handbook_is_whole,
    build_with,
    copy_project,
    run_a_calculator,
    run_mkdocs,
    write_site,
)

#: The project's plugins, as mkdocs.yml lists them; each case below lists its own instead.
PLUGINS = "plugins:\n  - search\n  - sales-calculators\n"


def project_with(root: Path, plugins: str, settings: str = "") -> Path:
    """A copy of the project whose mkdocs.yml lists ``plugins`` (and adds ``settings``)."""
    project = copy_project(root)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert PLUGINS in text
    config.write_text(text.replace(PLUGINS, "plugins:\n" + textwrap.dedent(plugins)) + settings, encoding="utf-8")
    return project


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def our_scripts(page: Path) -> list[str]:
    return [tag["src"] for tag in soup(page).select("script[src]") if "assets/calculators/" in tag["src"]]


# --- mkdocs-macros-plugin ------------------------------------------------------------------


@pytest.mark.parametrize("order", ["macros-first", "macros-last"])
def test_macros_in_either_order(tmp_path, order):
    listed = ["  - search\n", "  - macros\n", "  - sales-calculators\n"]
    if order == "macros-last":
        listed[1], listed[2] = listed[2], listed[1]
    project = project_with(tmp_path, "".join(listed))
    index = project / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\nBuilt as {{ config.site_name }}.\n", encoding="utf-8")
    done = build_with("mkdocs", project)
    assert done.returncode == 0, done.stderr
    assert_handbook_is_whole(project / "site")
    assert "Built as Sales handbook." in (project / "site" / "index.html").read_text(encoding="utf-8")


# --- mkdocs-static-i18n ------------------------------------------------------------------------

I18N = f"""\
site_name: Two languages
theme:
  name: material
  font: false
plugins:
  - search
  - i18n:
      docs_structure: {{structure}}
      languages:
        - {{{{locale: en, default: true, name: English, build: true}}}}
        - {{{{locale: fr, name: Français, build: true}}}}
  - sales-calculators:
      pyodide_dir: {PYODIDE_DIR}
markdown_extensions:
  - attr_list
  - pymdownx.superfences
"""
BLOCK = "\n```calculator trial-length\nid: sizing\nannual_value: 45000\n```\n"
I18N_PAGES = {
    "suffix": {"index.md": "# Home\n", "index.fr.md": "# Accueil\n", "calc.md": "# Trial" + BLOCK},
    "folder": {"en/index.md": "# Home\n", "fr/index.md": "# Accueil\n", "en/calc.md": "# Trial" + BLOCK},
}
I18N_PAGES["suffix"]["calc.fr.md"] = "# Essai" + BLOCK
I18N_PAGES["folder"]["fr/calc.md"] = "# Essai" + BLOCK


@pytest.mark.browser
@pytest.mark.parametrize("structure", ["suffix", "folder"])
def test_static_i18n_builds_and_both_languages_run(tmp_path, browser, structure):
    write_site(tmp_path, I18N_PAGES[structure], I18N.format(structure=structure))
    done = run_mkdocs(tmp_path)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "site"
    for path in ("calc/index.html", "fr/calc/index.html"):
        (widget,) = soup(site / path).select("div.calc[data-calculator]")
        assert (site / path).parent.joinpath(widget["data-worker"]).resolve().is_file(), path
    assert "Essai" in (site / "fr/calc/index.html").read_text(encoding="utf-8")
    for path in ("calc/", "fr/calc/"):
        run_a_calculator(browser, site, path, "#sizing")


# --- Material's blog -------------------------------------------------------------------------

BLOG = f"""\
site_name: News
theme:
  name: material
  font: false
plugins:
  - search
  - blog
  - sales-calculators:
      pyodide_dir: {PYODIDE_DIR}
markdown_extensions:
  - attr_list
  - pymdownx.superfences
"""
POST = """\
---
date: 2024-01-15
categories:
  - Deals
---

# Sizing a trial

How long a trial should be, before the cut:

```calculator trial-length
id: sizing
annual_value: 45000
```

<!-- more -->

And the rest of the post.
"""


def test_a_calculator_in_a_blog_excerpt_links_to_its_post(tmp_path):
    done, site = None, tmp_path / "site"
    write_site(tmp_path, {"index.md": "# Home\n", "blog/index.md": "# Blog\n", "blog/posts/sizing.md": POST}, BLOG)
    done = run_mkdocs(tmp_path)
    assert done.returncode == 0, done.stderr
    post = site / "blog/2024/01/15/sizing-a-trial/index.html"
    assert len(soup(post).select("div.calc[data-calculator]")) == 1
    for view in ("blog/index.html", "blog/category/deals/index.html", "blog/archive/2024/index.html"):
        html = soup(site / view)
        assert not html.select("div.calc"), view
        (link,) = html.select("p.calc__excerpt-link a")
        target, _, anchor = link["href"].partition("#")
        assert (site / view).parent.joinpath(target).resolve() == post.parent and anchor == "sizing", view
        assert "hbcalcslot" not in (site / view).read_text(encoding="utf-8")


def test_an_internal_placeholder_never_reaches_a_page(build):
    done, _ = build({"index.md": "# Home\n\nA word the extension uses: hbcalcslot0123456789abcdefn0.\n"})
    assert done.returncode == 1
    assert "docs/index.md: an internal calculator placeholder" in done.stderr


# --- Excluding and renaming files ----------------------------------------------------------


def test_exclude_docs_over_the_runtime_fails_saying_which_file(tmp_path):
    project = project_with(tmp_path, "  - search\n  - sales-calculators\n", "\nexclude_docs: |\n  *.zip\n")
    done = build_with("mkdocs", project)
    assert done.returncode == 1
    assert re.search(r"exclude_docs in mkdocs.yml excludes assets/calculators/\S+\.zip, a file", done.stderr)
    assert "Narrow the pattern" in done.stderr


def test_mkdocs_exclude_listed_after_ours_leaves_the_runtime(tmp_path):
    plugins = "  - search\n  - sales-calculators\n  - exclude:\n      glob:\n        - '*.zip'\n"
    project = project_with(tmp_path, plugins)
    (project / "docs" / "old.zip").write_bytes(b"PK\x05\x06" + bytes(18))  # a zip of the site's own
    done = build_with("mkdocs", project)
    assert done.returncode == 0, done.stderr
    assert not (project / "site" / "old.zip").exists()  # the plugin still does its job
    assert_handbook_is_whole(project / "site")


def test_minify_over_our_scripts_leaves_them_out_with_a_warning(tmp_path):
    plugins = "  - search\n  - sales-calculators\n  - minify:\n      minify_js: true\n      js_files:\n"
    plugins += "        - assets/calculators/*.js\n        - javascripts/handbook.js\n"
    project = project_with(tmp_path, plugins)
    strict = build_with("mkdocs", project)
    assert strict.returncode == 1  # --strict: the warning stops the build
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"], cwd=project, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "left assets/calculators/*.js out of the 'minify' plugin's js_files" in done.stderr
    assert_handbook_is_whole(project / "site")
    assert (project / "site" / "javascripts" / "handbook.min.js").is_file()  # the site's own file: minified


def test_minify_html_listed_before_ours_keeps_the_search_hold(tmp_path):
    project = project_with(tmp_path, "  - search\n  - minify:\n      minify_html: true\n  - sales-calculators\n")
    done = build_with("mkdocs", project)
    assert done.returncode == 0, done.stderr
    assert_handbook_is_whole(project / "site")
    scripts = our_scripts(project / "site" / "sales/inbound/index.html")
    assert [src for src in scripts if "search_hold-" in src], scripts


# --- Pages opened from disk (Material's offline plugin) ----------------------------------------


@pytest.mark.browser
def test_a_page_opened_from_disk_says_why_the_calculators_wait(tmp_path, browser):
    project = project_with(tmp_path, "  - search\n  - offline\n  - sales-calculators\n")
    done = build_with("mkdocs", project)
    assert done.returncode == 0, done.stderr
    page = project / "site" / "sales" / "inbound.html"
    assert page.is_file()  # the offline plugin's layout: no directory URLs
    context = browser.new_context()
    context.route(lambda url: not url.startswith("file://"), lambda route: route.abort())
    try:
        tab = context.new_page()
        tab.goto(page.as_uri())
        status = tab.locator("#trial-sizing .calc__status")
        status.wait_for(state="attached")
        tab.wait_for_function("() => document.querySelector('#trial-sizing .calc__status').textContent !== ''")
        status.scroll_into_view_if_needed()
        assert status.is_visible()
        text = status.text_content()  # (innerText is empty while the block's rendering is skipped off screen)
        assert "needs the page to come from a web server" in text and "mkdocs serve" in text
        assert tab.locator("#trial-sizing").get_attribute("data-state") == "static"
    finally:
        context.close()
