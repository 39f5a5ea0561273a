"""The files a site with calculators ships, and where a page finds them: one build's runtime.

Made once per build by whichever engine runs (the MkDocs plugin's on_config, or the
Zensical stage in staging.py) and read by the Markdown extension for every page. It
does not depend on MkDocs: problems are :class:`RuntimeSetupError`, warnings go to the
``mkdocs.plugins.handbook_calculators`` logger (MkDocs counts them under --strict).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from pathlib import Path

from . import assets
from .citations import unknown_rule_ids
from .markup import DATA
from .source import reload_calculators

log = logging.getLogger("mkdocs.plugins.handbook_calculators")


class RuntimeSetupError(Exception):
    """The runtime cannot be made (Pyodide missing, a rule id not registered): the build stops."""


@dataclasses.dataclass(frozen=True)
class Options:
    """What a site may choose about its runtime (the plugin's options; Zensical uses the defaults)."""

    pyodide_dir: str = "node_modules/pyodide"
    precompile_stdlib: bool = True
    memory_snapshot: bool = True
    pyodide_url: str | None = None
    timeout_ms: int = 10_000


@dataclasses.dataclass
class Runtime:
    """One build's runtime: its files (site path -> file on disk) and the URLs a page gives the script."""

    assets: dict[str, assets.Asset]
    pyodide_base: str  # the runtime's folder in the site, or a CDN's absolute URL
    self_hosted: bool
    files: dict[str, Path]  # every file to ship: its path in the site -> a real file to copy
    abi: str | None = None
    download_bytes: int | None = None
    timeout_ms: int = 10_000
    # What the pages' references read (calculators.references), from this build's rules.
    values: dict[str, str] = dataclasses.field(default_factory=dict)
    tables: dict = dataclasses.field(default_factory=dict)
    # The URLs of the pages rendered with calculators (their <head> gets the preloads).
    calculator_pages: set[str] = dataclasses.field(default_factory=set)

    def settings(self, root: str) -> dict[str, str | None]:
        """The widget's data attributes saying where the runtime's files are, from a page ``root`` up."""
        return {
            DATA["worker"]: root + self.assets["worker"].uri,
            DATA["pyodide"]: root + self.pyodide_base if self.self_hosted else self.pyodide_base,
            DATA["abi"]: self.abi,
            DATA["package"]: root + self.assets["package"].uri,
            DATA["snapshot"]: root + self.assets["snapshot"].uri if "snapshot" in self.assets else None,
            # The wasm and the snapshot have .zst siblings, and this module expands them.
            DATA["zstd"]: root + self.assets["zstd"].uri if "zstd" in self.assets else None,
            DATA["download_bytes"]: str(self.download_bytes) if self.download_bytes else None,
            DATA["timeout_ms"]: str(self.timeout_ms),
        }

    def page_tags(self, root: str) -> str:
        """What a page with calculators carries at the end of its content.

        In the content, not the head: Material's instant navigation swaps in only the
        content, and Zensical has no hook for the head (a module runs once per URL: no
        double start). The classic notice script tells a reader who opened the page from
        disk why nothing starts (a browser refuses module scripts from file://).
        """
        return (
            f'\n<link rel="stylesheet" href="{root}{self.assets["style"].uri}">'
            f'\n<script src="{root}{self.assets["file_notice"].uri}"></script>'
            f'\n<script type="module" src="{root}{self.assets["script"].uri}"></script>\n'
        )

    def preloads(self, root: str) -> str:
        """``<link rel=preload>`` for every file the runtime fetches before its first answer.

        The worker starts after the page's own start-up; these let the browser download its
        files from the moment <head> is parsed. The worker's requests for the same URLs
        then join the download in flight or read it from the HTTP cache: one copy crosses
        the link (counted by the test server, tests/browser/test_slow_link.py). as=fetch
        with crossorigin is the request the worker makes (mode cors, same-origin
        credentials); a module preload would also compile Pyodide's JavaScript (the bulk of
        it in pyodide.asm.mjs) on the page's main thread, which the worker does instead.
        """
        urls = [root + self.assets["worker"].uri]
        if self.self_hosted:  # a CDN's files are the CDN's business (and the CSP's)
            base = root + self.pyodide_base
            wasm = "pyodide.asm.wasm.zst" if "zstd" in self.assets else "pyodide.asm.wasm"
            urls += [base + "pyodide.mjs", base + "pyodide.asm.mjs", base + wasm]
        snapshot = self.assets.get("snapshot.zst") if "zstd" in self.assets else self.assets.get("snapshot")
        urls += [root + asset.uri for asset in (snapshot, self.assets.get("zstd"), self.assets["package"]) if asset]
        return "".join(f'<link rel="preload" href="{url}" as="fetch" crossorigin>\n' for url in urls)


def build(options: Options, config_dir: Path) -> Runtime:
    """Make (or take from the cache) every file of the runtime; ``config_dir`` holds mkdocs.yml."""
    package = reload_calculators()
    package_dir = Path(package.__file__).parent
    _check_rule_ids(package_dir, package.rules.SOURCES)
    made = assets.runtime_assets(package_dir)
    if options.pyodide_url:
        runtime = Runtime(made, options.pyodide_url.rstrip("/") + "/", False, {}, timeout_ms=options.timeout_ms)
    else:
        runtime = _self_hosted(made, options, config_dir / options.pyodide_dir)
    # Every file gets a real path on disk, the generated ones too (written to the cache),
    # so other plugins can treat them like any file of the site (mkdocs-static-i18n reads
    # each file's source path).
    cache = assets.cache_dir(config_dir / options.pyodide_dir) / "site-files"
    for asset in runtime.assets.values():
        runtime.files[asset.uri] = asset.source if asset.source is not None else _cached(cache, asset)
    runtime.values, runtime.tables = package.references.values(), package.references.tables()
    return runtime


def _self_hosted(made: dict[str, assets.Asset], options: Options, pyodide_dir: Path) -> Runtime:
    if not (pyodide_dir / "package.json").is_file():
        raise RuntimeSetupError(
            f"the Pyodide runtime is not installed at {pyodide_dir}. "
            "Run 'npm ci' (or 'make setup'), or set the plugin's pyodide_url option to a CDN URL."
        )
    stdlib = pyodide_dir / "python_stdlib.zip"
    if options.precompile_stdlib:
        try:
            stdlib = assets.precompiled_stdlib(pyodide_dir)
        except assets.StdlibError as exc:
            log.warning(
                f"could not precompile Pyodide's standard library ({exc}); shipping the stock one, "
                "so Python starts more slowly in the browser."
            )
    # Versioned and content-hashed, so the runtime can be cached for good.
    digest = hashlib.sha256(stdlib.read_bytes()).hexdigest()
    base = f"{assets.SITE_DIR}/pyodide/{assets.pyodide_version(pyodide_dir)}-{digest[:10]}/"
    runtime = Runtime(made, base, True, {}, abi=assets.pyodide_abi(pyodide_dir), timeout_ms=options.timeout_ms)
    if options.memory_snapshot:
        try:
            snapshot = assets.memory_snapshot(pyodide_dir, stdlib, digest, made["package"].content)
        except assets.SnapshotError as exc:
            log.warning(
                f"could not make the memory snapshot of Python ({exc}); the browser starts "
                "Python from scratch, so the first answer comes more slowly."
            )
        else:
            # Named by its cache key (which covers everything it is made from): no need
            # to read and hash the whole snapshot on every build.
            key = snapshot.stem.rsplit("-", 1)[-1][:12]
            made["snapshot"] = assets.Asset(f"{assets.SITE_DIR}/snapshot-{key}.bin", source=snapshot)
    for name in assets.PYODIDE_FILES:
        runtime.files[base + name] = stdlib if name == "python_stdlib.zip" else pyodide_dir / name
    _compress(runtime, pyodide_dir)
    return runtime


def _compress(runtime: Runtime, pyodide_dir: Path) -> None:
    """The big files also go compressed (.zst beside each, expanded by the worker as they
    stream in), with the decoder; and what the start downloads is known, so a page can
    show how much of it has arrived."""
    decoder = assets.zstd_decoder(pyodide_dir)
    compressed = assets.compressed_pyodide_files(pyodide_dir, zstd=decoder is not None)
    for name, source in compressed.items():
        runtime.files[runtime.pyodide_base + name] = source
    if decoder is None:
        log.warning(
            f"the zstd decoder is not installed ({pyodide_dir.parent / assets.ZSTD_DECODER}; run 'npm ci'): "
            "the runtime's big files go uncompressed, so a first visit downloads about three times as much."
        )
        return
    runtime.assets["zstd"] = decoder
    fetched = [compressed["pyodide.asm.wasm.zst"]]
    if "snapshot" in runtime.assets:
        snapshot = runtime.assets["snapshot"]
        packed = assets.compressed(snapshot.source, snapshot.source.with_name(f"{snapshot.source.name}.zst"))
        runtime.assets["snapshot.zst"] = assets.Asset(f"{snapshot.uri}.zst", source=packed)
        fetched.append(packed)
    runtime.download_bytes = sum(path.stat().st_size for path in fetched) + len(runtime.assets["package"].content)


def _cached(cache: Path, asset: assets.Asset) -> Path:
    """The asset's bytes as a file in the cache (its name is content-hashed: written once)."""
    path = cache / asset.uri
    if not path.is_file() or path.stat().st_size != len(asset.content):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(asset.content)
        temporary.replace(path)
    return path


def _check_rule_ids(package_dir: Path, registry: dict[str, str]) -> None:
    """Refuse to build with a rule id the package spells that rules.SOURCES does not define."""
    unknown = unknown_rule_ids(package_dir, registry)
    if unknown:
        raise RuntimeSetupError(
            "\n".join(
                f"{path}:{line}: rule id '{rule}' is not defined in calculators/rules.py: add it to SOURCES "
                "(with the section that explains it) or correct the id."
                for path, line, rule in unknown
            )
        )


#: The runtime of the build in progress, set by whichever engine made it (see :func:`use`).
_current: Runtime | None = None


def use(runtime: Runtime | None) -> None:
    """Make ``runtime`` the one pages are rendered with (None: none yet)."""
    global _current
    _current = runtime


def current() -> Runtime | None:
    """The runtime of the build in progress, if an engine has made one."""
    return _current
