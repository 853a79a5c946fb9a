"""Pure logic of the widget's tools: copy formats, exports, saved messages, JSON field columns."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ws_widget.exceptions import SavedMessagesError
from ws_widget.pure import har
from ws_widget.pure.browse import Browser, RecordFilter, encode_records
from ws_widget.pure.columns import FieldPicker, check_paths
from ws_widget.pure.copying import copy_text
from ws_widget.pure.exports import export_bytes, export_name
from ws_widget.pure.history import History
from ws_widget.pure.kinds import BINARY, CLOSE, EVENT, IN, OPEN, OUT, TEXT
from ws_widget.pure.saved import SavedMessages, config_dir, socket_key

SECRET = "s3cr3t-t0ken"


def sample() -> History:
    """A history of one connection whose open record holds a secret URL and headers."""
    history = History()
    history.add(
        EVENT,
        OPEN,
        info={
            "url": f"ws://127.0.0.1:9/qrc?token={SECRET}",
            "request_headers": [["Authorization", f"Bearer {SECRET}"], ["Host", "127.0.0.1:9"]],
            "response_headers": [["Set-Cookie", f"sid={SECRET}"]],
            "status": 101,
        },
    )
    history.add(OUT, TEXT, '{"method": "Logon", "params": {"Id": 7}}', 40)
    history.add(IN, BINARY, b"\x01\x02\xff", 3)
    history.add(IN, TEXT, 'line with "quotes", commas\nand a newline', 40)
    history.add(EVENT, CLOSE, info={"code": 1000, "reason": ""})
    return history


class TestCopy:
    def test_payload_python_seed_and_json(self):
        """A text message copies as itself, as ws.send/ws.Write code and as indented JSON."""
        record = sample()[2]
        assert copy_text(record) == '{"method": "Logon", "params": {"Id": 7}}'
        assert copy_text(record, "python") == """ws.send('{"method": "Logon", "params": {"Id": 7}}')"""
        assert copy_text(record, "seed") == """ws.Write('{"method": "Logon", "params": {"Id": 7}}')"""
        assert json.loads(copy_text(record, "json")) == {"method": "Logon", "params": {"Id": 7}}
        assert copy_text(record, "json").startswith('{\n  "method"')

    def test_binary_copies_as_hex_and_as_code_that_sends_the_same_bytes(self):
        """A binary message copies as hex, and its code evaluates to the same bytes."""
        record = sample()[3]
        assert copy_text(record) == "01 02 ff"
        code = copy_text(record, "python")
        assert code == "ws.send(bytes.fromhex('01 02 ff'))"
        assert eval(code[len("ws.send(") : -1]) == b"\x01\x02\xff"
        assert copy_text(record, "seed") == "ws.Write(bytes.fromhex('01 02 ff'), True)"

    def test_code_of_a_tricky_text_is_a_python_literal_of_it(self):
        """Quotes and newlines survive the round trip through the code copied."""
        record = sample()[4]
        code = copy_text(record, "python")
        assert eval(code[len("ws.send(") : -1]) == record.payload

    def test_refusals_say_what_to_copy_instead(self):
        """Code of an event, JSON of a non-JSON text or of bytes, and unknown formats are refused."""
        history = sample()
        with pytest.raises(ValueError, match="not a message: only text and binary"):
            copy_text(history[1], "python")
        with pytest.raises(ValueError, match="not JSON text: copy its payload"):
            copy_text(history[4], "json")
        with pytest.raises(ValueError, match="is binary, not JSON"):
            copy_text(history[3], "json")
        with pytest.raises(ValueError, match="copy format must be one of payload, python, seed, json"):
            copy_text(history[2], "yaml")
        assert json.loads(copy_text(history[5])) == {"code": 1000, "reason": ""}


class TestExports:
    def test_jsonl_has_one_line_per_record_and_reads_back(self, tmp_path):
        """The JSONL download has a line per record and History.from_jsonl reads it."""
        data = export_bytes(sample(), "jsonl")
        lines = data.decode().splitlines()
        assert [json.loads(line)["kind"] for line in lines] == ["open", "text", "binary", "text", "close"]
        path = tmp_path / "h.jsonl"
        path.write_bytes(data)
        assert [r.payload for r in History.from_jsonl(path)][1:4] == [
            '{"method": "Logon", "params": {"Id": 7}}',
            b"\x01\x02\xff",
            'line with "quotes", commas\nand a newline',
        ]

    def test_har_reads_back_with_from_har(self, tmp_path):
        """The HAR download is a HAR file from_har reads: one entry, its three messages."""
        path = tmp_path / "h.har"
        path.write_bytes(export_bytes(sample(), "har"))
        (entry,) = har.from_har(path)
        assert [(r.direction, r.kind) for r in entry][1:] == [(OUT, TEXT), (IN, BINARY), (IN, TEXT)]

    def test_csv_has_a_header_and_a_row_per_record(self):
        """The CSV download parses back: header, then each record with its payload whole."""
        rows = list(csv.reader(io.StringIO(export_bytes(sample(), "csv").decode())))
        assert rows[0] == ["seq", "time", "direction", "kind", "size", "payload", "info"]
        assert [row[3] for row in rows[1:]] == ["open", "text", "binary", "text", "close"]
        assert rows[3][5] == "0102ff" and rows[4][5] == 'line with "quotes", commas\nand a newline'
        assert rows[2][1].endswith("+00:00")

    def test_no_export_carries_the_secret(self):
        """URLs and headers are masked in every format, though the history held them in clear."""
        history = sample()
        assert SECRET in json.dumps(history[1].info)  # the check below could fail
        for fmt in ("jsonl", "har", "csv"):
            data = export_bytes(history, fmt).decode()
            assert SECRET not in data, fmt
            assert "127.0.0.1:9/qrc" in data, fmt

    def test_a_history_over_the_bound_is_refused_with_advice(self):
        """Past max_bytes the download is refused, naming the Python call that writes it."""
        with pytest.raises(ValueError, match=r"too large .* ws\.history\.to_jsonl\('history\.jsonl'\)"):
            export_bytes(sample(), "jsonl", max_bytes=100)
        with pytest.raises(ValueError, match="too large"):
            export_bytes(sample(), "har", max_bytes=200)
        with pytest.raises(ValueError, match="download format must be one of jsonl, har, csv"):
            export_bytes(sample(), "xml")

    def test_file_names_hold_the_host_and_no_secret(self):
        """A download's name holds the host and a UTC time, never user info or query."""
        name = export_name(f"wss://user:{SECRET}@core.local:443/qrc?token={SECRET}", "har", 0)
        assert name == "ws_widget-core.local_443-19700101T000000Z.har"
        assert export_name("", "csv", 0) == "ws_widget-history-19700101T000000Z.csv"


