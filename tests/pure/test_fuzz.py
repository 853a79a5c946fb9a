"""Property tests with hypothesis (issue 7, item 6): the composer's parsers, Connect's argument
checks, secret masking and the widget's record encoding, fed random and hostile input.

Each property says which exceptions are allowed (ValueError/TypeError, with a message) and what
must hold of an accepted input. Examples are random on every run; a failure prints the
smallest input found and the ``@reproduce_failure`` line.
"""

from __future__ import annotations

import base64
import json
import os
import re
import string
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from websockets.uri import parse_uri

from ws_widget import connect
from ws_widget.pure.browse import (
    ROW_PREVIEW_BYTES,
    ROW_PREVIEW_CHARS,
    Browser,
    RecordFilter,
    encode_detail,
    encode_records,
    searchable_text,
)
from ws_widget.pure.history import History, Record
from ws_widget.pure.messages import COMPOSER_MODES, encode_message, parse_composed
from ws_widget.pure.redact import MASK, mask_headers, mask_url
from ws_widget.pure.target import build_target

# In CI the examples are derandomised, so that a run is repeatable; locally each run explores anew.
FUZZ = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=bool(os.environ.get("CI")),
)
FEW = settings(FUZZ, max_examples=100)

# Text of every kind: ASCII, any Unicode, lone surrogates (JavaScript strings carry them), controls.
any_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(blacklist_categories=())),  # surrogates included
    st.text(alphabet=string.printable),
    st.text(alphabet="0123456789abcdefABCDEFxX ,:;-\t\n\r"),  # near-hex
    st.text(alphabet=string.ascii_letters + string.digits + "+/= \n"),  # near-base64
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(blacklist_categories=())),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5),
    max_leaves=25,
)


# The composer: parse_composed(text, mode).


@FUZZ
@given(text=any_text, mode=st.one_of(st.sampled_from(COMPOSER_MODES), st.text(max_size=8)))
def test_parse_composed_raises_only_value_or_type_error(text, mode):
    """Any typed text is a payload of its mode or a ValueError with a message."""
    try:
        result = parse_composed(text, mode)
    except ValueError as exc:
        assert str(exc)
        return
    assert mode in COMPOSER_MODES
    if mode == "text":
        assert result is text
    elif mode == "json":
        assert result is text
        json.loads(text)  # what was accepted is JSON
    else:
        assert isinstance(result, bytes)


@FUZZ
@given(
    value=st.one_of(st.none(), st.integers(), st.binary(), st.lists(st.text()), st.floats()),
    mode=st.sampled_from(COMPOSER_MODES),
)
def test_parse_composed_refuses_non_str(value, mode):
    """What is not a str is refused with a TypeError naming it."""
    with pytest.raises(TypeError, match="text must be a str"):
        parse_composed(value, mode)


def _hex_styles(data: bytes):
    return st.sampled_from(
        [
            data.hex(),
            data.hex().upper(),
            data.hex(" "),
            data.hex(":"),
            data.hex("-"),
            ", ".join(f"0x{b:02x}" for b in data),
            ",".join(f"0X{b:02X}" for b in data),
            "\n".join(data[i : i + 16].hex(" ") for i in range(0, len(data), 16)),
        ]
    )


@FUZZ
@given(data=st.binary(max_size=300).flatmap(lambda data: st.tuples(st.just(data), _hex_styles(data))))
def test_hex_of_random_bytes_round_trips(data):
    """Bytes written as hex in any accepted style parse back to the same bytes."""
    data, written = data
    assert parse_composed(written, "hex") == data


@FUZZ
@given(data=st.binary(max_size=300), wrapped=st.booleans(), spaces=st.integers(0, 5))
def test_base64_of_random_bytes_round_trips(data, wrapped, spaces):
    """Bytes written as base64, wrapped or padded with blanks, parse back to the same bytes."""
    written = (base64.encodebytes(data) if wrapped else base64.b64encode(data)).decode()
    written = (" " * spaces) + written + ("\n" * spaces)
    assert parse_composed(written, "base64") == data


@FUZZ
@given(value=json_values, ensure_ascii=st.booleans(), indent=st.sampled_from([None, 0, 2, "\t"]))
def test_valid_json_is_accepted_unchanged(value, ensure_ascii, indent):
    """Valid JSON is sent as typed, the same string."""
    text = json.dumps(value, ensure_ascii=ensure_ascii, indent=indent)
    assert parse_composed(text, "json") is text


