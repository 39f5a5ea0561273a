"""Many leads at once (``python -m calculators batch``): every row answered as run() answers
it, bad rows written back with their messages, formula cells defused, streamed."""

from __future__ import annotations

import csv
import io
import json

import pytest

import calculators
from calculators import batch
from calculators.__main__ import main
from tests.parity.vectors import VECTORS

NAME = "trial-length"
STATUS = ["ok", "errors", "rules"]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def outputs(name: str) -> list[str]:
    return [key for key, _ in calculators.CALCULATORS[name].OUTPUTS]


def fields(name: str) -> list[str]:
    return [field.name for field in calculators.CALCULATORS[name].FIELDS]


def safe(text: str) -> str:
    """What a CSV cell must read: an apostrophe before anything a spreadsheet would run."""
    return "'" + text if text.startswith(DANGEROUS) else text


def cell(value) -> str:
    """A result value as the CSV must show it, written independently of calculators.batch."""
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list):
        text = "; ".join(value)
    else:
        text = str(value)
    return safe(text)


def rules(answer: dict) -> str:
    return " ".join(dict.fromkeys(reason["rule"] for reason in answer["reasons"])) if answer["ok"] else ""


def errors(answer: dict) -> str:
    return "" if answer["ok"] else "; ".join(f"{field}: {message}" for field, message in answer["errors"].items())


def to_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def batch_files(tmp_path, data: bytes, *args: str, name: str = NAME, suffix: str = ".csv") -> tuple[int, str]:
    """``python -m calculators batch NAME IN -o OUT ARGS`` in process: (exit status, OUT's text)."""
    source, target = tmp_path / f"in{suffix}", tmp_path / f"out{suffix}"
    source.write_bytes(data)
    status = main(["batch", name, str(source), "-o", str(target), *args])
    return status, target.read_bytes().decode("utf-8") if target.exists() else ""


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def check_against_run(name: str, header: list[str], written: list[list[str]], given: list[list[str]]) -> None:
    """Each written row: the input cells (defused), then exactly what run() says for them."""
    keys = outputs(name)
    assert written[0] == [safe(column) for column in header] + keys + STATUS
    assert len(written) == len(given) + 1
    for row, out in zip(given, written[1:], strict=True):
        cells = row + [""] * (len(header) - len(row))
        inputs = {column.strip(): value for column, value in reversed(list(zip(header, cells, strict=True)))}
        answer = calculators.run(name, inputs)
        result = answer.get("result", {})
        assert out[: len(header)] == [safe(value) for value in cells]
        assert out[len(header) : -3] == [cell(result.get(key)) for key in keys]
        assert out[-3:] == ["true" if answer["ok"] else "false", safe(errors(answer)), rules(answer)]


@pytest.mark.parametrize("name", calculators.names())
def test_every_calculator_answers_each_row_as_run_does(tmp_path, name):
    own = [
        vector["inputs"] for vector in VECTORS if vector["calculator"] == name and isinstance(vector["inputs"], dict)
    ]
    assert own, name
    header = ["lead", *fields(name), "owner"]
    given = [
        [f"lead {i}", *("" if inputs.get(key) is None else str(inputs[key]) for key in fields(name)), "-me"]
        for i, inputs in enumerate(own)
    ]
    status, text = batch_files(tmp_path, to_csv([header, *given]), name=name)
    written = read_csv(text)
    check_against_run(name, header, written, given)
    oks = [row[-3] for row in written[1:]]
    assert status == (0 if set(oks) == {"true"} else 2)


