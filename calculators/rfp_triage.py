"""RFP triage: answer, decline, or find out more about a request for proposal (Q11, with T1)."""

from __future__ import annotations

from typing import Any

from . import rules
from .fields import Field
from .reasons import reason, usd

NAME = "rfp-triage"
TITLE = "RFP triage"
SUMMARY = "Whether to work on a request for proposal, what to do first, and whether its questionnaire is worth it."


def _flag(name: str, label: str, help_text: str, default: bool | None = None) -> Field:
    return Field(name, "boolean", label, help_text, default=default)


FIELDS = (
    _flag("solicited", "Solicited", "We already knew what they want to achieve and had qualified their needs."),
    _flag(
        "prior_contact_or_usage",
        "Prior contact or usage",
        "The company has been in touch with us before, or uses PostHog.",
    ),
    _flag("opportunity_qualified", "Opportunity qualified", "The opportunity as a whole is qualified."),
    Field(
        "annual_value",
        "money",
        "Expected annual value",
        "What they plan to spend a year on PostHog, in US dollars.",
        unit="USD / year",
        required=True,
        minimum=0,
        maximum=1e12,
    ),
    Field(
        "questions",
        "integer",
        "Questions in the RFP",
        "Optional: how many questions the questionnaire has.",
        unit="questions",
        minimum=1,
        maximum=1_000_000,
    ),
    _flag("still_compelling", "Still compelling", "Unsolicited with no prior contact: you still want to go ahead."),
    _flag(
        "recent_signups_at_company",
        "Recent sign-ups at the company",
        "Someone at that company signed up to PostHog recently.",
    ),
    # Q11 (Reading): the sender counts as willing until they refuse, so the box starts ticked.
    _flag(
        "sender_agrees_to_call",
        "Sender will get on a call",
        "Untick only once the sender has refused a call.",
        default=True,
    ),
)

OUTPUTS = (
    ("decision", "Decision"),
    ("timebox", "Timebox the work"),
    ("questionnaire_worth_it", "Questionnaire worth it"),
    ("next_step", "Next step"),
)

_NEXT_STEP = {
    rules.RFP_STEP_QUALIFIED: "Go ahead, weighing the effort against what the opportunity is worth, and timebox it.",
    rules.RFP_STEP_NOT_QUALIFIED: "Don't work on the RFP until the opportunity as a whole is qualified.",
    rules.RFP_STEP_NOT_WORTH_IT: "Decline: a questionnaire this large is not worth answering for this little spend.",
    rules.RFP_STEP_NOT_COMPELLING: "Decline politely; unsolicited RFPs with no prior contact are not worth the time.",
    rules.RFP_STEP_SIGNUPS: (
        "Contact the people who signed up recently: do they know about the RFP, and why is PostHog in it?"
    ),
    rules.RFP_STEP_CALL: "Ask the sender for a call to get more context before deciding whether to fill it in.",
    rules.RFP_STEP_NO_CALL: "Don't spend time on it: without a call we are probably only making up the numbers.",
}

_WHY = {
    rules.RFP_STEP_QUALIFIED: "the opportunity as a whole is qualified, so you may proceed; timebox the effort.",
    rules.RFP_STEP_NOT_QUALIFIED: "proceed only once the opportunity as a whole is qualified.",
    rules.RFP_STEP_NOT_WORTH_IT: "the opportunity is qualified, but the questionnaire is not worth it at this size.",
    rules.RFP_STEP_NOT_COMPELLING: "with no prior contact or usage you will very likely burn time for nothing; "
    "declining is the default.",
    rules.RFP_STEP_SIGNUPS: "it is still compelling, so first ask the recent sign-ups at that company about it.",
    rules.RFP_STEP_CALL: "it is still compelling and nobody there signed up recently, so ask the sender for a call.",
    rules.RFP_STEP_NO_CALL: "the sender won't get on a call, so we are probably not their vendor of choice.",
}


def compute(values: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Answer Q11 for one RFP."""
    value = values["annual_value"]
    questions = values["questions"]
    decision, step = rules.rfp_triage(
        solicited=values["solicited"],
        prior_contact_or_usage=values["prior_contact_or_usage"],
        opportunity_qualified=values["opportunity_qualified"],
        annual_value=value,
        questions=questions,
        recent_signups_at_company=values["recent_signups_at_company"],
        sender_agrees_to_call=values["sender_agrees_to_call"],
        still_compelling=values["still_compelling"],
    )
    worth_it = rules.rfp_questionnaire_worth_it(value, questions)
    if values["solicited"]:
        kind = "Solicited RFP"
    elif values["prior_contact_or_usage"]:
        kind = "Unsolicited RFP, but we know the company, so it is judged like a solicited one"
    else:
        kind = "Unsolicited RFP with no prior contact or usage"
    reasons = [reason("Q11", f"{kind}: {_WHY[step]}")]
    if questions is not None:
        reasons.append(reason("T1", _size_sentence(value, questions, worth_it)))
    next_step = _NEXT_STEP[step]
    if worth_it is False and decision != rules.RFP_DECLINE:
        next_step += f" Before filling it in: {questions:,} questions is too many for under {_t1()} a year."
    result = {
        "decision": decision,
        "timebox": rules.rfp_timebox(decision),
        "questionnaire_worth_it": worth_it,
        "next_step": next_step,
    }
    return result, reasons


def _t1() -> str:
    return usd(rules.SALES_ASSIST_THRESHOLD)


def _size_sentence(value: float, questions: int, worth_it: bool | None) -> str:
    """Q11 with T1: why a questionnaire of this size is, or may not be, worth answering."""
    asked = f"{questions:,} question{'s' if questions != 1 else ''}"
    if rules.is_sales_assisted(value):
        return f"{usd(value)} a year is at least {_t1()}: {asked} can be worth it; weigh the effort and timebox it."
    below = f"{usd(value)} a year is below {_t1()}"
    if worth_it:
        return f"{below}, but {asked} is fewer than {rules.SMALL_QUESTIONNAIRE_QUESTIONS:,}: a small questionnaire."
    if worth_it is False:
        return (
            f"{below}: a questionnaire of {rules.BIG_QUESTIONNAIRE_QUESTIONS:,} questions or more is not worth it, "
            f"and this one has {asked}."
        )
    return (
        f"{below}: even {rules.SMALL_QUESTIONNAIRE_QUESTIONS:,} questions may not be worth it, and this one has "
        f"{asked}; use your judgement."
    )
