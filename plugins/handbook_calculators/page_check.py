"""Every problem a page's Markdown can have that the build catches, found by one pure function.

:func:`check_page` is what the Markdown extension (extension.py) runs before it renders
anything: unknown or malformed ``{{ ... }}`` references, calculator blocks that do
not parse or validate, ```calculator fences glued to the line above them (which
would render as code) and ids used twice on a page. It reads only its arguments
(and the ``calculators`` package, for the blocks' fields), so tests run it on
fixture files without a build (tests/fixtures/bad-blocks/). The extension turns the
problems into ``docs/<page>.md:<line>: <message>`` lines.
"""

from __future__ import annotations

from .blocks import Block, BlockError, find_blocks, find_glued_fences, parse_block
from .references import check_references, may_hold_reference
from .scan import walk

GLUED_FENCE = (
    "this ```calculator fence is glued to the line above it, so it would render as "
    "code. Leave a blank line before the fence."
)


def check_page(
    markdown: str, first_line: int, values: dict[str, str], tables: dict[str, object]
) -> tuple[list[Block], list[tuple[int, str]]]:
    """The page's calculator blocks, and its problems as (line, message), sorted.

    ``first_line`` is the 1-based line of the file on which ``markdown`` starts (front
    matter comes before it), so every line, a block's included, is the file's.
    ``values`` and ``tables`` are the rule references a page may use
    (``calculators.references.values()`` and ``tables()``). The blocks are the
    ones that parsed; with problems the page must not be rendered.
    """
    # Parsed once, shared by the checks below; only the reference check reads inline children.
    tokens = list(walk(markdown, inline=may_hold_reference))
    problems = [(line + first_line, message) for line, message in check_references(tokens, values, tables)]
    blocks: list[Block] = []
    for start, end, token in find_blocks(tokens):
        try:
            blocks.append(parse_block(token, start + first_line, start, end))
        except BlockError as exc:
            problems.append((exc.line, exc.message))
    problems += [(line + first_line, GLUED_FENCE) for line in find_glued_fences(tokens)]
    seen: dict[str, int] = {}
    for block in blocks:
        if block.id in seen:
            problems.append(
                (
                    block.line,
                    f"duplicate calculator id '{block.id}' (first used on line "
                    f"{seen[block.id]}); give each block on a page its own 'id:'.",
                )
            )
        seen.setdefault(block.id, block.line)
    return blocks, sorted(problems)
