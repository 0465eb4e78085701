"""`link`: what one article's statements amount to, and the same claims across articles.

- `article`: the claims of one article and each source's position toward them, from its attributions alone.
- `status`: a claim's status, derived step by step from the positions taken on it.
- `timeline`: a corpus claim's positions across articles in date order, with the status after each.
"""
from __future__ import annotations

from according.model import Analysis


def with_claims(analysis: Analysis) -> Analysis:
    """The analysis with its claims filled in (`Analysis.claims`), for everything downstream of reading."""
    from according.link.article import link_article

    analysis.claims = link_article(analysis)
    return analysis
