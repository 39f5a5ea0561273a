"""A plain-text summary of an answer, ready to paste into a CRM note or a chat message."""

from __future__ import annotations

from typing import Any

from . import CALCULATORS
from .present import display, section_url


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
