"""A Q-SYS QRC-like JSON-RPC 2.0 session: one client's logon and change groups over a shared design.

Pure logic, no sockets: ``QrcSession.handle(request) -> response`` (``None`` for a notification,
a request without ``id``). The WebSocket handler pushes ``engine_status()`` on connect and, for
each group in ``autopolls``, ``autopoll_notification(id)`` every ``Rate`` seconds.

Errors are JSON-RPC's (-32700 parse error, -32600 invalid request, -32601 method not found,
-32602 invalid params) and QRC's: 5 change groups exhausted (at most 4), 6 unknown change group,
7 unknown component name, 8 unknown control, 10 logon required.
"""

from __future__ import annotations

import json
import math
from typing import Any

from .design import Component, Control, ControlValueError, Design

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
CHANGE_GROUPS_EXHAUSTED = 5
UNKNOWN_CHANGE_GROUP = 6
UNKNOWN_COMPONENT = 7
UNKNOWN_CONTROL = 8
LOGON_REQUIRED = 10

ERROR_NAMES = {
    PARSE_ERROR: "Parse error",
    INVALID_REQUEST: "Invalid request",
    METHOD_NOT_FOUND: "Method not found",
    INVALID_PARAMS: "Invalid params",
    2: "Invalid Page Request ID",
    3: "Bad Page Request",
    4: "Missing file",
    CHANGE_GROUPS_EXHAUSTED: "Change Groups exhausted",
    UNKNOWN_CHANGE_GROUP: "Unknown change group",
    UNKNOWN_COMPONENT: "Unknown component name",
    UNKNOWN_CONTROL: "Unknown control",
    9: "Illegal mixer channel index",
    LOGON_REQUIRED: "Logon required",
}

MAX_CHANGE_GROUPS = 4
MIN_AUTOPOLL_RATE = 0.01  # seconds; real Cores accept 0.1 and up
WITHOUT_LOGON = {"Logon", "NoOp", "StatusGet"}


class QrcError(Exception):
    """A JSON-RPC error to answer with: ``code`` and a message that says what was wrong."""

    def __init__(self, code: int, message: str):
        if code in ERROR_NAMES:
            message = f"{ERROR_NAMES[code]}: {message}"
        super().__init__(message)
        self.code = code
        self.message = message

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


class ChangeGroup:
    """Controls watched together; remembers what each poll last reported."""

    def __init__(self, group_id: Any):
        self.id = group_id
        self.controls: dict[tuple[str | None, str], Control] = {}  # (component or None, name) -> control
        self.reported: dict[tuple[str | None, str], tuple[Any, str]] = {}
        self.rate: float | None = None

    def changes(self) -> list[dict[str, Any]]:
        """Every control new to the group or changed since the last poll, and remember them."""
        changes = []
        for (component, name), control in self.controls.items():
            state = control.state()
            seen = (state["Value"], state["String"])
            if self.reported.get((component, name)) == seen:
                continue
            self.reported[(component, name)] = seen
            where = {"Component": component, "Name": name} if component else {"Name": name}
            changes.append({**where, **state})
        return changes


