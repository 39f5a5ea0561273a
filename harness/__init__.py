"""What the speed benchmark (bench/) and the tests (tests/) both stand on, defined once.

- :mod:`harness.link`: a shaped link on loopback (rate, round trip, gzip host, log of bytes sent);
- :mod:`harness.chromium`: how Chromium is launched (Debian's package, its flags) and the
  calculators' runtime as the browser sees it (its SharedWorkers, ended from outside);
- :mod:`harness.host`: a static host's cache headers.

Imported from the repository's root, like bench/ and tests/; not installed (pyproject.toml
ships only ``calculators`` and ``handbook_calculators``). It imports neither bench nor tests
(tests/unit/test_layout.py checks), so both can depend on it without depending on each other.
"""
