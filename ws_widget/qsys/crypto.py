"""The Q-SYS ``Crypto`` for Lua: Base64, message digests and HMACs, as raw bytes.

As the Q-SYS help documents them: ``Crypto.Base64Encode(value[, pad])`` (padded with ``=``
unless ``pad`` is false), ``Crypto.Base64Decode(value)``, ``Crypto.Digest(algorithm, data)`` and
``Crypto.HMAC(algorithm, key, data)`` with ``algorithm`` one of ``md5``, ``sha1``, ``sha256``,
``sha512``. Results are Lua strings holding raw bytes (a digest is not hex: scripts hex-encode
it themselves). The help leaves bad Base64 undocumented; here it is a Lua error that says what
is wrong, at the script's line.

Not provided, each with a clear error: ``Crypto.CRC16Compute`` (the help does not say which of
the CRC-16 variants it computes), ``Crypto.Encrypt`` and ``Crypto.Decrypt`` (AES, whose padding
the help does not state). ``Crypto.Cipher`` holds the cipher names the help lists.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import TYPE_CHECKING

from .runtime import LuaValue, lua_type

if TYPE_CHECKING:
    from .script import Script

ALGORITHMS = ("md5", "sha1", "sha256", "sha512")
"""The digest names the Q-SYS help lists for ``Crypto.Digest`` and ``Crypto.HMAC``."""

_MISSING = {
    "CRC16Compute": "the Q-SYS help does not say which CRC-16 variant it computes",
    "Encrypt": "AES is not part of ws_widget's Q-SYS environment yet",
    "Decrypt": "AES is not part of ws_widget's Q-SYS environment yet",
}

_LUA = """
return function(env, lib, host)
  local check, error = lib.check, error
  local encode, decode, digest, hmac, missing =
    host.base64_encode, host.base64_decode, host.digest, host.hmac, host.missing
  local function unavailable(name)
    return function()
      return check(missing(name))
    end
  end
  env.Crypto = {
    Base64Encode = function(value, pad)
      return check(encode(value, pad))
    end,
    Base64Decode = function(value)
      return check(decode(value))
    end,
    Digest = function(algorithm, data)
      return check(digest(algorithm, data))
    end,
    HMAC = function(algorithm, key, data)
      return check(hmac(algorithm, key, data))
    end,
    CRC16Compute = unavailable("CRC16Compute"),
    Encrypt = unavailable("Encrypt"),
    Decrypt = unavailable("Decrypt"),
    Cipher = {
      AES_128_CBC = "aes_128_cbc",
      AES_128_ECB = "aes_128_ecb",
      AES_256_CBC = "aes_256_cbc",
      AES_256_ECB = "aes_256_ecb",
    },
  }
end
"""


class Crypto:
    """The host side of ``Crypto`` in Lua; stateless."""

    def __init__(self, script: Script) -> None:
        script.state_required().install(
            "crypto",
            _LUA,
            base64_encode=base64_encode,
            base64_decode=base64_decode,
            digest=digest,
            hmac=hmac_of,
            missing=missing,
        )


def base64_encode(value: LuaValue, pad: LuaValue = None) -> bytes:
    """``Crypto.Base64Encode(value[, pad])``: standard Base64, ``=``-padded unless pad is false.

    Raises:
        TypeError: value is not a string (or number).
    """
    encoded = base64.b64encode(_data(value, "Crypto.Base64Encode", 1))
    return encoded.rstrip(b"=") if pad is False else encoded  # nil or any true value: padded


def base64_decode(value: LuaValue) -> bytes:
    """``Crypto.Base64Decode(value)``: the bytes of standard Base64 text, padded or not;
    whitespace (line breaks of wrapped Base64) is ignored.

    Raises:
        TypeError: value is not a string.
        ValueError: value is not Base64.
    """
    text = b"".join(_data(value, "Crypto.Base64Decode", 1).split())
    try:
        return base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except binascii.Error:
        raise ValueError(
            "bad argument #1 to 'Crypto.Base64Decode' (not Base64: only A-Z, a-z, 0-9, '+', '/' "
            "and '=' padding are allowed, in groups of 4)"
        ) from None


def digest(algorithm: LuaValue, data: LuaValue) -> bytes:
    """``Crypto.Digest(algorithm, data)``: the raw digest of data.

    Raises:
        TypeError: an argument is not a string.
        ValueError: an algorithm Q-SYS does not list.
    """
    name = _algorithm(algorithm, "Crypto.Digest")
    return hashlib.new(name, _data(data, "Crypto.Digest", 2)).digest()


def hmac_of(algorithm: LuaValue, key: LuaValue, data: LuaValue) -> bytes:
    """``Crypto.HMAC(algorithm, key, data)``: the raw HMAC of data under key.

    Raises:
        TypeError: an argument is not a string.
        ValueError: an algorithm Q-SYS does not list.
    """
    name = _algorithm(algorithm, "Crypto.HMAC")
    return hmac.new(_data(key, "Crypto.HMAC", 2), _data(data, "Crypto.HMAC", 3), name).digest()


def missing(name: bytes) -> None:
    """Raise the error of a Crypto function ws_widget does not provide.

    Raises:
        ValueError: always; the message says why it is missing.
    """
    function = name.decode()
    raise ValueError(f"Crypto.{function} is not available in ws_widget: {_MISSING[function]}")


def _algorithm(value: LuaValue, function: str) -> str:
    if type(value) is not bytes:
        raise TypeError(f"bad argument #1 to '{function}' (string expected, got {lua_type(value)})")
    name = value.decode("utf-8", "replace").lower()
    if name not in ALGORITHMS:
        valid = ", ".join(ALGORITHMS)
        raise ValueError(f"bad argument #1 to '{function}' (unknown algorithm '{name}'; Q-SYS has {valid})")
    return name


def _data(value: LuaValue, function: str, position: int) -> bytes:
    """A Lua string argument as its bytes (a number as Lua's tostring would write it)."""
    if type(value) is bytes:
        return value
    if type(value) in (int, float):
        return str(value).encode()
    raise TypeError(f"bad argument #{position} to '{function}' (string expected, got {lua_type(value)})")
