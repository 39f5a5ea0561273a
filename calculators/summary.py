"""A plain-text summary of an answer, ready to paste into a CRM note or a chat message."""

from __future__ import annotations

from typing import Any

from . import CALCULATORS
from .present import display


def section_url(source: str, site_root: str, directory_urls: bool = True) -> str:
    """``sales/inbound.md#closed-won`` as a URL under ``site_root`` (as MkDocs builds it)."""
    page, _, anchor = source.partition("#")
    stem = page.removesuffix(".md")
    if directory_urls:
        path = "" if stem == "index" else stem.removesuffix("/index") + "/"
    else:
        path = stem + ".html"
    return f"{site_root}{path}" + (f"#{anchor}" if anchor else "")


def summary(output: dict[str, Any], site_root: str = "", directory_urls: bool = True) -> str:
    """Title, the answer's rows, then each reason with its rule id and a link to its section."""
    module = CALCULATORS.get(output.get("calculator"))
    if module is None or not output.get("ok"):
        return ""
    lines = [f"{module.TITLE}:"]
    lines += [f"- {row['label']}: {row['text']}" for row in display(output)]
    lines.append("Why:")
    for reason in output["reasons"]:
        link = f" ({section_url(reason['source'], site_root, directory_urls)})" if site_root else ""
        lines.append(f"- {reason['rule']}: {reason['text']}{link}")
    return "\n".join(lines)
