"""Pages written as on GitHub (GFM with MDX) build as GitHub would show them.

The fixture pages (tests/fixtures/dialect/) are built with the project's own Markdown
settings (its mkdocs.yml) by `mkdocs build --strict`; each page's list items (their
nesting depth and text) must equal those of a CommonMark + GFM reading of the same
source by markdown-it-py (mdit-py-plugins for task lists), the reference; no component
tag and no literal Markdown may reach a page; site-absolute links stay on the site when
the page is here.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin
from mkdocs.utils.yaml import yaml_load

from tests.helpers import BASE_CONFIG, FIXTURES, REPO, build_with, copy_project

DIALECT = FIXTURES / "dialect"
PAGES = sorted(path.relative_to(DIALECT) for path in DIALECT.rglob("*.md*"))
GFM = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(tasklists_plugin).use(front_matter_plugin)
#: MDX lines markdown-it would read as text (the dialect drops them); the reference drops them too.
MDX_ONLY = re.compile(r"^(?:import|export)\s.*$|\{/\*.*?\*/\}", re.M)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("dialect"))
    shutil.copytree(DIALECT / "handbook", project / "docs" / "handbook")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + '\nnot_in_nav: "/handbook/"\n', encoding="utf-8")
    done = build_with("mkdocs", project)
    assert done.returncode == 0, done.stderr
    return project / "site"


def built(site: Path, page: Path) -> BeautifulSoup:
    html = site / page.with_suffix("") / "index.html"
    return BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select_one("article")


def list_items(html) -> list[tuple[int, str]]:
    """(depth, text without nested lists) of every list item, in order."""
    items = []
    for item in html.find_all("li"):
        alone = copy.copy(item)
        for nested in alone.find_all(["ul", "ol"]):
            nested.decompose()
        items.append((len(item.find_parents(["ul", "ol"])), " ".join(alone.get_text(" ").split())))
    return items


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_lists_are_read_as_github_reads_them(site, page):
    source = MDX_ONLY.sub("", (DIALECT / page).read_text(encoding="utf-8"))
    reference = list_items(BeautifulSoup(GFM.render(source), "html.parser"))
    assert reference, "a fixture page without a list tests nothing here"
    assert list_items(built(site, page)) == reference


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_no_component_or_literal_markup_reaches_the_page(site, page):
    article = built(site, page)
    text = article.get_text(" ")
    for literal in ("**", "~~", "[ ]", "[x]", "###", "{/*", "import ", "export const", "\\<", "\\~"):
        assert literal not in text, literal
    assert not article.find(re.compile(r"^[a-z]+[A-Z]|^(calloutbox|teammember|smallteam|privatelink)$"))
    assert not re.search(r"<[A-Z][A-Za-z]+[\s/>]", str(article))


def test_the_gfm_constructs_render(site):
    lists = built(site, Path("handbook/team/lists.md"))
    assert lists.find("del").get_text() == "struck out"
    assert len(lists.select("li.task-list-item input[type=checkbox]")) == 3
    assert lists.select_one(".mermaid") is not None
    assert "an escaped <tag> and a tilde ~ kept" in " ".join(lists.get_text(" ").split())


def test_components_render_through_the_map(site):
    page = built(site, Path("handbook/team/components.mdx"))
    text = " ".join(page.get_text(" ").split())
    assert "go to Dana Ruiz, and anything about contracts to the sales team." in text
    assert page.find("a", string="in the shared drive")["href"] == "https://drive.example.com/deck"
    callout = page.select_one(".admonition.info")
    assert callout.select_one(".admonition-title").get_text() == "Before you reach out"
    assert [li.get_text() for li in callout.select("li")] == ["check open tickets", "check the last invoice"]
    details = page.select_one("details")
    assert details.select_one("h3").get_text(strip=True).startswith("Urgent") and details.find("strong")


def test_site_absolute_links_stay_here_when_the_page_is(site):
    page = built(site, Path("handbook/team/components.mdx"))
    here = site / "handbook" / "team" / "components"
    hrefs = {a.get_text(): a["href"] for a in page.find_all("a") if a.get_text() in LINKS}
    assert (here / hrefs["the list page"]).resolve() == (site / "handbook/team/lists").resolve()
    assert hrefs["process"] == "#how-it-works---tams" and page.find(id="how-it-works---tams")
    assert hrefs["qualification"] == "#bant" and page.find(id="bant")
    assert hrefs["CRM guide"] == "https://posthog.com/handbook/growth/sales/crm"


LINKS = {"the list page", "process", "qualification", "CRM guide"}


def test_an_unknown_component_shows_its_content_and_fails_strict(tmp_path):
    project = copy_project(tmp_path)
    page = project / "docs" / "handbook" / "odd.md"
    page.parent.mkdir()
    page.write_text('# Odd\n\nA line.\n\n<Sparkle colour="gold">Shiny words</Sparkle>\n', encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + '\nnot_in_nav: "/handbook/"\n', encoding="utf-8")
    done = build_with("mkdocs", project)
    assert done.returncode == 1
    assert "docs/handbook/odd.md:5: unknown component <Sparkle>: only its content is shown" in done.stderr
    relaxed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"], cwd=project, capture_output=True, text=True, check=False
    )
    assert relaxed.returncode == 0, relaxed.stderr
    odd = BeautifulSoup((project / "site/handbook/odd/index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Shiny words" in odd.select_one("article").get_text() and not odd.find("sparkle")


@pytest.mark.parametrize(
    "page", sorted(path.relative_to(REPO / "docs") for path in (REPO / "docs").rglob("*.md")), ids=str
)
def test_the_handbooks_own_pages_render_as_before(page):
    """Written for Python-Markdown (four-space nesting, admonitions and calculators in lists), the
    project's pages read the same with the dialect as without it (whitespace aside)."""
    source = FRONT_MATTER.sub("", (REPO / "docs" / page).read_text(encoding="utf-8"))
    extensions, settings = own_extensions()
    plain = markdown.Markdown(extensions=extensions, extension_configs=settings).convert(source)
    dialect = markdown.Markdown(extensions=["handbook_calculators.dialect", *extensions], extension_configs=settings)
    assert " ".join(dialect.convert(source).split()) == " ".join(plain.split())


