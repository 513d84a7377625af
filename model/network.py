"""The social network: who is tied to whom.

Ties are undirected and kept as an edge list (u < v). The sparse adjacency matrix
(scipy.sparse CSR) and the directed edge arrays that the mechanisms sum over are derived
from it and cached until the ties change. Generators are vectorised with numpy so that a
million citizens are built in seconds; they follow the published constructions (Watts and
Strogatz 1998, Erdos and Renyi 1959, Barabasi and Albert 1999) and draw only from the
model's random generator.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse._sparsetools import coo_tocsr

from .jit import in_blocks, kernel

INDEX = np.int64
_NONE = np.empty(0, dtype=INDEX)
_NONE.flags.writeable = False
_NONE_DRAW = np.empty(0, dtype=np.float64)
_NONE_DRAW.flags.writeable = False
_NO_DROP = np.empty(0, dtype=bool)


def _canonical(u: np.ndarray, v: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Order each pair (u < v), drop self-ties and duplicates, sort by (u, v)."""
    u = np.asarray(u, dtype=INDEX)
    v = np.asarray(v, dtype=INDEX)
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    keep = lo != hi
    # sort, then drop repeats: np.unique does the same but (numpy >= 2.3) goes through a
    # hash table first, which is ten times slower on millions of ties
    key = np.sort(lo[keep] * n + hi[keep])
    if key.size > 1:
        key = key[np.concatenate(([True], key[1:] != key[:-1]))]
    return key // n, key % n


