"""Links to handbook or docs pages this site does not have go to the public site.

The source pages link site-absolute (``/handbook/growth/sales/crm``); on this
site those would be broken. A Python-Markdown treeprocessor (registered by extension.py) rewrites them to
``<external_base>/handbook/growth/sales/crm`` before MkDocs validates links.
"""

from __future__ import annotations

from markdown.treeprocessors import Treeprocessor


class ExternalLinks(Treeprocessor):
    """Site-absolute links (``/handbook/...``) -> the same path on ``base``."""

    def __init__(self, md, base: str) -> None:
        super().__init__(md)
        self.base = base.rstrip("/")

    def run(self, root):
        for element in root.iter("a"):
            href = element.get("href", "")
            if href.startswith("/") and not href.startswith("//"):
                element.set("href", self.base + href)
