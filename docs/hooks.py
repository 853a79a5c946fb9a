"""mkdocs hooks: the site is built from the repository as GitHub shows it.

Every page keeps its path in the repository as its source (``docs/guide/quickstart.md``,
``CONTRIBUTING.md``, ``notebooks/01_quickstart.ipynb``), so a relative link means the same on
GitHub and on the site, and ``mkdocs build --strict`` checks the links of README.md and
CONTRIBUTING.md too. The URLs stay short: ``docs/guide/quickstart.md`` is served at
``guide/quickstart/``. ``<!-- connect-options -->`` in a page becomes the table of every
``connect``/``Connect`` option, made from ``ws_widget.pure.options.Options`` itself.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
# Files outside docs/ that the site serves, by their repository path; pages under their own
# URL, the rest (what README.md and the guide link to) copied as they are.
REPO_PAGES = {
    "README.md": "readme/index.html",
    "CONTRIBUTING.md": "contributing/index.html",
    "benchmarks/README.md": "benchmarks/index.html",
    "benchmarks/RESULTS.md": "benchmarks/results/index.html",
}
REPO_GLOBS = ("notebooks/*.ipynb",)
REPO_FILES = ("LICENSE", "binder/requirements.txt", "binder/runtime.txt")
OPTIONS_MARKER = "<!-- connect-options -->"
SPHINX_ROLE = re.compile(r":(?:class|meth|func|attr|mod|exc|data|obj):(?=<code)")


@event_priority(100)  # before mkdocs-jupyter, which turns the notebooks into pages
def on_files(files: Files, config) -> Files:
    """Give every file its repository path as source and add the repository's own pages."""
    site_dir, urls = config["site_dir"], config["use_directory_urls"]
    rerooted = []
    docs_dir = str(Path(config["docs_dir"]).resolve())
    for file in files:
        if file.src_dir is None or str(Path(file.src_dir).resolve()) != docs_dir:
            rerooted.append(file)  # the theme's assets, as they are
            continue
        moved = File(f"docs/{file.src_uri}", str(ROOT), site_dir, urls, dest_uri=file.dest_uri)
        moved.inclusion = file.inclusion
        rerooted.append(moved)
    for path, dest in REPO_PAGES.items():
        rerooted.append(File(path, str(ROOT), site_dir, urls, dest_uri=dest))
    for pattern in REPO_GLOBS:
        for found in sorted(ROOT.glob(pattern)):
            rerooted.append(File(found.relative_to(ROOT).as_posix(), str(ROOT), site_dir, urls))
    for path in REPO_FILES:
        rerooted.append(File(path, str(ROOT), site_dir, urls))
    return Files(rerooted)


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Replace the options marker with the generated table."""
    if OPTIONS_MARKER in markdown:
        markdown = markdown.replace(OPTIONS_MARKER, options_table())
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    """Drop the Sphinx roles some docstrings use (``:class:`History```), which Markdown shows as text."""
    return SPHINX_ROLE.sub("", html)


def options_table() -> str:
    """A Markdown table of every keyword option of ``connect``/``Connect``: type, default, meaning."""
    from ws_widget.pure.options import Options

    described = _attributes(inspect.getdoc(Options) or "")
    rows = ["| option | type | default | what it does |", "| --- | --- | --- | --- |"]
    for field in dataclasses.fields(Options):
        kind = str(field.type).replace("_Unset | ", "").replace("PemPath", "str | PathLike")
        rows.append(
            f"| `{field.name}` | `{kind}` | {_default(field.name, field.default)} "
            f"| {described.get(field.name, '')} |"
        )
        if field.name not in described:
            raise ValueError(f"Options' docstring does not describe {field.name!r}: add it to Attributes")
    return "\n".join(rows)


def _attributes(doc: str) -> dict[str, str]:
    """The ``Attributes:`` section of a Google-style docstring, as {name: one-line text}."""
    section = doc.split("Attributes:", 1)[1] if "Attributes:" in doc else ""
    found: dict[str, str] = {}
    name = None
    for line in section.splitlines():
        match = re.match(r"    (\w+): (.*)", line)
        if match:
            name, text = match.groups()
            found[name] = text
        elif name and line.startswith("        "):
            found[name] += " " + line.strip()
    return {key: re.sub(r":\w+:`", "`", value).replace("|", "\\|") for key, value in found.items()}


def _default(name: str, value: object) -> str:
    """A default as a reader wants it: ``16777216`` is 16 MiB."""
    if name == "user_agent":
        return "websockets' own header"
    if isinstance(value, int) and not isinstance(value, bool) and value >= 2**20 and value % 2**20 == 0:
        return f"`{value}` ({value // 2**20} MiB)"
    return f"`{value!r}`"
