"""The layer rule of docs/design.md, checked: exceptions <- pure <- core <- faces <- qsys, the demo apart.

import-linter (``[tool.importlinter]`` in pyproject.toml, also run by ``make check``) holds the
contracts; these tests run it on the package, show once that it fails when a pure module imports
the I/O core, and check what import-linter cannot express: which of websockets' modules the pure
layer may use, and that only the demo's TLS needs ``cryptography``.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ws_widget"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# websockets' Sans-I/O modules: data classes, parsers and the protocol state machine. Its
# asyncio, sync and legacy modules (connections, loops, sockets) belong to the core.
SANS_IO_WEBSOCKETS = {
    "websockets",
    "websockets.datastructures",
    "websockets.exceptions",
    "websockets.extensions",
    "websockets.frames",
    "websockets.headers",
    "websockets.http11",
    "websockets.protocol",
    "websockets.typing",
    "websockets.utils",
}
SANS_IO_NAMES = {name.rpartition(".")[2] for name in SANS_IO_WEBSOCKETS}


def lint_imports(cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``lint-imports`` with the pyproject.toml in ``cwd``; ``pythonpath`` first on the path."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(cwd / "pyproject.toml"), "--no-cache", "--no-logo"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_package_keeps_every_import_contract():
    """lint-imports finds every contract of pyproject.toml kept by the package."""
    contracts = (ROOT / "pyproject.toml").read_text(encoding="utf-8").count("[[tool.importlinter.contracts]]")
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Contracts: {contracts} kept, 0 broken." in done.stdout, done.stdout


def test_a_pure_module_importing_the_core_breaks_the_layers_contract(tmp_path):
    """A copy of the package whose pure/redact.py imports the I/O core fails lint-imports, named."""
    shutil.copytree(PACKAGE, tmp_path / "ws_widget", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    redact = tmp_path / "ws_widget" / "pure" / "redact.py"
    redact.write_text(redact.read_text(encoding="utf-8") + "\nfrom ..core import ioloop\n", encoding="utf-8")

    done = lint_imports(tmp_path, pythonpath=tmp_path)

    assert done.returncode != 0, done.stdout
    broken = done.stdout.split("Broken contracts", 1)[-1]
    assert "Layers: qsys (the Lua face) > faces > core > pure > exceptions" in broken, done.stdout
    assert "ws_widget.pure.redact -> ws_widget.core.ioloop" in broken, done.stdout  # the copy was read


def imported_modules(path: Path) -> list[str]:
    """Every absolute module that ``path`` imports, ``from x import y`` also as ``x.y``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
            if node.module == "websockets":
                found += [f"websockets.{alias.name}" for alias in node.names if alias.name in SANS_IO_NAMES]
    return found


def test_the_pure_layer_uses_only_websockets_sans_io_modules():
    """Pure modules import only websockets' Sans-I/O modules, never its asyncio or sync clients."""
    offending = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted((PACKAGE / "pure").glob("*.py"))
        for module in imported_modules(path)
        if module.split(".")[0] == "websockets" and module not in SANS_IO_WEBSOCKETS
    }
    assert offending == set()


def test_the_module_scan_sees_a_websockets_client_import(tmp_path):
    """The scan above reports ``websockets.asyncio.client``, so its empty answer means something."""
    module = tmp_path / "module.py"
    module.write_text("from websockets.asyncio.client import connect\nfrom websockets import frames\n")
    assert imported_modules(module) == ["websockets.asyncio.client", "websockets", "websockets.frames"]


def test_only_the_demo_tls_needs_cryptography(tmp_path):
    """Without cryptography the client and the demo import, and TLS names the demo extra to install."""
    script = textwrap.dedent(
        """
        import sys
        sys.modules["cryptography"] = None  # what an environment without the package gives
        import ws_widget
        from ws_widget import demo
        plain = demo.DemoServer().start()
        plain.stop()
        try:
            demo.DemoServer(tls=True).start()
        except ImportError as exc:
            print("ImportError:", exc)
        else:
            print("no error")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ImportError:"), done.stdout
    assert "pip install 'ws-widget[demo]'" in done.stdout, done.stdout
