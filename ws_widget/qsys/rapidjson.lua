-- rapidjson: lua-rapidjson's API (as the Q-SYS help documents it) in plain Lua 5.3.
--
-- Loaded by ws_widget's Q-SYS runtime with load(text, "=rapidjson", "t", env); the chunk
-- returns the module table. It uses only string, table, math, utf8 and the base functions
-- captured below, so a script that later replaces its own globals cannot break it.
--
-- Behaviour follows lua-rapidjson 0.7 (xpol/lua-rapidjson) where the Q-SYS help is silent:
--   * encode: integers, and floats with an integral value in the int64 range, are written as
--     integers ("123"); other floats as the shortest text that reads back to the same double,
--     laid out as RapidJSON's writer does ("3.14", "1e-7", "100000000000000000000.0");
--     NaN and infinities cannot be encoded. Strings: `"`, `\` and bytes below 0x20 escaped,
--     every other byte kept as is. Tables: array if the metafield __jsontype is "array", or
--     if the table is not empty and its raw length is > 0; otherwise an object of its string
--     keys (other keys and their values are skipped). Nesting deeper than max_depth (128)
--     fails, and so does a table that contains itself.
--   * On failure encode returns nil and a message (the Q-SYS help), where lua-rapidjson
--     raises; a bad option argument still raises.
--   * decode: objects and arrays get shared metatables with __jsontype "object" / "array";
--     integers that fit in 64 bits are Lua integers, other numbers floats; null is
--     rapidjson.null. Errors are RapidJSON's English messages with the byte offset,
--     e.g. "Invalid value. (5)". A NUL byte ends the text, as in RapidJSON.
--   * rapidjson.null is a function (as on a Q-SYS Core): null() returns null.

local type, next, select, error, pcall = type, next, select, error, pcall
local setmetatable, getmetatable = setmetatable, getmetatable
local rawget, rawlen, tonumber = rawget, rawlen, tonumber
local byte, sub, find, match, format, gsub, rep =
  string.byte, string.sub, string.find, string.match, string.format, string.gsub, string.rep
local concat, sort = table.concat, table.sort
local math_type, tointeger, huge = math.type, math.tointeger, math.huge
local utf8_char = utf8.char

local MAX_DEPTH_DEFAULT = 128 -- lua-rapidjson's encode default (option max_depth)
local DECODE_MAX_DEPTH = 1024 -- RapidJSON has none (it recurses on the C stack); ours is a limit

local rapidjson = { _NAME = "rapidjson", _VERSION = "0.7.2-ws_widget" }

local null
null = function()
  return null
end
rapidjson.null = null

local object_mt = { __jsontype = "object" }
local array_mt = { __jsontype = "array" }

local function mark(t, mt, jsontype, name)
  if t == nil then
    return setmetatable({}, mt)
  end
  if type(t) ~= "table" then
    error(format("bad argument #1 to '%s' (optional table expected, got %s)", name, type(t)), 3)
  end
  local old = getmetatable(t)
  if type(old) == "table" then
    old.__jsontype = jsontype
    return t
  end
  return setmetatable(t, mt)
end

--- Marks t (or a new table) to encode as a JSON object; returns it.
function rapidjson.object(t)
  return mark(t, object_mt, "object", "object")
end

--- Marks t (or a new table) to encode as a JSON array; returns it.
function rapidjson.array(t)
  return mark(t, array_mt, "array", "array")
end

function rapidjson.load()
  return nil,
    "rapidjson.load is not available in ws_widget (scripts cannot read files); "
      .. "read the text another way and call rapidjson.decode(text)"
end

function rapidjson.dump()
  return nil,
    "rapidjson.dump is not available in ws_widget (scripts cannot write files); "
      .. "call rapidjson.encode(value [, option]) and keep the string"
end

---------------------------------------------------------------------------------------------
-- encode

-- A failure travels up as this table (never a Python object) and is turned into nil, message.
local Failure = {}

local function fail_encode(message)
  error(setmetatable({ message = message }, Failure), 0)
end

local escapes = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }
for code = 0, 31 do
  local c = string.char(code)
  if not escapes[c] then
    escapes[c] = format("\\u%04X", code)
  end
end
local ESCAPED = '["\\\0-\31]'

local function string_text(s)
  if not find(s, ESCAPED) then
    return '"' .. s .. '"'
  end
  return '"' .. gsub(s, ESCAPED, escapes) .. '"'
end

-- RapidJSON's layout of a decimal (internal/dtoa.h, Prettify): digits holds the significant
-- digits (no trailing zeros), and 10^(kk-1) <= |value| < 10^kk. Fixed notation while kk is in
-- -5 .. 21 (integral ones end in ".0"), else "1e-7", "1.5e300".
local function layout(sign, digits, kk)
  local length = #digits
  local k = kk - length
  if k >= 0 and kk <= 21 then
    return sign .. digits .. rep("0", k) .. ".0"
  elseif kk > 0 and kk <= 21 then
    return sign .. sub(digits, 1, kk) .. "." .. sub(digits, kk + 1)
  elseif kk > -6 and kk <= 0 then
    return sign .. "0." .. rep("0", -kk) .. digits
  elseif length == 1 then
    return sign .. digits .. "e" .. (kk - 1)
  end
  return sign .. sub(digits, 1, 1) .. "." .. sub(digits, 2) .. "e" .. (kk - 1)
end

local SCIENTIFIC = "^(-?)(%d)%D?(%d*)e([-+]%d+)$"

-- x written by format("%.<p>e", x), in RapidJSON's layout.
local function layout_scientific(s)
  local sign, lead, rest, exponent = match(s, SCIENTIFIC)
  return layout(sign, lead .. (gsub(rest, "0+$", "")), tonumber(exponent) + 1)
end

local MIN_NORMAL = 2.2250738585072014e-308

-- The shortest decimal that reads back as x (finite, not integral in the int64 range), in
-- RapidJSON's layout.
local function float_text(x)
  if x < MIN_NORMAL and x > -MIN_NORMAL then -- subnormal: fewer bits, maybe fewer digits
    for precision = 0, 16 do
      local s = format("%." .. precision .. "e", x)
      if tonumber(s) == x then
        return layout_scientific(s)
      end
    end
  end
  -- A normal double whose shortest decimal has <= 15 digits is x rounded to 15 digits.
  local s = format("%.15g", x)
  if tonumber(s) == x then
    if not find(s, "[^-%d.]") then -- fixed notation: already RapidJSON's layout
      return s
    end
    return layout_scientific(format("%.14e", x))
  end
  -- 16 digits: x rounded, or else (a tie, or x is a power of two, where the doubles below are
  -- closer together) the 16-digit decimal on the other side of x.
  s = format("%.15e", x)
  local rounded = tonumber(s)
  if rounded == x then
    return layout_scientific(s)
  end
  local sign, lead, rest, exponent = match(s, SCIENTIFIC)
  local m = tointeger(tonumber(lead .. rest))
  if (rounded < x) == (sign == "") then
    m = m + 1
  else
    m = m - 1
  end
  local shift = tonumber(exponent) - 15
  if tonumber(sign .. m .. "e" .. shift) == x then
    local digits = format("%d", m)
    return layout(sign, (gsub(digits, "0+$", "")), #digits + shift)
  end
  return layout_scientific(format("%.16e", x)) -- 17 digits always read back
end

local function number_text(x)
  if math_type(x) == "integer" then
    return format("%d", x)
  end
  local i = tointeger(x) -- lua-rapidjson writes integral floats as integers
  if i then
    return format("%d", i)
  end
  if x ~= x or x == huge or x == -huge then
    fail_encode("error while encode double value.")
  end
  return float_text(x)
end

-- lua-rapidjson's values::isarray.
local function is_array(t, empty_table_as_array)
  local mt = getmetatable(t)
  if type(mt) == "table" then
    local jsontype = mt.__jsontype
    local kind = type(jsontype)
    if kind == "string" or kind == "number" then
      return jsontype == "array"
    end
  end
  if next(t) ~= nil then
    return rawlen(t) > 0
  end
  return empty_table_as_array
end

local function option_flag(option, name)
  return option[name] and true or false -- lua_toboolean, nil meaning the default false
end

local function encode(...)
  if select("#", ...) == 0 then
    return nil, "unsupported value type : no value"
  end
  local value, option = ...
  local pretty, sort_keys, empty_table_as_array = false, false, false
  local max_depth = MAX_DEPTH_DEFAULT
  if option ~= nil then
    if type(option) ~= "table" then
      error(format("bad argument #2 to 'encode' (table expected, got %s)", type(option)), 2)
    end
    pretty = option_flag(option, "pretty")
    sort_keys = option_flag(option, "sort_keys")
    empty_table_as_array = option_flag(option, "empty_table_as_array")
    local depth = option.max_depth
    if depth ~= nil then
      max_depth = tointeger(depth)
      if not max_depth then
        error("bad argument #2 to 'encode' (max_depth must be an integer)", 2)
      end
    end
  end

  local buf, n = {}, 0
  local colon = pretty and ": " or ":"
  local on_path = {} -- tables being encoded, to catch a table that contains itself
  local newline = {} -- newline[depth]: "\n" and 4 spaces per level

  local function indent(depth)
    local s = newline[depth]
    if not s then
      s = "\n" .. rep("    ", depth)
      newline[depth] = s
    end
    return s
  end

  local value_text

  -- One "key":value of an object; returns false (the next member is not the first).
  local function member_text(k, v, depth, first)
    if not first then
      n = n + 1
      buf[n] = ","
    end
    if pretty then
      n = n + 1
      buf[n] = indent(depth)
    end
    n = n + 1
    buf[n] = string_text(k)
    n = n + 1
    buf[n] = colon
    value_text(v, depth)
    return false
  end

  local function table_text(t, depth)
    if depth > max_depth then
      fail_encode("nested too depth")
    end
    if on_path[t] then
      fail_encode("circular reference: a table contains itself")
    end
    on_path[t] = true
    if is_array(t, empty_table_as_array) then
      local count = rawlen(t)
      if count == 0 then
        n = n + 1
        buf[n] = "[]"
      else
        n = n + 1
        buf[n] = "["
        for i = 1, count do
          if i > 1 then
            n = n + 1
            buf[n] = ","
          end
          if pretty then
            n = n + 1
            buf[n] = indent(depth)
          end
          value_text(rawget(t, i), depth)
        end
        if pretty then
          n = n + 1
          buf[n] = indent(depth - 1)
        end
        n = n + 1
        buf[n] = "]"
      end
    else
      local open = n + 1
      n = n + 1
      buf[n] = "{"
      local first = true
      if sort_keys then
        local keys, count = {}, 0
        for k in next, t do
          if type(k) == "string" then
            count = count + 1
            keys[count] = k
          end
        end
        sort(keys)
        for i = 1, count do
          local k = keys[i]
          first = member_text(k, rawget(t, k), depth, first)
        end
      else
        for k, v in next, t do
          if type(k) == "string" then
            first = member_text(k, v, depth, first)
          end
        end
      end
      if first then
        buf[open] = "{}"
      else
        if pretty then
          n = n + 1
          buf[n] = indent(depth - 1)
        end
        n = n + 1
        buf[n] = "}"
      end
    end
    on_path[t] = nil
  end

  value_text = function(v, depth)
    local kind = type(v)
    local text
    if kind == "string" then
      text = string_text(v)
    elseif kind == "number" then
      text = number_text(v)
    elseif kind == "table" then
      return table_text(v, depth + 1)
    elseif kind == "boolean" then
      text = v and "true" or "false"
    elseif v == nil or v == null then
      text = "null"
    else
      fail_encode("unsupported value type : " .. kind)
    end
    n = n + 1
    buf[n] = text
  end

  local ok, err = pcall(value_text, value, 0)
  if not ok then
    if getmetatable(err) == Failure then
      return nil, err.message
    end
    error(err, 0)
  end
  return concat(buf, "", 1, n)
end

--- Encodes value as JSON text; returns the text, or nil and a message.
rapidjson.encode = encode

---------------------------------------------------------------------------------------------
-- decode

local function fail_decode(message, offset)
  error(setmetatable({ message = format("%s (%d)", message, offset) }, Failure), 0)
end

local unescape = { [34] = '"', [92] = "\\", [47] = "/", [98] = "\b", [102] = "\f",
  [110] = "\n", [114] = "\r", [116] = "\t" }

-- Positions are 1-based; RapidJSON's offsets are 0-based: offset = position - 1.

local SPACE = { [32] = true, [9] = true, [10] = true, [13] = true }
local NOT_SPACE = "[^ \t\n\r]"

-- The first position at or after pos that holds no whitespace, and its byte (nil at the end).
local function skip(text, pos)
  pos = find(text, NOT_SPACE, pos) or #text + 1
  return pos, byte(text, pos)
end

local PLAIN_STRING = '^[^"\\\0-\31]*"'
local PLAIN_RUN = '^[^"\\\0-\31]*'
local HEX4 = "^%x%x%x%x"

-- The string whose opening quote is at pos and which holds an escape or a control
-- character; returns it and the position after it.
local function parse_escaped_string(text, pos)
  local parts, n = {}, 0
  local i = pos + 1
  while true do
    local _, stop = find(text, PLAIN_RUN, i)
    if stop >= i then
      n = n + 1
      parts[n] = sub(text, i, stop)
      i = stop + 1
    end
    local c = byte(text, i)
    if c == 34 then
      return concat(parts, "", 1, n), i + 1
    elseif c == 92 then
      local e = byte(text, i + 1)
      local plain = unescape[e]
      if plain then
        n = n + 1
        parts[n] = plain
        i = i + 2
      elseif e == 117 then
        local hex = match(text, HEX4, i + 2)
        if not hex then
          fail_decode("Incorrect hex digit after \\u escape in string.", i - 1)
        end
        local code = tonumber(hex, 16)
        local after = i + 6
        if code >= 0xD800 and code <= 0xDBFF then
          if sub(text, after, after + 1) ~= "\\u" then
            fail_decode("The surrogate pair in string is invalid.", i - 1)
          end
          local hex2 = match(text, HEX4, after + 2)
          if not hex2 then
            fail_decode("Incorrect hex digit after \\u escape in string.", i - 1)
          end
          local low = tonumber(hex2, 16)
          if low < 0xDC00 or low > 0xDFFF then
            fail_decode("The surrogate pair in string is invalid.", i - 1)
          end
          code = (((code - 0xD800) << 10) | (low - 0xDC00)) + 0x10000
          after = after + 6
        end
        n = n + 1
        parts[n] = utf8_char(code) -- a lone low surrogate becomes 3 bytes, as in RapidJSON
        i = after
      else
        fail_decode("Invalid escape character in string.", i - 1)
      end
    elseif c == nil or c == 0 then
      fail_decode("Missing a closing quotation mark in string.", i - 1)
    else
      fail_decode("Invalid encoding in string.", i - 1)
    end
  end
end

-- The string whose opening quote is at pos; returns it and the position after it.
local function parse_string(text, pos)
  local _, stop = find(text, PLAIN_STRING, pos + 1)
  if stop then
    return sub(text, pos + 1, stop - 1), stop + 1
  end
  return parse_escaped_string(text, pos)
end

-- The number at pos, checked step by step (for the rarer forms and the errors);
-- returns it and the position after it.
local function parse_number_slowly(text, pos)
  local i = pos
  local c = byte(text, i)
  if c == 45 then -- '-'
    i = i + 1
    c = byte(text, i)
  end
  if c == 48 then -- '0'
    i = i + 1
  elseif c and c >= 49 and c <= 57 then
    local _, stop = find(text, "^%d*", i + 1)
    i = stop + 1
  else
    fail_decode("Invalid value.", i - 1)
  end
  c = byte(text, i)
  if c == 46 then -- '.'
    local _, stop = find(text, "^%d+", i + 1)
    if not stop then
      fail_decode("Miss fraction part in number.", i)
    end
    i = stop + 1
    c = byte(text, i)
  end
  if c == 101 or c == 69 then -- 'e', 'E'
    local j = i + 1
    c = byte(text, j)
    if c == 43 or c == 45 then
      j = j + 1
    end
    local _, stop = find(text, "^%d+", j)
    if not stop then
      fail_decode("Miss exponent in number.", j - 1)
    end
    i = stop + 1
  end
  local number = tonumber(sub(text, pos, i - 1))
  if number == huge or number == -huge then
    fail_decode("Number too big to be stored in double.", pos - 1)
  end
  return number, i
end

-- The number at pos; returns it and the position after it. The common forms ("12", "-3.5",
-- "0.25") take one pattern; tonumber gives integers that fit in 64 bits, else floats.
local function parse_number(text, pos)
  local _, stop = find(text, "^-?[1-9]%d*%.?%d*", pos)
  if not stop then
    _, stop = find(text, "^-?0%.%d+", pos)
  end
  if stop then
    local last, after = byte(text, stop, stop + 1)
    if last ~= 46 and after ~= 101 and after ~= 69 then
      local number = tonumber(sub(text, pos, stop))
      if number ~= huge and number ~= -huge then
        return number, stop + 1
      end
    end
  end
  return parse_number_slowly(text, pos)
end

local LITERALS = { [116] = "true", [102] = "false", [110] = "null" }
local LITERAL_VALUES = { [116] = true, [102] = false, [110] = null }

local function parse_literal(text, pos, c)
  local word = LITERALS[c]
  local size = #word
  if sub(text, pos, pos + size - 1) == word then
    return LITERAL_VALUES[c], pos + size
  end
  local matched = 1
  while byte(text, pos + matched) == byte(word, matched + 1) do
    matched = matched + 1
  end
  fail_decode("Invalid value.", pos - 1 + matched)
end

local TOO_DEEP = format("Nested too deep (more than %d levels of arrays and objects).",
  DECODE_MAX_DEPTH)

local parse_value

local function parse_array(text, pos, depth)
  if depth > DECODE_MAX_DEPTH then
    fail_decode(TOO_DEEP, pos - 1)
  end
  local array = setmetatable({}, array_mt)
  pos = pos + 1
  local c = byte(text, pos)
  if SPACE[c] then
    pos, c = skip(text, pos)
  end
  if c == 93 then -- ']'
    return array, pos + 1
  end
  local count = 0
  while true do
    local v
    v, pos = parse_value(text, pos, c, depth)
    count = count + 1
    array[count] = v
    c = byte(text, pos)
    if SPACE[c] then
      pos, c = skip(text, pos)
    end
    if c == 44 then -- ','
      pos = pos + 1
      c = byte(text, pos)
      if SPACE[c] then
        pos, c = skip(text, pos)
      end
    elseif c == 93 then
      return array, pos + 1
    else
      fail_decode("Missing a comma or ']' after an array element.", pos - 1)
    end
  end
end

local function parse_object(text, pos, depth)
  if depth > DECODE_MAX_DEPTH then
    fail_decode(TOO_DEEP, pos - 1)
  end
  local object = setmetatable({}, object_mt)
  pos = pos + 1
  local c = byte(text, pos)
  if SPACE[c] then
    pos, c = skip(text, pos)
  end
  if c == 125 then -- '}'
    return object, pos + 1
  end
  while true do
    if c ~= 34 then
      fail_decode("Missing a name for object member.", pos - 1)
    end
    local key, v
    key, pos = parse_string(text, pos)
    c = byte(text, pos)
    if SPACE[c] then
      pos, c = skip(text, pos)
    end
    if c ~= 58 then -- ':'
      fail_decode("Missing a colon after a name of object member.", pos - 1)
    end
    pos = pos + 1
    c = byte(text, pos)
    if SPACE[c] then
      pos, c = skip(text, pos)
    end
    v, pos = parse_value(text, pos, c, depth)
    object[key] = v
    c = byte(text, pos)
    if SPACE[c] then
      pos, c = skip(text, pos)
    end
    if c == 44 then -- ','
      pos = pos + 1
      c = byte(text, pos)
      if SPACE[c] then
        pos, c = skip(text, pos)
      end
    elseif c == 125 then
      return object, pos + 1
    else
      fail_decode("Missing a comma or '}' after an object member.", pos - 1)
    end
  end
end

-- The value at pos, whose first byte is c; returns it and the position after it.
parse_value = function(text, pos, c, depth)
  if c == 34 then -- '"'
    local _, stop = find(text, PLAIN_STRING, pos + 1)
    if stop then
      return sub(text, pos + 1, stop - 1), stop + 1
    end
    return parse_escaped_string(text, pos)
  elseif c == 123 then -- '{'
    return parse_object(text, pos, depth + 1)
  elseif c == 91 then -- '['
    return parse_array(text, pos, depth + 1)
  elseif LITERALS[c] then
    return parse_literal(text, pos, c)
  end
  return parse_number(text, pos)
end

local function parse_document(text)
  local pos, c = skip(text, 1)
  if c == nil or c == 0 then
    fail_decode("The document is empty.", pos - 1)
  end
  local value
  value, pos = parse_value(text, pos, c, 0)
  pos, c = skip(text, pos)
  if c ~= nil and c ~= 0 then
    fail_decode("The document root must not be followed by other values.", pos - 1)
  end
  return value
end

--- Decodes JSON text; returns the value, or nil and a message; raises if text is no string.
function rapidjson.decode(text)
  if type(text) ~= "string" then
    error(format("bad argument #1 to 'decode' (string expected, got %s)", type(text)), 2)
  end
  local ok, result = pcall(parse_document, text)
  if not ok then
    if getmetatable(result) == Failure then
      return nil, result.message
    end
    error(result, 0)
  end
  return result
end

return rapidjson
