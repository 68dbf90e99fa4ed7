"""The text reader: .txt and Markdown letters, decoded as poalint.letter.decode does (BOMs, UTF-16, cp1252).

Lines and columns of the analysed text are the file's, so no paragraph map is needed.
"""

from __future__ import annotations

from poalint.letter import Letter, LetterError, decode, parse

SUFFIXES = (".txt", ".md", ".markdown", ".text")


def read(data: bytes, path: str) -> Letter:
    text, warnings = decode(data, path)
    if not text.strip() or not text.replace("\ufeff", "").strip():
        raise LetterError(f"{path}: is empty; write the letter first, or leave the file out of the run")
    letter = parse(text, path, warnings)
    if not letter.text.strip():
        raise LetterError(f"{path}: has front matter but no letter text; write the letter below the '---' line")
    return letter
