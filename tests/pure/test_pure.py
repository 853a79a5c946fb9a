"""Pure logic: argument checks, URL building, secret masking, history and debug lines."""

from __future__ import annotations

import itertools
import json
import re
import threading

import pytest
from websockets.frames import Opcode

from ws_widget.pure import closecodes, kinds
from ws_widget.pure.callbacks import adapt
from ws_widget.pure.debuglog import DebugLog, format_line
from ws_widget.pure.history import History
from ws_widget.pure.kinds import EVENT, IN, OUT, TEXT
from ws_widget.pure.messages import check_close, check_ping_payload, encode_any, encode_message
from ws_widget.pure.options import Options
from ws_widget.pure.redact import mask_headers, mask_url
from ws_widget.pure.target import build_target, target_from_url


class TestTarget:
    def test_builds_url(self):
        """Protocol, host, url and port make the URL; default ports are left out."""
        assert build_target("ws", "127.0.0.1", "/echo", 8765).url == "ws://127.0.0.1:8765/echo"
        assert build_target("wss", "core.local", "/qrc", 443).url == "wss://core.local/qrc"
        assert build_target("WSS", "core.local", "/qrc", None).url == "wss://core.local/qrc"

    def test_empty_url_means_root_and_query_is_kept(self):
        """An empty url means / and a query string is kept."""
        assert build_target("ws", "h", "", 80).url == "ws://h/"
        assert build_target("ws", "h", None, 80).url == "ws://h/"
        assert build_target("ws", "h", "api?x=1&y=2", 81).url == "ws://h:81/api?x=1&y=2"

    def test_ipv6_literals(self):
        """IPv6 literals are bracketed, with or without brackets given."""
        assert build_target("ws", "::1", "/", 9).url == "ws://[::1]:9/"
        assert build_target("ws", "[::1]", "/", 9).url == "ws://[::1]:9/"

    @pytest.mark.parametrize("protocol", ["http", "tcp", "", None, 1])
    def test_bad_protocol(self, protocol):
        """A protocol other than ws/wss is refused, naming what is accepted."""
        with pytest.raises(ValueError, match="protocol must be 'ws' or 'wss'"):
            build_target(protocol, "h", "/", 80)

    @pytest.mark.parametrize("port", [0, 65536, -1])
    def test_port_out_of_range(self, port):
        """A port outside 1..65535 is refused."""
        with pytest.raises(ValueError, match=r"port must be an integer in 1\.\.65535"):
            build_target("ws", "h", "/", port)

    @pytest.mark.parametrize("port", ["8080", 80.5, True])
    def test_port_wrong_type(self, port):
        """A port that is not an integer is refused."""
        with pytest.raises(TypeError, match=r"port must be an integer in 1\.\.65535"):
            build_target("ws", "h", "/", port)

    def test_integral_float_port(self):
        """A Lua-style float port such as 8080.0 is accepted."""
        assert build_target("ws", "h", "/", 8080.0).url == "ws://h:8080/"

    @pytest.mark.parametrize("host", ["", "   "])
    def test_empty_host(self, host):
        """An empty host is refused."""
        with pytest.raises(ValueError, match="host is empty"):
            build_target("ws", host, "/", 80)

    @pytest.mark.parametrize("host", ["ws://h", "h/path", "h:80"])
    def test_host_with_url_parts(self, host):
        """A host carrying a scheme, path or port says where those belong."""
        with pytest.raises(ValueError, match="bare name or address"):
            build_target("ws", host, "/", 80)

    @pytest.mark.parametrize(
        "headers, message",
        [
            ({"X-Bad": "a\r\nInjected: 1"}, "CR, LF"),
            ({"Bad Name": "x"}, "header name 'Bad Name' is not valid"),
            ({"X-Name": "caf\u00e9"}, "non-ASCII"),
            ({"Bad\nName": "x"}, "is not valid"),
        ],
    )
    def test_bad_headers(self, headers, message):
        """Header names or values with CR/LF or non-ASCII are refused, naming the header."""
        with pytest.raises(ValueError, match=message):
            build_target("ws", "h", "/", 80, None, headers)

    def test_secret_header_value_is_not_echoed_in_errors(self):
        """An invalid Authorization value is masked in the error message."""
        with pytest.raises(ValueError) as info:
            build_target("ws", "h", "/", 80, None, {"Authorization": "Bearer s3cret\n"})
        assert "s3cret" not in str(info.value)

    def test_headers_type(self):
        """Headers must be a dict (or pairs)."""
        with pytest.raises(TypeError, match="headers must be a dict"):
            build_target("ws", "h", "/", 80, None, "Authorization: x")
        assert build_target("ws", "h", "/", 80, None, [("A", "1")]).headers == (("A", "1"),)

    def test_subprotocols(self):
        """sub_protocol may be None, a str or a list of str."""
        assert build_target("ws", "h", "/", 80, "json").subprotocols == ("json",)
        assert build_target("ws", "h", "/", 80, ["a", "b"]).subprotocols == ("a", "b")
        with pytest.raises(ValueError, match="sub_protocol 'a b' is not valid"):
            build_target("ws", "h", "/", 80, "a b")

    def test_full_url(self):
        """target_from_url accepts ws:// and wss:// URLs only."""
        assert target_from_url("ws://127.0.0.1:1/x?y=1").url == "ws://127.0.0.1:1/x?y=1"
        assert target_from_url("wss://[::1]/").url == "wss://[::1]/"
        with pytest.raises(ValueError, match="must start with ws:// or wss://"):
            target_from_url("http://h/")

    def test_path_given_a_whole_url(self):
        """A whole URL passed as the path says to use connect(url)."""
        with pytest.raises(ValueError, match="connect"):
            build_target("ws", "h", "ws://h/x", 80)