def test_hostile_cells_are_passed_through_defused_and_answered(tmp_path, capsys):
    header = ["note", "annual_value", "start_date", "unknown extra"]
    long_cell = "x" * 100_000
    given = [
        ['=HYPERLINK("http://evil.example","click")', "45,000", "2026-01-10", "+1"],
        ["-2", "-2", "", "@SUM(A1)"],
        ["\ttab", "=1+1", "2026-01-10", "\rcr"],
        ['say "hi", then leave', "$70,000", "2026-02-28", "line one\nline two"],
        ["Zoë 北京 🚀", "19,999", "2026-13-01", long_cell],
        ["no value", "", "2026-01-10", ""],
        [long_cell, long_cell, long_cell, "ok"],
        ["short row", "30000"],
    ]
    status, text = batch_files(tmp_path, to_csv([header, *given]))
    assert status == 2
    written = read_csv(text)
    check_against_run(NAME, header, written, given)
    # Spot checks in plain words, on top of the comparison with run().
    assert written[1][0] == '\'=HYPERLINK("http://evil.example","click")' and written[1][3] == "'+1"
    assert written[2][:2] == ["'-2", "'-2"] and written[2][-3] == "false"
    assert written[4][3] == "line one\nline two" and written[4][-3:] == ["true", "", "L3 L4 L5"]
    assert written[5][0] == "Zoë 北京 🚀" and "not a real date" in written[5][-2]
    assert "is required" in written[6][-2]
    assert written[8][:4] == ["short row", "30000", "", ""] and written[8][-3] == "true"
    for row in written:
        assert not any(value.startswith(DANGEROUS) for value in row), row
    assert capsys.readouterr().err.strip() == f"{NAME}: 8 rows, 5 with errors"


def test_a_missing_field_column_makes_every_row_say_so(tmp_path):
    status, text = batch_files(tmp_path, b"lead,start_date\nacme,2026-01-10\n")
    written = read_csv(text)
    assert status == 2
    assert written[1][-3] == "false" and written[1][-2].startswith(
        "annual_value: Expected annual contract value is required"
    )


def test_header_names_are_trimmed_and_the_first_of_two_columns_counts(tmp_path):
    status, text = batch_files(tmp_path, b" annual_value ,annual_value\n45000,lots\n")
    assert status == 0
    assert read_csv(text)[1][:4] == ["45000", "lots", "sales-led", "14"]


def test_malformed_rows_come_back_with_their_line_numbers(tmp_path):
    data = b"".join(
        [
            b"\xef\xbb\xbfannual_value,start_date\n",  # a BOM, as Excel writes it
            b"45000,2026-01-10\n",
            b"\n",  # a blank line is not a row
            b"45000,2026-01-10,surplus,=cmd\n",  # line 4: too many cells
            b'"multi\nline",\n',  # lines 5-6
            b"45\xff000,2026-01-10\n",  # line 7: not UTF-8
            b"45000,2026-01-10,\xff\n",  # line 8: not UTF-8 and a cell too many
            b'1,"' + b"y" * 140_000 + b'"\n',  # line 9: a cell longer than the csv module's limit
            b'\xfe,"open\n\n' + b"y" * 140_000 + b'"\n',  # lines 10-12: not UTF-8, then too long
            b"70000,2026-01-10\n",
        ]
    )
    status, text = batch_files(tmp_path, data)
    assert status == 2
    written = read_csv(text)
    assert written[0][0] == "annual_value"
    assert [row[-3] for row in written[1:]] == ["true", "false", "false", "false", "false", "false", "false", "true"]
    assert [row[-2] for row in written[1:]][1:7] == [
        "row: line 4 has 4 cells; the header has 2 columns.",
        'annual_value: Expected annual contract value must be a number such as 45000 or 45,000, not "multi line".',
        "row: line 7 is not UTF-8 text (\ufffd shows where).",
        "row: line 8 is not UTF-8 text (\ufffd shows where).",
        "row: line 9 is not a CSV row (field larger than field limit (131072)).",
        "row: line 10 is not a CSV row (field larger than field limit (131072)).",
    ]
    assert written[2][:2] == ["45000", "2026-01-10"]  # the cells that fit under the header
    assert written[4][:2] == ["45\ufffd000", "2026-01-10"]
    assert written[8][-3:] == ["true", "", "L3 L4 L5"]  # nothing spilled over from the bad lines


