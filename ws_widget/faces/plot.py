"""The Plot tab's kernel side: the chosen numeric fields of incoming JSON, read per flush.

Why the kernel reads the fields and not the browser: the browser gets at most the newest
``TAIL_RECORDS`` (100) records per batch, each cut to a 240-character preview, so past 2,000
messages/s, or for a Q-SYS ``ChangeGroup.Poll`` longer than 240 characters, it would plot a
fraction of the messages, or none. The kernel has every payload whole in the history, and sends
one bucket per chosen field per flush (``[t0_ms, t1_ms, min, max, last, count]``,
:mod:`ws_widget.pure.series`): the traffic to the views does not grow with the message rate.

Cost: with no field chosen, nothing (:meth:`PlotFeed.collect` returns at once; no message is
parsed). With fields chosen, one ``json.loads`` and one walk per path per incoming text message,
among at most :data:`MAX_PER_FLUSH` records a flush (the newest; the incoming text messages
before them are counted in ``skipped``, over the history's one-byte codes, and said on the
tab). Fields are found in a sample of the newest :data:`SAMPLE_MESSAGES` incoming messages,
when asked (a view opening the tab, ``find_fields()``).

Threads: :meth:`PlotFeed.collect`, :meth:`select` and :meth:`clear` run on the I/O loop (the
widget's flusher); :meth:`find` and :meth:`series` read the history from any thread (the
history's reads are snapshots under its lock).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..pure.fields import compile_path, discover, parse_json, read_path
from ..pure.history import History
from ..pure.kinds import IN, TEXT
from ..pure.series import Bucket, Buckets, FlushBuckets, bucket_of
from ..pure.tables import _pandas

MAX_PER_FLUSH = 500  # newest records read per flush: 10,000 a second at 20 flushes a second
SAMPLE_MESSAGES = 200  # newest incoming text messages read to find fields
SAMPLE_RECORDS = 2_000  # newest records looked through for them
BACKFILL_RECORDS = 2_000  # newest records read for a field just chosen, so its chart starts filled
MAX_PLOTTED = 16  # fields plotted at once


def check_fields(fields: object) -> list[str]:
    """The field paths, checked.

    Raises:
        ValueError: a path cannot be read, a path is there twice, or more than
            :data:`MAX_PLOTTED` paths; the message says which.
        TypeError: ``fields`` is not a list of strings.
    """
    if isinstance(fields, str) or not isinstance(fields, list | tuple):
        raise TypeError(f"plot fields must be a list of paths such as ['temperature_c'], got {fields!r}")
    paths = list(fields)
    for path in paths:
        compile_path(path)
    if len(set(paths)) != len(paths):
        raise ValueError(f"each field may be plotted once, got {paths!r}")
    if len(paths) > MAX_PLOTTED:
        raise ValueError(f"at most {MAX_PLOTTED} fields can be plotted at once, got {len(paths)}")
    return paths


class PlotFeed:
    """The series of the chosen fields of one history's incoming JSON text messages."""

    def __init__(self, history: History) -> None:
        self.history = history
        self.fields: list[str] = []
        self.skipped = 0  # incoming text messages not read: a flush had more than MAX_PER_FLUSH records
        self._steps: dict[str, Any] = {}
        self._series: dict[str, Buckets] = {}
        self._scanned = history.last_seq
        self._pending = FlushBuckets()

    def select(self, fields: list[str]) -> dict[str, list[Bucket]]:
        """Plot ``fields`` (checked by :func:`check_fields`) from now on; return the buckets of
        the fields new to the selection, read from the newest records of the history."""
        old = self._series
        self.fields = list(fields)
        self._steps = {path: compile_path(path) for path in fields}
        self._series = {path: old.get(path) or Buckets() for path in fields}
        added = [path for path in fields if path not in old]
        if not added:
            return {}
        start = max(self.history.first_seq - 1, self._scanned - BACKFILL_RECORDS)
        series = self._series

        def add(
            path: str, t_ms: float, value: float
        ) -> None:  # a bucket per value: the chart keeps its times
            series[path].add(bucket_of(t_ms, value))

        self._read(self.history.since(start, self._scanned - start), added, add)
        return {path: series[path].buckets for path in added}

    def collect(self) -> dict[str, Bucket]:
        """Read the messages recorded since the last call; return one bucket per field that
        got values (nothing, and no parsing, while no field is chosen)."""
        last = self.history.last_seq
        if not self._steps or last == self._scanned:
            self._scanned = last
            return {}
        start = self._scanned
        if last - start > MAX_PER_FLUSH:
            self.skipped += self.history.count_incoming_text(start, last - MAX_PER_FLUSH)
            start = last - MAX_PER_FLUSH
        self._scanned = last
        self._read(self.history.since(start, last - start), self.fields, self._pending.add)
        taken = self._pending.take()
        for path, bucket in taken.items():
            self._series[path].add(bucket)
        return taken

    def _read(self, records: list, fields: list[str], add: Callable[[str, float, float], None]) -> None:
        chosen = [(path, self._steps[path]) for path in fields]
        read = read_path
        for record in records:
            if record.direction != IN or record.kind != TEXT:
                continue
            value = parse_json(record.payload)
            if value is None:
                continue
            t_ms = round(record.time * 1000)
            for path, steps in chosen:
                number = read(value, steps)
                if number is not None:
                    add(path, t_ms, number)

    def state(self) -> dict[str, list[Bucket]]:
        """Every chosen field's buckets, for a view that starts."""
        return {path: series.buckets for path, series in self._series.items()}

    def clear(self) -> None:
        """Forget the series (the history was cleared); keep the fields."""
        self._series = {path: Buckets() for path in self.fields}
        self._scanned = self.history.last_seq
        self.skipped = 0

    def find(self) -> list[str]:
        """The numeric fields of the newest incoming JSON text messages (a bounded sample)."""
        records = self.history.tail(SAMPLE_RECORDS)
        texts = [r.payload for r in records if r.direction == IN and r.kind == TEXT]
        return discover(texts[-SAMPLE_MESSAGES:])

    def series(self, fields: list[str]) -> dict[str, list[tuple[float, float]]]:
        """Every value of ``fields`` in the history's incoming JSON messages, whole (not
        bucketed): ``{path: [(time, value), ...]}``, time in epoch seconds.

        Raises:
            ValueError, TypeError: a path cannot be read (see :func:`check_fields`).
        """
        out: dict[str, list[tuple[float, float]]] = {path: [] for path in check_fields(fields)}
        for time, values in self._rows(list(out)):
            for path, number in values.items():
                out[path].append((time, number))
        return out

    def frame(self, fields: list[str]) -> Any:
        """The values of ``fields`` as a ``pandas.DataFrame``: a row per incoming message that
        has any of them, indexed by its time (``datetime64``, UTC), a column per field.

        Raises:
            ImportError: pandas is not installed (``pip install 'ws-widget[pandas]'``).
            ValueError, TypeError: a path cannot be read (see :func:`check_fields`).
        """
        pd = _pandas()
        paths = check_fields(fields)
        rows = self._rows(paths)
        index = pd.to_datetime([time for time, _ in rows], unit="s", utc=True)
        frame = pd.DataFrame([values for _, values in rows], index=index, columns=paths, dtype="float64")
        frame.index.name = "time"
        return frame

    def _rows(self, paths: list[str]) -> list[tuple[float, dict[str, float]]]:
        steps = {path: compile_path(path) for path in paths}
        rows = []
        for record in self.history.snapshot():
            if record.direction != IN or record.kind != TEXT:
                continue
            value = parse_json(record.payload)
            if value is None:
                continue
            found = {path: n for path, s in steps.items() if (n := read_path(value, s)) is not None}
            if found:
                rows.append((record.time, found))
        return rows
