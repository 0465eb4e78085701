"""Claims of many articles grouped into corpus claims: the same proposition, worded again or paraphrased.

Two claims are linked when their content words overlap enough (`similarity`); only claims that share a blocking
key (a content word's stem) are ever compared. Corpus claims are then built Kruskal-style: links are taken
strongest first (ties by key), and a link that would put two claims a user split apart into one claim is
skipped; a user's merges are links taken before all others. Everything depends on the claims and the overrides
only, so the result is the same whatever order the claims were added in.
"""
from __future__ import annotations

from collections import defaultdict

from according.link.article import stems

THRESHOLD = 0.5


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared content words over the smaller wording's (the larger's when one has under three)."""
    if not a or not b:
        return 0.0
    smaller = min(len(a), len(b))
    return len(a & b) / (smaller if smaller >= 3 else max(len(a), len(b)))


class ClaimClusterer:
    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self.words: dict[str, frozenset[str]] = {}
        self.index: dict[str, list[str]] = defaultdict(list)
        self.links: list[tuple[float, str, str]] = []
        self.same: list[tuple[str, str]] = []
        self.apart: set[frozenset[str]] = set()
        self.compared = 0

    def add(self, key: str, text: str, *, published: str | None = None, entities=()) -> None:
        words = stems(text)
        self.words[key] = words
        candidates = {k for w in words for k in self.index[w]}
        for other in sorted(candidates):
            self.compared += 1
            score = similarity(words, self.words[other])
            if score >= self.threshold:
                self.links.append((score, *sorted((key, other))))
        for w in words:
            self.index[w].append(key)

    def must_link(self, a: str, b: str) -> None:
        self.same.append((a, b))

    def cannot_link(self, a: str, b: str) -> None:
        self.apart.add(frozenset((a, b)))

    def clusters(self) -> dict[str, str]:
        """Each key's cluster label: the smallest key in its cluster."""
        parent = {k: k for k in self.words}
        members = {k: {k} for k in self.words}

        def root(k: str) -> str:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        def join(a: str, b: str) -> None:
            ra, rb = root(a), root(b)
            if ra == rb or any((x in members[ra] and y in members[rb]) or (y in members[ra] and x in members[rb])
                               for x, y in map(tuple, self.apart)):
                return
            ra, rb = sorted((ra, rb))
            parent[rb] = ra
            members[ra] |= members.pop(rb)

        for a, b in self.same:
            if a in parent and b in parent:
                join(a, b)
        for _, a, b in sorted(self.links, key=lambda link: (-link[0], link[1], link[2])):
            join(a, b)
        return {k: min(members[root(k)]) for k in self.words}
