"""ws_widget's pure-Lua `require("rapidjson")`: the Q-SYS help's examples, lua-rapidjson's
behaviour (its spec/ folder, its C++ writer and RapidJSON's reader), errors and round trips.

The module is loaded as the Q-SYS runtime loads it: `load(text, "=rapidjson", "t", env)` with
an env of the standard libraries only; the env is then emptied and made to raise on any use,
so every test also shows that the module reads no global after loading.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lupa import lua53

import ws_widget

MODULE = Path(ws_widget.__file__).parent / "qsys" / "rapidjson.lua"

ENV_NAMES = (
    "string table math utf8 pairs ipairs next type tostring tonumber select error pcall "
    "setmetatable getmetatable rawget rawset rawlen rawequal"
)

LOADER = b"""
local names, text = ...
local env = {}
for name in string.gmatch(names, "%S+") do env[name] = _G[name] end
local chunk, err = load(text, "=rapidjson", "t", env)
if not chunk then error(err) end
local module = chunk()
for name in pairs(env) do env[name] = nil end
setmetatable(env, {
  __index = function(_, name) error("rapidjson read the global " .. tostring(name)) end,
  __newindex = function(_, name) error("rapidjson wrote the global " .. tostring(name)) end,
})
local script = setmetatable({rapidjson = module}, {__index = _G})
return module, env, function(source, ...)
  local case, cerr = load("return " .. source, "=case", "t", script)
  if not case then error(cerr) end
  return case(...)
end
"""


class Lua:
    """A Lua 5.3 state holding the module, and a way to evaluate expressions beside it."""

    def __init__(self) -> None:
        self.runtime = lua53.LuaRuntime(
            encoding=None,
            register_eval=False,
            register_builtins=False,
            unpack_returned_tuples=True,
        )
        loader = self.runtime.execute(b"return function(...) " + LOADER + b" end")
        self.module, self.env, self._run = loader(ENV_NAMES.encode(), MODULE.read_bytes())

    def run(self, expression: str, *args: Any) -> Any:
        """The value(s) of a Lua expression; `...` holds args; `rapidjson` is the module."""
        return self._run(expression.encode(), *args)


@pytest.fixture(scope="module")
def lua() -> Lua:
    """One Lua state with the module loaded, shared by this file's tests."""
    return Lua()


def nested(depth: int, inner: str = "{}") -> str:
    """A Lua constructor of `depth` tables nested in one another."""
    return "{" * (depth - 1) + inner + "}" * (depth - 1)


