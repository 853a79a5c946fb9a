"""The documentation site's sources: the API reference covers the public API, links stay in the
repository, the options table is the code's, and the strict build catches a broken link.

The full site is built by `make docs` in CI (.ci/run, after `make check`), not here: it takes
a core for several seconds and its only check is mkdocs' own exit status, which CI reads.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import ws_widget
from ws_widget.pure.options import Options

ROOT = Path(__file__).resolve().parents[2]
API_PAGE = ROOT / "docs" / "reference" / "api.md"
# Links out of the repository, only to well-known project sites where the text needs one.
ALLOWED_OUTSIDE = ("https://pypi.org/project/lupa/", "https://jupyterlite.readthedocs.io")
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _hooks():
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "docs" / "hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pages() -> list[Path]:
    return [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md"))]


def test_api_reference_covers_exactly_the_public_names():
    """docs/reference/api.md documents every name dir(ws_widget) shows, and nothing else at the top."""
    documented = re.findall(
        r"(?m)^::: ws_widget\.(?:_Package\.)?(\w+)$", API_PAGE.read_text(encoding="utf-8")
    )
    public = [name for name in dir(ws_widget) if not name.startswith("_")]
    assert sorted(documented) == sorted(public)


def test_no_link_leaves_the_repository():
    """README, CONTRIBUTING and the docs link only inside the repository (or to an allowed site)."""
    outside = [
        (page.relative_to(ROOT).as_posix(), target)
        for page in _pages()
        for target in _LINK.findall(page.read_text(encoding="utf-8"))
        if re.match(r"[a-z]+:", target) and target not in ALLOWED_OUTSIDE
    ]
    assert outside == []
    assert _LINK.findall("see [the site](https://example.org/x)") == ["https://example.org/x"]


def test_options_table_lists_every_option_with_type_and_default():
    """The generated table has one row per Options field, with its type, default and meaning."""
    rows = _hooks().options_table().splitlines()[2:]
    fields = dataclasses.fields(Options)
    assert len(rows) == len(fields)
    for row, field in zip(rows, fields, strict=True):
        name, kind, default, meaning = (cell.strip() for cell in row.strip("|").split(" | ", 3))
        assert name == f"`{field.name}`" and kind.startswith("`") and default and meaning
    assert "| `max_size` | `int | None` | `16777216` (16 MiB) |" in "\n".join(rows)


def _build(tmp_path: Path, page: str) -> subprocess.CompletedProcess:
    """Build a one-page site with the repository's validation settings and --strict."""
    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["validation"]
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "index.md").write_text(page, encoding="utf-8")
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n## Known part\n", encoding="utf-8")
    config = {"site_name": "t", "site_dir": str(tmp_path / "site"), "validation": settings}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("link", "complaint"),
    [("missing.md", "not found among documentation files"), ("other.md#unknown-part", "anchor")],
)
def test_strict_build_fails_on_a_broken_link_or_anchor(tmp_path, link, complaint):
    """With mkdocs.yml's validation settings a broken link or anchor fails the strict build."""
    good = _build(tmp_path, "# Home\n\n[there](other.md#known-part)\n")
    assert good.returncode == 0, good.stderr
    broken = _build(tmp_path, f"# Home\n\n[there]({link})\n")
    assert broken.returncode != 0 and complaint in broken.stderr
