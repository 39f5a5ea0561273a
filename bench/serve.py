"""The static server of the benchmark: a threaded ``http.server`` with a static host's cache headers.

Runs in its own process (``python -m bench.serve ROOT``, prints its URL), so the
Python driving Chromium never competes with it for the GIL. Like a typical static
host: anything under ``/assets/`` (content-hashed or versioned paths: Material's
bundles, the plugin's files, the Pyodide directory) is immutable; pages revalidate.
Both the handbook and the baseline page are served by this one server, the same way.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

IMMUTABLE = "public, max-age=31536000, immutable"


class Handler(http.server.SimpleHTTPRequestHandler):
    # .wasm must be application/wasm (streaming compile); .mjs must be JavaScript (module scripts).
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
    }

    def end_headers(self) -> None:
        self.send_header("Cache-Control", IMMUTABLE if "/assets/" in self.path else "no-cache")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a browser dropping a connection (the cancelled wasm download) is not an error


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
