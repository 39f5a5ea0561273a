"""The sales rules: every threshold and decision of the handbook, named once.

This module is the single source of truth. The handbook prose, its generated
tables, the calculator forms and defaults, the command line and the tests all
read the numbers below; nothing else in the project types a rule-owned number.
Each name cites its rule id from ``shared/RULES.md`` (T1, L2, C6, ...).

Standard library only and no I/O, so it runs unchanged in CPython 3.11+ and in
Pyodide in the reader's browser.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Iterator

# Every rule-owned number is annotated with its unit, so that the check keeping typed
# numbers out of the handbook's prose knows how a page would write it ("14 days", "$20,000")
# and covers a new threshold the day it is added (tests/site/test_handbook.py).
Usd = int  # US dollars a year (annual contract value / ARR)
Days = int
Weeks = int
Months = int
Minutes = int
Percent = int
Count = int  # a number of things: employees, questions, criteria, circles
Limit = int  # a form's bound on a reader's input, not a rule the handbook states

# ---------------------------------------------------------------------------
# Thresholds (money is annual contract value / ARR in US dollars)
# ---------------------------------------------------------------------------

#: T1 - sales works with customers who pay, or could pay, this much a year or more.
SALES_ASSIST_THRESHOLD: Usd = 20_000
#: T2 - a deal is "large" by size when it is MORE than this a year.
LARGE_DEAL_VALUE: Usd = 250_000
#: T3 - a procurement process of this many months or more counts towards "large".
LARGE_DEAL_PROCUREMENT_MONTHS: Months = 3
#: T4 - trial band edge. Reading: [T1, T4) is the lower band, >= T4 the upper.
TRIAL_BAND_EDGE: Usd = 60_000
#: T5 - product-led trigger: a forecast first bill of this much or more.
PRODUCT_LED_FIRST_BILL: Usd = 500
#: T6 - product-led trigger: lead score of at least this ...
PRODUCT_LED_LEAD_SCORE: Count = 20
#: T6 - ... and at least this many employees ...
PRODUCT_LED_EMPLOYEES: Count = 50
#: T6 - ... and MORE than this many users in the organisation.
PRODUCT_LED_ORG_USERS: Count = 4
#: T7 - outbound circle-4 signal: a company this big before a card is added.
OUTBOUND_BIG_COMPANY_EMPLOYEES: Count = 1_000

# ---------------------------------------------------------------------------
# Lead qualification (Q1-Q12)
# ---------------------------------------------------------------------------

#: Q1 - the three questions a below-threshold lead answers to still get a demo.
DEMO_QUESTIONS = ("tech stack", "products of interest", "their questions")
#: Q4, Q9 - length of the discovery call (minutes).
DISCOVERY_CALL_MINUTES: Minutes = 30
#: Q7 - ideal customer profile: shown to the rep, never a gate.
IDEAL_CUSTOMER_PROFILE = (
    "needs to excel at product-led growth",
    "has budget, and engineers are the decision makers",
    "has product-market fit",
    "sells to businesses",
)
#: Q8 (c) - Reading: "most of the startup credits" means MORE than this percentage.
STARTUP_CREDITS_MOST_PCT: Percent = 50
#: Q11 - a questionnaire this large is not worth answering below T1 ...
BIG_QUESTIONNAIRE_QUESTIONS: Count = 500
#: Q11 - ... and even one this small may not be.
SMALL_QUESTIONNAIRE_QUESTIONS: Count = 50

#: Q12 - the routes, in the order the route decision tries them.
ROUTE_QUALIFY_OUT = "qualify-out"
ROUTE_STARTUP_PLAN = "startup-plan"
ROUTE_SELF_SERVE = "self-serve"
ROUTE_SALES_LED = "sales-led"
ROUTE_NURTURE = "nurture"

#: Q8 - names of the product-led triggers, (a), (b) and (c).
TRIGGER_SUBSCRIPTION_BILL = "subscription-bill"
TRIGGER_ENGAGED_SIGNUP = "engaged-signup"
TRIGGER_STARTUP_CREDITS = "startup-credits"

#: Q9 - how to reach out to a product-led lead: a discovery call at T1 or more, else educate.
OUTREACH_DISCOVERY_CALL = "discovery-call"
OUTREACH_EDUCATE = "educate"

#: Q11 - what to do with an RFP.
RFP_PROCEED = "proceed"
RFP_DECLINE = "decline"
RFP_CONTACT_SIGNUPS = "contact-signups"
RFP_ASK_FOR_CALL = "ask-for-call"
#: Q11 - why the RFP triage decided as it did (the step that settled it).
RFP_STEP_QUALIFIED = "qualified"
RFP_STEP_NOT_QUALIFIED = "not-qualified"
RFP_STEP_NOT_WORTH_IT = "not-worth-it"
RFP_STEP_NOT_COMPELLING = "not-compelling"
RFP_STEP_SIGNUPS = "signups"
RFP_STEP_CALL = "call"
RFP_STEP_NO_CALL = "no-call"

# ---------------------------------------------------------------------------
# Trials (L1-L6)
# ---------------------------------------------------------------------------

#: L1 - below T1 there is no sales-led trial.
NO_TRIAL_DAYS: Days = 0
#: L2 - T1 <= value < T4: a two-week trial.
SHORT_TRIAL_DAYS: Days = 14
#: L3 - value >= T4: a four-week trial.
LONG_TRIAL_DAYS: Days = 28
#: L4 - after this many days of data, price from actual usage and share it.
PRICING_REVIEW_AFTER_DAYS: Days = 7
#: L5 - this many days before the trial ends, hold the wrap-up call.
WRAP_UP_BEFORE_END_DAYS: Days = 7
#: L6 - example success criteria by product, agreed at the start of a trial.
SUCCESS_CRITERIA = {
    "Product/web analytics + session replay": (
        "tracking set up",
        "replay turned on",
        "privacy controls configured",
        "user identification worked out",
        "insights and dashboards set up",
    ),
    "Feature flags + experiments": (
        "snippet installed",
        "a flag in the code",
        "person ID and properties for targeting",
        "a flag deployed",
        "an experiment run",
    ),
    "Surveys": ("a survey deployed", "the results viewed and analysed"),
    "Data warehouse": (
        "the warehouse set up",
        "at least one data source synced, or extra person data pulled in to enrich an insight",
    ),
}

# ---------------------------------------------------------------------------
# Check-ins after closing (C1-C6)
# ---------------------------------------------------------------------------

TIER_HIGH_TOUCH = "high-touch"
TIER_STANDARD = "standard"
TIER_MONTHLY = "monthly"
#: C1 - high touch: a check-in every 1 to 2 weeks ...
HIGH_TOUCH_INTERVAL_WEEKS: tuple[Weeks, Weeks] = (1, 2)
#: C6 - ... every 2 weeks unless the rep picks 1.
DEFAULT_INTERVAL_WEEKS: Weeks = 2
#: C1 - ... for this many months after closing, then monthly.
HIGH_TOUCH_MONTHS: Months = 6
#: C2 - standard: monthly for this many months ...
STANDARD_MONTHLY_MONTHS: Months = 3
#: C2 - ... then every this many months (quarterly).
STANDARD_THEN_EVERY_MONTHS: Months = 3
#: C3 - below T1 the deal is closed-won with this contract type, no cadence.
MONTHLY_CONTRACT_TYPE = "Monthly Contract"
#: C4 - the onboarding plan goes out within this many days of signing.
ONBOARDING_PLAN_DAYS: Days = 7
#: C4 - what the onboarding plan covers.
ONBOARDING_PLAN_TOPICS = ("billing and credits", "regular check-ins", "training")
#: C4 - the minimum a customer should know how to do.
ONBOARDING_CHECKLIST = (
    "actions",
    "cohorts",
    "data taxonomy",
    "notebooks",
    "activity log",
    "internal and test user filtering",
)
#: C5 - closed-won means signed by everyone; these are NOT closed.
NOT_YET_CLOSED = ("about to sign", "sent for signature")
#: C6 - the schedule runs this many months after closing unless asked otherwise ...
DEFAULT_HORIZON_MONTHS: Months = 12
#: C6 - ... and never more than this many (nor fewer than one).
MIN_HORIZON_MONTHS: Limit = 1
MAX_HORIZON_MONTHS: Limit = 36

# ---------------------------------------------------------------------------
# Large deals (D1-D3)
# ---------------------------------------------------------------------------

#: D1 - the four criteria of a large deal (id, plain words).
LARGE_DEAL_CRITERIA = (
    ("procurement", f"a procurement process of {LARGE_DEAL_PROCUREMENT_MONTHS} months or more"),
    ("new-features", "the customer wants new features built"),
    ("stakeholders", "several stakeholders, some of them not engineers"),
    ("size", f"more than ${LARGE_DEAL_VALUE:,} a year"),
)
#: D1 - Reading: "most of these" means at least this many of the four.
LARGE_DEAL_CRITERIA_NEEDED: Count = 3
#: D2 - principles; breaking one is a red flag (field name, short name, words).
PRINCIPLE_FLAGS = (
    (
        "contracted_deliverables",
        "contracted-deliverables",
        "contracted deliverables: we never sign up to deliver features",
    ),
    (
        "sole_user_feature",
        "sole-user-feature",
        "a feature built for this customer alone: build only what others will use too",
    ),
    ("change_requests_before_trial", "changes-before-trial", "changes asked for before trying the product"),
)
#: D2 - the fourth principle, which is a stance rather than a flag.
WALK_AWAY = "be ready to walk away"
#: D3 - commercial red flags (field name, short name, words).
COMMERCIAL_FLAGS = (
    ("margin_negative", "margin-negative", "margin-negative pricing"),
    ("contract_buyout", "contract-buyout", "buying the customer out of an existing contract"),
    ("year_one_ratchet", "year-one-ratchet", "a cheap first year followed by a price ratchet"),
    ("pays_by_check", "pays-by-check", "payment by check"),
)

# ---------------------------------------------------------------------------
# Closed - lost (F1-F2)
# ---------------------------------------------------------------------------

#: F1 - the reasons a rep records for a lost deal.
LOSS_REASONS = (
    "product/feature gap",
    "performance concerns",
    "security/privacy concerns",
    "pricing",
    "stayed with current setup",
    "champion left",
    "business restructured or disappeared",
    "don't know (went silent)",
)
#: F2 - went with a competitor: check in again after this many months.
COMPETITOR_CHECKIN_MONTHS: Months = 9
#: F2 - stayed with their current setup: check in every this many months.
STAYED_CHECKIN_EVERY_MONTHS: Months = 6
#: F2 - the follow-up case that is not one of the F1 reasons: they went with a competitor.
LOSS_COMPETITOR = "went with a competitor"
#: F2 - the F1 reasons that carry a follow-up (each is one of LOSS_REASONS).
LOSS_FEATURE_GAP = "product/feature gap"
LOSS_SECURITY_PRIVACY = "security/privacy concerns"
LOSS_STAYED_WITH_SETUP = "stayed with current setup"
#: F1, F2 - every answer the follow-up planner accepts, the competitor case first.
FOLLOW_UP_LOSS_REASONS = (LOSS_COMPETITOR, *LOSS_REASONS)
#: F2 - the planner lists the repeating check-ins this many months ahead unless asked otherwise ...
DEFAULT_FOLLOW_UP_HORIZON_MONTHS: Months = 24
#: F2 - ... and never more than this many (nor fewer than one).
MIN_FOLLOW_UP_HORIZON_MONTHS: Limit = 1
MAX_FOLLOW_UP_HORIZON_MONTHS: Limit = 60

# ---------------------------------------------------------------------------
# Outbound (O1-O4)
# ---------------------------------------------------------------------------

#: O1 - the seven circles, from closest to furthest.
OUTBOUND_CIRCLES = (
    "paying a lot",
    "paying a little",
    "engaged or high ICP, not paying",
    "signed up, not really using",
    "used it before, now at a company that doesn't",
    "not signed up, has heard of us",
    "never heard of us",
)
#: O2 - circles up to this one are warm (Technical Account Managers); the rest cold
#: (Technical Account Executives, who also own inbound).
LAST_WARM_CIRCLE: Count = 3
WARM_OWNER = "Technical Account Manager"
COLD_OWNER = "Technical Account Executive"
#: O3 - engineering headcount growth is looked at over these windows (days).
HEADCOUNT_GROWTH_WINDOWS_DAYS: tuple[Days, Days] = (90, 180)
#: O4 - opting out takes one click: no form, no confirmation.
OPT_OUT_CLICKS: Count = 1
#: O1 - Reading: RULES.md does not say where "paying a lot" (circle 1) ends and "paying
#: a little" (circle 2) begins. The split is the sales-assist threshold (T1): the team
#: looks after customers who pay $20k+/yr (001), so paying T1 a year or more is "a lot".
OUTBOUND_PAYING_A_LOT_ANNUAL: Usd = SALES_ASSIST_THRESHOLD
#: O2 - the two kinds of outbound.
WARM = "warm"
COLD = "cold"
#: O3 (with T7) - the circle-4 lead signals (name, plain words).
OUTBOUND_SIGNAL_BIG_COMPANY = "big-company-no-card"
OUTBOUND_SIGNAL_HEADCOUNT_GROWTH = "engineering-headcount-growth"
OUTBOUND_SIGNAL_FUNDRAISE = "recent-fundraise"
OUTBOUND_SIGNAL_TRAFFIC_GROWTH = "traffic-growth"
OUTBOUND_SIGNAL_OTHER_INTENT = "other-intent"
OUTBOUND_SIGNALS = (
    (
        OUTBOUND_SIGNAL_BIG_COMPANY,
        f"a company of {OUTBOUND_BIG_COMPANY_EMPLOYEES:,} or more employees that hasn't added a card",
    ),
    (
        OUTBOUND_SIGNAL_HEADCOUNT_GROWTH,
        "engineering headcount growth in the last "
        + " or ".join(str(days) for days in HEADCOUNT_GROWTH_WINDOWS_DAYS)
        + " days",
    ),
    (OUTBOUND_SIGNAL_FUNDRAISE, "a recent fundraise"),
    (OUTBOUND_SIGNAL_TRAFFIC_GROWTH, "web or social traffic growth"),
    (OUTBOUND_SIGNAL_OTHER_INTENT, "other intent signals, e.g. pricing-page visits"),
)


# ---------------------------------------------------------------------------
# Decisions: small pure functions over the constants above
# ---------------------------------------------------------------------------


def is_sales_assisted(annual_value: float) -> bool:
    """T1/Q1/L1: sales works the deal when it is worth T1 a year or more."""
    return annual_value >= SALES_ASSIST_THRESHOLD


def is_upper_band(annual_value: float) -> bool:
    """T4 (Reading): the upper band starts at exactly T4."""
    return annual_value >= TRIAL_BAND_EDGE


def trial_days(annual_value: float) -> int:
    """L1-L3: the length of the sales-led trial for a deal of this size."""
    if not is_sales_assisted(annual_value):
        return NO_TRIAL_DAYS
    return LONG_TRIAL_DAYS if is_upper_band(annual_value) else SHORT_TRIAL_DAYS


def trial_milestones(start: dt.date, days: int) -> dict[str, dt.date]:
    """L4-L5: end, pricing review and wrap-up call of a trial starting on ``start``."""
    end = start + dt.timedelta(days=days)
    return {
        "end_date": end,
        "pricing_review_date": start + dt.timedelta(days=PRICING_REVIEW_AFTER_DAYS),
        "wrap_up_date": end - dt.timedelta(days=WRAP_UP_BEFORE_END_DAYS),
    }


def add_months(day: dt.date, months: int) -> dt.date:
    """C6: the same day ``months`` calendar months later, clamped to the month's end.

    31 January + 1 month is 28 (or 29) February, never 3 March.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def checkin_tier(annual_value: float) -> str:
    """C1-C3: which check-in cadence a closed deal of this size gets."""
    if not is_sales_assisted(annual_value):
        return TIER_MONTHLY
    return TIER_HIGH_TOUCH if is_upper_band(annual_value) else TIER_STANDARD


