"""How long `anomie --help` and `anomie scenarios` take to answer, each in a fresh interpreter.

Run as `python -m bench.cli_latency` (or through `make bench`). Target: under 0.3 s on the
2-core machine, which needs the commands not to import numba, dask, solara or the model.
The median of several starts is reported with the fastest and slowest, since a shared
machine's load moves single measurements.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {"help": ["--help"], "scenarios": ["scenarios"]}
TARGET_S = 0.3
REPEATS = 7


def time_command(args: list[str], repeats: int = REPEATS) -> list[float]:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "anomie.cli", *args], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return times


def run(repeats: int = REPEATS) -> dict:
    result: dict = {"target_s": TARGET_S}
    for name, args in COMMANDS.items():
        times = time_command(args, repeats)
        median = statistics.median(times)
        result[name] = {"median_s": median, "min_s": min(times), "max_s": max(times), "meets_target": median < TARGET_S}
    return result


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
