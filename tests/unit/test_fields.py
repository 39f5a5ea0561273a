"""How typed values become rule inputs: numbers, booleans, dates, choices."""

from __future__ import annotations

import datetime as dt

import pytest

from calculators.fields import Field, FieldError, parse_inputs

MONEY = Field("v", "money", "Value", "help", minimum=0, maximum=1e12, required=True)
COUNT = Field("n", "integer", "Count", "help", default=0, minimum=0, maximum=100)
FLAG = Field("f", "boolean", "Flag", "help")
DAY = Field("d", "date", "Day", "help")
WEEKS = Field("w", "choice", "Weeks", "help", default=2, choices=(1, 2))
WORD = Field("c", "choice", "Colour", "help", choices=("red", "blue"))


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (45000, 45000),
        (45000.5, 45000.5),
        ("45000", 45000.0),
        ("45,000", 45000.0),
        (" $45,000 ", 45000.0),
        ("1,234,567.89", 1234567.89),
        ("0", 0),
        (-0.0, 0.0),
        ("-0", 0.0),
        ("45 000", 45000.0),
    ],
)
def test_money_accepts_what_forms_and_shells_give(raw, value):
    parsed = MONEY.parse(raw)
    assert parsed == value and str(parsed) != "-0.0"


@pytest.mark.parametrize(
    "raw",
    [
        True,
        "abc",
        "4,5",
        "1e5",
        "nan",
        "NaN",
        "inf",
        "Infinity",
        float("nan"),
        float("inf"),
        [1],
        {"a": 1},
        "45000" * 20,
        "٤٥",
        -1,
        "-0.01",
        1e13,
        10**19,
    ],
)
def test_money_rejects_with_the_label(raw):
    with pytest.raises(FieldError, match=r"^Value"):
        MONEY.parse(raw)


@pytest.mark.parametrize(("raw", "value"), [("7", 7), (7.0, 7), ("1,00", None), (None, 0), ("", 0)])
def test_integer(raw, value):
    if value is None:
        with pytest.raises(FieldError):
            COUNT.parse(raw)
    else:
        assert COUNT.parse(raw) == value and isinstance(COUNT.parse(raw), int)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (True, True),
        (False, False),
        (None, False),
        ("", False),
        ("true", True),
        ("ON", True),
        ("on", True),
        ("yes", True),
        ("1", True),
        ("false", False),
        ("off", False),
        ("no", False),
        ("0", False),
        (1, True),
        (0, False),
    ],
)
def test_boolean(raw, value):
    assert FLAG.parse(raw) is value


@pytest.mark.parametrize("raw", ["maybe", 2, [], "truee"])
def test_boolean_rejects(raw):
    with pytest.raises(FieldError, match="yes or no"):
        FLAG.parse(raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2028-02-29", dt.date(2028, 2, 29)),
        (" 2026-11-23 ", dt.date(2026, 11, 23)),
        (dt.date(2026, 1, 1), dt.date(2026, 1, 1)),
        (dt.datetime(2026, 1, 1, 9), dt.date(2026, 1, 1)),
        (None, None),
    ],
)
def test_date(raw, value):
    assert DAY.parse(raw) == value


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("2027-02-29", "not a real date"),
        ("20261123", "YYYY-MM-DD"),
        ("1899-01-01", "between"),
        ("2200-01-01", "between"),
        (20261123, "YYYY-MM-DD"),
    ],
)
def test_date_rejects(raw, words):
    with pytest.raises(FieldError, match=words):
        DAY.parse(raw)


@pytest.mark.parametrize(
    ("field", "raw", "value"), [(WEEKS, "1", 1), (WEEKS, 2.0, 2), (WEEKS, None, 2), (WORD, "blue", "blue")]
)
def test_choice(field, raw, value):
    assert field.parse(raw) == value


@pytest.mark.parametrize(("field", "raw"), [(WEEKS, "3"), (WEEKS, "x"), (WORD, "green"), (WORD, ["red"])])
def test_choice_rejects_and_lists_options(field, raw):
    with pytest.raises(FieldError, match="must be one of"):
        field.parse(raw)


def test_messages_never_echo_a_huge_or_nested_value():
    with pytest.raises(FieldError) as caught:
        MONEY.parse("9" * 10_000)
    assert len(str(caught.value)) < 200
    with pytest.raises(FieldError, match="not a list"):
        MONEY.parse([[[]]])


def test_describe_is_json_ready():
    assert Field("d", "date", "Day", "help", default=dt.date(2026, 1, 1)).describe()["default"] == "2026-01-01"
    assert WEEKS.describe()["choices"] == [1, 2]


def test_parse_inputs_collects_one_error_per_field():
    values, errors = parse_inputs((MONEY, COUNT, FLAG), {"v": "x", "n": 1000, "f": "yes"})
    assert values == {"f": True} and sorted(errors) == ["n", "v"]
