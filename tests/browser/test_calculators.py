"""Each calculator answers as the reader types, in real Chromium running real Pyodide."""

from __future__ import annotations

import json

import pytest

import calculators
from tests.helpers import wait_ready


def result(page, selector):
    return json.loads(page.get_attribute(selector, "data-result"))


def answer(page, selector, key):
    return page.text_content(f'{selector} .calc__row[data-output="{key}"] dd')


def test_trial_length_answers_as_you_type(watched, server):
    page = watched.page
    page.goto(server.url + "sales/inbound/")
    wait_ready(page, "#trial-sizing")
    page.fill("#trial-sizing-annual_value", "75,000")
    page.wait_for_function(
        "JSON.parse(document.querySelector('#trial-sizing').dataset.result).result?.trial_days === 28"
    )
    assert result(page, "#trial-sizing") == calculators.run(
        "trial-length", {"annual_value": "75,000", "start_date": "2026-01-12"}
    )
    assert answer(page, "#trial-sizing", "trial_days") == "28"
    assert answer(page, "#trial-sizing", "end_date") == "2026-02-09"
    reasons = page.locator("#trial-sizing .calc__reasons li a")
    assert reasons.first.text_content() == "L3"
    assert reasons.first.get_attribute("href").endswith("#product-evaluation")


def test_checkin_cadence_answers_as_you_type(watched, server):
    page = watched.page
    page.goto(server.url + "sales/inbound/")
    wait_ready(page, "#checkin-plan")
    page.fill("#checkin-plan-annual_value", "30000")
    page.fill("#checkin-plan-close_date", "2026-01-31")
    page.select_option("#checkin-plan-interval_weeks", "1")
    expected = calculators.run(
        "checkin-cadence",
        {"annual_value": "30000", "close_date": "2026-01-31", "horizon_months": "12", "interval_weeks": "1"},
    )
    page.wait_for_function("document.querySelector('#checkin-plan').dataset.result.includes('\"standard\"')")
    assert result(page, "#checkin-plan") == expected
    assert answer(page, "#checkin-plan", "checkins").startswith("2026-02-28, 2026-03-31, 2026-04-30")


def test_large_deal_answers_as_you_type(watched, server):
    page = watched.page
    page.goto(server.url + "sales/how-we-work/")
    wait_ready(page, "#large-deal-check")
    page.check("#large-deal-check-wants_new_features")
    page.check("#large-deal-check-pays_by_check")
    page.wait_for_function(
        "JSON.parse(document.querySelector('#large-deal-check').dataset.result).result?.red_flags?.length === 1"
    )
    out = result(page, "#large-deal-check")
    assert out["result"]["criteria_met"] == 3 and out["result"]["is_large"] is True
    assert answer(page, "#large-deal-check", "red_flags") == "pays-by-check"


def test_lead_qualification_answers_as_you_type(watched, server):
    page = watched.page
    page.goto(server.url + "sales/inbound/")
    wait_ready(page, "#qualify-lead")
    page.fill("#qualify-lead-annual_value", "19999")
    page.wait_for_function(
        "JSON.parse(document.querySelector('#qualify-lead').dataset.result).result?.route === 'self-serve'"
    )
    assert answer(page, "#qualify-lead", "route") == "self-serve"
    page.fill("#qualify-lead-annual_value", "20000")
    page.wait_for_function(
        "JSON.parse(document.querySelector('#qualify-lead').dataset.result).result?.route === 'sales-led'"
    )
    assert answer(page, "#qualify-lead", "path") == "A"


def test_bad_value_gives_a_field_message_and_keeps_the_rest(watched, server):
    page = watched.page
    page.goto(server.url + "sales/inbound/")
    wait_ready(page, "#trial-sizing")
    before = page.text_content("#trial-sizing .calc__answer")
    page.fill("#trial-sizing-annual_value", "lots")
    page.wait_for_selector("#trial-sizing-annual_value[aria-invalid='true']")
    assert "must be a number" in page.text_content("#trial-sizing-annual_value-error")
    assert page.text_content("#trial-sizing .calc__answer") == before
    assert page.input_value("#trial-sizing-start_date") == "2026-01-12"
    page.fill("#trial-sizing-annual_value", "30000")
    page.wait_for_selector("#trial-sizing-annual_value:not([aria-invalid='true'])")


def test_keyboard_only(watched, server):
    page = watched.page
    page.goto(server.url + "sales/how-we-work/")
    wait_ready(page, "#large-deal-check")
    page.focus("#large-deal-check-annual_value")
    page.keyboard.press("Control+A")
    page.keyboard.type("100")
    page.keyboard.press("Tab")  # to procurement months
    page.keyboard.press("Tab")  # to the first checkbox
    focused = page.evaluate("document.activeElement.id")
    assert focused == "large-deal-check-wants_new_features"
    page.keyboard.press("Space")
    page.wait_for_function(
        "JSON.parse(document.querySelector('#large-deal-check').dataset.result).result?.criteria?.includes('new-features')"
    )
    assert result(page, "#large-deal-check")["result"]["criteria"] == ["procurement", "new-features"]
    page.keyboard.press("Enter")  # must not submit or reload
    assert page.evaluate("document.activeElement.id") == "large-deal-check-wants_new_features"


