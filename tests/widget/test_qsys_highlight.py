"""A ``%%qsys`` cell is highlighted as Lua in a real JupyterLab and Notebook 7 (labextension/).

The extension (``labextension/src/index.js``, built into ``ws_widget/labextension/``) sets the
cell model's mime type to Lua while the first line is ``%%qsys``. The checks read the classes
CodeMirror gives the editor's tokens: a Lua keyword must get the class of a Python keyword, a
``--`` comment the class of a Python ``#`` comment (one highlight style serves every language).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest
from browser import NotebookPage

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "labextension"
BUILT = ROOT / "ws_widget" / "labextension"
# The files stamp.mjs hashes, in its order.
SOURCES = ["package.json", "src/index.js", "src/snapshot.js"]

PYTHON_CELL = "def f():\n    return local  # a comment"
LUA_CELL = "%%qsys\nlocal x = 1 -- note\nfunction f() end"

# [text, className] of each highlighted token of cell `index` of the notebook at `path`.
TOKENS_JS = """([path, index]) => {
    const cell = window.__wsTest.panel(path).content.widgets[index];
    return [...cell.node.querySelectorAll(".cm-content .cm-line span")].map(
        (span) => [span.textContent, span.className]);
}"""

MIME_JS = """([path, index]) => {
    const notebook = window.__wsTest.panel(path).content;
    return [notebook.widgets[index].model.mimeType, notebook.codeMimetype];
}"""


def source_hash() -> str:
    """The sha256 of the extension's sources, computed as labextension/stamp.mjs does."""
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update(name.encode() + b"\0")
        digest.update((SOURCE / name).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def tokens(nb: NotebookPage, index: int) -> dict[str, str]:
    """The class of each token of a cell's editor, by the token's text."""
    return dict(nb.page.evaluate(TOKENS_JS, [nb.name, index]))


def wait_tokens(nb: NotebookPage, index: int, condition: str) -> dict[str, str]:
    """Wait until the cell's tokens (``t``, text to class) satisfy a JavaScript condition."""
    nb.page.wait_for_function(
        f"""([path, index]) => {{
            const t = Object.fromEntries(({TOKENS_JS})([path, index]));
            return {condition};
        }}""",
        arg=[nb.name, index],
        polling=100,
    )
    return tokens(nb, index)


def test_built_bundle_matches_sources():
    """The committed build was made from the committed sources (run `make labextension`)."""
    recorded = (BUILT / "source.sha256").read_text().strip()
    assert recorded == source_hash(), "labextension/ changed since its build: run `make labextension`"
    built = json.loads((BUILT / "package.json").read_text())
    assert built["name"] == "ws-widget-qsys"
    assert (BUILT / built["jupyterlab"]["_build"]["load"]).is_file()


def test_installed_extension_is_the_built_one():
    """The environment's JupyterLab sees this build (`pip install -e .` copies it there)."""
    installed = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "ws-widget-qsys"
    assert (installed / "package.json").is_file(), "not installed: run `make setup`"
    assert (installed / "source.sha256").read_text() == (BUILT / "source.sha256").read_text(), (
        "the installed copy is stale: run `make labextension`"
    )


@pytest.mark.browser
def test_qsys_cell_is_lua_and_python_stays_python(chromium, jupyter):
    """A %%qsys cell's keywords and comments get Lua's classes; a Python cell keeps Python's."""
    jupyter.write_notebook("highlight.ipynb", [PYTHON_CELL, LUA_CELL])
    with chromium.open_notebook(jupyter, "highlight.ipynb") as nb:
        python = wait_tokens(nb, 0, "!!t['def'] && !!t['# a comment']")
        keyword, comment = python["def"], python["# a comment"]
        assert python["return"] == keyword
        assert python.get("local") != keyword
        lua = wait_tokens(nb, 1, f"t['local'] === {json.dumps(keyword)}")
        assert (lua["local"], lua["function"], lua["end"]) == (keyword, keyword, keyword)
        assert lua["-- note"] == comment
        assert nb.page.evaluate(MIME_JS, [nb.name, 0]) == ["text/x-ipython", "text/x-ipython"]
        assert nb.page.evaluate(MIME_JS, [nb.name, 1])[0] == "text/x-lua"
        assert nb.unexpected_console_errors() == []


@pytest.mark.browser
def test_typing_the_magic_line_switches_the_cell(chromium, jupyter):
    """Typing %%qsys turns a new cell into Lua; deleting that line turns it back into Python."""
    jupyter.write_notebook("typing.ipynb", [PYTHON_CELL])
    with chromium.open_notebook(jupyter, "typing.ipynb") as nb:
        keyword = wait_tokens(nb, 0, "!!t['def']")["def"]
        comment = tokens(nb, 0)["# a comment"]
        nb.page.evaluate(
            """path => {
                const notebook = window.__wsTest.panel(path).content;
                notebook.model.sharedModel.insertCell(1, { cell_type: "code", source: "" });
                notebook.activeCellIndex = 1;
            }""",
            nb.name,
        )
        nb.page.locator(".jp-Notebook .jp-Cell").nth(1).locator(".cm-content").click()
        for line in ["%%qsys", "local x = 1 -- note"]:
            nb.page.keyboard.type(line)
            nb.page.keyboard.press("Enter")
        nb.page.keyboard.type("function f() end")
        lua = wait_tokens(nb, 1, f"t['end'] === {json.dumps(keyword)}")
        assert (lua["local"], lua["function"]) == (keyword, keyword)
        assert lua["-- note"] == comment
        assert nb.page.evaluate(MIME_JS, [nb.name, 1])[0] == "text/x-lua"

        nb.page.keyboard.press("Control+Home")
        nb.page.keyboard.press("Shift+End")
        nb.page.keyboard.press("Backspace")
        nb.page.keyboard.press("Delete")  # the line break: `local x = 1 -- note` is line 1 now
        # Python splits `-- note` into operators and a name: no token holds it whole.
        back = wait_tokens(nb, 1, f"!('-- note' in t) && t['local'] !== {json.dumps(keyword)}")
        assert comment not in back.values()
        mime, default = nb.page.evaluate(MIME_JS, [nb.name, 1])
        assert mime == default == "text/x-ipython"
        assert nb.page.evaluate(MIME_JS, [nb.name, 0])[0] == "text/x-ipython"
        assert nb.unexpected_console_errors() == []
