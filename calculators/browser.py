"""The one entry point the browser calls: JSON in, JSON out.

The page's Web Worker never builds Python source from what the reader typed; it
passes the request as a JSON string to :func:`call`.
"""

from __future__ import annotations

import json

from . import run
from .present import display


def call(request_json: str) -> str:
    """Run ``{"calculator", "inputs"}`` and return ``{"output", "display"}`` as JSON."""
    try:
        request = json.loads(request_json)
    except (TypeError, ValueError):
        request = None
    if not isinstance(request, dict):
        request = {}
    output = run(request.get("calculator"), request.get("inputs"))
    return json.dumps({"output": output, "display": display(output)})
