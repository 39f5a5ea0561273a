"""The real handbook: builds strictly, single-sources every rule-owned number, links resolve."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from handbook_calculators.scan import text_lines, walk

import calculators
from calculators import references, rules
from tests.helpers import BASE_CONFIG, REPO, build_project, write_site

DOCS = REPO / "docs"
PAGES = sorted(DOCS.rglob("*.md"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("handbook") / "site"
    done = build_project(REPO, out)
    assert done.returncode == 0, done.stderr
    return out


def html(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def test_every_page_renders_its_references(site):
    for page in site.rglob("*.html"):
        text = html(site, str(page.relative_to(site))).select_one("article, body").get_text()
        assert "{{" not in text and "[[rule:" not in text and "[[table:" not in text, page
        assert "hbcalcslot" not in text, page


def test_rule_values_reach_the_prose(site):
    page = html(site, "sales/inbound/index.html")
    values = {span["data-rule"]: span.get_text() for span in page.select("span.rule-value")}
    assert values["T1"] == "$20,000"
    assert set(values) <= set(references.values())


@pytest.mark.parametrize(
    ("page", "table"),
    [
        ("sales/inbound/index.html", "trial-length"),
        ("sales/inbound/index.html", "checkin-cadence"),
        ("sales/inbound/index.html", "closed-lost-follow-ups"),
        ("sales/how-we-work/index.html", "large-deal-criteria"),
        ("sales/product-led/index.html", "product-led-triggers"),
        ("sales/outbound/index.html", "outbound-circles"),
    ],
)
def test_rule_tables_are_generated(site, page, table):
    element = html(site, page).select_one(f'table[data-table="{table}"]')
    header, rows = references.tables()[table]
    assert [th.get_text() for th in element.select("thead th")] == list(header)
    assert [tuple(td.get_text() for td in tr.select("td")) for tr in element.select("tbody tr")] == rows


@pytest.mark.parametrize(
    ("page", "block_id", "name", "section"),
    [
        ("sales/inbound/index.html", "qualify-lead", "lead-qualification", "assign-and-qualify"),
        ("sales/product-led/index.html", "qualify-product-led", "lead-qualification", "product-led-leads"),
        ("sales/inbound/index.html", "trial-sizing", "trial-length", "product-evaluation"),
        ("sales/inbound/index.html", "checkin-plan", "checkin-cadence", "closed-won"),
        ("sales/how-we-work/index.html", "large-deal-check", "large-deal", "large-and-enterprise-deals"),
        ("sales/inbound/index.html", "rfp-check", "rfp-triage", "rfps"),
        ("sales/inbound/index.html", "lost-follow-ups", "follow-ups", "closed-lost"),
        ("sales/outbound/index.html", "circle-check", "outbound-circle", "seven-circles"),
        ("sales/product-led/index.html", "product-led-outreach", "product-led", "reaching-out"),
    ],
)
def test_calculators_sit_where_their_rules_are_discussed(site, page, block_id, name, section):
    widget = html(site, page).select_one(f"#{block_id}")
    assert widget["data-calculator"] == name
    headings = [h for h in widget.find_all_previous(["h2", "h3", "h4"]) if h.get("id")]
    h2 = next(h for h in headings if h.name == "h2")
    assert section in {h["id"] for h in headings[: headings.index(h2) + 1]}
    output = json.loads(widget["data-result"])
    assert output["ok"], output


def test_every_reason_source_exists_in_the_site(site):
    for rule, source in rules.SOURCES.items():
        page, _, anchor = source.partition("#")
        built = site / page.removesuffix(".md") / "index.html"
        assert html(site, str(built.relative_to(site))).find(id=anchor) is not None, (rule, source)


def test_internal_links_resolve_and_absolute_ones_go_to_the_public_site(site):
    for page in site.rglob("*.html"):
        for link in html(site, str(page.relative_to(site))).select("article a[href]"):
            href = link["href"]
            if href.startswith(("http://", "https://", "mailto:")):
                continue
            assert not href.startswith("/"), (page, href)
            target, _, anchor = href.partition("#")
            resolved = (page.parent / target).resolve() if target else page
            if resolved.is_dir():
                resolved = resolved / "index.html"
            assert resolved.is_file(), (page, href)
            if anchor:
                assert html(site, str(resolved.relative_to(site))).find(id=anchor), (page, href)
    crm = html(site, "sales/overview/index.html").select_one('a[href="https://posthog.com/handbook/growth/sales/crm"]')
    assert crm is not None


#: How prose writes a number of each unit (rules.py annotates every rule-owned number).
_UNIT_WORDS = {"Days": "days?", "Weeks": "weeks?", "Months": "months?", "Minutes": "minutes?"}
_NUMBER_WORDS = dict(
    enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
    )
)


def owned_numbers() -> list[tuple[str, str, int]]:
    """``(name, unit, value)`` of every rule-owned number in rules.py, read from its annotations."""
    found = []
    for name, annotation in rules.__annotations__.items():
        value = getattr(rules, name)
        for unit, number in zip(re.findall(r"\b[A-Z][a-z]+\b", annotation), _as_tuple(value), strict=False):
            found.append((name, unit, number))
    return found


def _as_tuple(value: object) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def _forbidden() -> list[re.Pattern[str]]:
    """Every way a page could type a rule-owned value instead of referencing it, derived
    from rules.py: a number written with its unit ("14-day", "two weeks", "$20K")."""
    patterns = []
    for name, unit, n in owned_numbers():
        said = rf"({n}|{_NUMBER_WORDS[n]})" if n in _NUMBER_WORDS else str(n)
        if unit == "Usd":
            patterns += [rf"\${n:,}\b", rf"\${n}\b", rf"\b{n:,}\b"]
            if n % 1000 == 0:
                patterns.append(rf"\$?\b{n // 1000}\s?[kK]\b")
        elif unit in _UNIT_WORDS:
            patterns.append(rf"\b{said}[ -]{_UNIT_WORDS[unit]}\b")
            if unit == "Days" and n and n % 7 == 0:  # a trial of 14 days is "two weeks" too
                weeks = n // 7
                patterns.append(rf"\b({weeks}|{_NUMBER_WORDS.get(weeks, weeks)})[ -]weeks?\b")
        elif unit == "Percent":
            patterns.append(rf"\b{n}\s?%")
        elif unit == "Count":
            # What it counts is the name's last word: PRODUCT_LED_EMPLOYEES -> "50 employees".
            noun = name.rsplit("_", 1)[-1].lower().removesuffix("s")
            patterns.append(rf"\b{said} {noun}s?\b")
            if n >= 1000:  # a number that big is distinctive on its own
                patterns.append(rf"\b{n:,}\b")
    # Ranges and ratios of two rule-owned numbers.
    low, high = rules.HIGH_TOUCH_INTERVAL_WEEKS
    patterns += [
        rf"\b{low}\s?[-–]\s?{high} weeks\b",
        rf"\b{rules.LARGE_DEAL_CRITERIA_NEEDED} (of|out of) (the )?{len(rules.LARGE_DEAL_CRITERIA)}\b",
    ]
    return [re.compile(pattern, re.IGNORECASE) for pattern in patterns]


def test_every_rule_owned_number_has_a_unit():
    """A new threshold in rules.py must say what it counts, or the prose check would miss it."""
    bare = [
        name
        for name, value in vars(rules).items()
        if name.isupper()
        and (type(value) is int or (isinstance(value, tuple) and value and all(type(v) is int for v in value)))
        and name not in rules.__annotations__
    ]
    assert bare == [], f"annotate these in calculators/rules.py with their unit (Usd, Days, ...): {bare}"
    known = {"Usd", "Percent", "Count", "Limit", *_UNIT_WORDS}
    assert {unit for _, unit, _ in owned_numbers()} <= known


def hard_coded(markdown: str) -> list[tuple[int, str]]:
    """(line, text) of every rule-owned value typed in prose (code is exempt)."""
    found = []
    for token, offset in walk(markdown):
        if token.type == "inline" and token.map:
            for line, text in text_lines(token, offset):
                prose = re.sub(r"\{\{.*?\}\}", "", text)
                found += [(line + 1, m.group(0)) for p in _forbidden() if (m := p.search(prose))]
    return found


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_no_page_hard_codes_a_rule_owned_value(page):
    assert hard_coded(page.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "text",
    [
        "Deals of $20,000 or more.",
        "Anything over 20k a year.",
        "A 14-day trial.",
        "Check in every 9 months.",
        "It needs 3 of the 4 criteria.",
        "Use more than 50% of the credits.",
        "Trials run two weeks.",
        "Companies with 50 employees or more.",
        "Fifty questions is small, 500 questions is big.",
        "A 30-minute discovery call.",
        "!!! note\n\n    A $60K deal.\n",
    ],
)
def test_the_hard_code_check_catches(text):
    assert hard_coded(text)


def test_references_and_code_are_exempt():
    assert hard_coded("Deals of [[rule:T1]] or more.\n\n`$20,000` in code\n\n```\n14 days\n```\n") == []


def test_source_pages_build_unchanged(tmp_path):
    seeds = sorted((REPO / "tests" / "fixtures" / "source-pages").glob("*.md"))
    assert len(seeds) == 5
    write_site(tmp_path, {seed.name: seed.read_text(encoding="utf-8") for seed in seeds}, BASE_CONFIG)
    done = build_project(tmp_path, tmp_path / "site")
    assert done.returncode == 0, done.stderr
    for seed in seeds:
        title = re.search(r"^title: (.+)$", seed.read_text(encoding="utf-8"), re.MULTILINE).group(1)
        page = html(tmp_path / "site", f"{seed.stem}/index.html")
        assert page.title.get_text().startswith(title)
        assert page.select_one("article h1").get_text(strip=True).startswith(title)


def test_changing_a_rule_changes_prose_tables_and_answers(tmp_path):
    project = tmp_path / "project"
    for part in ("calculators", "docs"):
        shutil.copytree(REPO / part, project / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    (project / "node_modules").symlink_to(REPO / "node_modules")
    rules_py = project / "calculators" / "rules.py"
    text = rules_py.read_text()
    text = text.replace("SALES_ASSIST_THRESHOLD: Usd = 20_000", "SALES_ASSIST_THRESHOLD: Usd = 25_000")
    text = text.replace("SHORT_TRIAL_DAYS: Days = 14", "SHORT_TRIAL_DAYS: Days = 10")
    rules_py.write_text(text)
    done = build_project(project, project / "site", {"PYTHONPATH": str(project)})
    assert done.returncode == 0, done.stderr
    page = html(project / "site", "sales/inbound/index.html")
    values = {span["data-rule"]: span.get_text() for span in page.select("span.rule-value")}
    assert values["T1"] == "$25,000" and values["L2.days"] == "10"
    rows = [[td.get_text() for td in tr.select("td")] for tr in page.select('table[data-table="trial-length"] tr')]
    assert ["$25,000 up to (not including) $60,000", "10 days", "L2"] in rows
    trial = json.loads(page.select_one("#trial-sizing")["data-result"])
    assert trial["result"]["trial_days"] == 10
    # The browser's copy of the package is rebuilt from the changed rules too.
    package = page.select_one("#trial-sizing")["data-package"]
    zipped = (project / "site" / "sales" / "inbound" / package).resolve()
    import zipfile

    assert "SHORT_TRIAL_DAYS: Days = 10" in zipfile.ZipFile(zipped).read("calculators/rules.py").decode()
    # And the repository's own answer is untouched.
    assert calculators.run("trial-length", {"annual_value": 45_000})["result"]["trial_days"] == 14
