"""The handbook under every engine that reads mkdocs.yml: MkDocs 1.6, ProperDocs and Zensical.

Each builds a copy of the project as it is (its mkdocs.yml, its docs/) with the command the
README gives, and the site must be whole: every calculator rendered with its runtime in
the site, every reference rendered, nothing internal on a page. Chromium runs a calculator
on the MkDocs and the Zensical sites. The versions are pinned in constraints.txt.
"""

from __future__ import annotations

import pytest

from tests.helpers import ENGINES, REPO, assert_handbook_is_whole, build_with, copy_project, run_a_calculator


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Each engine's build of its own copy of the project: engine -> (process, project)."""
    built = {}
    for engine in ENGINES:
        project = copy_project(tmp_path_factory.mktemp(engine))
        built[engine] = (build_with(engine, project), project)
    return built


@pytest.mark.parametrize("engine", ENGINES)
def test_each_engine_builds_the_whole_handbook(sites, engine):
    done, project = sites[engine]
    assert done.returncode == 0, done.stdout + done.stderr
    assert_handbook_is_whole(project / "site")


def test_zensical_is_given_the_runtime_in_docs_and_git_ignores_it(sites):
    _, project = sites["zensical"]
    staged = project / "docs" / "assets" / "calculators"
    assert (staged / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    in_docs = {path.relative_to(project / "docs") for path in staged.rglob("*") if path.is_file()}
    site = project / "site"
    in_site = {path.relative_to(site) for path in (site / "assets" / "calculators").rglob("*") if path.is_file()}
    assert in_site == in_docs  # (Zensical copies the .gitignore too: harmless)
    assert len(in_site) > 10


def test_mkdocs_after_zensical_ships_its_own_runtime(sites, tmp_path):
    """A Zensical build leaves the runtime in docs/; a MkDocs build of the same tree ships its own
    (the same files), with no warning about them."""
    _, project = sites["zensical"]
    done = build_with("mkdocs", project, "-d", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr
    assert_handbook_is_whole(tmp_path / "site")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_bad_block_fails_each_engine_with_file_and_line(engine, tmp_path):
    project = copy_project(tmp_path)
    overview = project / "docs" / "sales" / "overview.md"
    lines = overview.read_text(encoding="utf-8").splitlines()
    overview.write_text("\n".join([*lines, "", "```calculator trial-length", "annual_value: -5", "```", ""]))
    done = build_with(engine, project)
    assert done.returncode != 0
    assert f"docs/sales/overview.md:{len(lines) + 3}: bad default for 'annual_value'" in done.stdout + done.stderr


@pytest.mark.browser
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_a_calculator_runs_on_the_site(sites, browser, engine):
    done, project = sites[engine]
    assert done.returncode == 0
    run_a_calculator(browser, project / "site")


def test_the_readme_gives_each_engines_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Which engine") :]
    section = section[: section.index("\n## ", 1)]
    for command in ("mkdocs build", "properdocs build", "zensical build"):
        assert command in section