class TestSaved:
    def test_saved_messages_survive_a_new_store_on_the_same_file(self, tmp_path):
        """Saved, replaced and deleted messages are in the file for the next reader."""
        path = tmp_path / "cfg" / "saved_messages.json"
        url = "ws://127.0.0.1:9/qrc"
        SavedMessages(path).save(url, "logon", '{"method": "Logon"}', "json")
        SavedMessages(path).save(url, "bytes", "01 02", "hex")
        SavedMessages(path).save(url, "logon", '{"method": "Logon", "id": 2}', "json")
        assert SavedMessages(path).for_url(url) == {
            "logon": {"text": '{"method": "Logon", "id": 2}', "mode": "json"},
            "bytes": {"text": "01 02", "mode": "hex"},
        }
        SavedMessages(path).delete(url, "bytes")
        assert list(SavedMessages(path).for_url(url)) == ["logon"]
        assert list(json.loads(path.read_text())["sockets"]) == [url]

    def test_the_key_drops_user_info_query_and_fragment(self, tmp_path):
        """Messages are kept per URL without its secrets, and the file holds none."""
        path = tmp_path / "saved_messages.json"
        secret_url = f"wss://me:{SECRET}@core.local/qrc?token={SECRET}#k={SECRET}"
        assert socket_key(secret_url) == "wss://core.local/qrc"
        SavedMessages(path).save(secret_url, "hi", "hello")
        assert SavedMessages(path).for_url("wss://core.local/qrc?token=other") == {
            "hi": {"text": "hello", "mode": "text"}
        }
        assert SECRET not in path.read_text()
        assert SavedMessages(path).for_url("ws://elsewhere/") == {}

    def test_bad_input_is_refused_and_a_damaged_file_is_named(self, tmp_path):
        """No URL, empty names, invalid texts and damaged files give errors that say what to do."""
        path = tmp_path / "saved_messages.json"
        store = SavedMessages(path)
        with pytest.raises(ValueError, match="connect first"):
            store.save("", "x", "y")
        with pytest.raises(ValueError, match="needs a name of 1 to 100 characters"):
            store.save("ws://h/", "  ", "y")
        with pytest.raises(ValueError, match="invalid JSON"):
            store.save("ws://h/", "x", "{nope", "json")
        with pytest.raises(KeyError, match="no message named 'x'"):
            store.delete("ws://h/", "x")
        path.write_text("{not json")
        with pytest.raises(
            SavedMessagesError, match=r"saved_messages.json is not JSON .*fix it in an editor"
        ):
            store.for_url("ws://h/")
        path.write_text('{"sockets": {"ws://h/": {"x": {"text": 3}}}}')
        with pytest.raises(SavedMessagesError, match="holds 'x' of 'ws://h/'"):
            store.for_url("ws://h/")

    def test_the_config_folder_follows_the_environment(self, tmp_path, monkeypatch):
        """WS_WIDGET_CONFIG_DIR wins, then XDG_CONFIG_HOME/ws_widget, then ~/.config/ws_widget."""
        monkeypatch.setenv("WS_WIDGET_CONFIG_DIR", str(tmp_path / "mine"))
        assert config_dir() == tmp_path / "mine"
        monkeypatch.delenv("WS_WIDGET_CONFIG_DIR")
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
        assert config_dir() == tmp_path / "xdg" / "ws_widget"
        monkeypatch.delenv("XDG_CONFIG_HOME")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert config_dir() == tmp_path / "home" / ".config" / "ws_widget"