def _high_touch_dates(close: dt.date, interval_weeks: int) -> Iterator[dt.date]:
    """C1/C6: every ``interval_weeks`` up to six months, then monthly, forever."""
    six_months = add_months(close, HIGH_TOUCH_MONTHS)
    step = dt.timedelta(weeks=interval_weeks)
    day = close + step
    while day <= six_months:
        yield day
        day += step
    month = HIGH_TOUCH_MONTHS + 1
    while True:
        yield add_months(close, month)
        month += 1


def _standard_dates(close: dt.date) -> Iterator[dt.date]:
    """C2/C6: monthly for three months, then quarterly, forever."""
    for month in range(1, STANDARD_MONTHLY_MONTHS + 1):
        yield add_months(close, month)
    month = STANDARD_MONTHLY_MONTHS + STANDARD_THEN_EVERY_MONTHS
    while True:
        yield add_months(close, month)
        month += STANDARD_THEN_EVERY_MONTHS


def checkin_dates(
    close: dt.date,
    annual_value: float,
    horizon_months: int = DEFAULT_HORIZON_MONTHS,
    interval_weeks: int = DEFAULT_INTERVAL_WEEKS,
) -> list[dt.date]:
    """C6: the check-in dates after ``close``, up to ``add_months(close, horizon)`` inclusive.

    Below T1 (C3) there is no scheduled cadence, so the list is empty.
    """
    tier = checkin_tier(annual_value)
    if tier == TIER_MONTHLY:
        return []
    dates = _high_touch_dates(close, interval_weeks) if tier == TIER_HIGH_TOUCH else _standard_dates(close)
    last = add_months(close, horizon_months)
    return list(itertools.takewhile(lambda day: day <= last, dates))


