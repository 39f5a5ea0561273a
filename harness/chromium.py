"""Chromium as the benchmark and the browser tests launch it, and the calculators' runtime as it sees it.

Debian's ``chromium`` package (Playwright's own download cannot work here), started with
the same flags everywhere, so a benchmark figure and a test see the same browser. The
runtime is a SharedWorker, which a page cannot end and Playwright does not list:
:func:`runtime_workers` and :func:`end_runtime_workers` find and end it through the
Chrome DevTools Protocol, as a crash or its lifetime running out would.
"""

from __future__ import annotations

import os
import shutil
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import CDPSession

#: Debian's chromium by default; CHROMIUM=... points elsewhere (as for `make test`).
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
#: No sandbox (Chromium will not start with one as root, as in a CI container), no GPU, and
#: none of the browser's own traffic (updates, sync, QUIC) beside the page's.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def runtime_workers(cdp: CDPSession, url_prefix: str = "") -> list[dict]:
    """The SharedWorkers the browser behind ``cdp`` runs (the calculators' runtime), whose
    script URL starts with ``url_prefix``: Chrome DevTools Protocol targets."""
    targets = cdp.send("Target.getTargets")["targetInfos"]
    return [t for t in targets if t["type"] == "shared_worker" and t["url"].startswith(url_prefix)]


def end_runtime_workers(cdp: CDPSession, url_prefix: str = "") -> int:
    """Ends them from outside, as a crash or the lifetime running out would (a page cannot
    end a shared worker), and waits until they are gone; returns how many there were."""
    found = runtime_workers(cdp, url_prefix)
    for target in found:
        if not cdp.send("Target.closeTarget", {"targetId": target["targetId"]})["success"]:
            raise RuntimeError(f"could not end the shared worker {target['url']}")
    deadline = time.monotonic() + 5
    while runtime_workers(cdp, url_prefix):
        if time.monotonic() > deadline:
            raise RuntimeError("the calculators' shared worker did not end")
        time.sleep(0.05)
    return len(found)
