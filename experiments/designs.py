"""Experimental designs: which parameter values each design point gets, and which seed each run gets.

Grid: every combination of the listed values. Latin hypercube, Sobol (Saltelli's scheme)
and Morris (elementary-effect trajectories) come from SALib. Every design is fixed by
the master seed, so the plan is the same on every machine and in every resume.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from SALib.sample import latin, morris, sobol

from .spec import Sweep

# Separate streams from one master seed: one draws the design, the other the run seeds.
DESIGN_STREAM = 1


@dataclass(frozen=True)
class Design:
    """The design points: `raw` is the design matrix as SALib made it (for analysis), `points` the typed values."""

    names: tuple[str, ...]
    raw: np.ndarray  # shape (n_points, n_parameters), floats; for a grid, the grid values (choices as indices)
    points: list[dict]


def salib_problem(sweep: Sweep) -> dict:
    return {
        "num_vars": len(sweep.varied),
        "names": list(sweep.names),
        "bounds": [[v.low, v.high] for v in sweep.varied],
    }


def design_seed(master_seed: int) -> int:
    return int(np.random.SeedSequence([master_seed, DESIGN_STREAM]).generate_state(1)[0])


def _salib_raw(sweep: Sweep) -> np.ndarray:
    f = sweep.file
    problem = salib_problem(sweep)
    seed = design_seed(f.master_seed)
    if f.design == "lhs":
        raw = latin.sample(problem, f.samples, seed=seed)
    elif f.design == "sobol":
        raw = sobol.sample(problem, f.samples, calc_second_order=f.second_order, scramble=True, seed=seed)
    elif f.design == "morris":
        raw = morris.sample(problem, f.samples, num_levels=f.levels, seed=seed)
    else:  # pragma: no cover - the schema allows only the four designs
        raise ValueError(f.design)
    return np.asarray(raw, dtype=np.float64)


def _typed(sweep: Sweep, row) -> dict:
    # whole-number parameters are rounded: the model sees integers, the analysis the design
    return {v.name: (int(round(x)) if v.kind is int else float(x)) for v, x in zip(sweep.varied, row)}


def iter_points(sweep: Sweep) -> Iterator[dict]:
    """The design points in order, one at a time: a grid is never held whole in memory."""
    if sweep.file.design == "grid":
        for combo in itertools.product(*(v.values for v in sweep.varied)):
            yield dict(zip(sweep.names, combo))
        return
    for row in _salib_raw(sweep):
        yield _typed(sweep, row)


def make_design(sweep: Sweep) -> Design:
    """The whole design at once (for analysis, which needs the matrix)."""
    names = sweep.names
    if sweep.file.design == "grid":
        combos = list(itertools.product(*(v.values for v in sweep.varied)))
        raw = np.array(
            [[float(x) if v.kind is not str else float(v.values.index(x)) for v, x in zip(sweep.varied, c)] for c in combos],
            dtype=np.float64,
        ).reshape(len(combos), len(names))
        return Design(names, raw, [dict(zip(names, c)) for c in combos])
    raw = _salib_raw(sweep)
    return Design(names, raw, [_typed(sweep, row) for row in raw])


def run_seed(master_seed: int, i: int) -> int:
    """Seed of run i: child i of SeedSequence(master), so it depends on i alone, not on n or on order."""
    child = np.random.SeedSequence(master_seed, spawn_key=(i,))  # the same as SeedSequence(master).spawn(n)[i]
    # 63 bits: fits Parquet's int64 and Mesa's seed
    return int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def run_seeds(master_seed: int, n_runs: int) -> list[int]:
    return [run_seed(master_seed, i) for i in range(n_runs)]


@dataclass(frozen=True)
class RunPlan:
    run: int
    point: int
    replication: int
    seed: int
    values: dict


def iter_plans(sweep: Sweep) -> Iterator[RunPlan]:
    """All runs of the sweep, one at a time: run = point * replications + replication.

    Seeds: child `run` of SeedSequence(master_seed); with common_seeds, child `replication`,
    so that all design points of one replication share their random numbers (common random
    numbers: the difference between two points is then the parameters' doing, not luck's).
    """
    reps = sweep.file.replications
    master = sweep.file.master_seed
    common = [run_seed(master, r) for r in range(reps)] if sweep.file.common_seeds else None
    for p, values in enumerate(iter_points(sweep)):
        for r in range(reps):
            run = p * reps + r
            yield RunPlan(run, p, r, common[r] if common else run_seed(master, run), values)


def plan_runs(sweep: Sweep) -> list[RunPlan]:
    """All runs as a list (small sweeps and tests; a sweep itself uses `iter_plans`)."""
    return list(iter_plans(sweep))
