"""The Q-SYS ``HttpClient`` in Lua scripts, against a real aiohttp server on 127.0.0.1 (port 0):
each method, headers both ways, bodies, failures as ``err`` strings, TLS, ordering with the
script's other callbacks, and nothing after stop."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from servers import LoopThread

from ws_widget import qsys
from ws_widget.demo.certs import CertificateFiles, make_certificates


@dataclass
class HttpServer:
    """The test server: its ports, the CA of its TLS site, and what its /hold handler saw."""

    port: int
    tls_port: int
    ca_file: Path
    held: threading.Event = field(default_factory=threading.Event)
    hold_cancelled: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


async def _start(server: HttpServer, certificates: CertificateFiles) -> web.AppRunner:
    async def echo(request: web.Request) -> web.Response:
        body = await request.read()
        reply = {
            "method": request.method,
            "path": request.path,
            "query": request.query_string,
            "headers": {name: request.headers.getall(name) for name in request.headers},
            "body": body.hex(),
        }
        response = web.json_response(reply, headers={"X-Reply": "yes"})
        response.headers.add("Set-Cookie", "a=1")
        response.headers.add("Set-Cookie", "b=2")
        return response

    async def status(request: web.Request) -> web.Response:
        code = int(request.match_info["code"])
        return web.Response(status=code, text=f"status {code}")

    async def sleep(request: web.Request) -> web.Response:
        await asyncio.sleep(float(request.query["s"]))
        return web.Response(text="late")

    async def hold(request: web.Request) -> web.Response:
        server.held.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            server.hold_cancelled.set()  # the client went away
            raise
        return web.Response(text="never")

    async def big(request: web.Request) -> web.Response:
        size = int(request.query["size"])
        return web.Response(body=bytes(range(256)) * (size // 256))

    async def basic(request: web.Request) -> web.Response:
        expected = "Basic " + base64.b64encode(b"admin:pa55").decode()
        if request.headers.get("Authorization") != expected:
            return web.Response(status=401, text="who?", headers={"WWW-Authenticate": 'Basic realm="test"'})
        return web.Response(text="welcome")

    app = web.Application()
    app.router.add_route("*", "/echo", echo)
    app.router.add_get("/status/{code}", status)
    app.router.add_get("/sleep", sleep)
    app.router.add_get("/hold", hold)
    app.router.add_get("/big", big)
    app.router.add_get("/basic", basic)
    runner = web.AppRunner(app, handler_cancellation=True)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    tls = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=certificates.server_context())
    await tls.start()
    (_, server.port, *_), (_, server.tls_port, *_) = runner.addresses
    return runner


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpServer]:
    certificates = make_certificates(tmp_path_factory.mktemp("certs"))
    server = HttpServer(port=0, tls_port=0, ca_file=certificates.ca_file)
    loop = LoopThread()
    runner = loop.run(_start(server, certificates))
    yield server
    loop.run(runner.cleanup())
    loop.stop()


def run(source: str, **options: Any) -> qsys.Script:
    """Run a script and wait until nothing of it is active."""
    script = qsys.run(source, **options)
    assert script.status == "running", script.errors
    assert script.wait(30)
    return script


def texts(script: qsys.Script) -> list[str]:
    """The Debug Output texts after Starting Script."""
    lines = [line.split("\t", 1)[1] for line in script.debug_output.lines]
    assert lines[0] == "Starting Script"
    return lines[1:]


REPLY = """
json = require("rapidjson")
function show(tbl, code, data, err, headers)
  print(tbl.Name, code, err)
  if code == 200 and (headers["Content-Type"] or ""):find("json") then
    local echo = json.decode(data)
    print(echo.method, echo.body, echo.query)
  else
    print(#data, data:sub(1, 40))
  end
end
"""


@pytest.mark.parametrize(
    ("call", "method"),
    [
        ("Get", "GET"),
        ("Post", "POST"),
        ("Put", "PUT"),
        ("Patch", "PATCH"),
        ("Delete", "DELETE"),
        ("Download", "GET"),
        ("Upload", "POST"),
    ],
)
def test_each_method_reaches_the_server(http: HttpServer, call: str, method: str) -> None:
    """Each HttpClient function sends its own method and hands the reply to the EventHandler."""
    script = run(
        REPLY + f'HttpClient.{call}{{Name = "{call}", Url = "{http.url("/echo?x=1")}", EventHandler = show}}'
    )
    assert texts(script) == [f"{call}\t200\tnil", f"{method}\t\tx=1"]


def test_download_and_upload_honour_method(http: HttpServer) -> None:
    """Download and Upload send the Method the table names; Get ignores one."""
    script = run(
        REPLY + f'HttpClient.Upload{{Name = "up", Url = "{http.url("/echo")}", Method = "put", Data = "x", '
        "EventHandler = show}\n"
        + f'HttpClient.Download{{Name = "down", Url = "{http.url("/echo")}", Method = "DELETE", '
        "EventHandler = show}\n"
    )
    lines = texts(script)
    assert sorted(zip(lines[::2], lines[1::2], strict=True)) == [
        ("down\t200\tnil", "DELETE\t\t"),
        ("up\t200\tnil", "PUT\t78\t"),
    ]


def test_headers_go_both_ways(http: HttpServer) -> None:
    """Request headers reach the server; response headers come back, a repeated one as a table."""
    script = run(
        'json = require("rapidjson")\n'
        f'HttpClient.Get{{Url = "{http.url("/echo")}", '
        'Headers = {["X-Device"] = "Core 110f", Accept = "application/json", ["X-Count"] = 3},\n'
        "EventHandler = function(tbl, code, data, err, headers)\n"
        "  local seen = json.decode(data).headers\n"
        '  print(seen["X-Device"][1], seen["Accept"][1], seen["X-Count"][1])\n'
        '  print(headers["X-Reply"], type(headers["Set-Cookie"]), table.concat(headers["Set-Cookie"], ","))\n'
        "end}"
    )
    assert texts(script) == ["Core 110f\tapplication/json\t3", "yes\ttable\ta=1,b=2"]


def test_a_post_body_arrives_byte_for_byte(http: HttpServer) -> None:
    """Data is sent as raw bytes, NULs and high bytes included."""
    script = run(
        REPLY
        + f'HttpClient.Post{{Name = "p", Url = "{http.url("/echo")}", '
        + 'Data = "a\\0b\\255", EventHandler = show}'
    )
    assert texts(script) == ["p\t200\tnil", "POST\t610062ff\t"]


def test_a_404_is_an_answer(http: HttpServer) -> None:
    """An HTTP error status comes as code with its body, and err nil."""
    script = run(
        REPLY + f'HttpClient.Get{{Name = "missing", Url = "{http.url("/status/404")}", EventHandler = show}}'
    )
    assert texts(script) == ["missing\t404\tnil", "10\tstatus 404"]


def test_a_timeout_is_an_err_string(http: HttpServer) -> None:
    """A server slower than Timeout gives code 0, empty data and err saying it timed out."""
    script = run(
        REPLY
        + f'HttpClient.Get{{Name = "slow", Url = "{http.url("/sleep?s=30")}", '
        + "Timeout = 0.2, EventHandler = show}"
    )
    head, body = texts(script)
    assert head.startswith("slow\t0\ttimed out after 0.2 s waiting for http://127.0.0.1:")
    assert body == "0\t"


def test_connection_refused_is_an_err_string() -> None:
    """A port nobody listens on gives code 0 and err naming the refusal."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = run(
        REPLY + f'HttpClient.Get{{Name = "r", Url = "http://127.0.0.1:{port}/", EventHandler = show}}'
    )
    assert texts(script)[0] == (
        f"r\t0\tconnection refused by 127.0.0.1:{port}: is the server running and listening on that port?"
    )


