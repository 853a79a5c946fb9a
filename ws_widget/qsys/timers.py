"""The Q-SYS ``Timer`` for Lua, over ws_widget's :class:`~ws_widget.faces.timer.Timer`.

``Timer.New()``, ``.EventHandler(timer)``, ``:Start(seconds)`` (restarts a running timer with
the new period), ``:Stop()`` (also inside its own handler), ``:IsRunning()``,
``Timer.CallAfter(fn, seconds)`` and ``Timer.Now()``. Handlers run on the script's lane, in
arrival order with its other callbacks.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from ..faces.timer import Timer
from .runtime import LuaValue, lua_type

if TYPE_CHECKING:
    from .script import Script

_LUA = """
return function(env, lib, host)
  local check, setmetatable = lib.check, setmetatable
  local new, start, stop, running, call_after, now =
    host.new, host.start, host.stop, host.running, host.call_after, host.now
  local handles = setmetatable({}, {__mode = "k"})
  local methods = {}

  local function handle(timer, method)
    local id = handles[timer]
    if id == nil then
      error("Timer." .. method .. " needs the timer: call it as timer:" .. method
        .. "(...), with a colon", 3)
    end
    return id
  end

  function methods.Start(timer, seconds)
    return check(start(handle(timer, "Start"), seconds))
  end
  function methods.Stop(timer)
    return check(stop(handle(timer, "Stop")))
  end
  function methods.IsRunning(timer)
    return check(running(handle(timer, "IsRunning")))
  end

  local class = lib.class("timer", methods)
  env.Timer = {
    New = function()
      local timer = setmetatable({}, class)
      local ok, id = new(timer)
      handles[timer] = id
      return timer
    end,
    CallAfter = function(fn, seconds)
      if type(fn) ~= "function" then
        error("bad argument #1 to 'CallAfter' (function expected, got " .. type(fn) .. ")", 2)
      end
      return check(call_after(fn, seconds))
    end,
    Now = function()
      return check(now())
    end,
  }
end
"""


def _seconds(seconds: LuaValue, what: str, allow_zero: bool = False) -> float:
    if type(seconds) not in (int, float) or seconds < 0 or (seconds == 0 and not allow_zero):
        shown = seconds if type(seconds) in (int, float) else lua_type(seconds)
        raise ValueError(f"{what} needs a positive number of seconds, got {shown}")
    return float(seconds)


class Timers:
    """The script's Timer objects, by handle; the host side of ``Timer`` in Lua."""

    def __init__(self, script: Script) -> None:
        self._script = script
        self._timers: dict[int, Timer] = {}
        self._waiting_calls = 0
        script.track(lambda: self._waiting_calls > 0)
        script.state_required().install(
            "timer",
            _LUA,
            new=self.new,
            start=self.start,
            stop=self.stop,
            running=self.running,
            call_after=self.call_after,
            now=time.time,
        )

    def new(self, table: Any) -> int:
        """Make the ws_widget Timer behind a new Lua timer; return its handle."""
        script = self._script
        timer = Timer(lane=script.lane)
        generation = script.generation

        def tick(_: Timer) -> None:
            if script.is_current(generation) and timer.IsRunning():  # a tick queued before Stop is dropped
                script.emit(table, b"EventHandler")

        timer.EventHandler = tick
        handle = len(self._timers) + 1
        self._timers[handle] = timer
        script.timers.append(timer)
        script.track(timer.IsRunning, timer.Stop)
        return handle

    def start(self, handle: int, seconds: LuaValue) -> None:
        """``timer:Start(seconds)``: tick every ``seconds``, restarting a running timer."""
        self._timers[handle].Start(_seconds(seconds, "Timer:Start"))

    def stop(self, handle: int) -> None:
        """``timer:Stop()``."""
        self._timers[handle].Stop()

    def running(self, handle: int) -> bool:
        """``timer:IsRunning()``."""
        return self._timers[handle].IsRunning()

    def call_after(self, fn: Any, seconds: LuaValue) -> None:
        """``Timer.CallAfter(fn, seconds)``: call ``fn()`` once, ``seconds`` from now."""
        delay = _seconds(seconds, "Timer.CallAfter", allow_zero=True)
        script = self._script
        generation = script.generation
        timer = Timer(lane=script.lane)

        def due(_: Timer) -> None:
            timer.Stop()
            self._waiting_calls -= 1
            if script.is_current(generation):
                script.call(fn)

        timer.EventHandler = due
        self._waiting_calls += 1
        script.track(lambda: False, timer.Stop)
        timer.Start(max(delay, 1e-6))
