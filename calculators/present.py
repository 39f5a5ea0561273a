"""Plain-text presentation of an answer: the rows a page or a terminal shows, and the
links from its reasons to the handbook's sections.

The build (CPython) and the browser (Pyodide) both call :func:`display` and
:func:`reasons`, so the pre-rendered answer and the live one are worded and linked
identically.
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


def section_url(source: str, site_root: str, directory_urls: bool = True) -> str:
    """A rule's source (``sales/inbound.md#closed-won``) as the URL MkDocs gives that
    section, under ``site_root`` (absolute, or relative from the page: ``../../``)."""
    page, _, anchor = source.partition("#")
    stem = page.removesuffix(".md")
    if directory_urls:
        path = "" if stem == "index" else stem.removesuffix("/index") + "/"
    else:
        path = stem + ".html"
    return f"{site_root}{path}" + (f"#{anchor}" if anchor else "")


def reasons(output: dict[str, Any], site_root: str, directory_urls: bool = True) -> list[dict[str, Any]]:
    """The reasons of a successful answer as ``{"rule", "text", "href"}``, each linked to
    the section that explains its rule; [] otherwise."""
    if not output.get("ok"):
        return []
    return [
        {
            "rule": reason["rule"],
            "text": reason["text"],
            "href": section_url(reason["source"], site_root, directory_urls),
        }
        for reason in output["reasons"]
    ]