class TestRedact:
    def test_masks_query_tokens_and_passwords(self):
        """Token-like query values and URL passwords are masked; the rest is kept."""
        masked = mask_url("wss://user:pw@h:1/p?a=1&token=abc&access_token=x&api_key=3")
        assert masked == "wss://user:****@h:1/p?a=1&token=****&access_token=****&api_key=****"

    def test_masks_secret_headers_only(self):
        """Authorization, Cookie and token headers are masked; Sec-WebSocket-Key is not."""
        masked = dict(
            mask_headers(
                [
                    ("Authorization", "Bearer x"),
                    ("Cookie", "a=b"),
                    ("X-Auth-Token", "t"),
                    ("Sec-WebSocket-Key", "k"),
                    ("Origin", "o"),
                ]
            )
        )
        assert masked == {
            "Authorization": "****",
            "Cookie": "****",
            "X-Auth-Token": "****",
            "Sec-WebSocket-Key": "k",
            "Origin": "o",
        }

    def test_masks_semicolon_separated_query_parameters(self):
        """Query parameters separated by ';' are masked as those separated by '&'."""
        assert mask_url("ws://h/p?a=1;token=x;b=2&sig=y") == "ws://h/p?a=1;token=****;b=2&sig=****"

    def test_masks_the_fragment_of_oauth_implicit_flow(self):
        """An access token in the fragment is masked; token_type, expires_in and state are kept."""
        url = "https://app/cb#access_token=abc&token_type=Bearer&expires_in=3600&state=s1"
        assert mask_url(url) == "https://app/cb#access_token=****&token_type=Bearer&expires_in=3600&state=s1"
        assert mask_url("https://app/#/route?id_token=abc") == "https://app/#/route?id_token=****"
        assert mask_url("https://app/#section-2") == "https://app/#section-2"

    def test_masks_a_session_id_path_parameter(self):
        """A Java servlet's ;jsessionid= path parameter is masked; other path parameters are kept."""
        assert mask_url("ws://h/app;jsessionid=ABC/ws;v=2?x=1") == "ws://h/app;jsessionid=****/ws;v=2?x=1"

    @pytest.mark.parametrize(
        "name",
        [
            "sid",
            "PHPSESSID",
            "JSESSIONID",
            "ASP.NET_SessionId",
            "connect.sid",
            "session_id",
            "csrf",
            "_csrf",
            "csrf_token",
            "csrftoken",
            "XSRF-TOKEN",
            "csrfmiddlewaretoken",
            "authenticity_token",
            "id_token",
            "client_secret",
            "X-Amz-Security-Token",
            "key",
            "passphrase",
        ],
    )
    def test_masks_session_and_csrf_names(self, name):
        """Session ids and anti-forgery tokens under their frameworks' names are masked."""
        assert mask_url(f"ws://h/?a=1&{name}=v&b=2") == f"ws://h/?a=1&{name}=****&b=2"

    @pytest.mark.parametrize(
        "name",
        [
            "code",
            "id",
            "page",
            "channel",
            "keyboard",
            "token_type",
            "state",
            "expires_in",
            "side",
            "consider",
            "monkey",
            "sessions",
        ],
    )
    def test_keeps_ordinary_names(self, name):
        """Ordinary names, OAuth's one-time code included, are not masked."""
        assert mask_url(f"ws://h/p;{name}=v?{name}=v#{name}=v") == f"ws://h/p;{name}=v?{name}=v#{name}=v"

    def test_masks_credentials_in_subprotocols(self):
        """A Kubernetes bearer subprotocol keeps its prefix; a token after a bare name is masked."""
        k8s = "base64url.bearer.authorization.k8s.io.ZXlKaGJHY2lPaUpTVXpJ, base64.binary.k8s.io"
        assert mask_headers([("Sec-WebSocket-Protocol", k8s)]) == [
            ("Sec-WebSocket-Protocol", "base64url.bearer.authorization.k8s.io.****, base64.binary.k8s.io")
        ]
        assert mask_headers([("sec-websocket-protocol", "access_token, abc.def")]) == [
            ("sec-websocket-protocol", "access_token, ****")
        ]
        assert mask_headers([("Sec-WebSocket-Protocol", "bearer.short, jwt-abc")]) == [
            ("Sec-WebSocket-Protocol", "bearer.****, ****")
        ]
        plain = "graphql-transport-ws, v10.stomp, mqtt"
        assert mask_headers([("Sec-WebSocket-Protocol", plain)]) == [("Sec-WebSocket-Protocol", plain)]


