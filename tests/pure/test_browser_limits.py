"""What the browser's WebSocket cannot do (pure/limits.py) and how its close event reads as the
end of a connection (pure/browserend.py): plain values, no browser, loop or server."""

from __future__ import annotations

import pytest

from ws_widget import BrowserLimitError
from ws_widget.pure import limits
from ws_widget.pure.browserend import end_facts, open_failure
from ws_widget.pure.options import Options
from ws_widget.pure.outcome import classify_end, open_failed
from ws_widget.pure.status import Capabilities
from ws_widget.pure.target import target_from_url

SERVER = Capabilities()
ADDRESS = "127.0.0.1:8765"


def target(headers=None, sub_protocol=None):
    return target_from_url("ws://127.0.0.1:8765/", sub_protocol, headers)


def test_headers_are_refused_naming_them_and_what_is_possible():
    """Custom headers are refused with their names (never values) and the alternatives."""
    with pytest.raises(BrowserLimitError) as raised:
        limits.check_connect(
            target({"Authorization": "Bearer secret", "X-Key": "k"}), Options(), limits.BROWSER
        )
    text = str(raised.value)
    assert "(Authorization, X-Key)" in text
    assert "secret" not in text
    assert "sub_protocol" in text and "query string" in text


def test_subprotocols_and_defaults_pass():
    """Subprotocols, default options and keepalive turned off are fine in the browser."""
    limits.check_connect(target(sub_protocol=["chat"]), Options(), limits.BROWSER)
    limits.check_connect(
        target(), Options(ping_interval=None, ping_timeout=None, open_timeout=3), limits.BROWSER
    )


@pytest.mark.parametrize(
    ("options", "said"),
    [
        ({"verify": False}, "verify=False is not possible in the browser: the browser decides TLS"),
        ({"user_agent": "bot"}, "User-Agent header is the browser's own"),
        ({"origin": "http://x"}, "Origin header is the page's own"),
        ({"compression": None}, "negotiates compression itself"),
        ({"ping_interval": 5}, "sends no pings"),
        ({"max_size": 10}, "decides the largest message"),
        ({"frame_log": True}, "frames are not visible in the browser"),
    ],
)
def test_options_the_browser_decides_are_refused(options, said):
    """Each option whose effect the browser decides is refused, saying who decides."""
    with pytest.raises(BrowserLimitError) as raised:
        limits.check_connect(target(), Options(**options), limits.BROWSER)
    assert said in str(raised.value)


def test_a_server_transport_refuses_nothing():
    """With every capability, headers, options, pings, fragments and any close code pass."""
    limits.check_connect(target({"Authorization": "x"}), Options(verify=False, frame_log=True), SERVER)
    limits.check_ping(SERVER)
    limits.check_fragments(3, SERVER)
    limits.check_frame_log(True, SERVER)
    limits.check_close_code(1001, SERVER)
    assert limits.limits_text(SERVER) == {}


def test_pings_fragments_and_frame_log_are_refused_in_the_browser():
    """Ping, several fragments and the frame log raise BrowserLimitError in the browser."""
    with pytest.raises(BrowserLimitError, match="pings are not available"):
        limits.check_ping(limits.BROWSER)
    with pytest.raises(BrowserLimitError, match="fragments=2"):
        limits.check_fragments(2, limits.BROWSER)
    limits.check_fragments(1, limits.BROWSER)
    with pytest.raises(BrowserLimitError, match="frames are not visible"):
        limits.check_frame_log(True, limits.BROWSER)
    limits.check_frame_log(False, limits.BROWSER)


@pytest.mark.parametrize(
    ("code", "allowed"), [(1000, True), (3000, True), (4999, True), (1001, False), (1011, False)]
)
def test_close_codes_a_page_may_send(code, allowed):
    """A page closes with 1000 or 3000-4999 only; other codes are refused, saying which are allowed."""
    if allowed:
        limits.check_close_code(code, limits.BROWSER)
    else:
        with pytest.raises(BrowserLimitError, match=f"close code {code} cannot be sent.*1000.*3000-4999"):
            limits.check_close_code(code, limits.BROWSER)


def test_the_widget_is_told_why_ping_frames_and_handshake_are_empty():
    """limits_text names ping, frames and handshake with a reason each, for the browser."""
    texts = limits.limits_text(limits.BROWSER)
    assert sorted(texts) == ["frames", "handshake", "ping"]
    assert all("in the browser" in text for text in texts.values())


@pytest.mark.parametrize(
    ("call", "twin"),
    [
        ("receive", "await ws.aio.receive()"),
        ("connect", "connect(url, wait=False), then await ws.aio.wait_open()"),
        ("__iter__", "async for message in ws"),
        ("ping", "await ws.aio.ping()"),
    ],
)
def test_a_blocking_call_names_its_await_twin(call, twin):
    """The BlockingUnavailableError line names the call and the twin to await."""
    text = limits.blocking_hint(call)
    assert twin in text
    assert "JSPI" in text


def test_a_clean_client_close_is_clean():
    """A browser close event after our close(4000) is a clean end the client started."""
    end = classify_end(end_facts(4000, "done", True, (4000, "done")), True, ADDRESS)
    assert end.clean
    assert end.close_info == {
        "code": 4000,
        "meaning": "private use",
        "reason": "done",
        "initiator": "client",
        "clean": True,
    }


def test_a_server_close_is_clean_and_the_servers():
    """A clean close event we did not ask for is the server's clean close, whatever its code."""
    end = classify_end(end_facts(1011, "oops", True, None), False, ADDRESS)
    assert end.clean
    assert end.close_info["initiator"] == "server"
    assert end.close_info["code"] == 1011


def test_an_unclean_close_is_an_abnormal_end():
    """wasClean false reads as 1006 with an error that says the browser gives no detail."""
    facts = end_facts(1006, "", False, None)
    assert facts.close_code == 1006
    end = classify_end(facts, False, ADDRESS)
    assert not end.clean
    assert "1006" in end.error_text and "developer console" in end.error_text


def test_an_open_failure_says_where_to_look():
    """A browser WebSocket that never opened explains the causes the browser hides."""
    text = open_failed(open_failure("ws://127.0.0.1:9/", 1006), ADDRESS).error_text
    assert "the browser could not open ws://127.0.0.1:9/ (close code 1006)" in text
    assert "developer console" in text
