"""Claims across the corpus: the claims of every stored article clustered into corpus claims, each with its
timeline (every source's position, in date order, with the claim's status after it) and a summary for listings.

`relink(store)` clusters what is stored, a user's merges and splits included (`merge`, `split`), and saves the
result; `ingest` calls it at the end of each run. The clustering depends only on the claims and the overrides,
never on the order articles came in, so ingesting in one run or in many gives the same corpus claims.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable

from according.errors import ClaimError
from according.link.article import FLIPPED, about, is_pointer, negated
from according.link.entities import corpus_entities
from according.link.status import Ledger, Step

# a corpus claim's wording: the earliest article's, unless it is too short to say anything on its own
MIN_WORDS = 4
REPORT = {"relay": "report", "mention": "report"}


def key(row: dict) -> str:
    """An article claim's key, as overrides name it: ARTICLE_ID:c1."""
    return f"{row['article_id']}:{row['id']}"


def corpus_id(label: str) -> str:
    return hashlib.sha1(label.encode()).hexdigest()[:16]


def _order(row: dict) -> tuple:
    """Date order; undated articles last; ties in a fixed order (articles by id, claims in reading order)."""
    ts = row["published_ts"]
    return (ts is None, ts or 0, row["article_id"], row["ordinal"])


def copies_by_original(copies: list[dict]) -> dict[str, list[dict]]:
    of: dict[str, list[dict]] = defaultdict(list)
    for copy in copies:
        of[copy["duplicate_of"]].append(copy)
    return of


def with_copies(rows: list[dict], of: dict[str, list[dict]]) -> list[dict]:
    """The claims of a corpus claim with those of the near-copies of their articles (`copies_by_original`): a
    syndicated copy carries the claim again, published by another outlet, maybe on another day; its outlet relays
    it (one `report` position, on no one's record)."""
    out = list(rows)
    for row in rows:
        for copy in of.get(row["article_id"], []):
            out.append({**row, **{k: copy[k] for k in ("published", "published_ts", "outlet", "title", "url")},
                        "article_id": copy["id"], "copy_of": row["article_id"],
                        "positions": [{"attribution": None, "stance": "report", "on_record": False, "parties": []}]})
    return out


def wording(rows: list[dict]) -> str:
    """The corpus claim's wording: the earliest that says it in the positive and in full, else the earliest
    positive one, else the longest."""
    ordered = sorted(rows, key=_order)
    positive = [r for r in ordered if not negated(r["text"])]
    full = [r for r in positive if len(r["text"].split()) >= MIN_WORDS]
    return (full or positive or sorted(ordered, key=lambda r: -len(r["text"])))[0]["text"]


def steps(rows: list[dict]) -> list[tuple[dict, dict, Step]]:
    """(article claim, position, step) for every position on one corpus claim, in timeline order. An article
    that words the claim in the negative ("the woman is not his wife") takes the opposite position on it.

    An outlet whose own article asserted the claim only on unnamed sources ("according to documents seen by the
    Gazette") is no more on the record when another article later says "the Gazette reported": the relay names
    the outlet, but the outlet named no one.

    What an article asserts on unnamed sources, and no one in it denies, its outlet stands behind: the outlet is
    the party of those positions, so that its later withdrawal of the report retracts the claim."""
    texts = [" ".join({r["text"] for r in rows})]  # each wording once: a claim many articles carry is read once
    positive = not negated(wording(rows))
    about_them: dict[frozenset[str], bool] = {}
    unsourced: set[str] = set()  # outlets whose own articles asserted the claim on no named source
    out = []
    for row in sorted(rows, key=_order):
        flip = positive and negated(row["text"])
        stances = [FLIPPED.get(p["stance"], p["stance"]) if flip else p["stance"] for p in row["positions"]]
        vouched = bool(row["outlet"]) and "deny" not in stances
        asserted = named = False
        for p, stance in zip(row["positions"], stances):
            parties = frozenset(p.get("parties") or [])
            if not parties and stance == "assert" and vouched:
                parties = frozenset({_outlet(row["outlet"])})
            if parties not in about_them:
                about_them[parties] = about(parties, texts)
            relayed = stance == "assert" and {_outlet(x) for x in parties} & unsourced
            on_record = bool(p.get("on_record")) and not relayed
            asserted, named = asserted or stance == "assert", named or (stance == "assert" and on_record)
            out.append((row, p, Step(stance, on_record, parties, about_them[parties])))
        if row["outlet"] and asserted and not named:
            unsourced.add(_outlet(row["outlet"]))
    return out


def _outlet(name: str) -> str:
    """An outlet's name as parties are compared: case-folded, without "the"."""
    name = name.casefold()
    return name[4:] if name.startswith("the ") else name


