"""Hostile and damaged files fed to History.from_jsonl, from_har and load_cassette (issue 7,
item 6): each either loads or raises HistoryFormatError naming the file, the line or entry, what
is wrong and what to do; never a bare KeyError or TypeError, and nothing read is evaluated."""

from __future__ import annotations

import base64
import json
import math
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ws_widget import History, from_har
from ws_widget.exceptions import HistoryFormatError
from ws_widget.pure import cassette, kinds

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 200)),
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    derandomize=bool(os.environ.get("CI")),
)
PACKAGE = Path(__file__).parent.parent.parent / "ws_widget"
GOOD_RECORD = {
    "seq": 1,
    "time": 1700000000.5,
    "mono": 12.0,
    "direction": "in",
    "kind": "text",
    "size": 2,
    "payload": "hi",
}
GOOD_FRAME = {"t": 0.5, "direction": "in", "kind": "text", "data": "hi"}
CASSETTE_HEADER = {"cassette": "ws_widget", "version": 1, "url": "ws://127.0.0.1:1/x", "subprotocol": None}


def record(**changes) -> str:
    row = {**GOOD_RECORD, **changes}
    return json.dumps({k: v for k, v in row.items() if v is not _DROP})


_DROP = object()


def har(messages=None, **entry) -> dict:
    return {
        "log": {
            "version": "1.2",
            "entries": [
                {
                    "_resourceType": "websocket",
                    "startedDateTime": "2026-01-01T00:00:00.000Z",
                    "request": {"url": "ws://h/?token=x", "headers": [{"name": "Cookie", "value": "s=1"}]},
                    "response": {"status": 101, "headers": []},
                    "_webSocketMessages": messages
                    if messages is not None
                    else [{"type": "send", "time": 1767225600.1, "opcode": 1, "data": "hello"}],
                    **entry,
                }
            ],
        }
    }


def refused(call, path, *fragments) -> HistoryFormatError:
    """Call, expect HistoryFormatError naming the file and each fragment; return it."""
    with pytest.raises(HistoryFormatError) as caught:
        call(path)
    text = str(caught.value)
    assert str(path) in text and "\n" not in text, text
    for fragment in fragments:
        assert fragment in text, text
    assert caught.value.__context__ is None or caught.value.__suppress_context__  # no chained KeyError
    return caught.value


@pytest.mark.parametrize(
    "line, fragment",
    [
        ("not json at all", "not valid JSON (Expecting value at column 1)"),
        ("[1, 2]", "a record must be a JSON object, not a list"),
        ('"text"', "not a string"),
        (record(kind=_DROP), "the field 'kind' is missing"),
        (record(time="yesterday"), "time must be a number, not a string"),
        (record(time=-1), "time must be epoch seconds from 1970 to 3000, got -1"),
        (record(time=10**400), "time must be epoch seconds from 1970 to 3000, got 1000000000000"),
        (
            '{"time": -Infinity, "direction": "in", "kind": "text", "size": 0, "payload": ""}',
            "-Infinity is not valid JSON",
        ),
        (
            '{"time": NaN, "direction": "in", "kind": "text", "size": 0, "payload": ""}',
            "NaN is not valid JSON",
        ),
        (
            '{"time": 1e999, "direction": "in", "kind": "text", "size": 0, "payload": ""}',
            "time must be epoch seconds from 1970 to 3000, got inf",
        ),
        ('{"time": 1, "size": ' + "9" * 5000 + "}", "a number has too many digits"),
        (record(direction="sideways"), 'direction must be one of "in", "out", "event"'),
        (record(direction=["in"]), "direction must be one of"),
        (record(kind="<script>"), "kind must be one of"),
        (record(kind="constructor"), "kind must be one of"),
        (record(size=True), "size must be an integer, not true/false"),
        (record(size=1.5), "size must be an integer"),
        (record(size=2**70), "size must be from 0 to"),
        (record(size=-1), "size must be from 0"),
        (record(kind="binary", payload="zz"), "payload is not hex"),
        (record(kind="binary", payload=[1, 2]), "payload must be a string, not a list"),
        (record(payload={"a": 1}), "payload must be a string, not an object"),
        ('{"time": 1, "direction": "in", "kind": "text", "size": 0, "payload": "\\ud800"}', "lone surrogate"),
        ("[" * 100_000, "nested too deeply"),
        (
            record(kind="close", payload=None, reason={"toString": None}),
            "reason must be a string or null, not an object",
        ),
        (record(kind="close", payload=None, code="4000"), "code must be an integer or null, not a string"),
        (record(kind="pong", payload=None, rtt="fast"), "rtt must be a number or null, not a string"),
        (
            '{"time": 1, "direction": "in", "kind": "pong", "size": 0, "payload": null, "rtt": 1e999}',
            "rtt must be a finite number, got inf",
        ),
        (record(kind="PING", payload="", fin="yes"), "fin must be true or false or null, not a string"),
    ],
)
def test_from_jsonl_refuses_each_damage_clearly(tmp_path, line, fragment):
    """Each kind of damaged line is refused with its line number, the problem and the advice."""
    path = tmp_path / "h.jsonl"
    path.write_text(record() + "\n\n" + line + "\n")
    error = refused(History.from_jsonl, path, "line 3: ", fragment, "History.to_jsonl")
    assert error.line == 3 and error.path == str(path)


