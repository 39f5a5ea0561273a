"""The test server's shaped link (harness/link.py, Server.shaped()) and its stall fault, with plain sockets.

No browser: these check the server itself, so that a browser test that shapes it
measures the link it asked for. A few seconds in all.
"""

from __future__ import annotations

import gzip
import http.client
import os
import socket
import threading
import time

import pytest

from tests.helpers import Server

RATE_MBIT = 8.0  # 1 MB/s: easy arithmetic
HALF_MB = 500_000


@pytest.fixture
def site(tmp_path):
    (tmp_path / "a.bin").write_bytes(os.urandom(HALF_MB))  # random: gzip cannot shrink it
    (tmp_path / "b.bin").write_bytes(os.urandom(HALF_MB))
    (tmp_path / "page.html").write_text("<p>hello, link</p>\n" * 2000, encoding="utf-8")
    (tmp_path / "blob.gz").write_bytes(gzip.compress(b"stored compressed " * 1000))
    running = Server(tmp_path)
    yield running
    running.close()


def raw_get(server: Server, path: str, headers: str = "") -> bytes:
    """Everything the server sends for one GET (status line, headers, body), until it closes."""
    with socket.create_connection(("127.0.0.1", server.httpd.server_address[1]), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n{headers}\r\n".encode())
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


def get(server: Server, path: str, accept_gzip: bool = False) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", server.httpd.server_address[1], timeout=10)
    connection.request("GET", path, headers={"Accept-Encoding": "gzip"} if accept_gzip else {})
    return connection.getresponse()


def test_concurrent_downloads_share_one_rate(site):
    finished: dict[str, float] = {}
    sizes: dict[str, int] = {}

    def download(name: str) -> None:
        sizes[name] = len(raw_get(site, f"/{name}"))
        finished[name] = time.monotonic()

    with site.shaped(RATE_MBIT, 0) as link:
        started = time.monotonic()
        threads = [threading.Thread(target=download, args=(name,)) for name in ("a.bin", "b.bin")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    total = sum(sizes.values())
    assert total > 2 * HALF_MB
    expected = total * 8 / (RATE_MBIT * 1e6)  # ~1.0 s for both together
    elapsed = [finished[name] - started for name in sizes]
    assert expected * 0.95 <= max(elapsed) <= expected * 1.5, elapsed
    # Fair: each ends near the end, not one at half the time and the other after it.
    assert min(elapsed) >= expected * 0.8, elapsed
    assert link.bytes_between() == total  # the log counts header and body bytes, all of them


def test_the_round_trip_comes_before_each_response(site):
    with site.shaped(1000, 250):
        started = time.monotonic()
        assert get(site, "/page.html").read().startswith(b"<p>hello")
        assert 0.25 <= time.monotonic() - started < 0.6
    started = time.monotonic()
    get(site, "/page.html").read()
    assert time.monotonic() - started < 0.2  # not shaped outside the block


def test_the_gzip_host_gzips_what_accepts_gzip(site, tmp_path):
    with site.shaped(1000, 0, gzip=True) as link:
        answer = get(site, "/page.html", accept_gzip=True)
        body = answer.read()
        assert answer.getheader("Content-Encoding") == "gzip"
        assert int(answer.getheader("Content-Length")) == len(body) < 5000
        assert gzip.decompress(body) == (tmp_path / "page.html").read_bytes()
        assert answer.getheader("Content-Type").startswith("text/html")
        # A .gz file is gzipped again, like any response.
        answer = get(site, "/blob.gz", accept_gzip=True)
        assert answer.getheader("Content-Encoding") == "gzip"
        assert gzip.decompress(answer.read()) == (tmp_path / "blob.gz").read_bytes()
        # Not asked for gzip: as stored.
        plain = get(site, "/page.html")
        assert plain.getheader("Content-Encoding") is None
        assert plain.read() == (tmp_path / "page.html").read_bytes()
        assert [r["path"] for r in link.report()["responses"]] == ["/page.html", "/blob.gz", "/page.html"]


def test_the_as_is_host_sends_gz_files_byte_for_byte(site, tmp_path):
    with site.shaped(1000, 0):
        answer = get(site, "/blob.gz", accept_gzip=True)
        assert answer.getheader("Content-Encoding") is None
        assert answer.getheader("Content-Type") == "application/gzip"
        assert answer.read() == (tmp_path / "blob.gz").read_bytes()


def test_the_log_counts_only_what_crossed_before_a_time(site):
    with site.shaped(RATE_MBIT, 0) as link:
        started = time.time()
        received = len(raw_get(site, "/a.bin"))
        ended = time.time()
    assert link.bytes_between(started, ended) == received
    # By a quarter second in, no more than the rate allows (plus the one chunk an idle bucket
    # holds) had crossed: a busy machine may send less, never more.
    early = started + 0.25
    assert 0 < link.bytes_between(started, early) <= RATE_MBIT * 1e6 / 8 * 0.25 + link.chunk
    [response] = link.report(started, early)["responses"]
    assert response["path"] == "/a.bin" and response["sent"] == received > response["bytes"]


def test_stall_sends_half_then_nothing_until_healed(site, tmp_path):
    size = (tmp_path / "a.bin").stat().st_size
    with (
        site.broken("*/a.bin", "stall"),
        socket.create_connection(("127.0.0.1", site.httpd.server_address[1]), timeout=0.5) as sock,
    ):
        sock.sendall(b"GET /a.bin HTTP/1.0\r\n\r\n")
        received = b""
        with pytest.raises(TimeoutError):
            while chunk := sock.recv(65536):
                received += chunk
        head, body = received.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.0 200") and f"Content-Length: {size}".encode() in head
        assert body == (tmp_path / "a.bin").read_bytes()[: size // 2]
        assert site.httpd.stalled_at is not None  # when it stopped sending
        site.heal()
        sock.settimeout(5)
        assert sock.recv(65536) == b""  # healed: the connection closes, the body short
