"""What a rules change does: ``python -m calculators impact [--base REV]``.

Loads the calculators at REV (from git) and in the working tree, runs both over inputs
derived from the rules themselves (every numeric threshold of either version, one below
and one above; a spread between; yes/no and choice combinations up to a cap; dates at
month ends and on 29 February), and prints a Markdown report: the rule-owned values that
changed, per calculator how many inputs changed their answer (with examples), and the
pages whose prose, tables or built answers show a changed value. A pull request's
workflow writes it to the job summary.

Each version runs in its own Python (``python -S``, the version's folder first on the
path), driven by :data:`EVALUATOR`, which uses only the package's public contract, so a
REV from before this module existed compares just as well. A shell-only module: it is not
shipped to the browser (handbook_calculators/assets.py).
"""

from __future__ import annotations

import io
import itertools
import json
import random
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import references

#: At most this many inputs per calculator (a fixed-seed sample of the combinations beyond it).
MAX_INPUTS = 20_000
#: Examples shown per calculator.
EXAMPLES = 5
#: Dates every date field is tried with: month ends, a leap day and the days around it.
DATES = ("2024-01-31", "2024-02-28", "2024-02-29", "2024-03-01", "2025-02-28", "2026-04-30", "2026-12-31")

#: Runs in the version's own Python: "describe" prints its declarations and rule values;
#: "run" reads [[name, inputs], ...] on stdin and prints the outputs (or the exception).
EVALUATOR = r"""
import inspect, json, sys
import calculators
from calculators import references, rules

# A version whose run() takes strict= lets a calculator's exception through: reported as a crash.
STRICT = {"strict": True} if "strict" in inspect.signature(calculators.run).parameters else {}

KEYS = ("name", "kind", "default", "minimum", "maximum", "required")

def jsonable(value):
    return value if isinstance(value, (int, float, str, bool)) or value is None else str(value)

if sys.argv[1] == "describe":
    numbers = {}
    for name, value in vars(rules).items():
        if name.isupper() and type(value) is int:
            numbers[name] = value
        elif name.isupper() and isinstance(value, tuple) and value and all(type(v) is int for v in value):
            numbers[name] = list(value)
    fields = {
        name: [
            {key: jsonable(getattr(f, key, None)) for key in KEYS}
            | {"choices": [jsonable(c) for c in getattr(f, "choices", ())]}
            for f in module.FIELDS
        ]
        for name, module in calculators.CALCULATORS.items()
    }
    tables = {name: [list(header), [list(row) for row in rows]] for name, (header, rows) in references.tables().items()}
    print(json.dumps({"fields": fields, "numbers": numbers, "values": references.values(), "tables": tables}))
else:
    outputs = []
    for name, inputs in json.load(sys.stdin):
        try:
            outputs.append(calculators.run(name, inputs, **STRICT))
        except Exception as exc:
            outputs.append({"ok": False, "crashed": f"{type(exc).__name__}: {exc}"})
    print(json.dumps(outputs, default=str))
"""


class ImpactError(RuntimeError):
    """The comparison could not be made (a bad REV, no git, a version that does not load)."""


