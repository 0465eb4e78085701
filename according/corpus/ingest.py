"""`ingest`: sources in, articles with their attributions in the store, resumable and in input order.

One pass, one writer. The parent process reads the sources, decides what each article is (new, already stored,
a near-copy of one it has seen) and writes to the store; only new originals travel to the extractor (in this
process, a pool or Ray, through `according.scale.run`). Results come back in input order and each article is
stored in its own transaction as soon as its turn comes, so a run killed at any moment leaves whole articles,
and the next run skips them (`known_ids`) and reads only the rest.

Near-copies are decided as articles are read, against the originals stored so far and those read before them in
this run, and are stored after their original, linked to it and without being read again (their attributions
would be the original's). Only originals are indexed and carry a signature in the store, so the index rebuilt
from `store.signatures()` on a rerun is the one an uninterrupted run would have had at that point. Another ingest
may store originals meanwhile: each original is checked once more against those, under the store's lock, as it
is stored (`Store.add(recheck=)`), so that of two near-copies the second stored links to the first.
"""
from __future__ import annotations

import time
from collections import deque
from contextlib import closing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

from according.corpus.summary import RunSummary
from according.errors import ArticleRefused
from according.extract.limits import Limits
from according.ingest import Failure, NearDuplicateIndex, iter_articles, signature
from according.ingest.web import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT
from according.model import Analysis, Article

if TYPE_CHECKING:
    from according.scale.results import Failed, Record, Result

Progress = Callable[[RunSummary], None]
# Articles read ahead per `known_ids` query: one query per batch, and little read before the first extraction.
LOOKUP_BATCH = 32


def ingest(sources: Iterable[str], store, *, engine: str = "pool", processes: int = 1,
           include: list[str] | None = None, exclude: list[str] | None = None, allow_private: bool = False,
           on_progress: Progress | None = None, model: str | None = None, batch_size: int = 16,
           timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
           limits: Limits = Limits()) -> RunSummary:
    """Read `sources` (see `according.ingest.iter_articles`) into `store`; returns what was done.

    Inputs that cannot be read, and articles the extractor fails on or that cost more than `limits` to read, are
    listed in the summary with their reasons and the run goes on. `on_progress(summary)` is called as each article is dealt with (the same, updated,
    summary each time: a caller interrupted with Ctrl-C still holds the counts so far). Raises `StoreError` only
    when the store itself stops working (`StoreWriteError` at the first write that fails).
    """
    this = _Run(store, on_progress)
    items = iter_articles(list(sources), include=include, exclude=exclude, allow_private=allow_private,
                          timeout=timeout, max_bytes=max_bytes, on_progress=this.input_done, on_warning=this.warn)
    return this.run(items, engine=engine, processes=processes, batch_size=batch_size, model=model, limits=limits)


def ingest_articles(items: Iterable[Article | Failure], store, *, engine: str = "local", processes: int = 1,
                    on_progress: Progress | None = None, model: str | None = None,
                    batch_size: int = 16, limits: Limits = Limits()) -> RunSummary:
    """Articles already read (a text posted to the HTTP API, say) into `store`, stored and linked as `ingest`
    stores what it reads."""
    return _Run(store, on_progress).run(iter(items), engine=engine, processes=processes, batch_size=batch_size,
                                        model=model, limits=limits)


def rebuild_index(store) -> NearDuplicateIndex:
    """The near-duplicate index of the originals already stored: where a rerun starts from."""
    index = NearDuplicateIndex()
    for article_id, sig in store.signatures():
        index.add(article_id, sig)
    return index


@dataclass
class _Pending:
    """An article read and waiting for its turn to be stored: with its extraction, or linked to `original`."""

    article: Article
    signature: bytes | None = None
    original: str | None = None