# Lua expression -> the JSON text that rapidjson.encode returns.
ENCODED = [
    # The Q-SYS help's examples.
    ("rapidjson.encode({})", b"{}"),
    ("rapidjson.encode(rapidjson.array())", b"[]"),
    ("rapidjson.encode(rapidjson.null)", b"null"),
    ("rapidjson.encode(123)", b"123"),
    ("rapidjson.encode(3.14)", b"3.14"),
    ("rapidjson.encode({rapidjson.null})", b"[null]"),
    ("rapidjson.encode({true, false})", b"[true,false]"),
    ("rapidjson.encode({a=true, b=false}, {sort_keys=true})", b'{"a":true,"b":false}'),
    # Simple values.
    ("rapidjson.encode(true)", b"true"),
    ("rapidjson.encode(false)", b"false"),
    ("rapidjson.encode(nil)", b"null"),
    ("rapidjson.encode(rapidjson.null())", b"null"),
    ("rapidjson.encode('very funny')", b'"very funny"'),
    ("rapidjson.encode('')", b'""'),
    # Integers, and integral floats, as integers (lua-rapidjson).
    ("rapidjson.encode(0)", b"0"),
    ("rapidjson.encode(-1)", b"-1"),
    ("rapidjson.encode(math.maxinteger)", b"9223372036854775807"),
    ("rapidjson.encode(math.mininteger)", b"-9223372036854775808"),
    ("rapidjson.encode(1.0)", b"1"),
    ("rapidjson.encode(-0.0)", b"0"),
    ("rapidjson.encode(10 / 2)", b"5"),
    ("rapidjson.encode(-2.0^63)", b"-9223372036854775808"),
    ("rapidjson.encode({id=7})", b'{"id":7}'),
    # Floats: the shortest text that reads back, in RapidJSON's layout.
    ("rapidjson.encode(12.34)", b"12.34"),
    ("rapidjson.encode(-0.5)", b"-0.5"),
    ("rapidjson.encode(0.1)", b"0.1"),
    ("rapidjson.encode(1/3)", b"0.3333333333333333"),
    ("rapidjson.encode(2/3)", b"0.6666666666666666"),
    ("rapidjson.encode(0.1 + 0.2)", b"0.30000000000000004"),
    ("rapidjson.encode(123456789.125)", b"123456789.125"),
    ("rapidjson.encode(0.000001)", b"0.000001"),
    ("rapidjson.encode(0.00001234)", b"0.00001234"),
    ("rapidjson.encode(1e-7)", b"1e-7"),
    ("rapidjson.encode(-1.5e-7)", b"-1.5e-7"),
    ("rapidjson.encode(2.0^63)", b"9223372036854776000.0"),
    ("rapidjson.encode(1e20)", b"100000000000000000000.0"),
    ("rapidjson.encode(1e21)", b"1e21"),
    ("rapidjson.encode(1.5e300)", b"1.5e300"),
    ("rapidjson.encode(2.3456789012e76)", b"2.3456789012e76"),
    ("rapidjson.encode(1.7976931348623157e308)", b"1.7976931348623157e308"),
    ("rapidjson.encode(5e-324)", b"5e-324"),
    ("rapidjson.encode(2.0^-24)", b"5.960464477539063e-8"),
    ("rapidjson.encode(2.0^-1022)", b"2.2250738585072014e-308"),
    (
        "rapidjson.encode({1000, -1000, 23.4, -23.4, 1.99e3, -100E5, -100e-5, 100e5, 1.99E3,"
        " -1.99e-3, -1.99e3, 1E20})",
        b"[1000,-1000,23.4,-23.4,1990,-10000000,-0.001,10000000,1990,-0.00199,-1990,100000000000000000000.0]",
    ),
    # Strings: JSON escapes; every other byte as is (UTF-8 kept, "/" and DEL unescaped).
    (
        """rapidjson.encode({'"', '\\\\', '/', '\\b', '\\f', '\\n', '\\r', '\\t', '!'})""",
        b'["\\"","\\\\","/","\\b","\\f","\\n","\\r","\\t","!"]',
    ),
    ("rapidjson.encode('\\0\\1\\31\\127')", b'"\\u0000\\u0001\\u001F\x7f"'),
    ("rapidjson.encode('caf\\u{E9} \\u{20AC} \\u{1F600}')", '"café € 😀"'.encode()),
    ("rapidjson.encode({['k\\n']='v\"'})", b'{"k\\n":"v\\""}'),
    # Tables: array or object.
    ("rapidjson.encode({1, 2.1, '3', true})", b'[1,2.1,"3",true]'),
    ("rapidjson.encode({1, 2, x=3})", b"[1,2]"),
    ("rapidjson.encode({[true]=1, [1.5]=2, a=3})", b'{"a":3}'),
    ("rapidjson.encode({['1']=1})", b'{"1":1}'),
    ("rapidjson.encode(setmetatable({}, {__jsontype='array'}))", b"[]"),
    ("rapidjson.encode(setmetatable({}, {__jsontype='object'}))", b"{}"),
    ("rapidjson.encode(setmetatable({1, 2}, {__jsontype='object'}))", b"{}"),
    ("rapidjson.encode(setmetatable({x=1}, {__jsontype='array'}))", b"[]"),
    ("rapidjson.encode(rapidjson.array({x=1, 5}))", b"[5]"),
    ("rapidjson.encode(rapidjson.object({5, x=1}))", b'{"x":1}'),
    ("rapidjson.encode(rapidjson.object())", b"{}"),
    ("rapidjson.encode({a={}})", b'{"a":{}}'),
    ("rapidjson.encode({a={}}, {empty_table_as_array=true})", b'{"a":[]}'),
    ("rapidjson.encode({}, {empty_table_as_array=true})", b"[]"),
    ("rapidjson.encode(rapidjson.object(), {empty_table_as_array=true})", b"{}"),
    (
        "rapidjson.encode({a={{b={1.1,2.2,3.3}, c={}}, {}}}, {sort_keys=true})",
        b'{"a":[{"b":[1.1,2.2,3.3],"c":{}},{}]}',
    ),
    (
        "rapidjson.encode({Z=true, a=true, z=true, b=true, A=true, B=true}, {sort_keys=true})",
        b'{"A":true,"B":true,"Z":true,"a":true,"b":true,"z":true}',
    ),
    ("rapidjson.encode({1, 2}, {sort_keys=false, pretty=false})", b"[1,2]"),
    ("rapidjson.encode({1, {2}}, {max_depth=2})", b"[1,[2]]"),
    ("rapidjson.encode(" + nested(128) + ")", b"[" * 127 + b"{}" + b"]" * 127),
    # The same table twice is no cycle.
    ("(function() local t = {1} return rapidjson.encode({t, t}) end)()", b"[[1],[1]]"),
    # Pretty: 4 spaces, ": " after a name, empty tables kept short.
    (
        "rapidjson.encode({a={{b={1.1,2.2,3.3}}, {}}}, {pretty=true})",
        b'{\n    "a": [\n        {\n            "b": [\n                1.1,\n'
        b"                2.2,\n                3.3\n            ]\n        },\n"
        b"        {}\n    ]\n}",
    ),
    (
        "rapidjson.encode({Z=true, a=true, z=true, b=true, A=true, B=true}, {sort_keys=true, pretty=true})",
        b'{\n    "A": true,\n    "B": true,\n    "Z": true,\n    "a": true,\n'
        b'    "b": true,\n    "z": true\n}',
    ),
    ("rapidjson.encode(12, {pretty=true})", b"12"),
    ("rapidjson.encode({}, {pretty=true})", b"{}"),
    ("rapidjson.encode({{}, rapidjson.array()}, {pretty=true})", b"[\n    {},\n    []\n]"),
    # What decode returns encodes back the same.
    ("rapidjson.encode(rapidjson.decode('[]'))", b"[]"),
    ("rapidjson.encode(rapidjson.decode('{}'))", b"{}"),
    ("rapidjson.encode(rapidjson.decode('{\"a\":[]}'))", b'{"a":[]}'),
    ("rapidjson.encode(rapidjson.decode('[null,{},[[]]]'))", b"[null,{},[[]]]"),
    ("rapidjson.encode(rapidjson.decode('[1.0,-0.0,1e2]'))", b"[1,0,100]"),
]


