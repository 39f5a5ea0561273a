"""One vocabulary for the widget: render.py, the page script and the stylesheet use markup.py's names."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from handbook_calculators import assets, markup
from handbook_calculators.render import render_calculator

import calculators
from calculators import fields

SCRIPT = assets.ASSETS / "calculators.js"


def test_the_generated_module_is_current():
    assert markup.GENERATED.read_text(encoding="utf-8") == markup.javascript(), (
        "run: python -m handbook_calculators.markup"
    )


def test_share_links_read_the_yes_and_no_words_of_the_field_parser():
    words = markup.words()
    assert set(words["yes"]) == fields.TRUE_WORDS and set(words["no"]) == fields.FALSE_WORDS
    assert {"y", "n"} <= set(words["yes"]) | set(words["no"])  # the words the command line takes
    for word in words["no"]:
        assert fields.Field("box", "boolean", "Box", "").parse(word) is False


def test_the_page_script_spells_no_class_name_or_data_attribute():
    # Everything the script finds in the widget goes through CLASS and DATA (markup.js).
    script = SCRIPT.read_text(encoding="utf-8")
    assert re.findall(r"calc__[\w-]+", script) == []
    assert re.findall(r"data-(?!md-)[\w-]+", script) == []
    assert re.findall(r"\.dataset\b", script) == []


def test_the_stylesheet_styles_only_names_markup_defines():
    css = (assets.ASSETS / "calculators.css").read_text(encoding="utf-8")
    used = set(re.findall(r"\.(calc(?:__[\w-]+)?)\b", css))
    assert used and used <= set(markup.CLASS.values())
    attributes = set(re.findall(r"\[(data-(?!md-)[\w-]+)", css))
    assert attributes <= set(markup.DATA.values())


def test_the_widget_uses_only_names_markup_defines():
    for name in calculators.names():
        html = render_calculator(f"{name}-x", name, {}, {}, lambda source: "#")
        classes = {c for group in re.findall(r'class="([^"]+)"', html) for c in group.split()}
        assert classes <= set(markup.CLASS.values()), name
        attributes = set(re.findall(r"\s(data-[\w-]+)=", html))
        assert attributes <= set(markup.DATA.values()), name


@pytest.mark.parametrize("name", ["calculators.js", "worker.js", "search_hold.js"])
def test_shipped_scripts_are_linked_and_parse(tmp_path, name):
    node = shutil.which("node")
    assert node, "Node.js is needed (make setup)"
    text = assets.linked(name, classic=name == "search_hold.js")
    assert not re.search(r"^import ", text, re.MULTILINE), "a shared part was left as an import"
    script = tmp_path / (name if name == "search_hold.js" else name.replace(".js", ".mjs"))
    script.write_text(text, encoding="utf-8")
    done = subprocess.run([node, "--check", str(script)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_a_classic_script_keeps_what_it_imports_out_of_the_global_scope():
    text = assets.linked("search_hold.js", classic=True)
    assert text.startswith("{\n") and text.rstrip().endswith("}")


def test_an_import_of_a_name_not_exported_fails(tmp_path, monkeypatch):
    (tmp_path / "part.js").write_text("export const A = 1;\nconst B = 2;\n", encoding="utf-8")
    (tmp_path / "main.js").write_text('import { A, B } from "./part.js";\nconsole.log(A, B);\n', encoding="utf-8")
    monkeypatch.setattr(assets, "ASSETS", tmp_path)
    with pytest.raises(assets.LinkError, match=r"main\.js imports B from part\.js"):
        assets.linked("main.js")
    (tmp_path / "main.js").write_text('import { A } from "./part.js";\nconsole.log(A);\n', encoding="utf-8")
    assert "const { A } = (() => {\nconst A = 1;\nconst B = 2;\nreturn { A };\n})();" in assets.linked("main.js")
