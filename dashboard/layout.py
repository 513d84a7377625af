"""Where each citizen is drawn in the network view: computed once per model, not per frame.

Mesa's `Network` component would run networkx's spring layout, which takes seconds at
1,000 citizens (a known trap). This is a cheap force-directed layout
(Fruchterman and Reingold 1991) whose repulsion is estimated from a random sample of
citizens each round, so a round costs O(n * sample) instead of O(n^2). It starts from a
circle in row order, where neighbourhoods (a social worker's patch) are arcs.
Newcomers who arrive later are placed next to the first person they know.
"""

from __future__ import annotations

import weakref

import numpy as np

# Above this many citizens the network view and the plane draw a fixed sample.
MAX_DRAWN = 2000
ROUNDS = 60
REPULSION_SAMPLE = 40
COOLING = 0.95

_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def force_layout(u: np.ndarray, v: np.ndarray, n: int, seed: int, rounds: int = ROUNDS) -> np.ndarray:
    """Positions (n x 2) for a graph with edges (u, v), deterministic for a seed."""
    rng = np.random.default_rng(seed)
    angle = 2 * np.pi * np.arange(n) / max(n, 1)
    pos = np.column_stack([np.cos(angle), np.sin(angle)]) + 0.05 * rng.standard_normal((n, 2))
    if n < 2:
        return pos
    k = 1.0 / np.sqrt(n)  # ideal distance between neighbours
    step = 0.2
    sample = min(REPULSION_SAMPLE, n)
    for _ in range(rounds):
        s = rng.integers(0, n, sample)
        d = pos[:, None, :] - pos[None, s, :]
        dist2 = (d**2).sum(-1) + 1e-6
        disp = (d * (k * k / dist2)[..., None]).sum(1) * (n / sample)
        e = pos[u] - pos[v]
        length = np.sqrt((e**2).sum(-1, keepdims=True)) + 1e-9
        pull = e * length / k
        np.add.at(disp, u, -pull)
        np.add.at(disp, v, pull)
        norm = np.sqrt((disp**2).sum(-1, keepdims=True)) + 1e-12
        pos += disp / norm * np.minimum(norm, step)
        step *= COOLING
    return pos


class NetworkLayout:
    """The drawn citizens of one model and their positions, extended when newcomers arrive."""

    def __init__(self, model):
        n = model.citizens.n
        seed = abs(int(model.seed or 0))
        if n <= MAX_DRAWN:
            self.rows = np.arange(n)
            self.sampled = False
        else:
            self.rows = np.sort(np.random.default_rng(seed).choice(n, MAX_DRAWN, replace=False))
            self.sampled = True
        self.population = n
        u, v = _edges_among(model, self.rows)
        self.pos = force_layout(u, v, self.rows.size, seed)
        self._row_to_slot = {int(r): i for i, r in enumerate(self.rows)}

    def update(self, model) -> None:
        """Place newcomers (all drawn while the whole society fits) next to someone they know."""
        n = model.citizens.n
        if n <= self.population:
            return
        new = np.arange(self.population, n)
        self.population = n
        if self.sampled or self.rows.size + new.size > MAX_DRAWN:
            return  # keep the view's size bounded: the sample stays as drawn at the start
        adj = model.network.adjacency
        rng = np.random.default_rng(n)
        spread = self.pos.std() * 0.05 + 1e-3
        new_pos = np.empty((new.size, 2))
        for i, row in enumerate(new):
            # only people already drawn have a position; ties among this week's arrivals do not count
            known = [self._row_to_slot[int(j)] for j in adj.indices[adj.indptr[row]:adj.indptr[row + 1]]
                     if int(j) in self._row_to_slot]
            centre = self.pos[known[0]] if known else self.pos[rng.integers(0, len(self.pos))]
            new_pos[i] = centre + spread * rng.standard_normal(2)
        for i, row in enumerate(new):
            self._row_to_slot[int(row)] = self.rows.size + i
        self.rows = np.concatenate([self.rows, new])
        self.pos = np.vstack([self.pos, new_pos])

    def slots(self, rows: np.ndarray) -> np.ndarray:
        """Positions of given citizens in the drawing, -1 for citizens not drawn."""
        return np.array([self._row_to_slot.get(int(r), -1) for r in rows], dtype=np.int64)

    def edges(self, model) -> tuple[np.ndarray, np.ndarray]:
        """Active ties between drawn citizens, as slots."""
        u, v = _edges_among(model, self.rows)
        return u, v


def _edges_among(model, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    net = model.network
    a = net.active
    u, v = net.u[a], net.v[a]
    slot = np.full(model.citizens.n, -1, dtype=np.int64)
    slot[rows] = np.arange(rows.size)
    keep = (slot[u] >= 0) & (slot[v] >= 0)
    return slot[u[keep]], slot[v[keep]]


def layout_for(model) -> NetworkLayout:
    """The model's layout: built on first use, then only extended for newcomers."""
    lay = _cache.get(model)
    if lay is None:
        lay = _cache[model] = NetworkLayout(model)
    else:
        lay.update(model)
    return lay
