"""One sandboxed Lua 5.3 state per script, through lupa's ``lupa.lua53``.

``sandbox.lua`` builds the script's environment from the state's own globals: the standard
libraries Q-SYS scripts use and nothing that reaches the host. Python functions reach Lua only
as upvalues of small Lua wrappers (``lib.check``): the script can call them but never hold them,
and each returns ``ok, ...`` with Lua values only, so no Python object (an exception above all,
which lupa would hand to Lua as a live object) ever reaches the script. lupa's attribute
handlers refuse every attribute besides, in case one did.

Every call from the host into the script (:meth:`LuaState.call`, :meth:`LuaState.emit`) runs on
a fresh instruction budget and returns the Lua error with its traceback instead of raising.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from ..exceptions import LuaUnavailableError, ScriptError, WsWidgetError


def lupa_lua53() -> Any:
    """lupa's Lua 5.3 module, imported on first use (so ``%load_ext`` works without it).

    Raises:
        LuaUnavailableError: the lua extra is not installed; the message says how to install it.
    """
    try:
        from lupa import lua53
    except ImportError as exc:
        raise LuaUnavailableError(
            "Q-SYS Lua scripts need lupa (Lua 5.3), which is not installed: "
            'pip install "ws-widget[lua]" (the lab and test extras include it)'
        ) from exc
    return lua53


MAX_INSTRUCTIONS = 100_000_000  # per call from the host: under a second of a runaway loop
MAX_MEMORY = 256 * 2**20  # bytes one script's Lua state may allocate
_SANDBOX = resources.files(__package__).joinpath("sandbox.lua").read_text(encoding="utf-8")

LuaValue = Any  # what lupa passes: bytes, int, float, bool, None, or a Lua table or function
HostFunction = Callable[..., Any]


def host_function(fn: HostFunction) -> HostFunction:
    """Wrap ``fn`` for Lua: it returns ``True, results...`` (str results as UTF-8 bytes), or
    ``False, message`` when it raised, so no Python exception ever reaches the script."""

    @functools.wraps(fn)
    def called_from_lua(*args: LuaValue) -> tuple[Any, ...]:
        try:
            result = fn(*args)
        except (ValueError, TypeError, WsWidgetError) as exc:
            return False, str(exc).encode()
        except Exception as exc:  # noqa: BLE001 - a bug of ours must not hand Lua a Python object
            return False, f"ws_widget internal error in {fn.__name__}: {type(exc).__name__}: {exc}".encode()
        if type(result) is not tuple:
            result = (result,)
        return (True, *(value.encode() if type(value) is str else value for value in result))

    return called_from_lua


def text(value: LuaValue, what: str) -> str:
    """Return a Lua string argument as str (numbers too, as Lua would coerce them).

    Raises:
        TypeError: value is not a string or number; the message names ``what``.
        ValueError: the string is not valid UTF-8.
    """
    if type(value) is bytes:
        try:
            return value.decode()
        except UnicodeDecodeError:
            raise ValueError(f"{what} must be UTF-8 text, got bytes that are not") from None
    if type(value) in (int, float):
        return str(value)
    raise TypeError(f"{what} must be a string, got {lua_type(value)}")


def lua_type(value: LuaValue) -> str:
    """The Lua type name of a value passed from Lua."""
    if value is None:
        return "nil"
    if type(value) is bool:
        return "boolean"
    if type(value) in (int, float):
        return "number"
    if type(value) is bytes:
        return "string"
    return lupa_lua53().lua_type(value) or "userdata"


def _refuse_attribute(obj: object, name: object, value: object = None) -> Any:
    raise AttributeError("Lua scripts cannot reach Python objects")


class LuaState:
    """One script's Lua 5.3 state and its sandboxed environment.

    Attributes:
        env: the script's global table.
        lib: the helpers of ``sandbox.lua`` for the environment's bindings.
    """

    def __init__(
        self,
        on_print: Callable[[str], None],
        search_path: Sequence[str | os.PathLike[str]] = (),
        max_instructions: int = MAX_INSTRUCTIONS,
        max_memory: int = MAX_MEMORY,
    ) -> None:
        """Create the state; ``print`` in the script calls ``on_print(text)``, ``require``
        finds the script's own modules in ``search_path`` only."""
        self._lua = lupa_lua53().LuaRuntime(
            encoding=None,
            register_eval=False,
            register_builtins=False,
            unpack_returned_tuples=True,
            attribute_handlers=(_refuse_attribute, _refuse_attribute),
            max_memory=max_memory,
        )
        self._search_path = [Path(p) for p in search_path]

        def print_text(value: bytes) -> None:
            on_print(value.decode("utf-8", "replace"))

        host = self.table(print=host_function(print_text), find_module=self._find_module)
        self.env, self.lib = self._load(_SANDBOX, "sandbox")(host, max_instructions)
        self._call, self._emit = self.lib.call, self.lib.emit

    def table(self, *items: LuaValue, **fields: LuaValue) -> Any:
        """A new Lua table with ``items`` at 1..n and ``fields`` by name."""
        table = self._lua.table_from(list(items)) if items else self._lua.table()
        for name, value in fields.items():
            table[name.encode()] = value
        return table

    def table_from(self, mapping: Mapping[str, LuaValue]) -> Any:
        """A new Lua table with the pairs of ``mapping`` (str keys as Lua strings)."""
        table = self._lua.table()
        for name, value in mapping.items():
            table[name.encode() if isinstance(name, str) else name] = value
        return table

    def install(self, name: str, source: str, **functions: HostFunction) -> Any:
        """Run the binding ``name``'s Lua ``source``, a chunk that returns ``function(env, lib,
        host)``, with ``functions`` (wrapped by :func:`host_function`) in ``host``; return its
        result."""
        host = self.table_from({name: host_function(fn) for name, fn in functions.items()})
        return self._load(source, name)(self.env, self.lib, host)

    def _load(self, source: str, name: str) -> Any:
        """Compile a chunk of ws_widget's own in the real globals, named ``=qsys/<name>``."""
        chunk = self._lua.globals().load(source.encode(), f"=qsys/{name}".encode())
        if type(chunk) is tuple:  # a bug of ours: fail loudly
            raise RuntimeError(_error_text(chunk))
        return chunk()

    def provide(self, name: str, source: str) -> None:
        """Make the Lua module ``source`` (a chunk returning the module) ``require(name)``-able;
        it is loaded on first use, in the script's environment, named ``=name``."""
        self.lib.provide(name.encode(), self.lib.module(source.encode(), f"={name}".encode()))

    def load_main(self, source: str | bytes, chunkname: str) -> Any:
        """Compile the script's main chunk in its environment.

        Raises:
            ScriptError: a syntax error, with the chunk name and line.
        """
        code = source.encode() if isinstance(source, str) else source
        chunk = self.lib.load_main(code, chunkname.encode())
        if type(chunk) is tuple:  # nil, message
            raise ScriptError(_error_text(chunk))
        return chunk

    def call(self, fn: Any, *args: LuaValue) -> str | None:
        """Run the Lua function ``fn(*args)``; return None, or the Lua error with its traceback."""
        result = self._call(fn, *args)
        if result is True or (type(result) is tuple and result[0]):
            return None
        return _error_text(result)

    def emit(self, obj: Any, field: bytes, *args: LuaValue) -> str | None:
        """Call ``obj[field](obj, *args)`` if the script set it; return None or the Lua error."""
        result = self._emit(obj, field, *args)
        if result is True or (type(result) is tuple and result[0]):
            return None
        return _error_text(result)

    @property
    def memory_used(self) -> int:
        """Bytes the Lua state holds now."""
        return int(self._lua.get_memory_used() or 0)

    @host_function
    def _find_module(self, name: bytes) -> tuple[bytes, str]:
        module = text(name, "module name")
        tried = []
        parts = module.split(".")
        if all(part and part not in (".", "..") and "/" not in part and "\\" not in part for part in parts):
            for folder in self._search_path:
                for candidate in (
                    folder.joinpath(*parts).with_suffix(".lua"),
                    folder.joinpath(*parts, "init.lua"),
                ):
                    tried.append(str(candidate))
                    if candidate.is_file():
                        return candidate.read_bytes(), str(candidate)
        where = "\n\t".join(tried) if tried else "(no search_path was given)"
        raise ValueError(
            f"module '{module}' not found: ws_widget provides 'rapidjson', and finds the script's "
            f"own modules on the search_path it was given; tried:\n\t{where}"
        )


def _error_text(result: Any) -> str:
    """The text of a Lua error, its traceback cut where the host's frames begin."""
    message = result[1] if type(result) is tuple and len(result) > 1 else result
    text = message.decode("utf-8", "replace") if type(message) is bytes else str(message)
    head, cut, _ = text.partition("\n\t[C]: in function 'xpcall'")
    return head if cut else text
