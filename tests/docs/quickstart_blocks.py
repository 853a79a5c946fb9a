"""The quick-start code of the README and the guide, read from the pages as a reader sees them."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKER = "<!-- quick-start -->"
PAGES = (ROOT / "README.md", ROOT / "docs" / "guide" / "quickstart.md")
_BLOCK = re.compile(re.escape(MARKER) + r"\s*\n```python\n(.*?)\n```", re.S)


def quick_start(page: Path) -> str:
    """Return the Python block that follows the quick-start marker in ``page``.

    Raises:
        LookupError: the page has no marked block, or more than one.
    """
    blocks = _BLOCK.findall(page.read_text(encoding="utf-8"))
    if len(blocks) != 1:
        raise LookupError(f"{page.name} has {len(blocks)} Python blocks after {MARKER!r}, not one")
    return blocks[0] + "\n"
