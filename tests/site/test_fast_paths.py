"""The build's shortcuts give what the plain way gives: the split CommonMark parse, and libyaml for plain blocks."""

from __future__ import annotations

import pytest
import yaml
from handbook_calculators import blocks
from handbook_calculators.references import check_references, may_hold_reference
from handbook_calculators.scan import _parse, walk
from markdown_it import MarkdownIt

MARKDOWN = [
    "# Title {#t}\n\nText with [a link][ref] and `code {{ x }}`.\n\n[ref]: https://example.com\n",
    "- one\n- two [[rule:T1]]\n\n    ```calculator trial-length\n    id: x\n    ```\n",
    "!!! note\n\n    Over [[rule:T0]] a year.\n\n> quoted *emphasis* &amp; more\n",
    "Line\n```calculator trial-length\n```\n\n| a | b |\n|---|---|\n| x | 50% |\n",
]


@pytest.mark.parametrize("markdown", MARKDOWN)
def test_the_split_parse_is_one_commonmark_parse(markdown):
    whole = [token.as_dict() for token in MarkdownIt("commonmark").parse(markdown)]
    assert [token.as_dict() for token in _parse(markdown, None)] == whole


@pytest.mark.parametrize(
    "markdown",
    [
        "Escaped \\[\\[ T1 ]] brackets.\n",
        "Entities &#91;&#91; T1 ]] and &lbrack;[ rule:X ]].\n",
        "An autolink <https://example.com/%5B%5B%20T1%20%5D%5D>.\n",
        "A [link [[rule:Y]]][r] to a reference.\n\n[r]: https://example.com\n",
        "!!! tip\n\n    Half [&#91; T1 ]] in a container.\n",
        "The old syntax, &#123;{ rule:T1 }}, spelt with an entity.\n",
    ],
)
def test_the_reference_check_parses_every_inline_that_can_hold_a_reference(markdown):
    def problems(inline):
        return check_references(list(walk(markdown, inline=inline)), {"T1": "$1"}, {})

    assert problems(may_hold_reference) == problems(None)
    assert problems(None)


needs_libyaml = pytest.mark.skipif(blocks._FastLoader is None, reason="PyYAML without libyaml")


@needs_libyaml
@pytest.mark.parametrize(
    "body",
    [
        "id: trial-3\nannual_value: 12811\nstart_date: 2026-04-04\n",
        "loss_reason: stayed with current setup\n\nactive: yes\nsigned_up: off\n",
        "a: 0x1F\nb: 1_000\nc: -1.5e3\nd: +7\ne: .5\nf: null\ng: True\nh: 2026-02-30",
    ],
)
def test_plain_bodies_read_the_same_with_libyaml(body):
    assert blocks._PLAIN_MAPPING.fullmatch(body)
    fast = yaml.load(body, Loader=blocks._FastLoader)
    assert repr(fast) == repr(yaml.load(body, Loader=blocks._Loader))


@pytest.mark.parametrize(
    "body",
    ["a: b\t\n", "a: !!str 1\n", "a: |#\n", "a: 'quoted'\n", "a: b # note\n", "a:\n", "- 1\n", "1: 2\n", "a: [1, 2\n"],
)
def test_other_bodies_keep_the_pure_python_reading(body):
    assert not blocks._PLAIN_MAPPING.fullmatch(body)
