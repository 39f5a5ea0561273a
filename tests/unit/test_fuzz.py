"""Fuzzing run(): at least 10,000 hostile inputs per calculator; `make fuzz` runs many more.

Whatever arrives (huge numbers, NaN and Infinity in any spelling, negative zero,
10 kB strings, nested lists, unicode), run() returns JSON and every error names
a field the rep can fix.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import calculators
from tests.helpers import FUZZ_EXAMPLES

hostile_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(),  # includes NaN, +/-Infinity and -0.0
    st.sampled_from(
        [
            "NaN",
            "nan",
            "-Infinity",
            "Infinity",
            "inf",
            "1e309",
            "-0",
            "-0.0",
            "0x10",
            "1_000",
            "٤٥٠٠٠",
            "４５０００",
            "45,000",
            "$45,000",
            "  ",
            "",
            "true",
            "off",
            "2028-02-29",
            "2027-02-29",
            "9999-12-31",
            "0001-01-01",
            "<img src=x onerror=alert(1)>",
            '"><script>alert(1)</script>',
            "\u202e\u0000\ud7ff",
            "😀" * 10,
        ]
    ),
    st.text(max_size=30),
    # 10 kB strings: a paste gone wrong.
    st.text(min_size=1, max_size=12).map(lambda text: (text * 10_000)[:10_000]),
)
hostile = st.recursive(
    hostile_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def inputs_for(name: str):
    fields = [field["name"] for field in calculators.describe(name)["fields"]]
    return st.dictionaries(st.sampled_from(fields) | st.text(max_size=12), hostile, max_size=len(fields) + 2)


@pytest.mark.fuzz
@pytest.mark.parametrize("name", calculators.names())
def test_fuzz_run(name):
    fields = {field["name"] for field in calculators.describe(name)["fields"]}

    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(inputs=inputs_for(name) | hostile)
    def check(inputs):
        out = calculators.run(name, inputs)
        text = json.dumps(out, allow_nan=False)  # strict JSON: no NaN or Infinity anywhere
        assert json.loads(text) == out
        assert out["calculator"] == name
        if out["ok"]:
            assert out["reasons"] and all(r["rule"] and r["text"] and r["source"] for r in out["reasons"])
        else:
            assert out["errors"]
            for field, message in out["errors"].items():
                assert field in fields or field == "inputs", field
                assert isinstance(message, str) and 0 < len(message) < 400
                assert "Traceback" not in message

    check()


def test_negative_zero_and_huge_values_are_handled():
    out = calculators.run("trial-length", {"annual_value": -0.0})
    assert out["ok"] and out["result"]["trial_days"] == 0
    assert "-0" not in json.dumps(out)
    assert calculators.run("trial-length", {"annual_value": 10**400})["errors"]["annual_value"]
    assert calculators.run("trial-length", {"annual_value": math.inf})["errors"]["annual_value"]
