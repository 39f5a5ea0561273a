"""``python -m bench.dialect PAGE...``: what the dialect extension gains on pages written as on GitHub, and costs.

For each page (Markdown with GFM and MDX, front matter allowed): how many of the list
items a CommonMark + GFM reading finds (markdown-it-py with mdit-py-plugins, the
reference) Python-Markdown renders the same (depth and text), with the project's
Markdown extensions (mkdocs.yml's) alone and with handbook_calculators.dialect added; then the median
time to convert each page both ways (--runs), so the dialect's share of a build is known.
The conformance of the project's own fixture pages is a test (tests/site/test_dialect.py);
this measures any body of pages, e.g. the source handbook's.
"""

from __future__ import annotations

import argparse
import copy
import re
import statistics
import time
from pathlib import Path

import markdown
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin
from mkdocs.utils.yaml import yaml_load

GFM = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(tasklists_plugin).use(front_matter_plugin)
REPO = Path(__file__).resolve().parents[1]
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
MDX_ONLY = re.compile(r"^(?:import|export)\s.*$|\{/\*.*?\*/\}", re.M)


def list_items(html: str) -> list[tuple[int, str]]:
    """(depth, text without nested lists) of every list item, in order."""
    items = []
    for item in BeautifulSoup(html, "html.parser").find_all("li"):
        alone = copy.copy(item)
        for nested in alone.find_all(["ul", "ol"]):
            nested.decompose()
        items.append((len(item.find_parents(["ul", "ol"])), " ".join(alone.get_text(" ").split())))
    return items


def matching(got: list, reference: list) -> int:
    """How many of the reference's items are rendered, in order (a longest common subsequence)."""
    previous = [0] * (len(reference) + 1)
    for item in got:
        current = [0]
        for index, expected in enumerate(reference):
            current.append(previous[index] + 1 if item == expected else max(previous[index + 1], current[index]))
        previous = current
    return previous[-1]


def own_extensions() -> tuple[list[str], dict]:
    """mkdocs.yml's Markdown extensions and settings, without the handbook's two (the dialect is measured)."""
    listed = yaml_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["markdown_extensions"]
    entries = [entry if isinstance(entry, dict) else {entry: {}} for entry in listed]
    settings = {name: options or {} for entry in entries for name, options in entry.items()}
    return [name for name in settings if not name.startswith("handbook_calculators")], settings


OWN, SETTINGS = own_extensions()


def convert(extensions: list[str], body: str) -> str:
    return markdown.Markdown(extensions=extensions, extension_configs=SETTINGS).convert(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    dialect = ["handbook_calculators.dialect", *OWN]
    totals = [0, 0, 0]
    times = {"plain": [], "dialect": []}
    print("| page | GFM list items | Python-Markdown alone | with the dialect |\n|---|---|---|---|")
    for page in args.pages:
        source = page.read_text(encoding="utf-8")
        body = FRONT_MATTER.sub("", source)
        reference = list_items(GFM.render(MDX_ONLY.sub("", source)))
        plain = matching(list_items(convert(OWN, body)), reference)
        ours = matching(list_items(convert(dialect, body)), reference)
        print(f"| {page.name} | {len(reference)} | {plain} | {ours} |")
        totals = [totals[0] + len(reference), totals[1] + plain, totals[2] + ours]
        for name, extensions in (("plain", OWN), ("dialect", dialect)):
            runs = []
            for _ in range(args.runs):
                started = time.perf_counter()
                convert(extensions, body)
                runs.append(time.perf_counter() - started)
            times[name].append(statistics.median(runs))
    print(f"| all | {totals[0]} | {totals[1]} | {totals[2]} |")
    plain, ours = sum(times["plain"]), sum(times["dialect"])
    print(
        f"\nConverting all {len(args.pages)} pages (sum of per-page medians of {args.runs} runs): "
        f"{plain * 1000:.1f} ms alone, {ours * 1000:.1f} ms with the dialect ({ours / plain:.2f} x)."
    )


if __name__ == "__main__":
    main()
