"""A shaped link on loopback: one rate for the whole server, a round trip before each response, two hosts.

On loopback bytes cost nothing, so a benchmark served from there cannot see what a
reader's first visit over a real link pays for every byte. This module is the one
implementation of a slower link, used by the benchmark's server (bench/serve.py, in
its own process) and by the browser tests' server (tests/helpers.py, ``Server``):

- **Rate**: ONE token bucket shared by every connection of the server, as a reader's
  access link is shared by every connection of the page. Header and body bytes both
  go through it, in chunks of :data:`CHUNK` bytes, so concurrent downloads take turns
  and share the rate fairly instead of the first one taking it all.
- **Round trip**: a fixed delay after a request has been read, before its response
  (connection set-up is not delayed: the server speaks HTTP/1.0, one request per
  connection, as the benchmark's static server always has).
- **Host**: "as-is" sends files as they are stored (a ``.gz`` file is sent byte for
  byte, ``application/gzip``, with no ``Content-Encoding``, for the runtime to inflate
  itself); "gzip" gzips every file response (level 6) when the request accepts gzip,
  ``.gz`` files again too, and keeps the compressed bytes per file as a CDN would, so
  compressing does not show in the timing once a file has been sent once.
- **Log**: every chunk sent, with its wall-clock time (``time.time()``, the clock
  ``performance.timeOrigin`` is on), so a caller can ask how many bytes crossed the
  link between two moments, and in which responses.

A server holds the shaping in its ``link`` attribute (a :class:`Link`, or ``None``:
not shaped, not logged, as a plain ``http.server``). A server whose handler sets
``control = True`` (the benchmark's) also answers, unshaped and unlogged:

``GET /__link/shape?rate_mbit=10&delay_ms=60&gzip=1``
    shape from now on with a new link (and a new, empty log); without ``rate_mbit``
    the rate is unlimited, and ``/__link/shape?off=1`` turns shaping off. Answers the
    settings as JSON.
``GET /__link/bytes?since=T0&until=T1``
    what crossed the current link between the wall-clock times T0 and T1 (seconds
    since the epoch, floats; both optional), as JSON: :meth:`Link.report`.
"""

from __future__ import annotations

import dataclasses
import gzip
import http.server
import io
import json
import os
import threading
import time
import urllib.parse
from typing import ClassVar

#: Bytes per turn at the bucket: small enough that concurrent responses interleave finely.
CHUNK = 16 * 1024
#: Level of the gzip host (the common default of servers and CDNs).
GZIP_LEVEL = 6
#: Path prefix of the control requests (only where the handler sets ``control = True``).
CONTROL = "/__link/"


@dataclasses.dataclass
class Response:
    """One response sent over the link."""

    path: str
    started: float  # time.time() when its request had been read (before the round trip)
    sent: int = 0  # bytes sent so far, headers included


