"""Rule references in the prose: ``[[rule:T1]]`` inline, ``[[table:trial-length]]`` as a block.

Double square brackets, not ``{{ }}``: Jinja (mkdocs-macros-plugin) owns the braces,
and renders or rejects whatever it finds between them before any Markdown extension
runs. The Markdown extension (extension.py) renders references, so code spans and
fenced code keep the syntax as written and headings (and the table of contents) show
the value. :func:`check_references` runs first, on markdown-it-py tokens, so an
unknown reference fails the build with its file and line instead of leaking into a page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown_it.token import Token

from .scan import text_lines

#: Any ``[[ ... ]]`` in prose; what is inside is checked against the rules.
ANY_REFERENCE = re.compile(r"\[\[(.*?)\]\]")
#: The syntax before this one, which Jinja reads as its own: named in the error, with the new spelling.
OLD_REFERENCE = re.compile(r"\{\{\s*(rule|table)\s*:\s*([^}]*?)\s*\}\}")
RULE = r"\[\[\s*rule:([A-Za-z0-9_.]+)\s*\]\]"
TABLE = re.compile(r"\s*\[\[\s*table:([a-z0-9-]+)\s*\]\]\s*")
#: A page none of these strings occur in has no reference to check or render.
MARKERS = ("[[", "{{")


def may_hold_reference(content: str) -> bool:
    """False when no text in this inline content can hold ``[[`` (or the old ``{{``), so it
    need not be parsed.

    Such text comes from the same characters in the source (maybe escaped), an entity
    (``&#91;``) or a percent-encoded autolink (``<https://x/%5B>``), nowhere else.
    """
    return any(mark in content for mark in ("[[", "{{", "\\[", "\\{", "&", "%"))


def check_references(
    tokens: list[tuple[Token, int]], values: dict[str, str], tables: dict[str, object]
) -> list[tuple[int, str]]:
    """Every bad reference in :func:`.scan.walk`'s tokens, as (0-based line, message).

    The tokens need the children of every inline token :func:`may_hold_reference` accepts.
    """
    problems = []
    for token, offset in tokens:
        if token.type != "inline" or token.map is None:
            continue
        for line, text in text_lines(token, offset):
            for match in OLD_REFERENCE.finditer(text):
                problems.append(
                    (
                        line,
                        f"'{match.group(0)}' is the old reference syntax, which mkdocs-macros (Jinja) reads "
                        f"as its own: write [[{match.group(1)}:{match.group(2)}]].",
                    )
                )
            for match in ANY_REFERENCE.finditer(text):
                kind, _, key = match.group(1).strip().partition(":")
                known = {"rule": values, "table": tables}.get(kind.strip())
                if known is None:
                    problems.append(
                        (
                            line,
                            f"'{match.group(0)}' is not a reference: write "
                            "[[rule:T1]] for a value or [[table:trial-length]] for a table.",
                        )
                    )
                elif key.strip() not in known:
                    kind = kind.strip()
                    problems.append((line, f"unknown {kind} reference '{key.strip()}'. Known: {', '.join(known)}."))
    return problems


class RuleValue(InlineProcessor):
    """``[[rule:T1]]`` -> ``<span class="rule-value" data-rule="T1">$60,000</span>``."""

    def __init__(self, md, known) -> None:
        super().__init__(RULE, md)
        self.known = known  # has .values: this build's (read at render time)

    def handleMatch(self, m, data):
        value = self.known.values.get(m.group(1))
        if value is None:
            return None, None, None
        element = etree.Element("span", {"class": "rule-value", "data-rule": m.group(1)})
        element.text = value
        return element, m.start(0), m.end(0)


class RuleTable(BlockProcessor):
    """A paragraph that is only ``[[table:name]]`` -> the generated table."""

    def __init__(self, parser, known) -> None:
        super().__init__(parser)
        self.known = known  # has .tables: this build's (read at render time)

    def test(self, parent, block):
        match = TABLE.fullmatch(block)
        return bool(match) and match.group(1) in self.known.tables

    def run(self, parent, blocks):
        name = TABLE.fullmatch(blocks.pop(0)).group(1)
        header, rows = self.known.tables[name]
        table = etree.SubElement(parent, "table", {"data-table": name})
        head = etree.SubElement(etree.SubElement(table, "thead"), "tr")
        for cell in header:
            etree.SubElement(head, "th").text = cell
        body = etree.SubElement(table, "tbody")
        for row in rows:
            tr = etree.SubElement(body, "tr")
            for cell in row:
                etree.SubElement(tr, "td").text = cell
