"""Product-led leads: is this account a product-led lead, and how to reach out (Q8-Q9, T5, T6)."""

from __future__ import annotations

import dataclasses
from typing import Any

from . import lead_qualification, rules
from .fields import Field
from .reasons import reason, usd

NAME = "product-led"
TITLE = "Product-led lead"
SUMMARY = "Whether an account is a product-led lead, which triggers it meets, and how to reach out."

#: Q8: the same signals, with the same names and limits, as lead-qualification's product-led
#: fields; here they are the whole form, so they are not folded away.
_SIGNALS = tuple(
    dataclasses.replace(field, group="")
    for field in lead_qualification.FIELDS
    if field.group == lead_qualification.PRODUCT_LED
)

FIELDS = (
    Field(
        "annual_value",
        "money",
        "Potential annual value",
        "What they could end up paying a year, in US dollars.",
        unit="USD / year",
        required=True,
        minimum=0,
        maximum=1e12,
    ),
    *_SIGNALS,
)

OUTPUTS = (
    ("is_product_led_lead", "Product-led lead"),
    ("triggers", "Triggers met"),
    ("outreach", "Outreach"),
    ("next_step", "Next step"),
)

#: Q8: the rule that sets each trigger's numbers.
_TRIGGER_RULE = {
    rules.TRIGGER_SUBSCRIPTION_BILL: "T5",
    rules.TRIGGER_ENGAGED_SIGNUP: "T6",
    rules.TRIGGER_STARTUP_CREDITS: "Q8",
}


def compute(values: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Answer Q8-Q9 for one account."""
    value = values["annual_value"]
    triggers = lead_qualification.product_led_triggers(values)
    if not triggers:
        result = {"is_product_led_lead": False, "triggers": [], "outreach": None, "next_step": _NOT_A_LEAD}
        return result, [
            reason("Q8", "None of the three product-led triggers is met, so this is not a product-led lead.")
        ]
    reasons = [reason("Q8", "Product-led lead: any one trigger is enough, and it meets " + ", ".join(triggers) + ".")]
    reasons += [reason(_TRIGGER_RULE[name], _TRIGGER_TEXT[name]) for name in triggers]
    outreach = rules.product_led_outreach(value)
    if outreach == rules.OUTREACH_DISCOVERY_CALL:
        reasons.append(
            reason(
                "Q9",
                f"A potential of {usd(value)} a year is {usd(rules.SALES_ASSIST_THRESHOLD)} or more: introduce "
                f"yourself and offer a {rules.DISCOVERY_CALL_MINUTES}-minute discovery call; they may not need a demo.",
            )
        )
        next_step = (
            "Check Vitally for earlier conversations, then reach out and offer a "
            f"{rules.DISCOVERY_CALL_MINUTES}-minute discovery call."
        )
    else:
        reasons.append(
            reason(
                "Q9",
                f"A potential of {usd(value)} a year is below {usd(rules.SALES_ASSIST_THRESHOLD)}: show them how "
                "to get help, and what the Teams and Enterprise plans add.",
            )
        )
        next_step = (
            "Check Vitally for earlier conversations, then explain how to get help and the Teams and Enterprise plans."
        )
    result = {"is_product_led_lead": True, "triggers": triggers, "outreach": outreach, "next_step": next_step}
    return result, reasons


_NOT_A_LEAD = "Not a product-led lead: no outreach from this process; the normal inbound route still applies."

_TRIGGER_TEXT = {
    rules.TRIGGER_SUBSCRIPTION_BILL: (
        f"An active subscription and a forecast first bill of {usd(rules.PRODUCT_LED_FIRST_BILL)} or more."
    ),
    rules.TRIGGER_ENGAGED_SIGNUP: (
        f"Lead score {rules.PRODUCT_LED_LEAD_SCORE} or more, {rules.PRODUCT_LED_EMPLOYEES} or more employees, "
        f"more than {rules.PRODUCT_LED_ORG_USERS} users in the organisation, sending events and not yet subscribed."
    ),
    rules.TRIGGER_STARTUP_CREDITS: (
        f"More than {rules.STARTUP_CREDITS_MOST_PCT}% of the startup credits used, and significant spend expected "
        "after the programme."
    ),
}