class Link:
    """The shaping of one server: rate, round trip, host, and the log of bytes sent.

    Args:
        rate_mbit: The link's rate in Mbit/s (10**6 bits), shared by every connection;
            ``None``: unlimited (still logged).
        delay_ms: The round trip, waited before each response.
        gzip: The gzip host (responses gzipped when the request accepts gzip); else as-is.
        chunk: Bytes per turn at the bucket.
    """

    def __init__(self, rate_mbit: float | None, delay_ms: float = 0.0, gzip: bool = False, chunk: int = CHUNK) -> None:
        if rate_mbit is not None and rate_mbit <= 0:
            raise ValueError("rate_mbit must be positive (None: unlimited)")
        self.rate_mbit = rate_mbit
        self.delay_ms = delay_ms
        self.gzip = gzip
        self.chunk = chunk
        self._bytes_per_s = None if rate_mbit is None else rate_mbit * 1e6 / 8
        self._lock = threading.Lock()
        self._free_at = 0.0  # time.monotonic() when the bucket has sent everything asked of it
        self._log: list[tuple[float, int, Response]] = []  # (time.time() once sent, bytes, response)
        self.responses: list[Response] = []

    def settings(self) -> dict:
        """The link's settings, as the control path reports them."""
        return {"rate_mbit": self.rate_mbit, "delay_ms": self.delay_ms, "gzip": self.gzip}

    def open(self, path: str) -> Response:
        """A response for the request of ``path`` begins: logged from its first byte."""
        response = Response(path, time.time())
        with self._lock:
            self.responses.append(response)
        return response

    def round_trip(self) -> None:
        """Waits the link's round trip (called once a request has been read)."""
        if self.delay_ms > 0:
            time.sleep(self.delay_ms / 1000)

    def send(self, write, data: bytes, response: Response) -> None:
        """Sends ``data`` with ``write`` (a socket's), one chunk per turn at the shared bucket."""
        view = memoryview(data)
        for start in range(0, len(view), self.chunk):
            piece = view[start : start + self.chunk]
            self._take(len(piece))
            write(piece)
            with self._lock:
                response.sent += len(piece)
                self._log.append((time.time(), len(piece), response))

    def _take(self, n: int) -> None:
        """Waits until ``n`` bytes have crossed the link at its rate (a token bucket).

        The bucket is a virtual clock, ``_free_at``: each chunk books the next ``n / rate``
        seconds of the link, after the chunks booked before it by any connection, and is
        written once its time is over, as its last bit would arrive. An idle link keeps
        one chunk's credit, so that a thread woken a little late does not leave the link
        idle (at 50 Mbit/s a chunk is 2.6 ms, not much more than a busy machine's wake-up).
        """
        if self._bytes_per_s is None:
            return
        with self._lock:
            now = time.monotonic()
            start = max(self._free_at, now - self.chunk / self._bytes_per_s)
            self._free_at = start + n / self._bytes_per_s
            done = self._free_at
        wait = done - time.monotonic()
        if wait > 0:
            time.sleep(wait)

    def bytes_between(self, since: float = 0.0, until: float = float("inf")) -> int:
        """Bytes that crossed the link from wall time ``since`` to ``until`` (``time.time()`` seconds)."""
        with self._lock:
            return sum(n for at, n, _ in self._log if since <= at <= until)

    def report(self, since: float = 0.0, until: float = float("inf")) -> dict:
        """What crossed the link between the two wall times: ``{"bytes": total, "responses":
        [{"path", "started", "bytes" (in the window), "sent" (so far, in all)}, ...]}``, the
        responses that began or sent anything in the window (a request the browser dropped
        before any byte counts too), in the order they began."""
        in_window: dict[int, int] = {}
        with self._lock:
            for at, n, response in self._log:
                if since <= at <= until:
                    in_window[id(response)] = in_window.get(id(response), 0) + n
            responses = [
                {"path": r.path, "started": r.started, "bytes": in_window.get(id(r), 0), "sent": r.sent}
                for r in self.responses
                if id(r) in in_window or since <= r.started <= until
            ]
        return {"bytes": sum(in_window.values()), "responses": responses}


_gzipped: dict[tuple[str, int, int], bytes] = {}
_gzip_lock = threading.Lock()


