"""Canary secrets (issue 7, item 6): a token in the query, an Authorization header, a cookie and
a URL password, used for real against the demo server, must appear in no output of ws_widget:
reprs, Debug Output, error texts and tracebacks, history exports (JSONL, CSV, Parquet), HAR,
cassettes, the widget's state and every message it sends to the browser, the handshake
description, and stdout/stderr, with every logger at DEBUG; and a notebook run in a real kernel
(``%ws -H``, the seed API, a failed attempt) and saved, outputs and widget state included.

Nothing here names the secrets' values on a line that could show in a traceback.
"""

from __future__ import annotations

import base64
import gc
import json
import logging
import time
import traceback

import pandas as pd
import pytest

import ws_widget
from ws_widget import ConnectFailedError, NotConnectedError, WaitTimeoutError, WebSocket, demo

QUERY_SECRET, BEARER_SECRET, COOKIE_SECRET, PASSWORD_SECRET = "CANARY1", "CANARY2", "CANARY3", "CANARY4"
SECRETS = (
    QUERY_SECRET,
    BEARER_SECRET,
    COOKIE_SECRET,
    PASSWORD_SECRET,
    base64.b64encode(f"user:{PASSWORD_SECRET}".encode()).decode(),
)  # the Basic header it becomes
QRC = "/qrc-public-api/v0"


def leaked(text: str) -> list[str]:
    lowered = text.lower()
    return [secret for secret in SECRETS if secret.lower() in lowered]


def secret_headers() -> dict:
    return {"Authorization": f"Bearer {BEARER_SECRET}", "Cookie": f"s={COOKIE_SECRET}"}


def exported(ws, directory, name: str) -> dict[str, str]:
    """Every export of one socket's history and frame log, as text."""
    out = {}
    for label, history in (("history", ws.history), ("frames", ws.frames)):
        jsonl = directory / f"{name}-{label}.jsonl"
        history.to_jsonl(jsonl)
        out[f"{name}.{label}.to_jsonl"] = jsonl.read_text()
        frame = history.to_pandas(flatten_json=label == "history")
        out[f"{name}.{label}.to_pandas.to_csv"] = frame.to_csv()
        parquet = directory / f"{name}-{label}.parquet"
        history.to_parquet(parquet)
        out[f"{name}.{label}.to_parquet bytes"] = parquet.read_bytes().decode("latin-1")
        out[f"{name}.{label}.to_parquet read back"] = pd.read_parquet(parquet).to_csv()
        out[f"{name}.{label} records"] = "\n".join(
            repr(r) + json.dumps(r.to_dict(), default=str) for r in history
        )
        out[f"{name}.{label} repr"] = repr(history)
    har = directory / f"{name}.har"
    ws_widget.to_har(ws.history, har)
    out[f"{name}.to_har"] = har.read_text()
    return out


def widget_outputs(ws, sent: list, name: str) -> dict[str, str]:
    """The widget's model state and its answers to a view's requests (pages, details, hello)."""
    widget = ws.widget
    before = len(sent)
    last = ws.history.last_seq
    requests = [
        {"type": "hello", "id": 1},
        {"type": "page", "id": 2, "offset": 0, "count": 1000, "filter": {}},
        {"type": "page", "id": 3, "offset": 0, "count": 1000, "filter": {"kinds": "events"}},
        {"type": "page", "id": 4, "offset": 0, "count": 1000, "source": "frames"},
        {"type": "page", "id": 5, "filter": {"text": "(", "regex": True}},  # an error reply
        *({"type": "get", "id": 10 + seq, "seq": seq} for seq in range(1, last + 1)),
    ]
    for request in requests:
        widget._on_message(widget, request, [])
    deadline = time.monotonic() + 10
    while len(sent) - before < len(requests) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(sent) - before >= len(requests), "the widget did not answer every request"
    state = widget.get_state()
    state.pop("_esm", None), state.pop("_css", None)  # the front end's source code
    data, metadata = ws._repr_mimebundle_()
    return {
        f"{name}.widget.get_state()": json.dumps(state, default=str),
        f"{name}.widget messages": "\n".join(
            json.dumps(content, default=str) + repr(buffers) for content, buffers in sent
        ),
        f"{name}._repr_mimebundle_": json.dumps(data, default=str) + json.dumps(metadata, default=str),
    }


