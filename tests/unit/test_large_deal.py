"""large-deal: D1 (with T2 and T3 at their edges), D2 and D3 red flags."""

from __future__ import annotations

import pytest

import calculators
from calculators import rules

BASE = {"annual_value": 0, "procurement_months": 0}


@pytest.mark.parametrize(
    ("rule", "inputs", "criteria"),
    [
        ("T2", {"annual_value": 250_000}, []),
        ("T2", {"annual_value": 250_001}, ["size"]),
        ("T3", {"procurement_months": 2.9}, []),
        ("T3", {"procurement_months": 3}, ["procurement"]),
        ("D1", {"wants_new_features": "on"}, ["new-features"]),
        ("D1", {"non_engineer_stakeholders": "true"}, ["stakeholders"]),
    ],
)
def test_each_criterion_at_its_edge(rule, inputs, criteria):
    out = calculators.run("large-deal", {**BASE, **inputs})
    assert out["result"]["criteria"] == criteria
    assert out["result"]["criteria_met"] == len(criteria)


@pytest.mark.parametrize(
    ("inputs", "met", "large"),
    [
        ({"annual_value": 250_001, "procurement_months": 3}, 2, False),
        ({"annual_value": 250_001, "procurement_months": 3, "wants_new_features": True}, 3, True),
        (
            {
                "annual_value": 250_000,
                "procurement_months": 2.9,
                "wants_new_features": True,
                "non_engineer_stakeholders": True,
            },
            2,
            False,
        ),
        (
            {
                "annual_value": 1e6,
                "procurement_months": 12,
                "wants_new_features": True,
                "non_engineer_stakeholders": True,
            },
            4,
            True,
        ),
    ],
)
def test_d1_three_of_four(inputs, met, large):
    result = calculators.run("large-deal", inputs)["result"]
    assert (result["criteria_met"], result["is_large"]) == (met, large)
    assert rules.is_large_deal(met) is large


@pytest.mark.parametrize(
    ("field", "flag", "rule"),
    [(field, short, "D2") for field, short, _ in rules.PRINCIPLE_FLAGS]
    + [(field, short, "D3") for field, short, _ in rules.COMMERCIAL_FLAGS],
)
def test_each_red_flag(field, flag, rule):
    out = calculators.run("large-deal", {**BASE, field: True})
    assert out["result"]["red_flags"] == [flag]
    assert [reason["rule"] for reason in out["reasons"]] == ["D1", rule]
    assert "red flag" in out["result"]["verdict"]


@pytest.mark.parametrize(
    ("inputs", "words"),
    [
        ({"annual_value": 300_000, "procurement_months": 4, "wants_new_features": True}, "involve the team early"),
        (
            {
                "annual_value": 300_000,
                "procurement_months": 4,
                "wants_new_features": True,
                "pays_by_check": True,
                "margin_negative": True,
            },
            "2 red flags: be ready to walk away",
        ),
        (
            {"annual_value": 300_000, "procurement_months": 4, "wants_new_features": True, "pays_by_check": True},
            "1 red flag: be ready to walk away",
        ),
        ({"annual_value": 10}, "no red flags"),
        ({"annual_value": 10, "contract_buyout": True, "year_one_ratchet": True}, "2 red flags to resolve"),
    ],
)
def test_verdict_is_one_plain_sentence(inputs, words):
    verdict = calculators.run("large-deal", inputs)["result"]["verdict"]
    assert words in verdict and verdict.endswith(".") and verdict.count(". ") == 0


def test_procurement_must_not_be_negative():
    out = calculators.run("large-deal", {"annual_value": 1, "procurement_months": -0.5})
    assert list(out["errors"]) == ["procurement_months"]