class TestMessages:
    def test_encode_message(self):
        """Text stays str, binary becomes bytes, UTF-8 bytes as text are decoded."""
        assert encode_message("a") == "a"
        assert encode_message("\u00e9", True) == b"\xc3\xa9"
        assert encode_message(b"\xc3\xa9") == "\u00e9"
        assert encode_message(bytearray(b"\x00"), True) == b"\x00"

    def test_encode_any(self):
        """send() turns dicts and lists into compact JSON text and bytes into binary."""
        assert json.loads(encode_any({"a": [1, 2]})) == {"a": [1, 2]}
        assert encode_any(b"\xff") == b"\xff"
        with pytest.raises(TypeError, match="cannot be sent as JSON"):
            encode_any({"a": object()})

    def test_close_codes(self):
        """Only codes that may be sent are accepted, with a reason of at most 123 bytes."""
        assert check_close(1000, None) == (1000, "")
        assert check_close(4999.0, "x") == (4999, "x")
        for code in (1005, 1006, 999, 5000, 2000, 1015):
            with pytest.raises(ValueError, match="may not be sent"):
                check_close(code, "")
        with pytest.raises(ValueError, match="at most 123"):
            check_close(1000, "x" * 124)

    def test_ping_payload(self):
        """Ping payloads are bytes of at most 125."""
        assert check_ping_payload("hi") == b"hi"
        with pytest.raises(ValueError, match="at most 125"):
            check_ping_payload(b"x" * 126)


class TestCallbacks:
    def test_adapts_to_arity(self):
        """Functions get as many of the event's arguments as they take."""
        assert adapt(lambda: 0, "Data", ("ws", "data"))[1] == 0
        assert adapt(lambda ws: 0, "Data", ("ws", "data"))[1] == 1
        assert adapt(lambda *a: 0, "Data", ("ws", "data"))[1] == 2
        assert adapt(print, "Data", ("ws", "data"))[1] == 2
        assert adapt(lambda a, b=1, c=2: 0, "Data", ("ws", "data"))[1] == 2


