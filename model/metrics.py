"""Metrics recorded every step, one DataCollector model reporter each.

The cohesion index (docs/ODD.md) is the mean of four components, each in [0, 1]:
mean integration; the share of citizens in the largest connected component; the
clustering coefficient of active ties; and solidarity, the society's mix of belief
consensus (mechanical) and met interdependence (organic).
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np

from .graph_kernels import common_neighbour_counts, largest_component_size
from .jit import kernel
from .cohesion import METRIC_MEANINGS as COHESION_METRICS
from .cohesion import cohesion_metrics
from .referral import SOCIAL_WORK_METRICS, social_work_metrics
from .regulation import norm_legitimacy
from .sectors import N_SECTORS, SECTOR_NAMES
from .typology import STATE_NAMES, DurkheimState

STATE_SHARES = tuple(f"share_{STATE_NAMES[s]}" for s in DurkheimState)
WEEKS_PER_YEAR = 52
# the sectors' metrics are over those working in them; the out of work form their own column
POSITIONS = (*SECTOR_NAMES, "out_of_work")
# metrics over those holding a position: empty (NaN) in a week nobody holds it
_POSITION_KINDS = ("mean_regulation", "crisis_rate")
POSITION_METRICS = tuple(f"{what}_{name}" for what in _POSITION_KINDS for name in POSITIONS)
QUANTILES = (0.1, 0.5, 0.9)
# Quantiles are read from a histogram of this many equal bins over [0, 1]: one pass over the
# citizens instead of a partial sort (at a million citizens a sort costs more than the week).
QUANTILE_BINS = 10_000

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
    **{f"integration_q{int(q * 100)}": f"Integration at or below which {int(q * 100)}% of citizens lie (0-1, to 0.0001)." for q in QUANTILES},
    **{f"regulation_q{int(q * 100)}": f"Regulation at or below which {int(q * 100)}% of citizens lie (0-1, to 0.0001)." for q in QUANTILES},
    **{
        f"mean_regulation_{name}": f"Mean regulation of those {'out of work' if name == 'out_of_work' else 'working in ' + name.replace('_', ' ')} (0-1); empty (NaN) in a week nobody is."
        for name in POSITIONS
    },
    **{
        f"crisis_rate_{name}": (
            f"Crises this week among those {'out of work' if name == 'out_of_work' else 'working in ' + name.replace('_', ' ')}, "
            "as a yearly rate per 1,000 of them (x 52 weeks); empty (NaN) in a week nobody is."
        )
        for name in POSITIONS
    },
    "conflict_ties_broken": "Ties broken this week in the conflict of a forced division of labour (imposed against chosen places).",
    "legitimacy": "Legitimacy of society's common norms: 1 less legitimacy_loss times the share of places imposed (0-1).",
    "occupational_groups": "Occupational groups in existence.",
    "occupational_group_members": "Citizens who belong to an occupational group.",
    "mean_hazard": "Mean weekly crisis hazard (probability).",
    "crises": "Crises that began this week.",
    "crises_total": "Crises since the start.",
    "in_crisis": "Citizens in acute crisis now.",
    **SOCIAL_WORK_METRICS,  # model/referral.py
    **COHESION_METRICS,  # model/cohesion.py: cohesion by dimension, each with its source
    "unemployment": "Share of citizens out of work.",
    "out_of_work": "Citizens out of work.",
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


# Cohesion by dimension reads every tie (a k-core among them): above this many citizens it is
# measured every COHESION_EVERY weeks and carried in between, like the network's structure.
COHESION_EVERY_WEEK_UP_TO = 10_000
COHESION_EVERY = 10


def cohesion_by_dimension(model) -> dict[str, float]:
    """`cohesion_metrics` this week, or the last measurement if it is not due (large populations)."""
    due = model.citizens.n <= COHESION_EVERY_WEEK_UP_TO or model.steps % COHESION_EVERY == 0
    last = getattr(model, "_cohesion_measured", None)
    if due or last is None:
        last = model._cohesion_measured = cohesion_metrics(model)
    return last


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
    for q, iq, rq in zip(QUANTILES, quantiles(cs.integration), quantiles(cs.regulation)):
        out[f"integration_q{int(q * 100)}"], out[f"regulation_q{int(q * 100)}"] = float(iq), float(rq)
    out.update(position_metrics(cs.sector, cs.employed, cs.regulation, model.onsets))
    out["conflict_ties_broken"] = int(model.conflict_ties_broken)
    out["legitimacy"] = norm_legitimacy(cs.forced, cs.employed, p.legitimacy_loss)  # as the week's regulation used it
    out["occupational_groups"] = int(model.groups.alive_count())
    out["occupational_group_members"] = int(model.groups.members_count())
    out["mean_hazard"] = float(cs.hazard.mean())
    out["crises"] = int(model.crises_this_step)
    out["crises_total"] = int(model.crises_total)
    out["in_crisis"] = int(np.count_nonzero(cs.crisis_left))
    out.update(social_work_metrics(model))
    out.update(cohesion_by_dimension(model))
    out["unemployment"] = float(1.0 - cs.employed.mean())
    out["out_of_work"] = int(n - np.count_nonzero(cs.employed))
    out["organic_share"] = float(o)
    out["n_citizens"] = int(n)
    out["n_ties"] = int(net.n_active)
    return out


def quantiles(values: np.ndarray, qs=QUANTILES, bins: int = QUANTILE_BINS) -> np.ndarray:
    """The lower quantiles of values in [0, 1]: for each q the k-th smallest value, k = ceil(q n)
    (numpy's "inverted_cdf"), read from a histogram of `bins` equal bins as the middle of the
    bin that holds it: within half a bin (0.00005) of the exact value."""
    if values.size == 0:
        return np.zeros(len(qs))
    counts = _histogram01(values, bins)
    cum = np.cumsum(counts)
    k = np.maximum(np.ceil(np.asarray(qs) * values.size).astype(np.int64), 1)
    return (np.searchsorted(cum, k) + 0.5) / bins


@kernel
def _histogram01(values, bins):
    """np.histogram(values, bins, range=(0, 1)) in one pass (tests/model/test_fast_paths.py)."""
    counts = np.zeros(bins, dtype=np.int64)
    for x in values:
        b = int(x * bins)
        counts[min(max(b, 0), bins - 1)] += 1
    return counts


def position_metrics(sector: np.ndarray, employed: np.ndarray, regulation: np.ndarray, onsets: np.ndarray) -> dict[str, float]:
    """Mean regulation and the yearly crisis rate per 1,000 for each sector's workers and for
    the out of work; NaN for a position nobody holds (no one to average over: not 0, which
    would read as total anomie and no crises)."""
    size, reg_sum = _position_sums(sector, employed, regulation)
    crises = np.zeros(N_SECTORS + 1)
    if onsets.size:
        np.add.at(crises, np.where(employed[onsets], sector[onsets], N_SECTORS), 1.0)
    out: dict[str, float] = {}
    for code, name in enumerate(POSITIONS):
        held = size[code] > 0
        out[f"mean_regulation_{name}"] = float(reg_sum[code] / size[code]) if held else math.nan
        out[f"crisis_rate_{name}"] = float(1000.0 * WEEKS_PER_YEAR * crises[code] / size[code]) if held else math.nan
    return out


def empty_positions(sector: np.ndarray, employed: np.ndarray) -> set[str]:
    """The `POSITION_METRICS` that are empty (NaN) this week: those of positions nobody holds."""
    size = np.bincount(np.where(employed, sector, N_SECTORS), minlength=N_SECTORS + 1)
    empty = [name for code, name in enumerate(POSITIONS) if size[code] == 0]
    return {f"{what}_{name}" for what in _POSITION_KINDS for name in empty}


@kernel
def _position_sums(sector, employed, regulation):
    """Per position (the sectors, then out of work): people and their summed regulation; must
    equal np.bincount over the positions (tests/model/test_fast_paths.py)."""
    size = np.zeros(N_SECTORS + 1)
    total = np.zeros(N_SECTORS + 1)
    for i in range(sector.size):
        p = sector[i] if employed[i] else N_SECTORS
        size[p] += 1.0
        total[p] += regulation[i]
    return size, total


def read_metric(model, name: str) -> float:
    """Read one metric of the current week (computed once per week by compute_metrics)."""
    return model.metrics[name]


def metric_reporters() -> dict:
    """DataCollector model reporters, one per metric; partials so that they pickle."""
    return {name: partial(read_metric, name=name) for name in METRICS}
