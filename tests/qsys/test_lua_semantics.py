"""Q-SYS execution semantics of a Lua script over real loopback servers: the seed's examples,
errors with their lines, runaway calls, ordering, stop and restart, TLS and secrets."""

from __future__ import annotations

import json
import ssl
import threading
import time

import pytest
import trustme
from luascripts import output, wait_output
from servers import WebsocketsServer

from ws_widget import State
from ws_widget.exceptions import ScriptError

SEED = """
ws = WebSocket.New()
print(ws)
ws.Connected = function(ws) print("Connected") end
ws.Data = function(ws, data) print("Data", data) end
ws.Error = function(ws, err) print("Error", err) end
ws.Closed = function(ws) print("closed") end
ws.Pong = function(ws) print("pong") end
ws:Connect("ws", "127.0.0.1", "/echo", PORT, nil, {Authorization = "Bearer my-auth-token"})
t = Timer.New()
t.EventHandler = function(timer) ws:Ping() end
ws.Connected = function(ws) print("Connected") ws:Write("Hey!") t:Start(0.05) end
"""


def until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_the_seed_example_prints_what_the_seed_says(lua, server):
    """The seed's socket prints websocket, Connected, Data Hey! and pong, after Starting Script."""
    script = lua.run(SEED.replace("PORT", str(server.port)))
    texts = wait_output(script, "pong")
    assert texts[:2] == ["Starting Script", "websocket"]
    assert "Connected" in texts and "Data\tHey!" in texts


def test_port_as_a_string_and_a_url_without_its_slash(lua, server):
    """Connect takes the port as a numeric string and the url without its leading slash."""
    script = lua.run(f"""
        ws = WebSocket.New()
        ws.Data = function(ws, data) print("Data", data) end
        ws.Connected = function(ws) ws:Write("hi") end
        ws:Connect("ws", "127.0.0.1", "echo", "{server.port}")
    """)
    wait_output(script, "Data\thi")
    assert script.sockets[0].url == f"ws://127.0.0.1:{server.port}/echo"


def test_binary_data_is_a_lua_string_of_raw_bytes(lua, server):
    """A binary Write with NUL and 0xFF bytes comes back as the same Lua string."""
    script = lua.run(f"""
        ws = WebSocket.New()
        ws.Data = function(ws, data) print(#data, data:byte(1, -1)) end
        ws.Connected = function(ws) ws:Write("\\0\\255\\1", true) ws:Write("é") end
        ws:Connect("ws", "127.0.0.1", "/echo", {server.port})
    """)
    texts = wait_output(script, "2\t195\t169")  # "é" as its two UTF-8 bytes
    assert "3\t0\t255\t1" in texts
    assert [r.kind for r in script.sockets[0].history if r.direction == "in"][:2] == ["binary", "text"]


def test_close_when_not_connected_is_no_error(lua):
    """ws:Close() on a never connected socket does nothing, as on a Core."""
    script = lua.run('ws = WebSocket.New() ws:Close() print("after")')
    assert output(script)[-1] == "after" and not script.errors


def test_a_method_called_with_a_dot_says_to_use_a_colon(lua):
    """ws.Write("x") without the colon explains the mistake at the script's line."""
    script = lua.run('ws = WebSocket.New()\nws.Write("x")')
    assert script.status == "failed"
    assert (
        '[string "script"]:2: WebSocket.Write needs the socket: call it as ws:Write(...)' in script.errors[0]
    )


def test_error_in_a_callback_names_chunk_line_and_traceback_and_the_script_goes_on(lua, server):
    """A Lua error in Data is reported with its line and traceback; the next Data still runs."""
    script = lua.run(f"""
        ws = WebSocket.New()
        count = 0
        ws.Data = function(ws, data)
          count = count + 1
          if count == 1 then
            local cue = nil
            print(cue.Name)
          end
          print("Data", data)
        end
        ws.Connected = function(ws) ws:Write("one") ws:Write("two") end
        ws:Connect("ws", "127.0.0.1", "/echo", {server.port})
    """)
    texts = wait_output(script, "Data\ttwo")
    error = script.errors[0]
    assert error.startswith("[string \"script\"]:8: attempt to index a nil value (local 'cue')")
    assert error.endswith('stack traceback:\n\t[string "script"]:8: in function <[string "script"]:4>')
    assert "Data\tone" not in texts  # the failing call stopped at its error


def test_syntax_error_fails_to_start(lua):
    """A syntax error is reported with its line; the script does not start and check() raises."""
    script = lua.run('print("a")\nx = = 1')
    assert script.status == "failed"
    assert output(script) == ["Starting Script", "[string \"script\"]:2: unexpected symbol near '='"]
    with pytest.raises(ScriptError, match="unexpected symbol"):
        script.check()