class TestFields:
    def test_paths_are_checked_as_the_plot_tab_reads_them(self):
        """Column paths use the Plot tab's grammar; malformed, overlong or non-text paths are refused."""
        assert check_paths(["params.Id", "result[0].Name", "params.Changes[Name=gain].Value"]) == [
            "params.Id",
            "result[0].Name",
            "params.Changes[Name=gain].Value",
        ]
        for bad in ("", "a..b", "a[x]", "a.[0]", "x" * 201):
            with pytest.raises(ValueError):
                check_paths([bad])
        with pytest.raises(TypeError):
            check_paths([3])
        assert check_paths(["a", " a ", "b"]) == ["a", "b"]
        with pytest.raises(ValueError, match="at most 8 JSON columns"):
            check_paths([f"k{n}" for n in range(9)])

    def test_cells_pick_fields_of_json_texts_only(self):
        """Each path gives its value as text, None where absent; non-JSON payloads give None."""
        picker = FieldPicker(["params.Id", "method", "params.Controls[1].Value", "missing.x"])
        text = '{"method": "Set", "params": {"Id": 7, "Controls": [{"Value": 1}, {"Value": {"a": [1, 2]}}]}}'
        assert picker.cells(text) == ["7", "Set", '{"a": [1, 2]}', None]
        assert picker.cells("not json") is None and picker.cells(b"{}") is None and picker.cells(None) is None
        assert FieldPicker(["[0].name"]).cells('[{"name": "first"}]') == ["first"]
        changes = '{"params": {"Changes": [{"Name": "mute", "Value": false}, {"Name": "gain", "Value": -3}]}}'
        assert FieldPicker(["params.Changes[Name=gain].Value"]).cells(changes) == ["-3"]
        assert len(FieldPicker(["v"]).cells(json.dumps({"v": "x" * 500}))[0]) == 200

    def test_rows_carry_the_cells_only_when_columns_are_asked_for(self):
        """Wire rows get a ninth item with the cells when JSON columns are shown, from pages too."""
        history = sample()
        rows, _ = encode_records(history.snapshot())
        assert {len(row) for row in rows} == {8}
        picker = FieldPicker(["params.Id"])
        rows, _ = encode_records(history.snapshot(), fields=picker)
        assert [row[8] for row in rows] == [None, ["7"], None, None, None]
        page, _ = Browser(history).page(0, 10, RecordFilter(), picker)
        assert page["records"][1][8] == ["7"]
