"""Compiled loops for the mechanisms that walk over every tie or citizen each week.

numba compiles a plain Python loop to machine code the first time it is called and keeps
the result on disk (`cache=True`), so later runs start at once. Kernels are serial and
touch the numbers in the same order as the numpy expressions they replace, so a run's
output does not depend on whether, or where, it was compiled. `nogil` lets the threads of
a sweep or a dashboard server run kernels side by side.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import numba
import numpy as np

# Every division in a kernel has a denominator kept above zero by the rule itself (a floor
# such as max(x, 1e-9), a test, or a parameter's range); tests/model/test_kernel_divisions.py
# holds each to that. numba's default error model checks every division for zero to raise
# ZeroDivisionError; numpy's skips the check (IEEE arithmetic), with the same numbers
# wherever no denominator is zero, and lets the compiler keep the loops tight.
kernel = numba.njit(cache=True, nogil=True, error_model="numpy")

# Below this many items a thread hand-off costs more than it saves: the kernels are bound by
# memory, and at 100,000 citizens two threads were slower than one (47 against 40 ms a
# week); at a million they save a tenth (405 against 451 ms).
PARALLEL_MIN_ITEMS = 1_000_000
_POOL: ThreadPoolExecutor | None = None


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def blocks(size: int, work: int | None = None) -> list[tuple[int, int]]:
    """[start, stop) ranges cutting `size` items into one contiguous block per core, or one block when small.

    `work` is the amount of work in the items (such as the ties of a range of citizens), `size` by default.
    """
    k = _cores() if (size if work is None else work) >= PARALLEL_MIN_ITEMS else 1
    edges = np.linspace(0, size, k + 1).astype(int)
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:])]


def in_blocks(task: Callable[[int, int], None], size: int, work: int | None = None) -> None:
    """Run task(start, stop) over `blocks(size, work)`, in threads when there are several.

    Only for work whose items are independent and written to separate outputs (a kernel
    releases the GIL): the numbers are then the same however the items are cut.
    """
    parts = blocks(size, work)
    _run([lambda a=a, b=b: task(a, b) for a, b in parts])


def in_parts(task: Callable[[int], None], parts: int, work: int, min_items: int | None = None) -> None:
    """Run task(0), ..., task(parts - 1), in threads when `work` items justify it (at least
    `min_items`, PARALLEL_MIN_ITEMS unless given)."""
    tasks = [lambda p=p: task(p) for p in range(parts)]
    if work < (PARALLEL_MIN_ITEMS if min_items is None else min_items):
        for t in tasks:
            t()
    else:
        _run(tasks)


def _run(tasks: list[Callable[[], None]]) -> None:
    """Run the tasks, in the pool's threads when there is more than one."""
    if len(tasks) == 1:
        tasks[0]()
        return
    for f in [_pool().submit(t) for t in tasks]:
        f.result()


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=_cores(), thread_name_prefix="anomie-kernels")
    return _POOL


def background(fn: Callable, *args) -> Future:
    """Start fn(*args) in a pool thread; the caller collects `.result()` later.

    For work that reads only arrays nobody changes meanwhile, so the result is the same
    number it would be in the foreground.
    """
    return _pool().submit(fn, *args)


__all__ = ["kernel", "background", "blocks", "in_blocks", "in_parts", "PARALLEL_MIN_ITEMS"]
