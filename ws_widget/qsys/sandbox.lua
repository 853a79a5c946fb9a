-- The environment of one Q-SYS script, built from the real globals of its own fresh Lua state.
--
-- Run once per state by runtime.py, which calls the returned function with the host table
-- (Python functions, each returning ok, ... and never a Python object) and the instruction
-- budget of one call. The script sees only `env`: the standard libraries Q-SYS scripts rely on
-- and nothing that reaches the host (no io, no os.execute/remove/exit/getenv, no package, no
-- dofile/loadfile, no string.dump, no debug beyond traceback/getinfo, no Python).
return function(host, limit)
  local error, xpcall, type, tostring, select, pairs = error, xpcall, type, tostring, select, pairs
  local concat, load, sethook, traceback = table.concat, load, debug.sethook, debug.traceback
  local setmetatable, rawget = setmetatable, rawget
  local host_print, host_find_module = host.print, host.find_module

  -- The budget of one call from the host: a runaway loop ends with Q-SYS's own words.
  local EVERY = 1000 -- instructions between two counts
  local steps, counts, tripped = 0, limit // EVERY, false
  local getinfo = debug.getinfo
  local entries = {} -- lib.call and lib.emit: the host's own frames, exempt
  local function count()
    steps = steps + 1
    if steps > counts and not entries[getinfo(2, "f").func] then
      tripped = true
      sethook(count, "", 1) -- from now on every instruction of the script fails: pcall cannot go on
      error("Max execution limits exceeded", 2)
    end
  end

  local function copy(source, names)
    local result = {}
    for name in names:gmatch("%S+") do
      result[name] = source[name]
    end
    return result
  end

  local env = copy(_G, "assert error ipairs next pairs pcall xpcall rawequal rawget rawlen rawset "
    .. "select setmetatable getmetatable tonumber tostring type collectgarbage")
  env._G = env
  env._VERSION = _VERSION
  env.string = copy(string, "byte char find format gmatch gsub len lower match pack packsize rep "
    .. "reverse sub unpack upper")
  env.table = copy(table, "concat insert move pack remove sort unpack")
  env.math = copy(math, "abs acos asin atan ceil cos deg exp floor fmod huge log max maxinteger "
    .. "min mininteger modf pi rad random randomseed sin sqrt tan tointeger type ult")
  env.utf8 = copy(utf8, "char charpattern codes codepoint len offset")
  env.os = copy(os, "clock date difftime time")
  env.debug = copy(debug, "getinfo traceback")
  getmetatable("").__index = env.string -- ("x"):rep(3) uses the script's string table

  -- Coroutines get the budget too (a Lua hook set from Lua belongs to one thread only).
  local create, wrap = coroutine.create, coroutine.wrap
  local function counted(fn)
    if type(fn) ~= "function" then
      return fn -- create/wrap report the bad argument themselves
    end
    return function(...)
      sethook(count, "", EVERY)
      return fn(...)
    end
  end
  env.coroutine = copy(coroutine, "isyieldable resume running status yield")
  env.coroutine.create = function(fn) return create(counted(fn)) end
  env.coroutine.wrap = function(fn) return wrap(counted(fn)) end

  -- load: text chunks only (a binary chunk can crash the VM), in the script's environment.
  env.load = function(chunk, chunkname, mode, chunkenv)
    return load(chunk, chunkname, "t", chunkenv or env)
  end

  -- print: Lua's rules (tostring of each argument, tab-joined), one Debug Output line per line.
  env.print = function(...)
    local parts = {}
    for i = 1, select("#", ...) do
      parts[i] = tostring((select(i, ...)))
    end
    host_print(concat(parts, "\t"))
  end

  -- require: the built-in modules, then the user's own Lua files on their search path.
  local loaded, builtin = {}, {}
  env.require = function(name)
    if type(name) ~= "string" then
      error("bad argument #1 to 'require' (string expected, got " .. type(name) .. ")", 2)
    end
    local module = loaded[name]
    if module ~= nil then
      return module
    end
    local open = builtin[name]
    if open then
      module = open()
    else
      local found, source, path = host_find_module(name)
      if not found then -- source is the message
        error(source, 2)
      end
      local chunk, message = load(source, "@" .. path, "t", env)
      if not chunk then
        error(message, 2)
      end
      module = chunk(name, path)
    end
    if module == nil then
      module = true
    end
    loaded[name] = module
    return module
  end

  local function handler(message)
    return traceback(tostring(message), 2)
  end

  local lib = {}

  -- After a call: a fresh budget for the host's own code (exempt from the count, as lib.call is).
  local function finish(...)
    steps = 0
    if tripped then
      tripped = false
      sethook(count, "", EVERY)
    end
    return ...
  end

  -- Run fn(...) for the host, on a fresh budget; returns true, results or false, traceback.
  -- (The hook is set again each time: lupa may call in on another Lua thread than before.)
  function lib.call(fn, ...)
    steps = 0
    sethook(count, "", EVERY)
    return finish(xpcall(fn, handler, ...))
  end

  -- Call obj[field](obj, ...) if the script set it (a callback such as ws.Data).
  function lib.emit(obj, field, ...)
    local fn = obj[field]
    if fn == nil then
      return true
    end
    steps = 0
    sethook(count, "", EVERY)
    return finish(xpcall(fn, handler, obj, ...))
  end

  entries[lib.call], entries[lib.emit], entries[finish] = true, true, true

  -- For bindings, always as a tail call, `return check(host_fn(...))`: a host error is raised
  -- at the script's line (the tail call leaves no frame of the binding's own).
  function lib.check(ok, ...)
    if ok then
      return ...
    end
    error((...), 2)
  end

  -- Register a module for require(name); open() builds it on first use.
  function lib.provide(name, open)
    builtin[name] = open
  end

  -- An opener for lib.provide: loads a module of ws_widget's own on first use.
  function lib.module(source, chunkname)
    return function()
      return assert(load(source, chunkname, "t", env))()
    end
  end

  -- An object whose metatable the script cannot read or replace, printed as `name`.
  function lib.class(name, methods)
    methods.__index = methods
    methods.__tostring = function() return name end
    methods.__metatable = name
    return methods
  end

  -- Compile the main chunk of a script in its environment.
  function lib.load_main(source, chunkname)
    return load(source, chunkname, "t", env)
  end

  function lib.has(obj, field)
    return rawget(obj, field) ~= nil
  end

  -- Q-SYS objects ws_widget does not provide: naming one says so (rather than "attempt to
  -- index a nil value"). A script's own global of such a name still works.
  local absent = {}
  for name in ("TcpSocket UdpSocket SerialPorts Ping SNMPSession Notifications Uci System "
    .. "Mixer Snapshot PasswordCheck NamedComponents Design Network LuaUI"):gmatch("%S+") do
    absent[name] = true
  end
  setmetatable(env, {
    __index = function(_, name)
      if absent[name] then
        error(tostring(name) .. " is not available in ws_widget: its Q-SYS environment has "
          .. "WebSocket, Timer, HttpClient, Crypto, Controls, Properties, Component and "
          .. "require('rapidjson')", 2)
      end
    end,
  })

  return env, lib
end
