"""Helpers of the Lua face's tests: start Q-SYS scripts, read their Debug Output."""

from __future__ import annotations

import time

from ws_widget import qsys


class Scripts:
    """Starts scripts for one test and stops them all at its end."""

    def __init__(self):
        self.started: list[qsys.Script] = []

    def run(self, source, **options) -> qsys.Script:
        """Start ``source`` (Lua text) and return its Script once the main chunk ran."""
        script = qsys.run(source, **options)
        self.started.append(script)
        return script

    def stop(self):
        for script in self.started:
            script.stop()


def output(script: qsys.Script) -> list[str]:
    """The Debug Output texts of ``script`` without their time stamps."""
    return [line.split("\t", 1)[1] for line in script.debug_output.lines]


def wait_output(script: qsys.Script, text: str, timeout: float = 10.0) -> list[str]:
    """Wait until a Debug Output line contains ``text``; return the texts so far."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        texts = output(script)
        if any(text in line for line in texts):
            return texts
        time.sleep(0.01)
    raise AssertionError(f"no Debug Output line with {text!r} within {timeout} s: {output(script)}")
