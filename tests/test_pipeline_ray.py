"""`according ingest --engine ray` stores exactly what the local engine stores, on a local Ray cluster of 2 CPUs
that listens on loopback only and sends no usage reports. Skips, saying how to install it, where Ray is absent.

The Ray side runs in a fresh interpreter, as the command does: Ray reads its network settings when it is first
imported, which in this test process may already have happened.
"""
import json
import subprocess
import sys

import pytest
from test_pipeline_corpus import corpus, snapshot, write_jsonl

from according.corpus import ingest
from according.store import open_store

pytestmark = pytest.mark.slow

RUN_THEN_DESCRIBE_CLUSTER = """
import json, os, sys
from according.cli import app
try:
    app(sys.argv[1:], prog_name="according", standalone_mode=False)
finally:
    import ray
    print(json.dumps({"cpus": ray.cluster_resources().get("CPU"),
                      "nodes": sorted({n["NodeManagerAddress"] for n in ray.nodes()}),
                      "usage_stats": os.environ.get("RAY_USAGE_STATS_ENABLED")}))
    ray.shutdown()
"""


def test_pipeline_ray_engine_stores_what_the_local_engine_stores(tmp_path):
    pytest.importorskip("ray", reason="the Ray engine is an optional extra: pip install 'according[ray]'")
    path = write_jsonl(tmp_path / "docs.jsonl", corpus(12, copies=(2, 7), repeat=4))
    done = subprocess.run([sys.executable, "-c", RUN_THEN_DESCRIBE_CLUSTER, "ingest", str(path), "--db",
                           str(tmp_path / "ray.db"), "--engine", "ray", "--processes", "2", "--batch-size", "3"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "12 stored, 2 near-copies linked, 1 already stored, 0 failed" in done.stderr
    cluster = json.loads(done.stdout.splitlines()[-1])
    assert cluster == {"cpus": 2, "nodes": ["127.0.0.1"], "usage_stats": "0"}
    with open_store(tmp_path / "local.db") as local, open_store(tmp_path / "ray.db") as on_ray:
        ingest([str(path)], local, engine="local")
        assert snapshot(on_ray) == snapshot(local)
        assert sum(len(on_ray.get(i)[1].attributions) for i in on_ray.ids()) > 12
