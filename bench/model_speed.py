"""Speed and memory of the model at one population size, and the copy floor.

Run as `python -m bench.model_speed --n 100000 --steps 100 --runs 3` (the suite does, in a
fresh process per size). Each run builds the industrialisation scenario (with its social
workers) from scratch with its own seed, timing construction apart, then times `steps`
weeks from week 1. The industrialisation shock starts in week 100 and then moves a few
citizens off the land each week (rewiring their ties), so 100 weeks cover settled times
with their job churn, business turbulence and occupational groups; the moves cost little.

The floor is the time to read and write every citizen state array once (one numpy
copy of each), which is the least any implementation of one step must do.
"""

from __future__ import annotations

import argparse
import gc
import time

import numpy as np

from bench._util import emit, med, peak_rss_bytes, rss_bytes, timed

SCENARIO = "industrialisation"


def network_bytes(net) -> int:
    """Bytes of the arrays the network holds: the edge list and its cached views (CSR, masks)."""
    seen: dict[int, int] = {}

    def visit(x) -> None:
        if isinstance(x, np.ndarray):
            # count a view's memory once, with its owner (an array numba made owns its memory)
            base = x.base if isinstance(x.base, np.ndarray) else x
            seen[id(base)] = base.nbytes
        elif isinstance(x, (tuple, list)):
            for y in x:
                visit(y)
        elif isinstance(x, dict):
            for y in x.values():
                visit(y)
        elif hasattr(x, "indptr") and hasattr(x, "indices"):  # a scipy sparse matrix
            visit((x.data, x.indices, x.indptr))

    visit(vars(net))
    return int(sum(seen.values()))


def copy_floor(state, repeats: int = 7) -> float:
    """Median seconds to copy every citizen state array once into a preallocated twin."""
    arrays = list(state.arrays().values())
    twins = [np.empty_like(a) for a in arrays]
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for src, dst in zip(arrays, twins):
            np.copyto(dst, src)
        times.append(time.perf_counter() - t0)
    return med(times)


def measure(n: int, steps: int, runs: int, agent_cost: bool = True) -> dict:
    """Time `runs` fresh models of n citizens for `steps` weeks each; see the module docstring."""
    from anomie.scenarios.loading import build_model
    from anomie.scenarios.run import load_kernels

    load_kernels()  # once per process (about half a second), not part of any run's time
    baseline = rss_bytes()  # the interpreter with numpy, scipy, mesa and the model imported
    construct, rates, step_times, chunk_rates, cpu_rates = [], [], [], [], []
    floor = None
    info: dict = {}
    for r in range(runs):
        gc.collect()
        t_build, m = timed(lambda: build_model(SCENARIO, seed=r + 1, n_citizens=n))
        construct.append(t_build)
        per_step = []
        c0 = time.process_time()
        t0 = time.perf_counter()
        for _ in range(steps):
            t1 = time.perf_counter()
            m.step()
            per_step.append(time.perf_counter() - t1)
        elapsed = time.perf_counter() - t0
        rates.append(n * steps / elapsed)
        # CPU time of this process: on a shared machine, wall time also counts others' work
        cpu_rates.append(n * steps / max(time.process_time() - c0, 1e-9))
        step_times.append(elapsed / steps)
        # the run cut into ten chunks: the spread within one run, and the median rate
        # when only one run is affordable (a million citizens)
        for chunk in np.array_split(np.asarray(per_step), min(10, steps)):
            chunk_rates.append(n * chunk.size / chunk.sum())
        if r == runs - 1:
            floor = copy_floor(m.citizens)
            info = {
                "n_ties": int(m.network.n_ties),
                "state_bytes": int(m.citizens.nbytes()),
                "network_bytes": network_bytes(m.network),
                "n_posts": m.n_posts,
                "citizen_agents": len(m.citizen_agents),
                "metric_rows": int(len(m.datacollector.model_vars["cohesion"])),
            }
        del m
    # the kernel updates the recorded peak (ru_maxrss) lazily: it can lag the resident size
    # read from /proc a moment earlier by a few pages, and a peak is never below what was resident
    peak = max(peak_rss_bytes(), rss_bytes(), baseline)
    out = {
        "n_citizens": n,
        "steps": steps,
        "runs": runs,
        "scenario": SCENARIO,
        "construction_s": med(construct),
        "construction_s_all": construct,
        "citizen_steps_per_s": med(rates),
        "citizen_steps_per_s_all": rates,
        "citizen_steps_per_s_chunks_median": med(chunk_rates),
        "citizen_steps_per_cpu_s": med(cpu_rates),
        "step_s": med(step_times),
        "floor_s": floor,
        "step_over_floor": med(step_times) / floor if floor else None,
        "baseline_rss_bytes": baseline,
        "peak_rss_bytes": peak,
        "peak_bytes_per_citizen": (peak - baseline) / n,
        **info,
    }
    if agent_cost:
        out.update(measure_agent_cost(n))
    return out


def measure_agent_cost(n: int) -> dict:
    """What the n `Citizen` Mesa agents cost: construction without them, then creating them."""
    from anomie.agents.citizen import Citizen
    from anomie.scenarios.loading import build_model

    gc.collect()
    t_build, m = timed(lambda: build_model(SCENARIO, seed=1, n_citizens=n, create_agents=False))
    gc.collect()
    before = rss_bytes()
    t_agents, agents = timed(lambda: [Citizen(m, row) for row in range(n)])
    after = rss_bytes()
    del agents, m
    return {
        "construction_without_agents_s": t_build,
        "citizen_agents_s": t_agents,
        "citizen_agent_bytes_each": (after - before) / n,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-agent-cost", action="store_true")
    a = ap.parse_args()
    emit(measure(a.n, a.steps, a.runs, agent_cost=not a.no_agent_cost))


if __name__ == "__main__":
    main()
