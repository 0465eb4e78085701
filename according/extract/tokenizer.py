"""Tokenizer rules for news text that the stock English tokenizer breaks.

Outlet names written like domains ("Caliber.Az", "Report.Az", "News.Az") are split by the infix rule for a
missing space after a full stop ("end.Next"), which also cuts the sentence in two. A word joined by a dot to a
short capitalised ending of two or three letters is kept whole: sentence ends glued to the next word rarely
continue with so short a word. Names written with a slash ("Re/code", "AC/DC") are kept whole too: the infix
rule for "and/or" would leave the source of "according to Re/code" as "code".
"""
from __future__ import annotations

import re

# one pattern, so that its bound `match` is the token rule spaCy saves with a pipeline
NAME_TOKEN = re.compile(r"^(?:[A-Z][A-Za-z]+\.[A-Z][a-z]{1,2}|[A-Z][A-Za-z]*/[A-Za-z]+)$")


def adapt_tokenizer(nlp) -> None:
    """Idempotent. With no rule of its own before (English), the tokenizer's `token_match` becomes the bound
    `match` of a compiled pattern, the one form spaCy saves with a pipeline, so `nlp.to_disk` keeps the rule.
    A pipeline's own rule is kept, chained in a function (which spaCy cannot save)."""
    tokenizer = nlp.tokenizer
    previous = tokenizer.token_match
    if _is_ours(previous):
        return
    if previous is None:
        tokenizer.token_match = NAME_TOKEN.match
        return

    def token_match(text: str):
        return True if NAME_TOKEN.match(text) else previous(text)

    token_match._according = True
    tokenizer.token_match = token_match


def _is_ours(token_match) -> bool:
    pattern = getattr(getattr(token_match, "__self__", None), "pattern", None)  # as loaded from disk
    return getattr(token_match, "_according", False) or pattern == NAME_TOKEN.pattern