@FUZZ
@given(constant=st.sampled_from(["NaN", "Infinity", "-Infinity"]), value=json_values)
def test_json_constants_outside_the_standard_are_refused(constant, value):
    """NaN, Infinity and -Infinity are refused as not valid JSON."""
    with pytest.raises(ValueError, match="not valid JSON"):
        parse_composed(f"[{json.dumps(value)}, {constant}]", "json")


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        "[" * 5_000 + "]" * 5_000,
        '{"a":' * 5_000 + "1" + "}" * 5_000,
    ],
)
def test_deeply_nested_json_is_a_value_error(text):
    """Nesting beyond the parser's recursion limit is refused as invalid, not a RecursionError
    (which the widget's message handler would not turn into an error reply)."""
    with pytest.raises(ValueError, match="nested too deeply"):
        parse_composed(text, "json")


@FUZZ
@given(text=any_text, is_binary=st.booleans())
@example(text="half an emoji \ud83d", is_binary=False)
def test_what_write_accepts_can_go_on_the_wire(text, is_binary):
    """A payload that Write accepts can be encoded for the wire; anything else is a ValueError now."""
    try:
        payload = encode_message(text, is_binary)
    except ValueError:
        return
    if isinstance(payload, str):
        payload.encode("utf-8")


def test_a_lone_surrogate_is_refused_and_the_connection_stays_open(server):
    """Write refuses a lone surrogate with a ValueError; the connection stays open and clean."""
    ws = connect(server.url("/echo"))
    errors = []
    ws.Error = lambda ws, err: errors.append(err)
    try:
        with pytest.raises(ValueError):
            ws.Write("half an emoji \ud83d")
        ws.send("still open")
        assert ws.receive(5) == "still open"
    finally:
        ws.close()
    assert errors == [] and ws.close_code == 1000


# Connect's arguments: build_target(protocol, host, url, port, sub_protocol, headers).

header_names = st.one_of(
    st.sampled_from(["Authorization", "Cookie", "X-Api-Key", "Origin", "X-Trace"]),
    any_text,
)
header_values = st.one_of(
    any_text,
    st.integers(),
    st.floats(),
    st.none(),
    st.booleans(),
    st.builds(
        lambda a, b, c: a + b + c, any_text, st.sampled_from(["\r\n", "\n", "\r", "\0", "é"]), any_text
    ),
)
headers = st.one_of(
    st.none(),
    st.dictionaries(header_names, header_values, max_size=4),
    st.lists(st.tuples(header_names, header_values), max_size=4),
    st.lists(st.lists(any_text, max_size=3), max_size=3),
    any_text,
    st.integers(),
)
hosts = st.one_of(
    st.sampled_from(["127.0.0.1", "core.local", "::1", "[::1]", "fe80::1%eth0", "localhost"]),
    any_text,
    st.integers(),
)
paths = st.one_of(
    st.none(), st.sampled_from(["/", "/qrc-public-api/v0", "/a?token=x", ""]), any_text, st.integers()
)
ports = st.one_of(st.none(), st.integers(-5, 70_000), st.floats(), st.booleans(), st.text(max_size=6))
protocols = st.one_of(st.sampled_from(["ws", "wss", "WS", "wss://", "http", ""]), any_text, st.none())
subprotocols = st.one_of(
    st.none(), st.sampled_from(["json", "mqtt"]), any_text, st.lists(any_text, max_size=3)
)
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")


@FUZZ
@given(protocol=protocols, host=hosts, url=paths, port=ports, sub_protocol=subprotocols, headers=headers)
def test_build_target_raises_only_value_or_type_error(protocol, host, url, port, sub_protocol, headers):
    """Any Connect arguments build a target safe for the wire or raise a ValueError or TypeError."""
    try:
        target = build_target(protocol, host, url, port, sub_protocol, headers)
    except (ValueError, TypeError) as exc:
        assert str(exc)
        return
    assert target.url.startswith(("ws://", "wss://"))
    assert not any(c in target.url for c in "\r\n \t")
    for name, value in target.headers:
        assert _TOKEN.match(name)
        assert isinstance(value, str) and value.isascii()
        assert not any(c in value for c in "\r\n\0")
    for name in target.subprotocols:
        assert _TOKEN.match(name)


