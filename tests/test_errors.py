"""The error table: one code per kind of error, each listed in the README."""
from pathlib import Path

import according.cli  # noqa: F401  (registers the CLI's own usage error)
from according.errors import AccordingError


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def test_errors_each_kind_has_its_own_code_and_the_readme_lists_it():
    kinds = list(subclasses(AccordingError))
    codes = [k.code for k in kinds]
    assert len(codes) == len(set(codes)), sorted(codes)
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert all(f"| {code} |" in readme for code in codes), [c for c in codes if f"| {c} |" not in readme]
