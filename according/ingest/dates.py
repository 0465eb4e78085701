"""Publication dates: timelines order a claim's appearances by them, so a wrong date is a wrong timeline.

The rules, each learnt from a page that fooled a simpler one:
- the original publication date beats modified/updated dates (htmldate `original_date=True`);
- explicit markup (article:published_time, JSON-LD datePublished, <time>) beats a date in the URL
  (`deferred_url_extractor=True`), which is only a fallback;
- no free-text guessing (`extensive_search=False`): with it htmldate dates an undated page by its footer's
  copyright year or by a related-article link; no date is better than a wrong one;
- a byline saying "Updated 9 Nov · First published 7 Nov" means 7 Nov, whatever htmldate picked;
- nothing is published after it was crawled: a WARC record's date is the latest acceptable date.
"""
from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta, timezone

from according.ingest.records import clean

# A line that labels a date as the publication date: "Published 7 November 2024", "By X · First published: ...".
_LABEL = re.compile(r"\b(?:first\s+)?(?:published|posted|publication\s+date|date\s+published)\b(?:\s+on)?\s*[:\-–]?\s*"
                    r"(?P<date>[^|·•\n]{6,40})", re.IGNORECASE)
# A line that is nothing but a date (a dateline above or below the headline).
_DATE_LINE = re.compile(r"^\s*(?:date\s*:\s*)?(?P<date>(?:\w+,?\s+)?"
                        r"(?:\d{1,2}\s+\w+\.?,?\s+\d{4}|\w+\.?\s+\d{1,2},?\s+\d{4}"
                        r"|\d{4}-\d{2}-\d{2}(?:[T ][\d:.+\-Z]+)?))\s*$", re.IGNORECASE)
# dateutil fills a missing day from its default: "November 2024" must not become 1 November.
_HAS_DAY = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+\.?,?\s+\d{4}"
                      r"|[A-Za-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}")
_LABEL_MAX_LINE = 160  # a byline is short; a body sentence mentioning "published" is not a label
_EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)


def to_iso(value: object, *, latest: datetime | None = None) -> str | None:
    """ISO 8601 from a string, `datetime`, `date` or `time.struct_time`; date only when no time was given."""
    from dateutil import parser

    if value is None or value == "":
        return None
    if isinstance(value, time.struct_time):
        value = datetime(*value[:6], tzinfo=timezone.utc)
    if isinstance(value, datetime):
        parsed, has_time = value, True
    elif isinstance(value, date):
        parsed, has_time = datetime(value.year, value.month, value.day), False
    else:
        text = clean(value)
        if not text:
            return None
        try:
            parsed = parser.parse(text, default=datetime(1, 1, 1, 0, 0, 0))
            if not _HAS_DAY.search(text):
                return None
            probe = parser.parse(text, default=datetime(1, 1, 1, 7, 7, 7))
        except (ValueError, OverflowError):
            return None
        has_time = (probe.hour, probe.minute, probe.second) != (7, 7, 7)
    if not _plausible(parsed, latest):
        return None
    return parsed.isoformat() if has_time else parsed.date().isoformat()


def _plausible(moment: datetime, latest: datetime | None) -> bool:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    ceiling = latest or datetime.now(timezone.utc)
    if ceiling.tzinfo is None:
        ceiling = ceiling.replace(tzinfo=timezone.utc)
    return _EARLIEST <= aware <= ceiling + timedelta(days=1)


def htmldate_params(url: str | None = None, latest: datetime | None = None) -> dict:
    """Parameters for htmldate (directly or through trafilatura's `date_extraction_params`)."""
    ceiling = latest or datetime.now(timezone.utc)
    return {"extensive_search": False, "original_date": True, "deferred_url_extractor": True, "url": url,
            "max_date": ceiling.strftime("%Y-%m-%d")}


def labelled_date(lines: list[str], *, latest: datetime | None = None) -> str | None:
    """The earliest date a short line labels as published ("Published 7 Nov 2024", "First published: ...")."""
    found = []
    for line in lines:
        if len(line) > _LABEL_MAX_LINE:
            continue
        for m in _LABEL.finditer(line):
            iso = _parse_prefix(m.group("date"), latest)
            if iso:
                found.append(iso)
    return min(found, key=lambda d: d[:10]) if found else None


def _parse_prefix(fragment: str, latest: datetime | None) -> str | None:
    """Parse the longest leading run of words that is a date ("7 November 2024, 09:15 (updated ...)")."""
    words = fragment.replace(",", " , ").split()
    for n in range(min(len(words), 8), 1, -1):
        candidate = " ".join(words[:n]).replace(" , ", ", ").strip(" ,")
        iso = to_iso(candidate, latest=latest)
        if iso:
            return iso
    return None


def date_from_text(text: str, *, head_lines: int = 8, latest: datetime | None = None) -> str | None:
    """A plain-text article's date: a labelled line or a line that is only a date, near the top."""
    lines = [line.strip() for line in text[:8192].splitlines() if line.strip()][:head_lines]
    labelled = labelled_date(lines, latest=latest)
    if labelled:
        return labelled
    for line in lines:
        m = _DATE_LINE.match(line)
        if m:
            iso = to_iso(m.group("date"), latest=latest)
            if iso:
                return iso
    return None


def earlier(a: str | None, b: str | None) -> str | None:
    """Of two ISO dates, the earlier by day (keeping the more precise one when they share the day)."""
    if not a or not b:
        return a or b
    if a[:10] == b[:10]:
        return a if len(a) >= len(b) else b
    return a if a[:10] < b[:10] else b