class TestHistory:
    def test_sequence_and_access(self):
        """Records are numbered from 1 and found by sequence number."""
        history = History()
        history.add(EVENT, "open")
        history.add(IN, TEXT, "hi", 2)
        assert len(history) == 2 and history.last_seq == 2
        assert history[2].payload == "hi" and history[2].direction == IN
        assert [r.seq for r in history.tail(1)] == [2]
        assert [r.seq for r in history.since(1)] == [2]
        assert abs(history[1].time - __import__("time").time()) < 5

    def test_bounded_by_count_and_bytes(self):
        """The oldest records are dropped past the limits and counted."""
        history = History(max_records=3, max_bytes=10**6)
        for number in range(10):
            history.add(IN, TEXT, str(number), 1)
        assert [r.payload for r in history] == ["7", "8", "9"]
        assert history.dropped == 7 and history.first_seq == 8
        with pytest.raises(KeyError, match="7 older dropped"):
            history[2]
        by_bytes = History(max_bytes=10)
        for _ in range(5):
            by_bytes.add(OUT, TEXT, "abcd", 4)
        assert by_bytes.bytes <= 10 and len(by_bytes) == 2

    def test_compaction_keeps_order(self):
        """Dropping many records keeps access by sequence number right."""
        history = History(max_records=100)
        for number in range(20000):
            history.add(IN, TEXT, number, 0)
        assert history[19999].payload == 19998 and len(history) == 100
        assert [r.payload for r in history.since(19990)] == list(range(19990, 20000))

    def test_safe_while_written(self):
        """Reading from another thread while records are added sees consistent snapshots."""
        history = History(max_records=1000)
        stop = threading.Event()

        def write():
            while not stop.is_set():
                history.add(IN, TEXT, "x", 1)

        writer = threading.Thread(target=write)
        writer.start()
        try:
            for _ in range(200):
                records = history.snapshot()
                seqs = [r.seq for r in records]
                assert seqs == list(range(seqs[0], seqs[0] + len(seqs))) if seqs else True
                assert len(records) <= 1000
        finally:
            stop.set()
            writer.join()

    def test_exports(self, tmp_path):
        """to_jsonl writes one object per record; to_pandas gives one row per record."""
        history = History()
        history.add(IN, TEXT, "hi", 2)
        history.add(IN, "binary", b"\x01", 1)
        history.add(EVENT, "close", info={"code": 1000, "reason": ""})
        path = tmp_path / "h.jsonl"
        assert history.to_jsonl(path) == 3
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        assert rows[1]["payload"] == "01" and rows[2]["code"] == 1000
        frame = history.to_pandas()
        assert list(frame.index) == [1, 2, 3] and frame.loc[3, "code"] == 1000
        assert str(frame["time"].dtype).startswith("datetime64")


class TestDebugLog:
    def test_format(self):
        """Lines look like YYYY-MM-DDTHH:MM:SS.mmm<TAB>text."""
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\thello", format_line("hello"))

    def test_write_splits_lines_and_bounds(self):
        """Printed text becomes one line per line; the log keeps the newest lines."""
        log = DebugLog(max_lines=3)
        log.write("a\nb")
        log.write("c\n")
        assert [line.split("\t")[1] for line in log] == ["a", "bc"]
        for letter in "defg":
            log.log(letter)
        assert len(log) == 3


class TestOptions:
    def test_unknown_and_bad_options(self):
        """Unknown options and bad values are refused, naming them."""
        with pytest.raises(TypeError, match="unknown option 'verfy'"):
            Options.from_kwargs({"verfy": False})
        with pytest.raises(ValueError, match="ping_interval must be a positive number"):
            Options(ping_interval=0)
        with pytest.raises(ValueError, match="ca must name an existing PEM file"):
            Options(ca="/nonexistent.pem")

    def test_verify_false_disables_checks(self):
        """verify=False gives a context that checks neither name nor certificate."""
        import ssl

        context = Options(verify=False).ssl_context()
        assert context.verify_mode == ssl.CERT_NONE and not context.check_hostname
        assert Options().ssl_context().verify_mode == ssl.CERT_REQUIRED


