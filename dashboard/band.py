"""The comparison's band over seeds: the same difference on a few other seeds, in the background.

One run pair on one seed cannot say whether a difference in cohesion is the effect or
chance. A few other seeds at a small population give the range in which the difference
falls by chance (with common random numbers, the pairs share everything but the change).
They run in one worker process, so that playing the tab's own run is not held up by
Python's global interpreter lock; the page draws the band when it arrives.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor

import numpy as np

BAND_SEEDS = 6
BAND_CITIZENS = 300
PERCENTILES = (10, 90)

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def difference_runs(spec, other, seeds: list[int], weeks: int, citizens: int) -> np.ndarray:
    """Cohesion of `spec` minus that of `other`, one row per seed, at `citizens` citizens."""
    from anomie.scenarios.run import simulate

    rows = []
    for seed in seeds:
        a, _ = simulate(spec, seed=seed, steps=weeks, overrides={"n_citizens": citizens})
        b, _ = simulate(other, seed=seed, steps=weeks, overrides={"n_citizens": citizens})
        rows.append(a["cohesion"].to_numpy() - b["cohesion"].to_numpy())
    return np.vstack(rows)


def band_of(differences: np.ndarray) -> np.ndarray:
    """Two rows: the 10th and 90th percentile over seeds, week by week."""
    return np.percentile(differences, PERCENTILES, axis=0)


def other_seeds(seed: int, k: int = BAND_SEEDS) -> list[int]:
    """k seeds other than the run's own, fixed for a seed (so the band is reproducible)."""
    children = np.random.SeedSequence(seed).spawn(k)
    return [int(c.generate_state(1)[0]) for c in children]


def pool() -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            # spawn: the server has threads, which a forked child must not inherit mid-lock
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        return _pool


def start_band(spec, other, seed: int, weeks: int) -> Future:
    """Submit the band's runs; the future's result is the differences (seeds x weeks+1)."""
    return pool().submit(difference_runs, spec, other, other_seeds(seed), weeks, BAND_CITIZENS)