@pytest.mark.parametrize(("expression", "expected"), ENCODED)
def test_encode(lua, expression, expected):
    """rapidjson.encode gives lua-rapidjson's JSON text."""
    assert lua.run(expression) == expected


# JSON text -> a Lua condition on `v`, the value decode returns.
DECODED = [
    # The Q-SYS help's example, and lua-rapidjson's spec.
    (b"[null]", "#v == 1 and v[1] == rapidjson.null"),
    (b"null", "v == rapidjson.null"),
    (b"true", "v == true"),
    (b"false", "v == false"),
    (b'"very funny"', "v == 'very funny'"),
    (b'{"a":null}', "v.a == rapidjson.null"),
    (b'[1, 2, "3", true]', "#v == 4 and v[1] == 1 and v[3] == '3' and v[4] == true"),
    (
        b'{"a":1, "b":2.1, "c":"", "d":false}',
        "v.a == 1 and v.b == 2.1 and v.c == '' and v.d == false",
    ),
    (
        b' {"a":[{"b":[1, 2, 3], "c":{}}, {}]} ',
        "#v.a == 2 and v.a[1].b[3] == 3 and next(v.a[1].c) == nil and next(v.a[2]) == nil",
    ),
    # Tables carry __jsontype, so that they encode back as they came.
    (b"[]", "next(v) == nil and getmetatable(v).__jsontype == 'array'"),
    (b"{}", "next(v) == nil and getmetatable(v).__jsontype == 'object'"),
    (b'{"a":[1]}', "getmetatable(v.a) == getmetatable(rapidjson.array())"),
    (b'{"1":1}', "v['1'] == 1 and v[1] == nil"),
    (b'{"a":1,"a":2}', "v.a == 2"),
    # Numbers: integers that fit in 64 bits are integers, the rest floats.
    (b"1234", "math.type(v) == 'integer' and v == 1234"),
    (b"-0", "math.type(v) == 'integer' and v == 0"),
    (b"12.34", "math.type(v) == 'float' and v == 12.34"),
    (b"1.0", "math.type(v) == 'float' and v == 1"),
    (b"-0.0", "math.type(v) == 'float' and 1 / v == -math.huge"),
    (b"0.25", "v == 0.25"),
    (b"1e2", "math.type(v) == 'float' and v == 100"),
    (b"1E+2", "v == 100"),
    (b"-1.99e-3", "v == -1.99e-3"),
    (b"23456789012E66", "v == 23456789012E66"),
    (b"1e-400", "v == 0"),
    (b"5e-324", "v == 5e-324"),
    (b"9223372036854775807", "math.type(v) == 'integer' and v == math.maxinteger"),
    (b"-9223372036854775808", "math.type(v) == 'integer' and v == math.mininteger"),
    (b"9223372036854775808", "math.type(v) == 'float' and v == 2^63"),
    (b"-9223372036854775809", "math.type(v) == 'float' and v == -2^63"),
    (b"18446744073709551615", "math.type(v) == 'float' and v == 2^64"),
    (b"100000000000000000000", "math.type(v) == 'float' and v == 1e20"),
    # Strings: escapes, \u escapes and surrogate pairs to UTF-8, raw bytes kept.
    (
        b' ["\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0021"] ',
        "table.concat(v) == '\"\\\\/\\b\\f\\n\\r\\t!'",
    ),
    (b'"\\u00e9\\u20AC"', "v == '\\u{E9}\\u{20AC}'"),
    (b'"\\ud83d\\ude00"', "v == '\\u{1F600}'"),
    (b'"\\uD834\\uDD1E"', "v == '\\xF0\\x9D\\x84\\x9E'"),
    (b'"\\udc00"', "v == '\\xED\\xB0\\x80'"),
    (b'"a\\u0000b"', "v == 'a\\0b' and #v == 3"),
    ('"café € 😀"'.encode(), "v == 'caf\\u{E9} \\u{20AC} \\u{1F600}'"),
    (b'"\xff\xfe"', "v == '\\xff\\xfe'"),
    (b'"\x7f"', "v == '\\127'"),
    (b'"x\\n\\"y\\"\\n" ', "v == 'x\\n\"y\"\\n'"),
    # Whitespace, and a NUL byte that ends the text as in RapidJSON.
    (b" \t\r\n[ 1 ,\n 2 ] \n", "#v == 2 and v[2] == 2"),
    (b"[1]\x00garbage", "#v == 1 and v[1] == 1"),
]


