"""Q-SYS Lua scripts, unchanged, in a notebook: ``run``, the ``%%qsys`` magic, ``python -m ws_widget.qsys``.

An embedded Lua 5.3 (lupa's ``lupa.lua53``) runs each script in its own sandboxed state with the
Q-SYS environment (``WebSocket``, ``Timer``, ``print`` to Debug Output, ``require("rapidjson")``,
...), over the same ws_widget objects as the Python API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from .script import Script, read_source

__all__ = ["Script", "run"]


def run(
    source_or_path: str | Path,
    *,
    controls: Mapping[str, object] | None = None,
    properties: Mapping[str, object] | None = None,
    name: str | None = None,
    verify: bool = True,
    ca: str | None = None,
    search_path: Sequence[str | Path] | None = None,
    on_line: Callable[[str], object] | None = None,
) -> Script:
    """Start a Q-SYS Lua script and return its :class:`Script` once its main chunk has run.

    Args:
        source_or_path: Lua text, or the path of a ``.lua`` or ``.qplug`` file.
        controls: the script's ``Controls`` by name: a value (``{"IP": "192.168.1.10"}``: its
            ``.String``, and ``.Value`` when it is a number) or a definition (docs/guide/lua.md).
        properties: a plugin's ``Properties`` values by name, over its defaults.
        name: the chunk name in errors; default: the file's name, or ``script``.
        verify: verify ``wss`` certificates (a Core does not; ws_widget does by default).
        ca: a CA bundle (PEM) to verify them with, e.g. the device's own certificate.
        search_path: folders where ``require`` finds the script's own Lua modules.
        on_line: called with each Debug Output line as it is logged (from ``Starting Script``
            on), on the thread that logs it.

    A syntax error or an error in the main chunk is reported in ``script.debug_output`` and
    ``script.errors``, and ``script.status`` is ``"failed"`` (``script.check()`` raises it).

    Raises:
        ScriptError: a path that cannot be read.
        LuaUnavailableError: the lua extra is not installed.
    """
    text, default_name = read_source(source_or_path)
    folders = list(search_path or [])
    if isinstance(source_or_path, Path) or default_name != "script":
        folders = folders or [Path(source_or_path).parent]
    script = Script(
        text,
        name=name or default_name,
        verify=verify,
        ca=ca,
        search_path=folders,
        controls=controls,
        properties=properties,
    )
    if on_line is not None:
        script.debug_output.listeners.append(on_line)
    return script.start()