def test_a_large_body_arrives_whole(http: HttpServer) -> None:
    """An 8 MiB reply reaches the EventHandler as one Lua string of every byte."""
    size = 8 * 2**20
    script = run(
        f'HttpClient.Get{{Url = "{http.url(f"/big?size={size}")}", EventHandler = function(t, code, data)\n'
        "  print(code, #data, data:byte(1), data:byte(256), data:byte(#data))\n"
        "end}"
    )
    assert texts(script) == [f"200\t{size}\t0\t255\t255"]


def test_the_handler_gets_the_scripts_own_table(http: HttpServer) -> None:
    """tbl is the very table passed to the call, with the script's own fields."""
    script = run(
        f'local request = {{Url = "{http.url("/status/204")}", Cue = 7}}\n'
        "request.EventHandler = function(tbl, code) print(tbl == request, tbl.Cue, code) end\n"
        "HttpClient.Get(request)"
    )
    assert texts(script) == ["true\t7\t204"]


def test_callbacks_run_one_at_a_time_with_the_scripts_others(http: HttpServer) -> None:
    """A timer ticking fast never runs inside the EventHandler: callbacks take turns on one lane."""
    script = run(
        "ticks = 0\n"
        "t = Timer.New()\n"
        't.EventHandler = function() ticks = ticks + 1 print("tick") end\n'
        "t:Start(0.001)\n"
        f'HttpClient.Get{{Url = "{http.url("/sleep?s=0.2")}", EventHandler = function()\n'
        '  print("begin", ticks > 0)\n'
        "  local n = 0 for i = 1, 3000000 do n = n + i end\n"
        '  print("end")\n'
        '  Timer.CallAfter(function() t:Stop() print("stopped") end, 0.05)\n'
        "end}"
    )
    lines = texts(script)
    begin = lines.index("begin\ttrue")
    assert lines[begin + 1] == "end"
    assert "tick" in lines[begin + 2 :]
    assert "stopped" in lines[begin + 2 :]