def gzipped(path: str) -> bytes:
    """The file gzipped at level 6, compressed once per file version (path, size, mtime), as a CDN keeps it.

    Kept for the life of the process, across links, so that a benchmark can fill it with
    one untimed load and no timed load pays for compressing.
    """
    stat = os.stat(path)
    key = (path, stat.st_size, stat.st_mtime_ns)
    with _gzip_lock:  # one compression at a time: a file asked for twice at once is compressed once
        if key not in _gzipped:
            with open(path, "rb") as fh:
                _gzipped[key] = gzip.compress(fh.read(), compresslevel=GZIP_LEVEL, mtime=0)
        return _gzipped[key]


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` header accepts gzip (listed, and not with ``q=0``)."""
    for part in accept_encoding.split(","):
        coding, *params = [p.strip() for p in part.split(";")]
        if coding.lower() in {"gzip", "x-gzip", "*"}:
            return not any(p.replace(" ", "") in {"q=0", "q=0.0", "q=0.00", "q=0.000"} for p in params)
    return False


class _ShapedWriter:
    """The handler's ``wfile``: writes through the request's link, if it has one."""

    def __init__(self, raw, handler: ShapingHandler) -> None:
        self._raw = raw
        self._handler = handler

    def write(self, data) -> int:
        link, response = self._handler.link, self._handler.link_response
        if link is None or response is None:
            return self._raw.write(data)
        link.send(self._raw.write, data, response)
        return memoryview(data).nbytes

    def __getattr__(self, name: str):
        return getattr(self._raw, name)  # flush, close, closed: the socket writer's


class ShapingHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler whose responses cross the server's link (``server.link``).

    The link is read once per request, when it has been read, so a response in flight
    keeps the shaping it began with. Subclasses keep working unchanged: everything they
    write, headers included, goes through ``wfile``.
    """

    #: Answer the control path (``/__link/``): the benchmark's server, which runs in a
    #: process of its own, is shaped and asked for its log through it.
    control: ClassVar[bool] = False

    # .wasm must be application/wasm (streaming compile); .mjs must be JavaScript (module
    # scripts); .gz stays application/gzip, never a Content-Encoding (the runtime inflates it).
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".gz": "application/gzip",
    }

    link: Link | None = None
    link_response: Response | None = None

    def setup(self) -> None:
        super().setup()
        self.wfile = _ShapedWriter(self.wfile, self)

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        self.link, self.link_response = None, None
        if self.control and self.path.startswith(CONTROL):
            return True  # the control path is not shaped
        link = getattr(self.server, "link", None)
        if link is not None:
            self.link, self.link_response = link, link.open(self.path)
            link.round_trip()
        return True

    def do_GET(self) -> None:
        if self.control and self.path.startswith(CONTROL):
            self._control()
        else:
            super().do_GET()

    def send_head(self):
        """As SimpleHTTPRequestHandler's, but the gzip host sends a file gzipped when the request accepts it.

        Conditional requests are answered in full there (no 304): the benchmark's loads
        are cold, and its pages revalidate only on a second visit.
        """
        link = self.link
        if link is None or not link.gzip or not accepts_gzip(self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        path = self._file()
        if path is None:  # a directory without a slash (redirect), a listing, a 404: as plain http.server
            return super().send_head()
        body = gzipped(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(int(os.stat(path).st_mtime)))
        self.end_headers()
        return io.BytesIO(body)

    def _file(self) -> str | None:
        """The file a GET of this path sends (a folder's index.html), or None if it is not a plain file."""
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not urllib.parse.urlsplit(self.path).path.endswith("/"):
                return None
            indexes = (os.path.join(path, name) for name in ("index.html", "index.htm"))
            return next((index for index in indexes if os.path.isfile(index)), None)
        return path if os.path.isfile(path) and not path.endswith("/") else None

    def _control(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query).items()}
        if url.path == CONTROL + "shape":
            if "off" in query:
                self.server.link = None
            else:
                rate = float(query["rate_mbit"]) if "rate_mbit" in query else None
                on = query.get("gzip", "0") not in {"0", "", "false"}
                self.server.link = Link(rate, float(query.get("delay_ms", 0)), gzip=on)
            link = self.server.link
            self._json({"shaped": link is not None, **(link.settings() if link else {})})
        elif url.path == CONTROL + "bytes":
            link = self.server.link
            since, until = float(query.get("since", 0)), float(query.get("until", "inf"))
            self._json(link.report(since, until) if link else {"bytes": 0, "responses": []})
        else:
            self.send_error(404, "unknown control path")

    def _json(self, value: dict) -> None:
        body = json.dumps(value).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class ShapingServer(http.server.ThreadingHTTPServer):
    """A threaded server whose responses cross ``link`` (``None``: not shaped)."""

    daemon_threads = True
    link: Link | None = None

    def handle_error(self, request, client_address) -> None:
        pass  # a browser dropping a connection (a cancelled download) is not an error
