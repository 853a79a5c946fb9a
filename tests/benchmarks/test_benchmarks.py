"""The benchmarks still run: ``benchmarks/run.py --quick`` end to end (nothing about speed)."""

from __future__ import annotations

import pytest
from quickrun import run_quick

# The quick run measures every section, the front end in a real kernel and the page in Chromium.
pytestmark = [pytest.mark.kernel, pytest.mark.browser]

# Every section but lua, which test_lua_bench.py runs on its own.
SECTIONS = "server,ingest,receive,roundtrip,memory,frontend,browser,scale"


@pytest.mark.timeout(600)  # a quick run of eight sections takes about two minutes
def test_quick_benchmark_run_writes_every_section(tmp_path):
    """The quick mode measures every section and writes its table and JSON."""
    results, table = run_quick(SECTIONS, tmp_path, timeout=600)
    assert results["quick"] is True
    for section in results["sections"]:
        assert results[section], f"section {section} produced nothing"
    assert "| measurement | figure | target | verdict |" in table
    assert "1. ingest 64 B, history only / raw" in table and "7." in table
    assert "16.1 receive 64 B, `for message in ws` / raw `async for`" in table
