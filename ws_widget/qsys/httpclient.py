"""The Q-SYS ``HttpClient`` for Lua, over aiohttp on ws_widget's I/O loop.

``HttpClient.Get/Post/Put/Patch/Delete{...}`` and ``HttpClient.Download/Upload{...}`` (which
honour ``Method``; GET and POST by default) take the fields the Q-SYS help documents: ``Url``,
``Headers`` (a table of names to values), ``Data`` (the body), ``User``, ``Password``, ``Auth``
(``"any"``, the default, ``"basic"`` or ``"digest"``), ``Timeout`` (seconds) and
``EventHandler = function(tbl, code, data, err, headers)``. A call returns at once; the request
runs on the I/O loop, and the EventHandler runs on the script's lane, in arrival order with the
script's other callbacks, with ``tbl`` the very table the script passed, ``code`` the HTTP
status, ``data`` the body as a Lua string, ``err`` nil or a string, and ``headers`` a table of
names to values (a table of values for a header sent more than once). A request that got no
answer (refused, timed out, TLS rejected) gives code 0, data ``""`` and ``err`` saying why;
an HTTP error status such as 404 is an answer, with ``err`` nil.

``HttpClient.CreateUrl{Host=, Port=, Path=, Query=}``, ``EncodeParams(table)``,
``EncodeString(text)`` and ``DecodeString(text)`` percent-encode as the help's examples do
(``"hello | there"`` -> ``hello%20%7c%20there``).

TLS is verified by default (``script.verify``, ``script.ca``), unlike a Core. Pending requests
count in ``script.wait()`` and are cancelled when the script stops. URLs in error texts are
masked as everywhere in ws_widget; headers are never written to Debug Output.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import itertools
import re
import ssl
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote_to_bytes, urlsplit

from ..core import ioloop
from ..pure.options import Options
from ..pure.redact import mask_url
from .runtime import LuaValue, lua_type, text
from .sockets import _VERIFY_HINT

if TYPE_CHECKING:
    import aiohttp

    from .script import Script

DEFAULT_TIMEOUT = 30.0
"""Seconds a request may take when the script gives no ``Timeout``. The Q-SYS help states no
default; its examples pass 10 and 30."""

MAX_BODY = 64 * 2**20
"""Largest response body handed to a script (its Lua state holds at most 256 MiB)."""

AUTH_MODES = ("any", "basic", "digest")

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # an HTTP method (RFC 9110's token)
_UNRESERVED = "-._~"  # with letters and digits, what EncodeString leaves as it is

_LUA = """
return function(env, lib, host)
  local check, error, type = lib.check, error, type
  local request = host.request
  local function sender(name, method, takes_method)
    return function(tbl)
      if type(tbl) ~= "table" then
        error("bad argument #1 to 'HttpClient." .. name .. "' (table expected, got " .. type(tbl) .. ")", 2)
      end
      return check(request(tbl, name, method, takes_method))
    end
  end
  local create_url, encode_params, encode_string, decode_string =
    host.create_url, host.encode_params, host.encode_string, host.decode_string
  env.HttpClient = {
    Get = sender("Get", "GET", false),
    Post = sender("Post", "POST", false),
    Put = sender("Put", "PUT", false),
    Patch = sender("Patch", "PATCH", false),
    Delete = sender("Delete", "DELETE", false),
    Download = sender("Download", "GET", true),
    Upload = sender("Upload", "POST", true),
    CreateUrl = function(tbl)
      return check(create_url(tbl))
    end,
    EncodeParams = function(tbl)
      return check(encode_params(tbl))
    end,
    EncodeString = function(value)
      return check(encode_string(value))
    end,
    DecodeString = function(value)
      return check(decode_string(value))
    end,
  }
end
"""


@dataclass(frozen=True)
class Request:
    """One request as the script described it, in Python values (read on the lane)."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = field(repr=False)  # secrets: never in a repr
    data: bytes | None = field(repr=False)
    timeout: float
    user: str | None
    password: str = field(repr=False)
    auth: str

    @property
    def shown_url(self) -> str:
        """The URL with its secrets masked, for error texts."""
        return mask_url(self.url)


Reply = tuple[int, bytes, "str | None", list[tuple[str, str]]]
"""What the EventHandler gets, in Python values: code, data, err, headers."""


