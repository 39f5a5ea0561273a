"""Lists as GitHub reads them, rewritten so Python-Markdown reads them the same way.

CommonMark (and GitHub) let a list start right after a line of text, and nest a list
under an item by its content column (two spaces under ``- ``, three under ``1. ``).
Python-Markdown wants a blank line before a list and four spaces per level, so it runs
such a list into the paragraph, or flattens it. :func:`normalise` finds the lists with
markdown-it-py (the CommonMark reading, never a regex over Markdown) and rewrites only
what Python-Markdown would misread: a blank line before a list that interrupts a
paragraph, and the lines of an item whose content sits less than four spaces in,
re-indented to four per level. Items already written for Python-Markdown (four spaces)
are left as written, so the handbook's own pages (admonitions, tabs and calculator
blocks inside list items) are unchanged.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .scan import CONTAINER_MARKERS

#: The block pass only: lists, paragraphs and code are block structure.
_BLOCKS = MarkdownIt("commonmark").disable(["inline", "text_join"], ignoreInvalid=True)
_MARKER = re.compile(r"(\s*)([-*+]|\d{1,9}[.)])([ \t]*)")
LIST_OPEN = ("bullet_list_open", "ordered_list_open")
_QUOTE = re.compile(r"^ {0,3}> ?")
#: A line that may start a list item, maybe in a quote: only then is a page parsed here.
_ITEM_LINE = re.compile(r"^[ >]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")


def normalise(lines: list[str], in_item: bool = False) -> list[str]:
    """``lines`` with every list made plain to Python-Markdown (see the module's docstring).

    ``in_item``: ``lines`` are a list item's content, its first line the one after the marker.
    """
    if not _may_need_work(lines):
        return lines  # most pages: skip the parse
    tokens = _BLOCKS.parse("\n".join(lines))
    out: list[str] = []
    cursor = 0
    for index, token in enumerate(tokens):
        if token.level != 0 or not token.map:
            continue
        start, end = token.map
        if token.type in LIST_OPEN:
            out += lines[cursor:start]
            if out and out[-1].strip() and not (in_item and start == 1):
                # The list interrupts a paragraph, or follows another list (a new marker or
                # kind): Python-Markdown needs a blank line to see a list start there (but
                # not for a list nested right under an item's first line).
                out.append("")
            out += _list(lines[start:end], _items(tokens, index))
            cursor = end
        elif token.type == "blockquote_open":
            # A quote's lines without their "> ", read the same way, and quoted again.
            out += lines[cursor:start]
            quoted = [_QUOTE.sub("", line, count=1) for line in lines[start:end]]
            out += [f"> {line}".rstrip() for line in normalise(quoted)]
            cursor = end
        elif token.type == "code_block" and _after_container(tokens, index):
            # An admonition's or a tab's body, which Python-Markdown reads as Markdown.
            out += lines[cursor:start]
            body = [line[4:] if line.strip() else "" for line in lines[start:end]]
            out += [("    " + line) if line.strip() else "" for line in normalise(body)]
            cursor = end
    return out + lines[cursor:]


def _may_need_work(lines: list[str]) -> bool:
    """False when no list here can need a change: no list line right after a line of other
    text, and no line indented by other than a multiple of four (GitHub-style nesting)."""
    previous = ""
    for line in lines:
        if line.strip():
            indent = _indent(line)
            if indent % 4 and not line.lstrip().startswith(">"):
                return True
            after_text = previous.strip() and not _ITEM_LINE.match(previous) and _indent(previous) <= indent
            if after_text and _ITEM_LINE.match(line):
                return True
        previous = line
    return False


def _items(tokens: list[Token], list_index: int) -> list[tuple[int, int]]:
    """(start, end) lines of each item of the list opened at ``list_index``, relative to the list."""
    opened = tokens[list_index]
    base = opened.map[0]
    items = []
    for token in tokens[list_index + 1 :]:
        if token.type == opened.type.replace("_open", "_close") and token.level == opened.level:
            break
        if token.type == "list_item_open" and token.level == opened.level + 1:
            items.append((token.map[0] - base, token.map[1] - base))
    return items


def _list(lines: list[str], items: list[tuple[int, int]]) -> list[str]:
    out = list(lines)
    # From the last item up, so earlier items' lines stay where they are as blank lines are added.
    for number, (start, end) in reversed(list(enumerate(items))):
        item = _item(lines[start:end])
        if "" in item[1:] and number + 1 < len(items) and item[-1].strip():
            # Python-Markdown reads blocks between blank lines: after an item with blank lines
            # in it, the next item must not be read as a line of this one's nested content.
            item.append("")
        out[start:end] = item
    return out


def _item(lines: list[str]) -> list[str]:
    found = _MARKER.match(lines[0])
    indent, marker, gap = len(found.group(1)), found.group(2), found.group(3)
    rest = lines[0][found.end() :]
    # The content column: after the marker and its spaces (one space if the item starts with code, or is empty).
    column = indent + len(marker) + (len(gap) if 0 < len(gap) <= 4 and rest else 1)
    deep = indent + 4  # where Python-Markdown wants an item's other lines
    following = [line for line in lines[1:] if line.strip()]
    if all(_indent(line) >= deep for line in following):
        # Written for Python-Markdown: look inside, four spaces in.
        content = [rest, *(line[deep:] if line.strip() else "" for line in lines[1:])]
        width = deep
    else:
        # Indented by its content column, as on GitHub (lazy lines, less indented, stay as they are).
        content = [rest, *(_dedent(line, column) for line in lines[1:])]
        width = deep
    normalised = normalise(content, in_item=True)
    head = lines[0][: found.end()] + normalised[0]
    return [head, *((" " * width + line) if line.strip() else "" for line in normalised[1:])]


def _dedent(line: str, column: int) -> str:
    if not line.strip():
        return ""
    return line[column:] if _indent(line) >= column else line.lstrip()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _after_container(tokens: list[Token], index: int) -> bool:
    """An indented block right after a paragraph opening an admonition or a tab."""
    return (
        index >= 3
        and tokens[index - 1].type == "paragraph_close"
        and (tokens[index - 2].content.lstrip().startswith(CONTAINER_MARKERS))
    )
