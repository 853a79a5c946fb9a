"""Runs ``benchmarks/run.py --quick`` on some sections, as the benchmark tests do."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def run_quick(sections: str, out: Path, timeout: float = 300) -> tuple[dict, str]:
    """Run the quick benchmarks of ``sections`` (comma-separated) into ``out``; return the JSON
    results and the Markdown table. Fails the test, with run.py's stderr, if the run failed."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--quick",
            "--only",
            sections,
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((out / "latest.json").read_text()), (out / "latest.md").read_text()