@pytest.mark.parametrize(
    ("data", "header"),
    [(b"", []), (b"\n\n", []), (b"annual_value,note\n", ["annual_value", "note"]), (b"\xef\xbb\xbf", [])],
    ids=["empty", "blank-lines", "header-only", "bom-only"],
)
def test_no_rows_no_answers(tmp_path, data, header):
    status, text = batch_files(tmp_path, data)
    assert status == 0
    assert read_csv(text) == [header + outputs(NAME) + STATUS]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"annual\xff_value\n1\n", "line 1: the header is not UTF-8 text"),
        (b'"' + b"h" * 140_000 + b'"\n1\n', "line 1: the header is not a CSV row"),
    ],
)
def test_an_unreadable_header_stops_with_a_message(tmp_path, capsys, data, message):
    status, _ = batch_files(tmp_path, data)
    assert status == 2
    assert message in capsys.readouterr().err


def jsonl(*lines: object) -> bytes:
    return b"".join((line if isinstance(line, bytes) else json.dumps(line).encode()) + b"\n" for line in lines)


def test_json_lines_answer_each_object_as_run_does(tmp_path):
    objects = [
        {"annual_value": 45000, "start_date": "2026-01-10", "lead": "=cmd", "tags": ["a", "b"]},
        {"annual_value": "$70,000", "note": "Zoë 北京"},
        {"annual_value": -2},
        {"annual_value": True, "annual_value_note": None},
        {},
    ]
    status, text = batch_files(tmp_path, jsonl(*objects), suffix=".jsonl")
    assert status == 2
    written = [json.loads(line) for line in text.splitlines()]
    assert len(written) == len(objects)
    for given, out in zip(objects, written, strict=True):
        answer = calculators.run(NAME, given)
        expected = {**given, **dict.fromkeys(outputs(NAME))}
        if answer["ok"]:
            expected.update({key: answer["result"][key] for key in outputs(NAME)})
        expected.update(ok=answer["ok"], errors=errors(answer), rules=rules(answer))
        assert out == expected
        assert list(out) == list(expected)  # input keys first, then outputs, then status
    assert written[0]["lead"] == "=cmd"  # no apostrophes in JSON Lines
    assert "Zoë 北京" in text  # unicode kept as it is


def test_bad_json_lines_come_back_with_their_line_numbers(tmp_path, capsys):
    data = jsonl(
        b"\xef\xbb\xbf" + json.dumps({"annual_value": 45000}).encode(),
        b"",
        b"   ",
        [1, 2],
        "text",
        3,
        None,
        True,
        b"{not json",
        b'{"annual_value": "45\xff000"}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"annual_value": 45000, "score": NaN}',
        b'{"annual_value": 1e999}',
        {"annual_value": 70000},
    )
    status, text = batch_files(tmp_path, data, suffix=".ndjson")
    assert status == 2
    assert "12 rows, 10 with errors" in capsys.readouterr().err
    written = [json.loads(line) for line in text.splitlines()]
    assert [row["ok"] for row in written] == [True] + [False] * 10 + [True]
    assert [row["errors"] for row in written[1:-1]] == [
        "row: line 4 is a JSON array, not an object of field names and values.",
        "row: line 5 is a JSON string, not an object of field names and values.",
        "row: line 6 is a JSON number, not an object of field names and values.",
        "row: line 7 is a JSON null, not an object of field names and values.",
        "row: line 8 is a JSON true/false, not an object of field names and values.",
        "row: line 9 is not valid JSON (Expecting property name enclosed in double quotes at column 2).",
        "row: line 10 is not UTF-8 text.",
        "row: line 11 is nested too deeply to read.",
        "row: line 12 holds NaN or an infinite number, which JSON cannot hold.",
        "row: line 13 holds NaN or an infinite number, which JSON cannot hold.",
    ]
    for row in written[1:-1]:
        assert list(row) == [*outputs(NAME), *STATUS] and row["rules"] == ""


