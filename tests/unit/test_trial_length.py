"""trial-length: L1-L5 at every boundary of T1 and T4."""

from __future__ import annotations

import pytest

import calculators
from calculators import rules


@pytest.mark.parametrize(
    ("rule", "annual_value", "route", "days"),
    [
        ("L1", 0, "self-serve", 0),
        ("L1", 19_999, "self-serve", 0),
        ("L1", "19,999.99", "self-serve", 0),
        ("L2", 20_000, "sales-led", 14),
        ("L2", "45,000", "sales-led", 14),
        ("L2", 59_999, "sales-led", 14),
        ("L3", 60_000, "sales-led", 28),
        ("L3", 250_000, "sales-led", 28),
        ("L3", 250_001, "sales-led", 28),
    ],
)
def test_trial_days_by_band(rule, annual_value, route, days):
    out = calculators.run("trial-length", {"annual_value": annual_value})
    assert out["ok"], out
    assert out["result"]["route"] == route
    assert out["result"]["trial_days"] == days
    assert out["reasons"][0]["rule"] == rule
    assert out["result"]["end_date"] is None


@pytest.mark.parametrize(
    ("annual_value", "start", "end", "pricing", "wrap_up"),
    [
        # L2, L4, L5: the README's example.
        ("45000", "2026-01-10", "2026-01-24", "2026-01-17", "2026-01-17"),
        # L3 across a month end and 29 February of a leap year.
        (60_000, "2028-02-10", "2028-03-09", "2028-02-17", "2028-03-02"),
        (20_000, "2028-02-22", "2028-03-07", "2028-02-29", "2028-02-29"),
        (90_000, "2026-12-20", "2027-01-17", "2026-12-27", "2027-01-10"),
    ],
)
def test_trial_milestones(annual_value, start, end, pricing, wrap_up):
    out = calculators.run("trial-length", {"annual_value": annual_value, "start_date": start})
    result = out["result"]
    assert (result["end_date"], result["pricing_review_date"], result["wrap_up_date"]) == (end, pricing, wrap_up)
    assert [reason["rule"] for reason in out["reasons"]][1:] == ["L4", "L5"]


def test_no_trial_no_dates_even_with_a_start():
    out = calculators.run("trial-length", {"annual_value": 19_999, "start_date": "2026-01-10"})
    assert out["result"]["trial_days"] == 0
    assert out["result"]["end_date"] is out["result"]["wrap_up_date"] is None
    assert [reason["rule"] for reason in out["reasons"]] == ["L1"]


def test_days_come_from_the_rules_module():
    assert rules.trial_days(rules.TRIAL_BAND_EDGE) == rules.LONG_TRIAL_DAYS
    assert rules.trial_days(rules.TRIAL_BAND_EDGE - 1) == rules.SHORT_TRIAL_DAYS
    assert rules.trial_days(rules.SALES_ASSIST_THRESHOLD - 1) == rules.NO_TRIAL_DAYS


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({}, "annual_value"),
        ({"annual_value": None}, "annual_value"),
        ({"annual_value": "  "}, "annual_value"),
        ({"annual_value": -1}, "annual_value"),
        ({"annual_value": "lots"}, "annual_value"),
        ({"annual_value": 1, "start_date": "2026-02-30"}, "start_date"),
        ({"annual_value": 1, "start_date": "23/11/2026"}, "start_date"),
    ],
)
def test_bad_inputs_name_the_field(inputs, field):
    out = calculators.run("trial-length", inputs)
    assert out["ok"] is False
    assert list(out["errors"]) == [field]
