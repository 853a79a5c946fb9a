"""Saved named messages per socket, kept in a JSON file the user can read and edit.

The file is ``saved_messages.json`` in ws_widget's config folder: ``$WS_WIDGET_CONFIG_DIR``
if set, else ``$XDG_CONFIG_HOME/ws_widget``, else ``~/.config/ws_widget``. It maps a socket's
URL, without user info, query or fragment (so without the secrets those may carry), to its
messages by name::

    {"version": 1, "sockets": {"ws://127.0.0.1:8765/echo": {"hello": {"text": "hi", "mode": "text"}}}}

Every write reads the file first and replaces it whole (a temporary file renamed over it), so
two kernels saving at once lose nothing but a race between the two writes.
"""

from __future__ import annotations

import json
import os
import pathlib
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..exceptions import SavedMessagesError
from .messages import COMPOSER_MODES, parse_composed

FILE_NAME = "saved_messages.json"
MAX_NAME_CHARS = 100
MAX_TEXT_CHARS = 1_000_000  # one saved message
MAX_SAVED = 500  # per socket


def config_dir() -> pathlib.Path:
    """ws_widget's config folder (it may not exist yet)."""
    chosen = os.environ.get("WS_WIDGET_CONFIG_DIR")
    if chosen:
        return pathlib.Path(chosen).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return pathlib.Path(base) / "ws_widget"


def default_path() -> pathlib.Path:
    """The saved-messages file of :func:`config_dir`."""
    return config_dir() / FILE_NAME


def socket_key(url: str) -> str:
    """The key of a socket's messages: its URL without user info, query or fragment.

    Raises:
        ValueError: there is no URL (the socket never connected).
    """
    if not url:
        raise ValueError("connect first: saved messages are kept per URL")
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path or "/", "", ""))


class SavedMessages:
    """The saved messages of every socket, in one file (see the module's docstring)."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = pathlib.Path(path) if path is not None else default_path()

    def for_url(self, url: str) -> dict[str, dict[str, str]]:
        """The messages saved for this socket's URL: ``{name: {"text", "mode"}}`` in saving order
        (empty before the first save or for a URL never connected).

        Raises:
            SavedMessagesError: the file is damaged; the message names it and what to fix.
        """
        if not url:
            return {}
        return dict(self._read()["sockets"].get(socket_key(url), {}))

    def save(self, url: str, name: str, text: str, mode: str = "text") -> None:
        """Save (or replace) the message ``name`` of this socket.

        Raises:
            ValueError, TypeError: no URL, an empty or too long name, a text invalid for
                ``mode`` (checked as Send checks it) or too long, too many saved messages.
            SavedMessagesError: the file is damaged or cannot be written.
        """
        key = socket_key(url)
        name = _check_name(name)
        if not isinstance(text, str):
            raise TypeError(f"a saved message's text must be a str, got {type(text).__name__}")
        if len(text) > MAX_TEXT_CHARS:
            raise ValueError(f"a saved message has at most {MAX_TEXT_CHARS:,} characters, got {len(text):,}")
        parse_composed(text, mode)  # raises for an unknown mode or a text Send would refuse
        data = self._read()
        messages = data["sockets"].setdefault(key, {})
        if name not in messages and len(messages) >= MAX_SAVED:
            raise ValueError(f"{MAX_SAVED} messages are saved for {key} already: delete one first")
        messages[name] = {"text": text, "mode": mode}
        self._write(data)

    def delete(self, url: str, name: str) -> None:
        """Delete the message ``name`` of this socket.

        Raises:
            KeyError: no message of that name is saved for this URL.
            SavedMessagesError: the file is damaged or cannot be written.
        """
        key = socket_key(url)
        data = self._read()
        messages = data["sockets"].get(key, {})
        if name not in messages:
            raise KeyError(f"no message named {name!r} is saved for {key}")
        del messages[name]
        if not messages:
            del data["sockets"][key]
        self._write(data)

    def _read(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {"version": 1, "sockets": {}}
        except (OSError, UnicodeDecodeError) as exc:
            raise self._fail(f"cannot be read ({exc})") from None
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise self._fail(f"is not JSON ({exc})") from None
        sockets = data.get("sockets") if isinstance(data, dict) else None
        if not isinstance(sockets, dict):
            raise self._fail('has no "sockets": {URL: {name: {"text": ..., "mode": ...}}}')
        for key, messages in sockets.items():
            if not isinstance(messages, dict):
                raise self._fail(f"holds {key!r} with {type(messages).__name__}, not {{name: message}}")
            for name, message in messages.items():
                ok = (
                    isinstance(message, dict)
                    and isinstance(message.get("text"), str)
                    and message.get("mode", "text") in COMPOSER_MODES
                )
                if not ok:
                    raise self._fail(
                        f'holds {name!r} of {key!r} as {message!r:.80}, not {{"text": str, "mode": one of'
                        f" {', '.join(COMPOSER_MODES)}}}"
                    )
                message.setdefault("mode", "text")
        return {"version": 1, "sockets": sockets}

    def _write(self, data: dict[str, Any]) -> None:
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise SavedMessagesError(
                f"cannot write the saved messages to {self.path} ({exc}): set WS_WIDGET_CONFIG_DIR"
                " to a folder you can write to"
            ) from None

    def _fail(self, what: str) -> SavedMessagesError:
        return SavedMessagesError(
            f"the saved-messages file {self.path} {what}: fix it in an editor, or move it away to start again"
        )


def _check_name(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"a saved message's name must be a str, got {type(name).__name__}")
    name = name.strip()
    if not name or len(name) > MAX_NAME_CHARS:
        raise ValueError(
            f"a saved message needs a name of 1 to {MAX_NAME_CHARS} characters, got {name!r:.120}"
        )
    return name
