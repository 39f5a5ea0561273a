"""Lead qualification: where an inbound lead goes next (Q1-Q12, T5, T6)."""

from __future__ import annotations

from typing import Any

from . import rules
from .fields import Field
from .reasons import reason, usd

NAME = "lead-qualification"
TITLE = "Lead qualification"
SUMMARY = "Where an inbound lead goes next: sales-led, nurture, self-serve, the Startup Plan, or out."


#: Q8: the signals a product-led lead shows, folded away on the form until needed.
PRODUCT_LED = "Product-led signals"


def _flag(name: str, label: str, help_text: str) -> Field:
    return Field(name, "boolean", label, help_text)


def _signal(name: str, label: str, help_text: str) -> Field:
    return Field(name, "boolean", label, help_text, group=PRODUCT_LED)


FIELDS = (
    Field(
        "annual_value",
        "money",
        "Expected annual value",
        "What they pay, or could pay, a year, in US dollars.",
        unit="USD / year",
        required=True,
        minimum=0,
        maximum=1e12,
    ),
    _flag(
        "billing_or_compliance_only",
        "Only a billing or compliance question",
        "They only asked about billing or compliance (e.g. HIPAA).",
    ),
    _flag("startup_plan_eligible", "Eligible for the Startup Plan", "They qualify for the Startup Plan."),
    _flag(
        "burns_credits_fast",
        "Will burn through startup credits quickly",
        "Their usage will use up the startup credits fast.",
    ),
    _flag("engineers_on_call", "Engineers on the first call", "Engineers joined (or will join) the first call."),
    _flag("technical_capability", "They have technical capability", "The team can implement the product themselves."),
    _flag("engineers_will_be_involved", "Engineers will be involved", "Engineers will take part from here on."),
    _flag("product_fit", "Product fit", "What they need is something the product does well."),
    _flag(
        "second_call_scheduled",
        "Second call with engineers booked",
        "A second call, with engineers, is on the calendar.",
    ),
    _flag(
        "answered_demo_questions",
        "Answered the three demo questions",
        "Below the threshold: they told us their " + ", ".join(rules.DEMO_QUESTIONS) + ".",
    ),
    _signal("active_subscription", "Active subscription", "They already pay through a subscription."),
    Field(
        "forecast_first_bill",
        "money",
        "Forecast first bill",
        "Their forecast first-time bill, in US dollars.",
        unit="USD",
        default=0,
        group=PRODUCT_LED,
        minimum=0,
        maximum=1e12,
    ),
    Field(
        "lead_score",
        "number",
        "Lead score",
        "The lead score in the CRM.",
        default=0,
        group=PRODUCT_LED,
        minimum=0,
        maximum=1e6,
    ),
    Field(
        "employees",
        "integer",
        "Employees",
        "How many people the company employs.",
        default=0,
        group=PRODUCT_LED,
        minimum=0,
        maximum=10_000_000,
    ),
    Field(
        "org_users",
        "integer",
        "Users in their organisation",
        "How many users their organisation has.",
        default=0,
        group=PRODUCT_LED,
        minimum=0,
        maximum=10_000_000,
    ),
    _signal("sending_events", "Sending events", "Their project is sending events."),
    _signal("subscribed", "Already subscribed", "They already have a paid subscription."),
    Field(
        "startup_credits_used_pct",
        "number",
        "Startup credits used",
        "Share of startup credits already used.",
        unit="%",
        default=0,
        group=PRODUCT_LED,
        minimum=0,
        maximum=100,
    ),
    _signal(
        "significant_spend_expected",
        "Significant spend expected after the programme",
        "Their spend after the startup programme looks significant.",
    ),
)

OUTPUTS = (
    ("route", "Route"),
    ("path", "First-call path"),
    ("next_step", "Next step"),
    ("product_led_triggers", "Product-led triggers"),
)