def test_replies_come_in_arrival_order(http: HttpServer) -> None:
    """A fast reply asked for after a slow one runs its EventHandler first."""
    script = run(
        f'HttpClient.Get{{Url = "{http.url("/sleep?s=0.5")}", EventHandler = function() print("slow") end}}\n'
        f'HttpClient.Get{{Url = "{http.url("/status/200")}", EventHandler = function() print("fast") end}}'
    )
    assert texts(script) == ["fast", "slow"]


def test_wait_waits_for_pending_requests(http: HttpServer) -> None:
    """script.wait() returns only once the EventHandler of a pending request has run."""
    script = qsys.run(
        f'HttpClient.Get{{Url = "{http.url("/sleep?s=0.3")}", '
        "EventHandler = function(t, code, data) print(data) end}"
    )
    assert script.wait(30)
    assert texts(script) == ["late"]


def test_no_callback_after_stop(http: HttpServer) -> None:
    """Stopping the script cancels its pending request: the server sees the client leave, no handler runs."""
    http.held.clear()
    http.hold_cancelled.clear()
    script = qsys.run(
        f'HttpClient.Get{{Url = "{http.url("/hold")}", '
        'EventHandler = function() print("reply") end}\nprint("sent")'
    )
    assert http.held.wait(10)
    assert script.active
    script.stop()
    assert http.hold_cancelled.wait(10)
    assert not script.active
    assert texts(script) == ["sent"]


def test_without_an_event_handler_the_request_still_goes(http: HttpServer) -> None:
    """A fire-and-forget request reaches the server and nothing is reported."""
    script = run(f'HttpClient.Put{{Url = "{http.url("/echo")}", Data = "on"}}\nprint("sent")')
    assert texts(script) == ["sent"]
    assert script.errors == []


def test_basic_auth(http: HttpServer) -> None:
    """User and Password log in with Auth = "basic", and with the default "any" after a Basic challenge."""
    script = run(
        "function show(tbl, code, data) print(tbl.Auth, code, data) end\n"
        f'HttpClient.Get{{Url = "{http.url("/basic")}", User = "admin", Password = "pa55", Auth = "basic", '
        "EventHandler = show}\n"
    )
    script2 = run(
        "function show(tbl, code, data) print(tbl.Auth, code, data) end\n"
        f'HttpClient.Get{{Url = "{http.url("/basic")}", User = "admin", Password = "pa55", '
        "EventHandler = show}\n"
    )
    script3 = run(
        "function show(tbl, code, data) print(tbl.Auth, code, data) end\n"
        f'HttpClient.Get{{Url = "{http.url("/basic")}", User = "admin", Password = "wrong", '
        "EventHandler = show}\n"
    )
    assert texts(script) == ["basic\t200\twelcome"]
    assert texts(script2) == ["nil\t200\twelcome"]
    assert texts(script3) == ["nil\t401\twho?"]


def test_tls_is_verified_by_default(http: HttpServer) -> None:
    """A self-signed https server fails with err saying how to opt out; ca= or verify=False reach it."""
    source = (
        f'HttpClient.Get{{Url = "https://127.0.0.1:{http.tls_port}/status/200", '
        "EventHandler = function(t, code, data, err) print(code, err or data) end}"
    )
    (refused,) = texts(run(source))
    assert refused.startswith(
        f"0\tTLS certificate verification failed for https://127.0.0.1:{http.tls_port}/"
    )
    assert "verify=False in qsys.run, --insecure for %%qsys and the command" in refused
    assert texts(run(source, ca=str(http.ca_file))) == ["200\tstatus 200"]
    assert texts(run(source, verify=False)) == ["200\tstatus 200"]