def test_from_jsonl_refuses_bytes_that_are_not_utf8(tmp_path):
    """A binary file (say a Parquet export) is refused as not UTF-8, at its line."""
    path = tmp_path / "h.parquet"
    path.write_bytes(record().encode() + b"\nPAR1\xff\xfe\x00\n")
    refused(History.from_jsonl, path, "line 2: not UTF-8 text")


def test_from_jsonl_unknown_kinds_leave_the_kind_table_alone(tmp_path):
    """Three hundred unknown kinds are refused at the first; the process-wide kind table is unchanged."""
    before = dict(kinds.CODES)
    path = tmp_path / "h.jsonl"
    path.write_text("".join(record(kind=f"k{i}") + "\n" for i in range(300)))
    refused(History.from_jsonl, path, "line 1: kind must be one of")
    assert before == kinds.CODES and len(kinds.PAIRS) == len(kinds.CODES)


def test_history_add_refuses_a_kind_outside_the_table():
    """History.add refuses an unknown direction or kind, naming it and what is allowed."""
    history = History()
    with pytest.raises(ValueError, match=r"kind must be one of text, binary.*got '<script>'"):
        history.add("in", "<script>")
    with pytest.raises(ValueError, match="direction must be one of in, out, event, got 'sideways'"):
        history.add("sideways", "text")
    assert len(history) == 0 and history.last_seq == 0


def test_from_jsonl_reads_what_to_jsonl_wrote_with_hostile_strings(tmp_path):
    """Hostile text, binary, events and frame-log kinds survive a to_jsonl/from_jsonl round trip."""
    original = History()
    hostile = '<img src=x onerror=alert(1)>\u202e\x00"\\'
    original.add("in", "text", hostile, len(hostile.encode()))
    original.add("out", "binary", b"\x00\xff", 2)
    original.add("event", "close", None, 0, {"code": 4000, "reason": hostile})
    original.add("in", "PING", b"\x01", 1, {"fin": True})
    original.to_jsonl(tmp_path / "h.jsonl")
    again = History.from_jsonl(tmp_path / "h.jsonl")
    assert [(r.direction, r.kind, r.payload, r.info) for r in again] == [
        (r.direction, r.kind, r.payload, r.info) for r in original
    ]