class TestKinds:
    def test_frame_kinds_are_websockets_opcode_names(self):
        """The frame log's kinds are exactly the names websockets gives opcodes."""
        assert tuple(opcode.name for opcode in Opcode) == kinds.FRAME_KINDS

    def test_every_pair_has_one_byte_code(self):
        """Every (direction, kind) has a distinct code that fits the history's byte column."""
        assert len(kinds.PAIRS) == len(kinds.DIRECTIONS) * len(kinds.KINDS) <= 256
        assert all(kinds.PAIRS[code] == pair for pair, code in kinds.CODES.items())
        assert kinds.PAIRS[kinds.IN_TEXT] == (IN, TEXT) and kinds.PAIRS[kinds.IN_BINARY] == (IN, "binary")

    def test_a_frame_log_record_round_trips_through_the_store(self):
        """A frame-log kind is stored and read back like a history kind."""
        history = History()
        history.add(OUT, "PING", b"\x01", 1, {"fin": True})
        assert (history[1].direction, history[1].kind, history[1].is_message) == (OUT, "PING", False)

    def test_text_payload_kinds_are_record_kinds(self):
        """Only history kinds carry text payloads; messages are text and binary."""
        assert kinds.TEXT_PAYLOAD_KINDS.issubset(kinds.RECORD_KINDS)
        assert kinds.MESSAGE_KINDS == (TEXT, "binary")


class TestCloseCodes:
    def test_ranges_cover_every_code_without_gap(self):
        """The ranges run from 0 to 4999 in order, each starting where the last ended."""
        ranges = closecodes.CLOSE_CODE_RANGES
        assert ranges[0].first == 0 and ranges[-1].last == closecodes.LAST_CLOSE_CODE == 4999
        assert all(after.first == before.last + 1 for before, after in itertools.pairwise(ranges))

    @pytest.mark.parametrize(
        "code, name",
        [
            (999, "not used"),
            (1004, "reserved"),
            (2999, "reserved"),
            (3000, "registered"),
            (3999, "registered"),
            (4000, "private use"),
            (4999, "private use"),
            (5000, "invalid"),
            (-1, "invalid"),
            (1001, "going away"),
        ],
    )
    def test_names_come_from_the_ranges(self, code, name):
        """A code without a name of its own is named after its range; past 4999 it is invalid."""
        assert closecodes.close_code_name(code) == name

    def test_explanations_name_their_range(self):
        """Explanations of range codes quote the range; invalid codes say where codes end."""
        assert closecodes.explain_close_code(1004).endswith("(1000-1015)")
        assert closecodes.explain_close_code(2000).endswith("(1016-2999)")
        assert closecodes.explain_close_code(-5) == "invalid: close codes are 0-4999"

    def test_what_may_be_sent_is_what_check_close_accepts(self):
        """may_send and check_close agree on every code from -1 to 5000."""
        for code in range(-1, 5001):
            try:
                check_close(code, "")
            except ValueError:
                accepted = False
            else:
                accepted = True
            assert accepted == closecodes.may_send(code), code
        assert closecodes.APPLICATION_SPAN == "3000-4999"


def test_history_remembers_connection_opens_across_trims_and_clears():
    """opens() lists each open record's (seq, time), newest OPENS_KEPT, after trims and clear()."""
    from ws_widget.pure.history import OPENS_KEPT

    history = History(max_records=3)
    first = history.add(EVENT, "open", at=100.0)
    for n in range(5):
        history.add(IN, TEXT, str(n), 1)
    second = history.add(EVENT, "open", at=200.0)
    assert first.seq not in [r.seq for r in history]  # trimmed away
    assert history.opens() == [(first.seq, 100.0), (second.seq, 200.0)]
    assert history.opens(after=first.seq) == [(second.seq, 200.0)]
    history.clear()
    assert history.opens() == [(first.seq, 100.0), (second.seq, 200.0)]
    for _ in range(OPENS_KEPT):
        history.add(EVENT, "open")
    assert len(history.opens()) == OPENS_KEPT and history.opens()[0][0] > second.seq