@pytest.mark.parametrize("page_path", ["", "sales/overview/", "calculators/"])
def test_pages_without_calculators_request_nothing_of_pyodide(watched, server, page_path):
    page = watched.page
    page.goto(server.url + page_path)
    page.wait_for_load_state("networkidle")
    assert page.locator(".calc").count() == 0
    assert not [url for url in watched.requests if "pyodide" in url or "assets/calculators/" in url]


@pytest.mark.parametrize(
    ("path", "block", "steps", "key", "expected"),
    [
        # Q11: an unsolicited RFP from a stranger who refuses a call is declined.
        (
            "sales/inbound/",
            "#rfp-check",
            [("uncheck", "sender_agrees_to_call"), ("uncheck", "still_compelling")],
            "decision",
            "decline",
        ),
        # F2: went with a competitor -> check in once, nine months later (month-end clamped).
        (
            "sales/inbound/",
            "#lost-follow-ups",
            [("select", "loss_reason", "went with a competitor")],
            "follow_ups",
            ["2027-05-31"],
        ),
        # O1-O3: a paying customer at the sales-assist threshold is circle 1, warm.
        ("sales/outbound/", "#circle-check", [("check", "paying"), ("fill", "annual_spend", "20000")], "circle", 1),
        # Q8-Q9: below the threshold, a product-led lead is educated rather than called.
        ("sales/product-led/", "#product-led-outreach", [("fill", "annual_value", "19,999")], "outreach", "educate"),
    ],
)
def test_the_other_calculators_answer_as_you_type(watched, server, path, block, steps, key, expected):
    page = watched.page
    page.goto(server.url + path)
    wait_ready(page, block)
    for action, field, *value in steps:
        selector = f"{block}-{field}"
        if action == "fill":
            page.fill(selector, value[0])
        elif action == "select":
            page.select_option(selector, value[0])
        elif action == "check":
            page.check(selector)
        else:
            page.uncheck(selector)
    page.wait_for_function(
        "([sel, key, want]) => JSON.stringify(JSON.parse(document.querySelector(sel).dataset.result).result?.[key])"
        " === JSON.stringify(want)",
        arg=[block, key, expected],
    )
    output = result(page, block)
    form = page.eval_on_selector(
        f"{block} form",
        """form => Object.fromEntries([...form.elements].filter(e => e.name)
        .map(e => [e.name, e.type === 'checkbox' ? e.checked : e.value]).filter(([, v]) => v !== ''))""",
    )
    assert output == calculators.run(page.get_attribute(block, "data-calculator"), form)


def form_inputs(page, selector):
    """The form's values as the page sends them (empty fields left out)."""
    return page.evaluate(
        "(sel) => Object.fromEntries([...new FormData(document.querySelector(sel + ' form'))]"
        ".filter(([, v]) => v !== ''))",
        selector,
    )


GUESSES_READY = """() => {
  const calc = [...window.__handbookCalculators.runtime.calcs].find((c) => c.root.id === "trial-sizing");
  const requests = [...window.__handbookCalculators.runtime.inFlight.values()];
  return calc?.guesses?.size === 11 && calc.asked && !requests.some((r) => r.kind === "guess");
}"""

# One task: change the field as a key press would, and read the answer before any other task runs.
TYPE_AND_READ = """(edit) => {
  const field = document.querySelector("#trial-sizing-annual_value");
  field.value = edit === "backspace" ? field.value.slice(0, -1) : field.value + edit;
  field.dispatchEvent(new Event("input", { bubbles: true }));
  return document.querySelector("#trial-sizing").dataset.result;
}"""


@pytest.mark.parametrize("edit", ["7", "backspace"])
def test_the_answer_to_a_likely_next_key_shows_with_the_key(watched, server, edit):
    """With the caret at the end of a number, the answers to Backspace and each digit are asked for ahead,
    so the key's own input event shows its answer; the request's own answer, a moment later, is the same."""
    page = watched.page
    page.goto(server.url + "sales/inbound/")
    wait_ready(page, "#trial-sizing")
    page.click("#trial-sizing-annual_value")
    page.keyboard.press("End")
    page.wait_for_function(GUESSES_READY)
    before = page.get_attribute("#trial-sizing", "data-result")
    shown = page.evaluate(TYPE_AND_READ, edit)
    assert shown != before  # changed within the input event: no round trip to the worker
    page.wait_for_function("() => !window.__handbookCalculators.runtime.inFlight.size")
    assert page.get_attribute("#trial-sizing", "data-result") == shown
    assert json.loads(shown) == calculators.run("trial-length", form_inputs(page, "#trial-sizing"))


def test_a_key_that_was_not_guessed_waits_for_its_answer(watched, server):
    page = watched.page
    page.goto(server.url + "sales/inbound/")
    wait_ready(page, "#trial-sizing")
    page.click("#trial-sizing-annual_value")
    page.keyboard.press("Home")  # caret at the start: a digit there is not among the guesses
    page.keyboard.press("1")
    page.wait_for_function("() => !window.__handbookCalculators.runtime.inFlight.size")
    assert page.input_value("#trial-sizing-annual_value").startswith("1")
    shown = json.loads(page.get_attribute("#trial-sizing", "data-result"))
    assert shown == calculators.run("trial-length", form_inputs(page, "#trial-sizing"))
