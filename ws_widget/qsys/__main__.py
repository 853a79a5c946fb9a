"""``python -m ws_widget.qsys SCRIPT.lua|PLUGIN.qplug [options]``: see :mod:`ws_widget.qsys.command`."""

from __future__ import annotations

from .command import main

if __name__ == "__main__":
    raise SystemExit(main())