@pytest.mark.parametrize(("text", "condition"), DECODED)
def test_decode(lua, text, condition):
    """rapidjson.decode gives the Lua value lua-rapidjson gives."""
    assert lua.run("(function(v, m) return " + condition + " end)(rapidjson.decode(...))", text)


# Bad JSON -> RapidJSON's message with the 0-based byte offset.
DECODE_ERRORS = [
    (b"", "The document is empty. (0)"),
    (b"  \n", "The document is empty. (3)"),
    (b"\x00", "The document is empty. (0)"),
    (b"{}10", "The document root must not be followed by other values. (2)"),
    (b"01", "The document root must not be followed by other values. (1)"),
    (b"[1] [2]", "The document root must not be followed by other values. (4)"),
    (b'{"a":b}', "Invalid value. (5)"),
    (b"tru", "Invalid value. (3)"),
    (b"[nul]", "Invalid value. (4)"),
    (b"fals", "Invalid value. (4)"),
    (b"-", "Invalid value. (1)"),
    (b"[-a]", "Invalid value. (2)"),
    (b"[1,]", "Invalid value. (3)"),
    (b"[", "Invalid value. (1)"),
    (b"[.5]", "Invalid value. (1)"),
    (b"NaN", "Invalid value. (0)"),
    (b"{12}", "Missing a name for object member. (1)"),
    (b"{", "Missing a name for object member. (1)"),
    (b'{"a":1,}', "Missing a name for object member. (7)"),
    (b'{"a",}', "Missing a colon after a name of object member. (4)"),
    (b'{"a":[] "b":[]}', "Missing a comma or '}' after an object member. (8)"),
    (b'{"a":1', "Missing a comma or '}' after an object member. (6)"),
    (b"[{}{}]", "Missing a comma or ']' after an array element. (3)"),
    (b"[1 2]", "Missing a comma or ']' after an array element. (3)"),
    (b"[01]", "Missing a comma or ']' after an array element. (2)"),
    (b'["\\uke"]', "Incorrect hex digit after \\u escape in string. (2)"),
    (b'["\\ud83d\\u12"]', "Incorrect hex digit after \\u escape in string. (2)"),
    (b'["\\ud800"]', "The surrogate pair in string is invalid. (2)"),
    (b'["\\ud800\\u0041"]', "The surrogate pair in string is invalid. (2)"),
    (b'["\\p"]', "Invalid escape character in string. (2)"),
    (b'["a\\\'"]', "Invalid escape character in string. (3)"),
    (b'["a]', "Missing a closing quotation mark in string. (4)"),
    (b'"ab\\"', "Missing a closing quotation mark in string. (5)"),
    (b'"a\x00b"', "Missing a closing quotation mark in string. (2)"),
    (b'"a\nb"', "Invalid encoding in string. (2)"),
    (b'"\\n\t"', "Invalid encoding in string. (3)"),
    (b"[999999999999999999e9999999999999999999]", "Number too big to be stored in double. (1)"),
    (b"[1e400]", "Number too big to be stored in double. (1)"),
    (b"-" + b"9" * 400, "Number too big to be stored in double. (0)"),
    (b"[0.,]", "Miss fraction part in number. (3)"),
    (b"1.e5", "Miss fraction part in number. (2)"),
    (b"[1.2e,]", "Miss exponent in number. (5)"),
    (b"1e+", "Miss exponent in number. (3)"),
]


