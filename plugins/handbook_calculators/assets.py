"""What the plugin adds to the built site: its runtime, the calculators package, Pyodide.

Every file gets a content hash or a version in its path, so browsers can cache
it for good and a rebuilt site with new rules is never served stale.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import zstandard

from .source import calculators_package

ASSETS = Path(__file__).parent / "assets"
#: Precompiles Pyodide's stdlib to .pyc inside Pyodide under Node (see the script's header).
BUILD_STDLIB = Path(__file__).parent / "build_stdlib.mjs"
#: Where the plugin's own files go in the site.
SITE_DIR = "assets/calculators"
#: The files of the npm ``pyodide`` package a page needs (no lock file: we load no packages).
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
#: The big files the worker fetches compressed, as ``<name>.zst`` beside the plain file, and
#: expands as they stream in (worker.js, download()): the wasm here, and the snapshot. So they
#: cross the link compressed whatever the host does. zstd at level 19 with a 1 MiB window:
#: zstd because it is smaller than gzip -9 for these files; a 1 MiB window because a
#: streaming decoder shifts its whole window after every block, so the level's default
#: (8 MiB) saves a few more bytes at the cost of more of the worker's time to expand them.
#: docs/performance.md ("Which codec pays") has the figures; ``python -m bench.codecs``
#: measures them again. Compressing takes seconds, so it is done once and cached.
ZSTD_PYODIDE_FILES = ("pyodide.asm.wasm",)
ZSTD_LEVEL, ZSTD_WINDOW_LOG = 19, 20
#: pyodide.asm.mjs is a module script the browser fetches by its own name (an expanded copy
#: would need a blob: URL, which a strict CSP refuses), so it gets a ``.gz`` sibling for the
#: hosts that serve those (nginx gzip_static, most CDNs). python_stdlib.zip is compressed.
GZIP_PYODIDE_FILES = ("pyodide.asm.mjs",)
GZIP_LEVEL = 9
#: The zstd decoder the worker imports: fzstd (npm, pinned in package.json), a small pure
#: JavaScript decoder that streams; browsers expand only gzip and deflate themselves.
ZSTD_DECODER = Path("fzstd") / "esm" / "index.mjs"
#: Fixed timestamp for zip entries, so the same sources always give the same hash.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclasses.dataclass(frozen=True)
class Asset:
    """One generated file: its path in the site and its bytes (or, for a big one, the file to copy)."""

    uri: str
    content: bytes | None = None
    source: Path | None = None


def hashed(stem: str, suffix: str, content: bytes) -> Asset:
    """``assets/calculators/<stem>-<hash>.<suffix>``."""
    digest = hashlib.sha256(content).hexdigest()[:12]
    return Asset(f"{SITE_DIR}/{stem}-{digest}.{suffix}", content)


def package_zip(package_dir: Path) -> bytes:
    """The ``calculators`` package as one deterministic zip, ``calculators/`` at its top,
    without its shell-only modules (``calculators.SHELL_ONLY``: the command line and such)."""
    shell_only = calculators_package().SHELL_ONLY
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in package_dir.glob("*.py") if p.stem not in shell_only):
            info = zipfile.ZipInfo(f"{package_dir.name}/{path.name}", _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def zstd_decoder(pyodide_dir: Path) -> Asset | None:
    """fzstd's module, content-hashed, from the node_modules beside Pyodide's (None: not installed)."""
    source = pyodide_dir.parent / ZSTD_DECODER
    return hashed("fzstd", "mjs", source.read_bytes()) if source.is_file() else None


def runtime_assets(package_dir: Path) -> dict[str, Asset]:
    """The search hold, the notice for pages opened from disk, the page script, the worker, the
    stylesheet and the package, by role."""
    return {
        "search_hold": hashed("search_hold", "js", linked("search_hold.js", classic=True).encode()),
        "file_notice": hashed("file_notice", "js", linked("file_notice.js", classic=True).encode()),
        "script": hashed("calculators", "js", linked("calculators.js").encode()),
        "worker": hashed("worker", "js", linked("worker.js").encode()),
        "style": hashed("calculators", "css", (ASSETS / "calculators.css").read_bytes()),
        "package": hashed("calculators", "zip", package_zip(package_dir)),
    }


#: ``import { a, b } from "./module.js";`` on a line of its own, as the scripts import their shared parts.
_IMPORT = re.compile(r'^import \{ *([\w, ]+?) *\} from "\./([\w.]+\.js)";$', re.MULTILINE)
#: What a shared part may hold: only top-level ``export const|function`` declarations get exported.
_EXPORT = re.compile(r"^export (?=(?:const|function) (\w+))", re.MULTILINE)


class LinkError(ValueError):
    """A script imports something its shared part does not export."""


def linked(name: str, classic: bool = False) -> str:
    """assets/<name> with each shared part it imports written in place, in a scope of its own.

    The scripts share constants and helpers (markup.js, shared_state.js, snapshot_format.js)
    through plain ES imports, which the type checker follows. Shipped, each import becomes
    ``const { a, b } = (() => { ...the part...; return { a, b }; })();``: one file per
    script, no extra request before it can run (the worker and the classic search hold
    could not fetch one early anyway). A ``classic`` script is wrapped in a block, so that
    what it imported stays out of the page's global scope.
    """
    text = (ASSETS / name).read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        names = [part.strip() for part in match.group(1).split(",") if part.strip()]
        source = (ASSETS / match.group(2)).read_text(encoding="utf-8")
        exported = set(_EXPORT.findall(source))
        missing = [n for n in names if n not in exported]
        if missing:
            raise LinkError(f"{name} imports {', '.join(missing)} from {match.group(2)}, which does not export it")
        body = _EXPORT.sub("", source).strip()
        listed = ", ".join(names)
        head = f"// {match.group(2)}, inlined (assets.py, linked())\nconst {{ {listed} }} = (() => {{"
        return f"{head}\n{body}\nreturn {{ {listed} }};\n}})();"

    text = _IMPORT.sub(inline, text)
    return f"{{\n{text}}}\n" if classic else text


def pyodide_abi(pyodide_dir: Path) -> str | None:
    """The runtime's ABI from its lock file, which the worker hands loadPyodide() instead of
    the file itself (we load no packages); None if the package has no lock file."""
    try:
        lock = json.loads((pyodide_dir / "pyodide-lock.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    abi = lock.get("info", {}).get("abi_version")
    return abi if isinstance(abi, str) else None


def pyodide_version(pyodide_dir: Path) -> str:
    """The version of the npm package, which names the runtime's path in the site."""
    return json.loads((pyodide_dir / "package.json").read_text(encoding="utf-8"))["version"]


