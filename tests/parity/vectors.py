"""One shared set of input vectors for the parity test: boundaries, odd strings, errors."""

from __future__ import annotations

VECTORS = (
    [
        {"calculator": "trial-length", "inputs": {"annual_value": value, "start_date": "2028-02-22"}}
        for value in (0, 19_999, "20,000", 59_999, "$60,000", 250_001, "x", -1, None)
    ]
    + [
        {
            "calculator": "checkin-cadence",
            "inputs": {"annual_value": value, "close_date": day, "interval_weeks": weeks, "horizon_months": horizon},
        }
        for value, day, weeks, horizon in [
            (19_999, "2026-01-31", 2, 12),
            (20_000, "2026-01-31", 2, 12),
            (60_000, "2028-01-31", 1, 36),
            (59_999, "2028-02-29", "2", "7"),
            (80_000, "2026-13-01", 2, 12),
            (80_000, "2026-01-01", 3, 0),
        ]
    ]
    + [
        {"calculator": "large-deal", "inputs": inputs}
        for inputs in (
            {"annual_value": 250_000, "procurement_months": 2.9},
            {"annual_value": 250_001, "procurement_months": 3, "wants_new_features": "on", "pays_by_check": "true"},
            {"annual_value": "1e6", "procurement_months": "NaN"},
        )
    ]
    + [
        {"calculator": "lead-qualification", "inputs": inputs}
        for inputs in (
            {"annual_value": 45_000, "engineers_on_call": True},
            {
                "annual_value": 45_000,
                "technical_capability": "yes",
                "engineers_will_be_involved": "yes",
                "product_fit": "yes",
            },
            {
                "annual_value": 5_000,
                "active_subscription": True,
                "forecast_first_bill": "500",
                "lead_score": 20,
                "employees": 50,
                "org_users": 5,
                "sending_events": True,
                "startup_credits_used_pct": "50.5",
                "significant_spend_expected": 1,
            },
            {"annual_value": 100_000, "startup_plan_eligible": True, "burns_credits_fast": "off"},
            {"annual_value": [1], "employees": {"a": 1}, "subscribed": "maybe"},
        )
    ]
    + [
        {"calculator": "no-such-calculator", "inputs": {}},
        {"calculator": "trial-length", "inputs": ["not", "an", "object"]},
        {"calculator": None, "inputs": None},
    ]
)
