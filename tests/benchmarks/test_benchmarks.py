"""The benchmarks still run: ``benchmarks/run.py --quick`` end to end (nothing about speed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# The quick run measures every section, the front end in a real kernel and the page in Chromium.
pytestmark = [pytest.mark.kernel, pytest.mark.browser]

ROOT = Path(__file__).resolve().parent.parent.parent


# Every section but lua, which test_lua_bench.py runs on its own.
SECTIONS = "server,ingest,receive,roundtrip,memory,frontend,browser,scale"


@pytest.mark.timeout(600)  # a quick run of eight sections takes about two minutes
def test_quick_benchmark_run_writes_every_section(tmp_path):
    """The quick mode measures every section and writes its table and JSON."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--quick",
            "--only",
            SECTIONS,
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((tmp_path / "latest.json").read_text())
    assert results["quick"] is True
    for section in results["sections"]:
        assert results[section], f"section {section} produced nothing"
    table = (tmp_path / "latest.md").read_text()
    assert "| measurement | figure | target | verdict |" in table
    assert "1. ingest 64 B, history only / raw" in table and "7." in table
    assert "16.1 receive 64 B, `for message in ws` / raw `async for`" in table