def cache_dir(pyodide_dir: Path) -> Path:
    """Where the generated runtime files are cached: beside node_modules' own caches."""
    return pyodide_dir.parent / ".cache" / "handbook-calculators"


def compressed(source: Path, target: Path) -> Path:
    """``source`` compressed into ``target``, by its suffix: ``.zst`` or ``.gz``.

    Made once: the caller names ``target`` by the content's key. Deterministic (gzip: no
    file name, mtime 0), so the same input always gives the same bytes.
    """
    if not target.is_file():
        data = source.read_bytes()
        if target.suffix == ".zst":
            params = zstandard.ZstdCompressionParameters.from_level(ZSTD_LEVEL, window_log=ZSTD_WINDOW_LOG)
            packed = zstandard.ZstdCompressor(compression_params=params).compress(data)
        elif target.suffix == ".gz":
            packed = gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
        else:
            raise ValueError(f"no codec for {target.name}")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        partial.write_bytes(packed)
        partial.replace(target)  # atomic: a parallel build sees the whole file or none
    return target


def compressed_pyodide_files(pyodide_dir: Path, zstd: bool = True) -> dict[str, Path]:
    """The runtime's compressed siblings (``pyodide.asm.wasm.zst``, ...) -> their cached files.

    Cached by runtime version and size, so each is made once per Pyodide version. Without
    ``zstd`` (no decoder to ship), only the ``.gz`` ones.
    """
    made = {}
    for names, suffix in ((ZSTD_PYODIDE_FILES if zstd else (), ".zst"), (GZIP_PYODIDE_FILES, ".gz")):
        for name in names:
            source = pyodide_dir / name
            key = f"{pyodide_version(pyodide_dir)}-{source.stat().st_size}"
            made[name + suffix] = compressed(source, cache_dir(pyodide_dir) / f"{name}-{key}{suffix}")
    return made


class StdlibError(RuntimeError):
    """The precompiled stdlib could not be made; the stock one still works, only slower."""


