"""Near-duplicates: the same wire story republished with its own headline, byline or footer.

Counting such copies as independent articles would make one agency report look like ten outlets agreeing,
so a copy is linked to its original instead. MinHash over word 5-shingles estimates the Jaccard similarity
of two texts; LSH finds the candidates without comparing every pair; candidates are then checked against
the threshold on the estimate itself (LSH banding lets some lower pairs through).

Signatures are bytes so a store can keep them and rebuild the index after a restart. The seed and the
permutation scheme are fixed (and written into each signature), so the same text gives the same bytes in
every process and every run.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

NUM_PERM = 128
SEED = 20241107
SHINGLE = 5
# A wire copy with its own headline, byline and footer scores 0.75-1.0; a rewrite that adds its own reporting
# ("..., ABC News reports") scores 0.5-0.7 and must stay an article of its own: its extra claims would be hidden.
THRESHOLD = 0.7
_SCHEME = "affine32"
_BYTEORDER = "<"
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Overlapping runs of `size` words, case and punctuation ignored; a short text is one shingle."""
    words = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def signature(text: str) -> bytes:
    """The MinHash of the text's shingles, serialised (about 525 bytes); raises ValueError for a text with no words."""
    from datasketch import LeanMinHash, MinHash

    grams = shingles(text)
    if not grams:
        raise ValueError("a text without words has no near-duplicate signature")
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=_SCHEME, permutations=_permutations())
    minhash.update_batch(g.encode("utf-8") for g in grams)
    lean = LeanMinHash(minhash)
    buffer = bytearray(lean.bytesize(_BYTEORDER))
    lean.serialize(buffer, _BYTEORDER)
    return bytes(buffer)


@lru_cache(maxsize=1)
def _permutations():
    """The seed's permutations, drawn once per process rather than for every text (a third of a signature's cost)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=_SCHEME).permutations


def load_signature(data: bytes):
    from datasketch import LeanMinHash

    return LeanMinHash.deserialize(data, _BYTEORDER)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    return load_signature(a).jaccard(load_signature(b))


class NearDuplicateIndex:
    """Articles seen so far; `add` answers "is this a copy of one of them?" as each new article arrives.

    Links always point at the original: a copy of a copy is linked to the first article, not to the copy.
    """

    def __init__(self, threshold: float = THRESHOLD):
        from datasketch import MinHashLSH

        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._signatures: dict[str, object] = {}
        self._original: dict[str, str | None] = {}
        self._order: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._signatures

    def original_of(self, article_id: str) -> str | None:
        return self._original.get(article_id)

    def query(self, sig: bytes) -> str | None:
        """The original of the closest earlier article at or above the threshold, without adding anything."""
        return self._closest(load_signature(sig))

    def _closest(self, minhash, besides: str | None = None) -> str | None:
        best: tuple[float, int, str] | None = None
        for candidate in self._lsh.query(minhash):
            if besides is not None and besides in (candidate, self._original[candidate]):
                continue  # the article itself, and its own copies
            score = self._signatures[candidate].jaccard(minhash)
            if score < self.threshold:
                continue
            key = (score, -self._order[candidate], candidate)  # ties go to the earlier article: deterministic
            if best is None or key > best:
                best = key
        if best is None:
            return None
        match = best[2]
        return self._original[match] or match

    def add(self, article_id: str, sig: bytes, *, as_original: bool = False) -> str | None:
        """Index the article; returns the id of the earlier article it is a near-copy of, or None.

        as_original: index it as an original without asking (another writer stored it as one). Adding an id twice
        changes nothing and gives the same answer (re-ingesting is idempotent).
        """
        if article_id in self._signatures:
            return self._original[article_id]
        minhash = load_signature(sig)
        original = None if as_original else self._closest(minhash)
        self._lsh.insert(article_id, minhash)
        self._signatures[article_id] = minhash
        self._original[article_id] = original
        self._order[article_id] = len(self._order)
        return original

    def recheck(self, article_id: str) -> str | None:
        """The original that an indexed original now turns out to copy (one another writer stored meanwhile, since
        indexed with `add(as_original=True)`), or None. Once found, the article is that one's copy here too, and so
        are the copies that were linked to it."""
        if self._original.get(article_id) is not None:
            return self._original[article_id]
        original = self._closest(self._signatures[article_id], besides=article_id)
        if original is not None:
            for other, was in self._original.items():
                if was == article_id:
                    self._original[other] = original
            self._original[article_id] = original
        return original
