"""according: who said what, according to whom, in news articles.

    >>> import according
    >>> analysis = according.analyze("The minister denied the report, officials said.")
    >>> [a.stance for a in analysis.attributions]
"""
from according.model import Analysis, Article, Attribution, Entity

__version__ = "0.1.0"
__all__ = ["analyze", "Analysis", "Article", "Attribution", "Entity", "__version__"]


def analyze(text: str, **meta) -> Analysis:
    """Read one article with the default English pipeline (loaded once per process)."""
    from according.extract import default_extractor
    from according.link import with_claims

    return with_claims(default_extractor().analyze(text, **meta))