def onboarding_plan_due(close: dt.date) -> dt.date:
    """C4/C6: the onboarding plan is due a week after signing."""
    return close + dt.timedelta(days=ONBOARDING_PLAN_DAYS)


def large_deal_criteria_met(
    annual_value: float,
    procurement_months: float,
    wants_new_features: bool,
    non_engineer_stakeholders: bool,
) -> list[str]:
    """D1 (with T2, T3): the ids of the large-deal criteria this deal meets."""
    met = {
        "procurement": procurement_months >= LARGE_DEAL_PROCUREMENT_MONTHS,
        "new-features": wants_new_features,
        "stakeholders": non_engineer_stakeholders,
        "size": annual_value > LARGE_DEAL_VALUE,
    }
    return [key for key, _ in LARGE_DEAL_CRITERIA if met[key]]


def is_large_deal(criteria_met: int) -> bool:
    """D1 (Reading): large when at least three of the four criteria hold."""
    return criteria_met >= LARGE_DEAL_CRITERIA_NEEDED


def product_led_triggers(
    *,
    active_subscription: bool,
    forecast_first_bill: float,
    lead_score: float,
    employees: int,
    org_users: int,
    sending_events: bool,
    subscribed: bool,
    startup_credits_used_pct: float,
    significant_spend_expected: bool,
) -> list[str]:
    """Q8 (with T5, T6): which product-led triggers fire; any one makes a lead."""
    triggers = []
    if active_subscription and forecast_first_bill >= PRODUCT_LED_FIRST_BILL:
        triggers.append(TRIGGER_SUBSCRIPTION_BILL)
    if (
        lead_score >= PRODUCT_LED_LEAD_SCORE
        and employees >= PRODUCT_LED_EMPLOYEES
        and org_users > PRODUCT_LED_ORG_USERS
        and sending_events
        and not subscribed
    ):
        triggers.append(TRIGGER_ENGAGED_SIGNUP)
    if startup_credits_used_pct > STARTUP_CREDITS_MOST_PCT and significant_spend_expected:
        triggers.append(TRIGGER_STARTUP_CREDITS)
    return triggers