def test_error_in_the_main_chunk_fails_to_start_and_closes_what_it_opened(lua, server):
    """An error after Connect in the main chunk stops the script: its socket is closed."""
    script = lua.run(f"""
        ws = WebSocket.New()
        ws:Connect("ws", "127.0.0.1", "/echo", {server.port})
        error("no config")
    """)
    assert script.status == "failed" and "no config" in script.errors[0]
    assert script.wait(5) and not script.active


def test_a_runaway_call_is_stopped_while_another_socket_keeps_echoing(lua, server, bystander):
    """while true do end in one socket's Data ends with Max execution limits exceeded, four
    times; meanwhile the I/O loop serves a bystander, and afterwards the script's other socket
    still echoes."""
    script = lua.run(f"""
        spinner, echo = WebSocket.New(), WebSocket.New()
        spinner.Connected = function(ws) for i = 1, 4 do ws:Write("spin") end end
        spinner.Data = function(ws, data) while true do end end
        replies = 0
        echo.Data = function(ws, data) replies = replies + 1 print("reply", replies) end
        writer = Timer.New()
        writer.EventHandler = function() echo:Write("x") end
        echo.Connected = function() writer:Start(0.05) end
        echo:Connect("ws", "127.0.0.1", "/echo", {server.port})
        spinner:Connect("ws", "127.0.0.1", "/echo", {server.port})
    """)
    with bystander.busy():
        wait_output(script, "Max execution limits exceeded")
        bystander.more_round_trips(3)  # while the later runaway calls run
        until(lambda: sum("Max execution limits exceeded" in e for e in script.errors) == 4)
    assert all(e.startswith('[string "script"]:4: Max execution limits exceeded') for e in script.errors)
    seen = sum(line.startswith("reply") for line in output(script))
    until(lambda: sum(line.startswith("reply") for line in output(script)) >= seen + 3)
    assert script.status == "running"


def test_callbacks_of_two_sockets_and_a_timer_run_one_at_a_time_in_order_off_the_io_loop(lua, server):
    """Across two sockets and a timer, no callback overlaps another, each socket's messages
    arrive in order, and none runs on the I/O loop's thread."""
    threads = set()
    script = lua.run(f"""
        busy, overlaps, order = false, 0, {{a = {{}}, b = {{}}}}
        local function enter() if busy then overlaps = overlaps + 1 end busy = true end
        local function leave() busy = false end
        for _, name in ipairs({{"a", "b"}}) do
          local ws = WebSocket.New()
          ws.Data = function(ws, data)
            enter()
            order[name][#order[name] + 1] = tonumber(data:sub(1, 8))
            local x = 0 for i = 1, 2000 do x = x + i end
            leave()
          end
          ws:Connect("ws", "127.0.0.1", "/numbered?n=300&size=16", {server.port})
        end
        ticks = 0
        t = Timer.New()
        t.EventHandler = function() enter() ticks = ticks + 1 leave() end
        t:Start(0.005)
        done = Timer.New()
        done.EventHandler = function()
          if #order.a == 300 and #order.b == 300 and ticks > 3 then
            local sorted = true
            for _, name in ipairs({{"a", "b"}}) do
              for i, n in ipairs(order[name]) do if n ~= i - 1 then sorted = false end end
            end
            print("done", overlaps, sorted)
            t:Stop() done:Stop()
          end
        end
        done:Start(0.05)
    """)
    script.debug_output.listeners.append(lambda line: threads.add(threading.current_thread().name))
    texts = wait_output(script, "done\t")
    assert texts[-1] == "done\t0\ttrue"
    assert threads and "ws_widget-io" not in threads
    assert all(name.startswith("ws_widget-events") for name in threads)


def test_stop_closes_sockets_with_1001_and_stops_timers(lua):
    """stop() closes the script's sockets with 1001 (going away) and stops its timers."""
    own = WebsocketsServer()
    try:
        script = lua.run(f"""
            ws = WebSocket.New()
            ws.Connected = function() print("Connected") end
            ws:Connect("ws", "127.0.0.1", "/echo", {own.port})
            t = Timer.New() t.EventHandler = function() end t:Start(10)
        """)
        wait_output(script, "Connected")
        ws, timer = script.sockets[0], script.timers[0]
        script.stop()
        until(lambda: own.close_codes == [1001])
        assert ws.state is State.CLOSED and not timer.IsRunning()
        assert script.status == "stopped" and not script.active
    finally:
        own.close()


def test_restart_starts_over_in_a_fresh_state(lua, server):
    """start() again prints Starting Script once more, in a fresh state, old sockets closed."""
    script = lua.run(f"""
        runs = (runs or 0) + 1
        print("run", runs)
        ws = WebSocket.New()
        ws:Connect("ws", "127.0.0.1", "/echo", {server.port})
    """)
    first = script.sockets[0]
    script.start()
    assert output(script) == ["Starting Script", "run\t1", "Starting Script", "run\t1"]
    until(lambda: first.state is State.CLOSED)
    assert len(script.sockets) == 1 and script.sockets[0] is not first