def _group_key(group_id: Any) -> tuple[bool, Any]:
    return (isinstance(group_id, str), group_id)  # keeps the group 1 apart from the group "1"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class QrcSession:
    """One client's QRC session over a design that all sessions share.

    Args:
        design: The simulated design; shared, so clients see each other's changes.
        users: ``{user: password}`` that ``Logon`` must match; ``None`` accepts any logon and
            needs none.
    """

    def __init__(self, design: Design, *, users: dict[str, str] | None = None):
        self.design = design
        self.users = users
        self.logged_on = users is None
        self.groups: dict[tuple[bool, Any], ChangeGroup] = {}
        self._methods = {
            "NoOp": self._no_op,
            "Logon": self._logon,
            "StatusGet": self._status_get,
            "Control.Get": self._control_get,
            "Control.Set": self._control_set,
            "Component.GetComponents": self._component_get_components,
            "Component.GetControls": self._component_get_controls,
            "Component.Get": self._component_get,
            "Component.Set": self._component_set,
            "ChangeGroup.AddControl": self._change_group_add_control,
            "ChangeGroup.AddComponentControl": self._change_group_add_component_control,
            "ChangeGroup.Remove": self._change_group_remove,
            "ChangeGroup.Poll": self._change_group_poll,
            "ChangeGroup.AutoPoll": self._change_group_auto_poll,
            "ChangeGroup.Clear": self._change_group_clear,
            "ChangeGroup.Destroy": self._change_group_destroy,
            "ChangeGroup.Invalidate": self._change_group_invalidate,
        }

    # -- protocol ------------------------------------------------------------------------

    def engine_status(self) -> dict[str, Any]:
        """The ``EngineStatus`` notification a Core pushes when a client connects."""
        return {"jsonrpc": "2.0", "method": "EngineStatus", "params": self.design.status()}

    def handle_text(self, text: str | bytes) -> dict[str, Any] | None:
        """Answer one frame of JSON; what does not parse answers -32700 with ``id`` null."""
        try:
            request = json.loads(text)
        except ValueError as exc:
            return _error(None, QrcError(PARSE_ERROR, str(exc)))
        return self.handle(request)

    def handle(self, request: Any) -> dict[str, Any] | None:
        """Answer one decoded request; ``None`` for a notification (no ``id``)."""
        request_id = request.get("id") if isinstance(request, dict) else None
        if not (request_id is None or isinstance(request_id, str) or _is_number(request_id)):
            return _error(None, QrcError(INVALID_REQUEST, "id must be a number or a string"))
        try:
            method = self._validate(request)
            if not self.logged_on and method not in WITHOUT_LOGON:
                raise QrcError(LOGON_REQUIRED, f"send Logon before {method}")
            result = self._methods[method](request.get("params"))
        except QrcError as exc:
            notification = isinstance(request, dict) and "id" not in request
            return None if notification and exc.code != INVALID_REQUEST else _error(request_id, exc)
        if "id" not in request:
            return None
        return {"jsonrpc": "2.0", "result": result, "id": request_id}

    def _validate(self, request: Any) -> str:
        if isinstance(request, list):
            raise QrcError(INVALID_REQUEST, "batches are not supported: send one object per frame")
        if not isinstance(request, dict):
            raise QrcError(INVALID_REQUEST, "expected a JSON object")
        if request.get("jsonrpc") not in ("2.0", 2, 2.0):
            raise QrcError(INVALID_REQUEST, '"jsonrpc" must be "2.0"')
        method = request.get("method")
        if not isinstance(method, str):
            raise QrcError(INVALID_REQUEST, '"method" must be a string')
        if method not in self._methods:
            raise QrcError(METHOD_NOT_FOUND, method)
        return method

    @property
    def autopolls(self) -> dict[tuple[bool, Any], float]:
        """Rate in seconds of every group that ``ChangeGroup.AutoPoll`` started, by group key."""
        return {key: group.rate for key, group in self.groups.items() if group.rate is not None}

    def autopoll_notification(self, key: tuple[bool, Any]) -> dict[str, Any] | None:
        """The push of one automatic poll, or ``None`` once the group is gone."""
        group = self.groups.get(key)
        if group is None or group.rate is None:
            return None
        params = {"Id": group.id, "Changes": group.changes()}
        return {"jsonrpc": "2.0", "method": "ChangeGroup.Poll", "params": params}

    # -- connection and status -----------------------------------------------------------

    def _no_op(self, params: Any) -> bool:
        return True

    def _logon(self, params: Any) -> bool:
        params = _object(params, "Logon", '{"User": "admin", "Password": "secret"}')
        user, password = params.get("User"), params.get("Password")
        if not isinstance(user, str) or not isinstance(password, str):
            raise QrcError(INVALID_PARAMS, 'Logon needs {"User": "...", "Password": "..."}')
        if self.users is not None and self.users.get(user) != password:
            self.logged_on = False
            raise QrcError(LOGON_REQUIRED, "bad user name or password")
        self.logged_on = True
        return True

    def _status_get(self, params: Any) -> dict[str, Any]:
        return self.design.status()

    # -- Named Controls ------------------------------------------------------------------

    def _control_get(self, params: Any) -> list[dict[str, Any]]:
        names = _names(params, "Control.Get", '["MainGain", "MainMute"]')
        return [{"Name": name, **self._named(name).state()} for name in names]

    def _control_set(self, params: Any) -> bool:
        params = _object(params, "Control.Set", '{"Name": "MainGain", "Value": -12, "Ramp": 2}')
        name = params.get("Name")
        if not isinstance(name, str):
            raise QrcError(INVALID_PARAMS, 'Control.Set needs a "Name"')
        _apply([(self._named(name), params)])
        return True

    def _named(self, name: str) -> Control:
        try:
            return self.design.named_controls[name]
        except KeyError:
            raise QrcError(UNKNOWN_CONTROL, name) from None

    # -- Named Components ----------------------------------------------------------------

    def _component_get_components(self, params: Any) -> list[dict[str, Any]]:
        return [component.describe() for component in self.design.components.values()]

    def _component_get_controls(self, params: Any) -> dict[str, Any]:
        params = _object(params, "Component.GetControls", '{"Name": "Gain1"}')
        component = self._component(params.get("Name"))
        controls = [control.describe() for control in component.controls.values()]
        return {"Name": component.name, "Controls": controls}

    def _component_get(self, params: Any) -> dict[str, Any]:
        example = '{"Name": "Gain1", "Controls": [{"Name": "gain"}]}'
        params = _object(params, "Component.Get", example)
        component = self._component(params.get("Name"))
        names = _control_entries(params.get("Controls"), "Component.Get", example)
        controls = [self._component_control(component.name, entry["Name"]) for entry in names]
        return {"Name": component.name, "Controls": [{"Name": c.name, **c.state()} for c in controls]}

    def _component_set(self, params: Any) -> bool:
        example = '{"Name": "Gain1", "Controls": [{"Name": "gain", "Value": -12, "Ramp": 2}]}'
        params = _object(params, "Component.Set", example)
        component = self._component(params.get("Name"))
        entries = _control_entries(params.get("Controls"), "Component.Set", example)
        _apply([(self._component_control(component.name, entry["Name"]), entry) for entry in entries])
        return True

    def _component(self, name: Any) -> Component:
        if not isinstance(name, str):
            raise QrcError(INVALID_PARAMS, 'a component "Name" is needed')
        try:
            return self.design.components[name]
        except KeyError:
            raise QrcError(UNKNOWN_COMPONENT, name) from None

    def _component_control(self, component: str, name: str) -> Control:
        try:
            return self.design.components[component].controls[name]
        except KeyError:
            raise QrcError(UNKNOWN_CONTROL, f"{component}.{name}") from None

    # -- change groups -------------------------------------------------------------------

    def _change_group_add_control(self, params: Any) -> bool:
        example = '{"Id": "group 1", "Controls": ["MainGain", "MainMute"]}'
        params = _object(params, "ChangeGroup.AddControl", example)
        group_id = _group_id(params, "ChangeGroup.AddControl")
        names = _names(params.get("Controls"), "ChangeGroup.AddControl", example)
        controls: dict[tuple[str | None, str], Control] = {(None, name): self._named(name) for name in names}
        self._group(group_id, create=True).controls.update(controls)
        return True

    def _change_group_add_component_control(self, params: Any) -> bool:
        example = '{"Id": "group 1", "Component": {"Name": "Gain1", "Controls": [{"Name": "gain"}]}}'
        params = _object(params, "ChangeGroup.AddComponentControl", example)
        group_id = _group_id(params, "ChangeGroup.AddComponentControl")
        component = params.get("Component")
        if not isinstance(component, dict):
            raise QrcError(INVALID_PARAMS, f"ChangeGroup.AddComponentControl needs {example}")
        name = self._component(component.get("Name")).name
        entries = _control_entries(component.get("Controls"), "ChangeGroup.AddComponentControl", example)
        controls: dict[tuple[str | None, str], Control] = {
            (name, entry["Name"]): self._component_control(name, entry["Name"]) for entry in entries
        }
        self._group(group_id, create=True).controls.update(controls)
        return True

    def _change_group_remove(self, params: Any) -> bool:
        example = '{"Id": "group 1", "Controls": ["MainGain"]}'
        group = self._existing_group(params, "ChangeGroup.Remove", example)
        for name in _names(params.get("Controls"), "ChangeGroup.Remove", example):
            self._named(name)
            group.controls.pop((None, name), None)
            group.reported.pop((None, name), None)
        return True

    def _change_group_poll(self, params: Any) -> dict[str, Any]:
        group = self._existing_group(params, "ChangeGroup.Poll")
        return {"Id": group.id, "Changes": group.changes()}

    def _change_group_auto_poll(self, params: Any) -> bool:
        group = self._existing_group(params, "ChangeGroup.AutoPoll", '{"Id": "group 1", "Rate": 0.5}')
        rate = params.get("Rate")
        if not _is_number(rate) or not math.isfinite(rate) or rate < MIN_AUTOPOLL_RATE:
            raise QrcError(INVALID_PARAMS, f"Rate must be a number of seconds >= {MIN_AUTOPOLL_RATE}")
        group.rate = float(rate)
        return True

    def _change_group_clear(self, params: Any) -> bool:
        group = self._existing_group(params, "ChangeGroup.Clear")
        group.controls.clear()
        group.reported.clear()
        return True

    def _change_group_destroy(self, params: Any) -> bool:
        group = self._existing_group(params, "ChangeGroup.Destroy")
        del self.groups[_group_key(group.id)]
        return True

    def _change_group_invalidate(self, params: Any) -> bool:
        self._existing_group(params, "ChangeGroup.Invalidate").reported.clear()
        return True

    def _existing_group(self, params: Any, method: str, example: str = '{"Id": "group 1"}') -> ChangeGroup:
        return self._group(_group_id(_object(params, method, example), method))

    def _group(self, group_id: Any, create: bool = False) -> ChangeGroup:
        key = _group_key(group_id)
        if key in self.groups:
            return self.groups[key]
        if not create:
            raise QrcError(UNKNOWN_CHANGE_GROUP, json.dumps(group_id))
        if len(self.groups) >= MAX_CHANGE_GROUPS:
            raise QrcError(CHANGE_GROUPS_EXHAUSTED, f"at most {MAX_CHANGE_GROUPS} per connection")
        self.groups[key] = ChangeGroup(group_id)
        return self.groups[key]


