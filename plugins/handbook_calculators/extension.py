"""The Markdown side of the handbook, as one Python-Markdown extension every engine runs.

Listed in mkdocs.yml (``markdown_extensions: - handbook_calculators``), it is run by
MkDocs, ProperDocs and Zensical alike, for every page:

- ```calculator fences become the widget (render.py), with the answer for the block's
  values computed at build time, and the page gets the runtime's stylesheet and scripts;
- ``[[rule:T1]]`` and ``[[table:trial-length]]`` become the rule's value and table;
- site-absolute handbook links go to the page here if the site has it, else to the public
  site (links.py).

A page's problems (page_check.py) stop the build with ``docs/<page>.md:<line>`` lines.
Which page is being rendered comes from the engine (:func:`page_for`); the runtime's
files come from whichever engine made them (runtime.py: the MkDocs plugin, or the
Zensical stage in staging.py).
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import sys
import traceback
from collections.abc import Callable
from html import escape
from pathlib import Path

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from mkdocs.exceptions import PluginError

from . import runtime
from .blocks import FENCE_KEYWORD, Block
from .links import SiteLinks
from .markup import CLASS, DATA
from .page_check import check_page
from .references import MARKERS, RuleTable, RuleValue
from .render import ExampleError, render_calculator
from .source import calculators_package

#: The class Python-Markdown gives a fenced block whose language is "calculator".
RENDERED_AS_CODE = "language-calculator"
#: Starts every placeholder the extension puts where a block was (see :func:`slot`).
SLOT_PREFIX = "hbcalcslot"


class PageError(PluginError):
    """A page the build must not publish; the message names the file and line.

    A PluginError, so MkDocs and ProperDocs print it as a build error without a traceback;
    Zensical prints any exception's message and fails the build.
    """


@dataclasses.dataclass(frozen=True)
class Page:
    """The page being rendered, as the engine knows it."""

    where: str  # "docs/sales/inbound.md", as a contributor finds the file
    path: str | None  # "sales/inbound.md", in docs_dir (None: not a file of a site)
    url: str  # "sales/inbound/" (or "sales/inbound.html"): its depth gives the way up to the root
    first_line: int  # the file's line on which the Markdown handed to the extension starts
    exists: Callable[[str], bool]  # is this docs-relative path a page of the site?
    use_directory_urls: bool
    excerpt_of: str | None = None  # a blog post's URL, when this is its excerpt on another page
    meta: dict = dataclasses.field(default_factory=dict)  # its front matter

    def __post_init__(self) -> None:
        if self.url in (".", "./"):  # the home page, as a File's URL spells it; its page's URL is ""
            object.__setattr__(self, "url", "")

    @property
    def root(self) -> str:
        """From this page up to the site root: "" or "../" repeated."""
        return "../" * self.url.count("/")


class CalculatorsExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {
            "external_base": [
                "https://posthog.com",
                "Public site for handbook/docs links this site does not have, e.g. /handbook/growth/sales/crm.",
            ],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # One state per Markdown instance: engines make one per page (Zensical may reuse
        # this extension object for all of them).
        state = _State()
        # After whitespace is normalised (30), before fenced code (25) and raw HTML (20).
        md.preprocessors.register(_Blocks(md, state), "handbook-calculators", 27)
        # After code spans (190), so `[[rule:T1]]` in backticks stays as written; before links (160).
        md.inlinePatterns.register(RuleValue(md, state), "handbook-rule-value", 175)
        # After indented code (80), before paragraphs (10).
        md.parser.blockprocessors.register(RuleTable(md.parser, state), "handbook-rule-table", 75)

        # Before the engine's own link handling (MkDocs' relpath is 0).
        def here():
            page = page_for(md)
            return page.path, page.exists

        md.treeprocessors.register(SiteLinks(md, self.getConfig("external_base"), here), "handbook-site-links", 5)
        # After raw HTML is put back (30), so a block inside an HTML container is found too.
        md.postprocessors.register(_Widgets(md, state), "handbook-calculators", 25)


def makeExtension(**kwargs) -> CalculatorsExtension:
    return CalculatorsExtension(**kwargs)


@dataclasses.dataclass
class _State:
    """What one page's conversion found: its blocks, their placeholders, its references' values."""

    page: Page | None = None
    runtime: runtime.Runtime | None = None
    blocks: list[Block] = dataclasses.field(default_factory=list)
    nonce: str = ""

    @property
    def values(self) -> dict[str, str]:
        return self.runtime.values if self.runtime else {}

    @property
    def tables(self) -> dict:
        return self.runtime.tables if self.runtime else {}


class _Blocks(Preprocessor):
    """Checks the page, and puts a placeholder word where each calculator block was."""

    def __init__(self, md: Markdown, state: _State) -> None:
        super().__init__(md)
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        state = self.state
        # An engine may convert several pages with one Markdown (Material's blog does, for excerpts).
        state.page, state.blocks = None, []
        text = "\n".join(lines)
        if FENCE_KEYWORD not in text and not any(marker in text for marker in MARKERS):
            return lines  # nothing for us on this page: skip the parse (most pages of a big handbook)
        state.page = page = page_for(self.md, text)
        state.runtime = _runtime_for(self.md, page)
        blocks, problems = check_page(text, page.first_line, state.values, state.tables)
        if problems:
            raise PageError("\n".join(f"{page.where}:{line}: {message}" for line, message in problems))
        if not blocks:
            return lines
        state.blocks, state.nonce = blocks, secrets.token_hex(8)
        lines = list(lines)
        for index, block in reversed(list(enumerate(blocks))):
            # Keep what precedes the fence (indentation, "> " of a quote) so the slot stays in its container.
            prefix = lines[block.start][: lines[block.start].index(block.fence)]
            lines[block.start : block.end] = [prefix + slot(state.nonce, index)]
        return lines


class _Widgets(Postprocessor):
    """Puts each block's widget where its placeholder is, and the runtime's tags after the content."""

    def __init__(self, md: Markdown, state: _State) -> None:
        super().__init__(md)
        self.state = state

    def run(self, text: str) -> str:
        state = self.state
        if RENDERED_AS_CODE in text:
            # A fence Python-Markdown rendered but markdown-it did not see: never let it pass as code.
            page = state.page or page_for(self.md, text)
            raise PageError(
                f"{page.where}:{_first_fence_line(page, self.md)}: a ```calculator block was rendered as code. "
                "Leave a blank line before the fence (inside an admonition or tab too) so it becomes a calculator."
            )
        if not state.blocks or f"{SLOT_PREFIX}{state.nonce}n" not in text:
            # Not the page: some extensions run the postprocessors on a piece of it too (toc, on
            # each heading). Then the page still arrives whole, with every placeholder.
            return text
        page, built = state.page, state.runtime
        settings = {
            DATA["root"]: page.root or "./",
            DATA["directory_urls"]: "true" if page.use_directory_urls else "false",
            **built.settings(page.root),
        }
        section_url = calculators_package().present.section_url

        def resolve(source: str) -> str | None:
            # The URL as the live answer links it (calculators/present.py), if the page is in this site.
            if not page.exists(source.partition("#")[0]):
                return None
            return section_url(source, page.root, page.use_directory_urls)

        for index, block in enumerate(state.blocks):
            placeholder = f"<p>{slot(state.nonce, index)}</p>"
            if text.count(placeholder) != 1:
                raise PageError(
                    f"{page.where}:{block.line}: this calculator block did not render as a block of its own "
                    "(Markdown read it as part of other markup). Put it at the top level of the page, or indent "
                    "it by exactly 4 spaces inside an admonition, a content tab or a list item, with blank lines "
                    "around it."
                )
            try:
                widget = render_calculator(block.id, block.name, block.defaults, settings, resolve)
            except ExampleError as exc:
                failure = example_failure(block.name, exc.__cause__)
                raise PageError(f"{page.where}:{block.line}: {failure}") from None
            if page.excerpt_of is not None:
                # On a blog's index, archive or category page: a link to the calculator on its
                # post, which has the runtime (the excerpt is cut before the page's scripts).
                title = calculators_package().CALCULATORS[block.name].TITLE
                href = escape(f"{page.root}{page.excerpt_of}#{block.id}", quote=True)
                link = f'<a href="{href}">{escape(title)}: open the calculator</a>'
                widget = f'<p class="{CLASS["excerpt_link"]}">{link}</p>'
            text = text.replace(placeholder, widget)
        if page.excerpt_of is not None:
            return text
        built.calculator_pages.add(page.url)
        return text + built.page_tags(page.root)


def slot(nonce: str, index: int) -> str:
    """A placeholder word Markdown leaves alone, unique to this page's conversion."""
    return f"{SLOT_PREFIX}{nonce}n{index}"


