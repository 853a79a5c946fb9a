"""What a Q-SYS script finds in its environment: each binding installs one Q-SYS object.

The order is the order of installation in a fresh Lua state; each binding is one module.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from . import controls, crypto, httpclient, sockets, timers

if TYPE_CHECKING:
    from .script import Script

_RAPIDJSON = resources.files(__package__).joinpath("rapidjson.lua").read_text(encoding="utf-8")


def install(script: Script) -> None:
    """Give ``script``'s fresh Lua state the Q-SYS environment."""
    script.state_required().provide("rapidjson", _RAPIDJSON)
    sockets.Sockets(script)
    timers.Timers(script)
    crypto.Crypto(script)
    httpclient.HttpClient(script)
    controls.Controls(script)
