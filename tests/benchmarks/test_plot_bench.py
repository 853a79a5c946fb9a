"""The Plot section of the benchmarks still runs: ``run.py --only plot --quick`` (nothing about speed)."""

from __future__ import annotations

from quickrun import run_quick


def test_quick_plot_section_writes_its_rows(tmp_path):
    """The quick plot section measures every case, reads every message once, and writes its rows."""
    results, table = run_quick("plot", tmp_path)
    plot = results["plot"]
    assert len(plot["cases"]) == 3
    for case in plot["cases"].values():
        assert (
            case["collect_rate"] > 0 and case["loads_rate"] > 0 and case["idle_rate"] > case["collect_rate"]
        )
    assert "## 14. The Plot tab's kernel side" in table
    assert "| 14.1 Plot tab, telemetry, 1 field: PlotFeed.collect / json.loads |" in table
