"""Find attributions in a parsed Doc (placeholder: reporting verbs with a subject and a clause)."""
from __future__ import annotations

from according.model import Attribution


def find_attributions(doc):
    out = []
    for tok in doc:
        if tok.lemma_ in ("say", "deny", "report") and tok.pos_ == "VERB":
            subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            comp = [c for c in tok.children if c.dep_ in ("ccomp", "dobj")]
            if comp:
                s = [(subj[0].left_edge.idx, subj[0].right_edge.idx + len(subj[0].right_edge))] if subj else []
                c = comp[0]
                out.append(Attribution(id=f"a{len(out) + 1}", source=s, cue=[(tok.idx, tok.idx + len(tok))],
                                       content=[(c.left_edge.idx, c.right_edge.idx + len(c.right_edge))]))
    return out
