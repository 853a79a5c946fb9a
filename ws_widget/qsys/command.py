"""``python -m ws_widget.qsys``: run a Q-SYS Lua script or plugin in a terminal, Debug Output on stdout.

The command runs the script with :func:`ws_widget.qsys.run` and writes each Debug Output line
(``YYYY-MM-DDTHH:MM:SS.mmm<TAB>text``) to standard output as it is logged. It ends when the
script has nothing active (no socket open, no timer running, no CallAfter pending), after
``--seconds``, or on Ctrl-C (SIGINT) or SIGTERM; then it stops the script, which closes its
sockets with 1001 (going away), and waits a moment for those close handshakes.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from websockets.protocol import State

from ..exceptions import WsWidgetError

if TYPE_CHECKING:
    from ..faces.websocket import WebSocket
    from .script import Script

EXIT_OK = 0
EXIT_NOT_STARTED = 2
EXIT_FORCED = 130
CLOSE_WAIT = 5.0  # seconds given to the sockets' close handshakes once the script is stopped

_EPILOG = """\
examples:
  python -m ws_widget.qsys device.lua --control IP=192.168.1.20 --control Port=8080
  python -m ws_widget.qsys Plugin.qplug --property "Device Type=Mixer" --seconds 30
  python -m ws_widget.qsys core.lua --control Core=core.local --ca core-cert.pem
  python -m ws_widget.qsys lab.lua --insecure        # a self-signed wss:// device, unverified

The Debug Output lines go to stdout, one per line, as they are logged:
  2026-05-04T10:12:03.417<TAB>Starting Script

--control NAME=VALUE defines Controls.NAME with .String VALUE (and .Value its number when
it is one); repeat it with one NAME for an array of controls, Controls.NAME[1], [2], ...
--property NAME=VALUE sets a plugin's Properties[NAME].Value over its default.

The command ends when the script has nothing active (no socket open, no timer running, no
Timer.CallAfter pending), after --seconds S, or on Ctrl-C (SIGINT) or SIGTERM: then it stops
the script, which closes its sockets with 1001 (going away) and stops its timers.

exit status:
  0    the script ran: it ended, --seconds passed, or Ctrl-C/SIGTERM stopped it (a Lua error
       in a callback is reported in Debug Output and the script goes on, as on a Core)
  2    the script could not start: a file that cannot be read, a syntax error, an error in
       its main chunk, a bad option (the message goes to stderr too)
  130  a second Ctrl-C while the sockets were closing: ended without waiting for them
"""


def parser() -> argparse.ArgumentParser:
    """Return the command's argument parser."""
    p = argparse.ArgumentParser(
        prog="python -m ws_widget.qsys",
        description="Run a Q-SYS Lua control script or plugin unchanged, with its Debug Output on stdout.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("script", metavar="SCRIPT.lua|PLUGIN.qplug", help="the Lua script or plugin file to run")
    add_script_options(p)
    p.add_argument(
        "--seconds",
        metavar="S",
        type=_seconds,
        default=None,
        help="stop the script after S seconds (default: when nothing of it is active)",
    )
    return p


def add_script_options(p: argparse.ArgumentParser) -> None:
    """Add the options the command and ``%%qsys`` share: --control, --property, --insecure, --ca."""
    p.add_argument(
        "--control",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        type=_assignment,
        help="define Controls.NAME with .String VALUE (repeatable)",
    )
    p.add_argument(
        "--property",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        type=_assignment,
        help="set a plugin's Properties[NAME].Value (repeatable)",
    )
    p.add_argument(
        "--insecure",
        action="store_true",
        help="do not verify wss:// certificates (as a Core does); verified by default",
    )
    p.add_argument(
        "--ca", metavar="FILE", type=_readable, help="verify wss:// certificates with this CA bundle (PEM)"
    )


def _assignment(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return seconds


def _readable(text: str) -> str:
    if not os.path.isfile(text) or not os.access(text, os.R_OK):
        raise argparse.ArgumentTypeError(f"cannot read the file {text!r}")
    return text


def gather(pairs: Sequence[tuple[str, str]]) -> dict[str, object]:
    """Return ``NAME=VALUE`` pairs as a dict; a name given several times maps to the list of its values."""
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        values.setdefault(name, []).append(value)
    return {name: found[0] if len(found) == 1 else found for name, found in values.items()}


class LineWriter:
    """Writes Debug Output lines to a stream as they come, from any thread; a closed stream
    (``| head``) is left alone and the script runs on."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._broken = False

    def __call__(self, line: str) -> None:
        """Write ``line`` and flush."""
        with self._lock:
            if self._broken:
                return
            try:
                self._stream.write(f"{line}\n")
                self._stream.flush()
            except (BrokenPipeError, ValueError):
                self._broken = True


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command with ``argv`` (default: ``sys.argv[1:]``); return its exit status."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a bad option (2): argparse printed why
        return int(exc.code or 0)
    path = Path(args.script)
    # Before the start: a script's callbacks print at once (a test waits for "Connected" and
    # then sends SIGTERM, which killed the process while this handler was not yet set).
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler) if _main_thread() else None
    try:
        try:
            script = _start(path, args, LineWriter(out))
        except (WsWidgetError, TypeError, ValueError) as exc:
            print(f"{parser().prog}: {exc}", file=err)
            return EXIT_NOT_STARTED
        if script.status == "failed":
            reason = script.errors[-1] if script.errors else "the script failed to start"
            print(f"{parser().prog}: {path} did not start: {reason.splitlines()[0]}", file=err)
            return EXIT_NOT_STARTED
        try:
            script.wait(args.seconds)
        except KeyboardInterrupt:
            pass
        return _stop(script)
    except KeyboardInterrupt:
        return EXIT_FORCED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _start(path: Path, args: argparse.Namespace, writer: LineWriter) -> Script:
    from . import run

    return run(
        path,
        controls=gather(args.control),
        properties=gather(args.property),
        verify=not args.insecure,
        ca=args.ca,
        on_line=writer,
    )


def _stop(script: Script) -> int:
    """Stop the script (its sockets close with 1001) and wait a moment for the closes."""
    sockets: list[WebSocket] = list(script.sockets)
    script.stop()
    deadline = time.monotonic() + CLOSE_WAIT
    for ws in sockets:
        while ws.state is not State.CLOSED and time.monotonic() < deadline:
            time.sleep(0.01)
    return EXIT_OK


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
