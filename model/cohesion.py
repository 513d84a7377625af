"""Social cohesion, reported dimension by dimension, each with the source that defines it.

A single "cohesion index" hides what moved. The dimensions below are measured separately;
the composite is kept only as a summary with stated weights, and `weight_robustness` shows
whether a comparison between two societies survives any other choice of weights.

Perceived cohesion (Bollen & Hoyle 1990, Social Forces 69(2), 479-504) has two parts:
- **belonging**: a member's sense of being part of the group: here mean integration, the
  citizen's attachment to groups (docs/theory.md section 1);
- **morale**: how a member feels about being in it: here the share of what citizens expect
  that their means meet (mean of min(means / expectations, 1)), i.e. desires within reach.

Structural cohesion (Moody & White 2003, American Sociological Review 68(1), 103-127) is
the number of people who must be removed to disconnect a group: its node connectivity.
Exact k-components are too costly to compute every week, so two measures are given:
- `local_connectivity_sample`: the mean node connectivity between sampled pairs of people
  (networkx, Even's max-flow algorithm), the quantity Moody & White define, on a sample;
- **structural** (`core_share`): the share of people in the k-core of active ties, with k
  half the mean degree the society starts with (at least 2), a documented proxy: every
  k-connected component lies inside the k-core (Moody & White 2003), so this is an upper
  bound on the share held in by k independent paths. Newcomers with a couple of
  acquaintances, and people whose ties broke, fall out of it.

Chan, To & Chan (2006, Social Indicators Research 75(2), 273-302) cross two distinctions:
horizontal (among citizens) against vertical (between citizens and the institutions that
govern them), and attitudinal (what people feel) against behavioural (what they do):
- horizontal, attitudinal: **belonging** and **morale** above, and **mutual regard**: the
  share of active ties whose two ends hold beliefs close enough to still influence each
  other (within the confidence bound), Chan's trust and willingness to deal with others;
- horizontal, behavioural: **participation**: ties kept, as the mean of min(degree /
  mean_degree, 1) (Chan's social participation), and **structural** above;
- vertical, attitudinal: **regulation**: the share of citizens whose regulation lies in the
  healthy band, neither anomic nor fatalistic: norms felt as legitimate, Chan's confidence in
  institutions, and Durkheim's second dimension (a society of fatalists scores 0 here);
- vertical, behavioural: **services reach**: the share of people at high risk or in crisis
  whom social work knows (a case or on the waiting list), contact with institutions.

The composite gives each of Chan's four cells an equal weight (their framework treats the
four as jointly constitutive and offers no empirical weights), each cell the mean of its
indicators. That choice is arbitrary; `weight_robustness` draws weights uniformly from the
simplex (Dirichlet(1, 1, 1, 1)) and reports the share of draws under which a comparison
keeps its sign.
"""

from __future__ import annotations

import numpy as np

from .graph_kernels import close_tie_entries, k_core_size

DIMENSIONS = ("belonging", "morale", "mutual_regard", "participation", "structural", "regulation", "services_reach")
CELLS = {
    "horizontal_attitudinal": ("belonging", "morale", "mutual_regard"),
    "horizontal_behavioural": ("participation", "structural"),
    "vertical_attitudinal": ("regulation",),
    "vertical_behavioural": ("services_reach",),
}
EQUAL_WEIGHTS = np.full(len(CELLS), 1.0 / len(CELLS))


def belonging(integration: np.ndarray) -> float:
    """Bollen & Hoyle's belonging: mean attachment to groups (integration), 0-1."""
    return float(integration.mean()) if integration.size else 0.0


def morale(means: np.ndarray, expectations: np.ndarray) -> float:
    """Bollen & Hoyle's morale: the mean share of one's expectations one's means meet, 0-1."""
    if means.size == 0:
        return 0.0
    met = np.where(expectations > 0, means / np.maximum(expectations, 1e-12), 1.0)
    return float(np.clip(met, 0.0, 1.0).mean())


