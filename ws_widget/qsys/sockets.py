"""The Q-SYS ``WebSocket`` for Lua, over ws_widget's :class:`~ws_widget.faces.websocket.WebSocket`.

``WebSocket.New()`` makes a Lua object (``tostring(ws) == "websocket"``) and, behind it, a
ws_widget WebSocket on the script's lane: one history, one widget and the same masking of
secrets as the Python API. ``ws:Connect(protocol, host, url, port, subprotocol, headers)``
takes the port as a number or a numeric string and the url with or without its leading ``/``;
``Close()`` is no error when not connected; callbacks ``Connected``, ``Data(ws, data)`` (data
as a Lua string: text as its UTF-8 bytes), ``Error(ws, err)`` (a string), ``Closed`` and
``Pong`` are set as fields.
"""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING, Any

from websockets.protocol import State

from ..faces.websocket import WebSocket
from .runtime import LuaValue, lua_type, text

if TYPE_CHECKING:
    from .script import Script

_LUA = """
return function(env, lib, host)
  local check, setmetatable, type = lib.check, setmetatable, type
  local new, connect, write, close, ping = host.new, host.connect, host.write, host.close, host.ping
  local handles = setmetatable({}, {__mode = "k"})
  local methods = {}

  local function handle(ws, method)
    local id = handles[ws]
    if id == nil then
      error("WebSocket." .. method .. " needs the socket: call it as ws:" .. method
        .. "(...), with a colon", 3)
    end
    return id
  end

  function methods.Connect(ws, protocol, hostname, url, port, subprotocol, headers)
    return check(connect(handle(ws, "Connect"), protocol, hostname, url, port, subprotocol, headers))
  end
  function methods.Write(ws, data, isBinary)
    return check(write(handle(ws, "Write"), data, isBinary))
  end
  function methods.Close(ws)
    return check(close(handle(ws, "Close")))
  end
  function methods.Ping(ws)
    return check(ping(handle(ws, "Ping")))
  end

  local class = lib.class("websocket", methods)
  env.WebSocket = {
    New = function()
      local ws = setmetatable({}, class)
      local ok, id = new(ws)
      handles[ws] = id
      return ws
    end,
  }
end
"""

_VERIFY_HINT = (
    " (a Q-SYS Core does not verify certificates, ws_widget does: for this script only, turn "
    "verification off with verify=False in qsys.run, --insecure for %%qsys and the command, "
    "or trust the device's certificate with ca=/--ca FILE)"
)


class Sockets:
    """The script's WebSocket objects, by handle; the host side of ``WebSocket`` in Lua."""

    def __init__(self, script: Script) -> None:
        self._script = script
        self._sockets: dict[int, WebSocket] = {}
        script.state_required().install(
            "websocket",
            _LUA,
            new=self.new,
            connect=self.connect,
            write=self.write,
            close=self.close,
            ping=self.ping,
        )

    def new(self, table: Any) -> int:
        """Make the ws_widget WebSocket behind a new Lua socket; return its handle."""
        script = self._script
        ws = WebSocket(lane=script.lane)
        generation = script.generation
        emit = script.emit

        def current() -> bool:
            return script.is_current(generation)

        def data(_: WebSocket, payload: str | bytes) -> None:
            if current():
                emit(table, b"Data", payload.encode() if type(payload) is str else payload)

        def error(_: WebSocket, message: str) -> None:
            if not current():
                return
            if isinstance(ws.last_error, ssl.SSLCertVerificationError):
                message += _VERIFY_HINT
            if script.state_required().lib.has(table, b"Error"):
                emit(table, b"Error", message.encode())
            else:
                script.debug_output.log(f"WebSocket error (the script sets no Error callback): {message}")

        ws.on_data(data)
        ws.on_error(error)
        ws.on_connected(_emitter(script, generation, table, b"Connected"))
        ws.on_closed(_emitter(script, generation, table, b"Closed"))
        ws.on_pong(_emitter(script, generation, table, b"Pong"))
        handle = len(self._sockets) + 1
        self._sockets[handle] = ws
        script.sockets.append(ws)
        script.track(lambda: _is_active(ws), lambda: ws.Close(1001, "script stopped"))
        return handle

    def connect(
        self,
        handle: int,
        protocol: LuaValue,
        host: LuaValue,
        url: LuaValue,
        port: LuaValue,
        subprotocol: LuaValue,
        headers: LuaValue,
    ) -> None:
        """``ws:Connect(...)``: open the connection in the background."""
        ws = self._sockets[handle]
        ws.Connect(
            text(protocol, "protocol"),
            text(host, "host"),
            "/" if url is None else text(url, "url"),
            _port(port),
            None if subprotocol is None else text(subprotocol, "subprotocol"),
            _headers(headers),
            verify=self._script.verify,
            ca=self._script.ca,
        )

    def write(self, handle: int, data: LuaValue, is_binary: LuaValue) -> None:
        """``ws:Write(data[, isBinary])``: send a text frame (UTF-8) or a binary one."""
        if type(data) in (int, float):
            data = str(data).encode()
        if type(data) is not bytes:
            raise TypeError(f"Write needs a string, got {lua_type(data)}")
        self._sockets[handle].Write(data, bool(is_binary))

    def close(self, handle: int) -> None:
        """``ws:Close()``: close the connection; nothing happens when it is not open."""
        self._sockets[handle].Close()

    def ping(self, handle: int) -> None:
        """``ws:Ping()``: send a ping; ``Pong`` fires with the answer."""
        self._sockets[handle].Ping()


def _emitter(script: Script, generation: int, table: Any, field: bytes) -> Any:
    def fire(_: WebSocket) -> None:
        if script.is_current(generation):
            script.emit(table, field)

    return fire


def _is_active(ws: WebSocket) -> bool:
    return ws.state is not State.CLOSED or ws.reconnecting is not None


def _port(port: LuaValue) -> int | None:
    """A port as Q-SYS takes it: a number, a numeric string, or nil for the default."""
    if port is None or type(port) in (int, float):
        return port  # build_target checks the range and floats such as 8080.0
    value = text(port, "port").strip()
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"port must be a number or a numeric string such as '8080', got '{value}'") from None


def _headers(headers: LuaValue) -> list[tuple[str, str]] | None:
    """A Lua table of header names to values as (name, value) pairs."""
    if headers is None:
        return None
    if lua_type(headers) != "table":
        raise TypeError(f"headers must be a table of names to values, got {lua_type(headers)}")
    return [(text(name, "header name"), text(value, f"header {name!r}")) for name, value in headers.items()]
