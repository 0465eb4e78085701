"""according: who said what, according to whom, in news articles.

    >>> import according
    >>> analysis = according.analyze("The minister denied the report, officials said.")
    >>> [a.stance for a in analysis.attributions]
"""
from according.model import Analysis, Article, Attribution, Entity

__version__ = "0.1.0"
__all__ = ["analyze", "Analysis", "Article", "Attribution", "Entity", "__version__"]


def analyze(text: str, *, id: str | None = None, title: str | None = None, url: str | None = None,
            outlet: str | None = None, author: str | None = None, language: str | None = None,
            published: str | None = None, origin: str | None = None) -> Analysis:
    """Read one article with the default English pipeline (loaded once per process).

    The metadata are `Article`'s fields, by keyword; a misspelt one (`titel=`) is a `TypeError`, not lost. Code
    points no file can hold (a lone surrogate such as "\\ud800") become U+FFFD, one for one, so offsets hold.
    """
    from according.extract import default_extractor
    from according.ingest.records import valid_text
    from according.link import with_claims

    if not isinstance(text, str):
        raise TypeError(f"according.analyze() reads a str, not {type(text).__name__}: decode bytes first")
    given = {"title": title, "url": url, "outlet": outlet, "author": author, "language": language,
             "published": published, "origin": origin}
    meta = {key: valid_text(value) if isinstance(value, str) else value for key, value in given.items()
            if value is not None}
    analysis = default_extractor().analyze(valid_text(text), id=valid_text(id) if isinstance(id, str) else id,
                                           **meta)
    return with_claims(analysis)
