"""``python -m bench.codecs``: which codec and level pays for its CPU, for the runtime's two big files.

For the wasm and the memory snapshot of a fresh build: their size under gzip (what
browsers expand natively, with DecompressionStream), zstd at the site's level with its
1 MiB window and with the level's own 8 MiB one (expanded by fzstd, the decoder the site
ships), and brotli (which only a host can send: no DecompressionStream expands it); then,
in a worker of Debian's Chromium, the time to expand each as it streams in, in 64 kB
chunks as from the network (median of --runs). A codec pays on links where the bytes it
saves take longer to arrive than it takes to expand them.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import zstandard
from handbook_calculators import assets
from playwright.sync_api import sync_playwright

from . import browser
from .sites import REPO, mkdocs_build, runtime_dir

WORKER = """
import { Decompress } from "./fzstd.mjs";
const chunks = (bytes) => new ReadableStream({ start(c) {
  for (let i = 0; i < bytes.length; i += 65536) c.enqueue(bytes.slice(i, i + 65536));
  c.close();
} });
const drain = async (stream) => { const r = stream.getReader(); while (!(await r.read()).done); };
const unzstd = (stream) => { let d; return stream.pipeThrough(new TransformStream({
  start(c) { d = new Decompress((x) => x.length && c.enqueue(x)); },
  transform(x) { d.push(x); }, flush() { d.push(new Uint8Array(0), true); } })); };
const codecs = { gzip: (s) => s.pipeThrough(new DecompressionStream("gzip")), zstd: unzstd, zstd8: unzstd };
onmessage = async ({ data: { files, runs } }) => {
  const out = {};
  for (const file of files) {
    for (const [codec, expand] of Object.entries(codecs)) {
      const bytes = new Uint8Array(await (await fetch(`${file}.${codec}`)).arrayBuffer());
      const times = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await drain(expand(chunks(bytes)));
        times.push(performance.now() - t0);
      }
      out[`${file} ${codec}`] = times;
    }
  }
  postMessage(out);
};
"""
PAGE = """<!doctype html><body><script type="module">
const worker = new Worker("worker.mjs", { type: "module" });
worker.onmessage = ({ data }) => { window.result = data; };
worker.postMessage(%s);
</script></body>"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript"}  # noqa: RUF012

    def log_message(self, *args) -> None:
        pass


def zstd(data: bytes, window_log: int | None) -> bytes:
    """At the site's level, with this window (None: the level's own, 8 MiB)."""
    if window_log is None:
        return zstandard.ZstdCompressor(level=assets.ZSTD_LEVEL).compress(data)
    params = zstandard.ZstdCompressionParameters.from_level(assets.ZSTD_LEVEL, window_log=window_log)
    return zstandard.ZstdCompressor(compression_params=params).compress(data)


def brotli(path: Path) -> int:
    """Brotli at its highest quality, by Node's zlib (a host's codec: sizes only)."""
    script = (
        "const z=require('zlib');const d=require('fs').readFileSync(process.argv[1]);"
        "console.log(z.brotliCompressSync(d,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11,"
        "[z.constants.BROTLI_PARAM_SIZE_HINT]:d.length}}).length)"
    )
    return int(subprocess.run(["node", "-e", script, str(path)], capture_output=True, text=True, check=True).stdout)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.codecs", description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="expansions of each file per codec (default 7)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="handbook-codecs-") as tmp:
        work = Path(tmp)
        mkdocs_build(REPO, work / "site")
        runtime = runtime_dir(work / "site", "sales/inbound/")
        snapshot = next((work / "site" / "assets" / "calculators").glob("snapshot-*.bin"))
        sources = {"pyodide.asm.wasm": runtime / "pyodide.asm.wasm", "snapshot.bin": snapshot}
        rows = []
        for name, path in sources.items():
            data = path.read_bytes()
            packed = {
                "gzip": gzip.compress(data, compresslevel=9, mtime=0),
                "zstd": zstd(data, assets.ZSTD_WINDOW_LOG),
                "zstd8": zstd(data, None),
            }
            for codec, content in packed.items():
                (work / f"{name}.{codec}").write_bytes(content)
            gzip6 = len(gzip.compress(data, compresslevel=6, mtime=0))
            sizes = {"gzip -6": gzip6, **{codec: len(content) for codec, content in packed.items()}}
            rows.append((name, len(data), sizes, brotli(path)))
        shutil.copyfile(REPO / "node_modules" / assets.ZSTD_DECODER, work / "fzstd.mjs")
        (work / "worker.mjs").write_text(WORKER, encoding="utf-8")
        (work / "index.html").write_text(PAGE % json.dumps({"files": list(sources), "runs": args.runs}))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=tmp))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as pw:
                launched = pw.chromium.launch(executable_path=browser.CHROMIUM, args=browser.CHROMIUM_ARGS)
                page = launched.new_page()
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
                deadline = time.monotonic() + 300
                while (times := page.evaluate("window.result")) is None and time.monotonic() < deadline:
                    time.sleep(0.5)
                launched.close()
        finally:
            server.shutdown()
    if times is None:
        raise SystemExit("the worker did not finish in time")
    print("| file | codec | bytes | expanding it in the worker (median) |")
    print("|---|---|--:|--:|")
    labels = {"gzip": "gzip -9", "zstd": "zstd -19, 1 MiB window (shipped)", "zstd8": "zstd -19, 8 MiB window"}
    for name, raw, sizes, brotli_size in rows:
        print(f"| {name} | none | {raw:,} | - |")
        print(f"| {name} | gzip -6 | {sizes['gzip -6']:,} | (as gzip -9) |")
        for codec, label in labels.items():
            median = statistics.median(times[f"{name} {codec}"])
            print(f"| {name} | {label} | {sizes[codec]:,} | {median:.0f} ms |")
        print(f"| {name} | brotli -11 (a host's only) | {brotli_size:,} | - |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
