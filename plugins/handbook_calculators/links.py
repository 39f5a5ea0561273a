"""Links to handbook or docs pages this site does not have go to the public site.

The source pages link site-absolute (``/handbook/growth/sales/crm``); on this
site those would be broken. A Python-Markdown treeprocessor rewrites them to
``<external_base>/handbook/growth/sales/crm`` before MkDocs validates links.
"""

from __future__ import annotations

from markdown import Extension
from markdown.treeprocessors import Treeprocessor


class _ExternalLinks(Treeprocessor):
    def __init__(self, md, base: str) -> None:
        super().__init__(md)
        self.base = base.rstrip("/")

    def run(self, root):
        for element in root.iter("a"):
            href = element.get("href", "")
            if href.startswith("/") and not href.startswith("//"):
                element.set("href", self.base + href)


class ExternalLinksExtension(Extension):
    """Registers the rewrite ahead of MkDocs' own link handling (priority 0)."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def extendMarkdown(self, md):
        md.treeprocessors.register(_ExternalLinks(md, self.base), "handbook-external-links", 5)