# ---------------------------------------------------------------------------
# The two versions


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ImpactError(f"git {' '.join(args)}: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout.strip()


def default_base(repo: Path) -> str:
    """The merge base with ``main`` (the branch's own changes), else ``HEAD``."""
    for main in ("main", "origin/main"):
        try:
            return git(repo, "merge-base", "HEAD", main)
        except ImpactError:
            continue
    return "HEAD"


def checkout_package(repo: Path, rev: str, into: Path) -> Path:
    """``calculators/`` as it is at ``rev``, unpacked under ``into``; returns ``into``."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", rev, "calculators"], cwd=repo, capture_output=True, check=False
    )
    if archive.returncode != 0:
        raise ImpactError(f"cannot read calculators/ at {rev!r}: {archive.stderr.decode().strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into


class Version:
    """One version of the package, run in a Python of its own (``root`` first on the path)."""

    def __init__(self, label: str, root: Path) -> None:
        self.label = label
        self.root = root
        self.declared = self._call("describe", None)

    def _call(self, command: str, payload: Any) -> Any:
        done = subprocess.run(
            [sys.executable, "-S", "-c", EVALUATOR, command],
            input=None if payload is None else json.dumps(payload),
            capture_output=True,
            text=True,
            # From the version's folder: "-c" puts the working directory first on the path.
            cwd=self.root,
            env={"PYTHONPATH": str(self.root), "PYTHONHASHSEED": "0"},
            check=False,
        )
        if done.returncode != 0:
            raise ImpactError(f"the calculators at {self.label} do not load: {done.stderr.strip()[-800:]}")
        return json.loads(done.stdout)

    def run(self, requests: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
        return self._call("run", requests)


# ---------------------------------------------------------------------------
# Inputs derived from the rules


def thresholds(numbers: Iterable[dict[str, Any]]) -> list[int]:
    """Every rule-owned whole number of either version (tuple members too)."""
    found = set()
    for version in numbers:
        for value in version.values():
            found.update(value if isinstance(value, list) else [value])
    return sorted(found)


def numeric_candidates(field: dict[str, Any], edges: list[int]) -> list[Any]:
    """Each threshold, one below and one above, within the field's bounds; its bounds; a spread between."""
    low = field["minimum"] if field["minimum"] is not None else 0
    high = field["maximum"] if field["maximum"] is not None else max(edges, default=1) * 4
    values = {low, high}
    for edge in edges:
        values.update({edge - 1, edge, edge + 1})
    step = (max(high, 1) / max(low, 1)) ** (1 / 9) if low > 0 else None
    values.update(round(low * step**i) if step else round(high * i / 9) for i in range(10))
    fits = sorted(v for v in values if low <= v <= high)
    return fits if field["kind"] != "number" else [*fits, low + 0.5]


def candidates(field: dict[str, Any], edges: list[int]) -> list[Any]:
    if field["kind"] == "boolean":
        return [False, True]
    if field["kind"] == "choice":
        return field["choices"]
    if field["kind"] == "date":
        return list(DATES)
    return numeric_candidates(field, edges)


def inputs_for(fields: list[dict[str, Any]], edges: list[int], cap: int | None = None) -> list[dict[str, Any]]:
    """Inputs for one calculator: each field through its candidates with the others at
    their defaults, then the yes/no and choice fields in every combination with each
    value of the first number field (a fixed-seed sample when that passes ``cap``,
    default :data:`MAX_INPUTS`)."""
    cap = cap or MAX_INPUTS
    # The defaults, and a value for a required field without one (else every input is an error).
    base = {f["name"]: f["default"] for f in fields if f["default"] is not None}
    for field in fields:
        if field["name"] not in base and field.get("required"):
            base[field["name"]] = candidates(field, edges)[0]
    seen: dict[str, dict[str, Any]] = {}

    def add(inputs: dict[str, Any]) -> None:
        seen.setdefault(json.dumps(inputs, sort_keys=True), inputs)

    add(dict(base))
    for field in fields:
        for value in candidates(field, edges):
            add({**base, field["name"]: value})
    switches = [f for f in fields if f["kind"] in ("boolean", "choice")]
    numbers = [f for f in fields if f["kind"] in ("money", "integer", "number")]
    axes = [[(f["name"], v) for v in candidates(f, edges)] for f in switches]
    if numbers:
        axes.append([(numbers[0]["name"], v) for v in candidates(numbers[0], edges)])
    total = 1
    for axis in axes:
        total *= len(axis)
    room = cap - len(seen)
    if total <= room:
        combos: Iterable[tuple] = itertools.product(*axes)
    else:
        pick = random.Random(0)
        combos = (tuple(pick.choice(axis) for axis in axes) for _ in range(max(room, 0)))
    for combo in combos:
        add({**base, **dict(combo)})
    return list(seen.values())[:cap]


# ---------------------------------------------------------------------------
# The comparison


def compare(old: Version, new: Version) -> dict[str, Any]:
    """Everything the report says, as data."""
    edges = thresholds([old.declared["numbers"], new.declared["numbers"]])
    calculators: dict[str, Any] = {}
    for name, fields in new.declared["fields"].items():
        old_names = {f["name"] for f in old.declared["fields"].get(name, [])}
        union = fields + [
            f for f in old.declared["fields"].get(name, []) if f["name"] not in {g["name"] for g in fields}
        ]
        inputs = inputs_for(union, edges)
        after = new.run([(name, i) for i in inputs])
        before = old.run([(name, i) for i in inputs]) if name in old.declared["fields"] else [None] * len(inputs)
        changed, reworded, failed = [], 0, []
        for given, was, now in zip(inputs, before, after, strict=True):
            for label, output in ((old.label, was), (new.label, now)):
                if output is not None and (output.get("crashed") or _internal(output)):
                    failed.append((label, given, output.get("crashed") or _internal(output)))
            if _answer_of(was) != _answer_of(now):
                changed.append((given, was, now))
            elif was != now:
                reworded += 1
        calculators[name] = {
            "inputs": len(inputs),
            "changed": changed,
            "reworded": reworded,
            "failed": failed,
            "new": name not in old.declared["fields"],
            "fields_added": sorted({f["name"] for f in fields} - old_names) if old_names else [],
        }
    values_old, values_new = old.declared["values"], new.declared["values"]
    values = {
        key: (values_old.get(key), values_new.get(key))
        for key in sorted(set(values_old) | set(values_new))
        if values_old.get(key) != values_new.get(key)
    }
    numbers_old, numbers_new = old.declared["numbers"], new.declared["numbers"]
    numbers = {
        key: (numbers_old.get(key), numbers_new.get(key))
        for key in sorted(set(numbers_old) | set(numbers_new))
        if numbers_old.get(key) != numbers_new.get(key)
    }
    tables_old, tables_new = old.declared["tables"], new.declared["tables"]
    tables = sorted(key for key in set(tables_old) | set(tables_new) if tables_old.get(key) != tables_new.get(key))
    return {"values": values, "numbers": numbers, "tables": tables, "calculators": calculators}


def _answer_of(output: dict[str, Any] | None) -> Any:
    """What a rep acts on: the result and the rules cited (a reason's wording aside), or the errors."""
    if output is None or not output.get("ok"):
        return output
    return output["result"], [reason["rule"] for reason in output.get("reasons", [])]


def _internal(output: dict[str, Any]) -> str | None:
    """The message of an answer that is a calculator's own failure, not bad input."""
    message = (output.get("errors") or {}).get("calculator", "") if not output.get("ok") else ""
    return message if "failed unexpectedly" in message else None


# ---------------------------------------------------------------------------
# Pages that show a changed value

_FENCE = re.compile(r"^\s*```calculator\s+([a-z-]+)")


def pages_showing(docs: Path, found: dict[str, Any]) -> list[str]:
    """``docs/<page>.md:<line>: what`` for every reference to a changed value or table,
    and every calculator block whose calculator changed an answer."""
    changed_calculators = {name for name, data in found["calculators"].items() if data["changed"]}
    lines: list[str] = []
    for page in sorted(docs.rglob("*.md")):
        where = f"{docs.name}/{page.relative_to(docs).as_posix()}"
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
            for kind, key in references.SYNTAX.findall(line):
                if (kind == "rule" and key in found["values"]) or (kind == "table" and key in found["tables"]):
                    lines.append(f"{where}:{number}: {kind} `{key}`")
            fence = _FENCE.match(line)
            if fence and fence.group(1) in changed_calculators:
                lines.append(f"{where}:{number}: calculator `{fence.group(1)}`")
    return list(dict.fromkeys(lines))  # a line that names a value twice is listed once


# ---------------------------------------------------------------------------
# The report


def report(found: dict[str, Any], pages: list[str], base: str, base_label: str) -> str:
    """The Markdown report."""
    out = [f"# What this rules change does (against {base_label}, `{base}`)", ""]
    total = sum(data["inputs"] for data in found["calculators"].values())
    any_change = found["values"] or found["numbers"] or found["tables"]
    any_change = any_change or any(data["changed"] or data["reworded"] for data in found["calculators"].values())
    failures = [(name, item) for name, data in found["calculators"].items() for item in data["failed"]]
    if not any_change and not failures:
        out.append(
            f"No change: the calculators at `{base}` and in the working tree give the same answer on all "
            f"{total:,} inputs tried, and every rule-owned value is the same."
        )
        return "\n".join(out) + "\n"
    out += ["## Rule-owned values that changed", ""]
    if found["values"] or found["numbers"]:
        out += ["| rule | before | after |", "|---|---|---|"]
        out += [f"| {key} | {_cell(a)} | {_cell(b)} |" for key, (a, b) in found["values"].items()]
        out += [f"| `{key}` | {_cell(a)} | {_cell(b)} |" for key, (a, b) in found["numbers"].items()]
    else:
        out.append("None (the change is in a calculator's logic).")
    if found["tables"]:
        out += ["", "Generated tables that changed: " + ", ".join(f"`{t}`" for t in found["tables"]) + "."]
    out += ["", "## Answers", ""]
    for name, data in found["calculators"].items():
        count = len(data["changed"])
        head = f"### `{name}`: {count:,} of {data['inputs']:,} inputs change their answer"
        if data["new"]:
            head = f"### `{name}`: a new calculator ({data['inputs']:,} inputs tried)"
        out += [head, ""]
        if data["fields_added"]:
            out += ["New fields: " + ", ".join(f"`{f}`" for f in data["fields_added"]) + ".", ""]
        for given, was, now in data["changed"][:EXAMPLES]:
            out.append(f"- {_inputs(given)}")
            out.append(f"  - before: {_answer(was, now)}")
            out.append(f"  - after: {_answer(now, was)}")
        if data["changed"][EXAMPLES:]:
            out.append(f"- ... and {count - EXAMPLES:,} more")
        if data["reworded"]:
            out.append(f"- {data['reworded']:,} more inputs keep their answer with a reason worded differently")
        if data["changed"] or data["reworded"]:
            out.append("")
    if failures:
        out += ["## Inputs on which a version fails", ""]
        for name, (label, given, message) in failures[: EXAMPLES * 4]:
            out.append(f"- `{name}` at {label}: {_inputs(given)}: {message}")
        out.append("")
    out += ["## Pages that show a changed value", ""]
    out += [f"- {line}" for line in pages] if pages else ["None."]
    return "\n".join(out) + "\n"


def _cell(value: Any) -> str:
    return "(none)" if value is None else str(value).replace("|", "\\|")


def _inputs(given: dict[str, Any]) -> str:
    return ", ".join(f"{key}={json.dumps(value)}" for key, value in given.items()) or "(defaults)"


def _answer(output: dict[str, Any] | None, other: dict[str, Any] | None) -> str:
    """An answer as one line: the result keys that differ from ``other``'s, and the rules cited."""
    if output is None:
        return "(no such calculator)"
    if output.get("crashed"):
        return f"crashed: {output['crashed']}"
    if not output.get("ok"):
        return "errors: " + "; ".join(f"{k}: {v}" for k, v in output.get("errors", {}).items())
    theirs = other["result"] if other and other.get("ok") else {}
    shown = {key: value for key, value in output["result"].items() if theirs.get(key, object()) != value}
    result = ", ".join(f"{key}={_short(value)}" for key, value in shown.items()) or "the same result"
    rules = " ".join(reason["rule"] for reason in output.get("reasons", []))
    return f"{result} (rules {rules})"


def _short(value: Any) -> str:
    """A value for one line of the report: a long list shows its first items and its length."""
    if isinstance(value, list) and len(value) > 4:
        return json.dumps(value[:3])[:-1] + f", ... ({len(value)} in all)]"
    return json.dumps(value)


def add_parser(commands: Any) -> None:
    """The ``impact`` sub-command of ``python -m calculators``."""
    commands.add_parser(
        "impact",
        help="what a rules change does: compare the calculators at a revision with the working tree",
        description="Compare the calculators at a revision with the working tree, over inputs derived "
        "from the rules, and print a Markdown report. Run it in the repository's root.",
    ).add_argument("--base", metavar="REV", help="the revision to compare with (default: the merge base with main)")


def main(repo: Path, base: str | None, out: Any = None) -> int:
    """Compare the calculators at ``base`` (default: the merge base with main) with the working tree.

    Returns 0 with a report, 1 when the working tree's calculators fail on an input, 2 when
    the comparison cannot be made (the message on stderr).
    """
    try:
        rev = base or default_base(repo)
        label = git(repo, "rev-parse", "--short", f"{rev}^{{commit}}")
        with tempfile.TemporaryDirectory() as work:
            old = Version(label, checkout_package(repo, rev, Path(work)))
            new = Version("working tree", repo)
            found = compare(old, new)
    except ImpactError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = out or sys.stdout
    shown = rev if base else "the merge base with main" if rev != "HEAD" else "HEAD"
    out.write(report(found, pages_showing(repo / "docs", found), label, shown))
    broken = any(item[0] == "working tree" for data in found["calculators"].values() for item in data["failed"])
    return 1 if broken else 0