class HttpClient:
    """The host side of ``HttpClient`` in Lua: the script's pending requests and their session."""

    def __init__(self, script: Script) -> None:
        self._script = script
        self._ids = itertools.count(1)
        self._pending: dict[int, concurrent.futures.Future[Reply]] = {}
        self._lock = threading.Lock()
        self._ssl: ssl.SSLContext | None = None
        script.track(lambda: bool(self._pending), self.stop)
        script.state_required().install(
            "httpclient",
            _LUA,
            request=self.request,
            create_url=create_url,
            encode_params=encode_params,
            encode_string=encode_string,
            decode_string=decode_string,
        )

    @property
    def pending(self) -> int:
        """How many requests have not had their EventHandler run yet."""
        return len(self._pending)

    def request(self, table: Any, name: bytes, method: bytes, takes_method: bool) -> None:
        """``HttpClient.<name>{...}``: check the table, start the request, return at once.

        Raises:
            TypeError, ValueError: a field the request cannot be made with; the message names it.
        """
        function = f"HttpClient.{name.decode()}"
        spec = read_request(table, function, method.decode(), takes_method)
        handler = table[b"EventHandler"]
        if handler is not None and lua_type(handler) != "function":
            raise TypeError(f"{function}: EventHandler must be a function, got {lua_type(handler)}")
        context = self._context(spec)
        script = self._script
        generation = script.generation
        request_id = next(self._ids)
        with self._lock:
            future = ioloop.submit(self._fetch(spec, context))
            self._pending[request_id] = future

        def done(future: concurrent.futures.Future[Reply]) -> None:
            if future.cancelled():
                return
            try:
                reply = future.result()  # _fetch returns every failure it knows as a reply
            except Exception as exc:  # noqa: BLE001 - one it does not know must still end the request
                reply = _failed(f"request to {spec.shown_url} failed: {type(exc).__name__}: {exc}")
            script.submit(self._deliver, request_id, table, handler, reply)

        future.add_done_callback(done)
        if not script.is_current(generation):  # stopped meanwhile: stop() has run already
            future.cancel()

    def stop(self) -> None:
        """Cancel the pending requests: no EventHandler runs for them."""
        with self._lock:
            futures = list(self._pending.values())
            self._pending.clear()
        for future in futures:
            future.cancel()

    # On the lane.

    def _deliver(self, request_id: int, table: Any, handler: Any, reply: Reply) -> None:
        with self._lock:
            if self._pending.pop(request_id, None) is None:
                return  # cancelled by stop()
        if handler is None:
            return
        code, data, err, headers = reply
        state = self._script.state_required()
        lua_headers = state.table_from(_header_table(state, headers))
        self._script.call(handler, table, code, data, None if err is None else err.encode(), lua_headers)

    def _context(self, spec: Request) -> ssl.SSLContext | None:
        if not spec.url.lower().startswith("https:"):
            return None
        if self._ssl is None:
            script = self._script
            try:
                self._ssl = Options(verify=script.verify, ca=script.ca).ssl_context()
            except (OSError, ssl.SSLError) as exc:
                raise ValueError(f"cannot use the CA file {script.ca}: {exc}") from None
        return self._ssl

    # On the I/O loop.

    async def _fetch(self, spec: Request, context: ssl.SSLContext | None) -> Reply:
        import aiohttp

        try:
            return await self._exchange(spec, context)
        except (asyncio.TimeoutError, TimeoutError):
            return _failed(
                f"timed out after {spec.timeout:g} s waiting for {spec.shown_url} "
                f"(the request's Timeout = {spec.timeout:g})"
            )
        except aiohttp.ClientConnectorCertificateError as exc:
            certificate = exc.certificate_error
            reason = getattr(certificate, "verify_message", None) or str(certificate)
            return _failed(
                f"TLS certificate verification failed for {spec.shown_url} ({reason})" + _VERIFY_HINT
            )
        except aiohttp.ClientConnectorError as exc:
            where = f"{exc.host}:{exc.port}"
            refused = isinstance(exc.os_error, ConnectionRefusedError)
            if refused:
                return _failed(
                    f"connection refused by {where}: is the server running and listening on that port?"
                )
            return _failed(f"cannot connect to {where}: {exc.os_error.strerror or exc.os_error}")
        except aiohttp.ClientError as exc:
            return _failed(f"request to {spec.shown_url} failed: {type(exc).__name__}: {exc}")
        except (ssl.SSLError, OSError) as exc:
            return _failed(f"request to {spec.shown_url} failed: {exc}")

    async def _exchange(self, spec: Request, context: ssl.SSLContext | None) -> Reply:
        import aiohttp

        kwargs: dict[str, Any] = {
            "headers": list(spec.headers),
            "data": spec.data,
            "ssl": context if context is not None else True,
            "timeout": aiohttp.ClientTimeout(total=spec.timeout),
        }
        if spec.user is not None and spec.auth == "basic":
            kwargs["headers"] = _with_basic_auth(spec)
        elif spec.user is not None:  # digest, or any: answer the challenge the server makes
            kwargs["middlewares"] = (
                aiohttp.DigestAuthMiddleware(spec.user, spec.password, preemptive=False),
            )
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:  # one per request
            reply = await _once(session, spec, kwargs)
            if reply[0] == 401 and spec.user is not None and spec.auth == "any" and _asks_basic(reply[3]):
                kwargs.pop("middlewares", None)
                kwargs["headers"] = _with_basic_auth(spec)
                reply = await _once(session, spec, kwargs)
            return reply


