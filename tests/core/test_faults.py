"""Fault tests (issue 7, items 2 and 3): a server process killed mid-stream, killed and restarted
on the same port under auto-reconnect, a half-open path (a proxy black hole) found by keepalive,
a short black hole that loses nothing, and a connection cut in the middle of a frame.

The server is a separate Python process (``SEQ_SERVER``) that streams numbered messages
``seq N``, so every test can check that the messages the client received are in its history,
in order, with no gap. A :class:`proxy.Proxy` between client and server makes the network
faults. Throughout each fault a *bystander* connection (``conftest.py``) makes echo round trips
on the same I/O loop and event thread. Timing is asserted only as generous upper bounds.
One test is a strict expected failure until a keepalive timeout stops waiting ``close_timeout``
for the close frame of a peer that no longer answers.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time

import pytest
from proxy import DOWN, UP, Proxy
from websockets.exceptions import ConnectionClosedError

from ws_widget import State, WebSocket
from ws_widget.pure.options import ReconnectPolicy

# The server's first message from the client says what to stream: "from N" (endless, about
# 2,000 messages a second) or "from N to M"; "big" later asks for one 64 KiB binary message.
SEQ_SERVER = r"""
import asyncio, sys
from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

BIG = bytes(range(256)) * 256

async def handler(connection):
    words = (await connection.recv()).split()
    start, end = int(words[1]), (int(words[3]) if len(words) > 3 else None)

    async def stream():
        number = start
        while end is None or number < end:
            await connection.send(f"seq {number}")
            number += 1
            if number % 10 == 0:
                await asyncio.sleep(0.005)

    streaming = asyncio.create_task(stream())
    try:
        async for message in connection:
            if message == "big":
                await connection.send(BIG)
        await streaming
    except ConnectionClosed:
        pass
    finally:
        streaming.cancel()

async def main(port):
    async with serve(handler, "127.0.0.1", port, ping_interval=None, max_size=None) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()

asyncio.run(main(int(sys.argv[1])))
"""
BIG_FRAME_HEADER = 10  # FIN+opcode, length 127, 8-byte extended length: a 64 KiB payload
LOST = r"connection lost without a closing handshake \(1006 abnormal closure\): the peer went away"
KEEPALIVE = (
    r"no pong to a keepalive ping within ping_timeout \(1011 keepalive ping timeout\): "
    r"the peer or the network stopped answering"
)
FAST = ReconnectPolicy(initial=0.05, factor=2.0, max_delay=0.2, jitter=0.5)


class SeqServer:
    """The ``SEQ_SERVER`` script in a process of its own, on ``port`` (0: any free port)."""

    def __init__(self, port: int = 0):
        self.process = subprocess.Popen(
            [sys.executable, "-c", SEQ_SERVER, str(port)], stdout=subprocess.PIPE, text=True
        )
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(10)
            raise RuntimeError(
                f"the sequence server did not start on port {port} (exit status {self.process.returncode})"
            )
        self.port = int(line)

    def kill(self) -> None:
        """SIGKILL: no close frame, no FIN from the application, no cleanup of any kind."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        assert self.process.returncode == -signal.SIGKILL

    def stop(self) -> None:
        if self.process.poll() is None:
            self.kill()
        self.process.stdout.close()


@pytest.fixture
def seq_servers():
    """Start sequence servers with ``seq_servers(port=0)``; all are killed at the end."""
    started: list[SeqServer] = []

    def start(port: int = 0) -> SeqServer:
        started.append(SeqServer(port))
        return started[-1]

    yield start
    for instance in started:
        instance.stop()