def lead_route(
    *,
    annual_value: float,
    billing_or_compliance_only: bool,
    startup_plan_eligible: bool,
    burns_credits_fast: bool,
    engineers_on_call: bool,
    technical_capability: bool,
    engineers_will_be_involved: bool,
    product_fit: bool,
    second_call_scheduled: bool,
) -> tuple[str, str | None, str]:
    """Q12: the route of an inbound lead, as (route, path, id of the deciding rule).

    The order is the chosen reading: billing/compliance only (Q3), then the Startup
    Plan (Q2), then the sales-assist threshold (Q1), then the first-call paths (Q4, Q5).
    """
    if billing_or_compliance_only:
        return ROUTE_QUALIFY_OUT, None, "Q3"
    if startup_plan_eligible:
        return (ROUTE_NURTURE if burns_credits_fast else ROUTE_STARTUP_PLAN), None, "Q2"
    if not is_sales_assisted(annual_value):
        return ROUTE_SELF_SERVE, None, "Q1"
    if engineers_on_call:
        return ROUTE_SALES_LED, "A", "Q4"
    if technical_capability and engineers_will_be_involved and product_fit:
        return (ROUTE_SALES_LED if second_call_scheduled else ROUTE_NURTURE), "B", "Q5"
    return ROUTE_QUALIFY_OUT, "B", "Q4"