@FUZZ
@given(
    name=st.sampled_from(["Authorization", "Cookie", "X-Custom"]),
    before=st.text(alphabet=string.ascii_letters),
    bad=st.sampled_from(["\r\n", "\n", "\r", "\0", "é", "\u2028", "\r\nX-Injected: 1"]),
    secret=st.text(alphabet=string.ascii_letters + string.digits, min_size=8, max_size=20),
)
def test_header_injection_is_refused_without_echoing_secrets(name, before, bad, secret):
    """A header value with CR, LF, NUL or non-ASCII is refused; a secret one is not quoted."""
    value = f"{before}{bad}{secret}"
    with pytest.raises(ValueError, match="CR, LF, NUL or non-ASCII") as refused:
        build_target("ws", "127.0.0.1", "/", 8765, None, {name: value})
    if name in ("Authorization", "Cookie"):
        assert secret not in str(refused.value) and MASK in str(refused.value)


printable_hosts = st.text(
    alphabet=string.ascii_letters + string.digits + string.punctuation, min_size=1, max_size=20
)


@FEW
@given(host=printable_hosts, port=st.integers(1, 65535))
@example(host="a@b", port=8765)
@example(host="x#y", port=8765)
@example(host="a]b", port=8765)
def test_an_accepted_host_is_the_host_connected_to(host, port):
    """Connect refuses at once a host that websockets would refuse or read differently ('a@b'
    would make 'a' a user name)."""
    try:
        target = build_target("ws", host, "/", port)
    except ValueError:
        return
    uri = parse_uri(target.url)
    expected = host.strip().lower()
    if expected.startswith("[") and expected.endswith("]"):
        expected = expected[1:-1]
    assert (uri.host, uri.port) == (expected, port)


@FEW
@given(path=st.text(alphabet=string.ascii_letters + "".join(map(chr, range(32))) + "\x7f/?=&"))
@example(path="/a\x00b")
def test_an_accepted_path_has_no_control_characters_on_the_wire(path):
    """An accepted path reaches the request line as printable ASCII only."""
    try:
        target = build_target("ws", "127.0.0.1", path, 8765)
    except ValueError:
        return
    assert all(32 < ord(c) < 127 for c in parse_uri(target.url).resource_name), repr(target.url)


# Masking: mask_url and mask_headers.

SECRET_QUERY_NAMES = [
    "token",
    "TOKEN",
    "access_token",
    "api_key",
    "apikey",
    "password",
    "secret",
    "auth",
    "sig",
    "signature",
    "session",
    "jwt",
    "X-Amz-Signature",
    "%74oken",
    "sid",
    "PHPSESSID",
    "JSESSIONID",
    "ASP.NET_SessionId",
    "connect.sid",
    "csrf",
    "XSRF-TOKEN",
    "id_token",
]
tokens = st.one_of(
    st.text(alphabet=string.ascii_letters + string.digits + "-_.~", min_size=8, max_size=40),
    st.text(min_size=8, max_size=40),  # any Unicode, percent-encoded in the URL
)
query_params = st.lists(
    st.tuples(
        st.text(alphabet=string.digits, min_size=1, max_size=4),  # names that are never secret-like
        st.text(alphabet=string.ascii_lowercase + string.digits, max_size=6),
    ),
    max_size=4,
)


@FUZZ
@given(
    token=tokens,
    name=st.sampled_from(SECRET_QUERY_NAMES),
    before=query_params,
    after=query_params,
    path=st.text(alphabet=string.ascii_lowercase + "/", max_size=12),
    port=st.one_of(st.none(), st.integers(1, 65535)),
    scheme=st.sampled_from(["ws", "wss"]),
    separator=st.sampled_from(["&", ";"]),
)
@example(token="0", name="token", before=[], after=[], path="", port=80, scheme="ws", separator="&")
def test_a_token_in_the_query_never_survives_masking(
    token, name, before, after, path, port, scheme, separator
):
    """Only the secret's value is masked in a URL and in a target, whatever surrounds it."""
    encoded = quote(token, safe="")
    others = [f"{k}={v}" for k, v in before], [f"{k}={v}" for k, v in after]
    query = separator.join(others[0] + [f"{name}={encoded}"] + others[1])
    url = f"{scheme}://device.local{'' if port is None else f':{port}'}/{path}?{query}"
    expected = url.replace(f"{name}={encoded}", f"{name}={MASK}")
    assert mask_url(url) == expected  # exactly the secret's value is masked, nothing else changes
    target = build_target(scheme, "device.local", f"/{path}?{query}", port)
    default_port = {"ws": 80, "wss": 443}[scheme]  # a target leaves the scheme's own port out
    assert target.masked_url == expected.replace(f"device.local:{default_port}/", "device.local/")
    assume(encoded not in expected and token not in expected)  # not also the path or another value by chance
    assert encoded not in target.masked_url and token not in target.masked_url


