"""poalint.extract on hostile input: damaged, mutated, truncated, bombs and big letters. Never a traceback."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_extract import GOOGLE_DOCS_HTML, RTF, make_docx, make_odt, make_pdf, paragraphs  # noqa: I001

from poalint.extract import EXTRACTORS, Extracted, ExtractError

SEEDS: dict[str, bytes] = {}


def seed(ext: str) -> bytes:
    if ext not in SEEDS:
        SEEDS[ext] = {".docx": make_docx, ".odt": make_odt, ".pdf": make_pdf, ".rtf": lambda: RTF,
                      ".html": lambda: GOOGLE_DOCS_HTML.encode("utf-8")}[ext]()
    return SEEDS[ext]


def read_or_refuse(ext: str, data: bytes) -> Extracted | None:
    """The extractor's answer: a well-formed Extracted, or None after one plain ExtractError line."""
    try:
        result = EXTRACTORS[ext](data, "letter" + ext)
    except ExtractError as exc:
        msg = str(exc)
        assert msg and "\n" not in msg and len(msg) < 200
        return None
    assert isinstance(result, Extracted)
    paragraphs(result)
    return result


@st.composite
def mutations(draw, ext: str) -> bytes:  # type: ignore[no-untyped-def]
    data = bytearray(seed(ext))
    kind = draw(st.sampled_from(["flip", "truncate", "splice"]))
    if kind == "flip":
        for _ in range(draw(st.integers(1, 16))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    elif kind == "truncate":
        data = data[: draw(st.integers(0, len(data) - 1))]
    else:
        at = draw(st.integers(0, len(data) - 1))
        data[at: at + draw(st.integers(0, 200))] = draw(st.binary(max_size=64))
    return bytes(data)


@pytest.mark.parametrize("ext", [".docx", ".odt", ".pdf", ".rtf", ".html"])
def test_mutated_files_are_read_or_refused_in_one_line(ext: str) -> None:
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=mutations(ext))
    def run(data: bytes) -> None:
        read_or_refuse(ext, data)

    run()


@pytest.mark.parametrize("ext", sorted(EXTRACTORS))
@settings(max_examples=40, deadline=None, database=None)
@given(data=st.binary(max_size=400))
def test_random_bytes_are_read_or_refused_in_one_line(ext: str, data: bytes) -> None:
    read_or_refuse(ext, data)


@pytest.mark.parametrize("ext", sorted(EXTRACTORS))
def test_each_format_given_another_formats_file(ext: str) -> None:
    for other in (".docx", ".odt", ".pdf", ".rtf", ".html"):
        if EXTRACTORS[ext] is EXTRACTORS.get(other) or ext == other or {ext, other} == {".htm", ".html"}:
            continue
        result = read_or_refuse(ext, seed(other))
        if ext in (".docx", ".odt", ".pdf", ".rtf"):
            assert result is None, (ext, other)


def _replace(data: bytes, name: str, new: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, new if info.filename == name else src.read(info.filename))
    return out.getvalue()


def _laughs(root: str) -> str:
    entities = '<!ENTITY lol "lolololololololololol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    return f'<?xml version="1.0"?><!DOCTYPE {root} [{entities}]>'


def test_xml_entity_bombs_are_refused() -> None:
    docx_data = seed(".docx")
    xml = zipfile.ZipFile(io.BytesIO(docx_data)).read("word/document.xml").decode("utf-8")
    body = xml[xml.index("<w:document"):].replace("Root cause", "&lol9;", 1)
    t0 = time.perf_counter()
    assert read_or_refuse(".docx", _replace(docx_data, "word/document.xml",
                                            (_laughs("w:document") + body).encode())) is None
    odt_data = seed(".odt")
    xml = zipfile.ZipFile(io.BytesIO(odt_data)).read("content.xml").decode("utf-8")
    body = xml[xml.index("<office:document-content"):].replace("Root cause", "&lol9;", 1)
    assert read_or_refuse(".odt", _replace(odt_data, "content.xml",
                                           (_laughs("office:document-content") + body).encode())) is None
    assert time.perf_counter() - t0 < 10


