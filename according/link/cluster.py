"""The same claim across articles: short propositions grouped into corpus claims, paraphrases included.

"ISIS leader wounded in air strike" and "Islamic State chief Baghdadi injured in airstrike, officials say" are one
claim; "ISIS leader killed in air strike" is another about the same man. Claims are compared only when they share
a blocking key (a content word or a pair of them, in the same stretch of time), so no step compares all pairs;
a key carried by more than `MAX_BLOCK` claims blocks nothing alone (its pairs with other words still do).

Similarity is the mean of three cosines: content words and character 4-grams, both weighted by how rare they
are in the corpus (idf), and, with the optional semantic model, sentence vectors (`according.link.embed`). Claims
are grouped by average linkage over the compared pairs (a pair never compared counts as 0): two groups merge
while the mean similarity of all their pairs reaches the threshold, best pair first. Unlike the connected
components of a threshold graph, average linkage does not chain two claims through a third they each half
resemble; it is a function of the set of claims (ties broken by key), so the order they arrive in changes
nothing, and it runs on each connected component of the compared pairs above the threshold separately.

Users' choices are constraints: `must_link` puts two claims in one cluster whatever their similarity,
`cannot_link` keeps them apart; both are kept with the state and hold at every re-clustering.

Weights come from the corpus itself, so a new claim changes every score a little: `clusters()` rescores the
compared pairs (linear in their number, which grows linearly with the claims) instead of trusting scores made
earlier with other weights, and the result is the one a batch run over the same claims gives.
"""
from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from itertools import combinations

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

# Tuned on Emergent train (eval/cluster.py --tune): the average similarity two groups need to merge.
THRESHOLD = 0.18
THRESHOLD_SEMANTIC = 0.22
SEMANTIC_FLOOR = 0.3  # the sentence vectors' cosine taken as 0 (tuned on train with the threshold)
MAX_BLOCK = 60  # claims sharing one key beyond which the key alone makes no candidates: keeps the cost linear
WINDOW_DAYS = 60  # dated claims further apart than twice this are never compared
PAIR_WORDS = 10  # the rarest-looking words of a claim whose pairs are keys (longest first: a cheap proxy)
GRAM = 4
STEM = 5

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _ignored() -> frozenset[str]:
    """Words that say nothing about what a claim is: stop words, and the words of attribution ("says", "report",
    "reportedly", "denies", "hoax"), so that "X, officials say" and "No, X is a hoax" meet X."""
    from according.extract.lexicon import packaged_lexicon

    lex = packaged_lexicon()
    cues = {c.lemma for table in (lex.verbs, lex.nouns, lex.adverbs) for c in table.values() if " " not in c.lemma}
    return frozenset(STOP_WORDS) | frozenset(w[:STEM] for w in cues | set(lex.denial_words))


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).replace("'s ", " ").replace("’s ", " ")


def words(text: str) -> list[str]:
    """The claim's content words, cut to a short stem so "injured" and "injury" meet, in reading order."""
    ignored = _ignored()
    out = []
    for w in _WORD.findall(_normal(text)):
        if w in STOP_WORDS or (len(w) < 2 and not w.isdigit()):
            continue
        stem = w[:STEM]
        if stem not in ignored:
            out.append(stem)
    return out


def grams(text: str) -> list[str]:
    """Character 4-grams of each word with its edges marked, so "air strike" and "airstrike" share most."""
    out = []
    for w in _WORD.findall(_normal(text)):
        if w in STOP_WORDS:
            continue
        padded = f" {w} "
        out.extend(padded[i:i + GRAM] for i in range(max(1, len(padded) - GRAM + 1)))
    return out


@dataclass
class Claim:
    key: str
    text: str
    published: date | None = None
    entities: tuple[str, ...] = ()
    words: Counter = field(default_factory=Counter)
    grams: Counter = field(default_factory=Counter)
    vector: object = None  # numpy unit vector, with the semantic model


