"""The word-processor reader: .docx, .odt, .rtf, .html / .htm and text PDFs, through poalint.extract.

The extractor turns the file into Markdown-like text (headings, list items, tables, paragraphs);
the reader makes a Letter of it with `paragraphs`, the map from each source paragraph (numbered as
a Word or Docs user counts them) to its characters in the text, so findings name "paragraph 12".
Lines and columns of findings are those of the extracted text. A damaged, encrypted or scanned
file is one line (LetterError) naming the file and what to do.
"""

from __future__ import annotations

from poalint.extract import EXTRACTORS, ExtractError
from poalint.letter import Letter, LetterError, Paragraph, parse

SUFFIXES = tuple(EXTRACTORS)


def read(data: bytes, path: str) -> Letter:
    lower = path.lower()
    extract = next((e for s, e in EXTRACTORS.items() if lower.endswith(s)), None)
    if extract is None:  # not reachable through READERS; a caller naming another suffix
        raise LetterError(f"{path}: poalint cannot read this kind of file; save the letter as .docx, .txt or .md")
    try:
        found = extract(data, path)
    except ExtractError as exc:
        raise LetterError(f"{path}: {_first_line(str(exc))}") from None
    except (MemoryError, RecursionError):
        raise LetterError(f"{path}: is too large or too deeply nested to read; save the letter as plain text") from None
    if not found.text.strip():
        raise LetterError(f"{path}: has no letter text; write the letter first, or leave the file out of the run")
    # the extracted text is not Markdown from the seller: no front matter, no comments to parse
    letter = parse(found.text, path, list(found.warnings))
    if letter.text != found.text:  # a document that begins with '---' or holds '<!--': keep its text as it is
        letter = Letter(path, found.text, found.text, warnings=tuple(found.warnings))
    paragraphs = tuple(Paragraph(p.number, _line_start(found.text, p.start), p.end) for p in found.paragraphs)
    return Letter(path, letter.text, letter.raw_text, letter.front_matter, letter.comments, letter.warnings,
                  is_markdown=True, paragraphs=paragraphs)


def _line_start(text: str, start: int) -> int:
    """A paragraph's span takes in its `# ` / `- ` / `| ` markup, so a finding on it names the paragraph."""
    line = text.rfind("\n", 0, start) + 1
    prefix = text[line:start]
    return line if prefix.strip(" #-*|0123456789.)") == "" and "|" not in prefix[1:] else start


def _first_line(message: str) -> str:
    return " ".join(message.split())
