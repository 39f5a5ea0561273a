"""Outbound circle: which of the seven circles an account is in, and who owns it (O1-O3, T7)."""

from __future__ import annotations

from typing import Any

from . import rules
from .fields import Field
from .reasons import reason, usd

NAME = "outbound-circle"
TITLE = "Outbound circle"
SUMMARY = "Which of the seven outbound circles an account is in, whether it is warm or cold, and who owns it."

#: O3: the circle-4 lead signals, folded away on the form until needed.
CIRCLE_FOUR = "Circle-4 lead signals"

_SIGNAL_TEXT = dict(rules.OUTBOUND_SIGNALS)


def _flag(name: str, label: str, help_text: str, group: str = "") -> Field:
    return Field(name, "boolean", label, help_text, group=group)


FIELDS = (
    _flag("paying", "Paying", "They pay for PostHog."),
    Field(
        "annual_spend",
        "money",
        "Annual spend",
        "If they pay: what they spend a year, in US dollars.",
        unit="USD / year",
        default=0,
        minimum=0,
        maximum=1e12,
    ),
    _flag(
        "engaged_or_high_icp",
        "Good engagement or a strong ICP match",
        "They use PostHog with good engagement, or match our ideal customer profile well.",
    ),
    _flag("signed_up", "Signed up", "This person has signed up to PostHog at their current company."),
    _flag("actively_using", "Actively using", "They really use PostHog, beyond kicking the tyres."),
    _flag(
        "used_before_at_previous_company",
        "Used PostHog at a previous company",
        "They signed up for or used PostHog before, at a company they have since left.",
    ),
    _flag("heard_of_us", "Has heard of PostHog", "They know of PostHog, even without signing up."),
    Field(
        "employees",
        "integer",
        "Employees",
        "How many people their company employs.",
        default=0,
        group=CIRCLE_FOUR,
        minimum=0,
        maximum=10_000_000,
    ),
    _flag("card_added", "Card added", "They have added a payment card.", CIRCLE_FOUR),
    _flag(
        "engineering_headcount_growth",
        "Engineering headcount growing",
        "Their engineering headcount grew over the last "
        + " or ".join(str(days) for days in rules.HEADCOUNT_GROWTH_WINDOWS_DAYS)
        + " days.",
        CIRCLE_FOUR,
    ),
    _flag("recent_fundraise", "Recent fundraise", "They recently announced a fundraise.", CIRCLE_FOUR),
    _flag("traffic_growth", "Traffic growing", "Their web or social traffic is growing.", CIRCLE_FOUR),
    _flag(
        "other_intent",
        "Other intent signals",
        "For accounts below the TAM line: e.g. visits to the pricing page.",
        CIRCLE_FOUR,
    ),
)

OUTPUTS = (
    ("circle", "Circle"),
    ("description", "Who is in it"),
    ("warmth", "Warm or cold"),
    ("owner", "Owned by"),
    ("signals", "Circle-4 lead signals"),
)


def compute(values: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Answer O1-O3 for one account."""
    circle = rules.outbound_circle(
        paying=values["paying"],
        annual_spend=values["annual_spend"],
        engaged_or_high_icp=values["engaged_or_high_icp"],
        signed_up=values["signed_up"],
        actively_using=values["actively_using"],
        used_before_at_previous_company=values["used_before_at_previous_company"],
        heard_of_us=values["heard_of_us"],
    )
    warmth = rules.outbound_warmth(circle)
    owner = rules.outbound_owner(circle)
    description = rules.OUTBOUND_CIRCLES[circle - 1]
    # O3: the signals only make a lead of a circle-4 account, so they are reported only there.
    signals = (
        rules.outbound_signals(
            employees=values["employees"],
            card_added=values["card_added"],
            engineering_headcount_growth=values["engineering_headcount_growth"],
            recent_fundraise=values["recent_fundraise"],
            traffic_growth=values["traffic_growth"],
            other_intent=values["other_intent"],
        )
        if circle == 4
        else []
    )
    reasons = [reason("O1", _why(circle, values["annual_spend"]))]
    reasons.append(
        reason(
            "O2",
            f"Circles 1 to {rules.LAST_WARM_CIRCLE} are warm outbound, owned by Technical Account Managers; "
            f"circles {rules.LAST_WARM_CIRCLE + 1} to {len(rules.OUTBOUND_CIRCLES)} are cold, owned by "
            "Technical Account Executives.",
        )
    )
    if circle == 4:
        if signals:
            reasons.append(reason("O3", "A circle-4 lead: " + "; ".join(_SIGNAL_TEXT[name] for name in signals) + "."))
        else:
            reasons.append(reason("O3", "No circle-4 lead signal yet: not a lead for now."))
        reasons.append(reason("T7", _big_company(values["employees"], values["card_added"])))
    result = {
        "circle": circle,
        "description": description,
        "warmth": warmth,
        "owner": owner,
        "signals": signals,
    }
    return result, reasons


def _why(circle: int, spend: float) -> str:
    """O1: the sentence behind the circle."""
    line = usd(rules.OUTBOUND_PAYING_A_LOT_ANNUAL)
    words = rules.OUTBOUND_CIRCLES[circle - 1]
    if circle == 1:
        return f"Circle 1, {words}: {usd(spend)} a year is {line} or more."
    if circle == 2:
        return f"Circle 2, {words}: {usd(spend)} a year is below {line}."
    return f"Circle {circle}: {words}."


def _big_company(employees: int, card_added: bool) -> str:
    """T7: whether the company's size is a circle-4 signal."""
    line = f"{rules.OUTBOUND_BIG_COMPANY_EMPLOYEES:,}"
    if employees < rules.OUTBOUND_BIG_COMPANY_EMPLOYEES:
        return f"{employees:,} employees is below {line}: company size is not a signal."
    if card_added:
        return f"{employees:,} employees, but a card is already added: size is a signal only before a card is added."
    return f"{employees:,} employees and no card yet: {line} or more before a card is added is a signal."
