"""The static server of the benchmark: a threaded ``http.server`` with a static host's cache headers.

Runs in its own process (``python -m bench.serve ROOT``, prints its URL), so the
Python driving Chromium never competes with it for the GIL. Like a typical static
host: anything under ``/assets/`` (content-hashed or versioned paths: Material's
bundles, the plugin's files, the Pyodide directory) is immutable; pages revalidate.
Both the handbook and the baseline page are served by this one server, the same way.
The headers are :mod:`harness.host`'s, which the browser tests' server sends too.

Unshaped (loopback) unless shaped through its control path: the throttled section
of the benchmark switches it to a slower link per cell (harness/link.py), with
:meth:`Process.shape`, and reads what crossed the link with :meth:`Process.sent`.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from harness.host import cache_control
from harness.link import CONTROL, ShapingHandler, ShapingServer

#: The control requests go straight to loopback, whatever proxy the environment names.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Handler(ShapingHandler):
    """The static host (MIME types: harness/link.py), answering the link's control path too."""

    control = True

    def end_headers(self) -> None:
        self.send_header("Cache-Control", cache_control(self.path))
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


class Server(ShapingServer):
    """Threaded; a dropped connection (the cancelled wasm download) is not an error."""


def main() -> None:
    root = Path(sys.argv[1])
    httpd = Server(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    print(f"http://127.0.0.1:{httpd.server_address[1]}/", flush=True)
    httpd.serve_forever()


class Process:
    """``python -m bench.serve ROOT`` in a child process; ``url`` once it listens."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.serve", str(root)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self.close()
            raise RuntimeError("the benchmark's static server did not start")

    def shape(self, rate_mbit: float | None, delay_ms: float = 0.0, gzip: bool = False) -> None:
        """Shapes every response from now on (a new link, its log empty); ``rate_mbit=None``: unlimited."""
        query = {"delay_ms": delay_ms, "gzip": int(gzip)}
        if rate_mbit is not None:
            query["rate_mbit"] = rate_mbit
        self._control("shape", query)

    def unshape(self) -> None:
        """Back to plain loopback, as for the benchmark's other rows."""
        self._control("shape", {"off": 1})

    def sent(self, since: float, until: float) -> dict:
        """What crossed the link between two wall-clock times (``time.time()`` s): Link.report() of harness/link.py."""
        return self._control("bytes", {"since": repr(since), "until": repr(until)})

    def _control(self, name: str, query: dict) -> dict:
        url = f"{self.url.rstrip('/')}{CONTROL}{name}?{urllib.parse.urlencode(query)}"
        with _DIRECT.open(url, timeout=30) as answer:
            return json.loads(answer.read())

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self) -> Process:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


if __name__ == "__main__":
    main()
