"""The history as a table: a pandas ``DataFrame`` indexed by ``seq``, and Parquet files.

pandas and pyarrow are optional: they are imported when a table is asked for, and their
absence is an ``ImportError`` that says what to install.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas

    from .history import Payload, Record

COLUMNS = ("seq", "time", "mono", "direction", "kind", "size", "payload")
"""The columns of every table, before the records' details and any flattened JSON."""


def to_pandas(records: Sequence[Record], flatten_json: bool = False) -> pandas.DataFrame:
    """Return a ``DataFrame`` with one row per record, indexed by ``seq``, ``time`` as UTC
    datetimes, payloads as they are (str or bytes) and the details as further columns.

    Args:
        records: the records, oldest first.
        flatten_json: parse text payloads that are JSON objects into columns named
            ``json.<path>`` (nested keys joined with dots).

    Raises:
        ImportError: pandas is not installed (``pip install 'ws-widget[pandas]'``).
    """
    pd = _pandas()
    rows = [{**record.to_dict(), "payload": record.payload} for record in records]
    frame = pd.DataFrame.from_records(rows) if rows else pd.DataFrame(columns=list(COLUMNS))
    frame["time"] = pd.to_datetime(frame["time"], unit="s", utc=True)
    frame = frame.set_index("seq")
    if flatten_json and len(frame):
        parsed = frame["payload"].map(_json_object)
        present = parsed.notna()
        if present.any():
            flat = pd.json_normalize(parsed[present].tolist()).add_prefix("json.")
            flat.index = frame.index[present]
            frame = frame.join(flat)
    return frame


def to_parquet(records: Sequence[Record], path: str | os.PathLike[str]) -> None:
    """Write the records as Parquet: the table of :func:`to_pandas`, text payloads as UTF-8.

    Raises:
        ImportError: pandas or pyarrow is missing.
        OSError: the file cannot be written.
    """
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise ImportError("to_parquet needs pyarrow: pip install pyarrow") from exc
    frame = to_pandas(records)
    frame["payload"] = frame["payload"].map(_as_bytes)
    frame.to_parquet(path)


def _pandas() -> Any:  # the pandas module; Any because pandas ships without type stubs
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError("this needs pandas: pip install 'ws-widget[pandas]'") from exc
    return pd


def _as_bytes(payload: Payload) -> bytes | None:
    return payload.encode() if isinstance(payload, str) else payload


def _json_object(payload: Payload) -> dict[str, Any] | None:
    if not isinstance(payload, str) or not payload.lstrip().startswith("{"):
        return None
    try:
        value = json.loads(payload)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
