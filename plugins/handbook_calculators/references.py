"""Rule references in the prose: ``{{ rule:T1 }}`` inline, ``{{ table:trial-length }}`` as a block.

A Python-Markdown extension renders them, so code spans and fenced code keep the
syntax as written and headings (and the table of contents) show the value.
:func:`check_references` runs first, on markdown-it-py tokens, so an unknown
reference fails the build with its file and line instead of leaking into a page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown_it.token import Token

from .scan import text_lines

#: Any ``{{ ... }}`` in prose; what is inside is checked against the rules.
ANY_REFERENCE = re.compile(r"\{\{(.*?)\}\}")
RULE = r"\{\{\s*rule:([A-Za-z0-9_.]+)\s*\}\}"
TABLE = re.compile(r"\s*\{\{\s*table:([a-z0-9-]+)\s*\}\}\s*")


def may_hold_reference(content: str) -> bool:
    """False when no text in this inline content can hold ``{{``, so it need not be parsed.

    A ``{`` in the text comes from a ``{`` in the source (maybe escaped), an entity
    (``&#123;``) or a percent-encoded autolink (``<https://x/%7B>``), nowhere else.
    """
    return "{" in content or "&" in content or "%" in content


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
            for match in ANY_REFERENCE.finditer(text):
                kind, _, key = match.group(1).strip().partition(":")
                known = {"rule": values, "table": tables}.get(kind)
                if known is None:
                    problems.append(
                        (
                            line,
                            f"'{match.group(0)}' is not a reference: write "
                            "{{ rule:T1 }} for a value or {{ table:trial-length }} for a table.",
                        )
                    )
                elif key.strip() not in known:
                    problems.append((line, f"unknown {kind} reference '{key.strip()}'. Known: {', '.join(known)}."))
    return problems


class _RuleValue(InlineProcessor):
    def __init__(self, pattern: str, md, values: dict[str, str]) -> None:
        super().__init__(pattern, md)
        self.values = values

    def handleMatch(self, m, data):
        value = self.values.get(m.group(1))
        if value is None:
            return None, None, None
        element = etree.Element("span", {"class": "rule-value", "data-rule": m.group(1)})
        element.text = value
        return element, m.start(0), m.end(0)


class _RuleTable(BlockProcessor):
    def __init__(self, parser, tables: dict) -> None:
        super().__init__(parser)
        self.tables = tables

    def test(self, parent, block):
        match = TABLE.fullmatch(block)
        return bool(match) and match.group(1) in self.tables

    def run(self, parent, blocks):
        name = TABLE.fullmatch(blocks.pop(0)).group(1)
        header, rows = self.tables[name]
        table = etree.SubElement(parent, "table", {"data-table": name})
        head = etree.SubElement(etree.SubElement(table, "thead"), "tr")
        for cell in header:
            etree.SubElement(head, "th").text = cell
        body = etree.SubElement(table, "tbody")
        for row in rows:
            tr = etree.SubElement(body, "tr")
            for cell in row:
                etree.SubElement(tr, "td").text = cell


class RulesExtension(Extension):
    """Registers the inline and the table processors, with this build's values and tables."""

    def __init__(self, values: dict[str, str], tables: dict) -> None:
        super().__init__()
        self.values, self.tables = values, tables

    def extendMarkdown(self, md):
        # After code spans (190), so `{{ rule:T1 }}` in backticks stays as written.
        md.inlinePatterns.register(_RuleValue(RULE, md, self.values), "handbook-rule-value", 175)
        # After indented code (80), before paragraphs (10).
        md.parser.blockprocessors.register(_RuleTable(md.parser, self.tables), "handbook-rule-table", 75)
