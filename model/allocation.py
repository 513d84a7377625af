"""Keep freed memory in the process for the next week's arrays instead of handing it back.

Each week makes new arrays for what changed (the citizens' new integration and regulation,
the edited edge list and adjacency), of the same sizes as last week's, which are freed.
By default glibc serves blocks above a moving threshold with fresh pages from the kernel
(mmap) and returns the free top of its heap to the kernel as soon as it exceeds twice that
threshold; the next week's arrays then fault in fresh, zeroed pages, one fault per 4 KiB,
about 2,000 a week at 100,000 citizens. Serving blocks up to 32 MiB from the heap and
keeping up to 256 MiB of free heap lets the next week reuse the same memory. The peak
resident size is what the largest week needs either way; results do not depend on it.

docs/BENCHMARKS.md has the measurement (minor page faults a week, before and after).
"""

from __future__ import annotations

import ctypes
import platform

# glibc's mallopt parameters (malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
HEAP_BLOCKS_UP_TO = 32 * 1024 * 1024  # glibc's largest allowed threshold on 64-bit
KEEP_FREE_UP_TO = 256 * 1024 * 1024

_done: bool | None = None


def keep_freed_memory() -> bool:
    """Set glibc's allocator to reuse freed array memory (once per process); True if it did.

    A no-op returning False where the C library is not glibc (macOS, Windows, musl).
    """
    global _done
    if _done is None:
        _done = False
        if platform.system() == "Linux" and platform.libc_ver()[0] == "glibc":
            libc = ctypes.CDLL(None)
            # mallopt returns 1 on success; setting a threshold also stops glibc moving it
            _done = bool(libc.mallopt(M_MMAP_THRESHOLD, HEAP_BLOCKS_UP_TO)) and bool(
                libc.mallopt(M_TRIM_THRESHOLD, KEEP_FREE_UP_TO)
            )
    return _done


__all__ = ["keep_freed_memory"]