@pytest.mark.parametrize(
    "document, fragment",
    [
        ("<html>", "not valid JSON (Expecting value at line 1 column 1)"),
        ("[]", "the file must be a JSON object, not a list"),
        ("{}", 'not a HAR file: no "log"'),
        ('{"log": []}', 'its "log" must be a JSON object'),
        ('{"log": {"entries": {}}}', "not a HAR file"),
        ('{"log": {"entries": [1]}}', "entry 0: each entry must be a JSON object, not a number"),
        (har(request=[]), "entry 0: request must be a JSON object, not a list"),
        (har(request={"url": 5}), "request.url must be a string, not a number"),
        (
            har(request={"headers": [{"name": "Cookie"}]}),
            "request.headers[0].value must be a string, not null",
        ),
        (har(request={"headers": "Cookie: x"}), "request.headers must be a list"),
        (har(response={"status": "101"}), "response.status must be an integer"),
        (har(startedDateTime="yesterday"), "startedDateTime is not an ISO 8601 time"),
        (har(startedDateTime="0001-01-01T00:00:00Z"), "startedDateTime must be from 1970 to 3000"),
        (har(_webSocketMessages={}), "_webSocketMessages must be a list, not an object"),
        (har([None]), "entry 0, message 0: each message must be a JSON object, not null"),
        (
            har([{"type": "shout", "time": 1, "opcode": 1, "data": ""}]),
            'type must be one of "send", "receive"',
        ),
        (
            har([{"type": "send", "time": 1, "opcode": 99, "data": ""}]),
            "opcode must be one of 1, 2, 8, 9, 10",
        ),
        (har([{"type": "send", "time": 1, "opcode": True, "data": ""}]), "opcode must be one of"),
        (
            har([{"type": "send", "time": -5, "opcode": 1, "data": ""}]),
            "time must be epoch seconds from 1970 to 3000",
        ),
        (har([{"type": "send", "time": "now", "opcode": 1, "data": ""}]), "must be a number, not a string"),
        (har([{"type": "send", "time": 1, "opcode": 2, "data": "not base64!"}]), "data is not base64"),
        (har([{"type": "send", "time": 1, "opcode": 1, "data": 7}]), "data must be a string, not a number"),
        ('{"log": {"entries": [' + "[" * 50_000 + "]}}", "nested too deeply"),
    ],
)
def test_from_har_refuses_each_damage_clearly(tmp_path, document, fragment):
    """Each kind of damaged HAR is refused naming the entry and message, the problem and the advice."""
    path = tmp_path / "x.har"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    refused(from_har, path, fragment, "from_har reads HAR files")


def test_from_har_skips_control_frames_and_other_entries(tmp_path):
    """Close, ping and pong messages and non-WebSocket entries are skipped; the rest is read."""
    document = har(
        [
            {"type": "receive", "time": 1767225600.2, "opcode": 9, "data": ""},
            {"type": "receive", "time": 1767225600.3, "opcode": 2, "data": "AQI="},
        ]
    )
    document["log"]["entries"].insert(0, {"_resourceType": "document", "request": "whatever"})
    (tmp_path / "x.har").write_text(json.dumps(document))
    (history,) = from_har(tmp_path / "x.har")
    assert [(r.kind, r.payload) for r in history][1:] == [("binary", b"\x01\x02")]
    assert history[1].info["url"] == "ws://h/?token=****"


def test_from_har_masks_a_bearer_subprotocol(tmp_path):
    """A Kubernetes-style bearer token offered as a subprotocol is masked in the imported headers."""
    offered = "base64url.bearer.authorization.k8s.io.U0VDUkVUU0VDUkVU, base64.channel.k8s.io"
    document = har(
        request={"url": "ws://h/", "headers": [{"name": "Sec-WebSocket-Protocol", "value": offered}]},
        response={"status": 101, "headers": [{"name": "Sec-WebSocket-Protocol", "value": offered}]},
    )
    (tmp_path / "k8s.har").write_text(json.dumps(document))
    (history,) = from_har(tmp_path / "k8s.har")
    info = history[1].info
    assert "U0VDUkVU" not in json.dumps(info)
    assert info["request_headers"] == [
        ("Sec-WebSocket-Protocol", "base64url.bearer.authorization.k8s.io.****, base64.channel.k8s.io")
    ]
    assert info["subprotocol"].startswith("base64url.bearer.authorization.k8s.io.****")


