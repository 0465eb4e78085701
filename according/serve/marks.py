"""An article's text with every statement marked: the source, cue and content of each attribution in marks of
their own, nested where statements nest, the text escaped.

Spans overlap (a statement sits inside another's content), which HTML elements cannot do across each other. So
the text is cut at every span boundary into pieces that are each inside or outside every span, and each piece
carries its own stack of marks, the longest span outermost. Offsets stay exact: the page's text, read back
without its tags, is the article's text.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from according.model import Attribution

ROLES = ("source", "cue", "content")


@dataclass(frozen=True)
class Layer:
    attribution: str
    role: str
    length: int  # of the whole span: longer spans are drawn outside shorter ones


def pieces(text: str, attributions: list[Attribution]) -> list[tuple[int, int, list[Layer]]]:
    """(start, end, layers outermost first) for consecutive pieces of `text` that cover it."""
    spans = [(max(0, s), min(len(text), e), Layer(a.id, role, e - s))
             for a in attributions for role in ROLES for s, e in getattr(a, role) if s < e]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = []
    for start, end in zip(cuts, cuts[1:]):
        layers = [layer for s, e, layer in spans if s <= start and end <= e]
        out.append((start, end, sorted(layers, key=lambda x: (-x.length, x.attribution, x.role))))
    return out


def marked_text(text: str, attributions: list[Attribution], stances: dict[str, str]) -> Markup:
    """The text as HTML: `<mark class="m-ROLE stance-STANCE" data-a=ID data-role=ROLE>` around each span piece;
    the first piece of each statement is focusable and anchored (`id="at-ID"`), so the keyboard reaches every
    statement once and a link can point at it."""
    seen: set[str] = set()
    html = []
    for start, end, layers in pieces(text, attributions):
        opened = []
        for layer in layers:
            first = layer.attribution not in seen
            seen.add(layer.attribution)
            a = escape(layer.attribution)
            extra = f' id="at-{a}" tabindex="0" aria-describedby="st-{a}"' if first else ""
            opened.append(f'<mark class="m-{layer.role} stance-{escape(stances.get(layer.attribution, ""))}"'
                          f' data-a="{a}" data-role="{layer.role}"{extra}>')
        html.append("".join(opened) + str(escape(text[start:end])) + "</mark>" * len(opened))
    return Markup("".join(html))