@FUZZ
@given(
    token=tokens,
    name=st.sampled_from(SECRET_QUERY_NAMES),
    before=query_params,
    after=query_params,
    route=st.sampled_from(["", "/", "/route?"]),
    path_parameter=st.booleans(),
)
def test_a_token_in_the_fragment_or_a_path_parameter_never_survives_masking(
    token, name, before, after, route, path_parameter
):
    """OAuth's #access_token=... and a servlet's ;jsessionid=... lose their value, nothing else."""
    encoded = quote(token, safe="")
    pieces = [f"{k}={v}" for k, v in before] + [f"{name}={encoded}"] + [f"{k}={v}" for k, v in after]
    if path_parameter:
        url = f"https://device.local/app;{name}={encoded}/ws?x=1"
        assert mask_url(url) == f"https://device.local/app;{name}={MASK}/ws?x=1"
    else:
        url = f"https://device.local/cb#{route}{'&'.join(pieces)}"
        assert mask_url(url) == url.replace(f"{name}={encoded}", f"{name}={MASK}")


@FUZZ
@given(token=tokens, user=st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=8))
def test_a_password_in_the_url_never_survives_masking(token, user):
    """The password of user:password@ in a URL is masked, the user kept."""
    encoded = quote(token, safe="")
    assert mask_url(f"wss://{user}:{encoded}@device.local/api") == f"wss://{user}:{MASK}@device.local/api"


@FUZZ
@given(
    token=tokens,
    name=st.sampled_from(
        [
            "Authorization",
            "authorization",
            "AUTHORIZATION",
            "Proxy-Authorization",
            "Cookie",
            "X-Api-Key",
            "X-Auth-Token",
        ]
    ),
    scheme=st.sampled_from(["Bearer ", "Basic ", "token=", ""]),
    others=st.lists(
        st.tuples(
            st.sampled_from(["Origin", "User-Agent", "X-Trace", "Sec-WebSocket-Version"]),
            st.text(alphabet=string.ascii_letters, max_size=10),
        ),
        max_size=4,
    ),
    index=st.integers(0, 4),
)
def test_an_authorization_header_never_survives_masking(token, name, scheme, others, index):
    """Secret headers are masked whole; the others are kept as they are."""
    pairs = list(others)
    pairs.insert(min(index, len(pairs)), (name, scheme + token))
    masked = mask_headers(pairs)
    assert masked == [(n, MASK if n == name else v) for n, v in pairs]
    assume(all(token not in value for _, value in others))
    assert all(token not in value for _, value in masked)


@FUZZ
@given(
    token=st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=8, max_size=60),
    style=st.sampled_from(["base64url.bearer.authorization.k8s.io.{}", "bearer.{}", "{}"]),
    others=st.lists(
        st.sampled_from(["base64.binary.k8s.io", "v4.channel.k8s.io", "graphql-ws", "mqtt"]), max_size=3
    ),
    index=st.integers(0, 3),
)
@example(token="0000-KEY", style="base64url.bearer.authorization.k8s.io.{}", others=["mqtt"], index=0)
def test_a_credential_in_a_subprotocol_never_survives_masking(token, style, others, index):
    """A token offered as a subprotocol is masked; the ordinary subprotocols beside it are kept."""
    entries = list(others)
    if style == "{}":  # the ["access_token", token] habit: a bare name, then the token
        entries[index:index] = ["access_token", token]
    else:
        entries.insert(index, style.format(token))
    ((_, masked),) = mask_headers([("Sec-WebSocket-Protocol", ", ".join(entries))])
    kept = [entry for entry in masked.split(", ") if entry in others or entry == "access_token"]
    assert [entry for entry in kept if entry in others] == others
    assert all(
        entry.endswith(MASK) and token not in entry for entry in masked.split(", ") if entry not in kept
    )
    assert len(masked.split(", ")) == len(entries)


@FUZZ
@given(text=any_text)
def test_mask_url_of_any_text_raises_only_value_error(text):
    """mask_url of any text returns a str or raises a ValueError."""
    try:
        assert isinstance(mask_url(text), str)
    except ValueError:
        pass


