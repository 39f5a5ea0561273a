"""The ``sales-calculators`` MkDocs plugin: hooks only; the work is in the modules beside it."""

from __future__ import annotations

import hashlib
import os
import secrets
import traceback
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from . import assets
from .blocks import FENCE_KEYWORD, Block
from .citations import unknown_rule_ids
from .config import CalculatorsConfig
from .links import ExternalLinksExtension
from .markup import DATA
from .page_check import check_page
from .references import RulesExtension
from .render import ExampleError, render_calculator
from .source import calculators_package, reload_calculators

log = get_plugin_logger(__name__)

#: Where Material's own scripts start, at the end of <body>: its JSON config, then bundle.js.
THEME_CONFIG = '<script id="__config"'


class CalculatorsPlugin(BasePlugin[CalculatorsConfig]):
    """Renders ```calculator``` blocks and ``{{ rule:... }}`` references; ships the runtime."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        # Per-build state: `mkdocs serve` reuses the instance, so on_config starts afresh.
        self.assets: dict[str, assets.Asset] = {}
        self.pyodide_base = ""
        self.pyodide_compressed: dict[str, Path] = {}  # name in the runtime's folder -> cached .zst/.gz
        self.download_bytes: int | None = None  # what a page's runtime downloads before its first answer
        self.abi: str | None = None  # Pyodide's ABI, from its lock file (the worker then needs none)
        self.pages: dict[str, tuple[str, list[Block]]] = {}
        self.values: dict[str, str] = {}
        self.tables: dict = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self._reset()
        if not self.config.enabled:
            return config
        package = reload_calculators()
        self.package_dir = Path(package.__file__).parent
        _check_rule_ids(self.package_dir, package.rules.SOURCES)
        self.assets = assets.runtime_assets(self.package_dir)
        if self.config.pyodide_url:
            self.pyodide_base = self.config.pyodide_url.rstrip("/") + "/"
            self.pyodide_dir = None
        else:
            self.pyodide_dir = Path(config.config_file_path or ".").parent / self.config.pyodide_dir
            if not (self.pyodide_dir / "package.json").is_file():
                raise PluginError(
                    f"sales-calculators: the Pyodide runtime is not installed at {self.pyodide_dir}. "
                    "Run 'npm ci' (or 'make setup'), or set the plugin's pyodide_url option to a CDN URL."
                )
            self.abi = assets.pyodide_abi(self.pyodide_dir)
            self.stdlib = self.pyodide_dir / "python_stdlib.zip"
            if self.config.precompile_stdlib:
                try:
                    self.stdlib = assets.precompiled_stdlib(self.pyodide_dir)
                except assets.StdlibError as exc:
                    log.warning(
                        f"could not precompile Pyodide's standard library ({exc}); shipping the stock one, "
                        "so Python starts more slowly in the browser."
                    )
            # Versioned and content-hashed, so the runtime can be cached for good.
            digest = hashlib.sha256(self.stdlib.read_bytes()).hexdigest()
            self.pyodide_base = f"assets/pyodide/{assets.pyodide_version(self.pyodide_dir)}-{digest[:10]}/"
            if self.config.memory_snapshot:
                try:
                    package_zip = self.assets["package"].content
                    snapshot = assets.memory_snapshot(self.pyodide_dir, self.stdlib, digest, package_zip)
                except assets.SnapshotError as exc:
                    log.warning(
                        f"could not make the memory snapshot of Python ({exc}); the browser starts "
                        "Python from scratch, so the first answer comes more slowly."
                    )
                else:
                    # Named by its cache key (which covers everything it is made from): no need
                    # to read and hash the whole snapshot on every build.
                    key = snapshot.stem.rsplit("-", 1)[-1][:12]
                    uri = f"{assets.SITE_DIR}/snapshot-{key}.bin"
                    self.assets["snapshot"] = assets.Asset(uri, source=snapshot)
            self._compress_runtime()
        references = package.references
        self.values, self.tables = references.values(), references.tables()
        config.markdown_extensions.append(RulesExtension(self.values, self.tables))
        config.markdown_extensions.append(ExternalLinksExtension(self.config.external_base))
        return config

    def _compress_runtime(self) -> None:
        """The big files also go compressed (.zst beside each, expanded by the worker as they
        stream in), with the decoder; and what the start downloads is known, so a page can
        show how much of it has arrived."""
        decoder = assets.zstd_decoder(self.pyodide_dir)
        self.pyodide_compressed = assets.compressed_pyodide_files(self.pyodide_dir, zstd=decoder is not None)
        if decoder is None:
            log.warning(
                f"the zstd decoder is not installed ({self.pyodide_dir.parent / assets.ZSTD_DECODER}; run 'npm ci'): "
                "the runtime's big files go uncompressed, so a first visit downloads about three times as much."
            )
            return
        self.assets["zstd"] = decoder
        fetched = [self.pyodide_compressed["pyodide.asm.wasm.zst"]]
        if "snapshot" in self.assets:
            snapshot = self.assets["snapshot"]
            packed = assets.compressed(snapshot.source, snapshot.source.with_name(f"{snapshot.source.name}.zst"))
            self.assets["snapshot.zst"] = assets.Asset(f"{snapshot.uri}.zst", source=packed)
            fetched.append(packed)
        self.download_bytes = sum(path.stat().st_size for path in fetched) + len(self.assets["package"].content)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        for asset in self.assets.values():
            if asset.source is not None:
                files.append(File.generated(config, asset.uri, abs_src_path=str(asset.source)))
            else:
                files.append(File.generated(config, asset.uri, content=asset.content))
        if self.pyodide_dir is not None:
            for name in assets.PYODIDE_FILES:
                source = self.stdlib if name == "python_stdlib.zip" else self.pyodide_dir / name
                files.append(File.generated(config, self.pyodide_base + name, abs_src_path=str(source)))
            for name, source in self.pyodide_compressed.items():
                files.append(File.generated(config, self.pyodide_base + name, abs_src_path=str(source)))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return markdown
        if FENCE_KEYWORD not in markdown and "{{" not in markdown:
            return markdown  # nothing for us on this page: skip the parse (most pages of a big handbook)
        first_line = _front_matter_lines(page, markdown) + 1
        blocks, problems = check_page(markdown, first_line, self.values, self.tables)
        if problems:
            where = _where(config, page)
            raise PluginError("\n".join(f"{where}:{line}: {message}" for line, message in problems))
        if not blocks:
            return markdown
        nonce = secrets.token_hex(8)
        lines = markdown.splitlines()
        for index, block in reversed(list(enumerate(blocks))):
            # Keep what precedes the fence (indentation, "> " of a quote) so the slot stays in its container.
            prefix = lines[block.start][: lines[block.start].index(block.fence)]
            lines[block.start : block.end] = [prefix + _slot(nonce, index)]
        self.pages[page.file.src_uri] = (nonce, blocks)
        return "\n".join(lines) + "\n"

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return html
        if _RENDERED_AS_CODE in html:
            # A fence MkDocs rendered but markdown-it did not see: never let it pass silently as code.
            raise PluginError(
                f"{_where(config, page)}:{_first_fence_line(page)}: a ```calculator block was rendered as code. "
                "Leave a blank line before the fence (inside an admonition or tab too) so it becomes a calculator."
            )
        if page.file.src_uri not in self.pages:
            return html
        nonce, blocks = self.pages[page.file.src_uri]
        root = _root(page)
        settings = {
            DATA["root"]: root or "./",
            DATA["directory_urls"]: "true" if config.use_directory_urls else "false",
            **self._runtime_settings(root),
        }
        section_url = calculators_package().present.section_url

        def resolve(source: str) -> str | None:
            # The URL as the live answer links it (calculators/present.py), if the page is in this site.
            if files.get_file_from_path(source.partition("#")[0]) is None:
                return None
            return section_url(source, root, config.use_directory_urls)

        where = _where(config, page)
        for index, block in enumerate(blocks):
            slot = f"<p>{_slot(nonce, index)}</p>"
            if html.count(slot) != 1:
                raise PluginError(
                    f"{where}:{block.line}: this calculator block did not render as a block of its own "
                    "(MkDocs read it as part of other markup). Put it at the top level of the page, or indent it "
                    "by exactly 4 spaces inside an admonition, a content tab or a list item, with blank lines "
                    "around it."
                )
            try:
                widget = render_calculator(block.id, block.name, block.defaults, settings, resolve)
            except ExampleError as exc:
                raise PluginError(f"{where}:{block.line}: {_example_failure(block.name, exc.__cause__)}") from None
            html = html.replace(slot, widget)
        # Material's instant navigation swaps in only the page's content, so the content
        # carries the script and style too (a module runs once per URL: no double start).
        return html + (
            f'\n<link rel="stylesheet" href="{root}{self.assets["style"].uri}">'
            f'\n<script type="module" src="{root}{self.assets["script"].uri}"></script>\n'
        )

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled or page.file.src_uri not in self.pages:
            return output
        # search_hold.js goes just before the theme's scripts (its config, then bundle.js): it
        # must be in place when the bundle creates the search worker. The stylesheet goes in
        # <head>, so the first paint has it. The runtime is started by calculators.js, after
        # the page's own start-up (see afterPageStartup() there), but its files are asked for
        # from <head> (preloads), so on a slow link the download starts with the page.
        root = _root(page)
        hold = f'<script src="{root}{self.assets["search_hold"].uri}"></script>\n'
        style = f'<link rel="stylesheet" href="{root}{self.assets["style"].uri}">\n' + self._preloads(root)
        head_end, body_end = output.find("</head>"), output.rfind("</body>")
        if head_end < 0 or body_end < head_end:
            return output  # not a page of this theme's shape: the stylesheet in the content serves
        theme = output.find(THEME_CONFIG, head_end, body_end)
        if theme < 0:  # not Material's scripts: nothing to hold
            return output[:head_end] + style + output[head_end:]
        return "".join((output[:head_end], style, output[head_end:theme], hold, output[theme:]))

    def _preloads(self, root: str) -> str:
        """``<link rel=preload>`` for every file the runtime fetches before its first answer.

        The worker starts after the page's own start-up; these let the browser download its
        files from the moment <head> is parsed. The worker's requests for the same URLs
        then join the download in flight or read it from the HTTP cache: one copy crosses
        the link (counted by the test server, tests/browser/test_slow_link.py). as=fetch
        with crossorigin is the request the worker makes (mode cors, same-origin
        credentials); a module preload would also compile Pyodide's JavaScript (the bulk of
        it in pyodide.asm.mjs) on the page's main thread, which the worker does instead.
        """
        urls = [root + self.assets["worker"].uri]
        if self.pyodide_dir is not None:  # a CDN's files are the CDN's business (and the CSP's)
            base = root + self.pyodide_base
            wasm = "pyodide.asm.wasm.zst" if "zstd" in self.assets else "pyodide.asm.wasm"
            urls += [base + "pyodide.mjs", base + "pyodide.asm.mjs", base + wasm]
        snapshot = self.assets.get("snapshot.zst") if "zstd" in self.assets else self.assets.get("snapshot")
        urls += [root + asset.uri for asset in (snapshot, self.assets.get("zstd"), self.assets["package"]) if asset]
        return "".join(f'<link rel="preload" href="{url}" as="fetch" crossorigin>\n' for url in urls)

    def _runtime_settings(self, root: str) -> dict[str, str | None]:
        """Where the runtime's files are, from a page ``root`` levels below the site root."""
        return {
            DATA["worker"]: root + self.assets["worker"].uri,
            DATA["pyodide"]: self.pyodide_base if self.pyodide_dir is None else root + self.pyodide_base,
            DATA["abi"]: self.abi,
            DATA["package"]: root + self.assets["package"].uri,
            DATA["snapshot"]: root + self.assets["snapshot"].uri if "snapshot" in self.assets else None,
            # The wasm and the snapshot have .zst siblings, and this module expands them.
            DATA["zstd"]: root + self.assets["zstd"].uri if "zstd" in self.assets else None,
            DATA["download_bytes"]: str(self.download_bytes) if self.download_bytes else None,
            DATA["timeout_ms"]: str(self.config.timeout_ms),
        }

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer | None:
        if self.config.enabled:
            # Editing a rule rebuilds: the prose, the answers and the browser's package all change.
            server.watch(str(Path(calculators_package().__file__).parent))
            server.watch(str(assets.ASSETS))
        return server