def product_led_outreach(annual_value: float) -> str:
    """Q9 (with T1): a discovery call when the potential is T1 a year or more, else educate.

    The source says both "more than $20k" and "$20k+"; as everywhere else, exactly T1
    counts as sales-assisted (T1: "pay, or could pay, $20k+/yr").
    """
    return OUTREACH_DISCOVERY_CALL if is_sales_assisted(annual_value) else OUTREACH_EDUCATE


def rfp_questionnaire_worth_it(annual_value: float, questions: int | None) -> bool | None:
    """Q11 (with T1): is a questionnaire of this size worth answering for this much a year?

    Reading: at T1 or more the size rule has no objection (True; weigh the effort and
    timebox). Below T1, BIG_QUESTIONNAIRE_QUESTIONS or more is not worth it (False);
    from SMALL_QUESTIONNAIRE_QUESTIONS up to the big size it "may not be" (None: the
    rep's judgement); fewer than SMALL_QUESTIONNAIRE_QUESTIONS raises no objection (True).
    An unknown size (None) settles nothing (None).
    """
    if questions is None:
        return None
    if is_sales_assisted(annual_value) or questions < SMALL_QUESTIONNAIRE_QUESTIONS:
        return True
    return False if questions >= BIG_QUESTIONNAIRE_QUESTIONS else None