@pytest.mark.parametrize(
    "lines, fragment",
    [
        ([], "the file is empty"),
        (["[1]"], "not a ws_widget cassette"),
        (
            [json.dumps({**CASSETTE_HEADER, "version": True})],
            "cassette version True; this release reads version 1",
        ),
        ([json.dumps({**CASSETTE_HEADER, "version": "1"})], "cassette version '1'"),
        ([json.dumps({**CASSETTE_HEADER, "url": ["x"]})], "url must be a string"),
        (["{}", "x"], "not a ws_widget cassette"),
        ([json.dumps(CASSETTE_HEADER), "[]"], "line 2: a frame must be a JSON object, not a list"),
        ([json.dumps(CASSETTE_HEADER), '{"t": 1}'], "line 2: the field 'direction' is missing"),
        (
            [json.dumps(CASSETTE_HEADER), json.dumps({**GOOD_FRAME, "t": 1e300})],
            "t (seconds since open) must be",
        ),
        ([json.dumps(CASSETTE_HEADER), json.dumps({**GOOD_FRAME, "t": -1})], "must be from 0"),
        ([json.dumps(CASSETTE_HEADER), json.dumps({**GOOD_FRAME, "t": 10**400})], "must be from 0"),
        (
            [json.dumps(CASSETTE_HEADER), json.dumps({**GOOD_FRAME, "kind": "open\x00"})],
            "kind must be one of",
        ),
        (
            [json.dumps(CASSETTE_HEADER), json.dumps({**GOOD_FRAME, "data": None})],
            'a text frame needs its "data"',
        ),
        (
            [json.dumps(CASSETTE_HEADER), json.dumps({**GOOD_FRAME, "kind": "binary", "base64": "%%%"})],
            "base64 is not base64",
        ),
        (
            [json.dumps(CASSETTE_HEADER), json.dumps({**GOOD_FRAME, "info": [1]})],
            "info must be a JSON object",
        ),
        (
            [
                json.dumps(CASSETTE_HEADER),
                json.dumps({"t": 1, "direction": "event", "kind": "close", "info": {"code": 10**30}}),
            ],
            "info.code (a close code) must be",
        ),
    ],
)
def test_load_cassette_refuses_each_damage_clearly(tmp_path, lines, fragment):
    """Each kind of damaged cassette is refused with its line, the problem and the advice."""
    path = tmp_path / "c.jsonl"
    path.write_text("".join(line + "\n" for line in lines))
    refused(cassette.load, path, fragment, "load_cassette reads what ws.save_cassette writes")


# Fuzzing: random JSON where a record, a HAR document or a cassette frame should be.

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(blacklist_categories=())),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
field_names = st.sampled_from(["time", "direction", "kind", "size", "payload", "seq", "code"])


def dumps(value) -> str:
    """JSON text, lone surrogates as escapes (as a hostile writer would put them)."""
    return json.dumps(value, ensure_ascii=True)


def only_the_documented_error(call, path):
    try:
        return call(path)
    except HistoryFormatError as exc:
        assert str(path) in str(exc) and "\n" not in str(exc)
        return None


@FUZZ
@given(value=json_values, field=field_names, replace=st.booleans())
def test_from_jsonl_of_random_json_loads_or_raises_the_documented_error(
    tmp_path_factory, value, field, replace
):
    """A line of random JSON loads or raises HistoryFormatError; what loads can be written again."""
    row = dict(GOOD_RECORD)
    if replace:
        row[field] = value
    else:
        row = value
    path = tmp_path_factory.mktemp("fuzz") / "h.jsonl"
    path.write_text(dumps(row) + "\n")
    history = only_the_documented_error(History.from_jsonl, path)
    if history is not None:
        history.to_jsonl(path)  # what was accepted can be written again
        assert History.from_jsonl(path)[1].kind == history[1].kind