# -- parameter checks ------------------------------------------------------------------------


def _error(request_id: Any, error: QrcError) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "error": error.to_dict(), "id": request_id}


def _object(params: Any, method: str, example: str) -> dict[str, Any]:
    if not isinstance(params, dict):
        raise QrcError(INVALID_PARAMS, f"{method} params must be an object like {example}")
    return params


def _names(params: Any, method: str, example: str) -> list[str]:
    if not isinstance(params, list) or not all(isinstance(name, str) for name in params):
        raise QrcError(INVALID_PARAMS, f"{method} needs a list of control names, like {example}")
    return params


def _control_entries(entries: Any, method: str, example: str) -> list[dict[str, Any]]:
    if not isinstance(entries, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("Name"), str) for entry in entries
    ):
        raise QrcError(INVALID_PARAMS, f'{method} needs "Controls": [{{"Name": ...}}], like {example}')
    return entries


def _group_id(params: dict[str, Any], method: str) -> Any:
    group_id = params.get("Id")
    if not (isinstance(group_id, str) or _is_number(group_id)):
        raise QrcError(INVALID_PARAMS, f'{method} needs an "Id", a string or a number')
    return group_id


def _apply(settings: list[tuple[Control, dict[str, Any]]]) -> None:
    """Check every setting, then apply them all: a bad one changes nothing."""
    checked = []
    for control, setting in settings:
        ramp = setting.get("Ramp", 0)
        if not _is_number(ramp) or not math.isfinite(ramp) or ramp < 0:
            raise QrcError(INVALID_PARAMS, f"Ramp of {control.name!r} must be seconds >= 0")
        if "Value" not in setting and "Position" not in setting:
            raise QrcError(INVALID_PARAMS, f'set {control.name!r} with a "Value" or a "Position"')
        checked.append((control, setting, ramp))
    try:
        for control, setting, _ in checked:
            control.check(setting.get("Value"), position=setting.get("Position"))
        for control, setting, ramp in checked:
            control.set(setting.get("Value"), position=setting.get("Position"), ramp=ramp)
    except ControlValueError as exc:
        raise QrcError(INVALID_PARAMS, str(exc)) from None
