"""Cell constructors for the notebook sources."""

from nbformat.v4 import new_code_cell, new_markdown_cell


def md(text: str):
    """A markdown cell."""
    return new_markdown_cell(text.strip())


def code(text: str):
    """A code cell."""
    return new_code_cell(text.strip())