@pytest.mark.parametrize(("text", "message"), DECODE_ERRORS)
def test_decode_error(lua, text, message):
    """rapidjson.decode returns nil and RapidJSON's message with the offset for bad JSON."""
    assert lua.run("rapidjson.decode(...)", text) == (None, message.encode())


# Lua expression -> the message that comes after encode's nil.
ENCODE_ERRORS = [
    ("rapidjson.encode(print)", "unsupported value type : function"),
    ("rapidjson.encode({1, print})", "unsupported value type : function"),
    ("rapidjson.encode({a={b=print}})", "unsupported value type : function"),
    ("rapidjson.encode(io.stdout)", "unsupported value type : userdata"),
    ("rapidjson.encode(coroutine.create(print))", "unsupported value type : thread"),
    ("rapidjson.encode()", "unsupported value type : no value"),
    ("rapidjson.encode(0/0)", "error while encode double value."),
    ("rapidjson.encode(math.huge)", "error while encode double value."),
    ("rapidjson.encode({x=-math.huge})", "error while encode double value."),
    ("rapidjson.encode(" + nested(129) + ")", "nested too depth"),
    ("rapidjson.encode({b={c={e={}}}}, {max_depth=2})", "nested too depth"),
    (
        "(function() local t = {} t.b = t return rapidjson.encode(t) end)()",
        "circular reference: a table contains itself",
    ),
    (
        "(function() local t = {} t[1] = {t} return rapidjson.encode(t, {max_depth=1000}) end)()",
        "circular reference: a table contains itself",
    ),
]


@pytest.mark.parametrize(("expression", "message"), ENCODE_ERRORS)
def test_encode_error(lua, expression, message):
    """rapidjson.encode returns nil and a message for a value JSON cannot hold."""
    assert lua.run(expression) == (None, message.encode())