def example_failure(name: str, exc: BaseException | None) -> str:
    """What to say when a calculator raised on a block's example: the exception and where it was raised."""
    where = ""
    if exc is not None:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f"{os.sep}calculators{os.sep}" in f.filename]
        if frames:
            where = f" at calculators/{Path(frames[-1].filename).name}:{frames[-1].lineno}"
    return (
        f"calculator '{name}' raised {type(exc).__name__}: {exc}{where} on this block's example values. "
        "That is a bug in the calculator (calculators/), not in this page: fix it there."
    )


# Which page, under which engine -------------------------------------------------------


def page_for(md: Markdown, text: str | None = None) -> Page:
    """The page ``md`` is converting: from Zensical's rendering context, MkDocs' (or
    ProperDocs') link processor, or, for a bare Markdown conversion, a page at the root.

    With ``text`` (the Markdown handed to the extension), ``first_line`` is counted from the
    page's file, which is read for it; without, it is 1 and nothing is read.
    """
    zensical = _zensical_page(md, text)
    if zensical is not None:
        return zensical
    relpath = _registered(md.treeprocessors, "relpath")
    file = getattr(relpath, "file", None)
    if file is not None:
        config, files = relpath.config, relpath.files
        # Material's blog renders a post's excerpt for its index, archive and category pages
        # with a treeprocessor of its own; the file is then the post's, at the view's URL.
        excerpt = _registered(md.treeprocessors, "excerpt")
        post = getattr(getattr(excerpt, "page", None), "url", None)
        return Page(
            where=f"{Path(config.docs_dir).name}/{file.src_uri}",
            path=file.src_uri,
            url=file.url,
            first_line=_first_line(lambda: file.content_string, text),
            exists=lambda path: files.get_file_from_path(path) is not None,
            use_directory_urls=config.use_directory_urls,
            excerpt_of=post,
            meta=_mkdocs_meta(config, file),
        )
    return Page(where="<markdown>", path=None, url="", first_line=1, exists=lambda path: False, use_directory_urls=True)


