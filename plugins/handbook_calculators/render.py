"""HTML for one calculator: a form generated from its fields, and its answer.

Everything that reaches HTML is escaped; settings travel in ``data-*``
attributes, never in inline scripts, so a strict Content-Security-Policy holds.
The answer shown here is computed at build time by CPython through the same
``calculators.run`` the browser calls, so with JavaScript off the reader still
sees a correct answer for the block's values. Class names and data attributes come
from markup.py, which the page script reads too (assets/markup.js).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape
from typing import Any

from .markup import ACTIONS, CLASS, DATA, STATES
from .source import calculators_package

#: Turns a rule source ("sales/inbound.md#closed-won") into a link from this page, or None.
LinkResolver = Callable[[str], "str | None"]


class ExampleError(Exception):
    """A calculator raised on a block's example values: a bug in the calculator, not the page."""


def attrs(**values: Any) -> str:
    """``key="value"`` pairs, escaped; ``aria_x`` becomes ``aria-x`` (pass other names with
    ``**{name: value}``); None and False are left out."""
    parts = []
    for key, value in values.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        parts.append(name if value is True else f'{name}="{escape(str(value), quote=True)}"')
    return " ".join(parts)


def render_calculator(
    block_id: str, name: str, defaults: dict[str, Any], settings: dict[str, str], resolve: LinkResolver
) -> str:
    """The whole widget for one block; ``settings`` are the root's data attributes (DATA names).

    Raises:
        ExampleError: the calculator raised on the block's values (the build names the block).
    """
    calculators = calculators_package()
    module = calculators.CALCULATORS[name]
    try:
        output = calculators.run(name, defaults, strict=True)
    except Exception as exc:
        raise ExampleError(exc) from exc
    root = attrs(
        class_=CLASS["root"],
        id=block_id,
        **{
            DATA["calculator"]: name,
            DATA["state"]: STATES["static"],
            DATA["result"]: json.dumps(output, separators=(",", ":")),
        },
        **settings,
    )
    fields = _fields(block_id, module.FIELDS, defaults, output)
    title = escape(module.TITLE, quote=True)
    return (
        f"<div {root}>\n"
        f'<p class="{CLASS["title"]}">{title}</p>\n'
        f'<form class="{CLASS["form"]}" novalidate aria-label="{title}">\n{fields}\n</form>\n'
        f'<div class="{CLASS["output"]}">\n{_answer(output, resolve)}\n</div>\n'
        f"{_actions(module)}\n"
        f'<p class="{CLASS["status"]}" role="status"></p>\n'
        # What a screen reader hears of a new answer: its changed rows, once typing pauses
        # (calculators.js, announce()). The answer itself is not a live region: it changes
        # on every keystroke.
        f'<p class="{CLASS["announce"]}" role="status" aria-atomic="true"></p>\n'
        "</div>"
    )


def _actions(module: Any) -> str:
    """What a rep does next with an answer. Hidden until the live runtime answers:
    with JavaScript off, or before Python is up, the buttons could not work."""
    actions = [(ACTIONS["copy_link"], "Copy link"), (ACTIONS["copy_summary"], "Copy summary")]
    if getattr(module, "EVENTS", ()):
        actions.append((ACTIONS["calendar"], "Add to calendar (.ics)"))
    buttons = "".join(
        f'<button type="button" class="{CLASS["action"]}" {DATA["action"]}="{action}">{escape(label)}</button>'
        for action, label in actions
    )
    note = f'<span class="{CLASS["note"]}" role="status"></span>'
    return f'<div class="{CLASS["actions"]}" hidden>{buttons}{note}</div>'


