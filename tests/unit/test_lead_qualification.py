"""lead-qualification: the Q12 route order, paths A/B, and the Q8 product-led triggers."""

from __future__ import annotations

import pytest

import calculators

SALES_SIZED = {"annual_value": 20_000}


def run(**inputs):
    out = calculators.run("lead-qualification", inputs)
    assert out["ok"], out
    return out


@pytest.mark.parametrize(
    ("rule", "inputs", "route", "path"),
    [
        # Q3 comes first, even for a big startup with engineers on the call.
        (
            "Q3",
            {
                "annual_value": 500_000,
                "billing_or_compliance_only": True,
                "startup_plan_eligible": True,
                "engineers_on_call": True,
            },
            "qualify-out",
            None,
        ),
        (
            "Q2",
            {"annual_value": 500_000, "startup_plan_eligible": True, "engineers_on_call": True},
            "startup-plan",
            None,
        ),
        ("Q2", {"annual_value": 0, "startup_plan_eligible": True, "burns_credits_fast": True}, "nurture", None),
        ("Q1", {"annual_value": 19_999, "engineers_on_call": True}, "self-serve", None),
        ("Q1", {"annual_value": 0}, "self-serve", None),
        ("Q4", {"annual_value": 20_000, "engineers_on_call": True}, "sales-led", "A"),
        (
            "Q5",
            {
                "annual_value": 20_000,
                "technical_capability": True,
                "engineers_will_be_involved": True,
                "product_fit": True,
                "second_call_scheduled": True,
            },
            "sales-led",
            "B",
        ),
        (
            "Q5",
            {
                "annual_value": 20_000,
                "technical_capability": True,
                "engineers_will_be_involved": True,
                "product_fit": True,
            },
            "nurture",
            "B",
        ),
        (
            "Q4",
            {"annual_value": 20_000, "technical_capability": True, "engineers_will_be_involved": True},
            "qualify-out",
            "B",
        ),
        ("Q4", {"annual_value": 20_000, "technical_capability": True, "product_fit": True}, "qualify-out", "B"),
        (
            "Q4",
            {
                "annual_value": 20_000,
                "engineers_will_be_involved": True,
                "product_fit": True,
                "second_call_scheduled": True,
            },
            "qualify-out",
            "B",
        ),
    ],
)
def test_route_order(rule, inputs, route, path):
    out = run(**inputs)
    assert (out["result"]["route"], out["result"]["path"]) == (route, path)
    assert out["reasons"][0]["rule"] == rule
    assert out["result"]["next_step"].endswith(".")


def test_sales_led_shows_the_icp_without_gating():
    assert [reason["rule"] for reason in run(annual_value=20_000, engineers_on_call=True)["reasons"]] == ["Q4", "Q7"]


@pytest.mark.parametrize(("answered", "words"), [(True, "Offer a demo"), (False, "self-serve")])
def test_q1_demo_needs_the_three_answers(answered, words):
    assert words in run(annual_value=19_999, answered_demo_questions=answered)["result"]["next_step"]


ENGAGED = {"lead_score": 20, "employees": 50, "org_users": 5, "sending_events": True}


@pytest.mark.parametrize(
    ("rule", "signals", "triggers"),
    [
        ("T5", {"active_subscription": True, "forecast_first_bill": 499}, []),
        ("T5", {"active_subscription": True, "forecast_first_bill": 500}, ["subscription-bill"]),
        ("T5", {"active_subscription": False, "forecast_first_bill": 5_000}, []),
        ("T6", ENGAGED, ["engaged-signup"]),
        ("T6", {**ENGAGED, "org_users": 4}, []),
        ("T6", {**ENGAGED, "lead_score": 19.5}, []),
        ("T6", {**ENGAGED, "employees": 49}, []),
        ("T6", {**ENGAGED, "sending_events": False}, []),
        ("T6", {**ENGAGED, "subscribed": True}, []),
        ("Q8", {"startup_credits_used_pct": 50, "significant_spend_expected": True}, []),
        ("Q8", {"startup_credits_used_pct": 50.1, "significant_spend_expected": True}, ["startup-credits"]),
        ("Q8", {"startup_credits_used_pct": 90}, []),
        (
            "Q8",
            {
                **ENGAGED,
                "active_subscription": True,
                "forecast_first_bill": "1,000",
                "startup_credits_used_pct": "80",
                "significant_spend_expected": "yes",
            },
            ["subscription-bill", "engaged-signup", "startup-credits"],
        ),
    ],
)
def test_product_led_triggers(rule, signals, triggers):
    assert run(annual_value=0, **signals)["result"]["product_led_triggers"] == triggers


@pytest.mark.parametrize(("annual_value", "words"), [(20_000, "discovery call"), (19_999, "Teams and Enterprise")])
def test_q9_product_led_outreach_by_potential(annual_value, words):
    out = run(annual_value=annual_value, active_subscription=True, forecast_first_bill=500)
    q9 = [reason for reason in out["reasons"] if reason["rule"] == "Q9"]
    assert len(q9) == 1 and words in q9[0]["text"]
    # Q12: the triggers are reported beside the route, never instead of it.
    assert (
        out["result"]["route"] == ("sales-led" if annual_value >= 20_000 else "self-serve")
        or out["result"]["route"] == "qualify-out"
    )


def test_bad_signals_name_their_fields():
    out = calculators.run(
        "lead-qualification",
        {"annual_value": 1, "employees": 5.5, "startup_credits_used_pct": 101, "subscribed": "maybe"},
    )
    assert sorted(out["errors"]) == ["employees", "startup_credits_used_pct", "subscribed"]