def test_a_zip_that_lies_about_its_sizes_is_refused() -> None:
    """The central directory says 1 KB, the data unpacks to 30 MB: zipfile stops at the declared size."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("word/document.xml", b"<" + b"a" * (30 * 1024 * 1024) + b"/>")
    data = bytearray(buf.getvalue())
    # patch the uncompressed size of word/document.xml in the central directory to 1024
    cd = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/document.xml"))
    data[cd + 24: cd + 28] = (1024).to_bytes(4, "little")
    assert read_or_refuse(".docx", bytes(data)) is None


def test_deeply_nested_html_and_rtf() -> None:
    html = ("<div>" * 50_000 + "Deep text." + "</div>" * 50_000).encode()
    result = read_or_refuse(".html", html)
    assert result is not None and result.text == "Deep text."
    lists = ("<ul><li>" * 3000 + "deep item" + "</li></ul>" * 3000).encode()
    result = read_or_refuse(".html", lists)
    assert result is not None and result.text.endswith("- deep item")
    assert read_or_refuse(".rtf", b"{\\rtf1 " + b"{\\b " * 900 + b"text" + b"}" * 900 + b"\\par}").text == "text"


@pytest.mark.parametrize("ext", [".docx", ".odt", ".rtf", ".html"])
def test_a_two_megabyte_letter_is_read_in_seconds(ext: str) -> None:
    para = ("We checked every order that shipped late in March and we found that the carrier missed the pickup "
            "on nine days. ") * 9
    n = 2000
    if ext == ".docx":
        import docx

        d = docx.Document()
        for _ in range(n):
            d.add_paragraph(para)
        buf = io.BytesIO()
        d.save(buf)
        data = buf.getvalue()
    elif ext == ".odt":
        from odf.opendocument import OpenDocumentText
        from odf.text import P

        doc = OpenDocumentText()
        for _ in range(n):
            doc.text.addElement(P(text=para))
        buf = io.BytesIO()
        doc.save(buf)
        data = buf.getvalue()
    elif ext == ".rtf":
        data = ("{\\rtf1\\ansi " + "".join("\\pard " + para + "\\par\n" for _ in range(n)) + "}").encode()
    else:
        data = ("<html><body>" + "".join(f"<p><span>{para}</span></p>" for _ in range(n)) + "</body></html>").encode()
    t0 = time.perf_counter()
    result = EXTRACTORS[ext](data, "big" + ext)
    elapsed = time.perf_counter() - t0
    assert len(result.text) > 2_000_000 and len(result.paragraphs) == n
    assert elapsed < 15, elapsed


_WORDS = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S"),
                                        exclude_characters="\u00ad\ufeff"), min_size=1, max_size=40)


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(blocks=st.lists(st.tuples(st.sampled_from(["heading", "list", "body", "number"]), _WORDS), max_size=12))
def test_every_docx_paragraph_comes_back_with_its_own_span(blocks: list[tuple[str, str]]) -> None:
    import docx

    from poalint.extract.base import body_text, one_line

    d = docx.Document()
    expected = []
    for kind, text in blocks:
        if kind == "heading":
            d.add_heading(text, 2)
        elif kind == "list":
            d.add_paragraph(text, style="List Bullet")
        elif kind == "number":
            d.add_paragraph(text, style="List Number")
        else:
            d.add_paragraph(text)
        clean = one_line(text) if kind != "body" else body_text(text)
        if clean:
            expected.append(clean)
    buf = io.BytesIO()
    d.save(buf)
    result = EXTRACTORS[".docx"](buf.getvalue(), "x.docx")
    got = [t for _n, _k, t in paragraphs(result)]
    # a body paragraph typed as "- x" or "1. x" comes back as a list item without its marker
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g == e or e.endswith(g)
