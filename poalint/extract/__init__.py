"""Readers for word-processor files: each turns a file's bytes into Markdown-like text.

`EXTRACTORS` maps a lower-case file suffix to `extract(data, path) -> Extracted`. The
libraries behind them (python-docx, odfpy, pypdf) are imported only when a file of that
kind is read, so importing this package costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from .base import Extracted, ExtractError, Paragraph


def _lazy(module: str) -> Callable[[bytes, str], Extracted]:
    def extract(data: bytes, path: str) -> Extracted:
        from importlib import import_module

        return import_module(f"{__name__}.{module}").extract(data, path)

    extract.__name__ = f"extract_{module}"
    extract.__qualname__ = extract.__name__
    extract.__doc__ = f"Read a {module} file (see poalint.extract.{module})."
    return extract


EXTRACTORS: dict[str, Callable[[bytes, str], Extracted]] = {
    ".docx": _lazy("docx"),
    ".odt": _lazy("odt"),
    ".rtf": _lazy("rtf"),
    ".html": _lazy("html"),
    ".htm": _lazy("html"),
    ".pdf": _lazy("pdf"),
}

__all__ = ["EXTRACTORS", "Extracted", "ExtractError", "Paragraph"]
