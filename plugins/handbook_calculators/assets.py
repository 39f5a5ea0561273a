"""What the plugin adds to the built site: its runtime, the calculators package, Pyodide.

Every file gets a content hash or a version in its path, so browsers can cache
it for good and a rebuilt site with new rules is never served stale.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

ASSETS = Path(__file__).parent / "assets"
#: Precompiles Pyodide's stdlib to .pyc inside Pyodide under Node (see the script's header).
BUILD_STDLIB = Path(__file__).parent / "build_stdlib.mjs"
#: Where the plugin's own files go in the site.
SITE_DIR = "assets/calculators"
#: The files of the npm ``pyodide`` package a page needs (no lock file: we load no packages).
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
#: Fixed timestamp for zip entries, so the same sources always give the same hash.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclasses.dataclass(frozen=True)
class Asset:
    """One generated file: its path in the site and its bytes."""

    uri: str
    content: bytes


def hashed(stem: str, suffix: str, content: bytes) -> Asset:
    """``assets/calculators/<stem>-<hash>.<suffix>``."""
    digest = hashlib.sha256(content).hexdigest()[:12]
    return Asset(f"{SITE_DIR}/{stem}-{digest}.{suffix}", content)


def package_zip(package_dir: Path) -> bytes:
    """The ``calculators`` package as one deterministic zip, ``calculators/`` at its top."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(package_dir.glob("*.py")):
            info = zipfile.ZipInfo(f"{package_dir.name}/{path.name}", _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def runtime_assets(package_dir: Path) -> dict[str, Asset]:
    """The page script, the worker, the stylesheet and the package, by role."""
    return {
        "script": hashed("calculators", "js", (ASSETS / "calculators.js").read_bytes()),
        "worker": hashed("worker", "js", (ASSETS / "worker.js").read_bytes()),
        "style": hashed("calculators", "css", (ASSETS / "calculators.css").read_bytes()),
        "package": hashed("calculators", "zip", package_zip(package_dir)),
    }


def pyodide_version(pyodide_dir: Path) -> str:
    """The version of the npm package, which names the runtime's path in the site."""
    return json.loads((pyodide_dir / "package.json").read_text(encoding="utf-8"))["version"]


class StdlibError(RuntimeError):
    """The precompiled stdlib could not be made; the stock one still works, only slower."""


def precompiled_stdlib(pyodide_dir: Path) -> Path:
    """Pyodide's stdlib with .pyc files, made once and cached beside node_modules.

    The stock zip has only sources, so Python would compile ~150 modules at every
    start in the browser. The cache key covers the stock zip and the build script,
    so a Pyodide upgrade or a script change makes a new file, and builds after the
    first one (including every test build) reuse it.
    """
    stock = pyodide_dir / "python_stdlib.zip"
    key = hashlib.sha256(stock.read_bytes() + BUILD_STDLIB.read_bytes()).hexdigest()[:16]
    cache = pyodide_dir.parent / ".cache" / "handbook-calculators"
    target = cache / f"python_stdlib-{pyodide_version(pyodide_dir)}-{key}.zip"
    if target.is_file():
        return target
    node = shutil.which("node")
    if node is None:
        raise StdlibError("Node.js is not on PATH")
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as work:
        out = Path(work) / "python_stdlib.zip"
        done = subprocess.run(
            [node, str(BUILD_STDLIB), str(out)],
            env={**os.environ, "PYODIDE_DIR": str(pyodide_dir)},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0 or not out.is_file():
            raise StdlibError((done.stderr or done.stdout).strip()[-500:])
        out.replace(target)  # atomic: a parallel build sees the whole file or none
    return target
