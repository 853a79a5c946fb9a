#!/bin/sh
# Profile ws_widget's ingest path (the I/O thread) with py-spy while 1,000,000 messages of 64 B
# arrive; prints the functions by self time. Needs `pip install py-spy` in the venv.
#   sh benchmarks/profile_ingest.sh [VARIANT] [N] [SIZE]      VARIANT: history, callback, widget, raw
set -e
cd "$(dirname "$0")/.."
PY=.venv/bin/python
VARIANT=${1:-history}; N=${2:-1000000}; SIZE=${3:-64}
$PY - "$VARIANT" "$N" "$SIZE" <<'PYEOF'
import collections, subprocess, sys, tempfile
sys.path.insert(0, "benchmarks")
from common import Sender
variant, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
out = tempfile.mktemp(suffix=".txt")
with Sender() as sender:
    url = sender.flood(n, size, binary=size >= 65536)
    subprocess.run([".venv/bin/py-spy", "record", "--rate", "500", "--format", "raw", "--threads", "-o", out,
                    "--", sys.executable, "benchmarks/trial.py", "ingest", variant, url, str(n)], check=True)
own, total = collections.Counter(), 0
for line in open(out):
    stack, _, count = line.rstrip().rpartition(" ")
    frames = stack.split(";")
    if variant != "raw" and "ws_widget-io" not in frames[0]:
        continue
    total += int(count)
    own[frames[-1]] += int(count)
print(f"{total} samples of the {'main' if variant == 'raw' else 'I/O'} thread")
for frame, count in own.most_common(30):
    print(f"{100 * count / total:5.1f}%  {frame}")
PYEOF
