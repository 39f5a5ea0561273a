"""`python -m calculators impact`: what a rules change does, before it merges."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

import calculators
from calculators import impact

REPO = Path(calculators.__file__).resolve().parents[1]


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=repo, check=True, capture_output=True
    )


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A project with the real calculators and pages, committed on main."""
    monkeypatch.setattr(impact, "MAX_INPUTS", 3000)  # a smaller sample keeps the test quick
    for part in ("calculators", "docs"):
        shutil.copytree(REPO / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(repo: Path, base: str | None = None) -> tuple[int, str]:
    out = io.StringIO()
    return impact.main(repo, base, out), out.getvalue()


def test_an_unchanged_tree_says_so(repo):
    status, text = run(repo)
    assert status == 0
    assert "No change: the calculators at" in text and "give the same answer on all" in text


def test_moving_a_threshold_in_a_commit_names_the_rule_the_values_and_examples(repo):
    git(repo, "checkout", "-qb", "raise-the-band")
    edit(repo / "calculators" / "rules.py", "TRIAL_BAND_EDGE: Usd = 60_000", "TRIAL_BAND_EDGE: Usd = 75_000")
    git(repo, "commit", "-qam", "T4: the upper band starts at $75,000")
    status, text = run(repo)  # against the merge base with main
    assert status == 0
    assert "| T4 | $60,000 | $75,000 |" in text
    assert "| `TRIAL_BAND_EDGE` | 60000 | 75000 |" in text
    assert "### `trial-length`: 3 of" in text
    assert "- annual_value=60000\n  - before: trial_days=28 (rules L3)\n  - after: trial_days=14 (rules L2)" in text
    assert "### `checkin-cadence`:" in text and 'tier="standard"' in text
    assert "### `lead-qualification`: 0 of" in text
    assert "docs/sales/inbound.md:" in text and "table `trial-length`" in text and "rule `T4`" in text
    assert "calculator `trial-length`" in text


def test_an_input_the_new_code_fails_on_is_reported_and_fails_the_command(repo):
    edit(
        repo / "calculators" / "large_deal.py",
        '    """Answer D1-D3 for one deal."""',
        '    """Answer D1-D3 for one deal."""\n    if values["annual_value"] == 250_001:\n'
        '        raise ValueError("boom")',
    )
    status, text = run(repo, "HEAD")
    assert status == 1
    assert "## Inputs on which a version fails" in text
    assert "`large-deal` at working tree: " in text and "annual_value=250001" in text and "ValueError: boom" in text


def test_a_bad_revision_or_a_broken_tree_is_an_error_not_a_report(repo, capsys):
    assert run(repo, "no-such-rev")[0] == 2
    assert "no-such-rev" in capsys.readouterr().err
    with pytest.raises(impact.ImpactError, match="cannot read calculators/"):
        impact.checkout_package(repo, "no-such-rev", repo / "out")
    edit(repo / "calculators" / "rules.py", "TRIAL_BAND_EDGE: Usd = 60_000", "TRIAL_BAND_EDGE: Usd = (")
    status, text = run(repo, "HEAD")
    assert status == 2 and text == ""
    assert "do not load" in capsys.readouterr().err


def test_the_command_line_runs_it_in_the_current_repository(repo, monkeypatch, capsys):
    from calculators.__main__ import main

    monkeypatch.chdir(repo)
    assert main(["impact"]) == 0
    assert capsys.readouterr().out.startswith("# What this rules change does (against the merge base with main, `")
    assert main(["impact", "--base", "HEAD"]) == 0
    assert "(against HEAD, `" in capsys.readouterr().out


def test_without_main_the_base_is_head(repo):
    git(repo, "branch", "-m", "main", "trunk")
    assert impact.default_base(repo) == "HEAD"


# Everything below runs the comparison on made-up declarations: no git, no subprocess.


class Fake:
    def __init__(self, label, fields, answers, values=None, numbers=None, tables=None):
        self.label = label
        self.declared = {"fields": fields, "values": values or {}, "numbers": numbers or {}, "tables": tables or {}}
        self.answers = answers

    def run(self, requests):
        return [self.answers(name, inputs) for name, inputs in requests]


MONEY = {"name": "value", "kind": "money", "default": None, "minimum": 0, "maximum": None, "required": True}
FLAG = {"name": "flag", "kind": "boolean", "default": None, "minimum": None, "maximum": None, "required": False}
WHEN = {"name": "when", "kind": "date", "default": None, "minimum": None, "maximum": None, "required": False}
RATE = {"name": "rate", "kind": "number", "default": 1, "minimum": 1, "maximum": 9, "required": False}


def ok(value, rule="R1"):
    return {"ok": True, "calculator": "c", "result": {"value": value}, "reasons": [{"rule": rule, "text": "t"}]}


def test_the_report_covers_new_calculators_new_fields_crashes_errors_and_wording():
    old = Fake(
        "old",
        {"c": [MONEY], "gone": [MONEY]},
        lambda name, inputs: (
            {"ok": True, "calculator": name, "result": {"v": [1, 2, 3, 4, 5]}, "reasons": []}
            if inputs.get("value") == 7
            else ok(inputs.get("value")) | {"reasons": [{"rule": "R1", "text": "old words"}]}
        ),
        numbers={"EDGE": 10, "PAIR": [1, 2]},
    )
    new = Fake(
        "working tree",
        {"c": [MONEY, FLAG, WHEN, RATE], "fresh": [MONEY]},
        lambda name, inputs: (
            {"ok": False, "crashed": "KeyError: x"}
            if inputs.get("value") == 11
            else {"ok": False, "calculator": name, "errors": {"calculator": "The calculator failed unexpectedly (X)."}}
            if inputs.get("value") == 9
            else {"ok": False, "calculator": name, "errors": {"value": "bad"}}
            if inputs.get("value") == 0
            else ok(inputs.get("value"), "R2" if inputs.get("flag") else "R1")
        ),
        values={"T1": "$5"},
        numbers={"EDGE": 12, "PAIR": [1, 2]},
        tables={"t": [["h"], []]},
    )
    found = impact.compare(old, new)
    assert found["values"] == {"T1": (None, "$5")} and found["numbers"] == {"EDGE": (10, 12)}
    assert found["tables"] == ["t"]
    c = found["calculators"]["c"]
    assert c["fields_added"] == ["flag", "rate", "when"] and c["reworded"] > 0 and c["changed"]
    assert found["calculators"]["fresh"]["new"]
    text = impact.report(found, ["docs/x.md:1: rule `T1`"], "abc1234", "main")
    assert "### `fresh`: a new calculator" in text and "New fields: `flag`, `rate`, `when`." in text
    assert "crashed: KeyError: x" in text and "errors: value: bad" in text
    assert "more inputs keep their answer" in text and "## Inputs on which a version fails" in text
    assert impact._short([1, 2, 3, 4, 5]) == "[1, 2, 3, ... (5 in all)]"
    assert "failed unexpectedly" in text and "(no such calculator)" in text
    assert "- docs/x.md:1: rule `T1`" in text


def test_a_logic_change_with_no_value_change_says_so():
    same = {"c": [MONEY]}
    found = impact.compare(Fake("old", same, lambda n, i: ok(1)), Fake("new", same, lambda n, i: ok(2)))
    text = impact.report(found, [], "abc", "HEAD")
    assert (
        "None (the change is in a calculator's logic)." in text
        and "## Pages that show a changed value\n\nNone." in text
    )


def test_inputs_cover_thresholds_month_ends_and_leap_days_and_stay_under_the_cap():
    fields = [MONEY, FLAG, WHEN, {**FLAG, "name": "other"}, {**RATE, "kind": "choice", "choices": ["a", "b"]}]
    inputs = impact.inputs_for(fields, [20_000, 60_000])
    values = {i["value"] for i in inputs}
    assert {19_999, 20_000, 20_001, 59_999, 60_000, 60_001} <= values
    assert {"2024-02-29", "2024-01-31", "2026-12-31"} <= {i.get("when") for i in inputs}
    assert len(impact.inputs_for(fields, [20_000, 60_000], cap=40)) == 40
    assert impact.inputs_for([FLAG], []) == [{}, {"flag": False}, {"flag": True}]
    assert impact.numeric_candidates({**RATE, "minimum": None, "maximum": None, "kind": "number"}, [])[-1] == 0.5
