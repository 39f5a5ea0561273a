"""Many leads at once: ``python -m calculators batch NAME [IN] [-o OUT] [--format csv|jsonl]``.

Reads a CSV file (a header row, then one lead a row) or JSON Lines (one object a line),
runs :func:`calculators.run` on every row, the same contract as the pages and the shell,
and writes each row back: the input columns as given, then the calculator's ``OUTPUTS``
(a list joined with ``"; "`` in CSV, a JSON list in JSON Lines), then ``ok``, ``errors``
(``field: message; field: message``) and ``rules`` (the rule ids cited, space-separated).

A row is never dropped: a CSV row with more cells than the header, a line that is not
UTF-8, a JSON line that is not an object each come back with ``ok`` false and a message
naming the line. Blank lines are not rows and are skipped.

Formula safety (CSV only, OWASP's guidance on CSV injection): every cell written whose
text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
apostrophe, so that a spreadsheet shows it as text instead of running it. That includes
passed-through columns, error messages and a plain negative number (``-2`` is written
``'-2``). The calculator itself reads the cells as given. JSON Lines is left as it is.

It streams: one row is read, answered and written at a time, so memory stays flat
however long the file. Exit status: 0 when every row was answered, 2 when any row had
errors or the input could not be read.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, TextIO

from . import CALCULATORS, run

FORMATS = ("csv", "jsonl")
#: What a file's extension says about its format (anything else: not a hint).
EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
#: The columns written after the input's and the calculator's outputs.
STATUS_COLUMNS = ("ok", "errors", "rules")
#: A CSV cell starting with one of these is written with a leading apostrophe (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Rows between two explicit flushes of the output, so a pipe sees answers as they come.
FLUSH_EVERY = 1024
#: What json.loads gives, in JSON's words.
JSON_KINDS = {list: "array", str: "string", int: "number", float: "number", bool: "true/false", type(None): "null"}
#: What ``batch --help`` says.
DESCRIPTION = """\
Run a calculator over every row of a CSV file (a header row naming the fields, then one
lead a row) or of JSON Lines (one object a line). Each row is written back: its own
columns, then the calculator's outputs, then ok, errors and rules. A bad row is written
with its message, never dropped. In CSV, a cell starting with = + - @, a tab or a
carriage return gets a leading apostrophe, so a spreadsheet shows it instead of running
it. Exit status: 0 when every row was answered, 2 when any had errors."""
#: The key of a message about the row itself rather than one of its fields.
ROW = "row"


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``batch`` sub-command of ``python -m calculators``."""
    command = commands.add_parser(
        "batch",
        help="Run a calculator over every row of a CSV or JSON Lines file.",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Example: python -m calculators batch trial-length leads.csv -o answers.csv",
    )
    command.add_argument(
        "name", metavar="NAME", choices=list(CALCULATORS), help="the calculator: " + ", ".join(CALCULATORS)
    )
    command.add_argument("input", nargs="?", default="-", metavar="IN", help="the leads (default or -: standard input)")
    command.add_argument(
        "-o", "--output", default="-", metavar="OUT", help="where the answers go (default: standard output)"
    )
    command.add_argument(
        "--format",
        choices=FORMATS,
        help="csv or jsonl, for both sides (default: from IN's or OUT's extension, .jsonl/.ndjson or .csv; else csv)",
    )


class BatchError(Exception):
    """The input cannot be read as a whole (its header, say): no row can be answered."""


def main(args: argparse.Namespace) -> int:
    """Run the ``batch`` sub-command; returns the exit status."""
    fmt = args.format or _format_of(args.input, args.output)
    if fmt is None:
        return _fail("IN and OUT have different formats by their extensions: give --format")
    reading, writing = _is_file(args.input), _is_file(args.output)
    if reading and writing and _same_file(args.input, args.output):
        return _fail(f"{args.output} is also the input: write the answers to another file")
    try:
        source = open(args.input, "rb") if reading else sys.stdin.buffer  # noqa: SIM115
    except OSError as exc:
        return _fail(f"cannot read {args.input}: {exc.strerror}")
    try:
        target = open(args.output, "wb") if writing else sys.stdout.buffer  # noqa: SIM115
    except OSError as exc:
        _close(source, reading)
        return _fail(f"cannot write {args.output}: {exc.strerror}")
    out = io.TextIOWrapper(target, encoding="utf-8", errors="replace", newline="")
    try:
        rows, bad = (batch_csv if fmt == "csv" else batch_jsonl)(args.name, source, out)
    except BatchError as exc:
        return _fail(f"{args.input}: {exc}")
    finally:
        out.flush()
        out.detach()
        _close(target, writing)
        _close(source, reading)
    print(f"{args.name}: {rows:,} rows, {bad:,} with errors", file=sys.stderr)
    return 2 if bad else 0


