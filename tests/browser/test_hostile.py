"""Hostile text typed into any field renders as text: no markup, no script, no dialog."""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_ready

HOSTILE = ["<img src=x onerror=alert(1)>", '"><script>alert(1)</script>', "javascript:alert(1)"]


@pytest.mark.parametrize(
    ("path", "block"),
    [
        ("sales/inbound/", "#qualify-lead"),
        ("sales/inbound/", "#trial-sizing"),
        ("sales/inbound/", "#checkin-plan"),
        ("sales/how-we-work/", "#large-deal-check"),
    ],
)
def test_hostile_text_in_every_text_field(watched, server, path, block):
    page = watched.page
    page.goto(server.url + path)
    wait_ready(page, block)
    page.evaluate("(sel) => document.querySelectorAll(sel + ' details').forEach((d) => { d.open = true; })", block)
    fields = page.eval_on_selector_all(f'{block} input[type="text"]', "els => els.map((el) => el.id)")
    assert fields
    for text in HOSTILE:
        for field in fields:
            page.fill(f"#{field}", text)
            page.wait_for_selector(f"#{field}[aria-invalid='true']")
            message = page.text_content(f"#{field}-error")
            assert message and text[:20] in message  # shown, as text
            assert page.input_value(f"#{field}") == text  # nothing the reader typed is lost
    assert page.locator(f"{block} img, {block} script").count() == 0
    assert watched.dialogs == []