def test_standard_input_and_output(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"annual_value\n45000\n")))
    assert main(["batch", NAME]) == 0
    captured = capsys.readouterr()
    assert read_csv(captured.out) == [
        ["annual_value", *outputs(NAME), *STATUS],
        ["45000", "sales-led", "14", "", "", "", "true", "", "L2"],
    ]
    assert captured.err.strip() == f"{NAME}: 1 rows, 0 with errors"
    assert captured.out.endswith("\r\n")  # CSV's own line ends (RFC 4180)


def test_standard_input_and_output_as_json_lines(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(jsonl({"annual_value": "lots"}))))
    assert main(["batch", NAME, "-", "--format", "jsonl"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and out["errors"].startswith("annual_value: ")
    assert out["route"] is None


def test_format_option_overrides_the_extension(tmp_path):
    status, text = batch_files(tmp_path, jsonl({"annual_value": 45000}), "--format", "jsonl", suffix=".txt")
    assert status == 0 and json.loads(text)["route"] == "sales-led"


def test_the_output_extension_chooses_the_format_for_standard_input(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(jsonl({"annual_value": 45000}))))
    target = tmp_path / "out.jsonl"
    assert main(["batch", NAME, "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["trial_days"] == 14


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["batch", NAME, "{tmp}/missing.csv"],
            "error: batch: cannot read {tmp}/missing.csv: No such file or directory",
        ),
        (["batch", NAME, "{tmp}/in.csv", "-o", "{tmp}/no/such/dir.csv"], "cannot write {tmp}/no/such/dir.csv"),
        (["batch", NAME, "{tmp}/in.csv", "-o", "{tmp}/in.csv"], "is also the input"),
        (["batch", NAME, "{tmp}/in.csv", "-o", "{tmp}/out.jsonl"], "different formats"),
    ],
    ids=["missing-input", "unwritable-output", "same-file", "formats-disagree"],
)
def test_files_that_cannot_be_used_exit_2_with_a_message(tmp_path, capsys, argv, message):
    (tmp_path / "in.csv").write_bytes(b"annual_value\n45000\n")
    assert main([arg.format(tmp=tmp_path) for arg in argv]) == 2
    assert message.format(tmp=tmp_path) in capsys.readouterr().err
    assert (tmp_path / "in.csv").read_bytes() == b"annual_value\n45000\n"


def test_an_unknown_calculator_exits_2_listing_the_known_ones(capsys):
    with pytest.raises(SystemExit) as done:
        main(["batch", "trial-lenght", "in.csv"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'trial-lenght'" in err and all(name in err for name in calculators.names())


def test_batch_help_describes_the_command(capsys):
    with pytest.raises(SystemExit):
        main(["batch", "--help"])
    out = capsys.readouterr().out
    assert "--format" in out and "apostrophe" in out


class Watched:
    """A source that records, at each line it hands out, how much output had reached the sink."""

    def __init__(self, lines: list[bytes], sink: io.BytesIO):
        self.lines, self.sink, self.seen = lines, sink, []

    def __iter__(self):
        for line in self.lines:
            self.seen.append(len(self.sink.getvalue()))
            yield line


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_it_streams_row_by_row(fmt):
    rows = 3 * batch.FLUSH_EVERY
    if fmt == "csv":
        lines = [b"annual_value,start_date\n", *[b"45000,2026-01-10\n"] * rows]
    else:
        lines = [b'{"annual_value": 45000, "start_date": "2026-01-10"}\n'] * rows
    sink = io.BytesIO()
    source = Watched(lines, sink)
    out = io.TextIOWrapper(sink, encoding="utf-8", newline="")
    run = batch.batch_csv if fmt == "csv" else batch.batch_jsonl
    assert run(NAME, source, out) == (rows, 0)  # type: ignore[arg-type]
    out.flush()
    # Answers reached the sink while the input was still being read: nothing waits for the end.
    assert source.seen[-1] > 0 and source.seen[len(lines) // 2] > 0
    assert len(sink.getvalue().splitlines()) == rows + (fmt == "csv")


def test_rule_ids_never_need_an_apostrophe():
    # batch.py writes the rules column without the formula check: every id starts with a letter.
    assert all(rule[:1].isalpha() for rule in calculators.rules.SOURCES)
