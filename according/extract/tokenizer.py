"""Tokenizer rules for news text that the stock English tokenizer breaks.

Outlet names written like domains ("Caliber.Az", "Report.Az", "News.Az") are split by the infix rule for a
missing space after a full stop ("end.Next"), which also cuts the sentence in two. A word joined by a dot to a
short capitalised ending of two or three letters is kept whole: sentence ends glued to the next word rarely
continue with so short a word. Names written with a slash ("Re/code", "AC/DC") are kept whole too: the infix
rule for "and/or" would leave the source of "according to Re/code" as "code".
"""
from __future__ import annotations

import re

DOTTED_OUTLET = re.compile(r"^[A-Z][A-Za-z]+\.[A-Z][a-z]{1,2}$")
SLASHED_NAME = re.compile(r"^[A-Z][A-Za-z]*/[A-Za-z]+$")


def adapt_tokenizer(nlp) -> None:
    tokenizer = nlp.tokenizer
    previous = tokenizer.token_match
    if getattr(previous, "_according", False):
        return

    def token_match(text: str):
        if DOTTED_OUTLET.match(text) or SLASHED_NAME.match(text):
            return True
        return previous(text) if previous else None

    token_match._according = True
    tokenizer.token_match = token_match
