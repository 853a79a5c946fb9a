"""js/widget.js, the one file anywidget loads, is the bundle esbuild makes of js/src (make js)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parents[2] / "js"


def test_widget_js_is_the_bundle_of_js_src(tmp_path):
    """js/widget.js is byte for byte what js/build.mjs makes of js/src with the installed esbuild."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed (apt install nodejs)")
    if not (JS / "node_modules" / "esbuild").is_dir():
        pytest.fail("esbuild is not installed in js/node_modules: run make setup")
    built = tmp_path / "widget.js"
    done = subprocess.run(
        [node, str(JS / "build.mjs"), str(built)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    same = built.read_bytes() == (JS / "widget.js").read_bytes()
    assert same, "js/widget.js is out of date: run make js"
