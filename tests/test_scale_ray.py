"""The Ray engine gives what the in-process engine gives, on a local Ray cluster; it skips where Ray is absent."""
import sys

import pytest

from according.scale import Failed, run
from according.errors import ModelError
from according.extract.limits import Limits
from according.scale.engine import EngineError

TEXTS = ["The harbour master said that the cranes would stay idle.",
         "\"We will not go back. Not for that offer,\" union secretary Ana Soto told reporters.",
         "",
         "The port authority denied reports that it had offered a secret bonus, according to the Coastal Ledger."]


def test_scale_ray_missing_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    with pytest.raises(EngineError, match=r"according\[ray\]"):
        next(run([{"id": "a", "text": "x"}], engine="ray"))


@pytest.mark.slow
def test_scale_ray_matches_local_engine():
    ray = pytest.importorskip("ray", reason="the Ray engine is an optional extra: pip install 'according[ray]'")
    docs = [{"id": f"d{i}", "text": t} for i, t in enumerate(TEXTS * 5)] + [{"id": "no-text"}]
    try:
        on_ray = list(run(docs, engine="ray", processes=2, batch_size=3))
        with pytest.raises(ModelError, match=r"^\[A200\] cannot load the spaCy pipeline 'no_such_pipeline_xyz'"):
            list(run(docs, engine="ray", processes=2, model="no_such_pipeline_xyz"))
        over = list(run(docs[:4], engine="ray", processes=2, limits=Limits(seconds=1e-9)))
    finally:
        ray.shutdown()
    local = list(run(docs, batch_size=3))
    assert on_ray == local
    assert [r.id for r in on_ray] == [d["id"] for d in docs]
    assert sum(isinstance(r, Failed) for r in on_ray) == 6
    assert on_ray[0].analysis["attributions"] and on_ray[3].analysis["attributions"]
    # every article is over a limit of a nanosecond: each fails with its reason, and the run goes on
    assert [r.id for r in over] == ["d0", "d1", "d2", "d3"]
    assert all(r.error.startswith("[A110]") for r in over if r.id != "d2")