def make_claim(key: Hashable, text: str, *, published=None, entities: Iterable[str] = (), vector=None) -> Claim:
    """A claim with its words and 4-grams counted: what `blocking_keys` and the scores read."""
    return Claim(str(key), text, published, tuple(entities), Counter(words(text)), Counter(grams(text)), vector)


def _day(published) -> int | None:
    """The day number of a date, datetime or ISO string; None when absent or unreadable (then undated)."""
    if published is None or published == "":
        return None
    if isinstance(published, str):
        try:
            published = datetime.fromisoformat(published[:10])
        except ValueError:
            return None
    if isinstance(published, datetime):
        published = published.date()
    return published.toordinal()


def _iso(published) -> str | None:
    return published.isoformat() if isinstance(published, (date, datetime)) else published


def blocking_keys(claim: Claim) -> set[str]:
    """The keys under which a claim is filed: its content words, its entities and pairs of its longer words,
    each with the claim's time bucket (two buckets, so claims under `WINDOW_DAYS` apart always share one). An
    undated claim has bare keys, so it meets only undated claims.

    A store that clusters as it ingests keeps an index of these keys, compares a new claim with those filed under
    its keys (a key with more than `MAX_BLOCK` claims aside) and rescores with `ClaimClusterer.similarity`."""
    base = {f"w:{w}" for w in claim.words}
    base |= {f"e:{' '.join(words(e))}" for e in claim.entities if words(e)}
    longest = sorted(claim.words, key=lambda w: (-len(w), w))[:PAIR_WORDS]
    base |= {f"p:{a}+{b}" for a, b in combinations(sorted(longest), 2)}
    day = _day(claim.published)
    if day is None:
        return base
    bucket = day // WINDOW_DAYS
    return {f"{k}@{b}" for k in base for b in (bucket, bucket + 1)}


