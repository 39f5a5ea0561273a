"""Calendar export (RFC 5545): the dates an answer holds, as all-day events.

A calculator lists the result keys that hold dates in ``EVENTS`` (key, title);
a key may hold one ISO date or a list of them. The command line (``--ics``) and
the page's "Add to calendar" button both call :func:`calendar`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from . import CALCULATORS

PRODUCT_ID = "-//Sales handbook//Calculators//EN"
_LINE_OCTETS = 75  # RFC 5545 3.1: fold lines longer than this


def events(output: dict[str, Any]) -> list[tuple[dt.date, str]]:
    """(date, title) of every dated milestone in a successful answer, in date order."""
    if not output.get("ok"):
        return []
    module = CALCULATORS[output["calculator"]]
    found = []
    for key, title in getattr(module, "EVENTS", ()):
        value = output["result"].get(key)
        days = value if isinstance(value, list) else [value]
        numbered = len(days) > 1
        for number, day in enumerate(days, start=1):
            if day:
                found.append((dt.date.fromisoformat(day), f"{title} {number}" if numbered else title))
    return sorted(found)


def calendar(output: dict[str, Any], stamp: dt.datetime, link: str = "") -> str | None:
    """The answer's dates as an iCalendar file, or None when it holds no dates.

    Args:
        output: what :func:`calculators.run` returned.
        stamp: when the file is made (DTSTAMP), in UTC.
        link: where the rep can see the answer again, added to every event.
    """
    milestones = events(output)
    if not milestones:
        return None
    # UIDs are stable for the same answer, so importing a file twice updates instead of duplicating.
    digest = hashlib.sha256(json.dumps(output["result"], sort_keys=True).encode()).hexdigest()[:16]
    when = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT_ID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for number, (day, title) in enumerate(milestones):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{output['calculator']}-{digest}-{number}@sales-handbook",
            f"DTSTAMP:{when}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_text(title)}",
            "TRANSP:TRANSPARENT",
        ]
        if link:
            lines += [f"DESCRIPTION:{_text('From the sales handbook: ' + link)}", f"URL:{link}"]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT escaping."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 3.1: lines of at most 75 octets, continued with CRLF and a space."""
    encoded = line.encode()
    if len(encoded) <= _LINE_OCTETS:
        return line
    parts, start, limit = [], 0, _LINE_OCTETS
    while start < len(encoded):
        end = min(start + limit, len(encoded))
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:  # never split a UTF-8 character
            end -= 1
        parts.append(encoded[start:end].decode())
        start, limit = end, _LINE_OCTETS - 1  # continuation lines start with a space
    return "\r\n ".join(parts)
