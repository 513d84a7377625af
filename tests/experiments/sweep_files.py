"""Tiny sweep files shared by the sweep tests.

A module of its own, not conftest.py: several test folders have a conftest, and a test
that imported `conftest` got whichever of them pytest had loaded last.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

# A model sweep small enough to run in well under a second per run.
TINY_MODEL_SWEEP = """
title = "tiny staffing grid"
scenario = "crash"
design = "grid"
replications = 2
steps = 25
master_seed = 20261123
metrics = ["share_anomie", "mean_hazard", "open_cases"]

[fixed]
n_citizens = 100
"shocks.0.start" = 5
"shocks.0.ramp" = 1

[parameters.social_workers_per_1000]   # 0, 2 and 6 posts at 100 citizens
values = [0.0, 20.0, 60.0]

[parameters.casework_effect]
values = [0.02, 0.2]
"""


def write_sweep(folder: Path, text: str, name: str = "sweep.toml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path