class DebugLogging:
    """Every logger at DEBUG into stderr (captured by capfd), but for ``skip``-prefixed loggers."""

    def __init__(self, skip: tuple[str, ...] = ()):
        self.skip = skip
        self.seen: set[str] = set()
        self.handler = logging.StreamHandler()
        self.handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
        self.handler.addFilter(self._keep)

    def _keep(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(self.skip):
            return False
        self.seen.add(record.name)
        return True

    def __enter__(self) -> DebugLogging:
        root = logging.getLogger()
        self.level = root.level
        root.addHandler(self.handler)
        root.setLevel(logging.DEBUG)
        return self

    def __exit__(self, *exc_info) -> None:
        root = logging.getLogger()
        root.removeHandler(self.handler)
        root.setLevel(self.level)


@pytest.fixture
def debug_logging():
    """The client's side at DEBUG; the demo server's own websockets.server logger is tested apart
    (test_demo_server_logs_no_secret_at_debug)."""
    with DebugLogging(skip=("websockets.server",)) as logs:
        # ws_widget's connections log to loggers outside the tree, so what else writes at DEBUG
        # depends on what ran before (asyncio's first loop): a probe shows capture is on.
        logging.getLogger("test_canary.probe").debug("capture is on")
        yield logs


def test_no_secret_reaches_any_output(tmp_path, capfd, debug_logging):
    server = demo.start()
    printed_errors = []

    # 1. A QRC session through the seed API, the widget live from the start, frames recorded.
    ws = WebSocket.New()
    sent = []
    forward = ws.widget.send
    ws.widget.send = lambda c, b=None: (sent.append((c, b)), forward(c, b))  # what views receive
    ws.Connected = lambda ws: print("Connected", ws, repr(ws), ws.url, ws.handshake)
    ws.Data = lambda ws, data: print("Data", data)
    ws.Error = lambda ws, err: (printed_errors.append(err), print("Error", err))
    ws.Closed = lambda ws: print("Closed", ws.close_code, ws.close_reason, repr(ws))
    ws.Pong = lambda ws: print("Pong", ws.stats)
    ws.Connect(
        "ws",
        "127.0.0.1",
        f"{QRC}?token={QUERY_SECRET}&x=1",
        server.port,
        None,
        secret_headers(),
        frame_log=True,
    )
    ws.wait_open(10)
    assert leaked(ws._core.attempt.target.url) == [QUERY_SECRET]  # the secrets were really used
    assert ("Authorization", f"Bearer {BEARER_SECRET}") in ws._core.attempt.target.headers
    ws.expect({"method": "EngineStatus"})
    ws.send({"jsonrpc": "2.0", "id": 1, "method": "StatusGet"})
    ws.expect({"id": 1})
    ws.send({"jsonrpc": "2.0", "id": 2, "method": "Control.Get", "params": ["MainGain"]})
    ws.expect({"id": 2})
    ws.ping()
    with pytest.raises(WaitTimeoutError) as timed_out:
        ws.expect("never sent", timeout=0.2)
    ws.Close()
    ws.wait_closed(10)
    with pytest.raises(NotConnectedError) as not_connected:
        ws.send("after close")
    assert next(r.kind for r in ws.history) == "open" and ws.close_code == 1000
    cassette = ws.save_cassette(tmp_path / "qrc.cassette.jsonl")

    # 2. The same secrets against a path with no endpoint: HTTP 404, through the seed API ...
    missing = WebSocket.New()
    missing_sent = []
    forward_missing = missing.widget.send
    missing.widget.send = lambda c, b=None: (missing_sent.append((c, b)), forward_missing(c, b))
    missing.Error = lambda ws, err: (printed_errors.append(err), print("Error", err))
    missing.Closed = lambda ws: print("Closed", repr(ws))
    missing.Connect(
        "ws", "127.0.0.1", f"/no-such-path?token={QUERY_SECRET}", server.port, None, secret_headers()
    )
    with pytest.raises(ConnectFailedError) as seed_failure:
        missing.wait_open(10)
    missing.wait_closed(10)

    # ... and through the Pythonic API, a URL password too: raised by connect(), not printed ...
    url = server.url_for(f"/no-such-path?access_token={QUERY_SECRET}")
    url = url.replace("ws://", f"ws://user:{PASSWORD_SECRET}@")
    with pytest.raises(ConnectFailedError) as pythonic_failure:
        ws_widget.connect(url, headers=secret_headers())
    # ... and with no waiter and no Error callback: printed to stderr (wait_closed: once it ran).
    ws_widget.connect(url, headers=secret_headers(), wait=False).wait_closed(10)

    # 3. A URL password on a socket that opens.
    echo = ws_widget.connect(server.url_for("/echo").replace("ws://", f"ws://user:{PASSWORD_SECRET}@"))
    echo.send("hello")
    assert echo.receive(5) == "hello"
    echo.close()

    assert len(printed_errors) == 1 and "HTTP 404" in printed_errors[0]
    outputs = {
        "repr(ws)": repr(ws),
        "str(ws)": str(ws),
        "ws.url": str(ws.url),
        "repr(missing)": repr(missing),
        "repr(echo)": repr(echo),
        "echo.url": str(echo.url),
        "ws.debug_output": str(ws.debug_output),
        "missing.debug_output": str(missing.debug_output),
        "echo.debug_output": str(echo.debug_output),
        "ws.handshake": json.dumps(ws.handshake),
        "missing.handshake": json.dumps(missing.handshake),
        "echo.handshake": json.dumps(echo.handshake),
        "str(missing.last_error)": str(missing.last_error),
        "repr(missing.last_error)": repr(missing.last_error),
        "Error callback texts": "\n".join(printed_errors),
        "seed ConnectFailedError": str(seed_failure.value),
        "seed traceback": "".join(traceback.format_exception(seed_failure.value)),
        "pythonic ConnectFailedError": str(pythonic_failure.value),
        "pythonic traceback": "".join(traceback.format_exception(pythonic_failure.value)),
        "WaitTimeoutError": str(timed_out.value),
        "NotConnectedError": str(not_connected.value),
        "ws.save_cassette": (tmp_path / "qrc.cassette.jsonl").read_text(),
        "cassette object": repr(cassette) + json.dumps(cassette.header),
        "loaded cassette": repr(ws_widget.load_cassette(tmp_path / "qrc.cassette.jsonl")),
        **exported(ws, tmp_path, "ws"),
        **exported(missing, tmp_path, "missing"),
        **exported(echo, tmp_path, "echo"),
        **widget_outputs(ws, sent, "ws"),
        **widget_outputs(missing, missing_sent, "missing"),
    }
    ws.widget.close()
    missing.widget.close()
    # Collect the widgets now, while the I/O loop runs: collected at interpreter exit they hang
    # it (see test_hostile.test_a_script_that_showed_the_widget_exits).
    del ws, missing, echo, cassette
    outputs_so_far = dict(outputs)
    gc.collect()
    time.sleep(0.1)
    outputs = outputs_so_far
    captured = capfd.readouterr()
    outputs["stdout"], outputs["stderr"] = captured.out, captured.err

    # The outputs are not vacuous: they hold the masked forms and what was said.
    assert "token=****" in outputs["ws.handshake"] and '["Authorization", "****"]' in outputs["ws.handshake"]
    assert '["Cookie", "****"]' in outputs["missing.handshake"]
    assert "user:****@" in outputs["echo.url"]
    assert "EngineStatus" in outputs["ws.history.to_jsonl"] and "HTTP 404" in outputs["stderr"]
    assert "test_canary.probe" in debug_logging.seen, "DEBUG logging was not captured"
    assert {name: leaked(text) for name, text in outputs.items() if leaked(text)} == {}


def test_demo_server_logs_no_secret_at_debug(capfd):
    """With logging at DEBUG, the demo server prints none of the secrets a client sent it."""
    server = demo.start()
    with DebugLogging():
        ws = ws_widget.connect(server.url_for(f"/echo?token={QUERY_SECRET}"), headers=secret_headers())
        ws.close()
    assert leaked(capfd.readouterr().err) == []


NOTEBOOK_SECRETS = ("CANARY5", "CANARY6", "CANARY7", "CANARY8", "CANARY9")


@pytest.mark.kernel
def test_a_saved_notebook_holds_secrets_only_in_the_cells_typed(tmp_path):
    """A saved executed notebook holds the canaries in cell sources only, not in outputs or widget state."""
    import nbformat
    from nbclient import NotebookClient

    q1, h1, c1, q2, h2 = NOTEBOOK_SECRETS
    cells = [
        "import ws_widget\nfrom ws_widget import WebSocket, demo\nserver = demo.start()\n%load_ext ws_widget",
        f'%ws ws://127.0.0.1:{{server.port}}/echo?a=1;token={q1} --name dev -H "Authorization: Bearer {h1}" '
        f"-H 'Cookie: session={c1}'",
        "dev.wait_open(10)\ndev.send('hello')\nprint(dev.receive(5), repr(dev), dev.url, dev.handshake)\n"
        "print(dev.debug_output)\ndev.history.tail(5)",
        "dev",
        f'seed = WebSocket.New()\nseed.Connected = lambda ws: print("Connected", ws.url)\n'
        f'seed.Connect("ws", "127.0.0.1", "/echo?sid={q2}", server.port, None, {{"X-Api-Key": "{h2}"}})\n'
        "seed.wait_open(10)\nseed",
        f'%ws ws://127.0.0.1:{{server.port}}/missing?token={q1} --name bad -H "Authorization: Bearer {h1}"',
        "try:\n    bad.wait_open(10)\nexcept ws_widget.ConnectFailedError as exc:\n    print(exc)\n"
        "print(repr(bad), bad.last_error, bad.handshake)\nbad",
        "dev.close()\nseed.close()\nprint(dev.history.to_pandas().to_string())",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    path = tmp_path / "canary.ipynb"
    nbformat.write(notebook, path)

    saved = json.loads(path.read_text())
    typed = "\n".join("".join(cell["source"]) for cell in saved["cells"])
    assert all(secret in typed for secret in NOTEBOOK_SECRETS)  # the secrets were really used
    for cell in saved["cells"]:
        cell["source"] = ""
    rest = json.dumps(saved)
    errors = [o for cell in saved["cells"] for o in cell["outputs"] if o["output_type"] == "error"]
    assert errors == []
    # Not vacuous: the outputs and the saved widget state show the masked forms.
    assert "token=****" in rest and "sid=****" in rest and '["Authorization", "****"]' in rest
    assert "HTTP 404" in rest and "hello" in rest and "(headers Authorization, Cookie)" in rest
    widgets = saved["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert (
        sum(
            model["state"].get("_anywidget_id") == "ws_widget.faces.widget.WebSocketWidget"
            for model in widgets.values()
        )
        == 3
    )
    assert [secret for secret in NOTEBOOK_SECRETS if secret.lower() in rest.lower()] == []
