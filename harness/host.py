"""A static host's cache headers, as the benchmark's server and the browser tests' server send them.

Like a typical static host: anything under ``/assets/`` (content-hashed or versioned
paths: Material's bundles, the plugin's files, the Pyodide directory) is immutable;
pages revalidate.
"""

from __future__ import annotations

IMMUTABLE = "public, max-age=31536000, immutable"


def cache_control(path: str) -> str:
    """The ``Cache-Control`` value for a request's path."""
    return IMMUTABLE if "/assets/" in path else "no-cache"
