"""Trial length: how long a sales-led trial runs and its milestones (L1-L5)."""

from __future__ import annotations

from typing import Any

from . import rules
from .fields import Field
from .reasons import reason, usd

NAME = "trial-length"
TITLE = "Trial length"
SUMMARY = "How long the sales-led trial should run for a deal of this size, and when its milestones fall."

FIELDS = (
    Field(
        "annual_value",
        "money",
        "Expected annual contract value",
        "What the customer is likely to pay a year, in US dollars.",
        unit="USD / year",
        required=True,
        minimum=0,
        maximum=1e12,
    ),
    Field(
        "start_date",
        "date",
        "Trial start date",
        "Optional: the day the trial starts, to get its end, pricing review and wrap-up dates.",
    ),
)

#: Result keys holding dates, for the calendar export (calculators.ics).
EVENTS = (
    ("start_date", "Trial starts"),
    ("pricing_review_date", "Share pricing from real usage"),
    ("wrap_up_date", "Trial wrap-up call"),
    ("end_date", "Trial ends"),
)

OUTPUTS = (
    ("route", "Route"),
    ("trial_days", "Trial length (days)"),
    ("end_date", "Trial ends"),
    ("pricing_review_date", "Share pricing from real usage"),
    ("wrap_up_date", "Wrap-up call"),
)


def compute(values: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Answer L1-L5 for one deal."""
    value = values["annual_value"]
    start = values["start_date"]
    days = rules.trial_days(value)
    result: dict[str, Any] = {
        "route": rules.ROUTE_SALES_LED if days else rules.ROUTE_SELF_SERVE,
        "trial_days": days,
        "start_date": start.isoformat() if start and days else None,
        "end_date": None,
        "pricing_review_date": None,
        "wrap_up_date": None,
    }
    if days == rules.NO_TRIAL_DAYS:
        return result, [
            reason(
                "L1",
                f"{usd(value)} a year is below the {usd(rules.SALES_ASSIST_THRESHOLD)} sales-assist "
                "threshold, so there is no sales-led trial: point them to self-serve.",
            ),
        ]
    if days == rules.LONG_TRIAL_DAYS:
        reasons = [
            reason("L3", f"{usd(value)} a year is {usd(rules.TRIAL_BAND_EDGE)} or more, so the trial runs {days} days.")
        ]
    else:
        reasons = [
            reason(
                "L2",
                f"{usd(value)} a year is at least {usd(rules.SALES_ASSIST_THRESHOLD)} and below "
                f"{usd(rules.TRIAL_BAND_EDGE)}, so the trial runs {days} days.",
            )
        ]
    if start is not None:
        milestones = rules.trial_milestones(start, days)
        result.update({key: day.isoformat() for key, day in milestones.items()})
        reasons += [
            reason(
                "L4",
                f"After {rules.PRICING_REVIEW_AFTER_DAYS} days of data, on "
                f"{result['pricing_review_date']}, work out pricing from their real usage and share it.",
            ),
            reason(
                "L5",
                f"Hold the wrap-up call {rules.WRAP_UP_BEFORE_END_DAYS} days before the trial ends, on "
                f"{result['wrap_up_date']}; the trial ends on {result['end_date']}.",
            ),
        ]
    return result, reasons
