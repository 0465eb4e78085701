"""WARC archives (news crawls such as CC-NEWS) through warcio: one article per HTML response record.

warcio reads a truncated archive without complaint: the cut record comes back short and a record cut in its
headers simply ends the iteration. So each record's unread length is checked, and so is what lies after the
last complete record; both become `Failure`s while the records before them are kept. warcio writes its own
complaints to stderr; they are captured and folded into the failure reasons instead.

Dates: the page's own publication date; the record's WARC-Date (when it was crawled) is the latest date the
page can carry and the fallback when it has none (a news crawl fetches pages within hours of publication).
"""
from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from datetime import datetime
from typing import BinaryIO

from according.ingest.files import DEFAULT_MAX_BYTES
from according.ingest.html import article_from_html
from according.ingest.records import Failure, read_record
from according.model import Article

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | Failure]:
    with open(path, "rb") as stream:
        stream.seek(0, io.SEEK_END)
        size = stream.tell()
        stream.seek(0)
        yield from articles_from_warc(stream, path, size, max_bytes)


def articles_from_warc(stream: BinaryIO, name: str, size: int,
                       max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | Failure]:
    """Each HTML record as an `Article`; a page whose decoded body passes `max_bytes` (a gzip body can expand a
    thousandfold) is a `Failure`, read past without being held."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    complaints = io.StringIO()
    end = 0
    number = pages = 0
    try:
        with contextlib.redirect_stderr(complaints):
            records = ArchiveIterator(stream)
            for number, record in enumerate(records, start=1):
                uri = record.rec_headers.get_header("WARC-Target-URI") if record.rec_headers else None
                where = uri or f"{name}#record{number}"
                if record.rec_type is None or not hasattr(record.raw_stream, "limit"):
                    yield Failure(f"{name}#record{number}", "a corrupt WARC record header; stopped reading here")
                    return
                if record.rec_type not in ("response", "resource"):
                    continue  # requests, metadata, warcinfo: not pages
                media_type = _media_type(record)
                # only pages are kept; the rest is read past (read_to_end) without being held
                payload = record.content_stream().read(max_bytes + 1) if media_type in _HTML_TYPES else b""
                records.read_to_end(record)
                missing = record.raw_stream.limit  # what the archive lacks of the record's declared length
                end = records.get_record_offset() + records.get_record_length()
                if missing:
                    yield Failure(where, f"the WARC record is truncated ({missing:,} bytes missing of its "
                                         "declared length); the archive ends inside it")
                    return
                if media_type not in _HTML_TYPES:
                    continue  # images, scripts, CSS of a crawl are not skipped inputs but page furniture
                pages += 1
                if len(payload) > max_bytes:
                    yield Failure(where, f"the page in this WARC record decodes to more than {max_bytes:,} bytes, "
                                         "the most one article may hold; skipped it")
                    continue
                crawled = _warc_date(record.rec_headers.get_header("WARC-Date"))
                yield read_record(where, _article, payload, record, where, uri, crawled)
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, OverflowError, AttributeError, TypeError) as e:
        # warcio trips over a record cut inside its headers with AttributeError/TypeError as often as it says so,
        # and over a Content-Length past any size with OverflowError
        if isinstance(e, OverflowError):
            detail = "a declared length larger than any archive"
        elif isinstance(e, (ArchiveLoadFailed, EOFError, OSError, ValueError)):
            detail = str(e)
        else:
            detail = "unreadable headers"
        yield Failure(f"{name}#record{number + 1}", f"the WARC archive is truncated or corrupt after record "
                      f"{number}: {detail}" + _complaints(complaints))
        return
    if not pages:
        yield Failure(name, f"no web page in the WARC archive ({number} record(s), none an HTML response): check "
                            "that it is the archive you meant")
        return
    if end < size and _trailing_data(stream, end):
        yield Failure(f"{name}#record{number + 1}", f"{size - end:,} bytes after the last complete record "
                      f"(offset {end:,}) are not a readable WARC record: truncated or corrupt"
                      + _complaints(complaints))


def _article(payload: bytes, record, where: str, uri: str | None, crawled: datetime | None) -> Article | Failure:
    from according.ingest.html import decode_html

    charset = None
    content_type = record.http_headers.get_header("Content-Type") if record.http_headers else None
    if content_type and "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=")[1].split(";")[0].strip("\"' ")
    html, _ = decode_html(payload, where, declared=charset)
    fallback = {"published": crawled.isoformat()} if crawled else {}
    return article_from_html(html, url=uri, origin=where, latest=crawled, **fallback)


def _media_type(record) -> str:
    header = record.http_headers.get_header("Content-Type") if record.http_headers else None
    header = header or record.rec_headers.get_header("Content-Type") or ""
    return header.split(";")[0].strip().lower()


def _warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _trailing_data(stream: BinaryIO, offset: int) -> bool:
    """Blank lines and gzip padding after the last record are fine; anything else is a lost record."""
    try:
        stream.seek(offset)
    except (OSError, ValueError):
        return False
    return bool(stream.read(1 << 16).strip(b"\r\n\t \x00"))


def _complaints(buffer: io.StringIO) -> str:
    text = " ".join(buffer.getvalue().split())
    return f" (warcio: {text[:300]})" if text else ""
