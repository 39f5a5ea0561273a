"""rfp-triage: Q11 step by step, with the questionnaire size weighed against T1."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import calculators
from calculators import rules

SOLICITED = {"solicited": True, "opportunity_qualified": True, "annual_value": 45_000}
COLD = {"annual_value": 45_000}  # unsolicited, no prior contact or usage
COMPELLING = {**COLD, "still_compelling": True}


def run(**inputs):
    out = calculators.run("rfp-triage", inputs)
    assert out["ok"], out
    return out


@pytest.mark.parametrize(
    ("rule", "inputs", "decision", "timebox", "worth_it"),
    [
        # Q11: solicited -> proceed if the opportunity is qualified; timebox.
        ("Q11", SOLICITED, "proceed", True, None),
        ("Q11", {**SOLICITED, "opportunity_qualified": False}, "decline", False, None),
        # Solicited ignores the unsolicited steps.
        ("Q11", {**SOLICITED, "still_compelling": False, "sender_agrees_to_call": False}, "proceed", True, None),
        # Q11 with T1: the questionnaire's size, at the edges of T1 and of 50 and 500 questions.
        ("T1", {**SOLICITED, "annual_value": 20_000, "questions": 500}, "proceed", True, True),
        ("T1", {**SOLICITED, "annual_value": 19_999, "questions": 500}, "decline", False, False),
        ("T1", {**SOLICITED, "annual_value": 19_999, "questions": 5_000}, "decline", False, False),
        ("Q11", {**SOLICITED, "annual_value": 19_999, "questions": 499}, "proceed", True, None),
        ("Q11", {**SOLICITED, "annual_value": 19_999, "questions": 50}, "proceed", True, None),
        ("Q11", {**SOLICITED, "annual_value": 19_999, "questions": 49}, "proceed", True, True),
        ("Q11", {**SOLICITED, "annual_value": 0, "questions": 1}, "proceed", True, True),
        # Not qualified comes first, whatever the size.
        ("Q11", {**SOLICITED, "opportunity_qualified": False, "questions": 10}, "decline", False, True),
        # Reading (Q11): unsolicited, but prior contact or usage -> judged like a solicited RFP.
        ("Q11", {**COLD, "prior_contact_or_usage": True, "opportunity_qualified": True}, "proceed", True, None),
        ("Q11", {**COLD, "prior_contact_or_usage": True}, "decline", False, None),
        (
            "Q11",
            {"prior_contact_or_usage": True, "opportunity_qualified": True, "annual_value": 19_999, "questions": 500},
            "decline",
            False,
            False,
        ),
        # Q11: unsolicited with no prior contact or usage -> free to decline (the default).
        ("Q11", COLD, "decline", False, None),
        ("Q11", {**COLD, "opportunity_qualified": True, "recent_signups_at_company": True}, "decline", False, None),
        # ... still compelling: recent sign-ups first, else ask the sender for a call.
        ("Q11", {**COMPELLING, "recent_signups_at_company": True}, "contact-signups", True, None),
        (
            "Q11",
            {**COMPELLING, "recent_signups_at_company": True, "sender_agrees_to_call": False},
            "contact-signups",
            True,
            None,
        ),
        ("Q11", COMPELLING, "ask-for-call", True, None),
        ("Q11", {**COMPELLING, "sender_agrees_to_call": True}, "ask-for-call", True, None),
        # ... and if they refuse a call, don't spend time on it.
        ("Q11", {**COMPELLING, "sender_agrees_to_call": False}, "decline", False, None),
        ("Q11", {**COMPELLING, "sender_agrees_to_call": "no"}, "decline", False, None),
        # Reading (Q11): the size is reported, not applied, before the sign-ups or the call.
        ("T1", {**COMPELLING, "annual_value": 19_999, "questions": 500}, "ask-for-call", True, False),
        (
            "T1",
            {**COMPELLING, "annual_value": 5_000, "questions": 120, "recent_signups_at_company": True},
            "contact-signups",
            True,
            None,
        ),
    ],
)
def test_q11_decision(rule, inputs, decision, timebox, worth_it):
    out = run(**inputs)
    result = out["result"]
    assert (result["decision"], result["timebox"], result["questionnaire_worth_it"]) == (decision, timebox, worth_it)
    assert out["reasons"][0]["rule"] == "Q11"
    assert [reason["rule"] for reason in out["reasons"]][1:] == (["T1"] if "questions" in inputs else [])
    assert result["next_step"].endswith(("?", "."))


@pytest.mark.parametrize(
    ("annual_value", "questions", "worth_it"),
    [
        (20_000, None, None),
        (19_999, None, None),
        (20_000, 1_000_000, True),
        (20_000, 500, True),
        (19_999.99, 500, False),
        (19_999, 499, None),
        (19_999, 50, None),
        (19_999, 49, True),
        (0, 1, True),
    ],
)
def test_questionnaire_worth_it_at_the_edges(annual_value, questions, worth_it):
    assert rules.rfp_questionnaire_worth_it(annual_value, questions) is worth_it


@pytest.mark.parametrize(
    ("inputs", "words"),
    [
        ({**SOLICITED, "annual_value": 20_000, "questions": 500}, "is at least $20,000: 500 questions can be worth it"),
        ({**SOLICITED, "annual_value": 19_999, "questions": 500}, "500 questions or more is not worth it"),
        ({**SOLICITED, "annual_value": 19_999, "questions": 50}, "even 50 questions may not be worth it"),
        ({**SOLICITED, "annual_value": 19_999, "questions": 1}, "1 question is fewer than 50"),
    ],
)
def test_t1_reason_explains_the_size(inputs, words):
    assert words in run(**inputs)["reasons"][1]["text"]


@pytest.mark.parametrize(
    ("inputs", "words"),
    [
        (SOLICITED, "Go ahead"),
        ({**SOLICITED, "opportunity_qualified": False}, "until the opportunity as a whole is qualified"),
        ({**SOLICITED, "annual_value": 100, "questions": 500}, "not worth answering"),
        (COLD, "Decline politely"),
        ({**COMPELLING, "recent_signups_at_company": True}, "Contact the people who signed up recently"),
        (COMPELLING, "Ask the sender for a call"),
        ({**COMPELLING, "sender_agrees_to_call": False}, "making up the numbers"),
        ({**COMPELLING, "annual_value": 100, "questions": 2_500}, "2,500 questions is too many for under $20,000"),
    ],
)
def test_next_step(inputs, words):
    assert words in run(**inputs)["result"]["next_step"]


@pytest.mark.parametrize(
    ("inputs", "words"),
    [
        (SOLICITED, "Solicited RFP: "),
        ({**COLD, "prior_contact_or_usage": True}, "judged like a solicited one"),
        (COLD, "no prior contact or usage: with no prior contact"),
    ],
)
def test_q11_reason_names_the_kind_of_rfp(inputs, words):
    assert words in run(**inputs)["reasons"][0]["text"]


def test_sender_counts_as_willing_until_they_refuse():
    # Q11 (Reading): the box starts ticked; a missing value is "not refused".
    field = next(f for f in calculators.describe("rfp-triage")["fields"] if f["name"] == "sender_agrees_to_call")
    assert field["default"] is True
    assert run(**COMPELLING, sender_agrees_to_call="")["result"]["decision"] == "ask-for-call"


@pytest.mark.parametrize(
    ("inputs", "fields"),
    [
        ({}, ["annual_value"]),
        ({"annual_value": -1}, ["annual_value"]),
        ({"annual_value": 1, "questions": 0}, ["questions"]),
        ({"annual_value": 1, "questions": 2.5}, ["questions"]),
        ({"annual_value": 1, "questions": 1_000_001}, ["questions"]),
        ({"annual_value": 1, "solicited": "maybe", "sender_agrees_to_call": 2}, ["sender_agrees_to_call", "solicited"]),
    ],
)
def test_bad_inputs_name_each_field(inputs, fields):
    out = calculators.run("rfp-triage", inputs)
    assert out["ok"] is False and sorted(out["errors"]) == fields


flags = st.booleans()


@given(
    solicited=flags,
    prior=flags,
    qualified=flags,
    value=st.floats(0, 1e7, allow_nan=False),
    questions=st.none() | st.integers(1, 10_000),
    signups=flags,
    call=flags,
    compelling=flags,
)
def test_q11_invariants(solicited, prior, qualified, value, questions, signups, call, compelling):
    result = run(
        solicited=solicited,
        prior_contact_or_usage=prior,
        opportunity_qualified=qualified,
        annual_value=value,
        questions=questions,
        recent_signups_at_company=signups,
        sender_agrees_to_call=call,
        still_compelling=compelling,
    )["result"]
    decision = result["decision"]
    assert decision in {"proceed", "decline", "contact-signups", "ask-for-call"}
    assert result["timebox"] is (decision != "decline")
    # We only fill an RFP in when it is solicited (or we know the company) and qualified ...
    if decision == "proceed":
        assert (solicited or prior) and qualified and result["questionnaire_worth_it"] is not False
    # ... and the unsolicited steps are only for companies we have never dealt with.
    if decision in {"contact-signups", "ask-for-call"}:
        assert not solicited and not prior and compelling
    # At or above T1 the size never objects.
    if value >= rules.SALES_ASSIST_THRESHOLD and questions is not None:
        assert result["questionnaire_worth_it"] is True
