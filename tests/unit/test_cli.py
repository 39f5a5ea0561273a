"""The command line: same contract, JSON out, exit 0 or 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import calculators
from calculators.__main__ import main


def test_readme_example_in_a_real_process():
    done = subprocess.run(
        [sys.executable, "-m", "calculators", "trial-length", "annual_value=45000", "start_date=2026-01-10"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)["result"]
    assert (result["trial_days"], result["end_date"]) == (14, "2026-01-24")


def test_output_equals_run(capsys):
    assert main(["checkin-cadence", "annual_value=80,000", "close_date=2026-01-30", "interval_weeks=1"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == calculators.run(
        "checkin-cadence", {"annual_value": "80,000", "close_date": "2026-01-30", "interval_weeks": "1"}
    )


def test_errors_exit_2_and_name_the_field(capsys):
    assert main(["large-deal", "annual_value=lots"]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out)["errors"].keys() == {"annual_value"}
    assert "error: annual_value:" in captured.err


def test_list_names_calculators_and_fields(capsys):
    assert main(["--list"]) == 0
    out = capsys.readouterr().out
    for name in calculators.names():
        assert f"{name}:" in out
    assert "start_date" in out and "interval_weeks" in out


@pytest.mark.parametrize("name", calculators.names())
def test_help_per_calculator_lists_every_field(name, capsys):
    with pytest.raises(SystemExit) as done:
        main([name, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for field in calculators.describe(name)["fields"]:
        assert field["name"] in out and field["label"] in out


def test_no_calculator_prints_help(capsys):
    assert main([]) == 2
    assert "trial-length" in capsys.readouterr().out


def test_malformed_assignment(capsys):
    with pytest.raises(SystemExit) as done:
        main(["trial-length", "45000"])
    assert done.value.code == 2
    assert "is not field=value" in capsys.readouterr().err
