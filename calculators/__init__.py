"""The handbook's calculators: one contract for pages, browser, command line and tests.

>>> run("trial-length", {"annual_value": "45,000"})["result"]["route"]
'sales-led'

``run`` never raises: whatever ``inputs`` holds, it returns a JSON-serialisable
dict, either ``{"ok": True, "calculator", "result", "reasons"}`` or
``{"ok": False, "calculator", "errors": {field: message}}``. A bug in a calculator
becomes an error answer too, unless ``strict=True`` (the site's build), when it raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

from . import (
    checkin_cadence,
    follow_ups,
    large_deal,
    lead_qualification,
    outbound_circle,
    product_led,
    rfp_triage,
    trial_length,
)
from .fields import parse_inputs

__all__ = ["CALCULATORS", "SHELL_ONLY", "describe", "names", "run"]

#: Modules for a shell only (the command line, batch runs, the impact report of a rules
#: change): the build leaves them out of the package the browser downloads.
SHELL_ONLY = frozenset({"__main__", "batch", "impact"})

#: Every calculator module, by name. Each has NAME, TITLE, SUMMARY, FIELDS, OUTPUTS, compute().
CALCULATORS: dict[str, ModuleType] = {
    module.NAME: module
    for module in (
        lead_qualification,
        trial_length,
        checkin_cadence,
        large_deal,
        follow_ups,
        rfp_triage,
        outbound_circle,
        product_led,
    )
}


def names() -> list[str]:
    """The calculators' names, in the handbook's order."""
    return list(CALCULATORS)


def describe(name: str) -> dict[str, Any]:
    """A calculator's declaration as JSON: title, summary, fields and output labels."""
    module = CALCULATORS[name]
    return {
        "name": module.NAME,
        "title": module.TITLE,
        "summary": module.SUMMARY,
        "fields": [field.describe() for field in module.FIELDS],
        "outputs": [{"key": key, "label": label} for key, label in module.OUTPUTS],
    }


def run(name: Any, inputs: Any = None, *, strict: bool = False) -> dict[str, Any]:
    """Run calculator ``name`` on ``inputs``; never raises (see the module docstring).

    ``strict``: let an exception from the calculator itself through instead of turning it
    into an error answer, so that the build fails on a broken calculator rather than
    showing its example with no answer.
    """
    label = name if isinstance(name, str) else type(name).__name__
    try:
        return _run(name, inputs)
    except Exception as exc:  # The contract: a bug becomes an error answer, never an exception.
        if strict:
            raise
        return _failure(label, {"calculator": f"The calculator failed unexpectedly ({type(exc).__name__})."})


def _run(name: Any, inputs: Any) -> dict[str, Any]:
    module = CALCULATORS.get(name) if isinstance(name, str) else None
    if module is None:
        known = ", ".join(CALCULATORS)
        shown = name[:60] if isinstance(name, str) else type(name).__name__
        return _failure(shown, {"calculator": f'Unknown calculator "{shown}". Known calculators: {known}.'})
    if inputs is None:
        inputs = {}
    if not isinstance(inputs, Mapping):
        return _failure(name, {"inputs": "Inputs must be an object mapping field names to values."})
    values, errors = parse_inputs(module.FIELDS, inputs)
    if errors:
        return _failure(name, errors)
    result, reasons = module.compute(values)
    return {"ok": True, "calculator": name, "result": result, "reasons": reasons}


def _failure(name: str, errors: dict[str, str]) -> dict[str, Any]:
    return {"ok": False, "calculator": name, "errors": errors}
