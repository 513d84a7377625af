"""Compiled loops for the mechanisms that walk over every tie or citizen each week.

numba compiles a plain Python loop to machine code the first time it is called and keeps
the result on disk (`cache=True`), so later runs start at once. Kernels are serial and
touch the numbers in the same order as the numpy expressions they replace, so a run's
output does not depend on whether, or where, it was compiled. `nogil` lets the threads of
a sweep or a dashboard server run kernels side by side.
"""

from __future__ import annotations

import numba

kernel = numba.njit(cache=True, nogil=True)

__all__ = ["kernel"]
