"""Does memory grow per step? Traced memory over 1,000 weeks.

Run as `python -m bench.memory_growth --n 10000 --steps 1000` (1,000 weeks after 20 of warm-up). Python's tracemalloc (which
numpy reports its array buffers to) gives the live bytes at checkpoints. Two things may
legitimately change: the recorded metrics (one row per week: that is the output) and the
number of ties (ties break and form). So at each checkpoint the metrics history is
measured and then cleared, the arrays of citizens and ties are counted, and what is left
(`other`) is everything else the model holds; it must stay flat.
"""

from __future__ import annotations

import argparse
import gc
import tracemalloc

import numpy as np

from bench._util import emit, peak_rss_bytes, rss_bytes
from bench.model_speed import SCENARIO, network_bytes


# numpy reports its data buffers to tracemalloc in its own domain. It keeps freed buffers
# under 1 KiB in a bounded cache (7 per size, about 3.6 MB at most) that tracemalloc still
# sees as live; that cache fills over the first hundreds of weeks and would look like
# growth. A leaked small array would still show, through its Python object (domain 0).
NUMPY_DOMAIN = 389047
NUMPY_SMALL_CACHE_LIMIT = 1024


def _traced() -> int:
    """Live traced bytes, leaving out numpy's cache of small freed buffers."""
    gc.collect()
    snap = tracemalloc.take_snapshot()
    return sum(t.size for t in snap.traces if not (t.domain == NUMPY_DOMAIN and t.size < NUMPY_SMALL_CACHE_LIMIT))


def _clear_history(model) -> None:
    """Drop the recorded rows: the metric values and the times they were taken at."""
    dc = model.datacollector
    for values in dc.model_vars.values():
        values.clear()
    if hasattr(dc, "_collection_steps"):
        dc._collection_steps.clear()


def measure(n: int, steps: int, every: int = 100, warmup: int = 20) -> dict:
    from anomie.scenarios.loading import build_model

    every = max(1, min(every, steps // 4))  # at least five checkpoints, so both halves have a slope
    tracemalloc.start()
    m = build_model(SCENARIO, seed=1, n_citizens=n)
    for _ in range(warmup):  # first-use allocations (caches, lazy imports) are not growth
        m.step()
    _clear_history(m)
    points = []
    for done in range(warmup, warmup + steps + 1, every):
        if done > warmup:
            for _ in range(every):
                m.step()
        with_history = _traced()
        _clear_history(m)
        total = _traced()
        arrays = m.citizens.nbytes() + network_bytes(m.network)
        points.append(
            {
                "step": done,
                "traced_bytes": total,
                "history_bytes": with_history - total,
                "array_bytes": arrays,
                "other_bytes": total - arrays,
                "n_ties": int(m.network.n_ties),
                "rss_bytes": rss_bytes(),
            }
        )
    tracemalloc.stop()
    steps_axis = np.array([p["step"] for p in points], dtype=float)
    other = np.array([p["other_bytes"] for p in points], dtype=float)
    total = np.array([p["traced_bytes"] for p in points], dtype=float)
    hist = [p["history_bytes"] for p in points[1:]]
    half = len(points) // 2
    return {
        "n_citizens": n,
        "steps": steps,
        "scenario": SCENARIO,
        "checkpoints": points,
        # least-squares slopes, bytes per week; the second half shows the steady state
        "other_bytes_per_step": float(np.polyfit(steps_axis[half:], other[half:], 1)[0]),
        "other_bytes_per_step_whole_run": float(np.polyfit(steps_axis, other, 1)[0]),
        "traced_bytes_per_step": float(np.polyfit(steps_axis, total, 1)[0]),
        "history_bytes_per_step": float(np.mean(hist) / every) if hist else 0.0,
        "other_bytes_growth": float(other[-1] - other[0]),
        "peak_rss_bytes": peak_rss_bytes(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--every", type=int, default=100)
    a = ap.parse_args()
    emit(measure(a.n, a.steps, a.every))


if __name__ == "__main__":
    main()
