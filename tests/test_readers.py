"""The READERS table: folder discovery and read_letter consult it; paragraph maps reach the findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from poalint import readers
from poalint.api import Setup, lint_letter
from poalint.discover import expand
from poalint.letter import Letter, Paragraph, parse
from poalint.model import Finding, Severity


def _fake(data: bytes, path: str) -> Letter:
    """A stand-in extractor: paragraphs separated by '|' in the file, one per line of text."""
    chunks = data.decode().split("|")
    text = "\n\n".join(chunks) + "\n"
    spans, pos = [], 0
    for n, chunk in enumerate(chunks, 1):
        spans.append(Paragraph(n, pos, pos + len(chunk)))
        pos += len(chunk) + 2
    letter = parse(text, path)
    return Letter(letter.path, letter.text, letter.raw_text, paragraphs=tuple(spans))


def test_text_and_document_suffixes_are_registered() -> None:
    assert set(readers.READERS) == {".txt", ".md", ".markdown", ".text", ".docx", ".odt", ".rtf", ".html", ".htm",
                                    ".pdf"}
    assert readers.reader_for("A.MD") is readers.READERS[".md"]
    assert readers.reader_for("Letter.DOCX") is readers.extracted.read
    # folders pick up documents but not web pages (saved pages and poalint's own HTML reports live there too)
    assert set(readers.suffixes()) == {".txt", ".md", ".markdown", ".text", ".docx", ".odt", ".rtf", ".pdf"}
    assert readers.reader_for("letter") is readers.text.read  # named on the command line: text


def test_discovery_and_reading_follow_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                setup: Setup) -> None:
    (tmp_path / "a.fake").write_bytes(b"Dear team,|We are very sorry. Your bot made a mistake and the reviewer was wrong.|Regards, Dana")
    (tmp_path / "b.html").write_bytes(b"<p>a web page: not picked up from a folder</p>")
    assert [f.path for f in expand([str(tmp_path)])] == [str(tmp_path)]  # nothing to lint: an error entry
    monkeypatch.setitem(readers.READERS, ".fake", _fake)
    assert [Path(f.path).name for f in expand([str(tmp_path)])] == ["a.fake"]
    letter = readers.read_letter(str(tmp_path / "a.fake"))
    assert letter.paragraph_at(letter.text.index("sorry")) == 2
    report = lint_letter(letter, setup)
    placed = [f for f in report.findings if f.start >= letter.text.index("We are")]
    assert placed and all(f.paragraph == 2 for f in placed)
    assert all(f.to_dict()["paragraph"] == f.paragraph for f in placed)


def test_paragraph_is_in_json_only_when_known() -> None:
    f = Finding("r", "tone", Severity.INFO, 1, 1, 1, 2, "x", "m", "fix")
    assert "paragraph" not in f.to_dict()
    assert Finding("r", "tone", Severity.INFO, 1, 1, 1, 2, "x", "m", "fix", paragraph=3).to_dict()["paragraph"] == 3