async def _once(session: aiohttp.ClientSession, spec: Request, kwargs: dict[str, Any]) -> Reply:
    async with session.request(spec.method, spec.url, **kwargs) as response:
        too_large = _failed(f"the response from {spec.shown_url} is larger than {MAX_BODY // 2**20} MiB")
        if (response.content_length or 0) > MAX_BODY:
            return too_large
        body = bytearray()
        async for chunk in response.content.iter_chunked(2**16):
            body += chunk
            if len(body) > MAX_BODY:
                return too_large
        headers = [(str(name), str(value)) for name, value in response.headers.items()]  # istr is not str
        return response.status, bytes(body), None, headers


def _with_basic_auth(spec: Request) -> list[tuple[str, str]]:
    """The request's headers with HTTP Basic credentials in place of any Authorization."""
    credentials = base64.b64encode(f"{spec.user}:{spec.password}".encode()).decode()
    kept = [(name, value) for name, value in spec.headers if name.lower() != "authorization"]
    return [*kept, ("Authorization", f"Basic {credentials}")]


def _failed(err: str) -> Reply:
    return 0, b"", err, []


def _asks_basic(headers: list[tuple[str, str]]) -> bool:
    return any(
        name.lower() == "www-authenticate" and value.lstrip().lower().startswith("basic")
        for name, value in headers
    )


def _header_table(state: Any, headers: list[tuple[str, str]]) -> dict[str, Any]:
    """Response headers for Lua: name -> value, or -> a table of values when sent more than once."""
    grouped: dict[str, list[str]] = {}
    for name, value in headers:
        grouped.setdefault(name, []).append(value)
    return {
        name: values[0].encode() if len(values) == 1 else state.table(*(v.encode() for v in values))
        for name, values in grouped.items()
    }


def read_request(table: Any, function: str, method: str, takes_method: bool) -> Request:
    """Read the script's request table.

    Raises:
        TypeError, ValueError: a field of the wrong type or value; the message names it.
    """
    url = table[b"Url"]
    if url is None:
        raise ValueError(f'{function} needs a Url field, e.g. {function}{{Url = "http://host/path"}}')
    url = text(url, f"{function}: Url").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"{function}: Url must be an http:// or https:// URL with a host, got '{mask_url(url)}'"
        )
    if takes_method and table[b"Method"] is not None:
        method = text(table[b"Method"], f"{function}: Method").strip().upper()
        if not _TOKEN.fullmatch(method):
            raise ValueError(f"{function}: Method must be an HTTP method such as GET or POST, got '{method}'")
    timeout = table[b"Timeout"]
    if timeout is None:
        timeout = DEFAULT_TIMEOUT
    elif type(timeout) not in (int, float) or not timeout > 0:
        shown = timeout if type(timeout) in (int, float) else lua_type(timeout)
        raise ValueError(f"{function}: Timeout must be a positive number of seconds, got {shown}")
    auth = table[b"Auth"]
    auth = "any" if auth is None else text(auth, f"{function}: Auth").lower()
    if auth not in AUTH_MODES:
        raise ValueError(f"{function}: Auth must be one of {', '.join(AUTH_MODES)}, got '{auth}'")
    user, password = table[b"User"], table[b"Password"]
    return Request(
        method=method,
        url=url,
        headers=_request_headers(table[b"Headers"], function),
        data=_body(table[b"Data"], function),
        timeout=float(timeout),
        user=None if user is None else text(user, f"{function}: User"),
        password="" if password is None else text(password, f"{function}: Password"),
        auth=auth,
    )


