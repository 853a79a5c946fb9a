"""The seed's callback attributes (``ws.Data = fn``), checked when set and called the Lua way:
a function that takes fewer parameters than the event supplies gets the first ones."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Protocol, overload

# A user's function: called with the first few of an event's arguments, its result ignored.
UserFunction = Callable[..., object]

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def adapt(fn: object, name: str, arguments: tuple[str, ...]) -> tuple[UserFunction, int] | None:
    """Return ``(fn, how many of the event's arguments to pass)``, or None to clear.

    Raises:
        TypeError: ``fn`` is not callable or needs more arguments than the event supplies.
    """
    if fn is None:
        return None
    if not callable(fn):
        raise TypeError(f"{name} must be a function or None, got {fn!r}")
    try:
        parameters = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):  # builtins without a signature take what they get
        return fn, len(arguments)
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters):
        return fn, len(arguments)
    positional = [p for p in parameters if p.kind in _POSITIONAL]
    required = [p for p in positional if p.default is inspect.Parameter.empty]
    if len(required) > len(arguments):
        raise TypeError(
            f"{name} is called with ({', '.join(arguments)}), "
            f"but this function needs {len(required)} arguments"
        )
    return fn, min(len(positional), len(arguments))


class HasCallbacks(Protocol):
    """An object with callback attributes: it keeps the adapted functions by name."""

    _callbacks: dict[str, tuple[UserFunction, int] | None]


class Callback:
    """Descriptor for one event's user function, e.g. ``Data`` called with ``(ws, data)``.

    Setting it checks the function (see :func:`adapt`); reading it gives the function or None.
    """

    def __init__(self, *arguments: str) -> None:
        self.arguments = arguments
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Callback: ...
    @overload
    def __get__(self, obj: HasCallbacks, objtype: type | None = None) -> UserFunction | None: ...
    def __get__(
        self, obj: HasCallbacks | None, objtype: type | None = None
    ) -> Callback | UserFunction | None:
        if obj is None:
            return self
        slot = obj._callbacks.get(self.name)
        return slot[0] if slot else None

    def __set__(self, obj: HasCallbacks, fn: object) -> None:
        """Check and keep ``fn``, or clear the callback for None.

        Raises:
            TypeError: ``fn`` is not callable or needs more arguments than the event supplies.
        """
        obj._callbacks[self.name] = adapt(fn, self.name, self.arguments)
