"""Fixtures of the Lua face: run a Q-SYS script and stop it after the test."""

from __future__ import annotations

import pytest
from luascripts import Scripts


@pytest.fixture
def lua():
    """Start Lua scripts with ``lua.run(source)``; each is stopped after the test."""
    scripts = Scripts()
    yield scripts
    scripts.stop()
