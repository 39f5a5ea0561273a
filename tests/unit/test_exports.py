"""What a rep does next with an answer: the calendar file and the plain-text summary."""

from __future__ import annotations

import datetime as dt
import json

import icalendar
import pytest

import calculators
from calculators import browser, ics
from calculators.__main__ import main
from calculators.present import section_url
from calculators.summary import summary

STAMP = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def parse(text: str) -> list[tuple[dt.date, str]]:
    calendar = icalendar.Calendar.from_ical(text)
    return [(event.decoded("dtstart"), str(event["summary"])) for event in calendar.walk("VEVENT")]


def test_trial_milestones_round_trip_through_icalendar():
    out = calculators.run("trial-length", {"annual_value": 45_000, "start_date": "2026-01-10"})
    text = ics.calendar(out, STAMP, "https://example.org/sales/inbound/#trial-sizing")
    assert text.endswith("\r\n") and "\r\n" in text and "\n" not in text.replace("\r\n", "")
    events = parse(text)
    result = out["result"]
    assert events == [
        (dt.date.fromisoformat(result["start_date"]), "Trial starts"),
        (dt.date.fromisoformat(result["pricing_review_date"]), "Share pricing from real usage"),
        (dt.date.fromisoformat(result["wrap_up_date"]), "Trial wrap-up call"),
        (dt.date.fromisoformat(result["end_date"]), "Trial ends"),
    ]
    calendar = icalendar.Calendar.from_ical(text)
    first = calendar.walk("VEVENT")[0]
    assert first.decoded("dtend") - first.decoded("dtstart") == dt.timedelta(days=1)
    assert str(first["url"]) == "https://example.org/sales/inbound/#trial-sizing"
    assert len({str(event["uid"]) for event in calendar.walk("VEVENT")}) == 4


def test_checkin_schedule_round_trips():
    out = calculators.run("checkin-cadence", {"annual_value": 80_000, "close_date": "2026-01-31"})
    events = parse(ics.calendar(out, STAMP))
    assert events[0] == (dt.date(2026, 2, 7), "Send the onboarding plan")
    checkins = [day.isoformat() for day, title in events if title.startswith("Customer check-in")]
    assert checkins == out["result"]["checkins"]
    assert events[1][1] == "Customer check-in 1"


@pytest.mark.parametrize(
    ("name", "inputs"),
    [
        ("trial-length", {"annual_value": 1}),
        ("trial-length", {"annual_value": 1, "start_date": "2026-01-01"}),
        ("checkin-cadence", {"annual_value": 1, "close_date": "2026-01-01"}),
        ("large-deal", {"annual_value": 1}),
        ("trial-length", {}),
    ],
)
def test_answers_without_dates_export_nothing(name, inputs):
    out = calculators.run(name, inputs)
    if name == "checkin-cadence":  # below T1: only the onboarding plan, no check-ins
        assert [title for _, title in ics.events(out)] == ["Send the onboarding plan"]
    else:
        assert ics.calendar(out, STAMP) is None


def test_text_is_escaped_and_long_lines_folded():
    assert ics._text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "é" * 100
    folded = ics._fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    assert ics._fold("short") == "short"


def test_summary_lists_answer_and_linked_reasons():
    out = calculators.run("trial-length", {"annual_value": 45_000})
    text = summary(out, "https://handbook.example/")
    assert text.splitlines()[0] == "Trial length:"
    assert "- Trial length (days): 14" in text
    assert "- L2: $45,000 a year" in text
    assert "(https://handbook.example/sales/inbound/#product-evaluation)" in text
    assert "(https://" not in summary(out)
    assert summary(calculators.run("trial-length", {})) == ""


@pytest.mark.parametrize(
    ("source", "directory_urls", "url"),
    [
        ("sales/inbound.md#a", True, "R/sales/inbound/#a"),
        ("index.md", True, "R/"),
        ("sales/index.md#x", True, "R/sales/#x"),
        ("sales/inbound.md#a", False, "R/sales/inbound.html#a"),
        ("index.md", False, "R/index.html"),
    ],
)
def test_section_url(source, directory_urls, url):
    assert section_url(source, "R/", directory_urls) == url


def test_browser_call_extras():
    request = {
        "calculator": "trial-length",
        "inputs": {"annual_value": 45_000, "start_date": "2026-01-10"},
        "page": {"site_root": "https://h.example/", "link": "https://h.example/x", "stamp": "2026-11-23T12:00:00Z"},
    }
    reply = json.loads(browser.call(json.dumps(request)))
    assert "https://h.example/sales/inbound/#product-evaluation" in reply["summary"]
    assert len(parse(reply["ics"])) == 4 and reply["has_dates"] is True
    request["page"] = {"stamp": "not a time", "site_root": 3, "directory_urls": False}
    reply = json.loads(browser.call(json.dumps(request)))
    assert reply["ics"] is None and "(http" not in reply["summary"]
    request["page"] = {"stamp": "2026-11-23T12:00:00"}  # no zone: read as UTC
    assert "DTSTAMP:20261123T120000Z" in json.loads(browser.call(json.dumps(request)))["ics"]
    request["page"] = "junk"
    assert json.loads(browser.call(json.dumps(request)))["ics"] is None


def test_cli_ics(tmp_path, capsys):
    target = tmp_path / "trial.ics"
    assert main(["trial-length", "annual_value=45000", "start_date=2026-01-10", "--ics", str(target)]) == 0
    assert [title for _, title in parse(target.read_text())][-1] == "Trial ends"
    assert "wrote 4 events" in capsys.readouterr().err
    assert main(["trial-length", "annual_value=100", "--ics", str(tmp_path / "none.ics")]) == 2
    assert "holds no dates" in capsys.readouterr().err
    assert not (tmp_path / "none.ics").exists()


def test_follow_ups_export_their_dates():
    out = calculators.run("follow-ups", {"loss_reason": "stayed with current setup", "lost_date": "2026-08-31"})
    assert [day.isoformat() for day, _ in parse(ics.calendar(out, STAMP))] == out["result"]["follow_ups"]
