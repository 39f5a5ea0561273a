"""The runtime for Zensical, which runs Markdown extensions but never MkDocs plugins.

Zensical copies the files it finds in docs_dir into the site, and lists them before it
renders a page, so the runtime must be there by then. mkdocs.yml has it made while the
configuration itself is read (Zensical and MkDocs both read mkdocs.yml with PyYAML's
full loader, which calls a function a ``!!python/object/apply`` tag names)::

    extra:
      calculators_runtime: !!python/object/apply:handbook_calculators.staging.stage []

:func:`stage` then builds the runtime (runtime.py, default options), hands it to the
extension for the pages, and copies its files into ``docs/assets/calculators/`` (a folder
it keeps to exactly this build's files, with a ``.gitignore`` of its own). Under MkDocs
and ProperDocs it does nothing: the plugin ships the runtime (and drops anything staged).
"""

from __future__ import annotations

import hashlib
import inspect
import shutil
import sys
from pathlib import Path

import yaml

from . import assets, runtime
from .source import calculators_package


def stage(**options) -> str:
    """Under Zensical: make the runtime and copy its files into docs_dir. Returns which
    runtime it staged (the value the ``extra`` key gets; templates ignore it)."""
    if "zensical" not in sys.modules:
        return "the sales-calculators plugin ships the runtime"
    config_file = _config_file_being_read() or Path("mkdocs.yml").resolve()
    root = config_file.parent
    docs_dir = root / _docs_dir(config_file)
    try:
        built = runtime.build(runtime.Options(**options), root)
    except runtime.RuntimeSetupError as exc:
        raise SystemExit(f"handbook_calculators: {exc}") from None
    runtime.use(built)
    copy_into(docs_dir, built.files)
    # The value names this runtime (its files are content-hashed, the package's zip with
    # the rules in it too): Zensical keys its cache of rendered pages on the configuration,
    # so a page whose references or answers a rules edit changes is rendered again.
    digest = hashlib.sha256("\n".join(sorted(built.files)).encode()).hexdigest()[:12]
    return f"runtime {digest} staged in {docs_dir.name}/{assets.SITE_DIR}/"


def calculators_dir() -> str:
    """For ``watch:``: the folder of the ``calculators`` package, so a rules edit rebuilds.

    Only when it is inside the project (Zensical 0.0.57's watcher panics on a folder
    outside it); otherwise docs_dir, which every engine watches anyway (MkDocs' plugin
    watches the package wherever it is).
    """
    package = Path(calculators_package().__file__).parent.resolve()
    config_file = _config_file_being_read() or Path("mkdocs.yml").resolve()
    if package.is_relative_to(config_file.parent):
        return str(package)
    return str(config_file.parent / _docs_dir(config_file))


def copy_into(docs_dir: Path, files: dict[str, Path]) -> int:
    """Make ``docs_dir/assets/calculators/`` hold exactly ``files`` (site path -> source);
    returns how many were (re)written. Unchanged files are left alone, so a watching
    server is not woken for nothing."""
    folder = docs_dir / assets.SITE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.is_file():
        ignore.write_text("# Made by handbook_calculators.staging for Zensical builds: not sources.\n*\n")
    wanted = {docs_dir / uri for uri in files}
    for path in sorted(folder.rglob("*"), reverse=True):  # files before their folders
        if path.is_file() and path not in wanted and path != ignore:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    copied = 0
    for uri, source in files.items():
        target = docs_dir / uri
        if target.is_file() and target.stat().st_size == source.stat().st_size:
            continue  # every name is content-hashed or versioned: same name and size, same file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied += 1
    return copied


def _config_file_being_read() -> Path | None:
    """The YAML file PyYAML is reading (the loader is up the stack), if it is a file."""
    for frame in inspect.stack(0):
        loader = frame.frame.f_locals.get("self")
        if isinstance(loader, yaml.reader.Reader) and getattr(loader, "name", "").endswith((".yml", ".yaml")):
            path = Path(loader.name)
            if path.is_file():
                return path.resolve()
    return None


def _docs_dir(config_file: Path) -> str:
    """mkdocs.yml's docs_dir, read without running any of its tags again."""

    class Plain(yaml.SafeLoader):
        pass

    Plain.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=Plain)
    except (OSError, yaml.YAMLError):
        return "docs"
    value = config.get("docs_dir") if isinstance(config, dict) else None
    return value if isinstance(value, str) and value else "docs"
