"""The Plot section of the benchmarks still runs: ``run.py --only plot --quick`` (nothing about speed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_quick_plot_section_writes_its_rows(tmp_path):
    """The quick plot section measures every case, reads every message once, and writes its rows."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--only",
            "plot",
            "--quick",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    plot = json.loads((tmp_path / "latest.json").read_text())["plot"]
    assert len(plot["cases"]) == 3
    for case in plot["cases"].values():
        assert (
            case["collect_rate"] > 0 and case["loads_rate"] > 0 and case["idle_rate"] > case["collect_rate"]
        )
    table = (tmp_path / "latest.md").read_text()
    assert "## 14. The Plot tab's kernel side" in table
    assert "| 14.1 Plot tab, telemetry, 1 field: PlotFeed.collect / json.loads |" in table
