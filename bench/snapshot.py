"""``python -m bench.snapshot``: what the memory snapshot holds, by size, as Markdown tables.

Builds a snapshot as the site does (build_snapshot.mjs with the precompiled stdlib and the
package zip) with ``--report``, which says where the memory's regions are and counts
Python's objects, then sorts the file's pages into those regions. A fresh build, not the
site's cached file: the two differ only in where hash randomisation put things (a few
kB either way). "zstd -19" is each part compressed alone, as the site compresses the
snapshot it ships (zstd level 19, 1 MiB window): the parts' sum is a little more than the
whole file's.
"""

from __future__ import annotations

import dataclasses
import json
import os
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import zstandard
from handbook_calculators import assets

import calculators

from .handbook import REPO

PYODIDE_DIR = REPO / "node_modules" / "pyodide"
#: How many object types the second table lists.
TOP_TYPES = 8


@dataclasses.dataclass(frozen=True)
class Sparse:
    """build_snapshot.mjs's layout (see sparse() there): which page is where."""

    memory: int  # bytes of wasm memory the snapshot restores
    index: int  # bytes of the layout's own header and page lists
    header: bytes  # Pyodide's header
    pages: dict[int, bytes]  # the kept pages, by index in memory
    as_instantiated: int
    page: int


def read_sparse(data: bytes) -> Sparse:
    _magic, length, start, page, kept, as_instantiated = struct.unpack_from("<6I", data)
    indices = struct.unpack_from(f"<{kept}I", data, 24)
    at = 24 + 4 * (kept + as_instantiated)
    header, at = data[at : at + start], at + start
    pages = {index: data[at + i * page : at + (i + 1) * page] for i, index in enumerate(indices)}
    return Sparse(length - start, 24 + 4 * (kept + as_instantiated), header, pages, as_instantiated, page)


def build(work: Path) -> tuple[bytes, dict]:
    """A new snapshot and build_snapshot.mjs's report on it."""
    package = work / "calculators.zip"
    package.write_bytes(assets.package_zip(Path(calculators.__file__).parent))
    out = work / "snapshot.bin"
    stdlib = assets.precompiled_stdlib(PYODIDE_DIR)
    done = subprocess.run(
        ["node", str(assets.BUILD_SNAPSHOT), "--report", str(out), str(stdlib), str(package)],
        env={**os.environ, "PYODIDE_DIR": str(PYODIDE_DIR)},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    sys.stderr.write(done.stderr)  # its notes if it left something as it was
    return out.read_bytes(), json.loads(done.stdout)


def region(address: int, report: dict) -> str:
    """Where a kept page lies: the regions of build_snapshot.mjs's memoryLayout()."""
    layout = report["layout"]
    if layout is None:
        return "other"
    if layout["stackLow"] <= address < layout["stackHigh"]:
        return "C stack"
    if address < layout["heapBase"]:
        return "static data"
    if address < (layout["heapEnd"] or 0):
        free = within(address, report["page"], report["heapFree"] or [])
        return "malloc heap, free" if free else "malloc heap, in use"
    return "other"


def within(address: int, size: int, spans: list[list[int]]) -> bool:
    return any(start <= address and address + size <= end for start, end in spans)


def packed(data: bytes) -> int:
    """Its size compressed as the site ships the snapshot (assets.compressed(): zstd)."""
    params = zstandard.ZstdCompressionParameters.from_level(assets.ZSTD_LEVEL, window_log=assets.ZSTD_WINDOW_LOG)
    return len(zstandard.ZstdCompressor(compression_params=params).compress(data))


def table(header: list[str], rows: list[list[str]]) -> str:
    """Markdown, the first column left-aligned and the rest right-aligned."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        padded = (c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 2) if i == 0 else "-" * (w + 1) + ":" for i, w in enumerate(widths)) + "|"
    return "\n".join([line(header), rule, *map(line, rows)])


def contents_table(data: bytes, report: dict) -> str:
    sparse = read_sparse(data)
    parts: dict[str, list[bytes]] = {}
    for index in sorted(sparse.pages):
        parts.setdefault(region(index * sparse.page, report), []).append(sparse.pages[index])
    total_pages = -(-sparse.memory // sparse.page)
    zero = total_pages - len(sparse.pages) - sparse.as_instantiated
    rows = [
        ["Pyodide's header", "-", f"{len(sparse.header):,}", f"{packed(sparse.header):,}"],
        ["page lists", "-", f"{sparse.index:,}", f"{packed(data[: sparse.index]):,}"],
    ]
    for name in ("static data", "C stack", "malloc heap, in use", "malloc heap, free", "other"):
        if name in parts:
            joined = b"".join(parts[name])
            rows.append([f"kept: {name}", f"{len(parts[name]):,}", f"{len(joined):,}", f"{packed(joined):,}"])
    instantiated = sparse.as_instantiated
    rows += [
        ["left out: zero", f"{zero:,}", f"({zero * sparse.page:,})", "-"],
        ["left out: as instantiated", f"{instantiated:,}", f"({instantiated * sparse.page:,})", "-"],
        ["**the file**", f"{total_pages:,}", f"**{len(data):,}**", f"**{packed(data):,}**"],
    ]
    zeroed = ", ".join(f"{kind} {size:,}" for kind, size in report["zeroed"].items())
    note = (
        f"Dead bytes zeroed first (those not zero already): {zeroed}. "
        "Pages left out: the memory they stand for, in brackets."
    )
    return table(["part", "pages", "bytes", "zstd -19"], rows) + "\n\n" + note


def python_table(report: dict) -> str:
    python = report["python"]
    rows = [[name, f"{count:,}", f"{size:,}"] for name, count, size in python["types"][:TOP_TYPES]]
    rows.append(["**all**", f"{python['objects']:,}", f"**{python['bytes']:,}**"])
    docs, doc_bytes = python["docstrings"]
    note = (
        f"{python['modules']} modules; sys.getsizeof() of every object reachable from the gc's "
        f"(statically allocated ones included); docstrings: {docs:,} of them, {doc_bytes:,} bytes."
    )
    return table(["type", "objects", "bytes"], rows) + "\n\n" + note


def main() -> int:
    with tempfile.TemporaryDirectory() as work:
        data, report = build(Path(work))
    print(contents_table(data, report))
    print()
    print(python_table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
