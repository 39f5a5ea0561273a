"""Properties of run() that must hold for any input at all (hypothesis)."""

from __future__ import annotations

import datetime as dt
import itertools
import json

from hypothesis import given, settings
from hypothesis import strategies as st

import calculators

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)
form_strings = st.sampled_from(
    [
        "",
        "0",
        "19,999",
        "20000",
        "45,000",
        "$60,000",
        "250001",
        "-1",
        "true",
        "on",
        "false",
        "2026-01-31",
        "2028-02-29",
        "2027-02-29",
        "1e9",
        "NaN",
        "Infinity",
    ]
)
field_names = st.sampled_from(
    sorted({field["name"] for name in calculators.names() for field in calculators.describe(name)["fields"]})
)
inputs = st.dictionaries(field_names | st.text(max_size=8), json_values | form_strings, max_size=12)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(calculators.names()) | json_values, inputs=inputs | json_values)
def test_run_never_raises_and_is_json(name, inputs):
    out = calculators.run(name, inputs)
    assert json.loads(json.dumps(out, allow_nan=False)) == out
    assert out["ok"] in (True, False)
    if out["ok"]:
        assert set(out) == {"ok", "calculator", "result", "reasons"}
    else:
        assert out["errors"] and all(isinstance(message, str) and message for message in out["errors"].values())


money = st.floats(min_value=0, max_value=1e9, allow_nan=False)


@given(low=money, high=money)
def test_trial_days_never_shrink_as_value_grows(low, high):
    low, high = sorted((low, high))
    days = [calculators.run("trial-length", {"annual_value": v})["result"]["trial_days"] for v in (low, high)]
    assert days[0] <= days[1]


@given(
    value=money,
    close=st.dates(dt.date(1990, 1, 1), dt.date(2150, 12, 31)),
    horizon=st.integers(1, 36),
    interval=st.sampled_from([1, 2]),
)
def test_checkins_strictly_ascending_inside_the_horizon(value, close, horizon, interval):
    out = calculators.run(
        "checkin-cadence",
        {"annual_value": value, "close_date": close.isoformat(), "horizon_months": horizon, "interval_weeks": interval},
    )
    dates = [dt.date.fromisoformat(day) for day in out["result"]["checkins"]]
    end = dt.date.fromisoformat(out["result"]["horizon_end"])
    assert all(a < b for a, b in itertools.pairwise(dates))
    assert all(close < day <= end for day in dates)
