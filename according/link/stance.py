"""What an article does with a claim: `assert`, `deny`, `report` or `unrelated` (the labels of ../shared/eval/STANCE.md).

Small trained models read two kinds of evidence. The lexical kind is the strong simple design of Riedel et
al. (2017): term frequencies of the claim and of the article, and their TF-IDF cosine. The other kind is what
`according` reads and no other stance system has: the statements whose content matches the claim and their stance
(a source denies it, doubts it, asserts it), whether the claim is carried only in someone else's voice or in the
outlet's own, refutation and hedge words in the sentences that carry it, and how the claim itself is worded.

A headline and an article are read by two models, picked by the document itself (`is_headline`: one line of few
words). An article goes to the network. A headline goes to a logistic regression over its own words and letter
n-grams with the same evidence: a headline says whether it commits to a claim in a few words ("reportedly", "?",
"report:", "hoax"), and on Emergent's 2,000 headlines the linear model learns that better than the network. Where
onnxruntime and tokenizers are installed, a fine-tuned cross-encoder of claim and headline (`stance_encoder`) is
averaged in. The weights ship in `models/stance.npz`, loaded once.

    >>> import according
    >>> from according.link.stance import stance
    >>> stance(according.analyze("The ministry denied that the bridge had closed."), "The bridge has closed")
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources import files

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from according.errors import StanceModelError
from according.extract.lexicon import lexicon
from according.extract.lexicon import words as word_roles
from according.link.stance_encoder import StanceEncoder, load_encoder
from according.model import Analysis, Attribution

LABELS = ("assert", "deny", "report", "unrelated")
MODEL_FILE = "stance.npz"
HEADLINE_WORDS = 50  # a document of one line and fewer words than this is read as a headline
# a headline is unrelated to a claim when the gate gives it less than this chance of being related (chosen on the
# train hold-out: it keeps both the headlines of Emergent, all related, and the one-line FNC-1 bodies right)
HEADLINE_RELATED = 0.2
GATE_FEATURES = ["cosine", "doc_share", "best_share", "lead_share", "top3_share"]
MATCH = 0.3  # share of the claim's content words a sentence or a statement must hold to carry the claim

TOKEN = re.compile(r"n't|[^\W_]+(?:'[^\W_]+)?|[?!]", re.UNICODE)
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")
STOP = frozenset(STOP_WORDS) - {"not", "no", "never", "n't", "nor", "neither", "nothing", "without"}


def tokens(text: str) -> list[str]:
    """Lower-case words (and "?", "!", "n't"), the unit of both the term vectors and the word lists."""
    return TOKEN.findall(text.lower().replace("’", "'"))


def content_words(words: Iterable[str]) -> list[str]:
    return [w for w in words if w not in STOP and len(w) > 1 and not w.isdigit() and w not in "?!"]


def stem(word: str) -> str:
    """A short stem, so that "denied" and "denies", "congratulated" and "congratulations" meet."""
    return word[:5]


def sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences (and lines) of a text, cut by punctuation: no parser needed."""
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if text[start:m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


@lru_cache(maxsize=1)
def stance_words() -> dict[str, frozenset[str]]:
    """Word classes (refute, hedge, negation, veracity): the stance lexicon plus the cue lexicon's deny cues,
    denial words and sourceless adverbs."""
    by_class: dict[str, set[str]] = {"refute": set(), "hedge": set(), "negation": set(), "veracity": set()}
    text = files("according.link").joinpath("lexicons", "stance_words.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            word, cls = line.split("\t")[:2]
            by_class[cls].add(word)
    lex = lexicon()
    by_class["refute"] |= {w for w in lex.denial_words if " " not in w and w not in ("speculation", "rumor", "rumour")}
    # a retracting verb ("withdrew its troops", "withdrew its report") denies only what its object says: a word
    # count cannot tell which
    by_class["refute"] |= {c.lemma for c in lex.verbs.values()
                           if c.stance == "deny" and " " not in c.lemma and c.lemma not in word_roles()["retracting"]}
    by_class["hedge"] |= {c.lemma for c in lex.adverbs.values() if " " not in c.lemma}
    return {k: frozenset(v) for k, v in by_class.items()}


def is_headline(text: str) -> bool:
    """A document of one line and few words: what the headline model reads."""
    return "\n" not in text.strip() and len(text.split()) < HEADLINE_WORDS


# -- features -------------------------------------------------------------------------------------------------


@dataclass
class ClaimText:
    """What is read once per claim."""

    text: str
    words: list[str]
    stems: frozenset[str]

    @classmethod
    def of(cls, text: str) -> "ClaimText":
        words = tokens(text)
        return cls(text, words, frozenset(stem(w) for w in content_words(words)))


@dataclass
class Sentence:
    span: tuple[int, int]
    words: list[str]
    stems: frozenset[str]
    attributed: float  # share of its characters inside some statement's content
    counts: tuple[int, int, int]  # its refute, hedge and negation words


@dataclass
class DocText:
    """What is read once per document: its words, sentences and statements."""

    analysis: Analysis
    words: list[str]
    sentences: list[Sentence]
    statements: list[tuple[Attribution, frozenset[str], list[str]]]  # with the stems and words of the content
    headline: bool

    @classmethod
    def of(cls, analysis: Analysis) -> "DocText":
        text = analysis.text
        inside = np.zeros(len(text) + 1, dtype=np.int8)
        for a in analysis.attributions:
            for s, e in a.content:
                inside[s:e] = 1
        cum = np.concatenate([[0], np.cumsum(inside)])
        vocab = stance_words()
        sents = []
        for s, e in sentences(text):
            words = tokens(text[s:e])
            counts = tuple(_count(words, vocab[k]) for k in ("refute", "hedge", "negation"))
            sents.append(Sentence((s, e), words, frozenset(stem(w) for w in content_words(words)),
                                  float(cum[e] - cum[s]) / max(1, e - s), counts))
        statements = []
        for a in analysis.attributions:
            words = tokens(analysis.text_of(a.content))
            statements.append((a, frozenset(stem(w) for w in content_words(words)), words))
        return cls(analysis, tokens(text), sents, statements, is_headline(text))

    @cached_property
    def stems(self) -> frozenset[str]:
        return frozenset(s for sent in self.sentences for s in sent.stems)

    @cached_property
    def lead_stems(self) -> frozenset[str]:
        return frozenset(s for sent in self.sentences[:2] for s in sent.stems)

    @cached_property
    def fixed(self) -> dict[str, float]:
        return _doc_values(self)


def _share(claim: frozenset[str], stems: frozenset[str]) -> float:
    return len(claim & stems) / len(claim) if claim else 0.0


def _count(words: Sequence[str], vocab: frozenset[str]) -> int:
    return sum(1 for w in words if w in vocab)


EVIDENCE_GROUPS = {
    "overlap": ["doc_share", "lead_share", "best_share", "top3_share", "matched_sentences", "log_words"],
    "words": ["doc_refute", "doc_hedge", "doc_negation", "doc_question", "lead_refute", "lead_hedge",
              "matched_refute", "matched_hedge", "matched_negation", "near_refute", "near_negation",
              "claim_refute", "claim_hedge", "claim_negation", "claim_question", "claim_colon", "refute_mismatch",
              "negation_mismatch"],
    "statements": ["stmt_assert", "stmt_deny", "stmt_uncertain", "stmt_hedged", "stmt_anonymous", "stmt_best",
                   "stmt_deny_best", "all_deny", "all_uncertain", "all_statements", "own_voice_best",
                   "attributed_best", "only_reported", "lead_attributed", "deny_refute_content"],
    "voice": ["head_source", "tail_source", "said_to", "lead_cues", "lead_deny_cues", "lead_question"],
}
EVIDENCE = [name for group in EVIDENCE_GROUPS.values() for name in group]


# headline-style attributions, read off the first line: "Pentagon: ...", "Tim Cook: ...", "... : paper",
# "..., officials say", "X said to be ..."
HEAD_SOURCE = re.compile(r"^\W*(?:[A-Z][\w.'’&-]*\s+){0,4}[A-Z][\w.'’&-]*\s*:\s")
TAIL_SOURCE = re.compile(r"(?:[:|—–-]\s*(?:[A-Z][\w.'’&-]*\s*){1,4}|,\s*(?:[\w.'’-]+\s+){1,5}"
                         r"(?:says?|said|claims?|reports?|told|tells|confirms?|denies|suggests?)\s*)\W*$")
SAID_TO = re.compile(r"\b(?:said|reported|rumou?red|believed|thought|expected|tipped|set)\s+to\b", re.I)


IRREGULAR = {"said": "say", "told": "tell", "thought": "think", "wrote": "write", "spoke": "speak",
             "knew": "know", "saw": "see", "heard": "hear", "found": "find", "felt": "feel"}


def _cue(word: str) -> str | None:
    """The stance of a reporting verb's form ("says", "denied", "claiming"), from the cue lexicon."""
    verbs = lexicon().verbs
    word = IRREGULAR.get(word, word)
    for base in (word, word[:-1], word[:-2], word[:-3], word[:-3] + "y", word[:-2] + "e", word[:-3] + "e"):
        if len(base) > 2 and base in verbs:
            return None if base in word_roles()["retracting"] else verbs[base].stance  # as in `stance_words`
    return None


def _doc_values(doc: DocText) -> dict[str, float]:
    """The features that do not depend on the claim, read once per document."""
    vocab = stance_words()
    refute, hedge, negation = vocab["refute"], vocab["hedge"], vocab["negation"]
    lead = doc.sentences[:2]
    lead_words = [w for s in lead for w in s.words]
    per_word = lambda k: k / math.sqrt(max(1, len(doc.words)))  # noqa: E731  (counts grow slower than length)
    first = doc.analysis.text[slice(*doc.sentences[0].span)] if doc.sentences else ""
    first_cues = [_cue(w) for w in (doc.sentences[0].words if doc.sentences else [])]
    all_stances = Counter(a.stance for a, _, _ in doc.statements)
    n_sent = max(1, len(doc.sentences))
    return {
        "head_source": float(bool(HEAD_SOURCE.match(first))),
        "tail_source": float(bool(TAIL_SOURCE.search(first))),
        "said_to": float(bool(SAID_TO.search(first))),
        "lead_cues": math.log1p(sum(c is not None for c in first_cues)),
        "lead_deny_cues": math.log1p(sum(c == "deny" for c in first_cues)),
        "lead_question": float("?" in first),
        "log_words": math.log1p(len(doc.words)) / 7,
        "doc_refute": per_word(_count(doc.words, refute)),
        "doc_hedge": per_word(_count(doc.words, hedge)),
        "doc_negation": per_word(_count(doc.words, negation)),
        "doc_question": float("?" in doc.words),
        "lead_refute": math.log1p(_count(lead_words, refute)),
        "lead_hedge": math.log1p(_count(lead_words, hedge)),
        "all_deny": all_stances["deny"] / n_sent,
        "all_uncertain": all_stances["uncertain"] / n_sent,
        "all_statements": len(doc.statements) / n_sent,
        "lead_attributed": sum(s.attributed for s in lead) / max(1, len(lead)),
    }


def evidence(claim: ClaimText, doc: DocText) -> list[float]:
    """The features beyond term vectors, in the order of `EVIDENCE`."""
    vocab = stance_words()
    refute, hedge, negation = vocab["refute"], vocab["hedge"], vocab["negation"]
    c = claim.stems
    shares = [_share(c, s.stems) for s in doc.sentences] or [0.0]
    ranked = sorted(shares, reverse=True)
    matched = [s for s, share in zip(doc.sentences, shares) if share >= MATCH]
    # refutation near the claim: within a few words of one of the claim's words
    near_refute = near_negation = 0
    for s in matched:
        hits = [i for i, w in enumerate(s.words) if stem(w) in c]
        for i, w in enumerate(s.words):
            if (w in refute or w in negation) and any(abs(i - h) <= 4 for h in hits):
                near_refute += w in refute
                near_negation += w in negation
    claim_refute = _count(claim.words, refute) > 0
    claim_neg = _count(claim.words, negation) > 0
    matched_counts = [sum(s.counts[k] for s in matched) for k in range(3)]  # refute, hedge, negation

    stmts = [(a, _share(c, stems), words) for a, stems, words in doc.statements]
    on_claim = [(a, share, words) for a, share, words in stmts if share >= MATCH]
    stances = Counter(a.stance for a, _, _ in on_claim)
    deny_best = max((share for a, share, _ in on_claim if a.stance == "deny"), default=0.0)
    own = [share for s, share in zip(doc.sentences, shares) if s.attributed < 0.5] or [0.0]
    attributed = [share for s, share in zip(doc.sentences, shares) if s.attributed >= 0.5] or [0.0]
    values = {
        **doc.fixed,
        "doc_share": _share(c, doc.stems),
        "lead_share": _share(c, doc.lead_stems),
        "best_share": ranked[0],
        "top3_share": sum(ranked[:3]) / 3,
        "matched_sentences": math.log1p(len(matched)),
        "matched_refute": math.log1p(matched_counts[0]),
        "matched_hedge": math.log1p(matched_counts[1]),
        "matched_negation": math.log1p(matched_counts[2]),
        "near_refute": math.log1p(near_refute),
        "near_negation": math.log1p(near_negation),
        "claim_refute": float(claim_refute),
        "claim_hedge": float(_count(claim.words, hedge) > 0),
        "claim_negation": float(claim_neg),
        "claim_question": float("?" in claim.words),
        "claim_colon": float(":" in claim.text),
        "refute_mismatch": float(claim_refute != (doc.fixed["doc_refute"] > 0)),
        "negation_mismatch": float(claim_neg != (matched_counts[2] > 0)),
        "stmt_assert": math.log1p(stances["assert"]),
        "stmt_deny": math.log1p(stances["deny"]),
        "stmt_uncertain": math.log1p(stances["uncertain"]),
        "stmt_hedged": math.log1p(sum(a.hedged for a, _, _ in on_claim)),
        "stmt_anonymous": math.log1p(sum(a.anonymous for a, _, _ in on_claim)),
        "stmt_best": max((share for _, share, _ in stmts), default=0.0),
        "stmt_deny_best": deny_best,
        "own_voice_best": max(own),
        "attributed_best": max(attributed),
        "only_reported": float(max(attributed) >= MATCH and max(own) < MATCH),
        "deny_refute_content": math.log1p(sum(_count(words, refute) for _, _, words in on_claim)),
    }
    return [values[name] for name in EVIDENCE]


# -- the models -----------------------------------------------------------------------------------------------


@dataclass
class Gate:
    """Related or not, from how much of the claim a document holds: a logistic regression over `GATE_FEATURES`.

    The headline model learns stance from related pairs only (Emergent pairs each headline with its own
    claim); whether a headline is about the claim at all is this gate's call.
    """

    w: np.ndarray
    b: float
    threshold: float = HEADLINE_RELATED

    def related(self, rest: np.ndarray) -> np.ndarray:
        names = ["cosine"] + EVIDENCE
        x = rest[:, [names.index(n) for n in GATE_FEATURES]]
        return 1 / (1 + np.exp(-(x @ self.w + self.b)))


def headline_terms(text: str) -> list[str]:
    """What the headline model counts: words and word pairs, and the 2- to 5-letter n-grams within each word (the
    letters catch "reportedly" and "allegedly" alike, and the words joined to punctuation: "Report:", "Hoax?")."""
    words = tokens(text)
    terms = ["w " + w for w in words] + ["w " + a + " " + b for a, b in zip(words, words[1:])]
    for w in text.lower().split():
        w = f" {w} "
        for n in range(2, 6):
            terms.extend("c " + w[i:i + n] for i in range(max(1, len(w) - n + 1)))
    return terms


@dataclass
class Headlines:
    """A headline's stance toward a claim: a logistic regression over the headline's TF-IDF terms
    (`headline_terms`, sublinear counts, L2-normalised) and the scaled [cosine | evidence], behind a `Gate`.
    The cosine is the TF-IDF cosine of headline and claim over the same terms. With an `encoder`
    (`according.link.stance_encoder`, when its libraries are installed), its probabilities are averaged with the
    regression's, weighed `encoder_weight`."""

    vocab: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray  # (terms + 1 + evidence) x 3: assert, deny, report
    intercept: np.ndarray
    rest_mean: np.ndarray
    rest_scale: np.ndarray
    gate: Gate
    encoder_weight: float = 0.0
    encoder: StanceEncoder | None = None

    def vector(self, text: str) -> dict[int, float]:
        counts = Counter(i for i in map(self.vocab.get, headline_terms(text)) if i is not None)
        weights = {i: (1 + math.log(k)) * float(self.idf[i]) for i, k in counts.items()}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        return {i: v / norm for i, v in weights.items()}

    def rest(self, pairs: list[tuple[DocText, ClaimText]], vectors: dict[str, dict[int, float]]) -> np.ndarray:
        """[cosine | evidence] per pair, as the gate and the regression read them."""
        out = []
        for doc, claim in pairs:
            d, c = vectors[doc.analysis.text], vectors[claim.text]
            out.append([sum(v * d.get(i, 0.0) for i, v in c.items())] + evidence(claim, doc))
        return np.array(out, dtype=np.float32).reshape(len(pairs), 1 + len(EVIDENCE))

    def score(self, pairs: list[tuple[DocText, ClaimText]], encoded: np.ndarray | None = None) -> np.ndarray:
        """Rows in the order of `LABELS`: the gate's `unrelated`, and the regression's share of the rest, averaged
        with the encoder's. `encoded`: the encoder's probabilities of the pairs, when they are at hand already."""
        vectors = {text: self.vector(text) for doc, claim in pairs for text in (doc.analysis.text, claim.text)}
        rest = self.rest(pairs, vectors)
        z = (rest - self.rest_mean) / self.rest_scale @ self.coef[len(self.vocab):] + self.intercept
        for row, (doc, _) in enumerate(pairs):
            d = vectors[doc.analysis.text]
            if d:
                z[row] += np.fromiter(d.values(), np.float32, len(d)) @ self.coef[list(d)]
        z = np.exp(z - z.max(axis=1, keepdims=True))
        p = z / z.sum(axis=1, keepdims=True)
        if encoded is None and self.encoder is not None and self.encoder_weight:
            encoded = self.encoder.probabilities([(claim.text, doc.analysis.text) for doc, claim in pairs])
        if encoded is not None:
            p = (1 - self.encoder_weight) * p + self.encoder_weight * encoded
        related = self.gate.related(rest)[:, None]
        return np.hstack([p * related, 1 - related])

    def labels(self, p: np.ndarray) -> np.ndarray:
        return np.where(p[:, 3] > 1 - self.gate.threshold, 3, p[:, :3].argmax(axis=1))


@dataclass
class Terms:
    idx: np.ndarray  # vocabulary indices of the words present
    tf: np.ndarray  # their L2-normalised frequencies
    tfidf: dict[int, float]  # their L2-normalised TF-IDF weights, for the cosine

    def hidden(self, weights: np.ndarray) -> np.ndarray:
        return self.tf @ weights[self.idx]

    def cosine(self, other: "Terms") -> float:
        small, large = sorted((self.tfidf, other.tfidf), key=len)
        return sum(v * large.get(i, 0.0) for i, v in small.items())


@dataclass
class Network:
    """One hidden layer over [claim term frequencies | document term frequencies | cosine | evidence].

    The first layer splits by input, so a document's share of the hidden units is computed once however many
    claims it is paired with.
    """

    vocab: dict[str, int]
    idf: np.ndarray
    w_claim: np.ndarray
    w_doc: np.ndarray
    w_rest: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray
    rest_mean: np.ndarray
    rest_scale: np.ndarray
    mask: np.ndarray  # which evidence features the network reads (all, unless trained for an ablation)
    deny_bias: float = 0.0  # added to deny's log-probability when labelling (chosen on the hold-out: deny is rare)

    def terms(self, words: list[str]) -> Terms:
        """L2-normalised term frequencies over the vocabulary, kept sparse: a text holds a few hundred of its
        thousands of words, and a dense product per document cost more than all the rest."""
        counts = Counter(i for i in map(self.vocab.get, content_words(words)) if i is not None)
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        tf = tf / (np.linalg.norm(tf) or 1.0)
        tfidf = tf * self.idf[idx]
        return Terms(idx, tf, dict(zip(idx.tolist(), (tfidf / (np.linalg.norm(tfidf) or 1.0)).tolist())))

    def probabilities(self, claim_hidden: np.ndarray, doc_hidden: np.ndarray, rest: np.ndarray) -> np.ndarray:
        """Rows in the order of `LABELS`."""
        x = (rest[:, self.mask] - self.rest_mean) / self.rest_scale
        h = np.maximum(claim_hidden + doc_hidden + x @ self.w_rest + self.b1, 0)
        z = h @ self.w2 + self.b2
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    def score(self, pairs: list[tuple[DocText, ClaimText]]) -> np.ndarray:
        """Probabilities, one row per pair; each document's and each claim's share of the hidden layer once."""
        doc_part: dict[int, tuple[np.ndarray, Terms]] = {}
        claim_part: dict[str, tuple[np.ndarray, Terms]] = {}
        ch, dh, rest = [], [], []
        for doc, claim in pairs:
            if id(doc) not in doc_part:
                terms = self.terms(doc.words)
                doc_part[id(doc)] = (terms.hidden(self.w_doc), terms)
            if claim.text not in claim_part:
                terms = self.terms(claim.words)
                claim_part[claim.text] = (terms.hidden(self.w_claim), terms)
            (d_hidden, d_terms), (c_hidden, c_terms) = doc_part[id(doc)], claim_part[claim.text]
            ch.append(c_hidden)
            dh.append(d_hidden)
            rest.append([c_terms.cosine(d_terms)] + evidence(claim, doc))
        return self.probabilities(np.array(ch), np.array(dh), np.array(rest, dtype=np.float32))

    def labels(self, p: np.ndarray) -> np.ndarray:
        return (np.log(p + 1e-9) + np.eye(len(LABELS))[LABELS.index("deny")] * self.deny_bias).argmax(axis=1)


def _network(data, prefix: str) -> Network:
    vocab = {w: i for i, w in enumerate(str(data[f"{prefix}vocab"]).split("\n"))}
    f = lambda k: data[prefix + k].astype(np.float32)  # noqa: E731
    return Network(vocab, f("idf"), f("w_claim"), f("w_doc"), f("w_rest"), f("b1"), f("w2"), f("b2"),
                   f("rest_mean"), f("rest_scale"), data[prefix + "mask"].astype(bool),
                   float(data[prefix + "deny_bias"]) if prefix + "deny_bias" in data else 0.0)


def _headlines(data, prefix: str = "headline_") -> Headlines:
    vocab = {w: i for i, w in enumerate(str(data[f"{prefix}vocab"]).split("\n"))}
    f = lambda k: data[prefix + k].astype(np.float32)  # noqa: E731
    return Headlines(vocab, f("idf"), f("coef"), f("intercept"), f("rest_mean"), f("rest_scale"),
                     Gate(f("gate_w"), float(f("gate_b")[0])),
                     float(data[prefix + "encoder_weight"]) if prefix + "encoder_weight" in data else 0.0)


@dataclass
class StanceModel:
    headline: Headlines
    article: Network

    @classmethod
    def load(cls, path=None, encoder: bool = True) -> "StanceModel":
        """The shipped model (or the one at `path`); with `encoder`, the headline model averages in the
        cross-encoder's probabilities when its libraries are installed (`stance_encoder.available`)."""
        source = path or files("according.link").joinpath("models", MODEL_FILE)
        try:
            with source.open("rb") if hasattr(source, "open") and path is None else open(source, "rb") as fh:
                data = np.load(fh)
                model = cls(_headlines(data), _network(data, "article_"))
        except (OSError, KeyError, ValueError) as e:
            raise StanceModelError(f"cannot read the stance model {source} ({e}): reinstall according, or "
                             f"train one with train/train_stance.py") from e
        if encoder and model.headline.encoder_weight:
            model.headline.encoder = load_encoder()
        return model

    def stances(self, pairs: Iterable[tuple[Analysis, str]]) -> list[str]:
        return [LABELS[i] for i in self.scored(pairs)[1]]

    def probabilities(self, pairs: Iterable[tuple[Analysis, str]]) -> np.ndarray:
        """One row per pair, columns in the order of `LABELS`."""
        return self.scored(pairs)[0]

    def scored(self, pairs: Iterable[tuple[Analysis, str]]) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities and label indices, one row per pair. Each document and each claim is read once."""
        pairs = list(pairs)
        docs: dict[int, DocText] = {}
        claims: dict[str, ClaimText] = {}
        for analysis, claim in pairs:
            if id(analysis) not in docs:
                docs[id(analysis)] = DocText.of(analysis)
            if claim not in claims:
                claims[claim] = ClaimText.of(claim)
        probs = np.zeros((len(pairs), len(LABELS)), dtype=np.float32)
        labels = np.zeros(len(pairs), dtype=int)
        for model, headline in ((self.headline, True), (self.article, False)):
            rows = [i for i, (a, _) in enumerate(pairs) if docs[id(a)].headline == headline]
            if rows:
                probs[rows] = model.score([(docs[id(pairs[i][0])], claims[pairs[i][1]]) for i in rows])
                labels[rows] = model.labels(probs[rows])
        return probs, labels


@lru_cache(maxsize=2)
def default_model(encoder: bool = True) -> StanceModel:
    """The shipped model, loaded once; `encoder=False` reads headlines with the regression alone."""
    return StanceModel.load(encoder=encoder)


def stance(analysis: Analysis, claim: str) -> str:
    """What the article does with the claim: assert, deny, report or unrelated."""
    return default_model().stances([(analysis, claim)])[0]


def stances(pairs: Iterable[tuple[Analysis, str]], encoder: bool = True) -> list[str]:
    """`stance` over many (article, claim) pairs; pass the same Analysis object for pairs of one article, so
    that it is read once. `encoder=False`: without the optional cross-encoder, even where it is installed."""
    return default_model(encoder).stances(pairs)


def predict_pairs(pairs: Iterable[dict], analyses: dict[str, Analysis],
                  failed: dict[str, str] | None = None, encoder: bool = True) -> list[dict]:
    """`{"id", "stance"}` for each pair `{"id", "claim", "doc_id"}` of the evaluation format (STANCE.md), in order.

    A pair that cannot be scored gets `{"id", "error"}` instead: a record marked `_error` by its reader, or a
    document that is missing from `analyses` (with its reason from `failed`, when it failed to be read).
    """
    failed = failed or {}
    pairs = list(pairs)
    ok = [p for p in pairs if "_error" not in p and p["doc_id"] in analyses]
    labels = iter(stances([(analyses[p["doc_id"]], p["claim"]) for p in ok], encoder))
    out = []
    for p in pairs:
        if "_error" in p:
            out.append({"id": p.get("id"), "error": p["_error"]})
        elif p["doc_id"] not in analyses:
            why = failed.get(p["doc_id"], "it is not in the documents file")
            out.append({"id": p["id"], "error": f"document {p['doc_id']!r} cannot be read: {why}"})
        else:
            out.append({"id": p["id"], "stance": next(labels)})
    return out
