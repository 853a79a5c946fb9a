"""A running Q-SYS Lua script: one Lua state, one lane for all of its callbacks, its Debug Output.

Q-SYS runs every callback of a script (its sockets, timers, controls, HTTP replies) one at a
time, in arrival order. Here they all go through the script's one :class:`~ws_widget.core.lanes.Lane`,
the main chunk too, so the Lua state is only ever entered from the thread holding that lane and
never from the I/O loop. Bindings (``sockets``, ``timers``, ``controls``, ...) add the Q-SYS
objects to the environment and queue their events with :meth:`Script.submit`.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import ioloop, lanes
from ..exceptions import ScriptError
from ..pure.debuglog import DebugLog
from . import runtime

if TYPE_CHECKING:
    from ..faces.timer import Timer
    from ..faces.websocket import WebSocket

Activity = Callable[[], bool]
"""Tells whether something of the script (a socket, a timer, a request) is still active."""


class Script:
    """One run of a Q-SYS Lua script; see :func:`ws_widget.qsys.run`.

    Attributes:
        name: the chunk name in error messages (``[string "name"]:12: ...``).
        debug_output: the script's Debug Output: ``Starting Script``, what it printed, its errors.
        errors: the text of every Lua error so far (with chunk name, line and traceback).
        sockets: the ws_widget WebSocket objects the script made.
        timers: the ws_widget Timer objects the script made.
        status: ``"running"``, ``"failed"`` (it could not start) or ``"stopped"``.
        verify: whether the script's ``wss`` connections verify certificates.
        ca: a CA bundle for them, or None.
    """

    def __init__(
        self,
        source: str,
        *,
        name: str = "script",
        verify: bool = True,
        ca: str | None = None,
        search_path: Sequence[str | Path] = (),
        controls: Mapping[str, object] | None = None,
        properties: Mapping[str, object] | None = None,
        max_instructions: int = runtime.MAX_INSTRUCTIONS,
    ) -> None:
        """Prepare (not start) a run of ``source``; :meth:`start` runs its main chunk.

        ``controls`` and ``properties`` are the user's definitions (see ``controls.py``)."""
        self.source = source
        self.control_specs = check_controls(controls)
        self.property_values = check_controls(properties, "properties")
        self.controls: dict[str, Any] = {}  # filled by the Controls binding: name -> control(s)
        self.name = name
        self.verify, self.ca = verify, ca
        self.search_path = [Path(p) for p in search_path]
        self.max_instructions = max_instructions
        self.debug_output = DebugLog()
        self.errors: list[str] = []
        self.sockets: list[WebSocket] = []
        self.timers: list[Timer] = []
        self.status = "stopped"
        self.lane = lanes.Lane()
        self._generation = 0  # bumped by start and stop: events of an older run are dropped
        self._activities: list[Activity] = []
        self._stoppers: list[Callable[[], object]] = []
        self._context = contextvars.copy_context()
        self.state: runtime.LuaState | None = None
        self._panel: Any = None

    # Running.

    def start(self) -> Script:
        """Start (or restart) the script: a fresh Lua state, ``Starting Script``, the main chunk.

        Blocks until the main chunk has run, unless called from one of the script's own
        callbacks. Returns self; :attr:`status` tells whether it started.

        Raises:
            ScriptError: only from :meth:`check`; here a failure is reported in Debug Output.
        """
        self.stop()
        self.debug_output.log("Starting Script")
        self.errors.clear()
        self.sockets.clear()
        self.timers.clear()
        self._generation += 1
        self.status = "running"
        self.state = state = runtime.LuaState(self._print, self.search_path, self.max_instructions)
        from . import environment  # the bindings import this module for its type

        try:
            environment.install(self)  # a bad plugin or control definition raises ScriptError
            main = state.load_main(self.source, self.name)
        except ScriptError as exc:
            self._fail(str(exc))
            return self
        done = threading.Event()

        def run_main() -> None:
            try:
                error = state.call(main)
                if error is not None:
                    self._fail(error)
            finally:
                done.set()

        self.submit(run_main)
        if not lanes.in_event_thread():
            done.wait()
        return self

    def check(self) -> Script:
        """Return self if the script started, else raise.

        Raises:
            ScriptError: it failed to start; the message is its Debug Output error.
        """
        if self.status == "failed":
            raise ScriptError(self.errors[-1] if self.errors else f"script {self.name} failed to start")
        return self

    def stop(self) -> None:
        """Stop the script: close its sockets (1001), stop its timers, drop queued events.
        ``sockets`` and ``timers`` still list them (a restart starts new lists)."""
        if self.status == "running":
            self.status = "stopped"
        self._generation += 1
        for stop in self._stoppers:
            try:
                stop()
            except Exception as exc:  # noqa: BLE001 - stop what else can be stopped
                self.debug_output.log(f"ws_widget: while stopping: {exc}")
        self._stoppers.clear()
        self._activities.clear()  # sockets and timers stay listed: their histories can be read

    @property
    def active(self) -> bool:
        """Whether anything of the script may still run: a callback queued, a socket not
        closed, a timer started, a request or CallAfter pending."""
        if self.status != "running":
            return False
        return self.lane.pending > 0 or any(activity() for activity in list(self._activities))

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the script has nothing active (no socket open, no timer running); return
        False if ``timeout`` seconds passed first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.active:
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(0.02)
        return True

    # For the bindings.

    def state_required(self) -> runtime.LuaState:
        """The Lua state of the current run.

        Raises:
            ScriptError: the script was never started.
        """
        if self.state is None:
            raise ScriptError(f"script {self.name} was never started")
        return self.state

    def submit(self, fn: Callable[..., object], *args: Any) -> None:
        """Run ``fn(*args)`` on the script's lane, after its events queued so far (from any
        thread); dropped if the script stops or restarts first."""
        generation = self._generation
        ioloop.call_soon(
            lanes.submit,
            self.lane,
            self._context,
            self._run_current,
            (generation, fn, args),
            self.debug_output,
        )

    def _run_current(self, generation: int, fn: Callable[..., object], args: tuple[Any, ...]) -> None:
        if generation == self._generation:
            fn(*args)

    def is_current(self, generation: int) -> bool:
        """Whether ``generation`` is the run going on now (see :attr:`generation`)."""
        return generation == self._generation and self.status == "running"

    @property
    def generation(self) -> int:
        """The number of the current run; events carry it so that a restart drops old ones."""
        return self._generation

    def emit(self, obj: Any, field: bytes, *args: Any) -> None:
        """Call the script's ``obj[field](obj, *args)`` if set (on the lane); report an error."""
        state = self.state
        if state is not None and self.status == "running":
            error = state.emit(obj, field, *args)
            if error is not None:
                self.report(error)

    def call(self, fn: Any, *args: Any) -> None:
        """Call the script's function ``fn(*args)`` (on the lane); report an error."""
        state = self.state
        if state is not None and self.status == "running":
            error = state.call(fn, *args)
            if error is not None:
                self.report(error)

    def report(self, text: str) -> None:
        """Report a Lua error in Debug Output; the script goes on."""
        self.errors.append(text)
        self.debug_output.log(text)

    def track(self, activity: Activity, stop: Callable[[], object] | None = None) -> None:
        """Count ``activity()`` in :attr:`active`; call ``stop()`` when the script stops."""
        self._activities.append(activity)
        if stop is not None:
            self._stoppers.append(stop)

    def _fail(self, text: str) -> None:
        self.report(text)
        self.stop()
        self.status = "failed"

    def _print(self, text: str) -> None:
        self.debug_output.log(text)

    @property
    def panel(self) -> Any:
        """The live display of the script (Debug Output, controls, sockets), made on first use;
        ``display(script)`` shows it."""
        if self._panel is None:
            from .panel import ScriptPanel  # ipywidgets is loaded only when a panel is shown

            self._panel = ScriptPanel(self)
        return self._panel

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        bundle = self.panel._repr_mimebundle_(**kwargs)  # ipywidgets 8: a dict; None without a kernel
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle or {}, {})
        return {**data, "text/plain": repr(self)}, metadata

    def __repr__(self) -> str:
        sockets, lines = len(self.sockets), len(self.debug_output)
        return f"<qsys.Script {self.name} {self.status}, {sockets} sockets, {lines} lines>"


def read_source(source: str | Path) -> tuple[str, str]:
    """Return ``(text, name)`` of a script given as Lua text or as a path to a ``.lua``/``.qplug``.

    Raises:
        ScriptError: a path that cannot be read.
    """
    looks_like_path = isinstance(source, Path) or (
        "\n" not in source and source.rstrip().endswith((".lua", ".qplug"))
    )
    if not looks_like_path:
        return str(source), "script"
    path = Path(source)
    try:
        return path.read_text(encoding="utf-8"), path.name
    except (OSError, UnicodeDecodeError) as exc:
        raise ScriptError(f"cannot read the script {path}: {exc}") from exc


def check_controls(controls: Mapping[str, object] | None, what: str = "controls") -> dict[str, object]:
    """Return the user's control (or property) definitions as a dict (forms: ``controls.py``).

    Raises:
        TypeError: not a mapping of names.
    """
    if controls is None:
        return {}
    if not isinstance(controls, Mapping) or not all(isinstance(k, str) for k in controls):
        raise TypeError(f"{what} must be a dict of names, got {controls!r}")
    return dict(controls)
