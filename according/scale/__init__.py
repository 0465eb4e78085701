"""Run the per-article extractor over many articles: in this process, in a process pool, or on Ray.

Every engine takes `Record`s lazily and yields a `Result` or a `Failed` for each, in input order
(`according.scale.results`), so a caller can stream a corpus of any size through it and pair each result with
its record.
"""
from according.scale.docs import read_docs
from according.scale.engine import ENGINES, run
from according.scale.pool import ProcessPool
from according.scale.predict import Summary, write_predictions
from according.scale.results import Failed, Record, Result

__all__ = ["ENGINES", "Failed", "ProcessPool", "Record", "Result", "Summary", "read_docs", "run",
           "write_predictions"]
