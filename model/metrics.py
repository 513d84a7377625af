"""Metrics recorded every step, one DataCollector model reporter each.

The cohesion index (docs/ODD.md) is the mean of four components, each in [0, 1]:
mean integration; the share of citizens in the largest connected component; the
clustering coefficient of active ties; and solidarity, the society's mix of belief
consensus (mechanical) and met interdependence (organic).
"""

from __future__ import annotations

from functools import partial

import numpy as np

from .graph_kernels import common_neighbour_counts, largest_component_size
from .referral import SOCIAL_WORK_METRICS, social_work_metrics
from .typology import STATE_NAMES, DurkheimState

STATE_SHARES = tuple(f"share_{STATE_NAMES[s]}" for s in DurkheimState)

# name -> one line of meaning; the order is the DataFrame's column order
METRICS: dict[str, str] = {
    "cohesion": "Cohesion index: mean of integration, connectedness, clustering and solidarity (0-1).",
    "cohesion_integration": "Mean integration of citizens (0-1).",
    "cohesion_connectedness": "Share of citizens in the largest connected group of ties (0-1).",
    "cohesion_clustering": "Clustering: how often two friends of a person are friends too (0-1).",
    "cohesion_solidarity": "Solidarity: consensus and interdependence weighted by the solidarity mix (0-1).",
    "consensus": "Belief consensus, the collective conscience of mechanical solidarity (0-1).",
    "interdependence": "Met interdependence: exchange across roles, the bond of organic solidarity (0-1).",
    "mean_integration": "Mean integration (0-1).",
    "mean_regulation": "Mean regulation (norm adherence) (0-1).",
    **{
        f"share_{STATE_NAMES[s]}": f"Share of citizens in the {STATE_NAMES[s]} state (0-1)."
        for s in DurkheimState
    },
    "mean_hazard": "Mean weekly crisis hazard (probability).",
    "crises": "Crises that began this week.",
    "crises_total": "Crises since the start.",
    "in_crisis": "Citizens in acute crisis now.",
    **SOCIAL_WORK_METRICS,  # model/referral.py
    "unemployment": "Share of citizens out of work.",
    "organic_share": "Current solidarity mix: 0 mechanical, 1 organic.",
    "n_citizens": "Number of citizens.",
    "n_ties": "Number of active ties.",
}


def clustering_sample(adj, sample: np.ndarray) -> float:
    """Mean local clustering coefficient over a sample of citizens (Watts and Strogatz 1998)."""
    return _clustering(adj.indptr, adj.indices, sample)


def _clustering(indptr: np.ndarray, indices: np.ndarray, sample: np.ndarray) -> float:
    if sample.size == 0:
        return 0.0
    # triangles through i: half the ordered pairs of i's friends who are friends too
    tri = common_neighbour_counts(indptr, indices, sample) / 2.0
    deg = (indptr[sample + 1] - indptr[sample]).astype(np.float64)
    possible = deg * (deg - 1) / 2.0
    local = np.where(possible > 0, tri / np.maximum(possible, 1), 0.0)
    return float(local.mean())


def largest_component_share(adj) -> float:
    """Connectedness: the share of citizens in the largest connected component of active ties."""
    return _connectedness(adj.indptr, adj.indices)


def _connectedness(indptr: np.ndarray, indices: np.ndarray) -> float:
    n = indptr.size - 1
    return largest_component_size(indptr, indices) / n if n else 0.0


def network_structure(indptr: np.ndarray, indices: np.ndarray, sample: np.ndarray) -> tuple[float, float]:
    """The structural half of the cohesion index for one adjacency (CSR arrays): connectedness and sampled clustering."""
    return _connectedness(indptr, indices), _clustering(indptr, indices, sample)


def compute_metrics(model) -> dict[str, float]:
    """All metrics of the current week, in one pass over the arrays."""
    cs, p, net = model.citizens, model.params, model.network
    n = cs.n
    o = model.conditions.organic_share
    out: dict[str, float] = {}
    mean_i = float(cs.integration.mean())
    cons, structure = model.measurements()
    if structure is not None:  # measured this week; otherwise last measured values
        model.cached_structure = structure
    lcc, clus = model.cached_structure
    inter = float(cs.interdependence.mean())
    solidarity = (1.0 - o) * cons + o * inter
    out["cohesion"] = (mean_i + lcc + clus + solidarity) / 4.0
    out["cohesion_integration"] = mean_i
    out["cohesion_connectedness"] = lcc
    out["cohesion_clustering"] = clus
    out["cohesion_solidarity"] = solidarity
    out["consensus"] = cons
    out["interdependence"] = inter
    out["mean_integration"] = mean_i
    out["mean_regulation"] = float(cs.regulation.mean())
    counts = np.bincount(cs.state, minlength=len(DurkheimState)) / max(n, 1)
    for name, share in zip(STATE_SHARES, counts):
        out[name] = float(share)
    out["mean_hazard"] = float(cs.hazard.mean())
    out["crises"] = int(model.crises_this_step)
    out["crises_total"] = int(model.crises_total)
    out["in_crisis"] = int(np.count_nonzero(cs.crisis_left))
    out.update(social_work_metrics(model))
    out["unemployment"] = float(1.0 - cs.employed.mean())
    out["organic_share"] = float(o)
    out["n_citizens"] = int(n)
    out["n_ties"] = int(net.n_active)
    return out


def read_metric(model, name: str) -> float:
    """Read one metric of the current week (computed once per week by compute_metrics)."""
    return model.metrics[name]


def metric_reporters() -> dict:
    """DataCollector model reporters, one per metric; partials so that they pickle."""
    return {name: partial(read_metric, name=name) for name in METRICS}