def rfp_triage(
    *,
    solicited: bool,
    prior_contact_or_usage: bool,
    opportunity_qualified: bool,
    annual_value: float,
    questions: int | None,
    recent_signups_at_company: bool,
    sender_agrees_to_call: bool,
    still_compelling: bool,
) -> tuple[str, str]:
    """Q11: what to do with an RFP, as (decision, the step that settled it).

    Readings (Q11 is vague on these):

    - An unsolicited RFP from a company we have had contact with, or that uses the
      product, is judged like a solicited one: the "free to decline" default and the
      sign-ups/call steps are for unsolicited RFPs with no prior contact or usage.
    - Solicited (or prior contact/usage): proceed only if the opportunity as a whole is
      qualified, otherwise decline; and a proceed whose questionnaire is not worth it
      (rfp_questionnaire_worth_it is False) becomes a decline.
    - Unsolicited with no prior contact or usage: decline unless the RFP is still
      compelling; then contact recent sign-ups at the company if there are any; else ask
      the sender for a call. ``sender_agrees_to_call`` is False only once the sender has
      refused a call, and then we decline (we would only make up the numbers).
    - The questionnaire size is not applied before the sign-ups or the call have given
      us context: those steps come before deciding whether to fill the RFP in.
    """
    if solicited or prior_contact_or_usage:
        if not opportunity_qualified:
            return RFP_DECLINE, RFP_STEP_NOT_QUALIFIED
        if rfp_questionnaire_worth_it(annual_value, questions) is False:
            return RFP_DECLINE, RFP_STEP_NOT_WORTH_IT
        return RFP_PROCEED, RFP_STEP_QUALIFIED
    if not still_compelling:
        return RFP_DECLINE, RFP_STEP_NOT_COMPELLING
    if recent_signups_at_company:
        return RFP_CONTACT_SIGNUPS, RFP_STEP_SIGNUPS
    if sender_agrees_to_call:
        return RFP_ASK_FOR_CALL, RFP_STEP_CALL
    return RFP_DECLINE, RFP_STEP_NO_CALL