def precompiled_stdlib(pyodide_dir: Path) -> Path:
    """Pyodide's stdlib with .pyc files, made once and cached beside node_modules.

    The stock zip has only sources, so Python would compile every module it imports at
    every start in the browser. The cache key covers the stock zip and the build script,
    so a Pyodide upgrade or a script change makes a new file, and builds after the
    first one (including every test build) reuse it.
    """
    stock = pyodide_dir / "python_stdlib.zip"
    key = hashlib.sha256(stock.read_bytes() + BUILD_STDLIB.read_bytes()).hexdigest()[:16]
    cache = cache_dir(pyodide_dir)
    target = cache / f"python_stdlib-{pyodide_version(pyodide_dir)}-{key}.zip"
    if target.is_file():
        return target
    try:
        _run_node(BUILD_STDLIB, pyodide_dir, target, [])
    except RuntimeError as exc:
        raise StdlibError(str(exc)) from None
    return target


#: Makes the memory snapshot of Pyodide with the package imported (see the script's header).
BUILD_SNAPSHOT = Path(__file__).parent / "build_snapshot.mjs"
#: Python the script puts in the snapshot (the finder for the stdlib installed later).
STDLIB_FIRST = Path(__file__).parent / "stdlib_first.py"
#: Snapshots kept in the cache per runtime version (test builds with edited rules make more).
KEEP_SNAPSHOTS = 8


class SnapshotError(RuntimeError):
    """The memory snapshot could not be made; the runtime still starts, only more slowly."""


def memory_snapshot(pyodide_dir: Path, stdlib: Path, stdlib_sha256: str, package: bytes) -> Path:
    """A memory snapshot of Pyodide with ``package`` imported, cached beside node_modules.

    The key covers everything the memory depends on: the runtime (its version and
    wasm), the stdlib zip the site ships, the package zip and the scripts. Editing a
    rule changes the package, so `mkdocs serve` makes a new snapshot (a few seconds);
    every other build reuses one.
    """
    key = hashlib.sha256()
    for part in (
        # The version names the wasm; its size guards against a hand-edited package.
        f"{pyodide_version(pyodide_dir)} {(pyodide_dir / 'pyodide.asm.wasm').stat().st_size}".encode(),
        stdlib_sha256.encode(),  # the caller hashes the stdlib zip already (its path in the site)
        package,
        BUILD_SNAPSHOT.read_bytes(),
        (ASSETS / "snapshot_format.js").read_bytes(),
        STDLIB_FIRST.read_bytes(),
    ):
        key.update(hashlib.sha256(part).digest())
    cache = cache_dir(pyodide_dir)
    target = cache / f"snapshot-{pyodide_version(pyodide_dir)}-{key.hexdigest()[:16]}.bin"
    if target.is_file():
        return target
    try:
        _run_node(BUILD_SNAPSHOT, pyodide_dir, target, [stdlib], {"package.zip": package})
    except RuntimeError as exc:
        raise SnapshotError(str(exc)) from None
    # Old snapshots of this runtime (earlier rules) are dead weight: keep the newest few.
    old = sorted(cache.glob(f"snapshot-{pyodide_version(pyodide_dir)}-*.bin"), key=lambda p: p.stat().st_mtime)
    for stale in old[:-KEEP_SNAPSHOTS]:
        stale.unlink(missing_ok=True)
        stale.with_name(f"{stale.name}.zst").unlink(missing_ok=True)
    return target


def _run_node(
    script: Path, pyodide_dir: Path, target: Path, args: list[Path], inputs: dict[str, bytes] | None = None
) -> None:
    """``node script OUT *args *inputs`` with PYODIDE_DIR set; OUT becomes ``target`` when it succeeds.

    ``inputs`` are written to files first (their paths follow ``args``). Raises
    RuntimeError with the end of Node's output when it fails.
    """
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Node.js is not on PATH")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        files = []
        for name, content in (inputs or {}).items():
            files.append(Path(work) / name)
            files[-1].write_bytes(content)
        out = Path(work) / target.name
        done = subprocess.run(
            [node, str(script), str(out), *map(str, args), *map(str, files)],
            env={**os.environ, "PYODIDE_DIR": str(pyodide_dir)},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0 or not out.is_file():
            raise RuntimeError((done.stderr or done.stdout).strip()[-500:])
        out.replace(target)  # atomic: a parallel build sees the whole file or none
