"""Closed-lost follow-ups: when, or on what event, to get back in touch after a lost deal (F1-F2)."""

from __future__ import annotations

from typing import Any

from . import rules
from .fields import Field
from .reasons import reason

NAME = "follow-ups"
TITLE = "Closed-lost follow-ups"
SUMMARY = "When to get back in touch with a customer after a lost deal, given why we lost it."

FIELDS = (
    Field(
        "loss_reason",
        "choice",
        "Why we lost",
        "The reason recorded on the Salesforce opportunity.",
        required=True,
        choices=rules.FOLLOW_UP_LOSS_REASONS,
    ),
    Field(
        "lost_date",
        "date",
        "Date lost",
        "The day the opportunity was marked closed lost.",
        required=True,
    ),
    Field(
        "horizon_months",
        "integer",
        "Plan ahead",
        "How many months of repeating check-ins to list.",
        unit="months",
        default=rules.DEFAULT_FOLLOW_UP_HORIZON_MONTHS,
        minimum=rules.MIN_FOLLOW_UP_HORIZON_MONTHS,
        maximum=rules.MAX_FOLLOW_UP_HORIZON_MONTHS,
    ),
)

#: Result keys holding dates, for the calendar export (calculators.ics).
EVENTS = (("follow_ups", "Check in with the lost customer"),)

OUTPUTS = (
    ("follow_ups", "Check in again on"),
    ("trigger", "Get back in touch when"),
    ("next_step", "Next step"),
)

#: F2: the follow-ups that wait for an event rather than a date.
_TRIGGER = {
    rules.LOSS_FEATURE_GAP: "When the missing feature is built.",
    rules.LOSS_SECURITY_PRIVACY: "When we obtain the certification they need (or similar).",
}
_NO_FOLLOW_UP = "No follow-up is scheduled for this reason: record detailed comments on the opportunity."


def compute(values: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Answer F1-F2 for one lost deal."""
    loss = values["loss_reason"]
    lost = values["lost_date"]
    horizon = values["horizon_months"]
    dates = [day.isoformat() for day in rules.follow_up_dates(loss, lost, horizon)]
    horizon_end = rules.add_months(lost, horizon).isoformat()
    if loss == rules.LOSS_COMPETITOR:
        trigger = None
        next_step = f"Create a reminder to check in with them on {dates[0]}."
        why = (
            f"They went with a competitor: check in {rules.COMPETITOR_CHECKIN_MONTHS} months after the loss, "
            f"on {dates[0]}."
        )
    elif loss == rules.LOSS_STAYED_WITH_SETUP:
        trigger = None
        first = rules.add_months(lost, rules.STAYED_CHECKIN_EVERY_MONTHS).isoformat()
        every = rules.STAYED_CHECKIN_EVERY_MONTHS
        next_step = f"Create a reminder to check in with them on {first}, then every {every} months."
        why = f"They stayed with their current setup: check in every {every} months. " + (
            f"{len(dates)} check-in{'s' if len(dates) != 1 else ''} up to {horizon_end} ({horizon} months ahead)."
            if dates
            else f"None falls within {horizon} months; the first is on {first}."
        )
    elif loss in _TRIGGER:
        trigger = _TRIGGER[loss]
        next_step = (
            "Tag the loss with the missing feature, and contact them once it is built."
            if loss == rules.LOSS_FEATURE_GAP
            else "Note which certification they need, and contact them once we have it."
        )
        why = (
            f"Recorded reason: {loss}. There is no date to set: {trigger[0].lower()}{trigger[1:-1]}, get back in touch."
        )
    else:
        trigger = _NO_FOLLOW_UP
        next_step = "Record detailed comments and share what we learned with the team; no follow-up task is needed."
        why = f"Recorded reason: {loss}. This reason carries no follow-up task."
    reasons = [
        reason("F2", why),
        reason(
            "F1",
            "Record the reason on the opportunity, with detailed comments on what, if anything, "
            "we could have done differently.",
        ),
    ]
    result = {
        "loss_reason": loss,
        "lost_date": lost.isoformat(),
        "follow_ups": dates,
        "trigger": trigger,
        "next_step": next_step,
        "horizon_end": horizon_end,
    }
    return result, reasons
