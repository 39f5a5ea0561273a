"""product-led: the Q8 triggers (T5, T6 at their edges) and the Q9 outreach by potential (T1)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import calculators
from calculators import lead_qualification

ENGAGED = {"lead_score": 20, "employees": 50, "org_users": 5, "sending_events": True}
BILL = {"active_subscription": True, "forecast_first_bill": 500}


def run(**inputs):
    out = calculators.run("product-led", inputs)
    assert out["ok"], out
    return out


@pytest.mark.parametrize(
    ("rule", "signals", "triggers"),
    [
        ("T5", {"active_subscription": True, "forecast_first_bill": 499}, []),
        ("T5", {"active_subscription": True, "forecast_first_bill": 499.99}, []),
        ("T5", BILL, ["subscription-bill"]),
        ("T5", {"active_subscription": True, "forecast_first_bill": "$1,500"}, ["subscription-bill"]),
        ("T5", {"active_subscription": False, "forecast_first_bill": 5_000}, []),
        ("T6", ENGAGED, ["engaged-signup"]),
        ("T6", {**ENGAGED, "org_users": 4}, []),
        ("T6", {**ENGAGED, "lead_score": 19.5}, []),
        ("T6", {**ENGAGED, "employees": 49}, []),
        ("T6", {**ENGAGED, "sending_events": False}, []),
        ("T6", {**ENGAGED, "subscribed": True}, []),
        ("Q8", {"startup_credits_used_pct": 50, "significant_spend_expected": True}, []),
        ("Q8", {"startup_credits_used_pct": 50.1, "significant_spend_expected": True}, ["startup-credits"]),
        ("Q8", {"startup_credits_used_pct": 100, "significant_spend_expected": True}, ["startup-credits"]),
        ("Q8", {"startup_credits_used_pct": 90}, []),
        (
            "Q8",
            {**ENGAGED, **BILL, "startup_credits_used_pct": "80", "significant_spend_expected": "yes"},
            ["subscription-bill", "engaged-signup", "startup-credits"],
        ),
        ("Q8", {}, []),
    ],
)
def test_q8_triggers(rule, signals, triggers):
    out = run(annual_value=45_000, **signals)
    assert out["result"]["triggers"] == triggers
    assert out["result"]["is_product_led_lead"] is bool(triggers)
    rules_cited = [reason["rule"] for reason in out["reasons"]]
    assert rules_cited[0] == "Q8"
    if triggers:
        # One reason per trigger, citing the rule that sets its numbers, then Q9.
        assert rules_cited[1:-1] == [{"subscription-bill": "T5", "engaged-signup": "T6"}.get(t, "Q8") for t in triggers]
        assert rules_cited[-1] == "Q9"
    else:
        assert rules_cited == ["Q8"]


@pytest.mark.parametrize(
    ("annual_value", "outreach", "words"),
    [
        (20_000, "discovery-call", "30-minute discovery call"),
        ("1,000,000", "discovery-call", "30-minute discovery call"),
        (19_999, "educate", "Teams and Enterprise plans"),
        (19_999.99, "educate", "Teams and Enterprise plans"),
        (0, "educate", "Teams and Enterprise plans"),
    ],
)
def test_q9_outreach_by_potential(annual_value, outreach, words):
    out = run(annual_value=annual_value, **BILL)
    assert out["result"]["outreach"] == outreach
    assert words in out["result"]["next_step"] and words in out["reasons"][-1]["text"]
    assert out["result"]["next_step"].startswith("Check Vitally")


def test_no_trigger_no_outreach():
    result = run(annual_value=1_000_000)["result"]
    assert (result["is_product_led_lead"], result["triggers"], result["outreach"]) == (False, [], None)
    assert "normal inbound route" in result["next_step"]


def test_same_fields_as_lead_qualification_but_not_folded_away():
    fields = calculators.describe("product-led")["fields"]
    signals = [f for f in lead_qualification.FIELDS if f.group == lead_qualification.PRODUCT_LED]
    assert [f["name"] for f in fields] == ["annual_value", *(f.name for f in signals)]
    for field, signal in zip(fields[1:], signals, strict=True):
        assert field == {**signal.describe(), "group": ""}


@pytest.mark.parametrize(
    ("inputs", "fields"),
    [
        ({}, ["annual_value"]),
        (
            {"annual_value": 1, "employees": 5.5, "startup_credits_used_pct": 101, "subscribed": "maybe"},
            ["employees", "startup_credits_used_pct", "subscribed"],
        ),
        ({"annual_value": 1, "forecast_first_bill": "NaN", "lead_score": -1}, ["forecast_first_bill", "lead_score"]),
    ],
)
def test_bad_inputs_name_each_field(inputs, fields):
    out = calculators.run("product-led", inputs)
    assert out["ok"] is False and sorted(out["errors"]) == fields


flags = st.booleans()


@given(
    value=st.floats(0, 1e7, allow_nan=False),
    signals=st.fixed_dictionaries(
        {
            "active_subscription": flags,
            "forecast_first_bill": st.floats(0, 2_000, allow_nan=False),
            "lead_score": st.floats(0, 40, allow_nan=False),
            "employees": st.integers(0, 200),
            "org_users": st.integers(0, 10),
            "sending_events": flags,
            "subscribed": flags,
            "startup_credits_used_pct": st.floats(0, 100, allow_nan=False),
            "significant_spend_expected": flags,
        }
    ),
)
def test_agrees_with_lead_qualification(value, signals):
    # Q8/Q9: one rule, two calculators; the answers can never differ.
    mine = run(annual_value=value, **signals)
    theirs = calculators.run("lead-qualification", {"annual_value": value, **signals})
    assert mine["result"]["triggers"] == theirs["result"]["product_led_triggers"]
    q9 = [reason["text"] for reason in theirs["reasons"] if reason["rule"] == "Q9"]
    if mine["result"]["outreach"] == "discovery-call":
        assert "discovery call" in q9[0]
    elif mine["result"]["outreach"] == "educate":
        assert "Teams and Enterprise" in q9[0]
    else:
        assert q9 == []
