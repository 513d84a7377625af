"""Compiled (numba) kernels over the arrays of a symmetric CSR adjacency: indptr and indices.

The weekly network metrics walk the ties directly instead of going through scipy's sparse
products and graph routines, which build whole intermediate matrices (and check index
types) each week. The kernels count in integers, so the metrics built from the counts
are, bit for bit, the numbers those products and searches give.
"""

from __future__ import annotations

import numpy as np

from .jit import kernel


@kernel
def largest_component_size(indptr: np.ndarray, indices: np.ndarray) -> int:
    """Connectedness: the number of citizens in the largest connected component.

    A depth-first search from each citizen not yet reached, with an explicit stack (no
    recursion, so a long chain cannot overflow). The adjacency is symmetric, so following
    the ties out of each citizen finds the whole undirected component.
    """
    n = indptr.size - 1
    seen = np.zeros(n, dtype=np.bool_)  # one byte a citizen keeps the random lookups in cache
    stack = np.empty(n, dtype=indices.dtype)  # each citizen is pushed once, when first reached
    largest = reached = 0
    for root in range(n):
        if n - reached <= largest:
            break  # the citizens not yet reached cannot form a larger component
        if seen[root]:
            continue
        seen[root] = True
        stack[0] = root
        top, size = 1, 0
        while top > 0:
            top -= 1
            i = stack[top]
            size += 1
            for e in range(indptr[i], indptr[i + 1]):
                j = indices[e]
                if not seen[j]:
                    seen[j] = True
                    stack[top] = j
                    top += 1
        reached += size
        largest = max(largest, size)
    return largest


@kernel
def common_neighbour_counts(indptr: np.ndarray, indices: np.ndarray, sample: np.ndarray) -> np.ndarray:
    """Closure: for each sampled citizen i, the number of ordered pairs of friends (j, k) who are friends too.

    That is the sum over friends j of |N(i) & N(j)|, twice the triangles through i. The
    friends of i are marked in a scratch array, then each friend's friends are looked up
    in it; the marks are cleared again after each citizen, so the scratch array is
    allocated once. No self-ties, so i itself is never marked.
    """
    n = indptr.size - 1
    is_friend = np.zeros(n, dtype=np.bool_)
    counts = np.zeros(sample.size, dtype=np.int64)
    for s in range(sample.size):
        i = sample[s]
        lo, hi = indptr[i], indptr[i + 1]
        for e in range(lo, hi):
            is_friend[indices[e]] = True
        c = 0
        for e in range(lo, hi):
            j = indices[e]
            for f in range(indptr[j], indptr[j + 1]):
                if is_friend[indices[f]]:
                    c += 1
        counts[s] = c
        for e in range(lo, hi):
            is_friend[indices[e]] = False
    return counts


@kernel
def close_tie_entries(beliefs: np.ndarray, indptr: np.ndarray, indices: np.ndarray, bound: float) -> int:
    """Mutual regard's count: the adjacency entries (each tie twice) whose ends' beliefs lie
    within `bound` of each other in every dimension.

    Must equal the count in `cohesion.mutual_regard`, np.all(|b[rows] - b[indices]| <= bound)
    over the entries (tests/model/test_graph_kernels.py); it walks the rows instead of
    gathering two copies of every tie's beliefs.
    """
    n, k = beliefs.shape
    count = 0
    for i in range(n):
        for e in range(indptr[i], indptr[i + 1]):
            j = indices[e]
            close = True
            for d in range(k):
                if not abs(beliefs[i, d] - beliefs[j, d]) <= bound:
                    close = False
                    break
            if close:
                count += 1
    return count


@kernel
def k_core_size(indptr: np.ndarray, indices: np.ndarray, k: int) -> int:
    """The number of citizens in the k-core: repeatedly remove everyone with fewer than k remaining ties.

    Must equal the count in `cohesion.core_share`, which removes them round by round over
    the whole adjacency; the k-core is unique, so removing them one at a time from a queue
    (Batagelj and Zaversnik 2003) leaves the same citizens (tests/model/test_graph_kernels.py).
    """
    n = indptr.size - 1
    deg = np.empty(n, dtype=np.int64)
    removed = np.zeros(n, dtype=np.bool_)
    queue = np.empty(n, dtype=np.int64)  # each citizen is queued once, when removed
    top = 0
    for i in range(n):
        deg[i] = indptr[i + 1] - indptr[i]
        if deg[i] < k:
            removed[i] = True
            queue[top] = i
            top += 1
    head = 0
    while head < top:
        i = queue[head]
        head += 1
        for e in range(indptr[i], indptr[i + 1]):
            j = indices[e]
            if not removed[j]:
                deg[j] -= 1
                if deg[j] < k:
                    removed[j] = True
                    queue[top] = j
                    top += 1
    return n - top
