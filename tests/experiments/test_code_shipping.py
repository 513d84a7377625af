"""The zip shipped to Dask workers holds everything a run needs: a bare interpreter can run one from it."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest

from anomie.experiments import worker_loader
from anomie.experiments.executors import NAMESPACE, SHIPPED_PACKAGES, code_archive

pytestmark = pytest.mark.slow  # a fresh interpreter runs a whole task; the code hash tests in tests/robustness stay quick

# An interpreter that cannot see the project (its editable install is switched off, the
# repository is not on the path) imports the packages from the zip alone and runs a task.
BARE = r"""
import json, sys
sys.meta_path = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
sys.path = [p for p in sys.path if p not in ("", ".", REPO)]
try:
    import anomie.model as model
    raise SystemExit("the project is importable without the zip")
except ImportError:
    pass
# the finder a Dask worker installs (experiments/worker_loader.py travels by value)
import importlib.util
spec = importlib.util.spec_from_file_location("worker_loader", LOADER)
loader = importlib.util.module_from_spec(spec)
spec.loader.exec_module(loader)
sys.meta_path.insert(0, loader.FromArchive(ZIP, PACKAGES))
from anomie.experiments.runner import execute
task = json.loads(TASK)
result = execute(task)
print(json.dumps({"row": result["row"], "file": __import__("anomie.model", fromlist=["_"]).__file__}))
"""


def test_a_bare_interpreter_runs_a_task_from_the_shipped_zip(tmp_path):
    from anomie.experiments.runner import execute
    from anomie.scenarios.loading import load_scenario

    zpath = code_archive(tmp_path)
    names = zipfile.ZipFile(zpath).namelist()
    assert "model/model.py" in names and "scenarios/presets/baseline.toml" in names and "experiments/runner.py" in names
    assert "anomie/__init__.py" in names
    task = {"run": 0, "point": 0, "replication": 0, "seed": 5, "values": {"social_workers_per_1000": 2.0}, "target": "model",
            "scenario": load_scenario("baseline").model_dump(), "steps": 4, "metrics": ["share_anomie"],
            "summaries": ["peak", "final"], "baseline_until": 0, "tolerance": 0.1}
    code = BARE.replace("REPO", repr(str(code_archive.__globals__["PROJECT_ROOT"]))).replace("ZIP", repr(str(zpath)))
    code = code.replace("TASK", repr(json.dumps(task))).replace("LOADER", repr(worker_loader.__file__))
    code = code.replace("PACKAGES", repr((NAMESPACE, *SHIPPED_PACKAGES)))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["file"].startswith(str(zpath))
    here = execute(task)["row"]
    assert out["row"]["status"] == "ok"
    assert {k: out["row"][k] for k in ("peak_share_anomie", "final_share_anomie")} == \
           {k: here[k] for k in ("peak_share_anomie", "final_share_anomie")}
