"""Large-deal checks: is this a large deal, and which red flags does it raise (D1-D3)."""

from __future__ import annotations

from typing import Any

from . import rules
from .fields import Field
from .reasons import reason, usd

NAME = "large-deal"
TITLE = "Large-deal checks"
SUMMARY = "Whether a deal counts as large or enterprise, and which red flags it raises."

_CRITERIA_TEXT = dict(rules.LARGE_DEAL_CRITERIA)

FIELDS = (
    Field(
        "annual_value",
        "money",
        "Annual contract value",
        "What the deal is worth a year, in US dollars.",
        unit="USD / year",
        required=True,
        minimum=0,
        maximum=1e12,
    ),
    Field(
        "procurement_months",
        "number",
        "Procurement process",
        "How long their procurement process takes.",
        unit="months",
        default=0,
        minimum=0,
        maximum=120,
    ),
    Field(
        "wants_new_features",
        "boolean",
        "They want new features built",
        "The customer asks us to build features they need.",
    ),
    Field(
        "non_engineer_stakeholders",
        "boolean",
        "Several stakeholders, some not engineers",
        "More than one person decides, and some of them are not engineers.",
    ),
    *(
        Field(field, "boolean", words[0].upper() + words[1:], f"Red flag ({rule}): {words}.")
        for rule, flags in (("D2", rules.PRINCIPLE_FLAGS), ("D3", rules.COMMERCIAL_FLAGS))
        for field, _, words in flags
    ),
)

OUTPUTS = (
    ("verdict", "Verdict"),
    ("criteria_met", "Large-deal criteria met"),
    ("is_large", "Large deal"),
    ("red_flags", "Red flags"),
)


def compute(values: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Answer D1-D3 for one deal."""
    met = rules.large_deal_criteria_met(
        values["annual_value"],
        values["procurement_months"],
        values["wants_new_features"],
        values["non_engineer_stakeholders"],
    )
    large = rules.is_large_deal(len(met))
    reasons = [
        reason(
            "D1",
            f"{len(met)} of {len(rules.LARGE_DEAL_CRITERIA)} large-deal criteria met"
            + (": " + "; ".join(_CRITERIA_TEXT[key] for key in met) if met else "")
            + f". It takes {rules.LARGE_DEAL_CRITERIA_NEEDED} to make a deal large.",
        )
    ]
    flags = []
    for rule, table in (("D2", rules.PRINCIPLE_FLAGS), ("D3", rules.COMMERCIAL_FLAGS)):
        for field, short, words in table:
            if values[field]:
                flags.append(short)
                reasons.append(reason(rule, f"Red flag: {words}."))
    if large:
        verdict = f"This is a large deal ({usd(values['annual_value'])} a year)"
        verdict += (
            f" with {len(flags)} red flag{'s' if len(flags) != 1 else ''}: be ready to walk away."
            if flags
            else ": involve the team early and keep to our principles."
        )
    elif flags:
        verdict = f"Not a large deal, but it raises {len(flags)} red flag{'s' if len(flags) != 1 else ''} to resolve."
    else:
        verdict = "Not a large deal, and no red flags: run the usual process."
    result = {
        "criteria_met": len(met),
        "criteria": met,
        "is_large": large,
        "red_flags": flags,
        "verdict": verdict,
    }
    return result, reasons
