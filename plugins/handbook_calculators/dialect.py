"""Pages written as on GitHub, with MDX: read as their authors meant, by every engine.

A Python-Markdown extension (``markdown_extensions: - handbook_calculators.dialect``). Its
preprocessor rewrites what Python-Markdown would read differently from a CommonMark + GFM
reading (markdown-it-py, the reference) into what Python-Markdown reads the same way,
line for line, so every file:line still points at the contributor's line:

- MDX ``import`` / ``export`` statements at the top level, and ``{/* comments */}``, are dropped;
- JSX components (``<CalloutBox>``, ``<PrivateLink>``, ``<TeamMember />``, ...) are
  rendered through a component map (:data:`DEFAULT_COMPONENTS`, and ``components:`` in
  mkdocs.yml): an admonition, a link, plain text or nothing. An unknown component
  renders its children and is reported with its file and line (a warning, so
  ``--strict`` fails);
- an HTML block that GitHub ends at a blank line, with Markdown after it, gets
  ``markdown="1"`` so md_in_html renders that Markdown (a table cell whose tag is alone
  on its line, ``markdown="block"``: lists and paragraphs inside it).

Task lists, strikethrough, mermaid and backslash escapes are well-kept extensions'
work (pymdownx.tasklist, pymdownx.tilde, pymdownx.superfences, pymdownx.escapeall;
mkdocs.yml); lists are lists.py's (run last here: it may add blank lines).
"""

from __future__ import annotations

import dataclasses
import html
import logging
import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown_it import MarkdownIt

from .extension import page_for
from .lists import normalise

log = logging.getLogger("mkdocs.plugins.handbook_calculators")

#: The source handbook's components, and what each becomes. ``as``: admonition (``kind``
#: names the attribute giving its type, mapped by ``kinds``; ``title`` the one giving its
#: title), link (``href``: the attribute with the URL; the children are the text), text
#: (``text``: a template of attributes; without one, the children), drop.
DEFAULT_COMPONENTS: dict[str, dict] = {
    "CalloutBox": {
        "as": "admonition",
        "kind": "type",
        "title": "title",
        "kinds": {"fyi": "info", "caution": "warning", "action": "tip", "danger": "danger"},
    },
    "PrivateLink": {"as": "link", "href": "url"},
    "TeamMember": {"as": "text", "text": "{name}"},
    "SmallTeam": {"as": "text", "text": "the {slug} team"},
    "Tooltip": {"as": "text"},
    "ProductScreenshot": {"as": "drop"},
    "ProductVideo": {"as": "drop"},
}
AS = ("admonition", "link", "text", "drop")

#: ``<Name attr="v" flag other={expr}>``, ``<Name ... />``: a JSX element starts with a capital.
_OPEN = re.compile(
    r"<(?P<name>[A-Z][A-Za-z0-9.]*)(?P<attrs>(?:\s+[A-Za-z_][\w:-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|\{[^{}]*\}))?)*)"
    r"\s*(?P<self>/?)>"
)
_ATTR = re.compile(r"([A-Za-z_][\w:-]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|\{([^{}]*)\}))?")
_ESM = re.compile(r"(import|export)\s")
#: Block-level HTML whose body GitHub renders as Markdown once a blank line has ended the tag's block.
_BLOCK_HTML = re.compile(
    r"^(\s{0,3}<(details|div|section|aside|figure|blockquote|center|table|thead|tbody|tr)\b)(?![^>]*\bmarkdown=)", re.I
)
#: A table cell's opening tag alone on its line: its content (after a blank line) is Markdown blocks.
_CELL = re.compile(r"^(\s{0,3}<(td|th)\b)(?![^>]*\bmarkdown=)(?=[^>]*>\s*$)", re.I)
#: An MDX comment, ``{/* ... */}``.
_MDX_COMMENT = re.compile(r"\{/\*.*?\*/\}", re.S)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
#: CommonMark's block pass only: code, headings and lists are block structure (the inline pass
#: would be most of the time, for nothing).
_COMMONMARK = MarkdownIt("commonmark").disable(["inline", "text_join"], ignoreInvalid=True)