@FUZZ
@given(
    value=json_values,
    place=st.sampled_from(
        [
            "document",
            "log",
            "entry",
            "request",
            "headers",
            "message",
            "opcode",
            "data",
            "time",
            "startedDateTime",
        ]
    ),
)
def test_from_har_of_random_json_loads_or_raises_the_documented_error(tmp_path_factory, value, place):
    """Random JSON anywhere in a HAR file loads or raises HistoryFormatError."""
    document = har([{"type": "receive", "time": 1767225600.2, "opcode": 2, "data": "AQI="}])
    entry = document["log"]["entries"][0]
    message = entry["_webSocketMessages"][0]
    targets = {
        "document": None,
        "log": (document, "log"),
        "entry": (document["log"]["entries"], 0),
        "request": (entry, "request"),
        "headers": (entry["request"], "headers"),
        "message": (entry["_webSocketMessages"], 0),
        "opcode": (message, "opcode"),
        "data": (message, "data"),
        "time": (message, "time"),
        "startedDateTime": (entry, "startedDateTime"),
    }
    if targets[place] is None:
        document = value
    else:
        container, key = targets[place]
        container[key] = value
    path = tmp_path_factory.mktemp("fuzz") / "x.har"
    path.write_text(dumps(document))
    only_the_documented_error(from_har, path)


@FUZZ
@given(value=json_values, field=st.sampled_from(["t", "direction", "kind", "data", "base64", "info", "row"]))
def test_load_cassette_of_random_json_loads_or_raises_the_documented_error(tmp_path_factory, value, field):
    """Random JSON in a cassette frame loads or raises HistoryFormatError."""
    frame = dict(GOOD_FRAME)
    if field == "row":
        frame = value
    else:
        frame[field] = value
    path = tmp_path_factory.mktemp("fuzz") / "c.jsonl"
    path.write_text(dumps(CASSETTE_HEADER) + "\n" + dumps(frame) + "\n")
    loaded = only_the_documented_error(cassette.load, path)
    if loaded is not None:
        (loaded_frame,) = loaded.frames
        assert math.isfinite(loaded_frame.t) and loaded_frame.t >= 0


# Size: big lines and many lines are read (pytest's timeout catches a quadratic blow-up; no
# timing is asserted on this shared machine).


def test_big_and_many_lines_are_read(tmp_path):
    """A 4 MB line and 20,000 records are read; a damaged 4 MB line is refused as invalid JSON."""
    big = tmp_path / "big.jsonl"
    big.write_text(record(payload="x" * 2**22, size=2**22) + "\n")
    assert len(History.from_jsonl(big)[1].payload) == 2**22
    broken = tmp_path / "broken.jsonl"
    broken.write_text(record(payload="x" * 2**22)[:-1] + "\n")  # no closing brace
    refused(History.from_jsonl, broken, "not valid JSON")
    many = tmp_path / "many.jsonl"
    many.write_text((record() + "\n") * 20_000)
    assert len(History.from_jsonl(many)) == 20_000


def test_a_har_with_many_messages_is_read(tmp_path):
    """A HAR file with 20,000 messages is read whole."""
    message = {
        "type": "receive",
        "time": 1767225600.2,
        "opcode": 2,
        "data": base64.b64encode(b"x" * 64).decode(),
    }
    (tmp_path / "many.har").write_text(json.dumps(har([message] * 20_000)))
    (session,) = from_har(tmp_path / "many.har")
    assert len(session.messages()) == 20_000


# Nothing is evaluated: no code path can run what a file holds.

FORBIDDEN = re.compile(
    r"(?<![.\w])(eval|exec|compile|__import__)\s*\(|\bpickle\b|\bmarshal\b|\bshelve\b|yaml\.(unsafe_)?load\b"
    r"|\bnew\s+Function\b|\bimportlib\.import_module\b"
)


def test_no_source_evaluates_data():
    """No ws_widget source (Python or JavaScript) calls eval, exec, pickle, marshal or yaml.load."""
    sources = (
        sorted(PACKAGE.rglob("*.py"))
        + sorted(PACKAGE.rglob("*.js"))
        + sorted((PACKAGE.parent / "js").glob("*.js"))
    )
    assert len(sources) > 20
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}"
        for path in sources
        if "node_modules" not in path.parts and not path.name.endswith(".test.js")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if FORBIDDEN.search(line.split("#")[0] if path.suffix == ".py" else line)
    ]
    assert found == []