class ClaimClusterer:
    """Claims added one at a time (or all at once), clustered on demand; the same clusters whatever the order.

    `semantic`: also compare sentence vectors (needs `pip install 'according[semantic]'`); vectors of claims added
    without one are computed in batches when the clusters are asked for.
    """

    def __init__(self, threshold: float | None = None, *, semantic: bool = False, max_block: int = MAX_BLOCK):
        self.semantic = semantic
        self.threshold = threshold if threshold is not None else THRESHOLD_SEMANTIC if semantic else THRESHOLD
        self.max_block = max_block
        self.claims: dict[str, Claim] = {}
        self.index: dict[str, set[str]] = defaultdict(set)  # blocking key -> claim keys
        self.word_df: Counter = Counter()
        self.gram_df: Counter = Counter()
        self.must: set[tuple[str, str]] = set()
        self.cannot: set[tuple[str, str]] = set()
        self.compared = 0  # pairs scored by the last clustering
        self._labels: dict[str, str] | None = None
        self._weights_now: _Weights | None = None  # the idf of the corpus as it is, until a claim comes or goes

    # -- building ------------------------------------------------------------------------------------------------
    def add(self, key: Hashable, text: str, *, published=None, entities: Iterable[str] = (), vector=None) -> None:
        """Add (or replace) one claim. `published`: a date, datetime or ISO string; `entities`: names the claim
        is about, as extra blocking keys."""
        key = str(key)
        if key in self.claims:
            self.remove(key)
        claim = self.claims[key] = make_claim(key, text, published=published, entities=entities, vector=vector)
        self.word_df.update(claim.words.keys())
        self.gram_df.update(claim.grams.keys())
        for k in blocking_keys(claim):
            self.index[k].add(key)
        self._labels = self._weights_now = None

    def remove(self, key: Hashable) -> None:
        claim = self.claims.pop(str(key))
        self.word_df.subtract(claim.words.keys())
        self.gram_df.subtract(claim.grams.keys())
        for k in blocking_keys(claim):
            self.index[k].discard(claim.key)
            if not self.index[k]:
                del self.index[k]
        self._labels = self._weights_now = None

    def must_link(self, a: Hashable, b: Hashable) -> None:
        """The user's merge: a and b are one claim, whatever their wording. Replaces a cannot-link between them;
        ValueError when the merge would join two claims the user has split (undo that first)."""
        pair = _pair(a, b)
        parent = _union(list(self.must | {pair}))
        split = next((p for p in self.cannot - {pair} if _find(parent, p[0]) == _find(parent, p[1])), None)
        if split is not None:
            raise ValueError(f"merging {a} and {b} would join {split[0]} and {split[1]}, which were split; undo that "
                             "(unlink) first")
        self.cannot.discard(pair)
        self.must.add(pair)
        self._labels = None

    def cannot_link(self, a: Hashable, b: Hashable) -> None:
        """The user's split: a and b are different claims. Replaces a must-link between them; ValueError when
        other must-links still join them (undo those first)."""
        pair = _pair(a, b)
        parent = _union(list(self.must - {pair}))
        if _find(parent, pair[0]) == _find(parent, pair[1]):
            raise ValueError(f"{a} and {b} are joined by other merges; undo those (unlink) before splitting them")
        self.must.discard(pair)
        self.cannot.add(pair)
        self._labels = None

    def unlink(self, a: Hashable, b: Hashable) -> None:
        """Forget the user's choice about a and b, either way."""
        pair = _pair(a, b)
        self.must.discard(pair)
        self.cannot.discard(pair)
        self._labels = None

    def state(self) -> dict:
        """What rebuilds this clusterer, as plain JSON: settings, claims and the user's links (vectors and
        weights are recomputed)."""
        return {"threshold": self.threshold, "semantic": self.semantic, "max_block": self.max_block,
                "claims": [{"key": c.key, "text": c.text, "published": _iso(c.published), "entities": list(c.entities)}
                           for c in self.claims.values()],
                "must_link": sorted(self.must), "cannot_link": sorted(self.cannot)}

    @classmethod
    def from_state(cls, state: dict) -> "ClaimClusterer":
        clusterer = cls(state["threshold"], semantic=state["semantic"], max_block=state["max_block"])
        for c in state["claims"]:
            clusterer.add(c["key"], c["text"], published=c["published"], entities=c["entities"])
        clusterer.must = {tuple(p) for p in state["must_link"]}
        clusterer.cannot = {tuple(p) for p in state["cannot_link"]}
        return clusterer

    # -- scoring -------------------------------------------------------------------------------------------------
    def candidates(self) -> set[tuple[str, str]]:
        """Pairs of claims that share a blocking key carried by at most `max_block` claims."""
        keys = self._weights().keys
        return {(keys[i], keys[j]) for i, j in zip(*self._candidate_rows())}

    def _candidate_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """The candidate pairs as row numbers of the weights' matrices (i < j), each once, in sorted order."""
        weights = self._weights()
        n = len(weights.keys)
        codes = [np.empty(0, dtype=np.int64)]
        for members in self.index.values():
            if 1 < len(members) <= self.max_block:
                rows = np.sort(np.fromiter((weights.row[k] for k in members), dtype=np.int64, count=len(members)))
                i, j = _upper(len(rows))
                codes.append(rows[i] * n + rows[j])
        unique = np.unique(np.concatenate(codes))
        return unique // max(1, n), unique % max(1, n)

    def similarity(self, a: Hashable, b: Hashable) -> float:
        """How alike two claims are, 0 to 1, with the corpus's current weights."""
        return self.scores({_pair(a, b)}).get(_pair(a, b), 0.0)

    def _weights(self) -> "_Weights":
        if self._weights_now is None:
            self._weights_now = _Weights(self.claims, self.word_df, self.gram_df)
        return self._weights_now

    def embed_missing(self, on_progress=None) -> None:
        """Sentence vectors for the claims that have none, in one batch run (`on_progress(text)` after each)."""
        from according.link.embed import embedder

        todo = sorted(k for k, c in self.claims.items() if c.vector is None)
        if todo:
            for key, vector in zip(todo, embedder()([self.claims[k].text for k in todo], on_progress)):
                self.claims[key].vector = vector

    # -- clustering ----------------------------------------------------------------------------------------------
    def clusters(self) -> dict[str, str]:
        """Each claim's cluster label: the smallest key in its cluster."""
        if self._labels is None:
            self._labels = self._cluster()
        return dict(self._labels)

    def scores(self, pairs: set[tuple[str, str]] | None = None) -> dict[tuple[str, str], float]:
        """The similarity of every candidate pair that shares anything, with the corpus's current weights: the
        mean of the pair's cosines (words, 4-grams and, when semantic, sentence vectors above `SEMANTIC_FLOOR`)."""
        keys = self._weights().keys
        first, second, value = self._scored(pairs)
        return {(keys[i], keys[j]): v for i, j, v in zip(first.tolist(), second.tolist(), value.tolist())}

    def _scored(self, pairs: Iterable[tuple[str, str]] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`scores` as three arrays: the rows of each pair (first < second) and its similarity, when above 0."""
        if self.semantic:
            self.embed_missing()
        weights = self._weights()
        if pairs is None:
            first, second = self._candidate_rows()
        else:
            rows = np.array(sorted((min(weights.row[a], weights.row[b]), max(weights.row[a], weights.row[b]))
                                   for a, b in pairs), dtype=np.int64).reshape(-1, 2)
            first, second = rows[:, 0], rows[:, 1]
        self.compared = len(first)
        parts = [weights.cosines("words", first, second), weights.cosines("grams", first, second)]
        if self.semantic:
            vectors = np.stack([self.claims[k].vector for k in weights.keys]) if weights.keys else np.zeros((0, 1))
            # MiniLM puts any two sentences on one topic at 0.3 or more: only what lies above counts
            dots = np.einsum("ij,ij->i", vectors[first], vectors[second])
            parts.append(np.maximum(0.0, (dots - SEMANTIC_FLOOR) / (1 - SEMANTIC_FLOOR)))
        value = np.mean(parts, axis=0) if len(first) else np.zeros(0)
        keep = value > 0
        return first[keep], second[keep], value[keep]

    def _cluster(self, scores: dict[tuple[str, str], float] | None = None) -> dict[str, str]:
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        weights = self._weights()
        keys, row = weights.keys, weights.row
        if scores is None:
            first, second, value = self._scored()
        else:
            first, second, value = (np.array(x, dtype=t) for x, t in
                                    (([row[a] for a, _ in scores], np.int64), ([row[b] for _, b in scores], np.int64),
                                     (list(scores.values()), np.float64)))
        links = [np.array([(row[a], row[b]) for a, b in pairs if a in row and b in row], dtype=np.int64).reshape(-1, 2)
                 for pairs in (self.must, self.cannot)]
        # components of the pairs that could ever merge: above the threshold, or joined by the user
        strong = value >= self.threshold
        graph = coo_matrix((np.ones(strong.sum() + len(links[0])),
                            (np.concatenate([first[strong], links[0][:, 0]]),
                             np.concatenate([second[strong], links[0][:, 1]]))), shape=(len(keys), len(keys)))
        _, component = connected_components(graph, directed=False)
        members = _groups(component, np.arange(len(keys)))
        local = np.zeros(len(keys), dtype=np.int64)  # a claim's number within its component, in key order
        for rows in members.values():
            local[rows] = np.arange(len(rows))
        inside = component[first] == component[second]
        pairs = _groups(component[first[inside]], np.flatnonzero(inside))
        constraints = [_groups(component[lk[:, 0]], np.arange(len(lk))) for lk in links]
        labels: dict[str, str] = {}
        for c, rows in members.items():
            if len(rows) == 1:
                labels[keys[rows[0]]] = keys[rows[0]]
                continue
            at = pairs.get(c, np.zeros(0, dtype=np.int64))
            must, cannot = ([(int(local[a]), int(local[b])) for a, b in lk[found.get(c, [])]]
                            for lk, found in zip(links, constraints))
            for cluster in average_link(len(rows), local[first[at]], local[second[at]], value[at], self.threshold,
                                        must, cannot):
                label = keys[rows[cluster[0]]]
                for i in cluster:
                    labels[keys[rows[i]]] = label
        return labels


def _groups(by: np.ndarray, items: np.ndarray) -> dict[int, np.ndarray]:
    """`items` grouped by the value of `by` beside each, in their order within each group."""
    order = np.argsort(by, kind="stable")
    values, starts = np.unique(by[order], return_index=True)
    return dict(zip(values.tolist(), np.split(items[order], starts[1:])))


def average_link(n: int, first: np.ndarray, second: np.ndarray, value: np.ndarray, threshold: float,
                 must: Iterable[tuple[int, int]] = (), cannot: Iterable[tuple[int, int]] = ()) -> list[list[int]]:
    """Average-linkage clusters of the items 0..n-1, given the similarity `value` of pairs (first, second), pairs
    not given counting as 0; must-linked items start together, cannot-linked items never end together.
    Deterministic: equal means go to the smallest labels; each cluster comes sorted.

    The heap is lazy: a merge changes the mean of every pair the new cluster is in, but only downwards from the
    larger of the two old means (a mean of means), so each pair keeps an entry at least its current mean; a popped
    entry that is stale is pushed again at its current value. A merge costs the neighbours of the smaller side."""
    parent = _union([(a, b) for a, b in must])
    start: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        start[_find(parent, i)].append(i)
    members = dict(enumerate(sorted(start.values())))
    label = {cid: m[0] for cid, m in members.items()}
    cluster_of = np.zeros(n, dtype=np.int64)
    for cid, m in members.items():
        cluster_of[m] = cid
    forbidden: dict[int, set[int]] = defaultdict(set)
    for a, b in cannot:
        forbidden[int(cluster_of[a])].add(int(cluster_of[b]))
        forbidden[int(cluster_of[b])].add(int(cluster_of[a]))
    sums: dict[int, dict[int, float]] = defaultdict(dict)
    for ca, cb, s in zip(cluster_of[first].tolist(), cluster_of[second].tolist(), value.tolist()):
        if ca != cb:
            sums[ca][cb] = sums[ca].get(cb, 0.0) + s
            sums[cb][ca] = sums[cb].get(ca, 0.0) + s
    merged_into: dict[int, int] = {}

    def current(c: int) -> int:
        while c in merged_into:
            c = merged_into[c]
        return c

    def mean(x: int, y: int) -> float:
        return sums[x][y] / (len(members[x]) * len(members[y]))

    def entry(x: int, y: int, value: float) -> tuple:
        return (-value, *sorted((label[x], label[y])), x, y)

    if len(members) == n:  # no merges given: the means are the scores
        strong = np.flatnonzero(value >= threshold)
        heap = [entry(x, y, v) for x, y, v in zip(first[strong].tolist(), second[strong].tolist(),
                                                  value[strong].tolist())]
    else:
        heap = [entry(x, y, mean(x, y)) for x in sorted(sums) for y in sorted(sums[x])
                if x < y and mean(x, y) >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, _, _, x, y = heapq.heappop(heap)
        x, y = current(x), current(y)
        if x == y or y not in sums[x] or y in forbidden[x]:
            continue
        value_now = mean(x, y)
        if value_now < -neg - 1e-12:  # stale: one side has grown since
            if value_now >= threshold:
                heapq.heappush(heap, entry(x, y, value_now))
            continue
        if len(sums[x]) < len(sums[y]):
            x, y = y, x  # y, the side with fewer neighbours, goes into x
        members[x].extend(members.pop(y))
        label[x] = min(label[x], label[y])
        merged_into[y] = x
        for z, s in sums.pop(y).items():
            del sums[z][y]
            if z != x:
                sums[x][z] = sums[z][x] = sums[x].get(z, 0.0) + s
        for z in forbidden.pop(y, set()):
            forbidden[z].discard(y)
            forbidden[z].add(x)
            forbidden[x].add(z)
    return [sorted(m) for m in members.values()]


def cluster(items: Iterable, *, threshold: float | None = None, semantic: bool = False) -> dict[str, str]:
    """Batch use: items are (key, text) pairs or dicts with `id`/`key`, `text` and optionally `published` and
    `entities`; returns each key's cluster label (the smallest key of its cluster)."""
    clusterer = ClaimClusterer(threshold, semantic=semantic)
    for item in items:
        if isinstance(item, dict):
            clusterer.add(item.get("key", item.get("id")), item["text"], published=item.get("published"),
                          entities=item.get("entities", ()))
        else:
            clusterer.add(*item)
    return clusterer.clusters()


class _Weights:
    """The corpus at one moment: each claim's unit vectors of words and of 4-grams, weighted by
    (1 + log tf) x idf, as the rows of two sparse matrices (claims in sorted key order)."""

    def __init__(self, claims: dict[str, Claim], word_df: Counter, gram_df: Counter):
        self.keys = sorted(claims)
        self.row = {k: i for i, k in enumerate(self.keys)}
        n = len(claims)
        self.matrices = {kind: _unit_rows([getattr(claims[k], kind) for k in self.keys], df, n)
                         for kind, df in (("words", word_df), ("grams", gram_df))}

    def cosines(self, kind: str, first: np.ndarray, second: np.ndarray, chunk: int = 20_000) -> np.ndarray:
        """The cosine of each pair of rows (first[i], second[i]), in chunks to bound memory."""
        matrix = self.matrices[kind]
        out = np.zeros(len(first))
        for start in range(0, len(first), chunk):
            end = start + chunk
            out[start:end] = matrix[first[start:end]].multiply(matrix[second[start:end]]).sum(axis=1).A1
        return out


def _unit_rows(counts: list[Counter], df: Counter, n: int):
    """A CSR matrix of one row per claim: its terms' (1 + log tf) x idf, scaled to unit length."""
    from scipy.sparse import csr_matrix

    column = {t: i for i, t in enumerate(t for t, d in df.items() if d > 0)}
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1 for t in column])
    indptr, indices, tf = [0], [], []
    for c in counts:
        indices.extend(column[t] for t in c)
        tf.extend(c.values())
        indptr.append(len(indices))
    indices = np.array(indices, dtype=np.int64)
    values = (1 + np.log(np.array(tf, dtype=np.float64))) * idf[indices] if len(indices) else np.zeros(0)
    matrix = csr_matrix((values, indices, np.array(indptr)), shape=(len(counts), len(column)))
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1).A1)
    norms[norms == 0] = 1.0
    return csr_matrix(matrix.multiply(1 / norms[:, None]))