def summary(cid: str, rows: list[dict], status: str | None = None) -> dict:
    """What the store keeps of a corpus claim; `status`, when the caller has already counted the steps."""
    if status is None:
        ledger = Ledger()
        for _, _, step in steps(rows):
            ledger.add(step)
        status = ledger.status
    first = min(rows, key=_order)
    return {"id": cid, "text": wording(rows), "status": status, "first_seen": first["published"],
            "first_seen_ts": first["published_ts"], "articles": len({r["article_id"] for r in rows}),
            "outlets": _json(sorted({r["outlet"].casefold() for r in rows if r["outlet"]})),
            "parties": _json(sorted({p for r in rows for pos in r["positions"] for p in pos.get("parties") or []}))}


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def relink(store, on_progress: Callable[[str], None] | None = None) -> dict:
    """Cluster every stored article claim into corpus claims and save them; returns counts.

    One relink at a time (`Store.exclusive`): two ingests that end together would otherwise each save the corpus
    claims of what it saw, and the one saving last, from the older reading, would leave the other's claims out.
    """
    with store.exclusive():
        return _relink(store)


def _relink(store) -> dict:
    from according.link.article import link_article
    from according.link.cluster import ClaimClusterer

    for article_id in store.unlinked():  # stored by a version that kept no claims: their statements are enough
        _, analysis = store.get(article_id)
        store.add_claims(article_id, link_article(analysis))
    rows = list(store.claim_rows())
    copies = copies_by_original(store.copies())
    clusterer = ClaimClusterer()
    for row in rows:
        parties = {p for pos in row["positions"] for p in pos.get("parties") or []}
        clusterer.add(key(row), row["text"], published=row["published"], entities=sorted(parties))
    known = {key(r) for r in rows}
    overrides = store.overrides()
    # the user's latest choices first: an older one that contradicts them gives way
    for kind, a, b in reversed(overrides):
        if a in known and b in known:
            try:
                (clusterer.must_link if kind == "same" else clusterer.cannot_link)(a, b)
            except ValueError:
                continue
    labels = clusterer.clusters()
    _attach_pointers(rows, labels, {(a, b) for kind, a, b in overrides if kind == "apart"})
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[labels[key(row)]].append(row)
    assigned, summaries = {}, []
    for label, members in groups.items():
        cid = corpus_id(label)
        summaries.append(summary(cid, with_copies(members, copies)))
        for row in members:
            assigned[(row["article_id"], row["id"])] = cid
    store.set_corpus_claims(assigned, summaries)
    entities = corpus_entities(store.entity_rows())
    store.set_corpus_entities(entities)
    return {"claims": len(rows), "corpus_claims": len(summaries), "entities": len(entities)}


def _attach_pointers(rows: list[dict], labels: dict[str, str], apart: set[tuple[str, str]]) -> None:
    """A claim an article only points at ("Acme denied the report", "the claims are false") and never words
    joins the latest claim, first seen no later, that names one of the parties taking a position on it: news
    denies "the report" about itself. Claims that name no party of it, or come later, are never chosen."""
    named: dict[str, set[str]] = defaultdict(set)  # word -> labels of claims worded with it
    first: dict[str, tuple] = {}
    for row in rows:
        if is_pointer(row["text"]):
            continue
        label = labels[key(row)]
        for word in set(re.findall(r"\w+", row["text"].casefold())):
            named[word].add(label)
        seen = (row["published_ts"] is None, row["published_ts"] or 0)
        first[label] = min(first.get(label, seen), seen)
    members: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        members[labels[key(row)]].add(key(row))
    for row in rows:
        if not is_pointer(row["text"]):
            continue
        parties = {p for pos in row["positions"] for p in pos.get("parties") or []}
        found = set()
        for party in parties:
            words = party.split()
            if words:
                found |= set.intersection(*(named.get(w, set()) for w in words))
        when = (row["published_ts"] is None, row["published_ts"] or 0)
        k = key(row)
        choices = [(first[label], label) for label in found if first[label] <= when and not any(
            (k, m) in apart or (m, k) in apart for m in members[label])]
        if choices:
            latest = max(seen for seen, _ in choices)
            label = min(label for seen, label in choices if seen == latest)  # ties: a fixed choice
            members[labels[k]].discard(k)
            labels[k] = label
            members[label].add(k)


def timeline(store, cid: str) -> dict | None:
    """A corpus claim with its timeline: one entry per source's position in one article, in date order, each with
    the claim's status once it is counted."""
    return next(iter(timelines(store, [cid]).values()), None)


def timelines(store, cids: list[str]) -> dict[str, dict]:
    """The timelines (as `timeline`) of these corpus claims, by id, read together: a page of claims costs a few
    reads of the store, not a few per claim. Ids with no claims are left out."""
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in store.claim_rows(corpus_claim=list(cids)):
        grouped[row["corpus_claim"]].append(row)
    copies = copies_by_original(store.copies(sorted({r["article_id"] for rows in grouped.values() for r in rows})))
    grouped = {cid: with_copies(rows, copies) for cid, rows in grouped.items()}
    statements = store.statement_texts(list(grouped))
    return {cid: _timeline(cid, grouped[cid], statements) for cid in cids if cid in grouped}


