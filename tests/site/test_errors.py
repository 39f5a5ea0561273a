"""Malformed declarations fail `mkdocs build --strict` with docs/<page>.md:<line> and no traceback.

Every bad block and reference (tests/fixtures/bad-blocks/) is checked without a build, by
the plugin's page check, in tests/unit/test_bad_blocks.py. The builds here keep the path
through MkDocs covered for a few of them: the front matter MkDocs strips, a page in a
folder, a block inside an admonition, a fence that would render as code, a reference.
"""

from __future__ import annotations

import pytest

from tests.helpers import BASE_CONFIG, PYODIDE_DIR, bad_block_cases

FRONT = "---\ntitle: Deals\nsidebar: Handbook\n---\n\n"  # 5 lines before the Markdown starts
CASES = {case.id: case for case in bad_block_cases()}
#: (fixture id, with front matter): built whole.
BUILT = [
    ("unknown-option", True),
    ("in-admonition", False),
    ("glued-to-admonition", True),  # would render as code: the build must stop instead
    ("unknown-rule", True),
]


@pytest.mark.parametrize(
    ("case_id", "front_matter"), BUILT, ids=[f"{id_}-{'front-matter' if fm else 'plain'}" for id_, fm in BUILT]
)
def test_malformed_declaration_names_file_and_line(build, case_id, front_matter):
    case = CASES[case_id]
    page = (FRONT + case.markdown) if front_matter else case.markdown
    expected_line = case.line + (FRONT.count("\n") if front_matter else 0)
    done, _ = build({"index.md": "# Home\n", "deals/page.md": page})
    assert done.returncode == 1, done.stderr
    assert f"docs/deals/page.md:{expected_line}: " in done.stderr, done.stderr
    assert case.words in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_every_problem_on_a_page_is_listed(build):
    done, _ = build({"index.md": "```calculator nope\n```\n\n```calculator trial-length\nx: 1\n```\n\n[[rule:X]]\n"})
    for where in ("docs/index.md:1:", "docs/index.md:5:", "docs/index.md:8:"):
        assert where in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_pyodide_says_how_to_fix(build, tmp_path):
    done, _ = build({"index.md": "# Home\n"}, BASE_CONFIG.replace(str(PYODIDE_DIR), str(tmp_path / "nowhere")))
    assert done.returncode == 1
    assert "Pyodide runtime is not installed" in done.stderr and "npm ci" in done.stderr
    assert "Traceback" not in done.stderr
