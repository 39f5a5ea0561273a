"""What a rep does next with an answer: share a link, copy a summary, add the dates to a calendar, print."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import icalendar
import pytest

import calculators
from tests.helpers import Watched, wait_ready


def result(page, selector):
    return json.loads(page.get_attribute(selector, "data-result"))


@pytest.fixture
def clip_page(browser):
    """A watched page whose context may use the clipboard and download files."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"], accept_downloads=True)
    watched = Watched(context.new_page())
    yield watched.page
    watched.assert_clean()
    context.close()


def test_a_link_restores_inputs_and_answer_for_two_calculators(watched, server):
    page = watched.page
    page.goto(
        server.url + "sales/inbound/?trial-sizing.annual_value=75000&trial-sizing.start_date=2026-03-01"
        "&checkin-plan.annual_value=30000&checkin-plan.interval_weeks=1"
    )
    page.wait_for_function(
        "JSON.parse(document.querySelector('#trial-sizing').dataset.result).result?.trial_days === 28"
    )
    assert page.input_value("#trial-sizing-annual_value") == "75000"
    assert result(page, "#trial-sizing") == calculators.run(
        "trial-length", {"annual_value": "75000", "start_date": "2026-03-01"}
    )
    page.wait_for_function(
        "JSON.parse(document.querySelector('#checkin-plan').dataset.result).result?.tier === 'standard'"
    )
    assert page.input_value("#checkin-plan-interval_weeks") == "1"


def test_typing_keeps_the_link_in_step(watched, server):
    page = watched.page
    page.goto(server.url + "sales/how-we-work/")
    wait_ready(page, "#large-deal-check")
    page.fill("#large-deal-check-annual_value", "250001")
    page.check("#large-deal-check-pays_by_check")
    page.wait_for_function("location.search.includes('pays_by_check')")
    query = parse_qs(urlparse(page.url).query)
    assert query == {"large-deal-check.annual_value": ["250001"], "large-deal-check.pays_by_check": ["true"]}
    # Opening that link elsewhere gives the same answer.
    other_watched = Watched(page.context.new_page())
    other = other_watched.page
    other.goto(page.url)
    other.wait_for_function(
        "JSON.parse(document.querySelector('#large-deal-check').dataset.result).result?.red_flags?.length === 1"
    )
    assert result(other, "#large-deal-check") == result(page, "#large-deal-check")
    other_watched.assert_clean()
    other.close()


def test_bad_link_parameters_give_messages_not_crashes(watched, server):
    page = watched.page
    page.goto(
        server.url + "sales/inbound/?trial-sizing.annual_value=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
        "&trial-sizing.colour=red&trial-sizing.start_date=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"
        "&checkin-plan.interval_weeks=3&nosuch.field=1&qualify-lead.engineers_on_call=maybe"
    )
    page.wait_for_selector("#trial-sizing-annual_value[aria-invalid='true']")
    assert "must be a number" in page.text_content("#trial-sizing-annual_value-error")
    assert page.input_value("#trial-sizing-annual_value") == "<img src=x onerror=alert(1)>"
    status = page.text_content("#trial-sizing .calc__status")
    assert '"colour"' in status and '"Trial start date"' in status
    wait_ready(page, "#checkin-plan")
    assert "High-touch interval" in page.text_content("#checkin-plan .calc__status")
    assert page.input_value("#checkin-plan-interval_weeks") == "2"
    assert "not yes or no" in page.text_content("#qualify-lead .calc__status")
    assert page.locator(".calc img, .calc script").count() == 0


@pytest.mark.parametrize("word", sorted(calculators.fields.FALSE_WORDS - {""}))
def test_a_link_unticks_a_box_with_every_no_word_the_command_line_reads(watched, server, word):
    # The page's example ticks "Engineers on the first call"; the link's word unticks it,
    # read with the field parser's own words (markup.js is generated from calculators/fields.py).
    page = watched.page
    page.goto(server.url + f"sales/inbound/?qualify-lead.engineers_on_call={word}")
    wait_ready(page, "#qualify-lead")
    assert not page.is_checked("#qualify-lead-engineers_on_call")
    assert result(page, "#qualify-lead") == calculators.run(
        "lead-qualification", {"annual_value": "45000", "engineers_on_call": word}
    )
    assert page.text_content("#qualify-lead .calc__status") == ""


def test_copy_link_and_summary(clip_page, server):
    page = clip_page
    page.goto(server.url + "sales/inbound/")
    wait_ready(page, "#trial-sizing")
    page.fill("#trial-sizing-annual_value", "75000")
    page.wait_for_function("location.search.includes('75000')")
    page.click("#trial-sizing [data-action='copy-link']")
    page.wait_for_selector("#trial-sizing .calc__note:text('Link copied.')")
    link = page.evaluate("navigator.clipboard.readText()")
    assert "trial-sizing.annual_value=75000" in link and link.endswith("#trial-sizing")
    page.click("#trial-sizing [data-action='copy-summary']")
    page.wait_for_selector("#trial-sizing .calc__note:text('Summary copied.')")
    text = page.evaluate("navigator.clipboard.readText()")
    assert text.startswith("Trial length:")
    assert "- Trial length (days): 28" in text
    assert "- L3: $75,000 a year" in text and f"({server.url}sales/inbound/#product-evaluation)" in text


def test_calendar_download_matches_the_answer(clip_page, server):
    page = clip_page
    page.goto(server.url + "sales/inbound/")
    wait_ready(page, "#checkin-plan")
    assert page.locator("#large-deal-check [data-action='calendar']").count() == 0
    with page.expect_download() as download:
        page.click("#checkin-plan [data-action='calendar']")
    assert download.value.suggested_filename == "checkin-plan.ics"
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_text(encoding="utf-8"))
    days = [
        event.decoded("dtstart").isoformat()
        for event in calendar.walk("VEVENT")
        if str(event["summary"]).startswith("Customer check-in")
    ]
    assert days == result(page, "#checkin-plan")["result"]["checkins"]
    # An answer with no dates hides the button.
    page.fill("#trial-sizing-annual_value", "100")
    page.wait_for_function(
        "JSON.parse(document.querySelector('#trial-sizing').dataset.result).result?.trial_days === 0"
    )
    assert page.locator("#trial-sizing [data-action='calendar']").is_hidden()


def test_print_shows_values_and_answer_not_controls(watched, server):
    page = watched.page
    page.goto(server.url + "sales/inbound/")
    wait_ready(page, "#trial-sizing")
    page.emulate_media(media="print")
    shown = page.evaluate("""() => {
        const root = document.querySelector('#trial-sizing');
        const display = (sel) => getComputedStyle(root.querySelector(sel)).display;
        const input = getComputedStyle(root.querySelector('input[name="annual_value"]'));
        return {actions: display('.calc__actions'), help: display('.calc__help'), answer: display('.calc__answer'),
                border: input.borderTopStyle};
    }""")
    assert shown == {"actions": "none", "help": "none", "answer": "block", "border": "none"}
    assert len(page.pdf()) > 10_000
