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
    + [
        {"calculator": "follow-ups", "inputs": {"loss_reason": reason, "lost_date": day, "horizon_months": horizon}}
        for reason, day, horizon in [
            ("went with a competitor", "2027-05-31", 24),
            ("went with a competitor", "2026-01-15", "1"),
            ("stayed with current setup", "2026-08-31", 24),
            ("stayed with current setup", "2028-02-29", "60"),
            ("stayed with current setup", "2026-01-15", 5),
            ("product/feature gap", "2026-01-15", None),
            ("security/privacy concerns", "2026-01-15", None),
            ("don't know (went silent)", "2026-01-15", None),
            ("lost interest", "2027-02-29", 61),
        ]
    ]
    + [
        {"calculator": "rfp-triage", "inputs": inputs}
        for inputs in (
            {"solicited": True, "opportunity_qualified": True, "annual_value": 20_000, "questions": 500},
            {"solicited": "on", "opportunity_qualified": "on", "annual_value": "19,999", "questions": "500"},
            {"solicited": True, "opportunity_qualified": True, "annual_value": 19_999, "questions": 50},
            {"prior_contact_or_usage": True, "annual_value": 45_000},
            {"annual_value": 45_000, "still_compelling": True, "recent_signups_at_company": True},
            {"annual_value": 5_000, "still_compelling": True, "questions": 499},
            {"annual_value": 5_000, "still_compelling": True, "sender_agrees_to_call": "false"},
            {"annual_value": None, "questions": 0, "solicited": "maybe"},
        )
    ]
    + [
        {"calculator": "outbound-circle", "inputs": inputs}
        for inputs in (
            {"paying": True, "annual_spend": "20,000"},
            {"paying": True, "annual_spend": 19_999},
            {"signed_up": True, "actively_using": True, "engaged_or_high_icp": True},
            {"signed_up": True, "employees": 1_000, "recent_fundraise": "yes", "other_intent": 1},
            {"signed_up": True, "employees": "999", "card_added": False, "traffic_growth": True},
            {"signed_up": True, "employees": 1_000, "card_added": True},
            {"used_before_at_previous_company": True, "heard_of_us": True},
            {"heard_of_us": True},
            {},
            {"employees": -1, "annual_spend": "lots"},
        )
    ]
    + [
        {"calculator": "product-led", "inputs": inputs}
        for inputs in (
            {"annual_value": 20_000, "active_subscription": True, "forecast_first_bill": 500},
            {"annual_value": "19,999", "active_subscription": "on", "forecast_first_bill": "499"},
            {"annual_value": 5_000, "lead_score": 20, "employees": 50, "org_users": 5, "sending_events": True},
            {"annual_value": 5_000, "lead_score": 20, "employees": 50, "org_users": 4, "sending_events": True},
            {"annual_value": 80_000, "startup_credits_used_pct": "50.1", "significant_spend_expected": "yes"},
            {"annual_value": 80_000, "startup_credits_used_pct": 50, "significant_spend_expected": True},
            {"annual_value": [1], "startup_credits_used_pct": 101},
        )
    ]
)
