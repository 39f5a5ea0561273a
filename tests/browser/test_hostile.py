"""Hostile text typed into any field renders as text: no markup, no script, no dialog."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.helpers import HOSTILE, wait_ready

#: Every calculator block in the handbook, by page.
BLOCKS = [
    ("sales/inbound/", "#qualify-lead"),
    ("sales/inbound/", "#trial-sizing"),
    ("sales/inbound/", "#checkin-plan"),
    ("sales/inbound/", "#rfp-check"),
    ("sales/inbound/", "#lost-follow-ups"),
    ("sales/how-we-work/", "#large-deal-check"),
    ("sales/outbound/", "#circle-check"),
    ("sales/product-led/", "#qualify-product-led"),
    ("sales/product-led/", "#product-led-outreach"),
]


@pytest.mark.parametrize(("path", "block"), BLOCKS)
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
            # The message for *this* text (the field is already marked from the previous one).
            expect(page.locator(f"#{field}-error")).to_contain_text(text[:20])  # shown, as text
            expect(page.locator(f"#{field}")).to_have_attribute("aria-invalid", "true")
            assert page.input_value(f"#{field}") == text  # nothing the reader typed is lost
    assert page.locator(f"{block} img, {block} script").count() == 0
    assert watched.dialogs == []


def test_the_list_covers_every_calculator_in_the_handbook(server):
    from bs4 import BeautifulSoup

    site = server.httpd.RequestHandlerClass.keywords["directory"]
    from pathlib import Path

    found = set()
    for page in Path(site).rglob("index.html"):
        path = str(page.parent.relative_to(site)) + "/"
        for root in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(".calc[data-calculator]"):
            found.add((path.removeprefix("./"), f"#{root['id']}"))
    assert found == set(BLOCKS)
