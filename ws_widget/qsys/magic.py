"""The ``%%qsys`` cell magic: the cell holds a Q-SYS Lua script; its output is the script's panel.

    %load_ext ws_widget
    %%qsys --control IP=127.0.0.1 --control Port=$PORT
    ws = WebSocket.New()
    ...

Running the cell again restarts that script (its sockets close with 1001, its timers stop), as
Designer's Save does; a script is known by ``--name``, else by the cell. IPython expands
``$name`` and ``{expression}`` in the magic's line, so values from Python reach ``--control``.
"""

from __future__ import annotations

import argparse
import shlex
from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, magics_class
from IPython.display import display

from ..exceptions import WsWidgetError
from .command import add_script_options, gather

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

    from .script import Script


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would exit the kernel's process
        raise UsageError(f"%%qsys: {message}")


def parser() -> argparse.ArgumentParser:
    """The options of ``%%qsys``."""
    parser = _Parser(
        prog="%%qsys",
        description="Run the cell as a Q-SYS Lua script; running it again restarts the script.",
    )
    parser.add_argument("--name", help="the script's name in errors; also the variable bound to it")
    parser.add_argument(
        "--controls",
        metavar="VARIABLE",
        help="a dict of control definitions in the notebook, e.g. {'Gain': {'Type': 'Knob', 'Unit': 'dB'}}",
    )
    add_script_options(parser)
    return parser


@magics_class
class QsysMagics(Magics):
    """``%%qsys``; keeps the running script of each cell (or ``--name``) to restart it."""

    def __init__(self, shell: InteractiveShell | None = None) -> None:
        super().__init__(shell)
        self.running: dict[str, Script] = {}

    @cell_magic
    def qsys(self, line: str, cell: str) -> Any:
        """Run the cell as a Q-SYS Lua script and show its panel (live Debug Output, controls
        as widgets, Component.Status, each socket's widget); running it again restarts it.

        Usage: %%qsys [--name NAME] [--controls VARIABLE] [--control NAME=VALUE]...
        [--property NAME=VALUE]... [--insecure] [--ca FILE]

        ``--control NAME=VALUE`` defines a text control; ``--controls VARIABLE`` takes a dict of
        definitions from the notebook (knobs, toggles, buttons, combo boxes, indicators: the
        forms of ``ws_widget/qsys/control.py``), e.g. ``{"Gain": {"Type": "Knob", "Unit": "dB",
        "Value": -10}, "Mute": False}``.

        Example::

            %%qsys --control Port=$PORT
            ws = WebSocket.New()
            ws.Connected = function(ws) ws:Write("Hey!") end
            ws.Data = function(ws, data) print("Data", data) end
            ws:Connect("ws", "127.0.0.1", "/echo", Controls.Port.String)
        """
        try:
            args = parser().parse_args(shlex.split(line))
        except ValueError as exc:  # shlex: an unclosed quote
            raise UsageError(f"%%qsys: {exc}") from None
        except SystemExit:  # --help printed the usage
            return None
        try:
            from . import run
        except ImportError as exc:
            raise UsageError(str(exc)) from None
        key = args.name or _cell_id(self.shell) or "qsys"
        previous = self.running.pop(key, None)
        if previous is not None:
            previous.stop()
        try:
            script = run(
                cell,
                name=args.name or "script",
                controls={**self._controls(args.controls), **gather(args.control)},
                properties=gather(args.property),
                verify=not args.insecure,
                ca=args.ca,
            )
        except (WsWidgetError, TypeError, ValueError) as exc:
            raise UsageError(f"%%qsys: {exc}") from None
        self.running[key] = script
        if args.name and args.name.isidentifier() and self.shell is not None:
            self.shell.user_ns[args.name] = script
        display(script)
        return None

    def _controls(self, variable: str | None) -> dict[str, object]:
        """The control definitions ``--controls VARIABLE`` names in the user's namespace."""
        if variable is None:
            return {}
        namespace = self.shell.user_ns if self.shell is not None else {}
        if variable not in namespace:
            raise UsageError(f"%%qsys: --controls {variable}: no such variable in the notebook")
        value = namespace[variable]
        if not isinstance(value, dict):
            kind = type(value).__name__
            raise UsageError(
                f"%%qsys: --controls {variable} must be a dict of control definitions, got {kind}"
            )
        return value


def _cell_id(shell: Any) -> str | None:
    """The id of the cell being run, as JupyterLab and Notebook 7 send it, if any."""
    kernel = getattr(shell, "kernel", None)
    try:
        parent = kernel.get_parent() if kernel is not None else None
    except Exception:  # noqa: BLE001 - an old or foreign kernel: fall back to the name
        return None
    metadata = parent.get("metadata", {}) if isinstance(parent, dict) else {}
    cell_id = metadata.get("cellId")
    return str(cell_id) if cell_id else None


def register(shell: InteractiveShell) -> None:
    """Register ``%%qsys`` with ``shell``."""
    shell.register_magics(QsysMagics)


def unregister(shell: InteractiveShell) -> None:
    """Remove ``%%qsys`` again; running scripts go on."""
    manager = shell.magics_manager
    manager.magics["cell"].pop("qsys", None)
    manager.registry.pop(QsysMagics.__name__, None)
