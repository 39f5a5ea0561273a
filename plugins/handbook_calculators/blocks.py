"""Finding and validating calculator blocks in a page's Markdown.

Blocks are found with markdown-it-py tokens (see :mod:`.scan`), never with a
regex over Markdown. A block quoted as an example inside a longer fence is part
of that fence's content, so it stays code.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import yaml
from markdown_it.token import Token

from .scan import CONTAINER_MARKERS
from .source import calculators_package

FENCE_KEYWORD = "calculator"
#: An id becomes an HTML id and a URL parameter prefix: keep it simple.
_ID = re.compile(r"[a-z][a-z0-9-]{0,63}")


class BlockError(ValueError):
    """A problem in a block, at ``line`` (1-based, within the page's Markdown)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclasses.dataclass
class Block:
    """One calculator block: where it is and what it asks for."""

    name: str
    id: str
    defaults: dict[str, Any]
    line: int  # 1-based line of the opening fence within the Markdown
    start: int  # 0-based first line of the fence
    end: int  # 0-based line after the closing fence
    fence: str = "```"  # the fence's markup (``` or ~~~, maybe longer)


def find_blocks(tokens: list[tuple[Token, int]]) -> list[tuple[int, int, Token]]:
    """Every calculator fence Python-Markdown will render, as (first line, end line, token), 0-based.

    ``tokens`` is :func:`.scan.walk` of the page's Markdown.
    """
    return [
        (offset + token.map[0], offset + token.map[1], token)
        for token, offset in tokens
        if token.type == "fence" and token.map and token.info.split()[:1] == [FENCE_KEYWORD]
    ]


def find_glued_fences(tokens: list[tuple[Token, int]]) -> list[int]:
    """0-based lines of ```calculator fences glued to an admonition or tab line above them.

    Without a blank line between them, both parsers fold the fence into the
    container's first paragraph, where it would render as inline code.
    """
    glued = []
    for token, offset in tokens:
        if token.type == "inline" and token.map and token.content.lstrip().startswith(CONTAINER_MARKERS):
            for number, line in enumerate(token.content.splitlines()):
                if line.strip().startswith("```" + FENCE_KEYWORD):
                    glued.append(offset + token.map[0] + number)
    return glued


def parse_block(token: Token, line: int, start: int, end: int) -> Block:
    """Validate one fence against its calculator's declared fields.

    Raises:
        BlockError: naming the line and what is valid.
    """
    calculators = calculators_package()
    words = token.info.split()
    known = ", ".join(calculators.names())
    if len(words) < 2:
        raise BlockError(
            line,
            f"name the calculator after '{FENCE_KEYWORD}', e.g. '```calculator trial-length'. "
            f"Known calculators: {known}.",
        )
    name = words[1]
    if name not in calculators.CALCULATORS:
        raise BlockError(line, f"unknown calculator '{name}'. Known calculators: {known}.")
    if len(words) > 2:
        raise BlockError(
            line,
            f"unexpected text after the calculator name: '{' '.join(words[2:])}'. "
            "Put options in the block's YAML body.",
        )
    options = _load_yaml(token.content, line)
    fields = {field.name: field for field in calculators.CALCULATORS[name].FIELDS}
    block_id = options.pop("id", name)
    if not isinstance(block_id, str) or not _ID.fullmatch(block_id):
        raise BlockError(
            line + 1 + _key_line(token.content, "id"),
            f"id must be lowercase letters, digits and hyphens, starting with a letter; got {block_id!r}.",
        )
    defaults: dict[str, Any] = {}
    for key, value in options.items():
        # The key's line costs a second YAML parse, so it is only looked up for an error.
        if key not in fields:
            raise BlockError(
                line + 1 + _key_line(token.content, key),
                f"unknown option '{key}' for calculator '{name}'. Valid options: id, {', '.join(fields)}.",
            )
        try:
            fields[key].parse(value)
        except calculators.fields.FieldError as exc:
            raise BlockError(line + 1 + _key_line(token.content, key), f"bad default for '{key}': {exc}") from None
        defaults[key] = value
    return Block(name, block_id, defaults, line, start, end, token.markup)


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay text and the field validates them,
    so 2026-02-30 gets the field's own message instead of a YAML crash."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

if yaml.__with_libyaml__:

    class _FastLoader(yaml.CSafeLoader):
        """:class:`_Loader` with libyaml's scanner and parser: the same constructor and
        resolvers, several times faster per block. The two parsers disagree at the edges
        (tabs, tags, a comment glued to ``|``) and word their errors differently, so only
        :data:`_PLAIN_MAPPING` bodies, where they agree, are read with it."""

    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
else:
    _FastLoader = None

#: 'option: value' lines (or blank ones), each value plain words of letters, digits and
#: ``_.,/+-``, starting with a letter or a digit (maybe signed): what nearly every block is.
_PLAIN_MAPPING = re.compile(r"(?:(?:[a-z_][a-z0-9_]*: (?:\w|[-+.]\d)[\w.,/+-]*(?: [\w.,/+-]+)*)?(?:\n|\Z))*", re.ASCII)


def _load_yaml(text: str, line: int) -> dict[str, Any]:
    try:
        data = _parse_yaml(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = line + 1 + mark.line if mark is not None else line
        problem = getattr(exc, "problem", None) or "could not be read"
        raise BlockError(
            where, f"the block's YAML is malformed ({problem}). Write one 'option: value' per line."
        ) from None
    if not isinstance(data, dict):
        raise BlockError(
            line + 1, f"the block's body must be 'option: value' lines (YAML mapping), not a {type(data).__name__}."
        )
    bad = [key for key in data if not isinstance(key, str)]
    if bad:
        raise BlockError(line + 1, f"option names must be words, not {bad[0]!r}.")
    return data


def _parse_yaml(text: str) -> Any:
    """The YAML document in ``text``, as :class:`_Loader` reads it (and with its errors)."""
    if _FastLoader is not None and _PLAIN_MAPPING.fullmatch(text):
        return yaml.load(text, Loader=_FastLoader)
    return yaml.load(text, Loader=_Loader)


def _key_line(text: str, key: str) -> int:
    """The 0-based line of ``key:`` in the YAML body, found through YAML's own parser."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return 0
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if key_node.value == key:
                return key_node.start_mark.line
    return 0
