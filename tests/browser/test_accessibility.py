"""Accessible on every page of the built site, in both colour schemes and on a phone:
axe-core (WCAG 2.0/2.1/2.2 A and AA) after the calculators are live; the keyboard alone;
what a screen reader hears; reflow at 320 CSS pixels."""

from __future__ import annotations

import pytest

from tests.helpers import REPO, Watched, wait_ready

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
#: (name, viewport, colour scheme the browser asks for)
VIEWS = [
    ("desktop-light", {"width": 1280, "height": 900}, "light"),
    ("desktop-dark", {"width": 1280, "height": 900}, "dark"),
    ("phone-light", {"width": 375, "height": 740}, "light"),
]


def site_pages(server) -> list[str]:
    """Every page of the built site (and its 404 page), as a path under the server's root."""
    pages = [
        str(path.relative_to(server.root).parent).replace(".", "") + "/"
        for path in server.root.rglob("index.html")
        if "assets" not in path.parts
    ]
    return [*sorted(pages), "404.html"]


def serious_violations(page) -> list[tuple[str, str, list]]:
    page.add_script_tag(path=str(AXE))
    report = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG
    )
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
        for v in report["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(("view", "viewport", "scheme"), VIEWS, ids=[v[0] for v in VIEWS])
def test_every_page_has_no_serious_axe_violation(browser, server, view, viewport, scheme):
    context = browser.new_context(viewport=viewport, color_scheme=scheme, reduced_motion="reduce")
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    try:
        watched = Watched(context.new_page())
        page = watched.page
        found = {}
        pages = site_pages(server)
        assert len(pages) >= 9, pages
        for path in pages:
            page.goto(server.url + path.lstrip("/"))
            expected = "slate" if scheme == "dark" else "default"
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
            # The calculators live (or failed, which is also the page as a reader gets it).
            page.wait_for_function(
                "[...document.querySelectorAll('.calc')].every((c) => ['ready', 'error'].includes(c.dataset.state))"
            )
            # Every block laid out, as a reader scrolling through meets it: on pages with
            # calculators, off-screen blocks skip layout (content-visibility), and axe would
            # report their colours as unknown rather than check them.
            page.add_style_tag(content=".md-typeset * { content-visibility: visible !important; }")
            if violations := serious_violations(page):
                found[path] = violations
        assert found == {}, found
        watched.assert_clean()
    finally:
        context.close()


@pytest.fixture
def keyboard_page(browser, server):
    """A watched desktop page that may use the clipboard and download files."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
        accept_downloads=True,
    )
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    watched = Watched(context.new_page())
    yield watched.page
    watched.assert_clean()
    context.close()


FOCUS = """() => {
  const el = document.activeElement;
  // A field's focus ring is drawn on its control box (calculators.css).
  const style = getComputedStyle(el.closest('.calc__control') || el);
  return {id: el.id, action: el.dataset.action || null, tag: el.tagName,
          visible: style.outlineStyle !== 'none' && style.outlineWidth !== '0px'};
}"""


def test_the_keyboard_alone_uses_a_calculator_end_to_end(keyboard_page, server):
    page = keyboard_page
    page.goto(server.url + "sales/inbound/#trial-sizing")
    wait_ready(page, "#trial-sizing")
    page.keyboard.press("Tab")  # from the block the link pointed at, into its first field
    assert page.evaluate(FOCUS) == {"id": "trial-sizing-annual_value", "action": None, "tag": "INPUT", "visible": True}
    page.keyboard.press("Control+A")
    page.keyboard.type("75000")
    page.wait_for_function(
        "JSON.parse(document.querySelector('#trial-sizing').dataset.result).result?.trial_days === 28"
    )
    # On through the date field to the buttons, focus always visible, never leaving the block.
    seen = []
    for _ in range(10):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        assert focus["visible"], focus
        seen.append(focus["id"] or focus["action"])
        if focus["action"] == "copy-link":
            break
    assert seen[0] == "trial-sizing-start_date" and seen[-1] == "copy-link", seen
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#trial-sizing .calc__note').textContent === 'Link copied.'")
    assert "trial-sizing.annual_value=75000" in page.evaluate("navigator.clipboard.readText()")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS)["action"] == "copy-summary"
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#trial-sizing .calc__note').textContent === 'Summary copied.'")
    assert "28 days" in page.evaluate("navigator.clipboard.readText()")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS) == {"id": "", "action": "calendar", "tag": "BUTTON", "visible": True}
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "trial-sizing.ics"


ANNOUNCED = """() => {
  const region = document.querySelector('#trial-sizing .calc__announce');
  window.__announced = [];
  new MutationObserver(() => window.__announced.push(region.textContent))
    .observe(region, {childList: true, characterData: true, subtree: true});
}"""


def test_a_new_answer_is_announced_once_politely_and_an_error_is_tied_to_its_field(watched, server):
    page = watched.page
    page.goto(server.url + "sales/inbound/")
    wait_ready(page, "#trial-sizing")
    region = page.locator("#trial-sizing .calc__announce")
    assert region.get_attribute("role") == "status"  # polite: waits for the reader to pause
    assert page.locator("#trial-sizing .calc__output").get_attribute("aria-live") is None
    page.evaluate(ANNOUNCED)
    page.fill("#trial-sizing-annual_value", "")
    page.locator("#trial-sizing-annual_value").press_sequentially("75000", delay=40)  # five changes of the answer
    page.wait_for_function("window.__announced.length > 0")
    page.wait_for_timeout(1500)
    announced = page.evaluate("window.__announced")
    assert len(announced) == 1, announced
    assert "Trial length (days): 28." in announced[0]
    # An error: announced by the field's own live message, and tied to the field.
    page.fill("#trial-sizing-annual_value", "lots")
    field = page.locator("#trial-sizing-annual_value")
    page.wait_for_selector("#trial-sizing-annual_value[aria-invalid='true']")
    error = page.locator("#trial-sizing-annual_value-error")
    assert error.get_attribute("aria-live") == "polite" and "must be a number" in error.text_content()
    description = page.evaluate(
        """(id) => document.getElementById(id).getAttribute('aria-describedby').split(' ')
             .map((ref) => document.getElementById(ref).textContent).join(' ')""",
        "trial-sizing-annual_value",
    )
    assert "must be a number" in description
    # ... as the accessibility tree has it (Chromium's own computation).
    client = page.context.new_cdp_session(page)
    node = client.send(
        "DOM.querySelector",
        {"nodeId": client.send("DOM.getDocument")["root"]["nodeId"], "selector": "#trial-sizing-annual_value"},
    )
    ax = client.send("Accessibility.getPartialAXTree", {"nodeId": node["nodeId"], "fetchRelatives": False})["nodes"][0]
    props = {p["name"]: p["value"].get("value") for p in ax.get("properties", [])}
    assert "must be a number" in ax["description"]["value"] and props.get("invalid") == "true"
    assert field.is_visible()


def test_calculators_reflow_at_320_pixels_and_respect_reduced_motion(browser, server):
    context = browser.new_context(viewport={"width": 320, "height": 640}, reduced_motion="reduce")
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    try:
        watched = Watched(context.new_page())
        page = watched.page
        for path in ("sales/inbound/", "sales/how-we-work/", "sales/product-led/", "sales/outbound/"):
            page.goto(server.url + path)
            page.wait_for_function("[...document.querySelectorAll('.calc')].every((c) => c.dataset.state === 'ready')")
            page.add_style_tag(content=".md-typeset * { content-visibility: visible !important; }")
            widths = page.evaluate(
                "() => [...document.querySelectorAll('.calc')].map((c) => [c.id, c.scrollWidth, c.clientWidth])"
            )
            assert widths and all(scroll <= client for _, scroll, client in widths), (path, widths)
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
            duration = page.evaluate("getComputedStyle(document.querySelector('.calc__output')).transitionDuration")
            assert duration == "0s", duration
        watched.assert_clean()
    finally:
        context.close()
