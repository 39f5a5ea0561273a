"""The one entry point the browser calls: JSON in, JSON out.

The page's Web Worker never builds Python source from what the reader typed; it
passes the request as a JSON string to :func:`call`.
"""

from __future__ import annotations

import datetime as dt
import json

from . import run
from .ics import calendar, events
from .present import display, reasons
from .summary import summary


def call(request_json: str) -> str:
    """Run ``{"calculator", "inputs"}`` and return ``{"output", "display", "reasons", "summary",
    "has_dates", "ics"}`` as JSON (typed for the page in assets/protocol.d.ts).

    An optional ``"page"`` object (``site_root``, ``directory_urls``, ``link``, ``stamp``:
    an ISO UTC time) turns on the extras: the summary's section links and the
    calendar file (``ics`` is null when the answer holds no dates).
    """
    try:
        request = json.loads(request_json)
    except (TypeError, ValueError):
        request = None
    if not isinstance(request, dict):
        request = {}
    output = run(request.get("calculator"), request.get("inputs"))
    page = request.get("page") if isinstance(request.get("page"), dict) else {}
    site_root = page.get("site_root") if isinstance(page.get("site_root"), str) else ""
    link = page.get("link") if isinstance(page.get("link"), str) else ""
    directory_urls = page.get("directory_urls") is not False
    stamp = _stamp(page.get("stamp"))
    return json.dumps(
        {
            "output": output,
            "display": display(output),
            "reasons": reasons(output, site_root, directory_urls),
            "summary": summary(output, site_root, directory_urls),
            "has_dates": bool(events(output)),
            # Only on request (the page asks when the reader clicks "Add to calendar"): not on every keystroke.
            "ics": calendar(output, stamp, link) if stamp else None,
        }
    )


def _stamp(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)