def _symmetric_csr(u: np.ndarray, v: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """indptr and sorted column indices of the symmetric adjacency of ties (u < v, sorted by (u, v)).

    Built in O(n + m) by scipy's C++ counting sort (`coo_tocsr`, which keeps the input
    order within a row) instead of its general COO conversion, which also sorts and sums
    duplicates. Listing every tie first as (v, u) and then as (u, v) puts each row's lower
    neighbours (ascending, as the edge list is sorted by u) before its higher ones
    (ascending, as it is sorted by v within u): the rows come out sorted.
    """
    m = u.size
    itype = _index_type(n, m)
    rows = np.empty(2 * m, dtype=itype)
    cols = np.empty(2 * m, dtype=itype)
    rows[:m], rows[m:] = v, u
    cols[:m], cols[m:] = u, v
    indptr = np.empty(n + 1, dtype=itype)
    indices = np.empty(2 * m, dtype=itype)
    # the values are not used (the CSR's data are all ones): one byte each as a placeholder
    coo_tocsr(n, n, 2 * m, rows, cols, np.empty(2 * m, np.int8), indptr, indices, np.empty(2 * m, np.int8))
    return indptr, indices


@kernel
def _locate(u, v, new_u, new_v):
    """For each pair (new_u[i], new_v[i]): where it is, or would go, in the edge list sorted by (u, v), and whether it is there."""
    pos = np.empty(new_u.size, dtype=np.int64)
    found = np.zeros(new_u.size, dtype=np.bool_)
    for i in range(new_u.size):
        lo, hi = 0, u.size
        while lo < hi:
            mid = (lo + hi) >> 1
            if u[mid] < new_u[i] or (u[mid] == new_u[i] and v[mid] < new_v[i]):
                lo = mid + 1
            else:
                hi = mid
        pos[i] = lo
        found[i] = lo < u.size and u[lo] == new_u[i] and v[lo] == new_v[i]
    return pos, found


@kernel
def _edited(u, v, draw, drop, n_drop, at, new_u, new_v, new_draw):
    """The edge list without the ties flagged in `drop` (empty: none) and with new ties put in
    before the old positions `at` (ascending), in one pass over all three arrays; also the
    ends of the ties taken out."""
    m, k = u.size, at.size
    size = m - n_drop + k
    ou, ov, od = np.empty(size, u.dtype), np.empty(size, v.dtype), np.empty(size, draw.dtype)
    gone_u, gone_v = np.empty(n_drop, u.dtype), np.empty(n_drop, v.dtype)
    d = g = j = 0
    for t in range(m + 1):
        while j < k and at[j] == t:
            ou[d], ov[d], od[d] = new_u[j], new_v[j], new_draw[j]
            d += 1
            j += 1
        if t == m:
            break
        if n_drop > 0 and drop[t]:
            gone_u[g], gone_v[g] = u[t], v[t]
            g += 1
        else:
            ou[d], ov[d], od[d] = u[t], v[t], draw[t]
            d += 1
    return ou, ov, od, gone_u, gone_v


@kernel
def _csr_edited(indptr, indices, del_rows, del_cols, add_rows, add_cols, touched):
    """A CSR with sorted rows, with the entries (del_rows, del_cols) taken out (each present
    once) and the new entries (add_rows, add_cols), sorted by (row, col), merged in.
    `touched`: the rows with a change, ascending; the rows between them are copied as one run."""
    n, k = indptr.size - 1, add_rows.size
    keep = np.ones(indices.size, dtype=np.bool_)
    for i in range(del_rows.size):
        start = indptr[del_rows[i]]  # a binary search within the sorted row
        keep[start + np.searchsorted(indices[start:indptr[del_rows[i] + 1]], del_cols[i])] = False
    out_ptr = np.empty_like(indptr)
    out_idx = np.empty(indices.size - del_rows.size + k, dtype=indices.dtype)
    out_ptr[0] = d = j = 0
    first = 0  # the first row not yet written
    for t in range(touched.size + 1):
        last = touched[t] if t < touched.size else n
        # rows first..last-1 are unchanged: their entries in one run, their pointers shifted
        s0, s1 = indptr[first], indptr[last]
        out_idx[d:d + s1 - s0] = indices[s0:s1]
        shift = d - s0
        for r in range(first, last):
            out_ptr[r + 1] = indptr[r + 1] + shift
        d += s1 - s0
        if t == touched.size:
            break
        r = last
        s, e = indptr[r], indptr[r + 1]
        while s < e or (j < k and add_rows[j] == r):
            if j < k and add_rows[j] == r and (s >= e or add_cols[j] < indices[s]):
                out_idx[d] = add_cols[j]
                d += 1
                j += 1
            else:
                if keep[s]:
                    out_idx[d] = indices[s]
                    d += 1
                s += 1
        out_ptr[r + 1] = d
        first = r + 1
    return out_ptr, out_idx


def _csr_edit(indptr: np.ndarray, indices: np.ndarray, gone: tuple, new: tuple, n: int):
    """The symmetric CSR of `_symmetric_csr` with the ties `gone` (u, v) taken out and `new` (u, v) put in."""
    del_rows = np.concatenate([gone[0], gone[1]]).astype(indptr.dtype)
    del_cols = np.concatenate([gone[1], gone[0]]).astype(indices.dtype)
    rows, cols = np.concatenate([new[0], new[1]]), np.concatenate([new[1], new[0]])
    order = np.lexsort((cols, rows))
    touched = np.unique(np.concatenate([del_rows, rows])).astype(indptr.dtype)
    return _csr_edited(indptr, indices, del_rows, del_cols, rows[order].astype(indptr.dtype), cols[order].astype(indices.dtype),
                       touched)


@kernel
def count_with_ties(indptr, rows, everybody):
    """How many of the citizens `rows` (or everybody) have at least one tie."""
    count = 0
    for i in range(indptr.size - 1 if everybody else rows.size):
        r = i if everybody else rows[i]
        count += indptr[r + 1] > indptr[r]
    return count


@kernel
def pick_neighbours(indptr, indices, rows, everybody, draws):
    """For each citizen in `rows` (or everybody), the neighbour at a uniform position of
    their sorted row, using the next draw; -1 for the tieless, who use no draw."""
    size = indptr.size - 1 if everybody else rows.size
    out = np.full(size, -1, dtype=np.int64)
    d = 0
    for i in range(size):
        r = i if everybody else rows[i]
        deg = indptr[r + 1] - indptr[r]
        if deg > 0:
            out[i] = indices[indptr[r] + np.int64(draws[d] * deg)]
            d += 1
    return out


@kernel
def row_sum(indptr, indices, values, r: int) -> float:
    """A per-citizen quantity summed over citizen r's ties, in column order as scipy's csr_matvec does."""
    total = 0.0
    for s in range(indptr[r], indptr[r + 1]):
        total += values[indices[s]]
    return total


@kernel
def _row_sums_into(indptr, indices, values, out):
    for r in range(out.size):
        out[r] = row_sum(indptr, indices, values, r)


def random_neighbours(indptr: np.ndarray, indices: np.ndarray, who: np.ndarray | None,
                      rng: np.random.Generator) -> np.ndarray:
    """`SocialNetwork.random_neighbour` on the adjacency's arrays: one uniformly random
    neighbour of each citizen in `who` (-1 if none); None for everybody."""
    everybody = who is None
    rows = _NONE if everybody else np.asarray(who, dtype=INDEX)
    # one uniform draw per citizen who has a tie, in order
    draws = rng.random(count_with_ties(indptr, rows, everybody))
    return pick_neighbours(indptr, indices, rows, everybody, draws)


def _index_type(n: int, m: int) -> type:
    """The CSR's index type for n citizens and m ties."""
    return np.int32 if 2 * m < np.iinfo(np.int32).max and n < np.iinfo(np.int32).max else np.int64


def watts_strogatz(n: int, k: int, p: float, rng: np.random.Generator):
    """Small world (Watts and Strogatz 1998): a ring lattice where each tie is rewired with probability p.

    Each node is tied to its k // 2 nearest neighbours on each side; each such tie keeps
    its first end and, with probability p, gets a new random second end.
    """
    half = max(1, min(k // 2, (n - 1) // 2))
    src = np.repeat(np.arange(n, dtype=INDEX), half)
    dst = (src + np.tile(np.arange(1, half + 1, dtype=INDEX), n)) % n
    rewire = rng.random(src.size) < p
    dst[rewire] = rng.integers(0, n, size=int(rewire.sum()))
    return _canonical(src, dst, n)


def erdos_renyi(n: int, k: int, rng: np.random.Generator):
    """Random graph G(n, m) with m = n k / 2 ties drawn uniformly (Erdos and Renyi 1959)."""
    m = int(round(n * k / 2))
    m = min(m, n * (n - 1) // 2)
    u, v = np.empty(0, INDEX), np.empty(0, INDEX)
    while u.size < m:  # resample the few duplicates and self-ties
        need = int((m - u.size) * 1.1) + 8
        u, v = _canonical(
            np.concatenate([u, rng.integers(0, n, need)]),
            np.concatenate([v, rng.integers(0, n, need)]),
            n,
        )
    pick = np.sort(rng.choice(u.size, size=m, replace=False)) if u.size > m else slice(None)
    return u[pick], v[pick]


def barabasi_albert(n: int, k: int, rng: np.random.Generator):
    """Scale-free network by preferential attachment (Barabasi and Albert 1999).

    Each newcomer makes m = k / 2 ties to existing nodes chosen in proportion to their
    degree: it picks a uniformly random end of an existing tie. Picking the end of a tie
    that was itself made by preferential attachment is resolved by pointer jumping, so the
    whole construction is vectorised. Repeated picks collapse to one tie.
    """
    m = max(1, min(k // 2, n - 1))
    seed_nodes = m + 1
    # a small complete core to start from
    cu, cv = np.triu_indices(seed_nodes, k=1)
    n_core = cu.size
    newcomers = np.arange(seed_nodes, n, dtype=INDEX)
    # ends array: core edges first (2 ends each), then newcomer edges: (newcomer, target)
    ends_before = 2 * n_core + 2 * m * (newcomers - seed_nodes)  # ends available to newcomer
    pick = (rng.random((newcomers.size, m)) * ends_before[:, None]).astype(INDEX)
    pick = pick.ravel()
    core_ends = np.empty(2 * n_core, dtype=INDEX)
    core_ends[0::2], core_ends[1::2] = cu, cv
    target = np.full(pick.size, -1, dtype=INDEX)
    pos = pick.copy()
    unresolved = np.ones(pick.size, dtype=bool)
    while unresolved.any():
        p = pos[unresolved]
        idx = np.flatnonzero(unresolved)
        in_core = p < 2 * n_core
        target[idx[in_core]] = core_ends[p[in_core]]
        rel = p[~in_core] - 2 * n_core
        edge, side = rel // 2, rel % 2
        is_source = side == 0  # the newcomer end of a later edge: its owner is known
        owner = newcomers[edge // m]
        done = idx[~in_core]
        target[done[is_source]] = owner[is_source]
        # the target end of an earlier edge: follow it to that edge's own pick
        pos[done[~is_source]] = pick[edge[~is_source]]
        unresolved[idx[in_core]] = False
        unresolved[done[is_source]] = False
    src = np.repeat(newcomers, m)
    return _canonical(np.concatenate([cu, src]), np.concatenate([cv, target]), n)


GENERATORS = {
    "watts_strogatz": lambda n, k, p, rng: watts_strogatz(n, k, p, rng),
    "erdos_renyi": lambda n, k, p, rng: erdos_renyi(n, k, rng),
    "barabasi_albert": lambda n, k, p, rng: barabasi_albert(n, k, rng),
}


class SocialNetwork:
    """Undirected ties between citizens, with a cached CSR adjacency of the active ties.

    A tie can be suspended for a while (isolation shock) without being lost: each tie
    carries a fixed random draw, and ties whose draw is below the suspended share are
    inactive. Mechanisms see only active ties.
    """

    def __init__(self, n: int, u: np.ndarray, v: np.ndarray, rng: np.random.Generator):
        self.n = int(n)
        self.u = np.asarray(u, dtype=INDEX)
        self.v = np.asarray(v, dtype=INDEX)
        self.draw = rng.random(self.u.size)
        self.suspended_share = 0.0
        self._cache: dict[str, object] = {}

    @classmethod
    def generate(cls, kind: str, n: int, k: int, p: float, rng: np.random.Generator):
        u, v = GENERATORS[kind](n, k, p, rng)
        return cls(n, u, v, rng)

    # -- changes ---------------------------------------------------------------------------
    def _changed(self, gone: tuple, new: tuple) -> None:
        """Forget the derived views after ties `gone` (u, v) were taken out and `new` (u, v) put in.

        The adjacency is edited in place of a rebuild when no tie is suspended (it is then
        all ties) and its index type still fits: the same CSR a rebuild would give.
        """
        csr = self._cache.get("csr") if self.suspended_share <= 0.0 else None
        self._cache.clear()
        if csr is None or csr[1].dtype != _index_type(self.n, self.u.size):
            return
        self._cache["all_active"] = True
        self._cache["csr"] = _csr_edit(*csr, gone, new, self.n)

    def set_suspended_share(self, share: float) -> None:
        if share != self.suspended_share:
            self.suspended_share = float(share)
            self._cache.clear()

    def add_nodes(self, k: int) -> None:
        self.n += int(k)
        self._cache.clear()

    def add_ties(self, a: np.ndarray, b: np.ndarray, rng: np.random.Generator) -> int:
        """Add ties (a[i], b[i]) that do not exist yet; return how many were new."""
        return int(self.edit_ties(None, a, b, rng)[0].size)

    def remove_ties(self, drop: np.ndarray) -> int:
        """Remove the ties flagged in a boolean mask over the edge list; return how many."""
        n_drop = int(np.count_nonzero(drop))
        if n_drop:
            self.edit_ties(drop, _NONE, _NONE, None)
        return n_drop

    def edit_ties(
        self, drop: np.ndarray | None, a: np.ndarray, b: np.ndarray, rng: np.random.Generator | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Remove the ties flagged in `drop` and add the ties (a[i], b[i]) that did not exist, at once.

        Returns the new ties' ends and suspension draws (u, v, draw). A pair that exists,
        even if it is removed in the same edit, is not added. One pass over the edge list
        and one over the adjacency, however many ties change.
        """
        n_drop = 0 if drop is None else int(np.count_nonzero(drop))
        new_u, new_v = _canonical(a, b, self.n) if len(a) else (_NONE, _NONE)
        # The edge list is kept sorted by (u, v), so a binary search finds both whether a
        # tie exists and where a new one goes: O(k log m) for k candidate ties, instead
        # of re-sorting all m ties every time a few are made.
        pos, found = _locate(self.u, self.v, new_u, new_v)
        fresh = ~found
        at, new_u, new_v = pos[fresh], new_u[fresh], new_v[fresh]
        if not n_drop and not at.size:
            return _NONE, _NONE, _NONE_DRAW
        # one draw per new tie, in (u, v) order, as the tie's suspension draw
        new_draw = rng.random(at.size) if at.size else _NONE_DRAW
        self.u, self.v, self.draw, gone_u, gone_v = _edited(
            self.u, self.v, self.draw, drop if n_drop else _NO_DROP, n_drop, at, new_u, new_v, new_draw
        )
        self._changed((gone_u, gone_v), (new_u, new_v))
        return new_u, new_v, new_draw

    def tie_positions(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Positions in the edge list of the existing ties (a[i], b[i]) (pairs that are not ties are left out)."""
        a, b = np.asarray(a, dtype=INDEX), np.asarray(b, dtype=INDEX)
        pos, found = _locate(self.u, self.v, np.minimum(a, b), np.maximum(a, b))
        return pos[found]

    # -- derived views ---------------------------------------------------------------------
    @property
    def n_ties(self) -> int:
        return int(self.u.size)

    @property
    def active(self) -> np.ndarray:
        """Boolean mask over the edge list: ties not suspended."""
        if "active" not in self._cache:
            self._cache["active"] = self.draw >= self.suspended_share
        return self._cache["active"]  # type: ignore[return-value]

    @property
    def all_active(self) -> bool:
        """True when no tie is suspended (the usual case): active views are then the edge list itself."""
        if "all_active" not in self._cache:
            self._cache["all_active"] = bool(self.suspended_share <= 0.0 or self.active.all())
        return self._cache["all_active"]  # type: ignore[return-value]

    @property
    def active_edges(self) -> tuple[np.ndarray, np.ndarray]:
        """(u, v) of the active ties, in edge-list order; no copy when none is suspended."""
        if "active_uv" not in self._cache:
            if self.all_active:
                self._cache["active_uv"] = (self.u, self.v)
            else:
                a = self.active
                self._cache["active_uv"] = (self.u[a], self.v[a])
        return self._cache["active_uv"]  # type: ignore[return-value]

    @property
    def n_active(self) -> int:
        return int(self.active_edges[0].size)

    @property
    def csr(self) -> tuple[np.ndarray, np.ndarray]:
        """indptr and indices of the symmetric adjacency of active ties, rows sorted: what the kernels walk."""
        if "csr" not in self._cache:
            u, v = self.active_edges
            self._cache["csr"] = _symmetric_csr(u, v, self.n)
        return self._cache["csr"]  # type: ignore[return-value]

    @property
    def adjacency(self) -> sp.csr_matrix:
        """Symmetric CSR matrix of active ties (ones), with sorted indices."""
        if "adj" not in self._cache:
            self._cache["adj"] = self._csr(*self.csr)
        return self._cache["adj"]  # type: ignore[return-value]

    def _csr(self, indptr: np.ndarray, indices: np.ndarray) -> sp.csr_matrix:
        m = sp.csr_matrix((self._ones(indices.size), indices, indptr), shape=(self.n, self.n), copy=False)
        m.has_sorted_indices = True
        m.has_canonical_format = True
        return m

    def _ones(self, size: int) -> np.ndarray:
        """A read-only run of ones for the CSR's data, shared between rebuilds (it never changes)."""
        buf = getattr(self, "_ones_buf", None)
        if buf is None or buf.size < size:
            buf = np.ones(max(size, int(size * 1.25)), dtype=np.float64)
            buf.flags.writeable = False
            self._ones_buf = buf
        return buf[:size]

    @property
    def degree(self) -> np.ndarray:
        """Number of active ties of each citizen."""
        if "deg" not in self._cache:
            self._cache["deg"] = np.diff(self.csr[0]).astype(np.float64)
        return self._cache["deg"]  # type: ignore[return-value]

    def neighbour_sum(self, values: np.ndarray) -> np.ndarray:
        """Sum of a per-citizen quantity over each citizen's active ties."""
        if values.ndim != 1 or values.dtype != np.float64:
            return self.adjacency @ values
        indptr, indices = self.csr
        out = np.empty(self.n)
        # rows are independent: cut into blocks, done in threads when large
        in_blocks(lambda a, b: _row_sums_into(indptr[a:b + 1], indices, values, out[a:b]), self.n, work=indices.size)
        return out

    def neighbour_mean(self, values: np.ndarray, empty: float | np.ndarray = 0.0) -> np.ndarray:
        """Mean of a per-citizen quantity over active ties; `empty` for the tieless."""
        deg = self.degree
        total = self.neighbour_sum(values)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = total / (deg if total.ndim == 1 else deg[:, None])
        isolated = deg == 0
        if np.any(isolated):
            mean[isolated] = empty if np.ndim(empty) == 0 else np.asarray(empty)[isolated]
        return mean

    def random_neighbour(self, who: np.ndarray | None, rng: np.random.Generator) -> np.ndarray:
        """One uniformly random active neighbour of each citizen in `who` (-1 if none); None for everybody."""
        return random_neighbours(*self.csr, who, rng)

    def to_networkx(self):
        """The active ties as a networkx Graph (for analysis and the dashboard)."""
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(range(self.n))
        a = self.active
        g.add_edges_from(zip(self.u[a].tolist(), self.v[a].tolist()))
        return g
