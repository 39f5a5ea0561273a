"""Access to the ``calculators`` package, fresh for every build.

``mkdocs serve`` rebuilds in the same process. So that an edit to
``calculators/rules.py`` reaches the prose, the pre-rendered answers and the
browser's copy alike, :func:`reload_calculators` drops the cached modules at the
start of each build, and the plugin always looks the package up through
:func:`calculators_package` instead of holding a reference from import time.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

PACKAGE = "calculators"


def calculators_package() -> ModuleType:
    """The current ``calculators`` package (with its submodules imported)."""
    package = importlib.import_module(PACKAGE)
    for name in ("fields", "present", "references", "rules"):
        importlib.import_module(f"{PACKAGE}.{name}")
    return package


def reload_calculators() -> ModuleType:
    """Forget every cached ``calculators`` module and import the package again from disk."""
    for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    importlib.invalidate_caches()
    return calculators_package()
