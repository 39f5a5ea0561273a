"""The one table the benchmark prints: metric, median, min, max, ratio to baseline, target, result."""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections.abc import Callable

PASS, FAIL, REF = "pass", "FAIL", "ref"
#: A value or ratio of a load that gave up is infinite (it sorts last, so medians stay
#: meaningful while fewer than half gave up) and shows as this.
GAVE_UP_TEXT = "gave up"


@dataclasses.dataclass
class Row:
    """One metric. ``values`` are per run; ``ratios`` per run against the baseline of that run."""

    metric: str
    values: list[float]
    fmt: Callable[[float], str]
    ratios: list[float] | None = None
    target: str = "-"
    check: Callable[[Row], bool] | None = None  # None: a reference row, no target

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def ratio(self) -> float | None:
        return statistics.median(self.ratios) if self.ratios else None

    @property
    def result(self) -> str:
        if self.check is None:
            return REF
        return PASS if self.check(self) else FAIL

    def cells(self) -> list[str]:
        ratio = self.ratio
        return [
            self.metric,
            self.fmt(self.median),
            self.fmt(min(self.values)),
            self.fmt(max(self.values)),
            "-" if ratio is None else GAVE_UP_TEXT if math.isinf(ratio) else f"{ratio:.3f} x",
            self.target,
            self.result,
        ]


HEADER = ["metric", "median", "min", "max", "ratio to baseline", "target", "result"]
RIGHT = {1, 2, 3, 4}


def table(rows: list[Row]) -> str:
    """A Markdown table, padded so it also reads well in a terminal."""
    cells = [HEADER, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADER))]

    def line(values: list[str]) -> str:
        padded = [v.rjust(w) if i in RIGHT else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":") if i in RIGHT else ("-" * (w + 2)) for i, w in enumerate(widths)) + "|"
    return "\n".join([line(HEADER), rule, *(line(row) for row in cells[1:])])


def ms(value: float) -> str:
    return f"{value:.0f} ms"


def ms1(value: float) -> str:
    return f"{value:.1f} ms"


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def count(value: float) -> str:
    return f"{value:.0f}"


def kilobytes(value: float) -> str:
    return f"{value:,.0f} B"


def or_gave_up(fmt: Callable[[float], str]) -> Callable[[float], str]:
    """``fmt``, but "gave up" for the infinite value of a load that gave up."""
    return lambda value: GAVE_UP_TEXT if math.isinf(value) else fmt(value)
