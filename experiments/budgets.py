"""What a run or a sweep will need, estimated before it starts, and refused if it cannot fit.

The estimates are deliberately simple and on the safe side: a refusal names the number,
the limit and what to change, instead of a memory traceback after hours of work.

Memory per citizen: `make bench` measured 660-1,100 bytes per citizen at 8 ties each, of
which about 340 are the citizens' arrays and the rest grows with ties (bench/results.json,
memory_linearity); the estimate takes 400 bytes per citizen plus 100 per tie end.
"""

from __future__ import annotations

import os

# The population and tie-count parameters, by their names in model/parameters.py; the only
# two the estimate reads (a renamed parameter makes the estimate fall back to the table).
POPULATION = "n_citizens"
DEGREE = "mean_degree"
BYTES_PER_CITIZEN = 400
BYTES_PER_TIE_END = 100
# Newcomers may at most double the largest population twice over: the largest initial
# population of the parameter table plus newcomers twice its size.
CITIZENS_FACTOR = 3
# Memory besides the model's arrays in a worker: the interpreter, numba, pandas, the tables.
PROCESS_OVERHEAD = 400_000_000
# More worker processes than cores only share the same cores and multiply the memory.
WORKERS_PER_CORE = 1


def _row(name: str):
    from anomie.model.parameters import PARAMETER_BY_NAME

    return PARAMETER_BY_NAME.get(name)


def largest_population() -> int:
    """The top of the population parameter's range in the table."""
    row = _row(POPULATION)
    return int(row.high) if row is not None else 1_000_000


def max_citizens() -> int:
    return largest_population() * CITIZENS_FACTOR


def citizens_after_shocks(scenario, steps: int, n_initial: int | None = None) -> int:
    """Initial citizens plus every newcomer the scenario's shocks bring within `steps` weeks.

    A shock that brings people has `arrivals_until(step, n_initial)`; no shock kind is named here.
    """
    n0 = int(n_initial if n_initial is not None else getattr(scenario.parameters, POPULATION, 0))
    return n0 + sum(int(s.arrivals_until(steps, n0)) for s in scenario.shocks if hasattr(s, "arrivals_until"))


def run_bytes(citizens: int, degree: float | None) -> int:
    """Estimated peak memory of one run with `citizens` citizens of `degree` ties each."""
    row = _row(DEGREE)
    d = degree if degree is not None else (row.default if row is not None else 8)
    return PROCESS_OVERHEAD + int(citizens * (BYTES_PER_CITIZEN + BYTES_PER_TIE_END * d))


def available_memory() -> int | None:
    """Memory the system can give without swapping (Linux MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _gb(n: float) -> str:
    return f"{n / 1e9:.1f} GB"


def check_run(scenario, steps: int, where: str, option: str = "steps") -> None:
    """Refuse a run whose population, after all shocks, or whose memory cannot fit."""
    from anomie.scenarios.schema import InputError

    total = citizens_after_shocks(scenario, steps)
    limit = max_citizens()
    if total > limit:
        raise InputError(f"{total:,} citizens after all shocks is more than {limit:,}; "
                         "fewer citizens or smaller migration shocks", where, option)
    need = run_bytes(total, getattr(scenario.parameters, DEGREE, None))
    have = available_memory()
    if have is not None and need > have:
        raise InputError(f"a run of {total:,} citizens needs about {_gb(need)} of memory and {_gb(have)} is free; "
                         "fewer citizens or fewer ties", where, option)


def check_workers(workers: int, per_run_bytes: int) -> None:
    """Refuse more local workers than cores, or more than the free memory holds."""
    from anomie.scenarios.schema import InputError

    n = cores()
    if workers > n * WORKERS_PER_CORE:
        raise InputError(f"--workers {workers}: {workers} workers on {n} core(s): more workers than cores only slows the sweep "
                         f"(allowed: 1 to {n * WORKERS_PER_CORE})", None, "--workers")
    have = available_memory()
    if have is not None and workers * per_run_bytes > have:
        fit = max(have // per_run_bytes, 0)
        raise InputError(f"--workers {workers}: {workers} workers need about {_gb(workers * per_run_bytes)} of memory and {_gb(have)} is free "
                         f"(at most {fit} worker(s) fit)", None, "--workers")
