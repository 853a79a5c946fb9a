"""The Q-SYS ``Controls``, ``Properties`` and ``Component`` for Lua, over the controls of
``control.py`` (their forms and linking rules are told there).

**Events.** ``ctl.EventHandler(ctl)`` runs on the script's lane when the notebook user changes
the control (``script.controls["Gain"].Value = 3`` from any thread, or its widget), not when the
script assigns it: "State changes due to internal manipulation within the script will not be
recognized as an event" (Q-SYS help, Control Aspects). ``ctl:Trigger()`` in Lua (``trigger()``
in Python) fires it as a press would. Observers (:meth:`Control.observe`) see every change,
the script's too: the widgets follow them.

A name the user did not define is ``nil`` (``Controls.Missing.String`` fails with "attempt to
index a nil value (field 'Missing')", as on a Core), and ``type(ctl)`` is ``"userdata"`` as a
Core's controls are; arrays are tables.

``Properties[name]`` holds ``.Name``, ``.Value``, ``.Type`` (and ``.Min``/``.Max``/``.Choices``
when defined). ``Component.Status`` is writable; Python reads it with :func:`component` (default
``"OK"``, reset at each start).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..exceptions import ScriptError
from . import plugin
from .control import Control, build, definition, kind_of, override
from .runtime import LuaValue, lua_type, text

if TYPE_CHECKING:
    from .script import Script


class Component:
    """The script's ``Component``: ``Status`` (default ``"OK"``), observable; thread-safe."""

    def __init__(self) -> None:
        """A component whose Status is ``"OK"``."""
        self._status = "OK"
        self._observers: list[Callable[[str], object]] = []

    @property
    def status(self) -> str:
        """``Component.Status`` as the script last set it."""
        return self._status

    @status.setter
    def status(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError(f"Component.Status must be a string, got {kind_of(value)}")
        changed, self._status = value != self._status, value
        if changed:
            for observer in list(self._observers):
                observer(value)

    def observe(self, observer: Callable[[str], object]) -> None:
        """Call ``observer(status)`` after each change, on the thread that made it."""
        self._observers.append(observer)


_COMPONENTS: weakref.WeakKeyDictionary[Script, Component] = weakref.WeakKeyDictionary()
_PLUGINS: weakref.WeakKeyDictionary[Script, plugin.Plugin | None] = weakref.WeakKeyDictionary()


def component(script: Script) -> Component:
    """The ``Component`` of ``script`` (one object across its restarts)."""
    found = _COMPONENTS.get(script)
    if found is None:
        found = _COMPONENTS[script] = Component()
    return found


def plugin_of(script: Script) -> plugin.Plugin | None:
    """What the plugin ``script`` is defined (PluginInfo, Properties, controls), or None for a
    plain script (or one never started)."""
    return _PLUGINS.get(script)


# The binding.

_LUA = """
return function(env, lib, host)
  local check, setmetatable, type, error, tostring = lib.check, setmetatable, type, error, tostring
  local get, set, trigger, status_get, status_set =
    host.get, host.set, host.trigger, host.status_get, host.status_set
  local ids = setmetatable({}, {__mode = "k"})
  local handlers = {}

  local function Trigger(ctl)
    local id = ids[ctl]
    if id == nil then
      error("Trigger needs the control: call it as ctl:Trigger(), with a colon", 2)
    end
    return check(trigger(id))
  end

  local meta = {
    __index = function(ctl, key)
      local id = ids[ctl]
      if key == "EventHandler" then
        return handlers[id]
      elseif key == "Trigger" then
        return Trigger
      end
      return check(get(id, key))
    end,
    __newindex = function(ctl, key, value)
      local id = ids[ctl]
      if key == "EventHandler" then
        if value ~= nil and type(value) ~= "function" then
          error("EventHandler must be a function or nil, got " .. type(value), 2)
        end
        handlers[id] = value
        return
      end
      return check(set(id, key, value))
    end,
    __metatable = "control",
  }

  -- A Core's controls are userdata: scripts tell a control from an array of them by type().
  env.type = function(...)
    if ids[(...)] ~= nil then
      return "userdata"
    end
    return type(...)
  end

  local function New()
    error("Component.New is not available: named components exist only in a Q-SYS design", 2)
  end
  env.Component = setmetatable({}, {
    __index = function(_, key)
      if key == "Status" then
        return check(status_get())
      elseif key == "New" then
        return New
      end
      return nil
    end,
    __newindex = function(_, key, value)
      if key == "Status" then
        return check(status_set(value))
      end
      error("Component." .. tostring(key) .. " cannot be set", 2)
    end,
    __metatable = "Component",
  })

  return function(id)
    local ctl = setmetatable({}, meta)
    ids[ctl] = id
    return ctl
  end
end
"""


class Controls:
    """The script's controls, properties and component; the host side of ``Controls`` in Lua.

    Raises:
        ScriptError: a bad plugin, or a control or property the user defined badly.
    """

    def __init__(self, script: Script) -> None:
        self._script = script
        state = script.state_required()
        self._component = component(script)
        self._component.status = "OK"
        found = plugin.evaluate(script)
        _PLUGINS[script] = found
        specs = self._specs(found)
        previous = dict(script.controls)
        script.controls.clear()
        self._handles: list[Control] = []
        self._seen: dict[int, dict[str, Any]] = {}  # a control's aspects as of the event being handled
        make = state.install(
            "controls",
            _LUA,
            get=self.get,
            set=self.set,
            trigger=self.trigger,
            status_get=lambda: self._component.status,
            status_set=self.status_set,
        )
        table: dict[str, Any] = {}
        for name, spec in specs.items():
            try:
                built = build(name, spec, previous.get(name))
            except (TypeError, ValueError) as exc:
                raise ScriptError(str(exc)) from None
            script.controls[name] = built
            if isinstance(built, list):
                table[name] = state.table(*(self._proxy(make, control) for control in built))
            else:
                table[name] = self._proxy(make, built)
        state.env[b"Controls"] = state.table_from(table)
        properties = (
            found.properties if found is not None else plugin.plain_properties(script.property_values)
        )
        state.env[b"Properties"] = state.table_from(
            {name: plugin.to_lua(state, prop) for name, prop in properties.items()}
        )

    def _specs(self, found: plugin.Plugin | None) -> dict[str, dict[str, Any]]:
        specs: dict[str, dict[str, Any]] = {}
        try:
            if found is not None:
                specs.update(found.controls)
            for name, form in self._script.control_specs.items():
                specs[name] = override(specs[name], name, form) if name in specs else definition(name, form)
        except (TypeError, ValueError) as exc:
            raise ScriptError(str(exc)) from None
        return specs

    def _proxy(self, make: Any, control: Control) -> Any:
        script, generation = self._script, self._script.generation
        self._handles.append(control)
        proxy = make(len(self._handles))

        handle = len(self._handles)

        def fire(seen: dict[str, Any]) -> None:
            """The handler sees the control as the user left it, though later changes wait."""
            if script.is_current(generation):
                self._seen[handle] = seen
                try:
                    script.emit(proxy, b"EventHandler")
                finally:
                    self._seen.pop(handle, None)

        control.on_user_change(lambda changed: script.submit(fire, changed.snapshot()))
        return proxy

    def get(self, handle: int, key: LuaValue) -> Any:
        """``ctl.Key`` in Lua."""
        control, name = self._handles[handle - 1], text(key, "control property")
        seen = self._seen.get(handle)
        if seen is not None and name in seen:  # in its EventHandler: the value of that event
            value = seen[name]
            if name != "Choices":
                return value
            return self._script.state_required().table(*(c.encode() for c in value))
        if name == "Choices":
            return self._script.state_required().table(*(c.encode() for c in control.Choices))
        try:
            return getattr(control, name)
        except AttributeError as exc:
            raise ValueError(str(exc)) from None

    def set(self, handle: int, key: LuaValue, value: LuaValue) -> None:
        """``ctl.Key = value`` in Lua: the script's own change (no EventHandler)."""
        control, name = self._handles[handle - 1], text(key, "control property")
        self._seen.pop(handle, None)  # from now on the handler reads what it wrote
        if lua_type(value) == "table":
            value = [value[i] for i in range(1, len(value) + 1)]
        try:
            control.set(name, value, user=False)
        except AttributeError as exc:
            raise ValueError(str(exc)) from None

    def trigger(self, handle: int) -> None:
        """``ctl:Trigger()`` in Lua: the EventHandler runs next on the lane, as for a press."""
        self._handles[handle - 1].trigger()

    def status_set(self, value: LuaValue) -> None:
        """``Component.Status = value`` in Lua."""
        self._component.status = text(value, "Component.Status")
