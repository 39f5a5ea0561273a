"""Speed benchmark of the handbook's live calculators (``make bench``; docs/performance.md).

Builds everything it needs into a temp dir, measures in Debian's Chromium and with
``mkdocs build``, and prints one table: metric, median, min, max, ratio to baseline,
target, result.
"""
