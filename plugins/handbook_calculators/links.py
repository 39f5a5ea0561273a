"""Site-absolute links (``/handbook/growth/sales/crm``): to the page here if this site has
it, else to the same path on the public site.

The source pages link site-absolute, as the public handbook serves them. A
Python-Markdown treeprocessor (registered by extension.py) turns such a link into a
relative link to the page's file when the site has one (``crm.md``, ``crm.mdx``,
``crm/index.md``...), so the engine checks it like any link between pages, its anchor
included; otherwise into
``<external_base>/handbook/growth/sales/crm``. It runs before the engine's own link
handling (MkDocs' relpath, priority 0), so MkDocs validates the result. The anchor of
every link within the site is lowercased, as GitHub makes heading ids (``#BANT`` is
``#bant``).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from markdown.treeprocessors import Treeprocessor

#: Where a site-absolute path's page may be, in docs_dir.
PAGE_FILES = ("{}.md", "{}.mdx", "{}/index.md", "{}/index.mdx", "{}/README.md")

#: The page being rendered: (its path in docs_dir, or None; does a docs_dir path exist?).
Here = Callable[[], "tuple[str | None, Callable[[str], bool]]"]


class SiteLinks(Treeprocessor):
    """Site-absolute links -> the page's file here (relative), or the same path on ``base``."""

    def __init__(self, md, base: str, here: Here) -> None:
        super().__init__(md)
        self.base = base.rstrip("/")
        self.here = here

    def run(self, root):
        page = None
        for element in root.iter("a"):
            href = element.get("href", "")
            if "#" in href and "://" not in href and not href.startswith("//"):
                # GitHub makes every heading id lowercase and finds #BANT as #bant: so do we.
                path, _, anchor = href.partition("#")
                href = f"{path}#{anchor.lower()}"
                element.set("href", href)
            if not href.startswith("/") or href.startswith("//"):
                continue
            if page is None:
                page = self.here()  # only for a page with such a link
            element.set("href", local(href, *page) or self.base + href)


def local(href: str, source: str | None, exists: Callable[[str], bool]) -> str | None:
    """``href`` as a relative link from ``source`` to the page's file in docs_dir, if there is one."""
    if source is None:
        return None
    path, _, anchor = href.partition("#")
    path = path.partition("?")[0].strip("/")
    for pattern in PAGE_FILES:
        target = pattern.format(path) if path else "index.md"
        if exists(target):
            relative = posixpath.relpath(target, posixpath.dirname(source) or ".")
            return relative + (f"#{anchor.lower()}" if anchor else "")
    return None
