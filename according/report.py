"""The who-said-what of one article, written for a person reading it in a terminal."""
from __future__ import annotations

from according.model import Analysis


def render(analysis: Analysis) -> str:
    """Plain text, one block per claim (placeholder until the chain view lands)."""
    lines = []
    for a in analysis.attributions:
        who = analysis.text_of(a.source) or "(unnamed)"
        lines.append(f"{who} [{a.stance}] {analysis.text_of(a.content)}")
    return "\n".join(lines)