_NEXT_STEP = {
    ("Q3", rules.ROUTE_QUALIFY_OUT): "Qualify them out of the sales process, and answer their question by email.",
    ("Q2", rules.ROUTE_STARTUP_PLAN): "Send them to the Startup Plan application; it is not an opportunity yet.",
    ("Q2", rules.ROUTE_NURTURE): "Set the lead status to Nurture: their usage will burn through the credits soon.",
    ("Q4", rules.ROUTE_SALES_LED): (
        f"Run a {rules.DISCOVERY_CALL_MINUTES}-minute discovery call with a technical "
        "demo, aiming for a hands-on trial."
    ),
    ("Q5", rules.ROUTE_SALES_LED): "Convert to an opportunity: the second call with engineers is confirmed.",
    ("Q5", rules.ROUTE_NURTURE): (
        "Keep them in Nurture, and convert to an opportunity once a second call with engineers is confirmed."
    ),
    (
        "Q4",
        rules.ROUTE_QUALIFY_OUT,
    ): "Disqualify politely: without engineers, capability and product fit it won't work.",
}


def compute(values: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Answer the Q12 route, with the Q8 product-led triggers beside it."""
    value = values["annual_value"]
    route, path, rule = rules.lead_route(
        annual_value=value,
        billing_or_compliance_only=values["billing_or_compliance_only"],
        startup_plan_eligible=values["startup_plan_eligible"],
        burns_credits_fast=values["burns_credits_fast"],
        engineers_on_call=values["engineers_on_call"],
        technical_capability=values["technical_capability"],
        engineers_will_be_involved=values["engineers_will_be_involved"],
        product_fit=values["product_fit"],
        second_call_scheduled=values["second_call_scheduled"],
    )
    triggers = product_led_triggers(values)
    if rule == "Q1":
        demo = values["answered_demo_questions"]
        next_step = (
            "Offer a demo: they answered our three questions."
            if demo
            else "Point them to self-serve; a demo needs answers to our three questions first."
        )
    else:
        next_step = _NEXT_STEP[rule, route]
    reasons = [reason(rule, _why(rule, route, value))]
    if route == rules.ROUTE_SALES_LED:
        reasons.append(
            reason(
                "Q7",
                "Check the ideal customer profile (shown, not a gate): "
                + "; ".join(rules.IDEAL_CUSTOMER_PROFILE)
                + ".",
            )
        )
    if triggers:
        call = rules.product_led_outreach(value) == rules.OUTREACH_DISCOVERY_CALL
        reasons.append(reason("Q8", "Product-led lead: " + ", ".join(triggers) + "."))
        reasons.append(
            reason(
                "Q9",
                f"Reach out and offer a {rules.DISCOVERY_CALL_MINUTES}-minute discovery call."
                if call
                else "Explain how to get help and the Teams and Enterprise plans.",
            )
        )
    result = {"route": route, "path": path, "product_led_triggers": triggers, "next_step": next_step}
    return result, reasons


def product_led_triggers(values: dict[str, Any]) -> list[str]:
    """Q8: the triggers the product-led signals fire (also used by the product-led calculator)."""
    return rules.product_led_triggers(
        **{field.name: values[field.name] for field in FIELDS if field.group == PRODUCT_LED}
    )


def _why(rule: str, route: str, value: float) -> str:
    """The sentence behind the deciding rule."""
    if rule == "Q3":
        return "Only a billing or compliance question: help by email, outside the sales process."
    if rule == "Q2":
        return "Eligible for the Startup Plan, so not an immediate opportunity" + (
            "; Nurture, since the credits will run out fast." if route == rules.ROUTE_NURTURE else "."
        )
    if rule == "Q1":
        return f"{usd(value)} a year is below the {usd(rules.SALES_ASSIST_THRESHOLD)} sales-assist threshold."
    if rule == "Q4" and route == rules.ROUTE_SALES_LED:
        return "Engineers are on the first call: Path A."
    if rule == "Q4":
        return (
            "No engineers on the call, and not all of capability, engineer involvement and product fit: Path B fails."
        )
    return "Path B: capable, engineers will be involved and a product fit" + (
        "; the second call is booked." if route == rules.ROUTE_SALES_LED else "; no second call booked yet."
    )
