"""A fresh IPython shell with ws_widget's extension loaded, for the magics' tests."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config


@contextlib.contextmanager
def fresh_shell(tmp_path, monkeypatch) -> Iterator[InteractiveShell]:
    """Yield a new InteractiveShell (history in memory, ``%load_ext ws_widget`` done); clear it after."""
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path))
    main_module = sys.modules["__main__"]
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    shell = InteractiveShell.instance(config=config)
    shell.run_line_magic("load_ext", "ws_widget")
    try:
        yield shell
    finally:
        InteractiveShell.clear_instance()
        sys.modules["__main__"] = main_module