@dataclasses.dataclass
class Component:
    name: str
    attrs: dict[str, str]
    start: int  # offset in the text of "<"
    end: int  # offset after the closing tag (or the self-closing tag)
    children: str | None  # None: self-closing
    line: int  # 0-based line of "<"


class DialectExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {"components": [{}, "Component name -> how it renders (merged over the defaults)."]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        components = {**DEFAULT_COMPONENTS, **(self.getConfig("components") or {})}
        for name, spec in components.items():
            if not isinstance(spec, dict) or spec.get("as") not in AS:
                raise ValueError(f"handbook_calculators.dialect: component {name}: 'as' must be one of {', '.join(AS)}")
        # After whitespace is normalised (30) and calculator blocks are taken out (27), before
        # fenced code (25): the fences are still in the text, and are left alone.
        md.preprocessors.register(_Dialect(md, components), "handbook-dialect", 26)


def makeExtension(**kwargs) -> DialectExtension:
    return DialectExtension(**kwargs)


class _Dialect(Preprocessor):
    def __init__(self, md: Markdown, components: dict[str, dict]) -> None:
        super().__init__(md)
        self.components = components

    def run(self, lines: list[str]) -> list[str]:
        lines = self._title(lines)
        text = "\n".join(lines)
        if not any(mark in text for mark in ("<", "import ", "export ", "{/*")):
            return normalise(lines)
        code = _code_lines(text)
        lines = _drop_esm(lines, code)
        if "{/*" in text:
            lines = _drop_comments(lines, code)
        lines = _markdown_in_html(lines, code)
        rendered = render_components("\n".join(lines), code, self.components, self._report)
        # Last: it may add blank lines, and nothing after it reports a line.
        return normalise(rendered.split("\n"))

    def _title(self, lines: list[str]) -> list[str]:
        """``showTitle: false`` in the front matter: the theme must not add the title as the page's
        H1. Material (and Zensical's theme) add one when the content has no ``<h1``: a comment
        naming one, at the end (no line moves), tells them there is."""
        if page_for(self.md).meta.get("showTitle") is not False or _has_h1(lines):
            return lines
        return [*lines, "", "<!-- showTitle: false, so no <h1> from the theme -->"]

    def _report(self, line: int, message: str) -> None:
        page = page_for(self.md, "\n".join(getattr(self.md, "lines", [])))
        log.warning(f"{page.where}:{page.first_line + line}: {message}")


def _has_h1(lines: list[str]) -> bool:
    return any(token.type == "heading_open" and token.tag == "h1" for token in _COMMONMARK.parse("\n".join(lines)))


def _code_lines(text: str) -> set[int]:
    """0-based lines inside fenced or indented code (CommonMark's reading): never rewritten."""
    inside: set[int] = set()
    for token in _COMMONMARK.parse(text):
        if token.type in ("fence", "code_block") and token.map:
            inside.update(range(*token.map))
    return inside


def _drop_esm(lines: list[str], code: set[int]) -> list[str]:
    """MDX ``import``/``export`` statements (from one at the top level to the next blank line) -> blank lines."""
    out, dropping = list(lines), False
    for index, line in enumerate(lines):
        if index in code:
            dropping = False
            continue
        if not line.strip():
            dropping = False
        elif dropping or (_ESM.match(line) and (index == 0 or not lines[index - 1].strip())):
            dropping = True
            out[index] = ""
    return out


def _drop_comments(lines: list[str], code: set[int]) -> list[str]:
    """MDX comments outside code -> nothing (their lines stay, empty)."""
    text = "\n".join(lines)

    def blank(match: re.Match) -> str:
        if text.count("\n", 0, match.start()) in code:
            return match.group(0)
        return "\n" * match.group(0).count("\n")

