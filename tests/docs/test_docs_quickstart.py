"""The quick start of README.md and docs/guide/quickstart.md runs as pasted."""

from __future__ import annotations

import subprocess
import sys

import pytest
from quickstart_blocks import PAGES, quick_start

REPLY = '"State": "Active"'  # the QRC simulator's StatusGet result, as printed


def test_readme_and_guide_show_the_same_quick_start():
    """The README and the guide's Getting started show one quick start, word for word."""
    readme, guide = (quick_start(page) for page in PAGES)
    assert readme == guide
    assert "demo.start()" in readme  # it starts the server it needs


def test_a_page_without_the_marker_has_no_quick_start(tmp_path):
    """A page whose block lost its marker is an error, not an empty quick start."""
    page = tmp_path / "page.md"
    page.write_text("# Quick start\n\n```python\nprint(1)\n```\n", encoding="utf-8")
    with pytest.raises(LookupError, match="0 Python blocks"):
        quick_start(page)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_quick_start_runs_in_a_fresh_interpreter(page, tmp_path):
    """Pasted into a fresh interpreter, the quick start prints the QRC reply and exits cleanly."""
    done = subprocess.run(
        [sys.executable, "-c", quick_start(page)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr
    assert REPLY in done.stdout and '"id": 1' in done.stdout
    assert done.stderr == ""


@pytest.mark.kernel
def test_quick_start_runs_in_a_kernel_and_shows_the_widget(kernel):
    """In a real kernel the quick start prints the reply and its last line shows an open widget."""
    before = set(kernel.widget_comms())
    cell = kernel.run(quick_start(PAGES[0]))
    assert REPLY in cell.stdout and cell.stderr == ""
    (comm,) = set(kernel.widget_comms()) - before
    state = next(c for c in kernel.comm_opens if c["comm_id"] == comm)["data"]["state"]
    assert state["state"] == "OPEN" and state["url"].endswith("/qrc-public-api/v0")