def _fields(block_id: str, fields: tuple[Any, ...], defaults: dict[str, Any], output: dict[str, Any]) -> str:
    """The controls in declaration order; a group's fields fold into one <details>.

    A group opens when the block sets one of its fields or one of them is invalid,
    so the reader never has to hunt for what the page's example relies on.
    """
    parts: list[str] = []
    groups: dict[str, list[str]] = {}
    for field in fields:
        html = _field(block_id, field, defaults.get(field.name), output)
        if not field.group:
            parts.append(html)
            continue
        if field.group not in groups:
            groups[field.group] = []
            parts.append(field.group)  # placeholder, replaced below in place
        groups[field.group].append(html)
    for group, members in groups.items():
        names = [f.name for f in fields if f.group == group]
        is_open = any(name in defaults or name in output.get("errors", {}) for name in names)
        parts[parts.index(group)] = (
            f'<details class="{CLASS["group"]}"{" open" if is_open else ""}>\n'
            f"<summary>{escape(group)}</summary>\n"
            f'<div class="{CLASS["group_fields"]}">\n{chr(10).join(members)}\n</div>\n</details>'
        )
    return "\n".join(parts)


def _field(block_id: str, field: Any, value: Any, output: dict[str, Any]) -> str:
    ident = f"{block_id}-{field.name}"
    help_id, error_id = f"{ident}-help", f"{ident}-error"
    error = output.get("errors", {}).get(field.name)
    shown = field.default if value is None else value
    common = dict(
        id=ident, name=field.name, aria_describedby=f"{help_id} {error_id}", aria_invalid="true" if error else None
    )
    if field.kind == "boolean":
        control = f"<input {attrs(type='checkbox', value='true', checked=field.parse(value), **common)}>"
        label = f'<label for="{ident}">{escape(field.label)}</label>'
        head = f'<div class="{CLASS["control"]} {CLASS["check"]}">{control}\n{label}</div>'
    else:
        if field.kind == "choice":
            options = "".join(
                f"<option {attrs(value=choice, selected=str(choice) == str(shown))}>{escape(str(choice))}</option>"
                for choice in field.choices
            )
            control = f"<select {attrs(**common)}>{options}</select>"
        elif field.kind == "date":
            control = f"<input {attrs(type='date', value=_text(shown), required=field.required, **common)}>"
        else:
            text = attrs(
                type="text",
                inputmode="decimal",
                autocomplete="off",
                value=_text(shown),
                required=field.required,
                **common,
            )
            control = f"<input {text}>"
        unit = f'<span class="{CLASS["unit"]}">{escape(field.unit)}</span>' if field.unit else ""
        label = f'<label for="{ident}">{escape(field.label)}</label>'
        head = f'{label}\n<div class="{CLASS["control"]}">{control}{unit}</div>'
    return (
        f'<div class="{CLASS["field"]}" {DATA["field"]}="{escape(field.name, quote=True)}">\n{head}\n'
        f'<p class="{CLASS["help"]}" id="{help_id}">{escape(field.help)}</p>\n'
        f'<p class="{CLASS["error"]}" id="{error_id}" aria-live="polite"{"" if error else " hidden"}>'
        f"{escape(error or '')}</p>\n</div>"
    )


def _answer(output: dict[str, Any], resolve: LinkResolver) -> str:
    if not output["ok"]:
        return (
            f'<dl class="{CLASS["answer"]}"></dl>\n<ul class="{CLASS["reasons"]}"></ul>\n'
            f'<p class="{CLASS["hint"]}">Fill in the fields above to see the answer.</p>'
        )
    rows = "\n".join(
        f'<div class="{CLASS["row"]}" {DATA["output"]}="{escape(row["key"], quote=True)}">'
        f"<dt>{escape(row['label'])}</dt><dd>{escape(row['text'])}</dd></div>"
        for row in calculators_package().present.display(output)
    )
    reasons = "\n".join(_reason(reason, resolve) for reason in output["reasons"])
    return f'<dl class="{CLASS["answer"]}">\n{rows}\n</dl>\n<ul class="{CLASS["reasons"]}">\n{reasons}\n</ul>'


def _reason(reason: dict[str, str], resolve: LinkResolver) -> str:
    href = resolve(reason["source"])
    rule = escape(reason["rule"])
    tag = f'<a href="{escape(href, quote=True)}">{rule}</a>' if href else f'<span class="{CLASS["rule"]}">{rule}</span>'
    return f"<li>{tag} <span>{escape(reason['text'])}</span></li>"


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
