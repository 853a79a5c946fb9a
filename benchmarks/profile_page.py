"""Profile the page (Chrome DevTools Profiler through Playwright) while messages stream into a
following widget; print the long tasks and the functions by self and total time, and save the
profile as benchmarks/results/page.cpuprofile (open it in Chrome DevTools).

    .venv/bin/python benchmarks/profile_page.py [RATE]       # default 20,000 messages/s, 10 s
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import browser_bench as bb  # noqa: E402
from browser import Chromium, JupyterServer  # noqa: E402
from common import Sender  # noqa: E402


def name_of(node: dict) -> str:
    frame = node["callFrame"]
    return f"{frame['functionName'] or '(anonymous)'} {frame['url'].split('/')[-1]}:{frame['lineNumber'] + 1}"


def main() -> None:
    rate = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    seconds = 10
    with Sender() as sender, JupyterServer("lab") as lab, Chromium() as chromium:
        lab.write_notebook(bb.NOTEBOOK, [bb.SETUP])
        with chromium.open_notebook(lab, bb.NOTEBOOK, timeout=120) as nb:
            nb.run_all()
            cdp = nb.context.new_cdp_session(nb.page)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 200})
            url = sender.flood(rate * seconds, 64, rate=rate)
            nb.page.evaluate(
                bb._RENDER,
                [bb.NOTEBOOK, f"ws_live = ws_widget.connect({url!r}, max_size=None)\nws_live", 60_000],
            )
            nb.page.wait_for_timeout(300)
            nb.reset_long_tasks()
            cdp.send("Profiler.start")
            nb.page.wait_for_timeout(seconds * 1000 - 1000)
            profile = cdp.send("Profiler.stop")["profile"]
            tasks = nb.long_tasks()
    print(f"long tasks: {tasks.count} {[round(e['duration']) for e in tasks.entries]} ms")
    nodes = {node["id"]: node for node in profile["nodes"]}
    parent = {child: node["id"] for node in profile["nodes"] for child in node.get("children", [])}
    own, inclusive = collections.Counter(), collections.Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        own[name_of(nodes[sample])] += delta
        seen, node = set(), sample
        while node in nodes:
            name = name_of(nodes[node])
            if name not in seen:
                inclusive[name] += delta
                seen.add(name)
            node = parent.get(node)
    print(f"profiled {sum(profile['timeDeltas']) / 1000:.0f} ms")
    for name, micros in own.most_common(25):
        print(f"self  {micros / 1000:8.1f} ms  {name}")
    for name, micros in inclusive.most_common(40):
        print(f"total {micros / 1000:8.1f} ms  {name}")
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "page.cpuprofile").write_text(json.dumps(profile))


if __name__ == "__main__":
    main()
