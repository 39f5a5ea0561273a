"""What the prose quotes: every reference and table comes from the rules."""

from __future__ import annotations

import pytest

from calculators import references, rules


@pytest.mark.parametrize(
    ("key", "constant", "text"),
    [
        ("T1", rules.SALES_ASSIST_THRESHOLD, "$20,000"),
        ("T2", rules.LARGE_DEAL_VALUE, "$250,000"),
        ("T4", rules.TRIAL_BAND_EDGE, "$60,000"),
        ("T5", rules.PRODUCT_LED_FIRST_BILL, "$500"),
        ("T7", rules.OUTBOUND_BIG_COMPANY_EMPLOYEES, "1,000"),
        ("L2.days", rules.SHORT_TRIAL_DAYS, "14"),
        ("L3.weeks", rules.LONG_TRIAL_DAYS // 7, "4"),
        ("D1.of", len(rules.LARGE_DEAL_CRITERIA), "4"),
        ("Q8.credits_pct", rules.STARTUP_CREDITS_MOST_PCT, "50%"),
    ],
)
def test_reference_text(key, constant, text):
    assert references.values()[key] == text
    assert f"{constant:,}" in text


def test_every_value_is_text():
    assert all(isinstance(text, str) and text for text in references.values().values())


@pytest.mark.parametrize(
    "name", ["trial-length", "checkin-cadence", "large-deal-criteria", "product-led-triggers", "closed-lost-follow-ups"]
)
def test_tables_are_rectangular(name):
    header, rows = references.tables()[name]
    assert rows and all(len(row) == len(header) for row in rows)


def test_tables_follow_a_changed_constant(monkeypatch):
    monkeypatch.setattr(rules, "SHORT_TRIAL_DAYS", 10)
    _header, rows = references.tables()["trial-length"]
    assert ("$20,000 up to (not including) $60,000", "10 days", "L2") in rows
    assert references.values()["L2.days"] == "10"
