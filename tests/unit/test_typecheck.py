"""The page and the worker are type-checked against one protocol (assets/protocol.d.ts):
a message kind or field one side gets wrong fails `make lint`. Checked here on copies."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.helpers import REPO

PLUGIN = REPO / "plugins" / "handbook_calculators"
TSC = REPO / "node_modules" / ".bin" / "tsc"


def typecheck(plugin, config: str) -> subprocess.CompletedProcess[str]:
    assert TSC.is_file(), "TypeScript is not installed: make setup"
    return subprocess.run(
        [str(TSC), "-p", str(plugin / config)], capture_output=True, text=True, check=False, timeout=300, cwd=REPO
    )


@pytest.fixture
def plugin_copy(tmp_path):
    copy = tmp_path / "handbook_calculators"
    shutil.copytree(PLUGIN, copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    (tmp_path / "node_modules").symlink_to(REPO / "node_modules")  # pyodide's and fzstd's types
    return copy


@pytest.mark.parametrize(
    ("config", "script", "before", "after", "finding"),
    [
        # The worker answers with a kind the protocol does not have.
        ("tsconfig.worker.json", "worker.js", 'type: "result", id, response', 'type: "reslt", id, response', "reslt"),
        # The page reads a field "ready" does not carry.
        ("tsconfig.page.json", "calculators.js", "rt.reused = msg.reused;", "rt.reused = msg.reuse;", "reuse"),
        # The page sends "init" without a field the worker needs.
        ("tsconfig.page.json", "calculators.js", "abi: data(root, DATA.abi),", "", "abi"),
    ],
)
def test_a_protocol_mistake_fails_the_type_check(plugin_copy, config, script, before, after, finding):
    path = plugin_copy / "assets" / script
    text = path.read_text(encoding="utf-8")
    assert before in text
    path.write_text(text.replace(before, after, 1), encoding="utf-8")
    done = typecheck(plugin_copy, config)
    assert done.returncode != 0 and finding in done.stdout, done.stdout


@pytest.mark.parametrize("config", ["tsconfig.page.json", "tsconfig.worker.json"])
def test_the_scripts_type_check_clean(plugin_copy, config):
    done = typecheck(plugin_copy, config)
    assert done.returncode == 0, done.stdout
