"""Input readers: one table, `READERS`, from a file suffix to `read(data: bytes, path: str) -> Letter`.

Folder discovery offers exactly the suffixes in the table, and `read_letter` picks the reader
by suffix (a file named on the command line with another suffix, and standard input, are read
as text). A reader for a format whose text is not the file's bytes (.docx, .pdf ...) fills
`Letter.paragraphs`, so findings can name the paragraph of the source document.
Adding an input format: one module with `read`, and its suffixes here.
"""

from __future__ import annotations

from collections.abc import Callable

from poalint.letter import DEFAULT_MAX_BYTES, Letter, read_bytes
from poalint.readers import extracted, text

Reader = Callable[[bytes, str], Letter]

READERS: dict[str, Reader] = {
    **{suffix: text.read for suffix in text.SUFFIXES},
    **{suffix: extracted.read for suffix in extracted.SUFFIXES},  # .docx .odt .rtf .html .htm .pdf
}


# Folder discovery skips web pages: a folder of letters often holds saved pages and reports (poalint's
# own `--format html -o report.html` among them). A .html letter (Google Docs' "Download as web page")
# is linted when named on the command line or by pre-commit.
NOT_DISCOVERED = (".html", ".htm")


def suffixes() -> tuple[str, ...]:
    """The file suffixes folder discovery picks up (lower case, with the dot)."""
    return tuple(s for s in READERS if s not in NOT_DISCOVERED)


def reader_for(path: str) -> Reader:
    """The reader registered for the path's suffix; text for anything else (named files, standard input)."""
    lower = path.lower()
    for suffix, reader in READERS.items():
        if lower.endswith(suffix):
            return reader
    return text.read


def from_bytes(data: bytes, path: str) -> Letter:
    return reader_for(path)(data, path)


def read_letter(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Letter:
    """Read one letter file through the reader for its suffix; LetterError (one line) when it cannot be used."""
    return from_bytes(read_bytes(path, max_bytes), path)
