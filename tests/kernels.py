"""A real ipykernel driven through jupyter_client: cells, their outputs (also those that
arrive after the cell finished) and widget comm traffic on IOPub."""

from __future__ import annotations

import queue
import re
import textwrap
import time
from collections import defaultdict
from typing import NoReturn

import pytest
from jupyter_client.manager import start_new_kernel

WAIT = 30.0  # generous: a wait that ends early costs nothing
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class Cell:
    """The outputs of one executed cell, including those that arrive after it finished."""

    def __init__(self, kernel: Kernel, msg_id: str, code: str):
        self.kernel = kernel
        self.msg_id = msg_id
        self.code = code
        self.reply: dict | None = None

    def text(self, name: str) -> str:
        """Return everything this cell printed so far to ``stdout`` or ``stderr``."""
        return "".join(text for kind, text in self.kernel.outputs[self.msg_id] if kind == name)

    @property
    def stdout(self) -> str:
        return self.text("stdout")

    @property
    def stderr(self) -> str:
        return self.text("stderr")

    @property
    def errors(self) -> str:
        return self.text("error")

    def wait_for(self, needle: str, name: str = "stdout", count: int = 1, timeout: float = WAIT) -> str:
        """Wait until ``needle`` appears ``count`` times in this cell's ``name`` output."""
        self.kernel.pump_until(lambda: self.text(name).count(needle) >= count, timeout, self, needle)
        return self.text(name)


class Kernel:
    """A real ipykernel; IOPub output is collected by the ``msg_id`` of its parent cell."""

    def __init__(self, cwd: str):
        self.manager, self.client = start_new_kernel(kernel_name="python3", startup_timeout=60, cwd=cwd)
        self.outputs: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.idle: set[str] = set()
        self.replies: dict[str, dict] = {}
        self.comm_opens: list[dict] = []  # comm_open contents
        self.comm_msgs: list[tuple[float, dict, list]] = []  # (arrival time, content, buffers)
        self.displays: list[
            tuple[str, str | None, dict]
        ] = []  # (msg_type, parent msg_id, content) with a display_id

    def shutdown(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=False)

    def _pump_one(self, timeout: float) -> bool:
        """Collect one IOPub message, waiting up to ``timeout``; return whether one came."""
        try:
            message = self.client.get_iopub_msg(timeout=timeout)
        except queue.Empty:
            return False
        parent = message["parent_header"].get("msg_id")
        kind, content = message["msg_type"], message["content"]
        if kind == "stream":
            self.outputs[parent].append((content["name"], content["text"]))
        elif kind == "error":
            self.outputs[parent].append(("error", _ANSI.sub("", "\n".join(content["traceback"]))))
        elif kind in ("execute_result", "display_data"):
            self.outputs[parent].append(("result", content["data"].get("text/plain", "")))
        if kind in ("display_data", "update_display_data") and content.get("transient", {}).get("display_id"):
            self.displays.append((kind, parent, content))
        if kind == "status" and content["execution_state"] == "idle":
            self.idle.add(parent)
        elif kind == "comm_open":
            self.comm_opens.append(content)
        elif kind == "comm_msg":
            self.comm_msgs.append((time.monotonic(), content, message.get("buffers") or []))
        return True

    def widget_comms(self, anywidget_id: str = "ws_widget.faces.widget.WebSocketWidget") -> list[str]:
        """Return the comm ids of the widget models of this class, oldest first."""
        return [
            content["comm_id"]
            for content in self.comm_opens
            if content["data"].get("state", {}).get("_anywidget_id") == anywidget_id
        ]

    def send_to_widget(self, comm_id: str, content: dict) -> None:
        """Send a custom widget message from this client, as a browser view does."""
        message = self.client.session.msg(
            "comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": content}}
        )
        self.client.shell_channel.send(message)

    def custom_messages(self, comm_id: str | None = None) -> list[tuple[float, dict, list]]:
        """Return the custom messages a widget sent: (time, content, buffers)."""
        return [
            (t, c["data"]["content"], b)
            for t, c, b in self.comm_msgs
            if c["data"].get("method") == "custom" and (comm_id is None or c["comm_id"] == comm_id)
        ]

    def pump_for(self, seconds: float) -> None:
        """Collect IOPub messages for ``seconds``."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            self._pump_one(min(remaining, 0.2))

    def pump_until(self, predicate, timeout: float, cell: Cell | None = None, what: str = "") -> None:
        """Collect IOPub messages until ``predicate()`` holds; fail with what was seen."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._fail(f"waited {timeout} s for {what!r}", cell)
            if not self._pump_one(min(remaining, 0.5)) and not self.manager.is_alive():
                process = getattr(self.manager.provisioner, "process", None)  # a dead kernel answers
                status = process.poll() if process is not None else None  # nothing: say so at once
                self._fail(f"the kernel died (exit status {status}) while waiting for {what!r}", cell)

    def _fail(self, why: str, cell: Cell | None) -> NoReturn:
        seen = dict(self.outputs) if cell is None else self.outputs[cell.msg_id]
        pytest.fail(f"{why}; outputs: {seen}")

    def run(self, code: str, timeout: float = WAIT) -> Cell:
        """Execute ``code`` as a cell, wait until the kernel is idle again; fail on an error."""
        code = textwrap.dedent(code)
        cell = Cell(self, self.client.execute(code), code)
        self.pump_until(lambda: cell.msg_id in self.idle, timeout, cell, "the cell to finish")
        cell.reply = self._reply(cell.msg_id, timeout)
        if cell.reply["content"]["status"] != "ok":
            pytest.fail(f"cell failed:\n{code}\n{cell.errors or cell.reply['content']}")
        return cell

    def _reply(self, msg_id: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while msg_id not in self.replies:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                pytest.fail(f"no execute_reply for {msg_id}")
            message = self.client.get_shell_msg(timeout=remaining)
            self.replies[message["parent_header"].get("msg_id")] = message
        return self.replies.pop(msg_id)
