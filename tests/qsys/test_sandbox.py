"""The Lua sandbox: what a Q-SYS script can reach (the libraries it relies on) and what it cannot
(the host: files, processes, environment, Python objects)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from luascripts import output

FORBIDDEN = [
    "io",
    "os.execute",
    "os.remove",
    "os.rename",
    "os.exit",
    "os.getenv",
    "os.tmpname",
    "os.setlocale",
    "package",
    "dofile",
    "loadfile",
    "python",
    "string.dump",
    "debug.sethook",
    "debug.gethook",
    "debug.getupvalue",
    "debug.setupvalue",
    "debug.getlocal",
    "debug.getregistry",
    "debug.setmetatable",
    "debug.upvalueid",
    "debug.debug",
]

PRESENT = [
    "string.format",
    "string.pack",
    "table.concat",
    "table.unpack",
    "math.floor",
    "math.tointeger",
    "utf8.char",
    "os.time",
    "os.date",
    "os.clock",
    "os.difftime",
    "debug.traceback",
    "debug.getinfo",
    "pcall",
    "error",
    "load",
    "require",
    "coroutine.wrap",
    "setmetatable",
]


def _type_of(lua, path: str) -> str:
    first, _, rest = path.partition(".")
    expression = first if not rest else f"({first} or {{}}).{rest}"
    script = lua.run(f"print(type({expression}))")
    return output(script)[-1]


@pytest.mark.parametrize("path", FORBIDDEN)
def test_a_host_library_is_absent(lua, path):
    """Each library that reaches the host is nil in a script."""
    assert _type_of(lua, path) == "nil"


@pytest.mark.parametrize("path", PRESENT)
def test_a_library_scripts_rely_on_is_present(lua, path):
    """Each standard function Q-SYS scripts use is there."""
    assert _type_of(lua, path) == "function"


def test_lua_version_is_5_3(lua):
    """The runtime is Lua 5.3, as on a Q-SYS Core."""
    assert (
        output(lua.run("print(_VERSION, math.type(1), math.type(1.0), 7 // 2)"))[-1]
        == "Lua 5.3\tinteger\tfloat\t3"
    )


def test_no_python_object_is_reachable_from_the_environment(lua):
    """A walk over every table reachable from the globals finds no userdata (Python objects)."""
    script = lua.run("""
        local seen, found = {}, {}
        local function walk(value, path)
          if type(value) == "userdata" then found[#found + 1] = path end
          if type(value) ~= "table" or seen[value] then return end
          seen[value] = true
          for key, item in pairs(value) do walk(item, path .. "." .. tostring(key)) end
          local meta = getmetatable(value)
          if type(meta) == "table" then walk(meta, path .. ".<meta>") end
        end
        walk(_G, "_G")
        local ws, timer = WebSocket.New(), Timer.New()
        walk(ws, "ws")
        walk(timer, "timer")
        print(#found, table.concat(found, " "), getmetatable(ws), getmetatable(timer))
    """)
    assert output(script)[-1] == "0\t\twebsocket\ttimer"


def test_errors_of_host_functions_are_strings(lua):
    """A bad argument to a host function raises a Lua string, not a Python object."""
    script = lua.run("""
        local ws = WebSocket.New()
        local ok, err = pcall(ws.Connect, ws, "ftp", "127.0.0.1", "/", 1)
        print(ok, type(err), err)
        ok, err = pcall(Timer.New().Start, Timer.New(), -1)
        print(ok, type(err))
    """)
    first, second = output(script)[-2:]
    assert first.startswith("false\tstring\t") and "protocol" in first
    assert second == "false\tstring"


def test_load_runs_text_chunks_in_the_script_environment(lua):
    """load() compiles text in the script's globals and refuses binary chunks."""
    script = lua.run("""
        x = 41
        print(load("return x + 1")(), load("return io")(), load("return _G")() == _G)
        print(load("\\27Lua\\x53\\0garbage"))
    """)
    first, second = output(script)[-2:]
    assert first == "42\tnil\ttrue"
    assert second.startswith("nil\t") and "binary chunk" in second


def test_require_finds_only_modules_on_the_search_path(lua, tmp_path):
    """require loads the user's module from search_path and refuses paths out of it."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "util.lua").write_text("return {answer = 42}")
    (tmp_path / "secret.lua").write_text("return 'secret'")
    script = lua.run(
        """
        print(require("util").answer, require("util") == require("util"))
        print(pcall(require, "../secret"))
        """,
        search_path=[tmp_path / "lib"],
    )
    texts = output(script)
    assert texts[1] == "42\ttrue"
    refusal = "\n".join(texts[2:])
    assert refusal.startswith("false\t") and "module '../secret' not found" in refusal
    assert "secret.lua" not in refusal  # the path out of the search path was not even tried


def test_require_without_search_path_says_where_modules_come_from(lua):
    """require of an unknown module names rapidjson and search_path in its error."""
    script = lua.run('print(pcall(require, "socket"))')
    refusal = "\n".join(output(script)[1:])
    assert "module 'socket' not found" in refusal and "'rapidjson'" in refusal
    assert "(no search_path was given)" in refusal


def test_coroutines_count_against_the_budget(lua):
    """A runaway loop inside a coroutine is stopped too."""
    script = lua.run("""
        local co = coroutine.wrap(function() while true do end end)
        print(pcall(co))
    """)
    assert "Max execution limits exceeded" in output(script)[-1]


def test_memory_is_bounded(lua):
    """A script that allocates without end gets a Lua memory error, not the kernel's memory."""
    script = lua.run("""
        local t = {}
        local ok, err = pcall(function() for i = 1, 1e9 do t[i] = string.rep("x", 1000) .. i end end)
        t = nil
        collectgarbage()
        print(ok, err)
    """)
    assert output(script)[-1].startswith("false\tnot enough memory")


def test_without_lupa_the_error_says_how_to_install_it():
    """Without lupa, %load_ext still works and %%qsys and qsys.run say to install the lua extra."""
    code = textwrap.dedent("""
        import sys
        sys.modules["lupa"] = None  # as if the lua extra were not installed
        from IPython.core.interactiveshell import InteractiveShell
        from ws_widget import qsys
        ip = InteractiveShell.instance()
        ip.run_line_magic("load_ext", "ws_widget")
        try:
            ip.run_cell_magic("qsys", "", "print(1)")
        except Exception as exc:
            print(type(exc).__name__, exc)
        try:
            qsys.run("print(1)")
        except Exception as exc:
            print(type(exc).__name__, exc)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    magic, call = done.stdout.strip().splitlines()
    assert magic.startswith("UsageError ") and 'pip install "ws-widget[lua]"' in magic
    assert call.startswith("LuaUnavailableError ") and 'pip install "ws-widget[lua]"' in call


@pytest.mark.parametrize("name", ["TcpSocket", "UdpSocket", "SerialPorts", "Notifications", "System"])
def test_a_q_sys_object_ws_widget_lacks_says_so(lua, name):
    """Naming a Q-SYS object that ws_widget does not provide fails with a clear message."""
    script = lua.run(f"local ok, err = pcall(function() return {name}.New() end) print(err)")
    assert output(script)[-1] == (
        f'[string "script"]:1: {name} is not available in ws_widget: its Q-SYS environment has '
        "WebSocket, Timer, HttpClient, Crypto, Controls, Properties, Component and require('rapidjson')"
    )


def test_a_script_may_define_a_global_of_such_a_name(lua):
    """A script's own global named like an absent Q-SYS object works as any global."""
    assert output(lua.run("System = {name = 'mine'} print(System.name, undefined_global)"))[-1] == "mine\tnil"


def test_a_runaway_loop_cannot_hide_inside_pcall(lua):
    """A loop that catches the budget's error with pcall and goes on is still stopped."""
    script = lua.run("while true do pcall(function() while true do end end) end")
    assert script.status == "failed"
    assert script.errors[0].startswith('[string "script"]:1: Max execution limits exceeded')