    return _MDX_COMMENT.sub(blank, text).split("\n")


def _markdown_in_html(lines: list[str], code: set[int]) -> list[str]:
    """``<details>`` and the like whose body has blank lines: Markdown inside, as on GitHub."""
    out = list(lines)
    for index, line in enumerate(lines):
        if index in code:
            continue
        if _BLOCK_HTML.match(line):
            out[index] = _BLOCK_HTML.sub(r'\1 markdown="1"', line, count=1)
        elif _CELL.match(line):
            out[index] = _CELL.sub(r'\1 markdown="block"', line, count=1)
    return out


def render_components(text: str, code: set[int], components: dict[str, dict], report) -> str:
    """Every JSX element outside code rendered through ``components``; innermost first."""
    while True:
        found = _first_element(text, code)
        if found is None:
            return text
        spec = components.get(found.name)
        if spec is None:
            report(
                found.line,
                f"unknown component <{found.name}>: only its content is shown. Add it to the dialect's "
                "'components' in mkdocs.yml (CONTRIBUTING, 'Writing as you would on GitHub').",
            )
            spec = {"as": "text"}
        replacement = _render(found, spec, text)
        # Keep the line count: every line of the element stays a line.
        missing = text.count("\n", found.start, found.end) - replacement.count("\n")
        text = text[: found.start] + replacement + "\n" * max(missing, 0) + text[found.end :]


def _first_element(text: str, code: set[int]) -> Component | None:
    """The first element with no element inside it (so nested ones are rendered first)."""
    position = 0
    while True:
        match = _OPEN.search(text, position)
        if match is None:
            return None
        line = text.count("\n", 0, match.start())
        if line in code or _in_code_span(text, match.start()):
            position = match.end()
            continue
        attrs = _attributes(match.group("attrs"))
        if match.group("self"):
            return Component(match["name"], attrs, match.start(), match.end(), None, line)
        close = _closing(text, match["name"], match.end())
        if close is None:  # no closing tag: treat it as self-closing, its content stays
            return Component(match["name"], attrs, match.start(), match.end(), None, line)
        inner = _OPEN.search(text, match.end(), close[0])
        if inner is not None and text.count("\n", 0, inner.start()) not in code:
            position = match.end()  # render the inner one first
            continue
        return Component(match["name"], attrs, match.start(), close[1], text[match.end() : close[0]], line)


def _closing(text: str, name: str, start: int) -> tuple[int, int] | None:
    """(start, end) of the ``</name>`` that closes the element opened before ``start``."""
    depth = 1
    for match in re.finditer(rf"<(/?){re.escape(name)}\b[^>]*?(/?)>", text[start:]):
        if match.group(1):
            depth -= 1
        elif not match.group(2):
            depth += 1
        if depth == 0:
            return start + match.start(), start + match.end()
    return None


def _in_code_span(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    column = offset - line_start
    return any(span.start() < column < span.end() for span in _CODE_SPAN.finditer(line))


def _attributes(source: str) -> dict[str, str]:
    attrs = {}
    for name, double, single, expression in _ATTR.findall(source):
        value = double or single or expression
        attrs[name] = value.strip("\"' ") if expression else value
    return attrs


def _render(element: Component, spec: dict, text: str) -> str:
    children = (element.children or "").strip("\n")
    kind = spec["as"]
    if kind == "drop":
        return ""
    if kind == "link":
        href = element.attrs.get(spec.get("href", "href"), "")
        label = " ".join(children.split()) or href
        return f"[{label}]({href})" if href else label
    if kind == "text":
        template = spec.get("text")
        if template:
            try:
                return html.escape(template.format_map(element.attrs))
            except (KeyError, ValueError):
                return html.escape(element.attrs.get("name", "")) or children
        return children
    # An admonition: a block of its own, its children indented under it, line for line
    # (the opening tag's line becomes the admonition's, the closing tag's an empty one).
    kinds = spec.get("kinds", {})
    value = element.attrs.get(spec.get("kind", "type"), "")
    admonition = kinds.get(value, value if value.isidentifier() else "note") or "note"
    title = element.attrs.get(spec.get("title", "title"))
    head = f'!!! {admonition} "{title}"' if title else f"!!! {admonition}"
    body = (element.children or "").split("\n")
    if len(body) > 1 and not body[0].strip():
        body = body[1:]  # the rest of the opening tag's line: nothing
    width = min((len(line) - len(line.lstrip()) for line in body if line.strip()), default=0)
    indented = [("    " + line[width:] if line.strip() else "") for line in body]
    line_start = text.rfind("\n", 0, element.start) + 1
    before = "\n\n" if text[line_start : element.start].strip() else ""
    return before + "\n".join([head, *indented])
