"""A small corpus for the ingest tests, and a snapshot of everything a store holds, to compare runs row by row.

The articles are short news items in the shapes the extractor reads (direct quotes, reported speech, denials,
anonymous sources), each different enough from the others not to count as a near-copy, plus wire copies of some
of them (another headline, an agency footer) and an exact repeat, so that linking and skipping are exercised.
"""
import json
from pathlib import Path

from according.ingest.dedupe import signature, similarity

PEOPLE = ["Ana Soto", "Dmitry Peskov", "Maria Lindqvist", "Tomas Berger", "Grace Okafor", "Hiro Tanaka",
          "Lena Fischer", "Omar Haddad", "Sofia Marquez", "Piet de Vries", "Nadia Petrova", "Kwame Mensah",
          "Elena Rossi", "Jonas Weber", "Aisha Khan", "Marek Nowak", "Chloe Martin", "Ivan Horvat",
          "Yuki Sato", "Liam Byrne", "Zara Ahmed", "Mateo Silva", "Ingrid Dahl", "Felix Braun"]
ROLES = ["the harbour master", "the finance minister", "a union secretary", "the mayor", "the police chief",
         "a company spokesperson", "the health commissioner", "the airport director"]
TOPICS = ["the dock strike", "the budget vote", "the bridge closure", "the water contract", "the ferry tender",
          "the school merger", "the pension reform", "the stadium deal", "the fishing quota", "the rail link"]
PLACES = ["Valdora", "Kessport", "Marrow Bay", "Ostrava", "Lindholm", "Port Ellis", "Caldera", "Brenn"]
OUTLETS = ["Coastal Ledger", "Evening Wire", "Harbour Times", "Daily Courant"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def article_text(i: int) -> tuple[str, str]:
    """Article i: (title, body), about a hundred words with four attributions in different shapes."""
    who, other = PEOPLE[i % len(PEOPLE)], PEOPLE[(i * 7 + 3) % len(PEOPLE)]
    role, topic = ROLES[i % len(ROLES)], TOPICS[(i * 3) % len(TOPICS)]
    place, day, n = PLACES[(i * 5) % len(PLACES)], DAYS[i % len(DAYS)], 11 + i * 13
    title = f"{place} officials clash over {topic.removeprefix('the ')} ({i})"
    body = (
        f"{who}, {role} of {place}, said on {day} that {topic} would cost at least {n} million euros more than "
        f"planned. \"We were told the figures in {place} were final, and they were not,\" {who.split()[-1]} told "
        f"reporters outside the council building.\n\n"
        f"{other} denied that the council had hidden {n + 4} pages of the audit on {topic}. According to two "
        f"officials close to the talks, the vote on {topic} may be delayed until after {DAYS[(i + 2) % 5]}.\n\n"
        f"Residents of {place} have protested every week since the plan for {topic} was announced, and a petition "
        f"signed by {n * 17} people asks for a public hearing.")
    return title, body


def wire_copy(title: str, body: str, agency: str) -> tuple[str, str]:
    """The same story as a syndicated copy: its own headline and an agency footer."""
    return f"{title.split(' (')[0]}: what we know", f"{body}\n\n(Reporting by {agency}; editing by the desk.)"


def corpus(n: int, copies: tuple[int, ...] = (2, 9), repeat: int | None = 4) -> list[dict]:
    """Documents `{"id", "title", "text", "outlet", "published"}`: n originals, wire copies of `copies`, a repeat."""
    docs = []
    for i in range(n):
        title, body = article_text(i)
        docs.append({"id": f"d{i:03d}", "title": title, "text": f"{title}\n\n{body}",
                     "outlet": OUTLETS[i % len(OUTLETS)], "published": f"2024-11-{i % 28 + 1:02d}"})
        if i in copies:
            copy_title, copy_body = wire_copy(title, body, "Evening Wire")
            docs.append({"id": f"c{i:03d}", "title": copy_title, "text": f"{copy_title}\n\n{copy_body}",
                         "outlet": "Evening Wire", "published": f"2024-11-{i % 28 + 2:02d}"})
        if i == repeat:
            docs.append(dict(docs[-1], id=f"r{i:03d}"))
    return docs


def write_jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def write_folder(folder: Path, docs: list[dict]) -> Path:
    """One text file per document (title on the first line), named so that folder order is input order."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, d in enumerate(docs):
        (folder / f"{n:03d}-{d['id']}.txt").write_text(d["text"] + "\n", encoding="utf-8")
    return folder


def snapshot(store) -> dict:
    """Every stored row but the time of ingestion, in a fixed order: two stores are the same iff this is equal."""
    def rows(sql):
        return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in store._read(sql)]

    # Columns named (not *): PostgreSQL's tables also hold their search vectors.
    articles = "id, title, url, outlet, author, language, published, origin, duplicate_of, outlet_key, " \
               "published_ts, signature, text"
    roles = ", ".join(f"{role}, {role}_text" for role in ("source", "cue", "content", "via"))
    attributions = f"article_id, id, ordinal, {roles}, stance, kind, parent, source_entity, anonymous, hedged, " \
                   "source_key"
    return {"articles": rows(f"SELECT {articles} FROM articles ORDER BY id"),
            "attributions": rows(f"SELECT {attributions} FROM attributions ORDER BY article_id, ordinal"),
            "entities": rows("SELECT article_id, ordinal, name, label, role, mentions FROM entities"
                             " ORDER BY article_id, ordinal")}


def test_pipeline_corpus_originals_are_not_near_copies_and_copies_are():
    docs = corpus(40)
    originals = [d for d in docs if d["id"].startswith("d")]
    sigs = [signature(d["text"]) for d in originals]
    closest = max(similarity(a, b) for n, a in enumerate(sigs) for b in sigs[n + 1:])
    assert closest < 0.5, closest
    for copy in (d for d in docs if d["id"].startswith("c")):
        original = next(d for d in originals if d["id"] == "d" + copy["id"][1:])
        assert similarity(signature(copy["text"]), signature(original["text"])) >= 0.8
