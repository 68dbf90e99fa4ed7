"""Reading letters: encodings, line ends, front matter kept out of the text with offsets intact."""

from __future__ import annotations

import pytest

from poalint.letter import LetterError, decode, parse
from poalint.readers import from_bytes

BODY = "Root cause: our handling time was 1 day.\nWe changed it on 3 March.\n"


def test_utf8_with_bom_is_read_without_the_mark() -> None:
    letter = from_bytes(b"\xef\xbb\xbf" + BODY.encode(), "a.txt")
    assert letter.text == BODY
    assert letter.warnings == ()


def test_utf16_with_bom() -> None:
    letter = from_bytes(BODY.encode("utf-16"), "a.txt")
    assert letter.text == BODY


def test_utf16_without_bom_is_detected_with_a_warning() -> None:
    letter = from_bytes(BODY.encode("utf-16-le"), "a.txt")
    assert letter.text == BODY
    assert "UTF-16" in letter.warnings[0]


def test_invalid_utf8_falls_back_to_cp1252_with_a_warning_naming_the_file() -> None:
    text, warnings = decode("We are sorry \u2013 the caf\u00e9".encode("cp1252"), "old.txt")
    assert text == "We are sorry \u2013 the caf\u00e9"
    assert warnings and warnings[0].startswith("old.txt:") and "cp1252" in warnings[0]


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_crlf_and_cr_become_lf_without_changing_lines(ending: str) -> None:
    letter = from_bytes(BODY.replace("\n", ending).encode(), "a.txt")
    assert letter.text == BODY


def test_binary_file_is_refused() -> None:
    with pytest.raises(LetterError, match="binary"):
        from_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "a.png")


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", b"\xef\xbb\xbf"])
def test_empty_and_whitespace_only_are_refused(data: bytes) -> None:
    with pytest.raises(LetterError, match="empty"):
        from_bytes(data, "a.txt")


def test_front_matter_is_parsed_and_blanked_keeping_offsets() -> None:
    raw = "---\nreason: late-shipment\nasins: [B0CX4T7R2M]\n---\n# Root cause\nOur handling time was too short.\n"
    letter = parse(raw, "a.md")
    assert letter.front_matter == {"reason": "late-shipment", "asins": ["B0CX4T7R2M"]}
    assert letter.reason == "late-shipment"
    assert len(letter.text) == len(raw)
    assert letter.text.split("\n")[4] == "# Root cause"
    assert "reason" not in letter.text


@pytest.mark.parametrize("raw, words", [
    ("---\nreason: x\nno end here\n", "never ends"),
    ("---\n- a\n- b\n---\ntext\n", "key: value"),
    ("---\nreason: [unclosed\n---\ntext\n", "not valid YAML"),
])
def test_broken_front_matter_is_one_clear_error(raw: str, words: str) -> None:
    with pytest.raises(LetterError, match=words):
        parse(raw, "a.md")


def test_html_comments_are_blanked_but_kept() -> None:
    raw = "Root cause: x.\n<!-- poalint-disable shouting -->\nWE ARE SORRY.\n"
    letter = parse(raw, "a.md")
    assert "poalint-disable" not in letter.text
    assert letter.comments[0].text == "<!-- poalint-disable shouting -->"
    assert letter.text.index("WE ARE") == raw.index("WE ARE")


def test_paragraph_at_is_the_first_paragraph_holding_the_offset() -> None:
    """The bisect over the readers' paragraph map (asked once per finding) against a scan of every paragraph:
    in order, touching, empty, overlapping or out of order."""
    import random

    from poalint.letter import Letter, Paragraph

    rng = random.Random(14)
    for _ in range(2000):
        paragraphs, pos = [], 0
        for k in range(rng.randint(0, 6)):
            start = pos + rng.randint(-2, 3)
            end = start + rng.randint(-1, 5)
            paragraphs.append(Paragraph(k + 1, start, end))
            pos = max(start, end)
        letter = Letter("x.docx", "t" * 40, "t" * 40, paragraphs=tuple(paragraphs))
        for offset in range(-1, 32):
            want = next((p.number for p in paragraphs if p.start <= offset < p.end), None)
            assert letter.paragraph_at(offset) == want
