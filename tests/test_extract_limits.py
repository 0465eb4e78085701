"""Per-article limits with the real extractor: an article over them fails alone, with its reason, in every engine."""
import pytest

from according.errors import LimitError
from according.extract.limits import Limits
from according.scale import run

pytestmark = pytest.mark.slow

DOCS = [{"id": "a", "text": "The harbour master said that the cranes would stay idle."},
        {"id": "b", "text": "The port authority denied reports that it had offered a bonus."}]
NONE_LEFT = Limits(seconds=1e-9)  # every article is over it as soon as a piece of it is read


def test_extract_limits_name_the_article_that_goes_over():
    from according.extract import default_extractor

    with pytest.raises(LimitError, match=r"^\[A110\] a text of 62 characters \(id 'b'\) took longer") as e:
        list(default_extractor().pipe(DOCS[1:], limits=NONE_LEFT))
    assert e.value.record["id"] == "b"
    assert list(default_extractor().pipe(DOCS))[1].attributions  # no limits by default in the library


@pytest.mark.parametrize("engine", ["local", "pool"])
def test_extract_limits_fail_each_article_over_them_and_the_run_goes_on(engine):
    results = list(run(DOCS * 2, engine=engine, processes=1, batch_size=3, limits=NONE_LEFT))
    assert [r.id for r in results] == ["a", "b", "a", "b"]
    assert all(r.error.startswith("[A110]") and "--time-limit" in r.error for r in results)
    within = list(run(DOCS, engine=engine, processes=1))  # the default limits leave news alone
    assert all(r.analysis["attributions"] for r in within)
