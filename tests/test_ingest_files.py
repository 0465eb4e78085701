import io
import sys

import pytest

from according.errors import InputError
from according.ingest.files import read_bytes_as_text, read_text

FRENCH = "Le ministre a déclaré à l’AFP que le café était « naïf », selon l’été dernier. Coût: élevé."


def test_files_utf8_with_bom_and_crlf(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbf" + "Peskov said “no”.\r\nSecond line.".encode())
    text, warnings = read_text(p)
    assert text == "Peskov said “no”.\nSecond line."
    assert warnings == []


def test_files_utf16_with_bom_is_text_not_binary(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes("Peskov denied it.".encode("utf-16"))
    assert read_text(p) == ("Peskov denied it.", [])


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_files_legacy_encoding_decoded_with_warning(tmp_path, encoding):
    p = tmp_path / "old.txt"
    text_in = FRENCH if encoding == "cp1252" else FRENCH.replace("’", "'").replace("«", '"').replace("»", '"')
    p.write_bytes(text_in.encode(encoding))
    text, warnings = read_text(p)
    assert text == text_in
    assert len(warnings) == 1 and "not valid UTF-8" in warnings[0] and "cp1252" in warnings[0]


def test_files_mostly_utf8_with_one_bad_byte_keeps_utf8(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes("résumé été ".encode() + b"\xff" + " naïve".encode())
    text, warnings = read_text(p)
    assert text == "résumé été \ufffd naïve"
    assert "replaced 1" in warnings[0]


def test_files_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"A100.*does not exist.*check the path"):
        read_text(tmp_path / "nope.txt")


def test_files_directory(tmp_path):
    with pytest.raises(InputError, match="is a folder"):
        read_text(tmp_path)


@pytest.mark.parametrize("data,message", [
    (b"abc\x00\x01\x02def", "NUL bytes"),
    (b"%PDF-1.7\n%\xe2\xe3", "PDF"),
    (b"PK\x03\x04rest", "ZIP"),
    (bytes([1, 2, 3, 4, 5, 6, 7]) * 20 + b"text", "control characters"),
])
def test_files_binary_refused(data, message):
    with pytest.raises(InputError, match=message):
        read_bytes_as_text(data, "x.bin")


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n "])
def test_files_empty_refused(data):
    with pytest.raises(InputError, match="is empty"):
        read_bytes_as_text(data, "e.txt")


def test_files_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("From stdin: “quoted”.".encode())))
    assert read_text("-") == ("From stdin: “quoted”.", [])


def test_files_twenty_megabytes(tmp_path):
    p = tmp_path / "big.txt"
    line = "The Kremlin spokesperson called the report “inaccurate”, sources said.\n"
    p.write_bytes((line * (20_000_000 // len(line.encode()) + 1)).encode())
    text, warnings = read_text(p)
    assert len(text.encode()) >= 20_000_000 and warnings == []


def test_files_cyrillic_legacy_encoding_not_forced_to_cp1252(tmp_path):
    p = tmp_path / "ru.txt"
    text_in = "Песков назвал сообщения неточными, заявил представитель Кремля журналистам в среду."
    p.write_bytes(text_in.encode("cp1251"))
    text, warnings = read_text(p)
    assert text == text_in and "cp1251" in warnings[0]
