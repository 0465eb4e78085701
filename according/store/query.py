"""The search query language, parsed once here and compiled by each back end (`dialect.SQLite.compile`, ...).

    peskov denied           both words, in any form ("deny" finds "denied", "denies"): words are stemmed
    peskov OR kremlin       either (OR binds looser than the words beside it: `a b OR c` is `(a b) OR c`)
    kremlin -peskov         kremlin, not peskov (also `kremlin NOT peskov`)
    "called it inaccurate"  these words, as written, next to each other in this order; `"denied"` is that form only
    congrat*                words that begin so, as written (congratulated, congratulations)
    (a OR b) c              parentheses group

A word that punctuation splits ("U.S.", "covid-19") is a phrase of its parts, as the index cut them. Lower-case
`or` and `not` are ordinary words. A query that cannot be read raises `QueryError` naming the problem, rather than
being guessed at: an unclosed quote or parenthesis, an OR or NOT with nothing to apply to, a group that only leaves
words out (`-peskov` alone: nothing to find), or a query without words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from according.errors import QueryError, StoreError
from according.store.terms import Highlighter, stem, words

# Far beyond what a person types; keeps a pasted document or a machine-made query from building a huge expression.
MAX_WORDS = 64
MAX_DEPTH = 16


@dataclass(frozen=True)
class Word:
    """A plain word: matches every form with its stem."""
    word: str

    @property
    def term(self) -> str:
        return stem(self.word)


@dataclass(frozen=True)
class Phrase:
    """Words as written, adjacent and in order; with `prefix`, the last one only has to begin so."""
    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class All:
    """Every one of `find`, and none of `leave_out`."""
    find: tuple
    leave_out: tuple = ()


@dataclass(frozen=True)
class Any:
    parts: tuple


Node = Word | Phrase | All | Any

_TOKEN = re.compile(r'\s+|"[^"]*"\*?|"|\(|\)|[^\s"()]+')


def parse(query: str) -> Node:
    return _Parser(query).parse()


class _Parser:
    def __init__(self, query: str):
        self.query = query
        # A - right before a quote or a parenthesis leaves that phrase or group out; alone, it is punctuation.
        self.tokens = ["NOT" if m.group() == "-" and query[m.end():m.end() + 1] in ('"', "(") else m.group()
                       for m in _TOKEN.finditer(query) if not m.group().isspace()]
        self.at = 0
        self.depth = 0
        self.count = 0

    def fail(self, problem: str) -> QueryError:
        return QueryError(f"cannot read the query {self.query!r}: {problem}")

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def parse(self) -> Node:
        if not self.tokens:
            raise self.fail("it is empty; give words to find")
        node = self.any()
        if self.peek() == ")":
            raise self.fail("a ) closes no (")
        if node is None:
            raise self.fail("it has no words to find (punctuation alone is not indexed)")
        return node

    def any(self) -> Node | None:
        parts = [self.all()]
        while self.peek() == "OR":
            self.at += 1
            parts.append(self.all())
        if len(parts) > 1 and any(p is None for p in parts):
            raise self.fail("an OR needs words to find on both sides")
        return parts[0] if len(parts) == 1 else Any(tuple(parts))

    def all(self) -> Node | None:
        find, leave_out = [], []
        while (token := self.peek()) is not None and token not in ("OR", ")"):
            negated = False
            while token == "NOT" or (token.startswith("-") and len(token) > 1):
                negated = not negated
                if token == "NOT":
                    self.at += 1
                else:
                    self.tokens[self.at] = token[1:]
                token = self.peek()
                if token is None or token in ("OR", ")"):
                    raise self.fail("a NOT (or -) needs a word, phrase or group after it")
            node = self.atom()
            if node is not None:
                (leave_out if negated else find).append(node)
        if not find:
            if leave_out:
                raise self.fail("it only leaves words out; say what to find as well, e.g. `kremlin -peskov`")
            return None
        return find[0] if len(find) == 1 and not leave_out else All(tuple(find), tuple(leave_out))

    def atom(self) -> Node | None:
        token = self.tokens[self.at]
        self.at += 1
        if token == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.fail(f"parentheses nest deeper than {MAX_DEPTH}")
            node = self.any()
            if self.peek() != ")":
                raise self.fail("a ( is not closed")
            self.at += 1
            self.depth -= 1
            if node is None:
                raise self.fail("a ( ) group holds no words")
            return node
        if token == '"':
            raise self.fail('a " is not closed')
        if token.startswith('"'):
            inside, prefix = token[1:].removesuffix("*").removesuffix('"'), token.endswith("*")
            if "*" in inside:
                raise self.fail(f'put * after the closing quote ({token!r}): in a phrase it makes the last word a '
                                "prefix")
            return self.phrase(words(inside), prefix, token, quoted=True)
        prefix = token.endswith("*")
        if "*" in token.rstrip("*") or token.rstrip("*") == "":
            raise self.fail(f"{token!r}: a * goes at the end of a word, to find the words that begin so")
        return self.phrase(words(token), prefix, token, quoted=False)

    def phrase(self, found: list[str], prefix: bool, token: str, quoted: bool) -> Node | None:
        if not found:
            if prefix:
                raise self.fail(f"{token!r}: a * needs letters before it")
            return None  # punctuation alone ("&", "—") is not indexed, so it asks for nothing
        self.count += len(found)
        if self.count > MAX_WORDS:
            raise self.fail(f"it has more than {MAX_WORDS} words")
        if len(found) == 1 and not quoted and not prefix:
            return Word(found[0])
        return Phrase(tuple(found), prefix)


def highlighter(node: Node) -> Highlighter:
    """What to mark in a hit's text: the words the query looks for (not those it leaves out)."""
    stems, exact, prefixes = set(), set(), []

    def visit(n: Node) -> None:
        if isinstance(n, Word):
            stems.add(n.term)
        elif isinstance(n, Phrase):
            exact.update(n.words[:-1] if n.prefix else n.words)
            if n.prefix:
                prefixes.append(n.words[-1])
        elif isinstance(n, All):
            for part in n.find:
                visit(part)
        else:
            for part in n.parts:
                visit(part)
    visit(node)
    return Highlighter(stems, exact, tuple(prefixes))
