"""Malformed declarations fail `mkdocs build --strict` with docs/<page>.md:<line> and no traceback."""

from __future__ import annotations

import pytest

FRONT = "---\ntitle: Deals\nsidebar: Handbook\n---\n\n"  # 5 lines before the Markdown starts

CASES = [
    # (id, page text, line, words in the message)
    (
        "unknown-calculator",
        "```calculator trial-lenght\n```\n",
        1,
        "unknown calculator 'trial-lenght'. Known calculators: lead-qualification, trial-length",
    ),
    ("no-name", "```calculator\n```\n", 1, "name the calculator after 'calculator'"),
    ("extra-words", "```calculator trial-length big\n```\n", 1, "unexpected text after the calculator name"),
    (
        "unknown-option",
        "```calculator trial-length\nannual_value: 1\nanual_value: 2\n```\n",
        3,
        "unknown option 'anual_value' for calculator 'trial-length'. Valid options: id, annual_value, start_date",
    ),
    (
        "wrong-type",
        "```calculator trial-length\nannual_value: lots\n```\n",
        2,
        "bad default for 'annual_value': Expected annual contract value must be a number",
    ),
    (
        "out-of-range",
        "```calculator checkin-cadence\nannual_value: 1\nclose_date: 2026-01-01\nhorizon_months: 40\n```\n",
        4,
        "must be at most 36",
    ),
    ("bad-choice", "```calculator checkin-cadence\ninterval_weeks: 3\n```\n", 2, 'must be one of "1", "2"'),
    ("bad-date", "```calculator trial-length\nstart_date: 2026-02-30\n```\n", 2, "Trial start date"),
    ("bad-boolean", "```calculator large-deal\npays_by_check: maybe\n```\n", 2, "must be yes or no"),
    ("malformed-yaml", "```calculator trial-length\nannual_value: [1, 2\nstart_date: x\n```\n", 3, "YAML is malformed"),
    ("yaml-list", "```calculator trial-length\n- 1\n- 2\n```\n", 2, "must be 'option: value' lines"),
    ("yaml-scalar", "```calculator trial-length\njust words\n```\n", 2, "not a str"),
    ("bad-id", "```calculator trial-length\nid: Big Trial\n```\n", 2, "id must be lowercase letters"),
    ("numeric-key", "```calculator trial-length\n1: 2\n```\n", 2, "option names must be words"),
    (
        "duplicate-id",
        "```calculator trial-length\nid: t\n```\n\n```calculator large-deal\nid: t\n```\n",
        5,
        "duplicate calculator id 't' (first used on line",
    ),
    (
        "duplicate-default-id",
        "```calculator trial-length\n```\n\n```calculator trial-length\n```\n",
        4,
        "duplicate calculator id 'trial-length'",
    ),
    ("in-admonition", "!!! note\n\n    ```calculator nope\n    ```\n", 3, "unknown calculator 'nope'"),
    ("in-tab", '=== "A"\n\n    ```calculator trial-length\n    colour: red\n    ```\n', 4, "unknown option 'colour'"),
    ("in-list", "- item\n\n    ```calculator trial-length\n    annual_value: -5\n    ```\n", 4, "must be at least 0"),
    ("glued-to-admonition", "!!! note\n    ```calculator trial-length\n    ```\n", 2, "glued to the line above"),
    ("unknown-rule", "The threshold is {{ rule:T99 }}.\n", 1, "unknown rule reference 'T99'. Known: T1, T2"),
    ("unknown-table", "Intro\n\n{{ table:trials }}\n", 3, "unknown table reference 'trials'"),
    ("not-a-reference", "Line one\nline {{ T1 }} two\n", 2, "is not a reference"),
    ("rule-in-admonition", "!!! tip\n\n    Over {{ rule:T0 }} a year.\n", 3, "unknown rule reference 'T0'"),
    (
        "hostile-default",
        '```calculator trial-length\nannual_value: "<img src=x onerror=alert(1)>"\n```\n',
        2,
        "bad default for 'annual_value'",
    ),
    ("hostile-id", "```calculator trial-length\nid: '\"><script>alert(1)</script>'\n```\n", 2, "id must be lowercase"),
    ("rule-in-heading", "# Title\n\n## Over {{ rule:T9 }}\n", 3, "unknown rule reference 'T9'"),
    ("rule-in-table", "| a | b |\n|---|---|\n| x | {{ rule:L9.days }} |\n", 3, "unknown rule reference 'L9.days'"),
    ("rule-in-list", "- one\n- two {{ rule:C9 }}\n", 2, "unknown rule reference 'C9'"),
    ("wrong-kind", "Text {{ rules:T1 }}.\n", 1, "is not a reference"),
    ("empty-reference", "Text {{ }}.\n", 1, "is not a reference"),
    (
        "in-collapsible",
        '??? note "More"\n\n    ```calculator large-deal\n    annual_value: 1\n    sole_user: yes\n    ```\n',
        5,
        "unknown option 'sole_user'",
    ),
    ("in-blockquote", "> ```calculator trial-length\n> annual_value: x\n> ```\n", 2, "bad default for 'annual_value'"),
]


@pytest.mark.parametrize(("text", "line", "words"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
@pytest.mark.parametrize("front_matter", [False, True], ids=["plain", "front-matter"])
def test_malformed_declaration_names_file_and_line(build, text, line, words, front_matter):
    page = (FRONT + text) if front_matter else text
    expected_line = line + (FRONT.count("\n") if front_matter else 0)
    done, _ = build({"index.md": "# Home\n", "deals/page.md": page})
    assert done.returncode == 1, done.stderr
    assert f"docs/deals/page.md:{expected_line}: " in done.stderr, done.stderr
    assert words in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_every_problem_on_a_page_is_listed(build):
    done, _ = build({"index.md": "```calculator nope\n```\n\n```calculator trial-length\nx: 1\n```\n\n{{ rule:X }}\n"})
    for where in ("docs/index.md:1:", "docs/index.md:5:", "docs/index.md:8:"):
        assert where in done.stderr


def test_missing_pyodide_says_how_to_fix(build, tmp_path):
    from tests.conftest import BASE_CONFIG, PYODIDE_DIR

    done, _ = build({"index.md": "# Home\n"}, BASE_CONFIG.replace(str(PYODIDE_DIR), str(tmp_path / "nowhere")))
    assert done.returncode == 1
    assert "Pyodide runtime is not installed" in done.stderr and "npm ci" in done.stderr
    assert "Traceback" not in done.stderr
