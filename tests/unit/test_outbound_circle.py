"""outbound-circle: the seven circles (O1), warm or cold (O2), and circle-4 signals (O3, T7)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import calculators
from calculators import rules

TAM = "Technical Account Manager"
TAE = "Technical Account Executive"
USING = {"signed_up": True, "actively_using": True}


def run(**inputs):
    out = calculators.run("outbound-circle", inputs)
    assert out["ok"], out
    return out


@pytest.mark.parametrize(
    ("rule", "inputs", "circle", "warmth", "owner"),
    [
        # O1 (Reading): "paying a lot" starts at T1 a year.
        ("O1", {"paying": True, "annual_spend": 20_000}, 1, "warm", TAM),
        ("O1", {"paying": True, "annual_spend": "$1,000,000"}, 1, "warm", TAM),
        ("O1", {"paying": True, "annual_spend": 19_999}, 2, "warm", TAM),
        ("O1", {"paying": True, "annual_spend": 19_999.99}, 2, "warm", TAM),
        ("O1", {"paying": True}, 2, "warm", TAM),
        # Spend is read only for paying accounts.
        ("O1", {"annual_spend": 50_000}, 7, "cold", TAE),
        # Paying beats every further circle.
        ("O1", {"paying": True, "annual_spend": 5, "engaged_or_high_icp": True, **USING}, 2, "warm", TAM),
        # O1/O2: circle 3 is the last warm one: using, with good engagement or a strong ICP match, not paying.
        ("O2", {"engaged_or_high_icp": True, **USING}, 3, "warm", TAM),
        # Reading (O1): anything else signed up and not paying is circle 4, the first cold one.
        ("O2", {"signed_up": True}, 4, "cold", TAE),
        ("O1", USING, 4, "cold", TAE),
        ("O1", {"signed_up": True, "engaged_or_high_icp": True}, 4, "cold", TAE),
        ("O1", {"signed_up": True, "used_before_at_previous_company": True, "heard_of_us": True}, 4, "cold", TAE),
        # Not signed up: engagement or ICP alone cannot make circle 3.
        ("O1", {"engaged_or_high_icp": True, "actively_using": True}, 7, "cold", TAE),
        ("O1", {"used_before_at_previous_company": True}, 5, "cold", TAE),
        ("O1", {"used_before_at_previous_company": True, "heard_of_us": True}, 5, "cold", TAE),
        ("O1", {"heard_of_us": True}, 6, "cold", TAE),
        ("O1", {"heard_of_us": True, "engaged_or_high_icp": True}, 6, "cold", TAE),
        ("O1", {}, 7, "cold", TAE),
    ],
)
def test_circle(rule, inputs, circle, warmth, owner):
    out = run(**inputs)
    result = out["result"]
    assert (result["circle"], result["warmth"], result["owner"]) == (circle, warmth, owner)
    assert result["description"] == rules.OUTBOUND_CIRCLES[circle - 1]
    assert [reason["rule"] for reason in out["reasons"]][:2] == ["O1", "O2"]


def test_o1_reading_splits_paying_at_t1():
    assert rules.OUTBOUND_PAYING_A_LOT_ANNUAL == rules.SALES_ASSIST_THRESHOLD == 20_000


@pytest.mark.parametrize(
    ("spend", "words"), [(20_000, "$20,000 a year is $20,000 or more"), (19_999, "is below $20,000")]
)
def test_o1_reason_states_the_split(spend, words):
    assert words in run(paying=True, annual_spend=spend)["reasons"][0]["text"]


@pytest.mark.parametrize(
    ("circle", "warmth", "owner"),
    [
        (1, "warm", TAM),
        (2, "warm", TAM),
        (3, "warm", TAM),
        (4, "cold", TAE),
        (5, "cold", TAE),
        (6, "cold", TAE),
        (7, "cold", TAE),
    ],
)
def test_o2_warm_up_to_circle_three(circle, warmth, owner):
    assert (rules.outbound_warmth(circle), rules.outbound_owner(circle)) == (warmth, owner)


@pytest.mark.parametrize(
    ("rule", "signals", "expected"),
    [
        # T7: 1,000 or more employees, before a card is added.
        ("T7", {"employees": 999}, []),
        ("T7", {"employees": 1_000}, ["big-company-no-card"]),
        ("T7", {"employees": "25,000"}, ["big-company-no-card"]),
        ("T7", {"employees": 1_000, "card_added": True}, []),
        ("T7", {"employees": 999, "card_added": True}, []),
        # O3: the other signals, each on its own.
        ("O3", {"engineering_headcount_growth": True}, ["engineering-headcount-growth"]),
        ("O3", {"recent_fundraise": "yes"}, ["recent-fundraise"]),
        ("O3", {"traffic_growth": True}, ["traffic-growth"]),
        ("O3", {"other_intent": 1}, ["other-intent"]),
        (
            "O3",
            {
                "employees": 5_000,
                "engineering_headcount_growth": True,
                "recent_fundraise": True,
                "traffic_growth": True,
                "other_intent": True,
            },
            [
                "big-company-no-card",
                "engineering-headcount-growth",
                "recent-fundraise",
                "traffic-growth",
                "other-intent",
            ],
        ),
    ],
)
def test_circle_four_signals(rule, signals, expected):
    out = run(signed_up=True, **signals)
    assert out["result"]["circle"] == 4
    assert out["result"]["signals"] == expected
    assert [reason["rule"] for reason in out["reasons"]] == ["O1", "O2", "O3", "T7"]
    assert ("No circle-4 lead signal" in out["reasons"][2]["text"]) is (not expected)


@pytest.mark.parametrize(
    ("signals", "words"),
    [
        ({"employees": 999}, "999 employees is below 1,000: company size is not a signal."),
        ({"employees": 1_000, "card_added": True}, "a card is already added"),
        ({"employees": 1_000}, "1,000 employees and no card yet"),
    ],
)
def test_t7_reason(signals, words):
    assert words in run(signed_up=True, **signals)["reasons"][3]["text"]


@pytest.mark.parametrize(
    "inputs", [{"paying": True}, {"engaged_or_high_icp": True, **USING}, {"heard_of_us": True}, {}]
)
def test_signals_only_count_in_circle_four(inputs):
    out = run(**inputs, employees=50_000, recent_fundraise=True, other_intent=True)
    assert out["result"]["circle"] != 4 and out["result"]["signals"] == []
    assert [reason["rule"] for reason in out["reasons"]] == ["O1", "O2"]


@pytest.mark.parametrize(
    ("inputs", "fields"),
    [
        ({"employees": -1}, ["employees"]),
        ({"employees": 2.5}, ["employees"]),
        ({"annual_spend": "lots"}, ["annual_spend"]),
        ({"paying": "maybe", "card_added": [True]}, ["card_added", "paying"]),
    ],
)
def test_bad_inputs_name_each_field(inputs, fields):
    out = calculators.run("outbound-circle", inputs)
    assert out["ok"] is False and sorted(out["errors"]) == fields


def test_circle_four_signals_fold_away_on_the_form():
    groups = {f["name"]: f["group"] for f in calculators.describe("outbound-circle")["fields"]}
    assert {name for name, group in groups.items() if group} == {
        "employees",
        "card_added",
        "engineering_headcount_growth",
        "recent_fundraise",
        "traffic_growth",
        "other_intent",
    }


flags = st.booleans()


@given(
    account=st.fixed_dictionaries(
        {
            "paying": flags,
            "annual_spend": st.floats(0, 1e7, allow_nan=False),
            "engaged_or_high_icp": flags,
            "signed_up": flags,
            "actively_using": flags,
            "used_before_at_previous_company": flags,
            "heard_of_us": flags,
            "employees": st.integers(0, 100_000),
            "card_added": flags,
            "engineering_headcount_growth": flags,
            "recent_fundraise": flags,
            "traffic_growth": flags,
            "other_intent": flags,
        }
    )
)
def test_every_account_lands_in_exactly_one_circle(account):
    result = run(**account)["result"]
    circle = result["circle"]
    assert 1 <= circle <= len(rules.OUTBOUND_CIRCLES)
    assert (result["warmth"] == "warm") is (circle <= rules.LAST_WARM_CIRCLE)
    assert result["owner"] == (TAM if circle <= 3 else TAE)
    assert (circle <= 2) is account["paying"]
    if circle > 2:
        assert (circle <= 4) is account["signed_up"]
    if result["signals"]:
        assert circle == 4
