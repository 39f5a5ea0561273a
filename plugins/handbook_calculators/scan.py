"""Walking a page's Markdown as Python-Markdown will see it, with markdown-it-py tokens.

markdown-it-py is CommonMark: the 4-space-indented body of an admonition
(``!!! note``, ``??? tip``) or a content tab (``=== "Tab"``) is an indented code
block to it, while MkDocs (Python-Markdown) renders it as Markdown. :func:`walk`
descends into such bodies so nothing written there is missed, and leaves real
code (fenced or indented, outside those containers) alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

#: Python-Markdown containers whose indented body is Markdown, not code.
CONTAINER_MARKERS = ("!!!", "???", "===")
#: Decides from an ``inline`` token's content whether its children (the inline parse) are needed.
InlineFilter = Callable[[str], bool]


def _core_rules_after_block() -> list[str]:
    """The names of the CommonMark core rules that run after the block pass."""
    names = MarkdownIt("commonmark").core.ruler.get_active_rules()
    return names[names.index("block") + 1 :]


# One CommonMark parse, split in two passes: the block pass for every page, and the
# inline pass (most of the rest of the time) only for the inline tokens a caller reads.
_INLINE_RULES = _core_rules_after_block()
_BLOCKS = MarkdownIt("commonmark").disable(_INLINE_RULES)
_INLINES = MarkdownIt("commonmark")
_INLINES.core.ruler.enableOnly(_INLINE_RULES)


def walk(markdown: str, offset: int = 0, inline: InlineFilter | None = None) -> Iterator[tuple[Token, int]]:
    """Yield ``(token, offset)``: ``offset + token.map[0]`` is the token's 0-based line in ``markdown``.

    Every ``inline`` token has its children, or with ``inline`` given, only those whose
    content it accepts (the others have none).
    """
    tokens = _parse(markdown, inline)
    lines = markdown.splitlines()
    for index, token in enumerate(tokens):
        if token.type == "code_block" and token.map and _follows_container(tokens, index):
            body = lines[token.map[0] : token.map[1]]
            width = min(len(line) - len(line.lstrip()) for line in body if line.strip())
            yield from walk("\n".join(line[width:] for line in body), offset + token.map[0], inline)
        else:
            yield token, offset


def _parse(markdown: str, inline: InlineFilter | None) -> list[Token]:
    """The tokens of ``MarkdownIt("commonmark").parse(markdown)``, inline children as chosen."""
    env: dict = {}  # the block pass collects link reference definitions here; the inline pass reads them
    tokens = _BLOCKS.parse(markdown, env)
    chosen = [token for token in tokens if token.type == "inline" and (inline is None or inline(token.content))]
    if chosen:
        _INLINES.core.process(StateCore(markdown, _INLINES, env, chosen))
    return tokens


def _follows_container(tokens: list[Token], index: int) -> bool:
    """True when an indented block is the body of an admonition or a content tab.

    The container's first line opens the paragraph just before the block; CommonMark
    folds any body lines written without a blank line into that same paragraph.
    """
    if index < 3 or tokens[index - 1].type != "paragraph_close":
        return False
    return tokens[index - 2].content.lstrip().startswith(CONTAINER_MARKERS)


def text_lines(token: Token, offset: int) -> Iterator[tuple[int, str]]:
    """For an ``inline`` token: (0-based line, text) of every piece that is not code or HTML."""
    line = offset + token.map[0]
    for child in token.children or ():
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "text":
            yield line, child.content
