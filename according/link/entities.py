"""People, organisations and outlets across articles: one entity for "Dmitry Peskov" in one article and "Peskov"
in another, with the organisations each speaks for, read from its roles ("Kremlin spokesperson").

Each article already resolves its own mentions (`according.extract.cast`); across articles a name is the same
entity when it is the same words, or when a one-word name is the only longer name of its kind that it ends (a
person's surname) or starts (an organisation's short form: "Norvale" for "Norvale Shipping").
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

PEOPLE = ("PERSON",)
BODIES = ("ORG", "OUTLET", "GPE")


def corpus_entities(rows: list[tuple[str, str, str, str | None]]) -> list[dict]:
    """Entities from (article id, name, label, role) rows: name, label, aliases, roles, speaks_for, articles."""
    forms: dict[str, Counter] = defaultdict(Counter)
    labels: dict[str, Counter] = defaultdict(Counter)
    roles: dict[str, Counter] = defaultdict(Counter)
    articles: dict[str, set] = defaultdict(set)
    for article_id, name, label, role in rows:
        k = name.casefold()
        forms[k][name] += 1
        labels[k][label] += 1
        articles[k].add(article_id)
        if role:
            roles[k][role] += 1
    label_of = {k: c.most_common(1)[0][0] for k, c in labels.items()}
    # the longer names each one-word name could be short for: people by their last word, bodies by their first
    by_last: dict[str, list[str]] = defaultdict(list)
    by_first: dict[str, list[str]] = defaultdict(list)
    for k in forms:
        if " " in k:
            (by_last[k.rsplit(" ", 1)[1]] if label_of[k] in PEOPLE else by_first[k.split(" ", 1)[0]]).append(k)
    home = {k: k for k in forms}
    for k in forms:
        if " " in k:
            continue
        longer = by_last[k] if label_of[k] in PEOPLE else by_first[k] if label_of[k] in BODIES else []
        longer = [o for o in longer if label_of[o] in (PEOPLE if label_of[k] in PEOPLE else BODIES)]
        if len(longer) == 1:
            home[k] = longer[0]
    members: dict[str, list[str]] = defaultdict(list)
    for k, h in home.items():
        members[h].append(k)
    bodies = {h for h in members if label_of[h] in BODIES}
    out = []
    for h, ks in members.items():
        all_forms = Counter()
        for k in ks:
            all_forms.update(forms[k])
        name = forms[h].most_common(1)[0][0]
        role_counts = Counter()
        for k in ks:
            role_counts.update(roles[k])
        speaks_for = sorted({forms[b].most_common(1)[0][0] for r in role_counts for b in _bodies_in(r, bodies)
                             if b != h})
        out.append({"name": name, "label": label_of[h],
                    "aliases": sorted(f for f in all_forms if f != name),
                    "roles": [r for r, _ in role_counts.most_common()], "speaks_for": speaks_for,
                    "articles": len(set().union(*(articles[k] for k in ks)))})
    return sorted(out, key=lambda e: (-e["articles"], e["name"]))


def _bodies_in(role: str, bodies: set[str]) -> list[str]:
    """The organisations a role names ("Acme Shipping spokeswoman": Acme Shipping): its runs of words that are a
    body's name, looked up rather than searched for, so the cost follows the role's length, not the corpus."""
    words = re.findall(r"[\w.&'-]+", role.casefold())
    return [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(len(words), i + 6) + 1)
            if " ".join(words[i:j]) in bodies]
