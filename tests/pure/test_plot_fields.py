"""Field discovery, paths and min/max buckets for the Plot tab (pure: no server, loop or kernel)."""

from __future__ import annotations

import json
import random

import pytest

from ws_widget.pure.fields import (
    MAX_FIELDS,
    MAX_LEAVES,
    MAX_PARSE_CHARS,
    compile_path,
    discover,
    numeric_paths,
    parse_json,
    read_path,
)
from ws_widget.pure.history import History
from ws_widget.pure.series import Buckets, FlushBuckets, bucket_of

POLL = {
    "jsonrpc": "2.0",
    "method": "ChangeGroup.Poll",
    "params": {
        "Id": "grp",
        "Changes": [
            {"Name": "gain", "Value": -12.5, "String": "-12.5dB", "Position": 0.3},
            {"Name": "mute", "Value": 0, "String": "unmuted", "Position": 0.0, "Bool": False},
        ],
    },
}


def read(value: object, path: str) -> float | None:
    return read_path(value, compile_path(path))


def test_flat_reading_gives_its_numbers_in_order():
    """A flat telemetry reading gives its numeric keys in document order, not its strings."""
    reading = {"counter": 1, "time": "2026-01-01T00:00:00Z", "temperature_c": 21.5, "humidity_pct": 44.8}
    assert numeric_paths(reading) == {"counter": 1.0, "temperature_c": 21.5, "humidity_pct": 44.8}


def test_qsys_changes_are_named_by_their_name():
    """A Q-SYS ChangeGroup.Poll's changes are found as Changes[Name=...], booleans left out."""
    assert list(numeric_paths(POLL)) == [
        "params.Changes[Name=gain].Value",
        "params.Changes[Name=gain].Position",
        "params.Changes[Name=mute].Value",
        "params.Changes[Name=mute].Position",
    ]


def test_named_path_follows_the_name_wherever_it_is():
    """[Name=gain] reads gain at any index; [0] reads whatever is first."""
    swapped = {"params": {"Changes": [{"Name": "mute", "Value": 1}, {"Name": "gain", "Value": -3}]}}
    assert read(swapped, "params.Changes[Name=gain].Value") == -3.0
    assert read(swapped, "params.Changes[0].Value") == 1.0
    assert read(POLL, "params.Changes[0].Value") == -12.5


def test_missing_or_non_numeric_values_read_as_none():
    """A missing key, a string, a boolean, a short list or a wrong type read as None."""
    for path in (
        "params.Nope",
        "params.Id",
        "params.Changes[Name=mute].Bool",
        "params.Changes[5].Value",
        "method.x",
    ):
        assert read(POLL, path) is None, path
    assert read([1, 2], "a") is None


def test_odd_keys_are_quoted_and_read_back():
    """Keys that are not plain names are written as JSON strings and read back the same."""
    value = {"sensor 1": {"a.b": 2, "ok": [3, {"x[0]": 4}]}}
    paths = numeric_paths(value)
    assert paths == {'["sensor 1"]["a.b"]': 2.0, '["sensor 1"].ok[0]': 3.0, '["sensor 1"].ok[1]["x[0]"]': 4.0}
    for path, number in paths.items():
        assert read(value, path) == number


@pytest.mark.parametrize("path", ["", ".a", "a..b", "a[", "a b", "a[x]", "a.[0]"])
def test_bad_paths_are_refused_with_the_forms(path):
    """An unreadable path raises ValueError that shows the forms a path takes."""
    with pytest.raises(ValueError, match=r"temperature_c|\[Name=gain\]"):
        compile_path(path)


def test_a_path_must_be_text():
    """A path that is not a string raises TypeError."""
    with pytest.raises(TypeError, match="must be a string"):
        compile_path(3)  # type: ignore[arg-type]


def test_nan_infinity_and_non_json_are_skipped():
    """NaN and infinities are no numbers; non-JSON, plain numbers and overlong text parse to None."""
    assert numeric_paths(json.loads('{"a": NaN, "b": Infinity, "c": 1}')) == {"c": 1.0}
    assert parse_json("not json") is None
    assert parse_json("42") is None
    assert parse_json(b'{"a": 1}') is None
    assert parse_json('{"a": 1}' + " " * MAX_PARSE_CHARS) is None


