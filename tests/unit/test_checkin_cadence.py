"""checkin-cadence: C1-C6, exact dates, month-end clamping and 29 February."""

from __future__ import annotations

import datetime as dt

import pytest

import calculators
from calculators import rules


def run(**inputs):
    out = calculators.run("checkin-cadence", inputs)
    assert out["ok"], out
    return out["result"]


@pytest.mark.parametrize(
    ("rule", "annual_value", "tier", "contract_type"),
    [
        ("C3", 19_999, "monthly", "Monthly Contract"),
        ("C2", 20_000, "standard", None),
        ("C2", 59_999, "standard", None),
        ("C1", 60_000, "high-touch", None),
        ("C1", 250_001, "high-touch", None),
    ],
)
def test_tier_at_the_boundaries(rule, annual_value, tier, contract_type):
    out = calculators.run("checkin-cadence", {"annual_value": annual_value, "close_date": "2026-01-15"})
    assert out["result"]["tier"] == tier
    assert out["result"]["contract_type"] == contract_type
    assert out["reasons"][0]["rule"] == rule
    assert out["result"]["onboarding_plan_due"] == "2026-01-22"  # C4/C6: close + 7 days


def test_c3_has_no_cadence():
    assert run(annual_value=5_000, close_date="2026-01-15")["checkins"] == []


def test_c2_standard_monthly_three_months_then_quarterly():
    # C6: m = 1, 2, 3 then 6, 9, 12; 31 January clamps to February's last day.
    assert run(annual_value=20_000, close_date="2026-01-31")["checkins"] == [
        "2026-02-28",
        "2026-03-31",
        "2026-04-30",
        "2026-07-31",
        "2026-10-31",
        "2027-01-31",
    ]


def test_c2_leap_year_29_february():
    assert run(annual_value=30_000, close_date="2028-01-31", horizon_months=3)["checkins"] == [
        "2028-02-29",
        "2028-03-31",
        "2028-04-30",
    ]


def test_c1_high_touch_fortnightly_then_monthly():
    # C6: close + 2k weeks while <= add_months(close, 6), then add_months(close, 7..12).
    dates = run(annual_value=60_000, close_date="2026-01-01")["checkins"]
    fortnightly = [(dt.date(2026, 1, 1) + dt.timedelta(weeks=2 * k)).isoformat() for k in range(1, 13)]
    assert dates[:12] == fortnightly
    assert fortnightly[-1] == "2026-06-18"
    assert dates[12:] == ["2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01", "2026-12-01", "2027-01-01"]


def test_c1_weekly_includes_the_six_month_day_itself():
    # 2026-01-01 + 26 weeks = 2026-07-02, after add_months(close, 6) = 2026-07-01.
    dates = run(annual_value=80_000, close_date="2026-01-01", interval_weeks=1)["checkins"]
    assert dates[24] == "2026-06-25" and dates[25] == "2026-08-01"
    # 2027-09-01 + 26 weeks is 2028-03-01, exactly add_months(close, 6) in a leap year: included.
    dates = run(annual_value=80_000, close_date="2027-09-01", interval_weeks="1", horizon_months=6)["checkins"]
    assert dates[-1] == rules.add_months(dt.date(2027, 9, 1), 6).isoformat() == "2028-03-01"
    assert len(dates) == 26


def test_horizon_is_inclusive_and_limited():
    dates = run(annual_value=20_000, close_date="2026-01-31", horizon_months=1)["checkins"]
    assert dates == ["2026-02-28"]
    assert run(annual_value=20_000, close_date="2026-01-31", horizon_months=36)["checkins"][-1] == "2029-01-31"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28)),
        (dt.date(2026, 8, 31), 1, dt.date(2026, 9, 30)),
        (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert rules.add_months(day, months) == expected


@pytest.mark.parametrize(
    ("inputs", "fields"),
    [
        ({}, ["annual_value", "close_date"]),
        ({"annual_value": 1, "close_date": "2026-01-01", "horizon_months": 0}, ["horizon_months"]),
        ({"annual_value": 1, "close_date": "2026-01-01", "horizon_months": 37}, ["horizon_months"]),
        ({"annual_value": 1, "close_date": "2026-01-01", "horizon_months": 2.5}, ["horizon_months"]),
        ({"annual_value": 1, "close_date": "2026-01-01", "interval_weeks": 3}, ["interval_weeks"]),
        ({"annual_value": 1, "close_date": "1899-12-31"}, ["close_date"]),
    ],
)
def test_bad_inputs_name_each_field(inputs, fields):
    out = calculators.run("checkin-cadence", inputs)
    assert out["ok"] is False and sorted(out["errors"]) == fields
