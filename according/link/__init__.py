"""`link`: what one article's statements amount to, and the same claims across articles.

- `article`: the claims of one article and each source's position toward them, from its attributions alone.
- `status`: a claim's status, derived step by step from the positions taken on it.
- `cluster`: claims of many articles grouped into corpus claims, paraphrases included, the same in any order.
- `embed`: sentence vectors for `cluster`, optional (`pip install 'according[semantic]'`).
- `corpus`: the claims of every stored article clustered into corpus claims, with timelines; `entities`: people,
  organisations and outlets across articles.
- `stance`: what an article does with a claim given from outside (assert, deny, report, unrelated), by a small
  trained network over its words and its attributions.
"""
from __future__ import annotations

from according.model import Analysis


def with_claims(analysis: Analysis) -> Analysis:
    """The analysis with its claims filled in (`Analysis.claims`), for everything downstream of reading."""
    from according.link.article import link_article

    analysis.claims = link_article(analysis)
    return analysis
