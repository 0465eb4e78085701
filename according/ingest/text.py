"""Plain-text and Markdown articles.

Markdown goes through markdown-it-py (CommonMark, already installed with rich) rather than regexes, so that
emphasis inside words, nested links and code spans come out as the words a reader sees: attribution
spans must point at "Peskov said", not at "**Peskov** [said](...)".
"""
from __future__ import annotations

import re
from pathlib import Path

from according.ingest.dates import date_from_text, to_iso
from according.ingest.files import read_text
from according.ingest.records import Failure, new_article
from according.model import Article

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
_TITLE_MAX = 200
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def read_text_file(path: str | Path, *, origin: str | None = None) -> tuple[Article | Failure, list[str]]:
    """One `.txt` or `.md` file as an article; warnings say what was mended (an encoding guessed)."""
    text, warnings = read_text(path)
    origin = origin or str(path)
    if Path(str(path)).suffix.lower() in MARKDOWN_SUFFIXES:
        return article_from_markdown(text, origin=origin), warnings
    return article_from_text(text, origin=origin), warnings


def article_from_text(text: str, *, origin: str | None = None, **meta) -> Article | Failure:
    """Plain text is kept byte for byte (offsets must match the file); the title is its first line."""
    if not text.strip():
        return Failure(origin or "<text>", "the text is empty")
    first = next((line.strip() for line in text[:8192].splitlines() if line.strip()), "")
    meta.setdefault("title", first if 0 < len(first) <= _TITLE_MAX else None)
    meta.setdefault("published", date_from_text(text))
    return new_article(text, origin=origin, **meta)


def article_from_markdown(markdown: str, *, origin: str | None = None, **meta) -> Article | Failure:
    """Markdown rendered to the plain text a reader sees; YAML-style front matter gives title/date/author."""
    front, markdown = split_front_matter(markdown)
    title, text = markdown_to_text(markdown)
    if not text.strip():
        return Failure(origin or "<markdown>", "the Markdown file has no text outside its markup")
    meta.setdefault("title", front.get("title") or title)
    meta.setdefault("author", front.get("author") or front.get("authors"))
    meta.setdefault("outlet", front.get("outlet") or front.get("source") or front.get("publisher"))
    meta.setdefault("url", front.get("url") or front.get("link"))
    meta.setdefault("language", front.get("lang") or front.get("language"))
    meta.setdefault("published", to_iso(front.get("published") or front.get("date")) or date_from_text(text))
    return article_from_text(text, origin=origin, **meta)


def split_front_matter(markdown: str) -> tuple[dict[str, str], str]:
    """`key: value` lines between `---` fences (Jekyll, Hugo, Obsidian); no YAML library for a few scalars."""
    m = _FRONT_MATTER.match(markdown)
    if not m:
        return {}, markdown
    front = {}
    for line in m.group("body").splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            front[key.strip().lower()] = value.strip().strip("'\"")
    return front, markdown[m.end():]


def markdown_to_text(markdown: str) -> tuple[str | None, str]:
    """(first heading or None, plain text with one blank line between blocks)."""
    from markdown_it import MarkdownIt

    blocks: list[str] = []
    title = None
    in_heading = False
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline":
            line = _inline_text(token.children or [])
            if in_heading and title is None:
                title = line.strip() or None
            if line.strip():
                blocks.append(line.strip())
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.rstrip("\n"))
    return title, "\n\n".join(blocks) + ("\n" if blocks else "")


def _inline_text(children) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "image":
            parts.append(_inline_text(child.children or []))
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)
