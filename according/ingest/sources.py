"""`iter_articles`: any mix of files, folders, URLs, feeds, archives and stdin in, `Article`s and `Failure`s out.

The kind of each input is decided from what it is (a folder, an http URL), then its extension, then its first
bytes, so a feed saved as `.txt` or a page served as `application/octet-stream` still reads right. Each input
is read in isolation: whatever goes wrong with it becomes a `Failure` and the run goes on with the next.
"""
from __future__ import annotations

import fnmatch
import io
import os
import re
import stat
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path

from according.errors import AccordingError, IngestError, InputError
from according.ingest.feeds import read_feed
from according.ingest.files import read_bytes_as_text, read_document, read_text
from according.ingest.html import article_from_html, decode_html
from according.ingest.jsonl import articles_from_jsonl, read_jsonl
from according.ingest.kinds import BY_MEDIA_TYPE, kind_of_path, sniff
from according.ingest.records import Failure, unexpected
from according.ingest.text import article_from_markdown, article_from_text
from according.ingest.warc import articles_from_warc, read_warc
from according.ingest.web import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, Fetcher, is_url
from according.model import Article

Progress = Callable[[int, int, str], None]
Warn = Callable[[str, str], None]



def iter_articles(sources: list[str], *, include: list[str] | None = None, exclude: list[str] | None = None,
                  allow_private: bool = False, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
                  on_progress: Progress | None = None, on_warning: Warn | None = None) -> Iterator[Article | Failure]:
    """Read every source in order; yields one `Article` per article and one `Failure` per skipped input.

    - sources: paths (files or folders, read recursively), http(s) URLs of pages or feeds, or `-` for stdin.
    - include/exclude: glob patterns for the files found in folders, matched against the file name and its path
      relative to the folder (`*.html`, `2024/*`); files named explicitly are always read. Hidden files and
      folders (`.git`) are left out of folder walks; FIFOs, devices and links that lead out of the folder are
      skipped, each as a `Failure` that says why.
    - allow_private: allow fetching loopback, private and link-local addresses (off: a feed could otherwise make
      us request `http://169.254.169.254/` or the user's router).
    - timeout: per URL, for the whole fetch (connecting, headers, body and redirects).
    - max_bytes: the most one document may hold (a file, a page, stdin, a JSON line, a WARC record's page).
    - on_progress(done, total, origin): after each input (a file, URL, feed or archive) is finished.
    - on_warning(origin, message): an input was read but something was mended (an encoding guessed, a feed item
      ingested from its summary because its page could not be fetched).
    """
    inputs: list[tuple[str, str | None]] = []  # (origin, reason it cannot be read); folders expanded now
    for source in sources:
        inputs.extend(expand(str(source), include, exclude))
    with Fetcher(allow_private=allow_private, timeout=timeout, max_bytes=max_bytes) as fetcher:
        for done, (origin, failure) in enumerate(inputs, start=1):
            if failure:
                yield Failure(origin, failure)
            else:
                yield from _guarded(origin, fetcher, on_warning)
            if on_progress:
                on_progress(done, len(inputs), origin)


def read_article(source: str, *, allow_private: bool = False, timeout: float = DEFAULT_TIMEOUT,
                 max_bytes: int = DEFAULT_MAX_BYTES, on_warning: Warn | None = None) -> Article:
    """The one article in `source` (a file, an http(s) URL or `-`), read as `iter_articles` reads it.

    For `according analyze`, which reads one article: where `iter_articles` would yield a `Failure` this raises
    (`InputError`, or `IngestError` for a page or feed it could not use), and a folder, or a feed, JSONL or WARC
    with more than one article, is an `InputError` that points to `according ingest`.
    """
    if source != "-" and Path(source).is_dir():
        raise InputError(f"{source} is a folder, not a file: analyze reads one article; `according ingest "
                         f"{source}` reads every file in it.")
    [(origin, failure)] = expand(source, None, None)
    if failure:
        raise InputError(failure)
    with Fetcher(allow_private=allow_private, timeout=timeout, max_bytes=max_bytes) as fetcher:
        items = _read_one(origin, fetcher, on_warning)
        try:
            found = list(islice(items, 2))  # two tell one from many; a feed's other items are never fetched
        except OSError as e:
            raise InputError(f"{origin} cannot be read ({e.strerror or e}): check that it is a readable "
                             "file.") from None
        finally:
            items.close()
    if len(found) > 1:
        raise InputError(f"{source} holds more than one article (a feed, JSONL or WARC archive): analyze reads "
                         f"one; `according ingest {source}` reads them all (or `according extract` for JSONL).")
    if not found:
        raise IngestError(f"{origin}: no article in it")
    if isinstance(found[0], Failure):
        raise IngestError(f"{found[0].origin}: {found[0].reason}")
    return found[0]


def expand(source: str, include, exclude) -> list[tuple[str, str | None]]:
    """The inputs one source stands for (a folder: its files), each with the reason it cannot be read, or None."""
    if source == "-" or is_url(source):
        return [(source, None)]
    path = Path(source)
    if not path.exists():
        scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", source)
        if scheme:
            return [(source, f"only http and https URLs can be fetched, not {scheme.group(1)}://")]
        return [(source, f"{source} does not exist: check the path and its spelling")]
    if not path.is_dir():
        return [(source, None)]
    inside = path.resolve()
    found = [(str(p), _not_a_file_of(p, inside)) for p in walk(path, include, exclude)]
    return found or [(source, "the folder has no files" + (" matching the include/exclude patterns"
                                                          if include or exclude else ""))]