def test_secrets_are_masked_in_errors_and_headers_never_logged() -> None:
    """A token in the Url is masked in err; an Authorization header appears nowhere in Debug Output."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = run(
        f'HttpClient.Get{{Url = "http://127.0.0.1:{port}/api?token=s3cr3t", Timeout = 0.5, '
        'Headers = {Authorization = "Bearer s3cr3t"},\n'
        "EventHandler = function(t, code, data, err) print(err) end}\n"
        'print(pcall(HttpClient.Get, {Url = "ftp://h/x?password=s3cr3t"}))'
    )
    lines = texts(script)
    assert (
        lines[0]
        == "false\tHttpClient.Get: Url must be an http:// or https:// URL with a host, got 'ftp://h/x?password=****'"
    )
    assert all("s3cr3t" not in line for line in lines)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ('HttpClient.Get("http://h/")', "bad argument #1 to 'HttpClient.Get' (table expected, got string)"),
        (
            "HttpClient.Post{Data = 'x'}",
            'HttpClient.Post needs a Url field, e.g. HttpClient.Post{Url = "http://host/path"}',
        ),
        (
            "HttpClient.Get{Url = 'http://h/', Timeout = -1}",
            "HttpClient.Get: Timeout must be a positive number of seconds, got -1",
        ),
        (
            "HttpClient.Get{Url = 'http://h/', EventHandler = 'done'}",
            "HttpClient.Get: EventHandler must be a function, got string",
        ),
        (
            "HttpClient.Get{Url = 'http://h/', Headers = 'x'}",
            "HttpClient.Get: Headers must be a table of names to values, got string",
        ),
        (
            "HttpClient.Get{Url = 'http://h/', Auth = 'ntlm'}",
            "HttpClient.Get: Auth must be one of any, basic, digest, got 'ntlm'",
        ),
        (
            "HttpClient.Upload{Url = 'http://h/', Method = 'GE T'}",
            "HttpClient.Upload: Method must be an HTTP method such as GET or POST, got 'GE T'",
        ),
        ("HttpClient.Put{Url = 'http://h/', Data = {}}", "HttpClient.Put: Data must be a string, got table"),
    ],
)
def test_bad_arguments_are_lua_errors_at_the_scripts_line(call: str, message: str) -> None:
    """A request that cannot be made fails at the script's line, naming the field."""
    script = qsys.run(f"local x = 1\n{call}")
    assert script.status == "failed"
    assert script.errors[0].splitlines()[0] == f'[string "script"]:2: {message}'


def test_url_helpers_match_the_help() -> None:
    """EncodeString, EncodeParams, DecodeString and CreateUrl give the Q-SYS help's examples."""
    script = run(
        'print(HttpClient.EncodeString("this is | some test"))\n'
        'print(HttpClient.DecodeString("this%20is%20%7c%20some%20test"))\n'
        'print(HttpClient.EncodeParams({["name with space"] = "blue", term = "hello | there"}))\n'
        'print(HttpClient.CreateUrl({Host = "http://www.go.com", Path = "this/is/a/path with space",\n'
        '  Query = {["name with space"] = "blue", term = "hello | there"}}))\n'
        'print(HttpClient.CreateUrl({Host = "192.168.1.10", Port = 8080, Path = "/api/v1", Query = "a=1"}))\n'
        'print(HttpClient.EncodeString("a-b_c.d~e/f?g&h=\\0"),\n'
        '  HttpClient.DecodeString("%00%41+%zz"):byte(1, -1))'
    )
    assert texts(script) == [
        "this%20is%20%7c%20some%20test",
        "this is | some test",
        "name%20with%20space=blue&term=hello%20%7c%20there",
        "http://www.go.com/this/is/a/path%20with%20space?name%20with%20space=blue&term=hello%20%7c%20there",
        "http://192.168.1.10:8080/api/v1?a=1",
        "a-b_c.d~e%2ff%3fg%26h%3d%00\t0\t65\t43\t37\t122\t122",
    ]


def test_json_body_round_trip(http: HttpServer) -> None:
    """A rapidjson-encoded POST body with a Content-Type arrives as the server parses it."""
    script = run(
        'json = require("rapidjson")\n'
        f'HttpClient.Post{{Url = "{http.url("/echo")}",\n'
        '  Headers = {["Content-Type"] = "application/json"},\n'
        '  Data = json.encode({cmd = "mute", on = true}), EventHandler = function(t, code, data)\n'
        "    local echo = json.decode(data)\n"
        "    print(echo.headers['Content-Type'][1], echo.body)\n"
        "  end}"
    )
    (line,) = texts(script)
    content_type, body = line.split("\t")
    assert content_type == "application/json"
    assert json.loads(bytes.fromhex(body)) == {"cmd": "mute", "on": True}