def _close(stream: BinaryIO, ours: bool) -> None:
    """Close a file we opened; leave standard input and output open."""
    if ours:
        stream.close()


def _fail(message: str) -> int:
    print(f"error: batch: {message}", file=sys.stderr)
    return 2


def _is_file(path: str) -> bool:
    return path != "-"


def _same_file(a: str, b: str) -> bool:
    return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)


def _format_of(input_path: str, output_path: str) -> str | None:
    """The format the extensions say (csv when they say nothing); None when they disagree."""
    hints = {EXTENSIONS.get(os.path.splitext(path)[1].lower()) for path in (input_path, output_path)} - {None}
    if len(hints) > 1:
        return None
    return hints.pop() if hints else "csv"


def _lines(binary: Iterable[bytes], undecodable: list[int]) -> Iterator[str]:
    """The input's lines as text, each decoded on its own, so that bytes that are not UTF-8
    spoil only their own row: their numbers go into ``undecodable``. A BOM is dropped."""
    for number, raw in enumerate(binary, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            undecodable.append(number)
            line = raw.decode("utf-8", "replace")
        yield line.removeprefix("\ufeff") if number == 1 else line


def _text(value: Any) -> str:
    """A result value as a CSV cell: "" for none, true/false, a list joined with "; "."""
    kind = type(value)
    if kind is str:
        return value
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is list:
        return "; ".join(_text(item) for item in value)
    return str(value)


def _errors(errors: dict[str, str]) -> str:
    return "; ".join(f"{field}: {message}" for field, message in errors.items())


def _rules(reasons: list[dict[str, str]]) -> str:
    return " ".join(dict.fromkeys([reason["rule"] for reason in reasons]))


def batch_csv(name: str, source: BinaryIO, out: TextIO) -> tuple[int, int]:
    """Answer every row of the CSV ``source`` into ``out``; returns (rows, rows with errors).

    Raises:
        BatchError: the header row cannot be read.
    """
    outputs = [key for key, _ in CALCULATORS[name].OUTPUTS]
    undecodable: list[int] = []
    reader = csv.reader(_lines(source, undecodable))
    header = _header(reader, undecodable)
    #: Each field's column (its first, should the header name it twice).
    at: dict[str, int] = {}
    for index, column in enumerate(header):
        at.setdefault(column.strip(), index)
    fields = [(field.name, at[field.name]) for field in CALCULATORS[name].FIELDS if field.name in at]
    width = len(header)
    none = [""] * len(outputs)
    write = csv.writer(out).writerow
    write(_safe(header) + outputs + list(STATUS_COLUMNS))
    # The hot path, per row: one run(), then a C-level check (map, any) for the rare row
    # with a cell that needs an apostrophe; only values that are not text yet go to _text.
    # (Profiled: run() is about two thirds of a row's time, csv's writerow most of the rest.)
    starts, forever = str.startswith, itertools.repeat(FORMULA_START)
    rows = bad = 0
    last_line = reader.line_num
    while True:
        try:
            for row in reader:
                first_line, last_line = last_line + 1, reader.line_num
                if undecodable and undecodable[0] <= last_line:
                    line = _spoiled(undecodable, last_line)
                    rows, bad = rows + 1, bad + 1
                    cells = _safe((row + [""] * width)[:width])
                    write([*cells, *none, "false", f"{ROW}: line {line} is not UTF-8 text (\ufffd shows where).", ""])
                    continue
                count = len(row)
                if count != width:
                    if not row:
                        continue
                    if count > width:
                        rows, bad = rows + 1, bad + 1
                        problem = f"line {first_line} has {count} cells; the header has {width} columns."
                        write([*_safe(row[:width]), *none, "false", f"{ROW}: {problem}", ""])
                        continue
                    row += [""] * (width - count)
                rows += 1
                answer = run(name, {field: row[index] for field, index in fields})
                if answer["ok"]:
                    cells = row + [v if type(v) is str else _text(v) for v in map(answer["result"].get, outputs)]
                    if any(map(starts, cells, forever)):
                        cells = _safe(cells)
                    # "true" and rule ids (L2, T1: a letter first) never need an apostrophe.
                    cells += ("true", "", _rules(answer["reasons"]))
                else:
                    bad += 1
                    cells = _safe(row) + none
                    cells += ("false", *_safe([_errors(answer["errors"])]), "")
                write(cells)
                if not rows % FLUSH_EVERY:
                    out.flush()
            return rows, bad
        except csv.Error as exc:
            first_line, last_line = last_line + 1, reader.line_num
            _spoiled(undecodable, last_line)
            rows, bad = rows + 1, bad + 1
            write([""] * width + none + ["false", f"{ROW}: line {first_line} is not a CSV row ({exc}).", ""])


def _spoiled(undecodable: list[int], last_line: int) -> int | None:
    """The first undecodable line up to ``last_line`` (None: none), forgetting those lines."""
    spoiled = [number for number in undecodable if number <= last_line]
    del undecodable[: len(spoiled)]
    return spoiled[0] if spoiled else None


def _header(reader: Any, undecodable: list[int]) -> list[str]:
    """The first row that is not blank ([] for an empty file)."""
    try:
        for header in reader:
            if header:
                break
        else:
            return []
    except csv.Error as exc:
        raise BatchError(f"line {reader.line_num}: the header is not a CSV row ({exc})") from None
    if undecodable:
        raise BatchError(f"line {undecodable[0]}: the header is not UTF-8 text")
    return header


def _safe(cells: list[str]) -> list[str]:
    """The cells with a leading apostrophe where a spreadsheet would run them as a formula."""
    return [("'" + cell) if cell.startswith(FORMULA_START) else cell for cell in cells]


def batch_jsonl(name: str, source: BinaryIO, out: TextIO) -> tuple[int, int]:
    """Answer every line of the JSON Lines ``source`` into ``out``; returns (rows, rows with errors)."""
    outputs = [key for key, _ in CALCULATORS[name].OUTPUTS]
    empty = dict.fromkeys(outputs)
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
    write = out.write
    undecodable: list[int] = []
    rows = bad = 0
    for number, line in enumerate(_lines(source, undecodable), 1):
        if not line.strip():
            continue
        rows += 1
        problem, inputs = _json_object(line, number, undecodable)
        if problem:
            bad += 1
            write(encode({**empty, "ok": False, "errors": f"{ROW}: {problem}", "rules": ""}) + "\n")
            continue
        answer = run(name, inputs)
        if answer["ok"]:
            result = answer["result"]
            record = {**inputs, **{key: result.get(key) for key in outputs}}
            record.update(ok=True, errors="", rules=_rules(answer["reasons"]))
        else:
            bad += 1
            record = {**inputs, **empty, "ok": False, "errors": _errors(answer["errors"]), "rules": ""}
        try:
            write(encode(record) + "\n")
        except ValueError:  # NaN or an infinite number (1e999) passed through: JSON has neither
            bad += record["ok"]  # counted above already unless the answer was ok
            problem = f"line {number} holds NaN or an infinite number, which JSON cannot hold."
            write(encode({**empty, "ok": False, "errors": f"{ROW}: {problem}", "rules": ""}) + "\n")
        if not rows % FLUSH_EVERY:
            out.flush()
    return rows, bad


def _json_object(line: str, number: int, undecodable: list[int]) -> tuple[str, dict[str, Any]]:
    """("", the object) for a line holding a JSON object; (what is wrong, {}) otherwise."""
    if undecodable and undecodable[-1] == number:
        return f"line {number} is not UTF-8 text.", {}
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"line {number} is not valid JSON ({exc.msg} at column {exc.colno}).", {}
    except RecursionError:
        return f"line {number} is nested too deeply to read.", {}
    if not isinstance(value, dict):
        return f"line {number} is a JSON {JSON_KINDS[type(value)]}, not an object of field names and values.", {}
    return "", value
