"""Turn bytes from a file, stdin or an HTTP body into text, or say plainly why they are not text.

Every reader shares this one decoder so that a stray cp1252 file, a PDF passed by mistake or an empty
page is reported the same way wherever it came from. Broken encodings are decoded as well as we can
(with a warning), never refused: a few mangled accents are better than a lost article.
"""
from __future__ import annotations

import codecs
import sys
from pathlib import Path

from according.errors import InputError

# Magic numbers of formats people pass by mistake; naming them makes the error mendable.
_MAGIC = {
    b"%PDF-": "a PDF document; extract its text first (for example with `pdftotext`)",
    b"PK\x03\x04": "a ZIP archive (or a .docx/.odt document); unpack it or save it as text first",
    b"\x1f\x8b": "gzip-compressed; decompress it first (`gunzip`), or pass a .warc.gz as a WARC archive",
    b"\x89PNG": "a PNG image, not text",
    b"\xff\xd8\xff": "a JPEG image, not text",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),  # before UTF-16: same prefix
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAMPLE = 64 * 1024
# The most one document (a file, a page, a WARC record, a JSON line) may hold.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Bytes that never occur in text (C0 controls other than tab, newlines, form feed, escape and backspace).
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\f\b\x1b")


def read_text(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, list[str]]:
    """Read a file (or stdin for `-`) as text; returns (text, warnings) and raises `InputError` if it is not text."""
    return read_bytes_as_text(read_document(path, max_bytes), "<stdin>" if str(path) == "-" else str(path))


def read_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of one document: a file, a pipe, or stdin for `-`; `InputError` past `max_bytes` or for a device.

    One document is one article, so `max_bytes` (20 MiB unless the caller says otherwise) is far beyond any real
    one; without it `/dev/zero`, or a pipe that never ends, would be read until memory runs out.
    """
    name = str(path)
    if name == "-":
        return _capped(sys.stdin.buffer, "<stdin>", max_bytes)
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{name} is a folder, not a file: pass one file, or ingest the folder to read every "
                         "file in it.")
    try:
        if p.is_char_device() or p.is_block_device():
            raise InputError(f"{name} is a device, not a file: save what it holds to a file, or pipe it to `-`.")
        with open(p, "rb") as stream:
            return _capped(stream, name, max_bytes)
    except FileNotFoundError:
        raise InputError(f"{name} does not exist: check the path and its spelling.") from None
    except PermissionError:
        raise InputError(f"{name} cannot be read (permission denied): check its permissions.") from None
    except OSError as e:
        raise InputError(f"{name} cannot be read ({e.strerror or e}): check that it is a regular file.") from None


def _capped(stream, name: str, max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"{name} holds more than {max_bytes:,} bytes, the most one article may hold: split it "
                         "into articles (a JSONL file holds any number), or raise the limit (max_bytes).")
    return data


def read_bytes_as_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode bytes as text (UTF-8 first, then a guessed encoding), with line endings made `\\n`."""
    warnings: list[str] = []
    text = _decode_with_bom(data)
    if text is None:
        _refuse_binary(data, name)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            text, warning = _decode_broken(data, e.start, name)
            if _garbled(text):
                raise InputError(f"{name} is binary data, not text (no text encoding reads it): pass a text, "
                                 "HTML, JSONL, feed or WARC file.") from None
            warnings.append(warning)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{name} is empty (nothing but whitespace): check that it is the file you meant.")
    return text, warnings


def _decode_with_bom(data: bytes) -> str | None:
    """A byte-order mark is the writer telling us the encoding: trust it (UTF-16 would otherwise look binary)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    return None


def _refuse_binary(data: bytes, name: str) -> None:
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{name} is {what}.")
    head = data[:_SAMPLE]
    if b"\x00" in head:
        raise InputError(f"{name} is binary data (it contains NUL bytes), not text: pass a text, HTML, "
                         "JSONL, feed or WARC file.")
    if head and sum(head.count(c) for c in _CONTROL) > len(head) * 0.1:
        raise InputError(f"{name} is mostly control characters, not text: pass a text, HTML, JSONL, feed "
                         "or WARC file.")


def _garbled(text: str) -> bool:
    """Random bytes decode to replacement characters and control codes; text, even mis-decoded, does not."""
    sample = text[:_SAMPLE]
    noise = sample.count("\ufffd") + sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\b\x1b")
    return noise > len(sample) * 0.1


def _decode_broken(data: bytes, first_bad: int, name: str) -> tuple[str, str]:
    """Decode bytes that are not valid UTF-8: mostly-UTF-8 with a few bad bytes stays UTF-8; else guess."""
    as_utf8 = data.decode("utf-8", errors="replace")
    bad = as_utf8.count("\ufffd") - data.count("\ufffd".encode())
    good_non_ascii = sum(1 for ch in as_utf8 if ord(ch) > 127) - as_utf8.count("\ufffd")
    if good_non_ascii <= bad:
        encoding = _guess_encoding(data[:_SAMPLE] + data[max(first_bad - 1024, _SAMPLE):first_bad + _SAMPLE])
        if encoding:
            return (data.decode(encoding, errors="replace"),
                    f"{name} is not valid UTF-8 (first bad byte at offset {first_bad}); decoded it as {encoding}, "
                    "a guess: check accented letters and quotes, or convert the file to UTF-8.")
    return (as_utf8,
            f"{name} is not valid UTF-8 (first bad byte at offset {first_bad}); replaced {bad} undecodable "
            "byte sequence(s) with U+FFFD: convert the file to UTF-8 to keep those characters.")


def _guess_encoding(sample: bytes) -> str | None:
    """charset-normalizer's guess, leaning to cp1252 (the web's default legacy encoding) when it fits as well."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(sample))
    if not matches:
        return None
    # On short Western text its language coherence picks cp1250 or cp775 by a hair; when cp1252 reads the
    # bytes with no more chaos, it is the likelier writer (a wrong cp1252 is not even among the candidates).
    best = min(m.chaos for m in matches)
    if any(m.encoding == "cp1252" and m.chaos <= best + 0.02 for m in matches):
        return "cp1252"
    return matches[0].encoding