#: The class Python-Markdown gives a fenced block whose language is "calculator".
_RENDERED_AS_CODE = "language-calculator"


def _check_rule_ids(package_dir: Path, registry: dict[str, str]) -> None:
    """Refuse to build with a rule id the package spells that rules.SOURCES does not define."""
    unknown = unknown_rule_ids(package_dir, registry)
    if unknown:
        raise PluginError(
            "\n".join(
                f"{path}:{line}: rule id '{rule}' is not defined in calculators/rules.py: add it to SOURCES "
                "(with the section that explains it) or correct the id."
                for path, line, rule in unknown
            )
        )


def _example_failure(name: str, exc: BaseException | None) -> str:
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


def _root(page: Page) -> str:
    """From this page up to the site root: "" or "../" repeated."""
    return "../" * page.url.count("/")


def _where(config: MkDocsConfig, page: Page) -> str:
    """``docs/<page>.md``, as a contributor finds the file."""
    return f"{Path(config.docs_dir).name}/{page.file.src_uri}"


def _first_fence_line(page: Page) -> int:
    """The 1-based line of the first ```calculator fence in the page's file (for an error message only)."""
    for number, line in enumerate(page.file.content_string.splitlines(), start=1):
        if line.strip().startswith("```calculator"):
            return number
    return 1


def _slot(nonce: str, index: int) -> str:
    """A placeholder word Markdown leaves alone, unique to this build."""
    return f"hbcalcslot{nonce}n{index}"


def _front_matter_lines(page: Page, markdown: str) -> int:
    """How many lines MkDocs stripped (front matter) before the Markdown it handed us."""
    try:
        source = page.file.content_string
    except (OSError, ValueError):  # generated or unreadable: nothing was stripped that we know of
        return 0
    if not markdown or not source.endswith(markdown):
        body = markdown.lstrip("\n")
        if not body or not source.endswith(body):
            return 0
        return source[: len(source) - len(body)].count("\n")
    return source[: len(source) - len(markdown)].count("\n")