def _first_line(read_source: Callable[[], str], text: str | None) -> int:
    """The file's line on which ``text`` starts (1 without ``text``: nothing is read then)."""
    if text is None:
        return 1
    try:
        source = read_source()
    except (OSError, ValueError):  # generated or unreadable: nothing was stripped that we know of
        return 1
    return front_matter_lines(source, text) + 1


def _mkdocs_meta(config, file) -> dict:
    """The front matter of the page MkDocs is rendering (it strips it before Markdown sees the page)."""
    page = getattr(config, "_current_page", None)
    if page is not None and getattr(page, "file", None) is not None and page.file.src_uri == file.src_uri:
        return page.meta or {}
    return {}


def _registered(registry, name: str):
    """The processor registered under ``name``, or None (a Registry has no ``get``)."""
    return registry[name] if name in registry else None  # noqa: SIM401


def _zensical_page(md: Markdown, text: str | None) -> Page | None:
    if "zensical" not in sys.modules:
        return None
    from zensical.extensions.context import ContextPreprocessor  # only under Zensical

    context = ContextPreprocessor.from_markdown(md)
    if context is None:
        return None
    config = context.config
    docs_dir = Path(config["root_dir"]) / config["docs_dir"]
    return Page(
        where=f"{docs_dir.name}/{context.page.path}",
        path=context.page.path,
        url=context.page.url,
        first_line=_first_line(lambda: (docs_dir / context.page.path).read_text(encoding="utf-8"), text),
        exists=lambda path: (docs_dir / path).is_file(),
        use_directory_urls=bool(config.get("use_directory_urls", True)),
        meta=context.page.meta or {},
    )


def _runtime_for(md: Markdown, page: Page) -> runtime.Runtime:
    """The runtime of this build. An engine made it; if none did, the site would ship
    calculators that cannot start, so that is an error, except for a bare conversion."""
    current = runtime.current()
    if current is not None:
        return current
    if "zensical" in sys.modules:
        raise PageError(
            f"{page.where}: the calculators' runtime was not staged for Zensical, so the site would ship "
            "calculators that cannot start. Add to mkdocs.yml: "
            "'extra: {calculators_runtime: !!python/object/apply:handbook_calculators.staging.stage []}' "
            "(README, 'Which engine')."
        )
    if "relpath" in md.treeprocessors:
        raise PageError(
            f"{page.where}: the handbook_calculators extension needs the sales-calculators plugin under "
            "'plugins:' in mkdocs.yml (it ships the runtime the calculators start in)."
        )
    built = runtime.build(runtime.Options(), Path.cwd())  # a bare conversion (a script, a test)
    runtime.use(built)
    return built


def front_matter_lines(source: str, markdown: str) -> int:
    """How many lines the engine stripped (front matter, blank lines) from the top of the
    file ``source`` before the ``markdown`` the extension is handed.

    Counted from the end: Python-Markdown has by then added blank lines at the end and
    emptied lines of spaces, but kept every line. 0 when the two do not end alike (a
    plugin such as mkdocs-macros rewrote the page): lines are then the Markdown's own.
    """
    theirs, ours = source.rstrip().split("\n"), markdown.rstrip().split("\n")
    if len(theirs) < len(ours) or theirs[-1].strip() != ours[-1].strip():
        return 0
    return len(theirs) - len(ours)


def _first_fence_line(page: Page, md: Markdown) -> int:
    """The 1-based line of the first ```calculator fence in the page's Markdown (for an error message)."""
    for number, line in enumerate(getattr(md, "lines", []), start=page.first_line):
        if line.strip().startswith("```calculator"):
            return number
    return page.first_line
