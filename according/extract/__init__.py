"""Per-article extraction: text in, `Analysis` out. Pure function of the text: no I/O beyond loading the model."""
from according.extract.extractor import Extractor, default_extractor

__all__ = ["Extractor", "default_extractor"]