def own_extensions() -> tuple[list[str], dict]:
    """mkdocs.yml's Markdown extensions and their settings, without the handbook's own two
    (the calculators' blocks need a build; the dialect is what is compared)."""
    listed = yaml_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["markdown_extensions"]
    entries = [entry if isinstance(entry, dict) else {entry: {}} for entry in listed]
    settings = {name: options or {} for entry in entries for name, options in entry.items()}
    names = [name for name in settings if not name.startswith("handbook_calculators")]
    return names, {name: settings[name] for name in names}


FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


@pytest.mark.parametrize(
    ("page", "headings"),
    [
        ("handbook/team/lists.md", ["Lists as GitHub reads them"]),  # the title, as the page's H1
        ("handbook/team/components.mdx", ["Who to ask"]),  # the body's own H1, and no second
        ("handbook/team/no-title.md", []),  # showTitle: false
    ],
)
def test_the_title_is_the_h1_unless_the_body_has_one_or_show_title_is_false(site, page, headings):
    assert [h1.get_text(strip=True).rstrip("¶") for h1 in built(site, Path(page)).find_all("h1")] == headings


def test_under_zensical_the_md_pages_read_the_same(tmp_path):
    """The dialect is a Markdown extension, so Zensical runs it too (its .mdx files are not pages:
    Zensical picks pages by suffix itself)."""
    project = copy_project(tmp_path)
    shutil.copytree(DIALECT / "handbook", project / "docs" / "handbook")
    done = build_with("zensical", project)
    assert done.returncode == 0, done.stdout + done.stderr
    site = project / "site"
    for page in (Path("handbook/team/lists.md"), Path("handbook/team/no-title.md")):
        source = (DIALECT / page).read_text(encoding="utf-8")
        assert list_items(built(site, page)) == list_items(BeautifulSoup(GFM.render(source), "html.parser"))
    assert built(site, Path("handbook/team/no-title.md")).find("h1") is None


def test_markdown_inside_html_blocks_renders(site):
    page = built(site, Path("handbook/team/html.md"))
    details = page.select_one("details")
    assert details.select_one("h3") is not None and details.select_one("strong").get_text() == "exported weekly"
    cell = page.select_one("table td")
    assert cell.select_one("strong").get_text() == "Plan"
    assert [item.get_text() for item in cell.select("li")] == ["seats", "support"]
    assert page.select("table td")[1].get_text(strip=True) == "Priced per month"


def test_an_mdx_page_in_the_nav_and_linked_by_its_file_name(build):
    """An .mdx file is a page like an .md one: listed in the nav, linked as `team.mdx`."""
    config = BASE_CONFIG.replace("markdown_extensions:\n", "nav:\n  - index.md\n  - team.mdx\nmarkdown_extensions:\n")
    config = config.replace("markdown_extensions:\n", "markdown_extensions:\n  - handbook_calculators.dialect\n", 1)
    done, site = build(
        {
            "index.md": "# Home\n\nSee [the team page](team.mdx).\n",
            "team.mdx": "import X from 'x'\n\n# Team\n\nAsk <TeamMember name=\"Dana Ruiz\" />.\n",
        },
        config,
    )
    assert done.returncode == 0, done.stderr
    team = BeautifulSoup((site / "team" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Ask Dana Ruiz." in team.select_one("article").get_text()
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one("article").find("a", string="the team page")["href"] == "team/"
    assert [a["href"] for a in home.select("nav a.md-nav__link") if a.get_text(strip=True) == "Team"]
    assert not (site / "team.mdx").exists()  # a page, not a download
