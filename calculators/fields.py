"""Field declarations and the parsing of what a form, a shell or JSON hands us.

Each calculator declares its inputs as :class:`Field` objects. The same
declaration drives the HTML form (label, help, unit, limits, choices, default),
the command line's ``--help`` and the validation in :func:`parse_inputs`, so a
field is described once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any

#: A plain number, or one with thousands separators: 45000, 45,000, 45000.50.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: The words a tick box reads as yes and as no (lowercase): in a form, a block option, a
#: command line argument and a share link alike.
TRUE_WORDS = frozenset({"true", "on", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "off", "no", "n", "0", ""})
#: Longest text we try to read as a value; anything longer is a paste gone wrong.
_MAX_TEXT = 40
#: Sanity bounds for dates, so date arithmetic can never leave datetime's range.
_FIRST_YEAR, _LAST_YEAR = 1900, 2199

KINDS = ("money", "integer", "number", "boolean", "date", "choice")


class FieldError(ValueError):
    """A value a rep typed cannot be used; the message says what to type instead."""


@dataclasses.dataclass(frozen=True)
class Field:
    """One input of a calculator.

    Attributes:
        name: the key in ``inputs`` and the form's ``name`` attribute.
        kind: one of :data:`KINDS`.
        label: what the form shows next to the control.
        help: one sentence saying what to enter and why it matters.
        unit: shown after the control, e.g. "USD / year".
        default: used when the value is missing; ``None`` means no default.
        required: a missing value is an error instead of the default.
        minimum: smallest allowed number (inclusive).
        maximum: largest allowed number (inclusive).
        choices: allowed values of a ``choice`` field.
        group: fields sharing a group are shown together, folded away until needed.
    """

    name: str
    kind: str
    label: str
    help: str
    unit: str = ""
    default: Any = None
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[Any, ...] = ()
    group: str = ""

    def describe(self) -> dict[str, Any]:
        """The declaration as JSON, for the command line and the page renderer."""
        data = dataclasses.asdict(self)
        data["choices"] = list(self.choices)
        if isinstance(self.default, dt.date):
            data["default"] = self.default.isoformat()
        return data

    def parse(self, raw: Any) -> Any:
        """Turn a JSON value or a typed string into the value the rules use.

        Raises:
            FieldError: with a message a rep understands.
        """
        if _is_blank(raw):
            if self.required:
                raise FieldError(f"{self.label} is required. {self.help}")
            return False if self.kind == "boolean" and self.default is None else self.default
        if self.kind == "boolean":
            return _boolean(raw, self.label)
        if self.kind == "date":
            return _date(raw, self.label)
        if self.kind == "choice":
            return self._choice(raw)
        return self._number(raw)

    def _number(self, raw: Any) -> float | int:
        value = _number(raw, self.label)
        if self.kind == "integer" and value != int(value):
            raise FieldError(f"{self.label} must be a whole number, not {_show(raw)}.")
        if self.minimum is not None and value < self.minimum:
            raise FieldError(f"{self.label} must be at least {_plain(self.minimum)}, not {_show(raw)}.")
        if self.maximum is not None and value > self.maximum:
            raise FieldError(f"{self.label} must be at most {_plain(self.maximum)}, not {_show(raw)}.")
        return int(value) if self.kind == "integer" else value

    def _choice(self, raw: Any) -> Any:
        wanted = _show(raw)
        for choice in self.choices:
            if _show(choice) == wanted or (isinstance(choice, int) and _same_number(raw, choice)):
                return choice
        options = ", ".join(_show(choice) for choice in self.choices)
        raise FieldError(f"{self.label} must be one of {options}, not {wanted}.")


def parse_inputs(fields: tuple[Field, ...], inputs: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Parse every declared field; return (values, errors), one error per bad field.

    Keys that are not declared fields are ignored, so a form or a link may carry more.
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in fields:
        try:
            values[field.name] = field.parse(inputs.get(field.name))
        except FieldError as exc:
            errors[field.name] = str(exc)
    return values, errors


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _show(raw: Any) -> str:
    """A short, safe rendering of what the rep gave, for an error message."""
    if not isinstance(raw, (str, int, float)):
        # Never repr a container: it may be huge or deeply nested.
        return f"a {type(raw).__name__}"
    text = " ".join((raw if isinstance(raw, str) else repr(raw)).split())
    if len(text) > _MAX_TEXT:
        text = text[:_MAX_TEXT] + "…"
    return f'"{text}"'


def _plain(number: float) -> str:
    return f"{number:,.0f}" if number == int(number) else f"{number:,}"


def _number(raw: Any, label: str) -> float:
    """Read a finite number from JSON or from text such as "45,000" or "$45,000"."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise FieldError(f"{label} must be a number, not {_show(raw)}.")
    if isinstance(raw, str):
        text = raw.strip().replace("$", "", 1).replace(" ", "")
        if len(text) > _MAX_TEXT or not _NUMBER.fullmatch(text):
            raise FieldError(f"{label} must be a number such as 45000 or 45,000, not {_show(raw)}.")
        raw = float(text.replace(",", ""))
    value = float(raw) if isinstance(raw, float) else raw
    if isinstance(value, float) and not math.isfinite(value):
        raise FieldError(f"{label} must be a finite number, not {_show(raw)}.")
    if isinstance(value, int) and abs(value) > 10**18:
        raise FieldError(f"{label} is far too large: {_show(raw)}.")
    # "+ 0" turns a negative zero into a plain zero.
    return value + 0


def _same_number(raw: Any, choice: int) -> bool:
    try:
        return _number(raw, "") == choice
    except FieldError:
        return False


def _boolean(raw: Any, label: str) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str) and raw.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return raw.strip().lower() in TRUE_WORDS
    raise FieldError(f"{label} must be yes or no (true/false), not {_show(raw)}.")


def _date(raw: Any, label: str) -> dt.date:
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        day = raw
    elif isinstance(raw, str) and _DATE.fullmatch(raw.strip()):
        try:
            day = dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise FieldError(f"{label}: {_show(raw)} is not a real date.") from None
    else:
        raise FieldError(f"{label} must be a date written YYYY-MM-DD, e.g. 2026-01-12, not {_show(raw)}.")
    if not _FIRST_YEAR <= day.year <= _LAST_YEAR:
        raise FieldError(f"{label} must fall between {_FIRST_YEAR} and {_LAST_YEAR}, not {day.isoformat()}.")
    return day
