"""The output tee (core/capture.py): put in and taken out by event threads while other threads
print, it never frees a stream that a running ``print()`` still uses."""

from __future__ import annotations

import os
import subprocess
import sys

# print() takes sys.stdout as a borrowed reference (CPython 3.11) and writes the text, then the
# newline: here the event thread takes the tee out between the two writes. Under the debug
# allocator a freed tee is overwritten at once, so using it after the free crashes every time.
TEE_REMOVED_WHILE_PRINTING = """
import sys, threading
from ws_widget.core import capture

class SlowStream:
    def __init__(self):
        self.parts, self.writing, self.go_on = [], threading.Event(), threading.Event()
    def write(self, text):
        if not self.parts:
            self.writing.set()
            self.go_on.wait(10)
        self.parts.append(text)
        return len(text)
    def flush(self):
        pass

def take_the_tee_out():
    slow.writing.wait(10)
    capture.end()
    slow.go_on.set()

slow = sys.stdout = SlowStream()
capture.begin()
threading.Thread(target=take_the_tee_out).start()
print("message")
sys.stdout = sys.__stdout__
print(slow.parts)
"""


def test_a_tee_taken_out_while_print_writes_through_it_stays_alive():
    """A tee removed by an event thread in the middle of a print() is not freed under it."""
    done = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", TEE_REMOVED_WHILE_PRINTING],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONMALLOC": "debug"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "['message', '\\n']"
