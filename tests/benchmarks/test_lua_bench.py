"""The Lua section of the benchmarks still runs: ``run.py --only lua --quick`` (nothing about speed)."""

from __future__ import annotations

from quickrun import run_quick


def test_quick_lua_section_writes_its_rows(tmp_path):
    """The quick lua section measures every part and writes its rows and JSON."""
    results, table = run_quick("lua", tmp_path)
    lua = results["lua"]
    assert set(lua["ingest"]) == {"64", "1024", "65536"}
    for r in lua["ingest"].values():
        assert set(r["median_rate"]) == {"raw", "python", "lua"}
        assert all(rate > 0 for rate in r["median_rate"].values())
    decoded = [lua["json"]["messages"] * 5]  # each QRC reply holds 5 changes
    assert lua["json"]["changes_decoded"] == {"python": decoded, "lua": decoded}
    assert lua["calls"]["64"]["script_emit_us"] > 0
    assert lua["timer"]["median_rate"]["lua"] > 0
    assert "| 13. Lua `Data` ingest 64 B / Python seed `Data` callback |" in table
    assert "## 13. The Lua face" in table
