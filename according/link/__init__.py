"""`link`: what one article's statements amount to, and the same claims across articles.

- `article`: the claims of one article and each source's position toward them, from its attributions alone.
- `cluster`: claims of many articles grouped into corpus claims, paraphrases included, the same in any order.
- `embed`: sentence vectors for `cluster`, optional (`pip install 'according[semantic]'`).
"""