def mutual_regard(beliefs: np.ndarray, indptr: np.ndarray, indices: np.ndarray, bound: float) -> float:
    """Share of active ties whose ends' beliefs lie within the confidence bound (each dimension), 0-1."""
    if indices.size == 0:
        return 0.0
    rows = np.repeat(np.arange(indptr.size - 1), np.diff(indptr))
    b = beliefs.reshape(beliefs.shape[0], -1)
    close = np.all(np.abs(b[rows] - b[indices]) <= bound, axis=1)
    return float(close.mean())


def mutual_regard_fast(beliefs: np.ndarray, indptr: np.ndarray, indices: np.ndarray, bound: float) -> float:
    """`mutual_regard` by a compiled walk over the ties (graph_kernels.close_tie_entries): the same number."""
    if indices.size == 0:
        return 0.0
    return close_tie_entries(beliefs.reshape(beliefs.shape[0], -1), indptr, indices, bound) / indices.size


def participation(indptr: np.ndarray, mean_degree: float) -> float:
    """Chan's social participation: ties kept, mean of min(degree / mean_degree, 1), 0-1."""
    deg = np.diff(indptr).astype(float)
    return float(np.minimum(deg / max(mean_degree, 1e-12), 1.0).mean()) if deg.size else 0.0


def structural_k(mean_degree: float) -> int:
    """The k of the structural proxy: half the usual number of ties, at least 2."""
    return max(2, int(mean_degree) // 2)


def core_share(indptr: np.ndarray, indices: np.ndarray, k: int) -> float:
    """Share of people in the k-core (repeatedly remove everyone with fewer than k remaining ties).

    A proxy for Moody & White's structural cohesion: each k-component lies in the k-core.
    """
    n = indptr.size - 1
    if n == 0:
        return 0.0
    rows = np.repeat(np.arange(n), np.diff(indptr))
    alive = np.ones(n, dtype=bool)
    while True:
        live_edge = alive[rows] & alive[indices]
        deg = np.bincount(rows[live_edge], minlength=n)
        drop = alive & (deg < k)
        if not drop.any():
            return float(alive.mean())
        alive &= ~drop


def core_share_fast(indptr: np.ndarray, indices: np.ndarray, k: int) -> float:
    """`core_share` by a compiled peeling of the adjacency (graph_kernels.k_core_size): the same number."""
    n = indptr.size - 1
    return k_core_size(indptr, indices, k) / n if n else 0.0


def local_connectivity_sample(indptr: np.ndarray, indices: np.ndarray, rng: np.random.Generator,
                              pairs: int = 20) -> float:
    """Moody & White's structural cohesion on a sample: mean node connectivity of random pairs.

    Costly (one max-flow per pair); for reports, not for every week.
    """
    import networkx as nx
    from networkx.algorithms.connectivity import build_auxiliary_node_connectivity, local_node_connectivity
    from networkx.algorithms.flow import build_residual_network

    n = indptr.size - 1
    if n < 2:
        return 0.0
    rows = np.repeat(np.arange(n), np.diff(indptr))
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(rows.tolist(), indices.tolist()))
    aux = build_auxiliary_node_connectivity(g)
    residual = build_residual_network(aux, "capacity")
    values = []
    for _ in range(pairs):
        s, t = (int(x) for x in rng.choice(n, size=2, replace=False))
        values.append(local_node_connectivity(g, s, t, auxiliary=aux, residual=residual))
    return float(np.mean(values))


def regulation_health(regulation: np.ndarray, low: float, high: float) -> float:
    """Share of citizens whose regulation lies in the healthy band (neither anomic nor fatalistic), 0-1."""
    return float(((regulation >= low) & (regulation <= high)).mean()) if regulation.size else 0.0


def services_reach(at_risk: np.ndarray, known: np.ndarray) -> float:
    """Share of people at high risk or in crisis whom social work knows; 1 when nobody is at risk."""
    n = int(at_risk.sum())
    return float((at_risk & known).sum() / n) if n else 1.0