def test_one_message_gives_a_bounded_number_of_fields():
    """A message with thousands of numbers gives at most MAX_LEAVES, and deep nesting stops."""
    big = {f"k{i}": i for i in range(5_000)}
    assert len(numeric_paths(big)) == MAX_LEAVES
    deep: object = 1
    for _ in range(50):
        deep = {"a": deep}
    assert numeric_paths(deep) == {}


def test_discovery_merges_a_sample_and_is_bounded():
    """Discovery lists each path once, first seen first, skips non-JSON, and stops at the limit."""
    payloads = ['{"a": 1}', "hello", b"\x00", '{"b": 2, "a": 3}', json.dumps(POLL)]
    assert discover(payloads)[:2] == ["a", "b"]
    many = [json.dumps({f"f{i}": i}) for i in range(500)]
    assert len(discover(many)) == MAX_FIELDS


def test_buckets_stay_bounded_and_keep_the_extremes():
    """A million values stay in at most 400 buckets that keep the min, max, count and last."""
    series = Buckets()
    rng = random.Random(1)
    values = [rng.gauss(0, 1) for _ in range(100_000)]
    values[54_321] = 99.0
    values[7_777] = -99.0
    for i, value in enumerate(values):
        series.add(bucket_of(i * 10.0, value))
    assert len(series) <= 400
    assert max(b[3] for b in series.buckets) == 99.0
    assert min(b[2] for b in series.buckets) == -99.0
    assert sum(b[5] for b in series.buckets) == len(values)
    assert series.buckets[-1][4] == values[-1]
    assert series.buckets[0][0] == 0.0 and series.buckets[-1][1] == (len(values) - 1) * 10.0
    starts = [b[0] for b in series.buckets]
    assert starts == sorted(starts)


def test_few_values_keep_one_bucket_each():
    """Below the bound every value keeps its own bucket."""
    series = Buckets(size=10)
    for i in range(10):
        series.add(bucket_of(i * 1000.0, float(i)))
    assert [b[4] for b in series.buckets] == [float(i) for i in range(10)]


def test_too_few_buckets_are_refused():
    """A series of fewer than 2 buckets raises ValueError."""
    with pytest.raises(ValueError, match="at least 2"):
        Buckets(size=1)


def test_flush_buckets_gather_per_series():
    """A flush's values make one bucket per series, and taking them starts again."""
    flush = FlushBuckets()
    for t, value in ((1.0, 5.0), (2.0, -1.0), (3.0, 2.0)):
        flush.add("a", t, value)
    flush.add("b", 2.0, 7.0)
    assert flush.take() == {"a": [1.0, 3.0, -1.0, 5.0, 2.0, 3], "b": [2.0, 2.0, 7.0, 7.0, 7.0, 1]}
    assert flush.take() == {}


def test_history_counts_incoming_text_in_a_range():
    """count_incoming_text counts incoming text only, within the range, after a clear too."""
    history = History()
    for direction, kind in (
        ("in", "text"),
        ("out", "text"),
        ("in", "binary"),
        ("in", "text"),
        ("in", "text"),
    ):
        history.add(direction, kind, "x" if kind == "text" else b"x")
    assert history.count_incoming_text(0, 5) == 3
    assert history.count_incoming_text(1, 4) == 1
    assert history.count_incoming_text(4, 2) == 0
    history.clear()
    history.add("in", "text", "y")
    assert history.count_incoming_text(0, 100) == 1


def test_hostile_json_reads_as_nothing_instead_of_raising():
    """JSON nested past the parser's depth is not JSON here; an integer past 1e308 is no number."""
    assert parse_json("[" * 100_000 + "]" * 100_000) is None
    huge = parse_json('{"a": 1' + "0" * 400 + ', "b": 2}')
    assert numeric_paths(huge) == {"b": 2.0}
    assert read(huge, "a") is None
