"""What the handbook's prose and tables quote from the rules.

Pages write ``[[rule:T1]]`` or ``[[table:trial-length]]``; the Markdown extension
(plugins/handbook_calculators/extension.py) replaces them at build time with the text
below, so a page can never state a threshold that differs from :mod:`calculators.rules`.
"""

from __future__ import annotations

import re

from . import rules
from .reasons import usd

#: A reference as pages write it: its kind ("rule" or "table") and key. The extension's
#: patterns (handbook_calculators/references.py) and ``calculators impact`` read this syntax.
SYNTAX = re.compile(r"\[\[\s*(rule|table):\s*([A-Za-z0-9_.-]+)\s*\]\]")


def values() -> dict[str, str]:
    """Every inline reference key and the text it renders as."""
    r = rules
    return {
        "T1": usd(r.SALES_ASSIST_THRESHOLD),
        "T2": usd(r.LARGE_DEAL_VALUE),
        "T3": f"{r.LARGE_DEAL_PROCUREMENT_MONTHS} months",
        "T4": usd(r.TRIAL_BAND_EDGE),
        "T5": usd(r.PRODUCT_LED_FIRST_BILL),
        "T6.lead_score": str(r.PRODUCT_LED_LEAD_SCORE),
        "T6.employees": str(r.PRODUCT_LED_EMPLOYEES),
        "T6.org_users": str(r.PRODUCT_LED_ORG_USERS),
        "T7": f"{r.OUTBOUND_BIG_COMPANY_EMPLOYEES:,}",
        "L2.days": str(r.SHORT_TRIAL_DAYS),
        "L2.weeks": str(r.SHORT_TRIAL_DAYS // 7),
        "L3.days": str(r.LONG_TRIAL_DAYS),
        "L3.weeks": str(r.LONG_TRIAL_DAYS // 7),
        "L4.days": str(r.PRICING_REVIEW_AFTER_DAYS),
        "L5.days": str(r.WRAP_UP_BEFORE_END_DAYS),
        "C1.interval_min_weeks": str(min(r.HIGH_TOUCH_INTERVAL_WEEKS)),
        "C1.interval_max_weeks": str(max(r.HIGH_TOUCH_INTERVAL_WEEKS)),
        "C1.months": str(r.HIGH_TOUCH_MONTHS),
        "C2.months": str(r.STANDARD_MONTHLY_MONTHS),
        "C2.then_every_months": str(r.STANDARD_THEN_EVERY_MONTHS),
        "C3.contract_type": r.MONTHLY_CONTRACT_TYPE,
        "C4.days": str(r.ONBOARDING_PLAN_DAYS),
        "C6.horizon_months": str(r.DEFAULT_HORIZON_MONTHS),
        "D1.needed": str(r.LARGE_DEAL_CRITERIA_NEEDED),
        "D1.of": str(len(r.LARGE_DEAL_CRITERIA)),
        "F2.competitor_months": str(r.COMPETITOR_CHECKIN_MONTHS),
        "F2.stayed_months": str(r.STAYED_CHECKIN_EVERY_MONTHS),
        "Q8.credits_pct": f"{r.STARTUP_CREDITS_MOST_PCT}%",
        "Q4.discovery_minutes": str(r.DISCOVERY_CALL_MINUTES),
        "Q11.big_questionnaire": str(r.BIG_QUESTIONNAIRE_QUESTIONS),
        "Q11.small_questionnaire": str(r.SMALL_QUESTIONNAIRE_QUESTIONS),
        "O1.circles": str(len(r.OUTBOUND_CIRCLES)),
        "O2.last_warm_circle": str(r.LAST_WARM_CIRCLE),
        "O2.first_cold_circle": str(r.LAST_WARM_CIRCLE + 1),
        "O3.short_days": str(min(r.HEADCOUNT_GROWTH_WINDOWS_DAYS)),
        "O3.long_days": str(max(r.HEADCOUNT_GROWTH_WINDOWS_DAYS)),
        "F2.horizon_months": str(r.DEFAULT_FOLLOW_UP_HORIZON_MONTHS),
        "O1.paying_a_lot": usd(r.OUTBOUND_PAYING_A_LOT_ANNUAL),
    }


Table = tuple[tuple[str, ...], list[tuple[str, ...]]]


def tables() -> dict[str, Table]:
    """Every generated table: (header, rows), each cell plain text."""
    r = rules
    t1, t4 = usd(r.SALES_ASSIST_THRESHOLD), usd(r.TRIAL_BAND_EDGE)
    weeks = "-".join(str(n) for n in r.HIGH_TOUCH_INTERVAL_WEEKS)
    return {
        "trial-length": (
            ("Expected annual value", "Trial", "Rule"),
            [
                (f"below {t1}", "no sales-led trial: self-serve", "L1"),
                (f"{t1} up to (not including) {t4}", f"{r.SHORT_TRIAL_DAYS} days", "L2"),
                (f"{t4} or more", f"{r.LONG_TRIAL_DAYS} days", "L3"),
            ],
        ),
        "checkin-cadence": (
            ("Annual value", "Tier", "Check-ins", "Rule"),
            [
                (
                    f"{t4} or more",
                    r.TIER_HIGH_TOUCH,
                    f"every {weeks} weeks for the first {r.HIGH_TOUCH_MONTHS} months, then monthly",
                    "C1",
                ),
                (
                    f"{t1} up to (not including) {t4}",
                    r.TIER_STANDARD,
                    f"monthly for the first {r.STANDARD_MONTHLY_MONTHS} months, then every "
                    f"{r.STANDARD_THEN_EVERY_MONTHS} months",
                    "C2",
                ),
                (
                    f"below {t1} (month-to-month)",
                    r.TIER_MONTHLY,
                    f'none scheduled; contract type "{r.MONTHLY_CONTRACT_TYPE}"',
                    "C3",
                ),
            ],
        ),
        "large-deal-criteria": (
            ("Criterion", "Rule"),
            [(words, "D1") for _, words in r.LARGE_DEAL_CRITERIA]
            + [
                (f"Large when at least {r.LARGE_DEAL_CRITERIA_NEEDED} of these {len(r.LARGE_DEAL_CRITERIA)} hold", "D1")
            ],
        ),
        "product-led-triggers": (
            ("Trigger", "When (any one is enough)", "Rule"),
            [
                (
                    r.TRIGGER_SUBSCRIPTION_BILL,
                    f"an active subscription and a forecast first bill of {usd(r.PRODUCT_LED_FIRST_BILL)} or more",
                    "Q8",
                ),
                (
                    r.TRIGGER_ENGAGED_SIGNUP,
                    f"lead score {r.PRODUCT_LED_LEAD_SCORE} or more, {r.PRODUCT_LED_EMPLOYEES} or more employees, "
                    f"more than {r.PRODUCT_LED_ORG_USERS} users in the organisation, sending events, "
                    "not yet subscribed",
                    "Q8",
                ),
                (
                    r.TRIGGER_STARTUP_CREDITS,
                    f"more than {r.STARTUP_CREDITS_MOST_PCT}% of the startup credits used and significant spend "
                    "expected after the programme",
                    "Q8",
                ),
            ],
        ),
        "outbound-circles": (
            ("Circle", "Who is in it", "Kind", "Owned by", "Rule"),
            [
                (str(number), words, r.outbound_warmth(number), r.outbound_owner(number) + "s", "O1, O2")
                for number, words in enumerate(r.OUTBOUND_CIRCLES, start=1)
            ],
        ),
        "closed-lost-follow-ups": (
            ("Why we lost", "When to get back in touch", "Rule"),
            [
                ("went with a competitor", f"check in after {r.COMPETITOR_CHECKIN_MONTHS} months", "F2"),
                ("product/feature gap", "when the feature is built", "F2"),
                ("security/privacy concerns", "when the certification is obtained", "F2"),
                ("stayed with current setup", f"check in every {r.STAYED_CHECKIN_EVERY_MONTHS} months", "F2"),
            ],
        ),
    }
