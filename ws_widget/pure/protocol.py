"""Transitional: the names this module held now live in :mod:`.closecodes`, :mod:`.handshake`
and :mod:`.frames`; import them from there. Delete this module when nothing imports it."""

from __future__ import annotations

from .closecodes import close_code_name, explain_close_code
from .frames import frame_info
from .handshake import accept_steps, describe_handshake

__all__ = ["accept_steps", "close_code_name", "describe_handshake", "explain_close_code", "frame_info"]