@lru_cache(maxsize=None)
def _upper(size: int) -> tuple[np.ndarray, np.ndarray]:
    """The (i, j) of every pair i < j of `size` things."""
    return np.triu_indices(size, 1)


def _pair(a: Hashable, b: Hashable) -> tuple[str, str]:
    a, b = str(a), str(b)
    if a == b:
        raise ValueError(f"a claim is always in its own cluster: {a}")
    return (a, b) if a < b else (b, a)


def _union(pairs: list[tuple[str, str]]) -> dict[str, str]:
    parent: dict[str, str] = {}
    for a, b in pairs:
        ra, rb = _find(parent, a), _find(parent, b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return parent


def _find(parent: dict[str, str], key: str) -> str:
    while parent.get(key, key) != key:
        parent[key] = parent.get(parent[key], parent[key])
        key = parent[key]
    return key


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
MAX_CLAIM_CHARS = 300


def document_claim(doc: dict) -> str:
    """The claim a document stands for when it is clustered whole: its title if it has one, else its first line
    (a headline), cut to its first sentence when that line is a paragraph."""
    title = (doc.get("title") or "").strip()
    if title:
        return title
    text = (doc.get("text") or "").strip()
    first = text.split("\n", 1)[0].strip()
    if len(first) > MAX_CLAIM_CHARS:
        first = _SENTENCE_END.split(first, 1)[0]
    return first