# The widget's record encoding and filters.

known_kinds = st.sampled_from(["text", "binary", "ping", "pong", "open", "close", "error"])
# Random kinds for Record objects only: a History refuses kinds outside pure/kinds.py.
kinds = st.one_of(known_kinds, st.text(max_size=8))
json_leaf = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | any_text
)
infos = st.one_of(
    st.none(), st.dictionaries(st.text(max_size=10), json_leaf | st.lists(json_leaf, max_size=3), max_size=5)
)
records = st.builds(
    Record,
    seq=st.integers(1, 2**40),
    time=st.floats(0, 4e9),
    mono=st.floats(0, 1e9),
    direction=st.sampled_from(["in", "out", "event"]),
    kind=kinds,
    size=st.integers(0, 2**31),
    payload=st.one_of(st.none(), any_text, st.binary(max_size=200)),
    info=infos,
)


@FUZZ
@given(batch=st.lists(records, max_size=20), start=st.lists(st.binary(max_size=5), max_size=3))
def test_encode_records_of_random_records(batch, start):
    """Wire rows keep each record's fields, previews cut to the row limits, binary in buffers."""
    buffers = list(start)
    rows, returned = encode_records(batch, buffers)
    assert returned is buffers and len(rows) == len(batch)
    for row, record in zip(rows, batch, strict=True):
        seq, _time, direction, kind, size, preview, info, buffer = row
        assert (seq, direction, kind, size) == (record.seq, record.direction, record.kind, record.size)
        if isinstance(record.payload, bytes):
            assert preview is None and buffers[buffer] == record.payload[:ROW_PREVIEW_BYTES]
        else:
            assert buffer is None
            assert preview == (
                record.payload[:ROW_PREVIEW_CHARS] if isinstance(record.payload, str) else None
            )
        assert info == (record.info or None) and (info is None or info is not record.info)
    json.dumps(rows)  # rows go to the browser as JSON
    detail, _detail_buffers = encode_detail(batch[0]) if batch else ({}, [])
    json.dumps(detail)


@FUZZ
@given(
    text=any_text,
    regex=st.booleans(),
    direction=st.one_of(st.sampled_from(["all", "in", "out", "event"]), st.text(max_size=5)),
    kind_group=st.one_of(
        st.sampled_from(["all", "messages", "text", "binary", "control", "events"]), st.text(max_size=5)
    ),
    batch=st.lists(records, max_size=10),
)
def test_record_filter_on_random_records(text, regex, direction, kind_group, batch):
    """A filter is built from valid arguments only; it answers a bool and finds a plain substring."""
    valid_regex = True
    if regex and text:
        try:
            re.compile(text)
        except re.error:
            valid_regex = False
    valid = (
        valid_regex
        and direction in ("all", "in", "out", "event")
        and kind_group in ("all", "messages", "text", "binary", "control", "events")
    )
    try:
        record_filter = RecordFilter(text, regex, direction, kind_group)
    except ValueError as exc:
        assert not valid, exc
        return
    assert valid
    for record in batch:
        matched = record_filter.matches(record)
        assert isinstance(matched, bool)
        everything = direction == "all" and kind_group == "all"
        if not regex and text and text in searchable_text(record) and everything:
            assert matched


@FEW
@given(
    batch=st.lists(
        st.tuples(
            st.sampled_from(["in", "out", "event"]),
            known_kinds,
            st.one_of(st.none(), any_text, st.binary(max_size=50)),
        ),
        max_size=40,
    ),
    max_records=st.integers(1, 30),
    offset=st.integers(-100, 100),
    count=st.integers(-5, 2000),
    text=st.text(alphabet="ab(|*", max_size=4),
    regex=st.booleans(),
)
def test_browser_pages_of_a_random_history(batch, max_records, offset, count, text, regex):
    """Any page request of any history answers within bounds, as JSON."""
    history = History(max_records=max_records)
    for direction, kind, payload in batch:
        history.add(direction, kind, payload, len(payload) if payload else 0)
    try:
        record_filter = RecordFilter(text, regex)
    except ValueError:
        return
    reply, _buffers = Browser(history).page(offset, count, record_filter)
    assert reply["offset"] >= 0 and len(reply["records"]) <= max(0, min(count, 1000))
    assert reply["total"] <= len(history)
    json.dumps(reply)
