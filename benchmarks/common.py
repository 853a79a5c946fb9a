"""Shared pieces of the benchmarks: the Node sender process, subprocess trials, medians."""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
# The glibc allocator settings of issue 8: large buffers are kept instead of handed back to
# the system after each message.
MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": "4194304", "MALLOC_TRIM_THRESHOLD_": "67108864"}


class ServerProcess:
    """A benchmark server in its own process on loopback: it prints its port, and ends when its
    standard input closes (:meth:`close`, or leaving the ``with`` block)."""

    def __init__(self, command: list[str]):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.port = int(self.process.stdout.readline())

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Sender(ServerProcess):
    """``benchmarks/server.js`` (Node's ``ws``) in its own process on loopback."""

    def __init__(self):
        node = shutil.which("node")
        if node is None or not (ROOT / "tests" / "node" / "node_modules" / "ws").is_dir():
            raise RuntimeError("Node's ws is needed: run `make setup` (npm ci --prefix tests/node)")
        super().__init__([node, str(HERE / "server.js")])

    def url(self, path: str, **query) -> str:
        text = "&".join(f"{key}={value}" for key, value in query.items())
        return f"ws://127.0.0.1:{self.port}{path}" + (f"?{text}" if text else "")

    def flood(self, n: int, size: int, binary: bool = False, rate: int = 0) -> str:
        query = {"n": n, "size": size, "binary": int(binary)}
        if rate:
            query["rate"] = rate
        return self.url("/flood", **query)


def trial(*args, env: dict | None = None, timeout: float = 300, script: str = "trial.py") -> dict:
    """Run ``benchmarks/SCRIPT ARGS`` (trial.py by default) in a fresh interpreter; return the
    JSON object of its last line of output."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PYTHONMALLOC", None)
    done = subprocess.run(
        [PYTHON, str(HERE / script), *map(str, args)],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise RuntimeError(f"trial {args} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def rss() -> int:
    """Resident set size of this process in bytes (psutil when installed, else /proc)."""
    try:
        import psutil
    except ImportError:
        with open("/proc/self/statm") as file:
            return int(file.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return psutil.Process().memory_info().rss


def cpu() -> float:
    """CPU seconds (user + system) this process has used."""
    times = os.times()
    return times.user + times.system


def median(values) -> float:
    return statistics.median(values)


def machine() -> dict:
    """What the figures were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = int(line.split()[1]) * 1024
    except OSError:
        pass

    def version(module: str) -> str:
        try:
            from importlib.metadata import version as v

            return v(module)
        except Exception:  # noqa: BLE001
            return "?"

    node = shutil.which("node")
    node_version = (
        subprocess.run([node, "-v"], capture_output=True, text=True).stdout.strip() if node else "?"
    )
    chromium = shutil.which("chromium")
    chromium_version = (
        subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout.strip()
        if chromium
        else "?"
    )
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory / 2**30, 1),
        "os": f"{platform.system()} {platform.release()}",
        "libc": " ".join(platform.libc_ver()),
        "python": platform.python_version(),
        "websockets": version("websockets"),
        "ipykernel": version("ipykernel"),
        "jupyterlab": version("jupyterlab"),
        "anywidget": version("anywidget"),
        "node": node_version,
        "ws (node)": json.loads((ROOT / "tests/node/node_modules/ws/package.json").read_text())["version"]
        if (ROOT / "tests/node/node_modules/ws/package.json").exists()
        else "?",
        "chromium": chromium_version,
    }