def rfp_timebox(decision: str) -> bool:
    """Q11 (Reading): any time spent on an RFP is timeboxed, so every decision but decline."""
    return decision != RFP_DECLINE


def follow_up_dates(
    loss_reason: str,
    lost: dt.date,
    horizon_months: int = DEFAULT_FOLLOW_UP_HORIZON_MONTHS,
) -> list[dt.date]:
    """F2: the dated check-ins after a deal is lost; event-based and other reasons have none.

    Reading: dates count from the lost date with ``add_months`` (so they clamp to the
    month's end and never drift: 31 August + 6 months is 28/29 February, + 12 months is
    31 August again). Went with a competitor: one check-in at COMPETITOR_CHECKIN_MONTHS,
    listed whatever the horizon (it is a single reminder). Stayed with their current
    setup: every STAYED_CHECKIN_EVERY_MONTHS months, up to add_months(lost, horizon)
    inclusive.
    """
    if loss_reason == LOSS_COMPETITOR:
        return [add_months(lost, COMPETITOR_CHECKIN_MONTHS)]
    if loss_reason == LOSS_STAYED_WITH_SETUP:
        months = range(STAYED_CHECKIN_EVERY_MONTHS, horizon_months + 1, STAYED_CHECKIN_EVERY_MONTHS)
        return [add_months(lost, month) for month in months]
    return []


def outbound_circle(
    *,
    paying: bool,
    annual_spend: float,
    engaged_or_high_icp: bool,
    signed_up: bool,
    actively_using: bool,
    used_before_at_previous_company: bool,
    heard_of_us: bool,
) -> int:
    """O1: which of the seven circles an account is in (1 = closest).

    Reading: the circles are tried from 1 to 7 and the first that fits wins, so a
    closer circle always beats a further one. Paying splits at
    OUTBOUND_PAYING_A_LOT_ANNUAL (T1; spend is read only when paying). Circle 3 is
    "using PostHog with good engagement or a high ICP match": signed up, actively using,
    and engaged or a strong ICP match. Any other signed-up account that doesn't pay is
    circle 4 ("signed up, not really using").
    """
    if paying:
        return 1 if annual_spend >= OUTBOUND_PAYING_A_LOT_ANNUAL else 2
    if signed_up and actively_using and engaged_or_high_icp:
        return 3
    if signed_up:
        return 4
    if used_before_at_previous_company:
        return 5
    return 6 if heard_of_us else 7