def _timeline(cid: str, rows: list[dict], statements: dict[tuple[str, str], dict]) -> dict:
    ledger, entries = Ledger(), []
    for row, position, step in steps(rows):
        a = statements.get((row["article_id"], position["attribution"]))
        if "copy_of" in row:
            entries.append({"published": row["published"], "article_id": row["article_id"], "title": row["title"],
                            "outlet": row["outlet"], "url": row["url"], "claim": row["id"], "attribution": None,
                            "copy_of": row["copy_of"],
                            "source": row["outlet"], "source_entity": row["outlet"], "anonymous": False,
                            "on_record": False, "stance": "report", "cue": None, "content": row["text"], "via": None,
                            "status_after": ledger.add(step)})
            continue
        entries.append({
            "published": row["published"], "article_id": row["article_id"], "title": row["title"],
            "outlet": row["outlet"], "url": row["url"], "claim": row["id"], "attribution": position["attribution"],
            "source": a["source_text"] if a else None,
            "source_entity": a["source_entity"] if a else None,
            "anonymous": a["anonymous"] if a else False,
            "on_record": step.on_record,
            "stance": step.stance,
            "cue": a["cue_text"] if a else None,
            "content": a["content_text"] if a else None,
            "via": a["via_text"] or None if a else None,
            "status_after": ledger.add(step),
        })
    head = summary(cid, rows, ledger.status)
    return {"id": cid, "text": head["text"], "status": head["status"], "first_seen": head["first_seen"],
            "articles": head["articles"], "wordings": sorted({r["text"] for r in rows}), "timeline": entries}


def who(store, name: str, limit: int | None = None) -> list[dict]:
    """Every statement by `name` across the store, in date order, with the corpus claim it takes a position on.

    A name of an entity across the store (`according.link.entities`) brings its other names ("Peskov" finds
    "Dmitry Peskov") and those who speak for it ("Kremlin" finds its spokesperson, marked `speaking_for`);
    any other name matches the words of sources as written.
    """
    entities = store.corpus_entities(name)
    if not entities:
        return store.statements_by(name, limit=limit)
    spokespeople = [e for e in store.corpus_entities() if any(
        s.casefold() in {n.casefold() for x in entities for n in (x["name"], *x["aliases"])} for s in e["speaks_for"])]
    found: dict[tuple[str, str], dict] = {}
    for entity, speaking_for in [(e, None) for e in entities] + [(e, entities[0]["name"]) for e in spokespeople]:
        names = {n.casefold() for n in (entity["name"], *entity["aliases"])}
        for alias in names:
            for s in store.statements_by(alias):
                # "Acme spokeswoman Jane Roe" has Acme's words but is Jane Roe speaking: she is found as a spokesperson
                resolved = (s["source_entity"] or "").casefold()
                if resolved in names or (not resolved and speaking_for is None):
                    found.setdefault((s["article_id"], s["id"]), {**s, "speaking_for": speaking_for})
    ordered = sorted(found.values(), key=lambda s: (s["published"] is None, s["published"] or "", s["article_id"]))
    return ordered[:limit] if limit else ordered


def merge(store, ids: list[str]) -> None:
    """Make corpus claims one: each later one is kept with the first, whatever re-clustering finds."""
    if len(set(ids)) < 2:
        raise ClaimError("a merge needs at least two different claims")
    members = [[key(r) for r in store.claim_rows(corpus_claim=cid)] for cid in ids]
    store.add_overrides([("same", members[0][0], group[0]) for group in members[1:]])


def split(store, cid: str, given: list[str]) -> list[str]:
    """Take article claims (ARTICLE_ID:c1, the article id maybe shortened) out of a corpus claim into one of their
    own, whatever re-clustering finds; returns their full keys."""
    members = [key(r) for r in store.claim_rows(corpus_claim=cid)]
    keys = list(dict.fromkeys(member(k, members) for k in given))
    if not keys or set(keys) == set(members):
        raise ClaimError("a split must leave something behind: name some, not all, of the claim's article claims")
    rest = [m for m in members if m not in keys]
    store.add_overrides([("apart", a, b) for a in keys for b in rest] + [("same", keys[0], k) for k in keys[1:]])
    return keys


def member(given: str, members: list[str]) -> str:
    """The article claim of a corpus claim that `given` names as ARTICLE_ID:c1, the article id shortened as
    listings print it."""
    article, _, claim_id = given.rpartition(":")
    found = [m for m in members if m.startswith(article) and m.endswith(":" + claim_id)] if article else []
    if len(found) != 1:
        raise ClaimError(f"{given!r} names {'no' if not found else 'more than one'} article claim of this claim: "
                         "give ARTICLE_ID:CLAIM_ID as the claim's timeline lists them (article id, then claim)")
    return found[0]


def claims_of(store, keys: list[str]) -> list[str]:
    """The corpus claims that hold these article claims (ARTICLE_ID:c1), in the order of the keys."""
    wanted = set(keys)
    found = {key(r): r["corpus_claim"] for r in store.claim_rows() if key(r) in wanted}
    return list(dict.fromkeys(found[k] for k in keys if found.get(k)))
