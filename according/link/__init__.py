"""`link`: what one article's statements amount to, and the same claims across articles.

- `article`: the claims of one article and each source's position toward them, from its attributions alone.
- `stance`: what an article does with a claim given from outside (assert, deny, report, unrelated), by a small
  trained network over its words and its attributions.
"""
