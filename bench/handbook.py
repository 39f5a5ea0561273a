"""A generated handbook of N pages for the build-time metrics, and the small no-calculator site.

The config is the real ``mkdocs.yml`` (theme, features, Markdown extensions, plugins)
read through MkDocs' own YAML loader, with the nav dropped (the generated tree makes
its own) and the calculators plugin pointed at the repo's ``node_modules/pyodide``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.yaml import yaml_load

REPO = Path(__file__).resolve().parents[1]
PLUGIN = "sales-calculators"
#: The tree: 4 parts / N sections / 10 chapters / 25 pages. Only the number of sections
#: grows with the page count, and with ``navigation.prune`` a page only carries the links
#: of its own chapter and the parts and sections above it, so a page costs about the same
#: at 4,000 pages as at 2,000. Without pruning Material writes the whole navigation into
#: every page: the build grows with the square of the page count (2.6x for 2x the pages,
#: measured), which would hide whatever the plugin adds.
PAGES_PER_CHAPTER = 25
CHAPTERS_PER_SECTION = 10
PARTS = 4
FEATURES = ("navigation.prune",)


def config(enabled: bool, *, site_url: str | None = None, features: tuple[str, ...] = ()) -> dict[str, Any]:
    """The real mkdocs.yml, nav-less, with the plugin switched ``enabled`` or not."""
    with (REPO / "mkdocs.yml").open(encoding="utf-8") as fh:
        real = yaml_load(fh)
    plugins = []
    for entry in real.get("plugins", []):
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        if name == PLUGIN:
            options = {**(options or {}), "enabled": enabled, "pyodide_dir": str(REPO / "node_modules" / "pyodide")}
            plugins.append({name: options})
        else:
            plugins.append(entry)
    theme = dict(real["theme"])
    theme["features"] = [*theme.get("features", []), *features]
    out = {
        "site_name": "Generated handbook",
        "site_url": site_url or real.get("site_url") or "https://example.com/",
        "theme": theme,
        "plugins": plugins,
        "markdown_extensions": real.get("markdown_extensions", []),
        "validation": real.get("validation", {}),
    }
    return out


def write_config(project: Path, cfg: dict[str, Any]) -> None:
    # The full dumper: mkdocs.yml names Python functions (toc's slugify, the mermaid fence).
    (project / "mkdocs.yml").write_text(yaml.dump(cfg, Dumper=yaml.Dumper, sort_keys=False), encoding="utf-8")


PROSE = (
    "Every deal is different, but the way we work is not: we are honest about what the product does "
    "today, we let engineers try it for themselves, and we write down what we agreed so the next person "
    "can pick it up. This page explains the part of that process called {title}."
)


def page_markdown(title: str, index: int, prev: str | None, nxt: str | None, calculator: bool) -> str:
    """One realistic handbook page: headings, prose, a list, a table, an admonition, links."""
    links = []
    if prev:
        links.append(f"[the previous step]({prev})")
    if nxt:
        links.append(f"[the next step]({nxt})")
    see = f"See {' and '.join(links)}." if links else ""
    calc = ""
    if calculator:
        calc = (
            "\n## Size the trial {#size-the-trial}\n\n"
            "Enter the expected annual value and the start date.\n\n"
            f"```calculator trial-length\nid: trial-{index}\nannual_value: {10_000 + (index * 937) % 90_000}\n"
            f"start_date: 2026-{1 + index % 12:02d}-{1 + index % 28:02d}\n```\n"
        )
    return f"""# {title}

{PROSE.format(title=title.lower())} {see}

## Who does what {{ #who-does-what }}

- The account executive owns the relationship and the forecast.
- The technical account manager owns onboarding and the first month of usage.
- Support answers product questions in the shared channel within a working day.
- Finance signs off on any discount before it reaches the customer.

## Steps {{ #steps }}

1. Read the notes from the previous call and the account's usage.
2. Agree the goal of this step with the customer, in writing.
3. Do the work, and record the outcome in the CRM the same day.
4. Hand over to the next step when its entry criteria are met.

| Stage | Owner | Typical length | Exit criterion |
|---|---|---|---|
| Discovery | Account executive | 1 week | Use case written down |
| Evaluation | Technical account manager | 2 weeks | Success criteria met |
| Commercials | Account executive | 1 week | Order form signed |
{calc}
!!! note "Keep it simple"
    If a step does not help the customer, skip it and say why in the notes. {PROSE.format(title=title.lower())}

## Common questions {{ #faq }}

**Can we skip this step?** Sometimes. {PROSE.format(title=title.lower())}

**Who decides?** The owner of the step, after a conversation with the customer.
"""


def generate(project: Path, pages: int, *, calculators: bool, enabled: bool) -> Path:
    """Write ``project/mkdocs.yml`` and ``pages`` pages under ``project/docs``; return the project."""
    if project.exists():
        shutil.rmtree(project)
    docs = project / "docs"
    docs.mkdir(parents=True)
    write_config(project, config(enabled, features=FEATURES))
    (docs / "index.md").write_text("# Generated handbook\n\nA generated handbook for build benchmarks.\n")
    sections = max(1, -(-(pages - 1) // (PARTS * CHAPTERS_PER_SECTION * PAGES_PER_CHAPTER)))
    paths = []
    for i in range(pages - 1):
        rest, number = divmod(i, PAGES_PER_CHAPTER)
        rest, chapter = divmod(rest, CHAPTERS_PER_SECTION)
        part, section = divmod(rest, sections)
        paths.append(Path(f"part-{part}/section-{section}/chapter-{chapter}/page-{number:02d}.md"))
    for i, path in enumerate(paths):
        prev = paths[i - 1].name if i > 0 and paths[i - 1].parent == path.parent else None
        nxt = paths[i + 1].name if i + 1 < len(paths) and paths[i + 1].parent == path.parent else None
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        title = " ".join(part.replace("-", " ").capitalize() for part in path.with_suffix("").parts)
        target.write_text(page_markdown(title, i, prev, nxt, calculators), encoding="utf-8")
    return project