class _Run:
    """One ingest run's state: what is queued for storing, what was seen, what failed, and the counts."""

    def __init__(self, store, on_progress: Progress | None):
        self.store, self.on_progress = store, on_progress
        self.summary = RunSummary()
        self.started = time.monotonic()
        self.index = rebuild_index(store)
        self.queue: deque[_Pending] = deque()  # in input order; the extractor answers in the same order
        self.seen: set[str] = set()
        self.failed_ids: set[str] = set()

    def run(self, items: Iterator[Article | Failure], *, engine: str, processes: int, batch_size: int,
            model: str | None, limits: Limits = Limits()) -> RunSummary:
        from according.scale import run

        # closing: a store that stops taking writes ends the run here, and the workers with it, not when collected
        with closing(run(self.plan(items), engine=engine, processes=processes, batch_size=batch_size,
                         model=model, limits=limits)) as results:
            for result in results:
                self.extracted(result)
        self.finish()
        if self.summary.stored or self.summary.duplicates or self.store.unlinked():
            # the claims stored this run join the corpus claims (`according.link.corpus`); the copies add their
            # outlets and dates to their originals' timelines
            from according.link.corpus import relink

            self.summary.corpus_claims = relink(self.store)["corpus_claims"]
            self.finish()
        return self.summary

    def plan(self, items: Iterator[Article | Failure]) -> Iterator[Record]:
        """The records to extract; everything else read is counted or queued on the way."""
        from according.scale.results import Record

        while batch := list(islice(items, LOOKUP_BATCH)):
            known = self.store.known_ids([a.id for a in batch if isinstance(a, Article)])
            for item in batch:
                if isinstance(item, Failure):
                    self._fail(item)
                    continue
                self.summary.read += 1
                if item.id in known or item.id in self.seen:
                    self._count("skipped")
                    continue
                self.seen.add(item.id)
                pending = self._classify(item)
                self.queue.append(pending)
                if pending.original is None:
                    yield Record(item.id, item.text)

    def _classify(self, article: Article) -> _Pending:
        try:
            sig = signature(article.text)
        except ValueError:  # no words at all: nothing to compare; the extractor will say what is wrong with it
            return _Pending(article)
        original = self.index.query(sig)
        if original is not None:
            return _Pending(article, original=original)
        self.index.add(article.id, sig)
        return _Pending(article, signature=sig)

    def extracted(self, result: Result | Failed) -> None:
        """Store everything queued up to the article this result is for, then the article with its reading."""
        from according.scale.results import Failed

        self._store_copies()
        pending = self.queue.popleft()
        article = pending.article
        if result.id != article.id:  # the engines promise input order; a break of it must not mislabel data
            raise RuntimeError(f"extraction results out of order: got {result.id!r} for {article.id!r}")
        for warning in result.warnings:
            self.summary.warnings.append(f"{article.origin or article.id}: {warning}")
        if isinstance(result, Failed):
            self.failed_ids.add(article.id)
            self._fail(Failure(article.origin or article.id, result.error))
            return
        added = self._add(article, Analysis.from_dict(result.analysis, text=article.text), signature=pending.signature,
                          recheck=lambda stored: self._recheck(article.id, stored))
        if added is not None:  # skipped: another writer stored it meanwhile
            self._count("skipped" if not added else "duplicates" if self.index.original_of(article.id) else "stored")

    def _recheck(self, article_id: str, stored: list[tuple[str, bytes]]) -> str | None:
        """Under the store's lock, just before an original is stored: is it a near-copy of one that another
        ingest stored since we last looked? (`Store.add(recheck=)`)"""
        for other, sig in stored:
            self.index.add(other, sig, as_original=True)
        return self.index.recheck(article_id)

    def finish(self) -> None:
        self._store_copies()
        self.summary.seconds = time.monotonic() - self.started

    def _store_copies(self) -> None:
        while self.queue and self.queue[0].original is not None:
            pending = self.queue.popleft()
            article, original = pending.article, pending.original
            if original in self.failed_ids:
                self._fail(Failure(article.origin or article.id, f"a near-copy of article {original}, which could "
                                                                  "not be read: run again to retry both"))
                continue
            # its original may have turned out to copy one that another ingest stored (`_recheck`)
            added = self._add(article, None, duplicate_of=self.index.original_of(original) or original)
            if added is not None:
                self._count("duplicates" if added else "skipped")

    def _add(self, article: Article, analysis: Analysis | None, **link) -> bool | None:
        """Store one article; an article the store refuses is a failure. A store that cannot be written (disk full,
        read-only) raises `StoreWriteError` from here and ends the run at once, before more is read for nothing."""
        try:
            return self.store.add(article, analysis, **link)
        except ArticleRefused as refused:
            self.failed_ids.add(article.id)
            self._fail(Failure(article.origin or article.id, str(refused)))
            return None

    def _count(self, outcome: str) -> None:
        setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)
        self._tick()

    def _fail(self, failure: Failure) -> None:
        self.summary.failures.append(failure)
        self._tick()

    def input_done(self, done: int, total: int, origin: str) -> None:
        self.summary.inputs_done, self.summary.inputs_total = done, total

    def warn(self, origin: str, message: str) -> None:
        self.summary.warnings.append(f"{origin}: {message}")

    def _tick(self) -> None:
        self.summary.seconds = time.monotonic() - self.started
        if self.on_progress:
            self.on_progress(self.summary)
