"""The pull-request workflow writes the impact report to the job summary and uploads the site.

The workflow's own shell step is run here, as the runner would, in a repository with a
pull request's shape: main on the remote, a branch that moves a threshold."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import yaml

from tests.helpers import REPO

WORKFLOW = REPO / ".github" / "workflows" / "site.yml"


def review_job() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["review"]


def test_the_review_job_runs_on_pull_requests_and_uploads_the_built_site():
    job = review_job()
    assert job["if"] == "github.event_name == 'pull_request'"
    steps = job["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    assert any(step.get("run") == "make build" for step in steps)
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site"


def test_the_impact_step_writes_the_report_to_the_job_summary(tmp_path):
    step = next(step for step in review_job()["steps"] if "calculators impact" in step.get("run", ""))
    origin, work = tmp_path / "origin", tmp_path / "work"
    for part in ("calculators", "docs"):
        shutil.copytree(REPO / part, origin / part, ignore=shutil.ignore_patterns("__pycache__"))
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=origin, check=True)
    subprocess.run([*git, "add", "-A"], cwd=origin, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=origin, check=True)
    subprocess.run(["git", "clone", "-q", str(origin), str(work)], check=True)
    subprocess.run([*git, "checkout", "-qb", "pr"], cwd=work, check=True)
    rules = work / "calculators" / "rules.py"
    rules.write_text(rules.read_text().replace("LONG_TRIAL_DAYS: Days = 28", "LONG_TRIAL_DAYS: Days = 30"))
    subprocess.run([*git, "commit", "-qam", "L3: 30 days"], cwd=work, check=True)
    summary = tmp_path / "summary.md"
    # The runner's environment: python on PATH is the one with the project installed.
    env = {
        **os.environ,
        "GITHUB_STEP_SUMMARY": str(summary),
        "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}",
        "BASE": step["env"]["BASE"].replace("${{ github.base_ref }}", "main"),
    }
    done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=work, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    text = summary.read_text(encoding="utf-8")
    assert "| L3.days | 28 | 30 |" in text and "### `trial-length`:" in text
