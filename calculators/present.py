"""Plain-text presentation of an answer: the rows a page or a terminal shows.

The build (CPython) and the browser (Pyodide) both call :func:`display`, so the
pre-rendered answer and the live one are worded identically.
"""

from __future__ import annotations

from typing import Any

from . import CALCULATORS


def display(output: dict[str, Any]) -> list[dict[str, str]]:
    """Rows of ``{"key", "label", "text"}`` for a successful ``run()`` output; [] otherwise."""
    if not output.get("ok"):
        return []
    result = output["result"]
    module = CALCULATORS[output["calculator"]]
    return [{"key": key, "label": label, "text": text(result.get(key))} for key, label in module.OUTPUTS]


def text(value: Any) -> str:
    """One value as a rep reads it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(text(item) for item in value) if value else "none"
    return str(value)