def _request_headers(headers: LuaValue, function: str) -> tuple[tuple[str, str], ...]:
    if headers is None:
        return ()
    if lua_type(headers) != "table":
        raise TypeError(f"{function}: Headers must be a table of names to values, got {lua_type(headers)}")
    pairs = []
    for name, value in headers.items():
        header = text(name, f"{function}: a header name")
        if not _TOKEN.fullmatch(header):
            raise ValueError(f"{function}: '{header}' is not a valid header name")
        values = value.values() if lua_type(value) == "table" else (value,)
        for item in values:
            line = text(item, f"{function}: header {header}")
            if "\r" in line or "\n" in line:
                raise ValueError(f"{function}: the value of header {header} holds a line break")
            pairs.append((header, line))
    return tuple(pairs)


def _body(data: LuaValue, function: str) -> bytes | None:
    if data is None or type(data) is bytes:
        return data
    if type(data) in (int, float):
        return str(data).encode()
    raise TypeError(f"{function}: Data must be a string, got {lua_type(data)}")


# The URL helpers: pure functions of their arguments.


def encode_string(value: LuaValue) -> bytes:
    """``HttpClient.EncodeString(text)``: every byte but letters, digits and ``-._~`` as ``%xx``
    (lowercase hex, as the Q-SYS help shows it).

    Raises:
        TypeError: not a string.
    """
    if type(value) in (int, float):
        value = str(value).encode()
    if type(value) is not bytes:
        raise TypeError(
            f"bad argument #1 to 'HttpClient.EncodeString' (string expected, got {lua_type(value)})"
        )
    return _percent(value).encode()


def _percent(value: bytes) -> str:
    return re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(value, safe=_UNRESERVED))


def decode_string(value: LuaValue) -> bytes:
    """``HttpClient.DecodeString(text)``: the bytes ``%xx`` escapes stand for (``+`` stays ``+``).

    Raises:
        TypeError: not a string.
    """
    if type(value) is not bytes:
        raise TypeError(
            f"bad argument #1 to 'HttpClient.DecodeString' (string expected, got {lua_type(value)})"
        )
    return unquote_to_bytes(value)


def encode_params(params: LuaValue) -> bytes:
    """``HttpClient.EncodeParams(table)``: ``name=value&...`` with both sides encoded, by name.

    Raises:
        TypeError: not a table of strings and numbers.
    """
    if lua_type(params) != "table":
        raise TypeError(
            f"bad argument #1 to 'HttpClient.EncodeParams' (table expected, got {lua_type(params)})"
        )
    pieces = []
    for name, value in params.items():
        if type(name) not in (bytes, int, float) or type(value) not in (bytes, int, float, bool):
            raise TypeError(
                "HttpClient.EncodeParams takes a table of names to strings or numbers, "
                f"got a {lua_type(name)} key and a {lua_type(value)} value"
            )
        if type(value) is bool:
            value = b"true" if value else b"false"
        pieces.append((encode_string(name), encode_string(value)))
    return b"&".join(name + b"=" + value for name, value in sorted(pieces))


def create_url(parts: LuaValue) -> bytes:
    """``HttpClient.CreateUrl{Host=, Port=, Path=, Query=}``: one encoded URL. Host may carry
    the scheme (``http://`` when it does not); Path is encoded but for its slashes; Query is a
    table (as EncodeParams) or an encoded string.

    Raises:
        TypeError, ValueError: no Host, or a part of the wrong type.
    """
    if lua_type(parts) != "table":
        raise TypeError(f"bad argument #1 to 'HttpClient.CreateUrl' (table expected, got {lua_type(parts)})")
    host = parts[b"Host"]
    if host is None:
        raise ValueError('HttpClient.CreateUrl needs a Host, e.g. {Host = "http://192.168.1.10"}')
    url = text(host, "HttpClient.CreateUrl: Host").rstrip("/")
    if "://" not in url:
        url = "http://" + url
    port = parts[b"Port"]
    if port is not None:
        number = int(text(port, "HttpClient.CreateUrl: Port")) if type(port) is bytes else port
        if type(number) is float and number.is_integer():
            number = int(number)
        if type(number) is not int or not 0 < number < 65536:
            raise ValueError(f"HttpClient.CreateUrl: Port must be 1-65535, got {port!r}")
        url += f":{number}"
    path = parts[b"Path"]
    if path is not None:
        segments = text(path, "HttpClient.CreateUrl: Path").lstrip("/").split("/")
        url += "/" + "/".join(_percent(segment.encode()) for segment in segments)
    query = parts[b"Query"]
    if query is not None:
        encoded = encode_params(query).decode() if lua_type(query) == "table" else text(query, "Query")
        if encoded:
            url += "?" + encoded
    return url.encode()