def _not_a_file_of(path: Path, folder: Path) -> str | None:
    """Why an entry found in a folder is skipped, or None: only regular files in the folder itself are read.

    A FIFO would block the run forever, a device (a link to /dev/zero) never ends, and a link that leads out of
    the folder reads what was never given (a link to /etc/passwd). Named on the command line, a file is read
    wherever it lies.
    """
    try:
        target = path.resolve(strict=True)
        if path.is_symlink() and not target.is_relative_to(folder):
            return (f"skipped: a link to {target}, outside the folder {folder}; pass {target} itself to read it")
        mode = target.stat().st_mode
    except (OSError, RuntimeError) as e:  # RuntimeError: a loop of links
        return f"skipped: a broken link or an unreadable entry ({getattr(e, 'strerror', None) or e})"
    if not stat.S_ISREG(mode):
        what = next((name for test, name in _NOT_FILES if test(mode)), "not a regular file")
        return f"skipped: {what}, not a file (only regular files in a folder are read)"
    return None


_NOT_FILES = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
              (stat.S_ISSOCK, "a socket"))


def walk(folder: Path, include: list[str] | None = None, exclude: list[str] | None = None) -> Iterator[Path]:
    """Files under `folder` in a stable order (sorted), without hidden entries, filtered by globs."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root, name)
            relative = path.relative_to(folder).as_posix()
            if include and not _matches(relative, name, include):
                continue
            if exclude and _matches(relative, name, exclude):
                continue
            yield path


def _matches(relative: str, name: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(name, p) for p in patterns)


def _guarded(origin: str, fetcher: Fetcher, on_warning: Warn | None) -> Iterator[Article | Failure]:
    """One input, whatever happens: errors end this input with a `Failure`, never the run."""
    try:
        yield from _read_one(origin, fetcher, on_warning)
    except AccordingError as e:
        yield Failure(origin, str(e))
    except OSError as e:
        yield Failure(origin, f"cannot read it: {e.strerror or e}")
    except Exception as e:  # a bug in a reader or a library must not cost the user the rest of the run
        yield unexpected(origin, e)


def _read_one(origin: str, fetcher: Fetcher, on_warning: Warn | None) -> Iterator[Article | Failure]:
    if is_url(origin):
        page = fetcher.fetch(origin)
        sniffed = sniff(page.body)
        kind = BY_MEDIA_TYPE.get(page.content_type) or sniffed
        if kind in ("html", "feed", "text") and sniffed in ("html", "feed"):
            kind = sniffed  # servers label feeds text/html and pages text/xml; a broken feed stays a feed
        yield from _read_bytes(page.body, kind, origin, fetcher, on_warning, url=page.url, charset=page.charset)
        return
    if origin == "-":
        data = read_document("-", fetcher.max_bytes)
        yield from _read_bytes(data, sniff(data), "<stdin>", fetcher, on_warning)
        return
    path = Path(origin)
    kind = kind_of_path(path)
    if kind == "jsonl":
        yield from read_jsonl(path, fetcher.max_bytes)
    elif kind == "warc":
        yield from read_warc(origin, fetcher.max_bytes)
    elif kind in ("text", "markdown"):
        text, warnings = read_text(path, fetcher.max_bytes)
        _warn(on_warning, origin, warnings)
        reader = article_from_markdown if kind == "markdown" else article_from_text
        yield reader(text, origin=origin)
    else:
        data = read_document(path, fetcher.max_bytes)
        yield from _read_bytes(data, kind, origin, fetcher, on_warning)


def _read_bytes(data: bytes, kind: str, origin: str, fetcher: Fetcher, on_warning: Warn | None,
                *, url: str | None = None, charset: str | None = None) -> Iterator[Article | Failure]:
    if kind == "sniff":
        kind = sniff(data)
    if kind == "gzip":
        yield Failure(origin, "gzip-compressed data that is not a WARC archive: decompress it first")
    elif kind == "warc":
        yield from articles_from_warc(io.BytesIO(data), origin, len(data), fetcher.max_bytes)
    elif kind == "feed":
        yield from read_feed(data, origin=origin, base_url=url, fetcher=fetcher, on_warning=on_warning)
    elif kind == "html":
        html, warnings = decode_html(data, origin, declared=charset)
        _warn(on_warning, origin, warnings)
        yield article_from_html(html, url=url, origin=origin)
    elif kind == "jsonl":
        yield from articles_from_jsonl(io.BytesIO(data), origin, fetcher.max_bytes)
    else:
        text, warnings = read_bytes_as_text(data, origin)
        _warn(on_warning, origin, warnings)
        reader = article_from_markdown if kind == "markdown" else article_from_text
        yield reader(text, origin=origin, **({"url": url} if url else {}))


def _warn(on_warning: Warn | None, origin: str, warnings: list[str]) -> None:
    if on_warning:
        for warning in warnings:
            on_warning(origin, warning)
