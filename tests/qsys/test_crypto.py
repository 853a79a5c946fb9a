"""The Q-SYS ``Crypto`` in Lua scripts: known vectors (RFC 1321, FIPS 180 examples, RFC 2202,
RFC 4231, RFC 4648), raw bytes with NULs both ways, and the errors a script sees."""

from __future__ import annotations

import hashlib

import pytest

from ws_widget import qsys

HEX = """
local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end
local function unhex(h)
  return (h:gsub("..", function(x) return string.char(tonumber(x, 16)) end))
end
"""


def lines(source: str) -> list[str]:
    """Run a script (with hex/unhex helpers) and return its Debug Output texts after Starting Script."""
    script = qsys.run(HEX + source)
    script.stop()
    texts = [line.split("\t", 1)[1] for line in script.debug_output.lines]
    assert texts[0] == "Starting Script"
    return texts[1:]


def value(expression: str) -> str:
    """The printed value of one Lua expression."""
    (text,) = lines(f"print({expression})")
    return text


@pytest.mark.parametrize(
    ("algorithm", "data", "expected"),
    [
        ("md5", "", "d41d8cd98f00b204e9800998ecf8427e"),
        ("md5", "abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("md5", "message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("sha1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (
            "sha1",
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
        ),
        ("sha256", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("sha256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "sha256",
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ),
        (
            "sha512",
            "abc",
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
        ),
    ],
)
def test_digest_matches_the_published_vectors(algorithm: str, data: str, expected: str) -> None:
    """Crypto.Digest returns the raw digest of the NIST and RFC 1321 examples."""
    assert value(f'hex(Crypto.Digest("{algorithm}", "{data}"))') == expected


def test_digest_returns_raw_bytes() -> None:
    """A digest is a Lua string of raw bytes, its length the digest size, not hex text."""
    assert lines(
        'for _, a in ipairs({"md5", "sha1", "sha256", "sha512"}) do print(a, #Crypto.Digest(a, "x")) end'
    ) == ["md5\t16", "sha1\t20", "sha256\t32", "sha512\t64"]


def test_digest_takes_binary_data_with_nuls() -> None:
    """Bytes after a NUL count: the digest of "\\0\\1" is not the digest of "\\0"."""
    assert value('hex(Crypto.Digest("sha256", "\\0\\1"))') == hashlib.sha256(b"\0\1").hexdigest()


RFC_4231 = [
    # (key as Lua, data as Lua, HMAC-SHA-256, HMAC-SHA-512): test cases 1, 2, 3, 6 and 7
    (
        'string.rep("\\x0b", 20)',
        '"Hi There"',
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
        "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
    ),
    (
        '"Jefe"',
        '"what do ya want for nothing?"',
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
        "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
    ),
    (
        'string.rep("\\xaa", 20)',
        'string.rep("\\xdd", 50)',
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
        "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
        "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb",
    ),
    (
        'string.rep("\\xaa", 131)',
        '"Test Using Larger Than Block-Size Key - Hash Key First"',
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
        "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
    ),
    (
        'string.rep("\\xaa", 131)',
        '"This is a test using a larger than block-size key and a larger than block-size data. '
        'The key needs to be hashed before being used by the HMAC algorithm."',
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
        "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
        "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58",
    ),
]


@pytest.mark.parametrize(("key", "data", "sha256", "sha512"), RFC_4231)
def test_hmac_matches_rfc_4231(key: str, data: str, sha256: str, sha512: str) -> None:
    """Crypto.HMAC(algorithm, key, data) gives RFC 4231's HMAC-SHA-256 and HMAC-SHA-512."""
    assert lines(
        f"local key, data = {key}, {data}\n"
        'print(hex(Crypto.HMAC("sha256", key, data)))\n'
        'print(hex(Crypto.HMAC("sha512", key, data)))'
    ) == [sha256, sha512]


def test_hmac_md5_and_sha1_match_rfc_2202() -> None:
    """HMAC-MD5 and HMAC-SHA1 give RFC 2202's first and second test cases."""
    assert lines(
        'print(hex(Crypto.HMAC("md5", string.rep("\\x0b", 16), "Hi There")))\n'
        'print(hex(Crypto.HMAC("sha1", string.rep("\\x0b", 20), "Hi There")))\n'
        'print(hex(Crypto.HMAC("md5", "Jefe", "what do ya want for nothing?")))\n'
        'print(hex(Crypto.HMAC("sha1", "Jefe", "what do ya want for nothing?")))'
    ) == [
        "9294727a3638bb1c13f48ef8158bfc9d",
        "b617318655057264e28bc0b6fb378c8ef146be00",
        "750c783e6ab0b503eaa86e310a5db738",
        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
    ]


@pytest.mark.parametrize(
    ("data", "encoded"),
    [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ],
)
def test_base64_matches_rfc_4648(data: str, encoded: str) -> None:
    """Base64Encode gives RFC 4648's vectors and Base64Decode reverses them."""
    assert lines(
        f'print(Crypto.Base64Encode("{data}"))\nprint(Crypto.Base64Decode("{encoded}") == "{data}")'
    ) == [
        encoded,
        "true",
    ]


def test_base64_of_binary_bytes_with_nuls() -> None:
    """Every byte value, NULs included, survives encoding and decoding."""
    assert lines(
        'print(Crypto.Base64Encode("\\0\\255\\0"))\n'
        'print(hex(Crypto.Base64Decode("AP8A")))\n'
        "local all = {} for i = 0, 255 do all[#all + 1] = string.char(i) end\n"
        'all = table.concat(all) .. "\\0"\n'
        "print(#all, Crypto.Base64Decode(Crypto.Base64Encode(all)) == all)"
    ) == ["AP8A", "00ff00", "257\ttrue"]


def test_base64_help_example() -> None:
    """The Q-SYS help's example decodes to Hello there."""
    assert value("Crypto.Base64Decode('SGVsbG8gdGhlcmU=')") == "Hello there"


def test_base64_encode_without_padding() -> None:
    """Base64Encode(value, false) leaves out the '=' padding; Base64Decode reads it back."""
    assert lines(
        'print(Crypto.Base64Encode("fo", false), Crypto.Base64Encode("fo", true))\n'
        'print(Crypto.Base64Decode("Zm8"), Crypto.Base64Decode("Zm9v\\nYmFy"))'
    ) == ["Zm8\tZm8=", "fo\tfoobar"]


def test_bad_base64_is_a_lua_error_at_the_scripts_line() -> None:
    """Text that is not Base64 raises a Lua error naming the function, at the script's line."""
    (error, *_traceback) = lines('local x = 1\nCrypto.Base64Decode("a*b?")')
    line = HEX.count("\n") + 2
    assert error.startswith(
        f"[string \"script\"]:{line}: bad argument #1 to 'Crypto.Base64Decode' (not Base64"
    )


def test_an_unknown_algorithm_lists_the_valid_ones() -> None:
    """Digest and HMAC with an algorithm Q-SYS does not list fail, naming the valid ones."""
    assert lines('print(pcall(Crypto.Digest, "sha3", "x"))\nprint(pcall(Crypto.HMAC, "crc", "k", "x"))') == [
        "false\tbad argument #1 to 'Crypto.Digest' (unknown algorithm 'sha3'; "
        "Q-SYS has md5, sha1, sha256, sha512)",
        "false\tbad argument #1 to 'Crypto.HMAC' (unknown algorithm 'crc'; "
        "Q-SYS has md5, sha1, sha256, sha512)",
    ]


def test_algorithm_names_ignore_case() -> None:
    """ "SHA256" is "sha256", as OpenSSL's digest names are."""
    assert value('Crypto.Digest("SHA256", "abc") == Crypto.Digest("sha256", "abc")') == "true"


def test_arguments_of_the_wrong_type_are_errors() -> None:
    """A table or nil where a string belongs is a Lua error naming the argument."""
    assert lines(
        'print(pcall(Crypto.Digest, "md5", {}))\nprint(pcall(Crypto.HMAC, "md5", nil, "x"))\n'
        "print(pcall(Crypto.Base64Encode))"
    ) == [
        "false\tbad argument #2 to 'Crypto.Digest' (string expected, got table)",
        "false\tbad argument #2 to 'Crypto.HMAC' (string expected, got nil)",
        "false\tbad argument #1 to 'Crypto.Base64Encode' (string expected, got nil)",
    ]


def test_functions_not_provided_say_so() -> None:
    """CRC16Compute, Encrypt and Decrypt exist and fail with a clear reason; Cipher holds the names."""
    texts = lines(
        'for _, f in ipairs({"CRC16Compute", "Encrypt", "Decrypt"}) do print(pcall(Crypto[f], "x")) end\n'
        "print(Crypto.Cipher.AES_128_CBC, Crypto.Cipher.AES_256_ECB)"
    )
    assert texts[0] == (
        "false\tCrypto.CRC16Compute is not available in ws_widget: "
        "the Q-SYS help does not say which CRC-16 variant it computes"
    )
    assert texts[1].startswith("false\tCrypto.Encrypt is not available in ws_widget")
    assert texts[2].startswith("false\tCrypto.Decrypt is not available in ws_widget")
    assert texts[3] == "aes_128_cbc\taes_256_ecb"
