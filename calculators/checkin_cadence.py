"""Check-in cadence: the dates to check in with a customer after closing (C1-C6)."""

from __future__ import annotations

from typing import Any

from . import rules
from .fields import Field
from .reasons import reason, usd

NAME = "checkin-cadence"
TITLE = "Check-in cadence"
SUMMARY = "When to check in with a customer after the deal closes, and when the onboarding plan is due."

FIELDS = (
    Field(
        "annual_value",
        "money",
        "Annual contract value",
        "What the customer signed for a year, in US dollars.",
        unit="USD / year",
        required=True,
        minimum=0,
        maximum=1e12,
    ),
    Field(
        "close_date",
        "date",
        "Close date",
        "The day the contract was signed by everyone.",
        required=True,
    ),
    Field(
        "horizon_months",
        "integer",
        "Plan ahead",
        "How many months of check-ins to list.",
        unit="months",
        default=rules.DEFAULT_HORIZON_MONTHS,
        minimum=rules.MIN_HORIZON_MONTHS,
        maximum=rules.MAX_HORIZON_MONTHS,
    ),
    Field(
        "interval_weeks",
        "choice",
        "High-touch interval",
        "For high-touch customers: a check-in every one or every two weeks in the first months.",
        unit="weeks",
        default=rules.DEFAULT_INTERVAL_WEEKS,
        choices=rules.HIGH_TOUCH_INTERVAL_WEEKS,
    ),
)

#: Result keys holding dates, for the calendar export (calculators.ics).
EVENTS = (
    ("onboarding_plan_due", "Send the onboarding plan"),
    ("checkins", "Customer check-in"),
)

OUTPUTS = (
    ("tier", "Tier"),
    ("contract_type", "Contract type"),
    ("onboarding_plan_due", "Onboarding plan due"),
    ("checkins", "Check-ins"),
)


def compute(values: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Answer C1-C6 for one closed deal."""
    value = values["annual_value"]
    close = values["close_date"]
    horizon = values["horizon_months"]
    interval = values["interval_weeks"]
    tier = rules.checkin_tier(value)
    dates = rules.checkin_dates(close, value, horizon, interval)
    due = rules.onboarding_plan_due(close)
    result = {
        "tier": tier,
        "contract_type": rules.MONTHLY_CONTRACT_TYPE if tier == rules.TIER_MONTHLY else None,
        "checkins": [day.isoformat() for day in dates],
        "onboarding_plan_due": due.isoformat(),
        "horizon_end": rules.add_months(close, horizon).isoformat(),
    }
    if tier == rules.TIER_MONTHLY:
        reasons = [
            reason(
                "C3",
                f"{usd(value)} a year is below {usd(rules.SALES_ASSIST_THRESHOLD)}: mark it "
                f'closed-won with the contract type "{rules.MONTHLY_CONTRACT_TYPE}"; '
                "there is no scheduled check-in cadence.",
            )
        ]
    elif tier == rules.TIER_HIGH_TOUCH:
        reasons = [
            reason(
                "C1",
                f"{usd(value)} a year is {usd(rules.TRIAL_BAND_EDGE)} or more: check in every "
                f"{'week' if interval == 1 else f'{interval} weeks'} for the first {rules.HIGH_TOUCH_MONTHS} "
                "months, then monthly.",
            ),
        ]
    else:
        reasons = [
            reason(
                "C2",
                f"{usd(value)} a year is below {usd(rules.TRIAL_BAND_EDGE)}: check in monthly for the "
                f"first {rules.STANDARD_MONTHLY_MONTHS} months, then every "
                f"{rules.STANDARD_THEN_EVERY_MONTHS} months.",
            ),
        ]
    if dates:
        reasons.append(
            reason("C6", f"{len(dates)} check-ins up to {result['horizon_end']} ({horizon} months after closing).")
        )
    reasons.append(
        reason(
            "C4",
            f"Send the onboarding plan by {result['onboarding_plan_due']}: billing and credits, "
            "regular check-ins and training.",
        )
    )
    return result, reasons
