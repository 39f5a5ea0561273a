"""Every rule id the calculators package spells out must be in the registry (rules.SOURCES).

A calculator cites a rule by its id ("L2") in a reason, directly or from a table of its
own; an id missing from the registry would only fail when a reader's input reaches that
reason. So the build reads the package's source once (the ``ast`` of each module) and
refuses any string that has a rule id's shape and is not registered, naming its file and
line. tests/unit/test_rule_registry.py runs the same check.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

#: A rule id's shape, as RULES.md writes them: a capital letter and a number (T1, Q12).
RULE_ID = re.compile(r"[A-Z][0-9]{1,3}")


def unknown_rule_ids(package_dir: Path, known: Iterable[str]) -> list[tuple[str, int, str]]:
    """``(file, line, id)`` of every rule-id-shaped string literal in the package not in ``known``."""
    registry = set(known)
    found = []
    for path in sorted(package_dir.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_text and RULE_ID.fullmatch(node.value) and node.value not in registry:
                found.append((f"{package_dir.name}/{path.name}", node.lineno, node.value))
    return sorted(found)
