"""Every bad block and reference is rejected by the plugin's page check, on its line, with its message.

One page per case in tests/fixtures/bad-blocks/ (README.txt there), each opening with the
line and words expected. No build: check_page() is what the plugin's on_page_markdown runs
before it turns the problems into docs/<page>.md:<line> errors; tests/site/test_errors.py
builds a few such pages to keep that path through `mkdocs build --strict` covered.
"""

from __future__ import annotations

import pytest
from handbook_calculators.page_check import check_page

from calculators import references
from tests.helpers import BAD_BLOCKS, bad_block_cases

CASES = bad_block_cases()
#: Lines of front matter MkDocs strips before the plugin sees a page (as in "---", three
#: keys, "---"): the page check is then told the Markdown starts on the line after them.
FRONT_MATTER_LINES = 5


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
@pytest.mark.parametrize("front_matter", [False, True], ids=["plain", "front-matter"])
def test_bad_block_is_reported_on_its_line(case, front_matter):
    offset = FRONT_MATTER_LINES if front_matter else 0
    _, problems = check_page(case.markdown, 1 + offset, references.values(), references.tables())
    assert len(problems) == 1, problems
    line, message = problems[0]
    assert line == case.line + offset, problems
    assert case.words in message, problems


def test_every_fixture_is_read():
    assert len(CASES) == len(list(BAD_BLOCKS.glob("*.md"))) >= 30


def test_a_good_page_has_no_problems():
    page = "# Deals\n\nOver [[rule:T1]] a year.\n\n```calculator trial-length\nid: t\n```\n"
    blocks, problems = check_page(page, 6, references.values(), references.tables())
    assert problems == []
    assert [(block.name, block.id, block.line) for block in blocks] == [("trial-length", "t", 10)]
