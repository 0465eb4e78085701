"""From the Doc's extensions to plain `Analysis` data, and pieces of a long text back into one."""
from __future__ import annotations

from according.model import Analysis, Attribution, Entity


def doc_to_analysis(doc) -> Analysis:
    return Analysis(text=doc.text, attributions=list(doc._.attributions), entities=list(doc._.entities))


def merge_chunks(record: dict, parts: list[tuple[int, Analysis]]) -> Analysis:
    meta = {k: v for k, v in record.items() if k not in ("id", "text") and v is not None}
    if len(parts) == 1 and parts[0][0] == 0:
        a = parts[0][1]
        a.id, a.meta, a.text = record.get("id"), meta, record["text"]
        return a
    out = Analysis(text=record["text"], id=record.get("id"), meta=meta)
    names: dict[str, Entity] = {}
    for n, (offset, part) in enumerate(parts):
        shift = lambda spans: [(s + offset, e + offset) for s, e in spans]  # noqa: E731
        prefix = f"c{n}."
        for a in part.attributions:
            out.attributions.append(Attribution(
                id=prefix + a.id, source=shift(a.source), cue=shift(a.cue), content=shift(a.content),
                stance=a.stance, kind=a.kind, parent=prefix + a.parent if a.parent else None,
                source_entity=a.source_entity, anonymous=a.anonymous, hedged=a.hedged, via=shift(a.via)))
        for e in part.entities:
            known = names.get(e.name)
            if known:
                known.mentions.extend(shift(e.mentions))
                known.role = known.role or e.role
            else:
                names[e.name] = Entity(e.name, e.label, e.role, shift(e.mentions))
    out.entities = list(names.values())
    return out
