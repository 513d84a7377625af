"""Output files are written to a temporary name and renamed: a kill leaves the old file or the new one.

A child process writes a large table again and again to the same target with
`experiments.storage.write_table` (Parquet and CSV), each version filled with its own
number. The test kills it with SIGKILL at random moments and then reads the target: it
must be absent (nothing finished yet) or a complete table of one version, never half of
one. A temporary file left behind by the kill proves that the kill did land mid-write.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[2]
ROWS = 200_000  # large enough that one write takes a good fraction of a second

WRITER = textwrap.dedent(f"""
    import sys
    sys.path.insert(0, {str(ROOT)!r})
    import numpy as np, pandas as pd
    from anomie.experiments.storage import write_table

    target = sys.argv[1]
    rng = np.random.default_rng(0)
    base = pd.DataFrame({{"x": rng.random({ROWS}), "y": rng.random({ROWS}), "label": ["citizen"] * {ROWS}}})
    version = 0
    print("ready", flush=True)
    while True:
        version += 1
        df = base.assign(version=version)
        write_table(df, target, {{"version": version}})
""")


def read_version(target: Path) -> int | None:
    """The version in a complete target, None if absent; fails the test on a partial file."""
    if not target.exists():
        return None
    if target.suffix == ".parquet":
        df = pq.read_table(target).to_pandas()
    else:
        df = pd.read_csv(target, index_col=0)
        sidecar = target.with_suffix(".json")
        assert sidecar.exists(), "the csv's metadata sidecar is missing"
        json.loads(sidecar.read_text())  # complete JSON
    assert len(df) == ROWS, f"partial table: {len(df)} of {ROWS} rows"
    versions = df["version"].unique()
    assert versions.size == 1, f"rows from several versions: {versions[:5]}"
    assert df["x"].notna().all() and (df["label"] == "citizen").all()
    return int(versions[0])


@pytest.mark.parametrize("suffix", [".parquet", pytest.param(".csv", marks=pytest.mark.slow)])  # one writer in the quick tier
def test_sigkill_mid_write_leaves_old_or_new_file_never_half(suffix, tmp_path):
    target = tmp_path / f"table{suffix}"
    rnd = random.Random(6)
    kills_mid_write = 0
    seen_versions = set()
    for attempt in range(4):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True)
        try:
            assert proc.stdout.readline().strip() == "ready"
            time.sleep(rnd.uniform(0.0, 1.0))
            if attempt % 2 == 0:
                # aim: wait until a complete version is in place and the next one is being
                # written to its temporary file, then kill at once
                deadline = time.monotonic() + 60
                while not (target.exists() and list(tmp_path.glob(".*.tmp"))) and time.monotonic() < deadline:
                    time.sleep(0.001)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        if list(tmp_path.glob(".*.tmp")):
            kills_mid_write += 1
        seen_versions.add(read_version(target))
        for p in tmp_path.glob(".*.tmp"):
            p.unlink()  # a temporary is never the target: clearing it is safe
    assert kills_mid_write >= 1, "no kill landed during a write; the test proved nothing"
    assert seen_versions - {None}, "no write ever completed: the table is too large for the test's timing"


def test_interrupted_write_keeps_the_previous_version(tmp_path):
    """Write version 1 completely, then kill a writer during version 2: version 1 (or 2, complete) remains."""
    from anomie.experiments.storage import write_table

    target = tmp_path / "table.parquet"
    df = pd.DataFrame({"x": range(ROWS), "y": 0.5, "label": "citizen", "version": 1})
    write_table(df, target, {"version": 1})
    assert read_version(target) == 1
    script = WRITER.replace("version = 0", "version = 1")  # the child writes versions 2, 3, ...
    proc = subprocess.Popen([sys.executable, "-c", script, str(target)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        # kill while the first write of the child is under way: a temporary exists, the rename has not happened
        deadline = time.monotonic() + 20
        while not list(tmp_path.glob(".*.tmp")) and time.monotonic() < deadline:
            time.sleep(0.002)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert list(tmp_path.glob(".*.tmp")), "the writer never started a temporary file"
    assert read_version(target) in (1, 2)
    assert os.path.getsize(target) > 0


def test_atomic_outputs_get_the_permissions_of_an_ordinary_file(tmp_path):
    """A temporary name must not change who can read the result: the file gets 0666 minus the umask.

    tempfile.mkstemp creates files readable by their owner only (0600); renamed into place
    as they are, a results table would be unreadable to the rest of a research group.
    """
    from anomie.experiments.storage import write_table

    old = os.umask(0o022)
    try:
        paths = write_table(pd.DataFrame({"x": [1.0]}), tmp_path / "t.csv", {"v": 1})
        paths += write_table(pd.DataFrame({"x": [1.0]}), tmp_path / "t.parquet", {"v": 1})
    finally:
        os.umask(old)
    for p in paths:
        assert p.stat().st_mode & 0o777 == 0o644, f"{p.name}: {oct(p.stat().st_mode & 0o777)}"
