"""follow-ups: F1-F2, exact dates from the lost date, month-end clamping and 29 February."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

import calculators
from calculators import rules

COMPETITOR = "went with a competitor"
STAYED = "stayed with current setup"


def run(**inputs):
    out = calculators.run("follow-ups", inputs)
    assert out["ok"], out
    return out


@pytest.mark.parametrize(
    ("rule", "loss_reason", "lost_date", "horizon", "follow_ups"),
    [
        # F2: went with a competitor -> one check-in, lost + 9 months.
        ("F2", COMPETITOR, "2026-01-15", None, ["2026-10-15"]),
        ("F2", COMPETITOR, "2026-05-31", None, ["2027-02-28"]),  # clamps to February's end
        ("F2", COMPETITOR, "2027-05-31", None, ["2028-02-29"]),  # ... a leap February
        ("F2", COMPETITOR, "2028-02-29", None, ["2028-11-29"]),
        ("F2", COMPETITOR, "2026-04-30", None, ["2027-01-30"]),  # never rounds up to the 31st
        # Reading (F2): the single competitor reminder is listed whatever the horizon.
        ("F2", COMPETITOR, "2026-01-15", 1, ["2026-10-15"]),
        ("F2", COMPETITOR, "2026-01-15", 8, ["2026-10-15"]),
        # F2: stayed with their current setup -> every 6 months, counted from the lost date.
        ("F2", STAYED, "2026-08-31", None, ["2027-02-28", "2027-08-31", "2028-02-29", "2028-08-31"]),
        ("F2", STAYED, "2028-02-29", 12, ["2028-08-29", "2029-02-28"]),
        ("F2", STAYED, "2026-01-15", 5, []),
        ("F2", STAYED, "2026-01-15", 6, ["2026-07-15"]),
        ("F2", STAYED, "2026-01-15", 11, ["2026-07-15"]),
        ("F2", STAYED, "2026-01-15", 12, ["2026-07-15", "2027-01-15"]),
        ("F2", STAYED, "2026-03-31", 1, []),
        # F2: event-based follow-ups have no dates.
        ("F2", "product/feature gap", "2026-01-15", None, []),
        ("F2", "security/privacy concerns", "2026-01-15", None, []),
    ]
    # F1: the other recorded reasons carry no follow-up task.
    + [
        ("F1", reason, "2026-01-15", None, [])
        for reason in rules.LOSS_REASONS
        if reason not in {"product/feature gap", "security/privacy concerns", STAYED}
    ],
)
def test_follow_up_dates(rule, loss_reason, lost_date, horizon, follow_ups):
    inputs = {"loss_reason": loss_reason, "lost_date": lost_date}
    if horizon is not None:
        inputs["horizon_months"] = horizon
    out = run(**inputs)
    assert out["result"]["follow_ups"] == follow_ups
    assert [reason["rule"] for reason in out["reasons"]] == ["F2", "F1"]
    assert out["result"]["next_step"].endswith(".")


@pytest.mark.parametrize(
    ("loss_reason", "trigger"),
    [
        (COMPETITOR, None),
        (STAYED, None),
        ("product/feature gap", "When the missing feature is built."),
        ("security/privacy concerns", "When we obtain the certification they need (or similar)."),
        ("performance concerns", "No follow-up"),
        ("pricing", "No follow-up"),
        ("champion left", "No follow-up"),
        ("business restructured or disappeared", "No follow-up"),
        ("don't know (went silent)", "No follow-up"),
    ],
)
def test_f2_trigger_sentence(loss_reason, trigger):
    result = run(loss_reason=loss_reason, lost_date="2026-01-15")["result"]
    if trigger is None:
        assert result["trigger"] is None
    else:
        assert result["trigger"].startswith(trigger) and result["trigger"].endswith(".")
    if trigger == "No follow-up":
        assert "detailed comments" in result["trigger"]


@pytest.mark.parametrize(
    ("loss_reason", "words"),
    [
        (COMPETITOR, "reminder to check in with them on 2026-10-15."),
        (STAYED, "on 2026-07-15, then every 6 months."),
        ("product/feature gap", "once it is built"),
        ("security/privacy concerns", "once we have it"),
        ("pricing", "no follow-up task is needed"),
    ],
)
def test_next_step(loss_reason, words):
    assert words in run(loss_reason=loss_reason, lost_date="2026-01-15")["result"]["next_step"]


def test_stayed_names_the_first_check_in_even_beyond_a_short_horizon():
    out = run(loss_reason=STAYED, lost_date="2026-08-31", horizon_months=5)
    assert out["result"]["follow_ups"] == []
    assert "2027-02-28" in out["result"]["next_step"]
    assert "None falls within 5 months; the first is on 2027-02-28." in out["reasons"][0]["text"]


@pytest.mark.parametrize(("horizon", "count", "words"), [(6, 1, "1 check-in up to"), (60, 10, "10 check-ins up to")])
def test_stayed_counts_its_check_ins(horizon, count, words):
    out = run(loss_reason=STAYED, lost_date="2026-01-31", horizon_months=horizon)
    assert len(out["result"]["follow_ups"]) == count
    assert words in out["reasons"][0]["text"]
    assert out["result"]["follow_ups"][-1] == out["result"]["horizon_end"]


def test_default_horizon_and_the_reason_list():
    out = run(loss_reason=STAYED, lost_date="2026-01-15")
    assert out["result"]["horizon_end"] == "2028-01-15"  # F2 planner default: 24 months
    assert (rules.LOSS_COMPETITOR, *rules.LOSS_REASONS) == rules.FOLLOW_UP_LOSS_REASONS
    for named in (rules.LOSS_FEATURE_GAP, rules.LOSS_SECURITY_PRIVACY, rules.LOSS_STAYED_WITH_SETUP):
        assert named in rules.LOSS_REASONS
    field = next(f for f in calculators.describe("follow-ups")["fields"] if f["name"] == "loss_reason")
    assert field["choices"] == list(rules.FOLLOW_UP_LOSS_REASONS)


@pytest.mark.parametrize(
    ("inputs", "fields"),
    [
        ({}, ["loss_reason", "lost_date"]),
        ({"loss_reason": "lost interest", "lost_date": "2026-01-15"}, ["loss_reason"]),
        ({"loss_reason": "pricing", "lost_date": "2027-02-29"}, ["lost_date"]),
        ({"loss_reason": "pricing", "lost_date": "15/01/2026"}, ["lost_date"]),
        ({"loss_reason": "pricing", "lost_date": "2026-01-15", "horizon_months": 0}, ["horizon_months"]),
        ({"loss_reason": "pricing", "lost_date": "2026-01-15", "horizon_months": 61}, ["horizon_months"]),
        ({"loss_reason": "pricing", "lost_date": "2026-01-15", "horizon_months": 2.5}, ["horizon_months"]),
        (
            {"loss_reason": ["pricing"], "lost_date": None, "horizon_months": "x"},
            ["horizon_months", "loss_reason", "lost_date"],
        ),
    ],
)
def test_bad_inputs_name_each_field(inputs, fields):
    out = calculators.run("follow-ups", inputs)
    assert out["ok"] is False and sorted(out["errors"]) == fields


def test_a_bad_reason_lists_the_choices_in_a_short_message():
    message = calculators.run("follow-ups", {"loss_reason": "x" * 10_000, "lost_date": "2026-01-15"})["errors"]
    assert COMPETITOR in message["loss_reason"] and len(message["loss_reason"]) < 400


@given(
    lost=st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31)),
    horizon=st.integers(rules.MIN_FOLLOW_UP_HORIZON_MONTHS, rules.MAX_FOLLOW_UP_HORIZON_MONTHS),
)
def test_stayed_dates_ascend_inside_the_horizon_without_drift(lost, horizon):
    result = run(loss_reason=STAYED, lost_date=lost.isoformat(), horizon_months=horizon)["result"]
    dates = [dt.date.fromisoformat(day) for day in result["follow_ups"]]
    end = dt.date.fromisoformat(result["horizon_end"])
    assert len(dates) == horizon // rules.STAYED_CHECKIN_EVERY_MONTHS
    assert all(a < b for a, b in itertools.pairwise(dates))
    assert all(lost < day <= end for day in dates)
    # F2 (Reading): counted from the lost date, so the day of the month never drifts below a clamp.
    for k, day in enumerate(dates, start=1):
        assert day == rules.add_months(lost, k * rules.STAYED_CHECKIN_EVERY_MONTHS)
        assert day.day == lost.day or (day.day < lost.day and (day + dt.timedelta(days=1)).day == 1)


@given(lost=st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31)), horizon=st.integers(1, 60))
def test_competitor_is_one_check_in_nine_months_on(lost, horizon):
    dates = run(loss_reason=COMPETITOR, lost_date=lost.isoformat(), horizon_months=horizon)["result"]["follow_ups"]
    assert dates == [rules.add_months(lost, rules.COMPETITOR_CHECKIN_MONTHS).isoformat()]
