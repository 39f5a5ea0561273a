"""The contract every caller relies on: names(), run(), describe(), browser.call()."""

from __future__ import annotations

import json

import pytest

import calculators
from calculators import browser, present
from calculators.present import section_url

REQUIRED = {"lead-qualification", "trial-length", "checkin-cadence", "large-deal"}


def test_names_include_the_four():
    assert set(calculators.names()) >= REQUIRED


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_declared_fields_drive_forms(name):
    spec = calculators.describe(name)
    assert spec["name"] == name and spec["title"] and spec["summary"]
    json.dumps(spec)
    for field in spec["fields"]:
        assert field["label"] and field["help"], field
        assert field["kind"] in {"money", "integer", "number", "boolean", "date", "choice"}


@pytest.mark.parametrize("name", [None, 3, "", "trial", ["trial-length"], {"a": 1}])
def test_unknown_calculator_lists_the_known_ones(name):
    out = calculators.run(name, {})
    assert out["ok"] is False
    for known in REQUIRED:
        assert known in out["errors"]["calculator"]
    json.dumps(out)


@pytest.mark.parametrize("inputs", [[], "annual_value=1", 42, ("a", 1)])
def test_inputs_that_are_not_an_object(inputs):
    out = calculators.run("trial-length", inputs)
    assert out == {"ok": False, "calculator": "trial-length", "errors": {"inputs": out["errors"]["inputs"]}}


def test_none_inputs_are_empty_inputs():
    assert calculators.run("large-deal", None)["errors"] == {
        "annual_value": pytest.approx(calculators.run("large-deal", {})["errors"]["annual_value"])
    }


def test_extra_fields_are_ignored():
    out = calculators.run("trial-length", {"annual_value": 1, "colour": "blue", 3: [1]})
    assert out["ok"]


def test_a_bug_becomes_an_error_answer(monkeypatch):
    def broken(values):
        raise ZeroDivisionError

    monkeypatch.setattr(calculators.CALCULATORS["trial-length"], "compute", broken)
    out = calculators.run("trial-length", {"annual_value": 1})
    assert out == {
        "ok": False,
        "calculator": "trial-length",
        "errors": {"calculator": "The calculator failed unexpectedly (ZeroDivisionError)."},
    }
    # The build asks for the exception itself, so a broken calculator cannot build green.
    with pytest.raises(ZeroDivisionError):
        calculators.run("trial-length", {"annual_value": 1}, strict=True)
    # Bad input is still an answer, not an exception, when strict.
    assert calculators.run("trial-length", {"annual_value": "x"}, strict=True)["ok"] is False


def test_success_shape_and_reason_sources():
    out = calculators.run("trial-length", {"annual_value": 45_000})
    assert set(out) == {"ok", "calculator", "result", "reasons"}
    for reason in out["reasons"]:
        assert set(reason) == {"rule", "text", "source"}
        page, _, anchor = reason["source"].partition("#")
        assert page.endswith(".md") and anchor


def test_browser_call_round_trip():
    reply = json.loads(browser.call(json.dumps({"calculator": "trial-length", "inputs": {"annual_value": "45,000"}})))
    assert reply["output"] == calculators.run("trial-length", {"annual_value": 45_000})


def test_browser_call_links_each_reason_as_the_build_does():
    # One mapping from a rule's source to its URL (present.section_url), for the page, the
    # live answer and the summary alike.
    page = {"site_root": "https://h.example/", "directory_urls": False, "link": "https://h.example/x"}
    request = {"calculator": "trial-length", "inputs": {"annual_value": "45000"}, "page": page}
    reply = json.loads(browser.call(json.dumps(request)))
    sources = [reason["source"] for reason in reply["output"]["reasons"]]
    assert [r["href"] for r in reply["reasons"]] == [section_url(s, "https://h.example/", False) for s in sources]
    assert reply["reasons"][0]["href"] == "https://h.example/sales/inbound.html#product-evaluation"
    assert {"key": "trial_days", "label": "Trial length (days)", "text": "14"} in reply["display"]


@pytest.mark.parametrize("request_json", ["", "{", "[]", "null", '{"calculator": 1}', None])
def test_browser_call_never_raises(request_json):
    reply = json.loads(browser.call(request_json))
    assert reply["output"]["ok"] is False and reply["display"] == []


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "—"), (True, "Yes"), (False, "No"), ([], "none"), (["a", "b"], "a, b"), (14, "14"), ("A", "A")],
)
def test_present_text(value, text):
    assert present.text(value) == text