def cells(dims: dict[str, float]) -> dict[str, float]:
    """Chan, To & Chan's four cells, each the mean of its indicators."""
    return {cell: float(np.mean([dims[d] for d in members])) for cell, members in CELLS.items()}


def composite(dims: dict[str, float], weights: np.ndarray = EQUAL_WEIGHTS) -> float:
    """The weighted mean of the four cells (equal weights unless given)."""
    c = cells(dims)
    w = np.asarray(weights, dtype=float)
    return float(np.dot(w / w.sum(), [c[k] for k in CELLS]))


def weight_robustness(a: list[dict[str, float]], b: list[dict[str, float]], rng: np.random.Generator,
                      draws: int = 2000) -> float:
    """Share of weight draws (uniform on the simplex) under which mean composite of `a` exceeds that of `b`."""
    ca = np.array([[cells(d)[k] for k in CELLS] for d in a]).mean(axis=0)
    cb = np.array([[cells(d)[k] for k in CELLS] for d in b]).mean(axis=0)
    w = rng.dirichlet(np.ones(len(CELLS)), size=draws)
    return float(((w @ ca) > (w @ cb)).mean())


def cohesion_dimensions(model) -> dict[str, float]:
    """Every dimension for the model's current week (pure reads of its arrays)."""
    cs, p = model.citizens, model.params
    indptr, indices = model.network.csr
    at_risk = (cs.hazard >= p.high_risk_hazard) | (cs.crisis_left > 0)
    known = (cs.case_worker >= 0) | (cs.waiting_since >= 0)
    return {
        "belonging": belonging(cs.integration),
        "morale": morale(cs.means, cs.expectations),
        "mutual_regard": mutual_regard_fast(cs.beliefs, indptr, indices, p.confidence_bound),
        "participation": participation(indptr, p.mean_degree),
        "structural": core_share_fast(indptr, indices, structural_k(p.mean_degree)),
        "regulation": regulation_health(cs.regulation, p.regulation_low, p.regulation_high),
        "services_reach": services_reach(at_risk, known),
    }


def cohesion_metrics(model) -> dict[str, float]:
    """Reporters for model/metrics.py: `cohesion_<dimension>`, `cohesion_<cell>` and `cohesion_composite`."""
    dims = cohesion_dimensions(model)
    out = {f"cohesion_{k}": v for k, v in dims.items()}
    out.update({f"cohesion_{k}": v for k, v in cells(dims).items()})
    out["cohesion_composite"] = composite(dims)
    return out


METRIC_MEANINGS = {
    "cohesion_belonging": "Belonging (Bollen & Hoyle 1990): mean integration (0-1).",
    "cohesion_morale": "Morale (Bollen & Hoyle 1990): mean share of expectations met by means (0-1).",
    "cohesion_mutual_regard": "Mutual regard (Chan et al. 2006, horizontal attitudinal): ties within the confidence bound (0-1).",
    "cohesion_participation": "Participation (Chan et al. 2006, horizontal behavioural): ties kept, degree / mean degree (0-1).",
    "cohesion_structural": "Structural cohesion proxy (Moody & White 2003): share in the k-core of ties, k = mean degree / 2 (0-1).",
    "cohesion_regulation": "Regulation (Durkheim; Chan et al. vertical attitudinal): share in the healthy regulation band (0-1).",
    "cohesion_services_reach": "Services reach (Chan et al. vertical behavioural): high-risk people known to social work (0-1).",
    "cohesion_horizontal_attitudinal": "Chan et al. (2006) cell: belonging, morale, mutual regard (0-1).",
    "cohesion_horizontal_behavioural": "Chan et al. (2006) cell: participation, structural cohesion (0-1).",
    "cohesion_vertical_attitudinal": "Chan et al. (2006) cell: regulation (0-1).",
    "cohesion_vertical_behavioural": "Chan et al. (2006) cell: services reach (0-1).",
    "cohesion_composite": "Equal-weight mean of Chan et al.'s four cells (weights: docs/VALIDATION.md) (0-1).",
}