def outbound_warmth(circle: int) -> str:
    """O2: circles up to LAST_WARM_CIRCLE are warm outbound; the rest are cold."""
    return WARM if circle <= LAST_WARM_CIRCLE else COLD


def outbound_owner(circle: int) -> str:
    """O2: warm outbound is owned by Technical Account Managers, cold by Technical Account Executives."""
    return WARM_OWNER if circle <= LAST_WARM_CIRCLE else COLD_OWNER


def outbound_signals(
    *,
    employees: int,
    card_added: bool,
    engineering_headcount_growth: bool,
    recent_fundraise: bool,
    traffic_growth: bool,
    other_intent: bool,
) -> list[str]:
    """O3 (with T7): the names of the circle-4 lead signals an account shows."""
    shows = {
        OUTBOUND_SIGNAL_BIG_COMPANY: employees >= OUTBOUND_BIG_COMPANY_EMPLOYEES and not card_added,
        OUTBOUND_SIGNAL_HEADCOUNT_GROWTH: engineering_headcount_growth,
        OUTBOUND_SIGNAL_FUNDRAISE: recent_fundraise,
        OUTBOUND_SIGNAL_TRAFFIC_GROWTH: traffic_growth,
        OUTBOUND_SIGNAL_OTHER_INTENT: other_intent,
    }
    return [name for name, _ in OUTBOUND_SIGNALS if shows[name]]


#: The registry of rule ids (RULES.md's ids), each with where the handbook explains it
#: (page and heading anchor). Every reason a calculator gives cites one of these and links
#: there; the build refuses a rule id the package spells that is not here, and a test
#: checks each anchor exists.
SOURCES = {
    "T1": "sales/inbound.md#assign-and-qualify",
    "T2": "sales/how-we-work.md#large-and-enterprise-deals",
    "T3": "sales/how-we-work.md#large-and-enterprise-deals",
    "T4": "sales/inbound.md#product-evaluation",
    "T5": "sales/product-led.md#product-led-leads",
    "T6": "sales/product-led.md#product-led-leads",
    "T7": "sales/outbound.md#seven-circles",
    "Q1": "sales/inbound.md#below-threshold",
    "Q2": "sales/inbound.md#startups",
    "Q3": "sales/inbound.md#assign-and-qualify",
    "Q4": "sales/inbound.md#first-call",
    "Q5": "sales/inbound.md#first-call",
    "Q6": "sales/inbound.md#second-call",
    "Q7": "sales/overview.md#ideal-customer-profile",
    "Q8": "sales/product-led.md#product-led-leads",
    "Q9": "sales/product-led.md#reaching-out",
    "Q10": "sales/inbound.md#security-and-legal",
    "Q11": "sales/inbound.md#rfps",
    "Q12": "sales/inbound.md#assign-and-qualify",
    "L1": "sales/inbound.md#product-evaluation",
    "L2": "sales/inbound.md#product-evaluation",
    "L3": "sales/inbound.md#product-evaluation",
    "L4": "sales/inbound.md#product-evaluation",
    "L5": "sales/inbound.md#product-evaluation",
    "L6": "sales/inbound.md#product-evaluation",
    "C1": "sales/inbound.md#closed-won",
    "C2": "sales/inbound.md#closed-won",
    "C3": "sales/inbound.md#closed-won",
    "C4": "sales/inbound.md#closed-won",
    "C5": "sales/inbound.md#closed-won",
    "C6": "sales/inbound.md#closed-won",
    "D1": "sales/how-we-work.md#large-and-enterprise-deals",
    "D2": "sales/how-we-work.md#large-and-enterprise-deals",
    "D3": "sales/inbound.md#commercial-evaluation",
    "F1": "sales/inbound.md#closed-lost",
    "F2": "sales/inbound.md#closed-lost",
    "O1": "sales/outbound.md#seven-circles",
    "O2": "sales/outbound.md#seven-circles",
    "O3": "sales/outbound.md#seven-circles",
    "O4": "sales/outbound.md#opt-out",
}