def test_wait_returns_once_nothing_is_active(lua, server):
    """wait() returns when the script's socket closed and its timers stopped."""
    script = lua.run(f"""
        ws = WebSocket.New()
        ws.Connected = function(ws) Timer.CallAfter(function() ws:Close() end, 0.05) end
        ws.Closed = function() print("closed") end
        ws:Connect("ws", "127.0.0.1", "/echo", {server.port})
    """)
    assert script.wait(10)
    assert output(script)[-1] == "closed"


def test_secrets_in_lua_headers_are_masked_everywhere(lua, server):
    """A Lua Authorization header is sent but masked in the URL, handshake, history and widget."""
    script = lua.run(f"""
        ws = WebSocket.New()
        ws.Data = function(ws, data) print("got headers") received = data end
        ws:Connect("ws", "127.0.0.1", "/headers", {server.port}, nil,
                   {{Authorization = "Bearer s3cr3t-token"}})
    """)
    wait_output(script, "got headers")
    ws = script.sockets[0]
    sent = json.loads(next(r.payload for r in ws.history if r.direction == "in"))
    assert sent["Authorization"] == "Bearer s3cr3t-token"  # the server did get it
    shown = [repr(ws), str(ws.handshake), "\n".join(output(script)), str(ws.widget.get_state())]
    shown += [str(r.info) for r in ws.history if r.direction == "event"]
    assert not any("s3cr3t-token" in text for text in shown)


@pytest.fixture(scope="module")
def tls_server():
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server = WebsocketsServer(ssl_context=context)
    yield ca, server
    server.close()


def test_tls_is_verified_and_the_error_says_how_to_opt_out(lua, tls_server):
    """A self-signed wss server is refused; Error says a Core would not verify and names the options."""
    _ca, server = tls_server
    script = lua.run(f"""
        ws = WebSocket.New()
        ws.Error = function(ws, err) print("Error", err) end
        ws:Connect("wss", "127.0.0.1", "/echo", {server.port})
    """)
    text = wait_output(script, "Error\t")[-1]
    assert "certificate" in text and "Q-SYS Core does not verify" in text
    assert "verify=False" in text and "--insecure" in text and "ca=" in text


def test_tls_with_the_device_ca_or_verify_false_connects(lua, tls_server, tmp_path):
    """ca= trusts the device's certificate; verify=False connects too."""
    ca, server = tls_server
    pem = tmp_path / "device.pem"
    ca.cert_pem.write_to_path(str(pem))
    source = f"""
        ws = WebSocket.New()
        ws.Connected = function() print("Connected") end
        ws:Connect("wss", "127.0.0.1", "/echo", {server.port})
    """
    wait_output(lua.run(source, ca=str(pem)), "Connected")
    with pytest.warns(Warning, match="NOT verified"):
        script = lua.run(source, verify=False)
    wait_output(script, "Connected")


def test_an_error_without_an_error_callback_shows_in_debug_output(lua):
    """A refused connection with no Error callback is still reported in Debug Output."""
    script = lua.run('ws = WebSocket.New() ws:Connect("ws", "127.0.0.1", "/", 1)')
    assert "WebSocket error (the script sets no Error callback)" in wait_output(script, "WebSocket error")[-1]


def test_print_follows_lua_rules(lua):
    """print joins tostring of each argument with tabs, one Debug Output line per line."""
    script = lua.run('print(1, nil, true, 2.5, "a\\nb") print() print(WebSocket.New())')
    assert output(script)[1:] == ["1\tnil\ttrue\t2.5\ta", "b", "", "websocket"]
    stamp = script.debug_output.lines[1].split("\t")[0]
    assert len(stamp) == 23 and stamp[10] == "T" and stamp[19] == "."


def test_timer_semantics(lua):
    """Start repeats and restarts, Stop inside the handler ends it, IsRunning, CallAfter, Now."""
    script = lua.run("""
        n = 0
        t = Timer.New()
        t.EventHandler = function(timer)
          n = n + 1
          if n == 3 then timer:Stop() print("stopped", timer:IsRunning()) end
        end
        t:Start(10)
        t:Start(0.02)
        print("running", t:IsRunning(), type(Timer.Now()), math.abs(Timer.Now() - os.time()) < 2)
        Timer.CallAfter(function() print("after", n >= 3) end, 0.25)
    """)
    texts = wait_output(script, "after")
    assert texts[1] == "running\ttrue\tnumber\ttrue"
    assert "stopped\tfalse" in texts and texts[-1] == "after\ttrue"
    assert script.wait(5)
