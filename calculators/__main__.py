"""Command line: ``python -m calculators NAME field=value ...``.

Prints the JSON output of :func:`calculators.run`; exits 0 on an answer and 2 on
bad input (the errors are printed as JSON too, and in plain words on stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from . import CALCULATORS, batch, describe, impact, run
from .ics import calendar, events


def _field_help(name: str) -> str:
    lines = ["fields (give them as field=value):"]
    for field in describe(name)["fields"]:
        extra = []
        if field["required"]:
            extra.append("required")
        if field["default"] is not None:
            extra.append(f"default {field['default']}")
        if field["choices"]:
            extra.append("one of " + "/".join(str(choice) for choice in field["choices"]))
        if field["minimum"] is not None or field["maximum"] is not None:
            extra.append(f"{field['minimum']:g} to {field['maximum']:g}")
        kind = f"{field['kind']}{', ' + field['unit'] if field['unit'] else ''}"
        lines.append(f"  {field['name']} ({kind}{'; ' + '; '.join(extra) if extra else ''})")
        lines.append(f"      {field['label']}: {field['help']}")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    """The parser: one sub-command per calculator, each with its fields in --help."""
    parser = argparse.ArgumentParser(
        prog="python -m calculators",
        description="Run the sales handbook's calculators from a shell.",
        epilog="Example: python -m calculators trial-length annual_value=45000 start_date=2026-01-10",
    )
    parser.add_argument("--list", action="store_true", help="list the calculators and their fields")
    commands = parser.add_subparsers(dest="calculator", metavar="NAME")
    for name, module in CALCULATORS.items():
        command = commands.add_parser(
            name,
            help=module.SUMMARY,
            description=module.SUMMARY,
            epilog=_field_help(name),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.add_argument("assignments", nargs="*", metavar="field=value")
        if getattr(module, "EVENTS", ()):
            command.add_argument("--ics", metavar="FILE", help="also write the answer's dates as an iCalendar file")
    batch.add_parser(commands)  # many leads at once: calculators/batch.py
    impact.add_parser(commands)  # what a rules change does: calculators/impact.py
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list:
        for name in CALCULATORS:
            print(f"{name}: {CALCULATORS[name].SUMMARY}")
            print("  fields: " + ", ".join(field.name for field in CALCULATORS[name].FIELDS))
        return 0
    if args.calculator is None:
        parser.print_help()
        return 2
    if args.calculator == "batch":
        return batch.main(args)
    if args.calculator == "impact":
        return impact.main(Path.cwd(), args.base)
    inputs = {}
    for assignment in args.assignments:
        field, sep, value = assignment.partition("=")
        if not sep:
            parser.error(f"{assignment!r} is not field=value (try: python -m calculators {args.calculator} --help)")
        inputs[field.strip()] = value
    output = run(args.calculator, inputs)
    print(json.dumps(output, indent=2))
    if not output["ok"]:
        for field, message in output["errors"].items():
            print(f"error: {field}: {message}", file=sys.stderr)
        return 2
    if getattr(args, "ics", None):
        text = calendar(output, dt.datetime.now(dt.UTC))
        if text is None:
            print("error: --ics: this answer holds no dates to export", file=sys.stderr)
            return 2
        Path(args.ics).write_text(text, encoding="utf-8", newline="")
        print(f"wrote {len(events(output))} events to {args.ics}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