# Lua expression -> the error it raises (misuse raises, as in lua-rapidjson).
RAISED = [
    ("rapidjson.decode()", "bad argument #1 to 'decode' (string expected, got nil)"),
    ("rapidjson.decode(12)", "bad argument #1 to 'decode' (string expected, got number)"),
    ("rapidjson.decode({})", "bad argument #1 to 'decode' (string expected, got table)"),
    ("rapidjson.encode({}, 5)", "bad argument #2 to 'encode' (table expected, got number)"),
    ("rapidjson.encode({}, {max_depth='x'})", "max_depth must be an integer"),
    ("rapidjson.object(5)", "bad argument #1 to 'object' (optional table expected, got number)"),
    ("rapidjson.array('x')", "bad argument #1 to 'array' (optional table expected, got string)"),
]


@pytest.mark.parametrize(("expression", "message"), RAISED)
def test_misuse_raises(lua, expression, message):
    """A wrong argument type raises a Lua error that names it."""
    with pytest.raises(lua53.LuaError, match=message.replace("(", r"\(").replace(")", r"\)")):
        lua.run(expression)


def test_encode_error_inside_pcall_is_not_an_error(lua):
    """A value encode cannot hold gives nil and a message, not a Lua error, under pcall."""
    assert lua.run("pcall(rapidjson.encode, {print})") == (
        True,
        None,
        b"unsupported value type : function",
    )


def test_null_is_a_function_returning_itself(lua):
    """rapidjson.null is a function, and calling it returns it."""
    assert lua.run("type(rapidjson.null), rapidjson.null() == rapidjson.null") == (
        b"function",
        True,
    )


def test_object_and_array_make_tables(lua):
    """object() and array() return new tables sharing one metatable per kind."""
    assert lua.run(
        "(function() local a, b = rapidjson.array(), rapidjson.array() "
        "return a ~= b and getmetatable(a) == getmetatable(b) "
        "and getmetatable(a).__jsontype == 'array' "
        "and getmetatable(rapidjson.object()).__jsontype == 'object' end)()"
    )


def test_object_and_array_keep_an_existing_metatable(lua):
    """object(t) and array(t) return t and set __jsontype in the metatable t already has."""
    assert lua.run(
        "(function() local mt = {} local t = setmetatable({my=true}, mt) "
        "local same = rapidjson.array(t) == t and getmetatable(t) == mt "
        "and mt.__jsontype == 'array' "
        "rapidjson.object(t) return same and mt.__jsontype == 'object' end)()"
    )


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("rapidjson.load('media/x.json')", "rapidjson.load is not available in ws_widget"),
        ("rapidjson.dump({}, 'media/x.json')", "rapidjson.dump is not available in ws_widget"),
    ],
)
def test_files_are_not_available(lua, expression, words):
    """load and dump return nil and a message saying scripts have no files here."""
    value, message = lua.run(expression)
    assert value is None
    assert message.decode().startswith(words)


def test_document_and_schema_are_absent(lua):
    """Document, SchemaDocument and SchemaValidator index to nil."""
    assert lua.run("rapidjson.Document, rapidjson.SchemaDocument, rapidjson.SchemaValidator") == (
        None,
        None,
        None,
    )


def test_module_keeps_working_without_globals(lua):
    """After loading, the module works with an env that raises on every global access."""
    assert lua.run("next(...) == nil", lua.env)
    with pytest.raises(lua53.LuaError, match="read the global string"):
        lua.run("(...).string", lua.env)
    text = b'{"a":[1,2.5,"\\u00e9\\n",true,null,{}],"b":{"c":-3e-9}}'
    assert lua.run("rapidjson.encode(rapidjson.decode(...), {pretty=true, sort_keys=true})", text) == (
        b'{\n    "a": [\n        1,\n        2.5,\n        "\xc3\xa9\\n",\n        true,\n'
        b'        null,\n        {}\n    ],\n    "b": {\n        "c": -3e-9\n    }\n}'
    )
    assert lua.run("rapidjson.decode('[1,')") == (None, b"Invalid value. (3)")


def test_decode_nesting_limit(lua):
    """decode takes 1024 levels of nesting and refuses deeper ones with a message."""
    deep = b"[" * 1024 + b"]" * 1024
    assert lua.run("rapidjson.encode(rapidjson.decode(...), {max_depth=1024}) == ...", deep)
    assert lua.run("rapidjson.decode(...)", b"[" * 1025 + b"]" * 1025) == (
        None,
        b"Nested too deep (more than 1024 levels of arrays and objects). (1024)",
    )


