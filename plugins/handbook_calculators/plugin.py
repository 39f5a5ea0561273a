"""The ``sales-calculators`` MkDocs plugin (MkDocs 1.6, ProperDocs): a thin adapter.

The pages' Markdown is the extension's work (extension.py), which every engine runs. This
plugin adds what only MkDocs offers: it makes the runtime with the plugin's options
(runtime.py) and ships its files as files of the site, puts the runtime's preloads in the
<head> of pages with calculators, keeps the runtime's files from being excluded or
renamed by other settings without a word, and rebuilds on an edit to the rules.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from . import assets, runtime
from .config import CalculatorsConfig
from .extension import SLOT_PREFIX
from .source import calculators_package

log = get_plugin_logger(__name__)

#: The Markdown extension, as mkdocs.yml lists it.
EXTENSION = "handbook_calculators.extension"
#: Where Material's own scripts start, at the end of <body>: its JSON config, then bundle.js.
THEME_CONFIG = '<script id="__config"'


class CalculatorsPlugin(BasePlugin[CalculatorsConfig]):
    """Ships the calculators' runtime; the extension renders the blocks and references."""

    runtime: runtime.Runtime | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        # Per build: `mkdocs serve` (and mkdocs-static-i18n, once per language) reuse the instance.
        runtime.use(None)
        self.runtime = None
        if not self.config.enabled:
            # Blocks are then left as plain code and nothing is added.
            config.markdown_extensions = [name for name in config.markdown_extensions if name != EXTENSION]
            return config
        options = runtime.Options(
            pyodide_dir=self.config.pyodide_dir,
            precompile_stdlib=self.config.precompile_stdlib,
            memory_snapshot=self.config.memory_snapshot,
            pyodide_url=self.config.pyodide_url,
            timeout_ms=self.config.timeout_ms,
        )
        try:
            self.runtime = runtime.build(options, Path(config.config_file_path or ".").parent)
        except runtime.RuntimeSetupError as exc:
            raise PluginError(f"sales-calculators: {exc}") from None
        runtime.use(self.runtime)
        if EXTENSION not in config.markdown_extensions:
            config.markdown_extensions.append(EXTENSION)  # a site that lists the plugin only still works
        self._keep_out_of_minify(config)
        return config

    def _keep_out_of_minify(self, config: MkDocsConfig) -> None:
        """mkdocs-minify-plugin renames the files it minifies (x.js -> x.min.js) and rewrites
        only extra_javascript/extra_css to match, while pages ask for the runtime's files by
        their names: a pattern of its that covers them is dropped, with a warning."""
        for name, plugin in config.plugins.items():
            if not type(plugin).__module__.startswith("mkdocs_minify_plugin"):
                continue
            for option in ("js_files", "css_files"):
                listed = plugin.config.get(option) or []
                ours = [pattern for pattern in listed if any(_covers(pattern, uri) for uri in self.runtime.files)]
                if ours:
                    plugin.config[option] = [pattern for pattern in listed if pattern not in ours]
                    log.warning(
                        f"left {', '.join(ours)} out of the '{name}' plugin's {option}: it would rename the "
                        f"calculators' files under {assets.SITE_DIR}/, which pages load by name (they are "
                        "content-hashed and already compact). List your own files there instead."
                    )

    @event_priority(-90)  # after plugins that drop files (mkdocs-exclude), before mkdocs-static-i18n (-100)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if self.runtime is None:
            return files
        for file in list(files):
            if file.src_uri.endswith(".mdx") and not file.generated_by:
                # MDX pages are pages (the dialect extension reads their MDX): not downloads.
                files.remove(file)
                files.append(MdxPage(file.src_uri, file.src_dir, file.dest_dir, file.use_directory_urls))
        for file in list(files):
            if file.src_uri.startswith(f"{assets.SITE_DIR}/"):
                files.remove(file)  # left in docs/ by a Zensical build (staging.py): this build's own follow
        for uri, source in self.runtime.files.items():
            # A real source path for every file, so other plugins can treat them like any file.
            files.append(File.generated(config, uri, abs_src_path=str(source)))
        return files

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        """The runtime's files must reach the site: say which is missing and why, never ship a broken site."""
        if self.runtime is None:
            return env
        for uri in self.runtime.files:
            file = files.get_file_from_path(uri)
            if file is None:
                raise PluginError(
                    f"sales-calculators: {uri} was removed from the site's files by a plugin that runs after "
                    "this one (mkdocs-exclude?), so the calculators could not start. Exclude less, or list "
                    "that plugin before sales-calculators."
                )
            if not file.inclusion.is_included():
                raise PluginError(
                    f"sales-calculators: exclude_docs in mkdocs.yml excludes {uri}, a file the calculators need "
                    f"to start. Narrow the pattern, or add '!{assets.SITE_DIR}/' after it."
                )
        return env

    @event_priority(50)  # before plugins that rewrite the HTML (mkdocs-minify's htmlmin)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.runtime is None:
            return output
        if SLOT_PREFIX in output:
            # A page's Markdown converted somewhere the extension's last step did not run.
            raise PluginError(
                f"sales-calculators: {config.docs_dir}/{page.file.src_uri}: an internal calculator placeholder "
                f"({SLOT_PREFIX}...) would reach the page. Please report this with the page."
            )
        if page.url not in self.runtime.calculator_pages:
            return output
        # search_hold.js goes just before the theme's scripts (its config, then bundle.js): it
        # must be in place when the bundle creates the search worker. The stylesheet goes in
        # <head>, so the first paint has it. The runtime is started by calculators.js, after
        # the page's own start-up (see afterPageStartup() there), but its files are asked for
        # from <head> (preloads), so on a slow link the download starts with the page.
        root = "../" * page.url.count("/")
        hold = f'<script src="{root}{self.runtime.assets["search_hold"].uri}"></script>\n'
        style = f'<link rel="stylesheet" href="{root}{self.runtime.assets["style"].uri}">\n'
        style += self.runtime.preloads(root)
        head_end, body_end = output.find("</head>"), output.rfind("</body>")
        if head_end < 0 or body_end < head_end:
            return output  # not a page of this theme's shape: the stylesheet in the content serves
        theme = output.find(THEME_CONFIG, head_end, body_end)
        if theme < 0:  # not Material's scripts: nothing to hold
            return output[:head_end] + style + output[head_end:]
        return "".join((output[:head_end], style, output[head_end:theme], hold, output[theme:]))

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer | None:
        if self.config.enabled:
            # Editing a rule rebuilds: the prose, the answers and the browser's package all change.
            server.watch(str(Path(calculators_package().__file__).parent))
            server.watch(str(assets.ASSETS))
        return server


class MdxPage(File):
    """An ``.mdx`` file of docs/: a page like an ``.md`` one (MkDocs knows only Markdown suffixes)."""

    def is_documentation_page(self) -> bool:
        return True


def _covers(pattern: str, uri: str) -> bool:
    """Whether a minify js_files/css_files entry (a path, or a glob it expands) names this site file."""
    return pattern == uri or ("*" in pattern and fnmatch.fnmatch(uri, pattern.lstrip("/")))
