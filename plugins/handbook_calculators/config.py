"""The plugin's configuration schema (``plugins: - sales-calculators: ...``)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class CalculatorsConfig(base.Config):
    """Options of the ``sales-calculators`` plugin."""

    #: Turn the plugin off: blocks are then left as plain code and nothing is added.
    enabled = c.Type(bool, default=True)
    #: Where the npm ``pyodide`` package lives (relative to mkdocs.yml); it is copied
    #: into the built site under a versioned path, so the site needs no CDN.
    pyodide_dir = c.Type(str, default="node_modules/pyodide")
    #: Ship Pyodide's standard library precompiled to .pyc (built once with Node, cached),
    #: so the browser does not compile the modules Python imports at every start.
    precompile_stdlib = c.Type(bool, default=True)
    #: Ship a memory snapshot of Python with the calculators imported (made with Node,
    #: cached), so the browser restores it instead of starting Python and importing the
    #: package, which brings the first answer sooner (docs/performance.md). Needs the
    #: self-hosted runtime.
    memory_snapshot = c.Type(bool, default=True)
    #: Load Pyodide from this URL (ending in "/") instead of self-hosting it.
    pyodide_url = c.Optional(c.URL())
    #: The stall window (ms): a start that shows no progress (no bytes arriving, no step
    #: done) for this long is given up on, and the page says Python could not start. A
    #: slow link that keeps delivering is waited for, however long the download takes.
    timeout_ms = c.Type(int, default=10_000)