def test_decode_hostile_nesting_is_a_message(lua):
    """A hundred thousand open brackets give nil and a message, not a crash."""
    value, message = lua.run("rapidjson.decode(...)", b'{"a":' * 50_000 + b"[" * 50_000)
    assert value is None
    assert message.startswith(b"Nested too deep")


def test_big_integers_round_trip(lua):
    """Integers at the ends of the 64-bit range decode as integers and encode back unchanged."""
    text = b"[9223372036854775807,-9223372036854775808,4611686018427387904,-1]"
    assert lua.run("rapidjson.encode(rapidjson.decode(...))", text) == text
    assert lua.run("math.type(rapidjson.decode(...)[1])", text) == b"integer"


def sample_document(size: int) -> list[Any]:
    """A Q-SYS-like document of about `size` bytes of JSON: controls, levels, names, flags."""
    rng = random.Random(size)
    doc: list[Any] = []
    total = 0
    while total < size:
        i = len(doc)
        doc.append(
            {
                "Name": f"Channel{i}Gain",
                "Value": round(rng.uniform(-100, 20), 2),
                "Position": rng.random(),
                "String": f'{rng.uniform(-100, 20):.1f}dB "peak" \u00e9\u20ac\U0001f600\n',
                "Index": i,
                "Big": rng.randint(-(2**63), 2**63 - 1),
                "Choices": ["a", "b", None, True, False, []],
                "Nested": {"Deeper": {"Empty": {}, "List": [1.5e-7, -2.5e300, 0]}},
            }
        )
        total += len(json.dumps(doc[-1])) + 2
    return doc


@pytest.mark.parametrize("size", [20_000, 1_100_000])
def test_large_documents_round_trip(lua, size):
    """A document past 16 KiB (and one past 1 MiB) decodes and encodes back to equal JSON."""
    doc = sample_document(size)
    text = json.dumps(doc).encode()
    assert len(text) > size
    out = lua.run("rapidjson.encode(rapidjson.decode(...))", text)
    assert typed(json.loads(out)) == typed(expected_after_round_trip(doc))
    compact = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()
    assert lua.run("rapidjson.decode(...)[2].Nested.Deeper.List[2]", compact) == -2.5e300


def expected_after_round_trip(value: Any) -> Any:
    """What lua-rapidjson turns a value into: integral floats in int64 range become integers."""
    if isinstance(value, float) and value.is_integer() and -(2.0**63) <= value < 2.0**63:
        return int(value)
    if isinstance(value, list):
        return [expected_after_round_trip(v) for v in value]
    if isinstance(value, dict):
        return {k: expected_after_round_trip(v) for k, v in value.items()}
    return value


def typed(value: Any) -> Any:
    """The value with each scalar tagged by its type, so that 1, 1.0 and True differ."""
    if isinstance(value, list):
        return [typed(v) for v in value]
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    return (type(value).__name__, value)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=6) | st.dictionaries(st.text(max_size=8), children, max_size=6)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(value=json_values, ensure_ascii=st.booleans())
def test_round_trip(lua, value, ensure_ascii):
    """json.dumps -> Lua decode -> Lua encode -> json.loads gives the value back exactly."""
    text = json.dumps(value, ensure_ascii=ensure_ascii).encode()
    out = lua.run("rapidjson.encode(rapidjson.decode(...))", text)
    assert isinstance(out, bytes)
    assert typed(json.loads(out)) == typed(expected_after_round_trip(value))


@settings(max_examples=300, deadline=None)
@given(x=st.floats(allow_nan=False, allow_infinity=False))
def test_float_text_is_shortest(lua, x):
    """A float is written with as few significant digits as Python's repr, and reads back."""
    out = lua.run("rapidjson.encode(...)", x).decode()
    assert float(out) == x
    if math.isfinite(x) and not (x.is_integer() and abs(x) < 2.0**63):
        digits = out.lstrip("-").split("e")[0].replace(".", "").strip("0")
        shortest = repr(abs(x)).split("e")[0].replace(".", "").strip("0")
        assert len(digits) == len(shortest)