def wait_until(predicate, what: str, timeout: float = 15.0) -> None:
    """Poll ``predicate`` until it holds; fail after ``timeout`` seconds saying ``what``."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.005)


def numbers(ws) -> list[int]:
    """The sequence numbers of the ``seq N`` messages received, in history order."""
    found = []
    for record in ws.history:
        if record.direction == "in" and record.kind == "text":
            match = re.fullmatch(r"seq (\d+)", record.payload)
            if match is None:
                pytest.fail(f"not a sequence message: {record!r}")
            found.append(int(match[1]))
    return found


def assert_no_gaps(got: list[int], first: int = 0) -> None:
    """``got`` is first, first+1, ... with nothing missing, repeated or out of order."""
    expected = list(range(first, first + len(got)))
    if got != expected:
        at = next(i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b)
        pytest.fail(f"sequence broken at index {at}: ... {got[max(0, at - 3) : at + 3]} ...")


def shape(ws) -> str:
    """The history as one line, runs collapsed: ``open out:text in:text×120 error close``."""
    runs: list[list] = []
    for record in ws.history:
        token = f"{record.direction}:{record.kind}" if record.is_message else record.kind
        if runs and runs[-1][0] == token:
            runs[-1][1] += 1
        else:
            runs.append([token, 1])
    return " ".join(token if count == 1 else f"{token}×{count}" for token, count in runs)


def errors(recorder) -> list[str]:
    return [event[1] for event in recorder.events if event[0] == "Error"]


def settle(ws) -> None:
    """Wait until the socket's callbacks ran, then a little more, so that a late callback
    (a second Closed, which must never come) would be seen."""
    wait_until(lambda: ws.pending_callbacks == 0, "the callbacks to run")
    time.sleep(0.1)


def close_record(ws) -> dict:
    (record,) = [record for record in ws.history if record.kind == "close"]
    return record.info


def streaming(recorder, port: int, request: str = "from 0", **options) -> WebSocket:
    """A socket asking the server on ``port`` for numbered messages (``request``), recorded by
    ``recorder``; ``options`` go to Connect."""
    ws = WebSocket.New()
    recorder.attach(ws)
    ws.send_on_connect(request)
    ws.Connect("ws", "127.0.0.1", "/", port, **options)
    return ws


def test_server_killed_mid_stream(seq_servers, recorder, bystander):
    """A server killed mid-stream gives Error then Closed (1006) and keeps every message received."""
    server = seq_servers()
    ws = streaming(recorder, server.port)
    with bystander.busy():
        wait_until(lambda: ws.stats["messages_in"] >= 200, "200 messages")
        server.kill()  # mid-stream: about 2,000 messages a second are on their way
        bystander.more_round_trips(3)
        recorder.wait_closed(10)
    settle(ws)
    received = numbers(ws)
    assert_no_gaps(received)
    assert len(received) >= 200
    assert recorder.names() == ["Connected"] + ["Data"] * len(received) + ["Error", "Closed"]
    assert recorder.data() == [f"seq {n}" for n in received]
    (text,) = errors(recorder)
    assert re.fullmatch(LOST, text)
    assert ws.state is State.CLOSED and ws.close_code == 1006 and ws.close_reason == ""
    assert isinstance(ws.last_error, ConnectionClosedError)
    assert ws.last_error.rcvd is None and ws.last_error.sent is None
    assert shape(ws) == f"open out:text in:text×{len(received)} error close"
    assert close_record(ws) == {
        "code": 1006,
        "meaning": "abnormal closure [internal]",
        "reason": "",
        "initiator": "client",
        "clean": False,
    }


def test_server_killed_and_restarted_on_the_same_port(seq_servers, recorder, bystander):
    """A server killed and restarted on its port is reconnected to, and no message received is missing."""
    first = seq_servers()
    ws = streaming(recorder, first.port, reconnect=FAST)
    with bystander.busy():
        wait_until(lambda: ws.stats["messages_in"] >= 200, "200 messages")
        first.kill()
        recorder.wait_closed(10)
        wait_until(lambda: len(errors(recorder)) >= 2, "a refused reconnect attempt")
        bystander.more_round_trips(3)  # while the client retries a dead port
        before = numbers(ws)
        ws.connect_messages.clear()  # resubscribe from the first number the client lacks
        ws.send_on_connect(f"from {before[-1] + 1}")
        seq_servers(port=first.port)  # SO_REUSEADDR: the port the client retries
        wait_until(lambda: ws.stats["messages_in"] >= len(before) + 200, "200 messages after the restart")
        ws.close()
    settle(ws)
    received = numbers(ws)
    assert_no_gaps(received)
    assert_no_gaps(before)
    assert received[: len(before)] == before  # nothing received before the kill went missing
    lost, refused = errors(recorder)[0], errors(recorder)[1:]
    assert re.fullmatch(LOST, lost)
    refusal = (
        rf"connection refused by 127\.0\.0\.1:{first.port}: "
        r"is the server running and listening on that port\?"
    )
    assert refused and all(re.fullmatch(refusal, text) for text in refused)
    names = " ".join(name for name in recorder.names() if name != "Data")
    assert names == "Connected Error Closed " + "Error Closed " * len(refused) + "Connected Closed"
    assert recorder.data() == [f"seq {n}" for n in received]
    assert ws.state is State.CLOSED and ws.close_code == 1000 and ws.last_error is None
    assert ws.reconnecting is None
    after = len(received) - len(before)
    expected = (
        rf"open out:text in:text×{len(before)} error close reconnect "
        rf"(error reconnect ){{{len(refused)}}}open out:text in:text×{after} close"
    )
    assert re.fullmatch(expected, shape(ws)), shape(ws)
    retries = [record.info["retry"] for record in ws.history if record.kind == "reconnect"]
    assert retries == list(range(1, len(refused) + 2))  # the count grows while refused
    assert [r.payload for r in ws.history if r.direction == "out"] == ["from 0", f"from {before[-1] + 1}"]


def test_black_hole_is_found_by_keepalive(seq_servers, recorder, bystander):
    """A half-open path (proxy black hole) is reported as a keepalive timeout (1011) at once, then Closed."""
    server = seq_servers()
    with Proxy(server.port) as proxy:
        ws = streaming(recorder, proxy.port, ping_interval=0.3, ping_timeout=0.3, close_timeout=3)
        with bystander.busy():
            wait_until(lambda: ws.stats["messages_in"] >= 200, "200 messages")
            proxy.black_hole()
            started = time.monotonic()
            bystander.more_round_trips(3)  # while the path is dead and the client waits for a pong
            recorder.wait_closed(10)
            took = time.monotonic() - started
        assert proxy.held[UP] > 0 and proxy.held[DOWN] > 0  # a ping and the stream were swallowed
        assert proxy.connections == 1
    settle(ws)
    # Found within ping_interval + ping_timeout (0.6 s), with slack for a busy machine, and without
    # waiting close_timeout (3 s) for a close frame from a peer that stopped answering.
    assert took < 2.5
    received = numbers(ws)
    assert_no_gaps(received)
    assert len(received) >= 200
    assert recorder.names() == ["Connected"] + ["Data"] * len(received) + ["Error", "Closed"]
    (text,) = errors(recorder)
    assert re.fullmatch(KEEPALIVE, text)
    assert ws.state is State.CLOSED and ws.close_code == 1006  # the peer's close frame never came
    assert isinstance(ws.last_error, ConnectionClosedError) and ws.last_error.rcvd is None
    assert (ws.last_error.sent.code, ws.last_error.sent.reason) == (1011, "keepalive ping timeout")
    assert shape(ws) == f"open out:text in:text×{len(received)} error close"
    assert close_record(ws) == {
        "code": 1006,
        "meaning": "abnormal closure [internal]",
        "reason": "",
        "initiator": "client",
        "clean": False,
    }


def test_short_black_hole_then_resume_loses_nothing(seq_servers, recorder, bystander):
    """A black hole shorter than the keepalive window, then resume(): the stream goes on, complete."""
    server = seq_servers()
    with Proxy(server.port) as proxy:
        ws = streaming(recorder, proxy.port, ping_interval=0.3, ping_timeout=5)
        with bystander.busy():
            wait_until(lambda: ws.stats["messages_in"] >= 200, "200 messages")
            proxy.black_hole()
            # Held until a keepalive ping (every 0.3 s) and stream data are stuck in the hole.
            wait_until(lambda: proxy.held[UP] > 0 and proxy.held[DOWN] > 0, "a ping and data in the hole")
            bystander.more_round_trips(3)
            during = ws.stats["messages_in"]
            proxy.resume()
            wait_until(lambda: ws.stats["messages_in"] >= during + 500, "500 messages after resume()")
            assert ws.state is State.OPEN
            ws.close()
        assert proxy.held == {UP: 0, DOWN: 0} and proxy.connections == 1
    settle(ws)
    received = numbers(ws)
    assert_no_gaps(received)
    assert recorder.names() == ["Connected"] + ["Data"] * len(received) + ["Closed"]
    assert recorder.data() == [f"seq {n}" for n in received]
    assert ws.state is State.CLOSED and ws.close_code == 1000 and ws.last_error is None
    assert shape(ws) == f"open out:text in:text×{len(received)} close"
    assert close_record(ws)["clean"] is True


def test_connection_cut_in_the_middle_of_a_frame(seq_servers, recorder, bystander):
    """A reset halfway through a 64 KiB frame gives Error then Closed (1006); only whole messages are kept."""
    server = seq_servers()
    with Proxy(server.port) as proxy:
        # No compression, so the frame on the wire is the payload; no keepalive pong in the bytes.
        ws = streaming(recorder, proxy.port, "from 0 to 20", compression=None, ping_interval=None)
        with bystander.busy():
            wait_until(lambda: ws.stats["messages_in"] == 20, "20 messages")
            forwarded = proxy.forwarded[DOWN]
            proxy.cut_after(BIG_FRAME_HEADER + 32768)  # the header and half of the payload
            ws.Write("big")
            assert proxy.was_cut.wait(10), "the proxy never saw the big frame"
            bystander.more_round_trips(3)
            recorder.wait_closed(10)
        assert proxy.forwarded[DOWN] - forwarded == BIG_FRAME_HEADER + 32768
        assert proxy.connections == 1
    settle(ws)
    assert numbers(ws) == list(range(20))
    assert recorder.names() == ["Connected"] + ["Data"] * 20 + ["Error", "Closed"]
    assert recorder.data() == [f"seq {n}" for n in range(20)]  # no partial binary message
    (text,) = errors(recorder)
    assert re.fullmatch(LOST, text)
    assert ws.state is State.CLOSED and ws.close_code == 1006 and ws.close_reason == ""
    assert isinstance(ws.last_error, ConnectionClosedError)
    assert ws.last_error.rcvd is None and ws.last_error.sent is None
    cause = re.fullmatch(r"stream ends after (\d+) bytes, expected 65536 bytes", str(ws.last_error.__cause__))
    assert cause and 0 < int(cause[1]) <= 32768  # the client saw part of the payload, then the end
    assert shape(ws) == "open out:text in:text×20 out:text error close"
    assert not any(record.kind == "binary" for record in ws.history)
    assert close_record(ws)["clean"] is False
