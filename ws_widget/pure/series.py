"""Plotted series kept small: min/max buckets over time, a fixed number per series.

A bucket is ``[t0_ms, t1_ms, min, max, last, count]``: the values that arrived between its first
and last time (epoch milliseconds), their extremes, the newest, and how many. A
:class:`Buckets` holds at most ``size`` of them: when one more would not fit, neighbours merge in
pairs and the width a bucket may span doubles, so a series covers its whole run at a resolution
that halves as it grows, and peaks are never averaged away. The widget's front end keeps the
same buckets (``js/src/chart_math.js``, ``addBucket``) from the per-flush buckets the kernel sends.
"""

from __future__ import annotations

BUCKETS = 400  # per series, kept by the kernel and by each view

Bucket = list[float]
"""``[t0_ms, t1_ms, min, max, last, count]``."""


def bucket_of(t_ms: float, value: float) -> Bucket:
    """A bucket holding one value."""
    return [t_ms, t_ms, value, value, value, 1]


def absorb(into: Bucket, other: Bucket) -> None:
    """Merge ``other`` (later in time) into ``into``."""
    into[1] = max(into[1], other[1])
    into[2] = min(into[2], other[2])
    into[3] = max(into[3], other[3])
    into[4] = other[4]
    into[5] += other[5]


class Buckets:
    """At most ``size`` buckets of one series, oldest first.

    Raises:
        ValueError: ``size`` is below 2.
    """

    def __init__(self, size: int = BUCKETS) -> None:
        if size < 2:
            raise ValueError(f"a series needs at least 2 buckets, got {size}")
        self.size = size
        self.width = 0.0  # ms a bucket may span; doubles at each compaction
        self.buckets: list[Bucket] = []

    def add(self, bucket: Bucket) -> None:
        """Add a bucket (usually a flush's values of this series), merging as needed."""
        buckets = self.buckets
        if buckets and bucket[1] - buckets[-1][0] <= self.width:
            absorb(buckets[-1], bucket)
            return
        buckets.append(list(bucket))
        if len(buckets) > self.size:
            self._compact()

    def _compact(self) -> None:
        old = self.buckets
        merged: list[Bucket] = []
        for i in range(0, len(old), 2):
            bucket = old[i]
            if i + 1 < len(old):
                absorb(bucket, old[i + 1])
            merged.append(bucket)
        self.buckets = merged
        span = (merged[-1][1] - merged[0][0]) / max(1, len(merged))
        self.width = max(self.width * 2, span)

    def __len__(self) -> int:
        return len(self.buckets)


class FlushBuckets:
    """The values of several series gathered between two flushes: one bucket per series."""

    def __init__(self) -> None:
        self.buckets: dict[str, Bucket] = {}

    def add(self, name: str, t_ms: float, value: float) -> None:
        """Count ``value`` for the series ``name`` at ``t_ms``."""
        bucket = self.buckets.get(name)
        if bucket is None:
            self.buckets[name] = [t_ms, t_ms, value, value, value, 1]
            return
        if t_ms > bucket[1]:
            bucket[1] = t_ms
        if value < bucket[2]:
            bucket[2] = value
        elif value > bucket[3]:
            bucket[3] = value
        bucket[4] = value
        bucket[5] += 1

    def take(self) -> dict[str, Bucket]:
        """The buckets gathered, and start again."""
        taken, self.buckets = self.buckets, {}
        return taken
