"""Check 2: the network generators reproduce the published structure.

Watts and Strogatz (1998) built their small world from a ring lattice of n = 1000 nodes,
each tied to its k = 10 nearest neighbours, and rewired each tie with probability p. They
showed, averaging over 20 graphs per p, that the mean path length L(p) falls fast as soon
as a few ties are rewired, while the clustering coefficient C(p) stays near the lattice's
C(0) = 3(k-2)/(4(k-1)) until p approaches 0.1: the small-world regime. Barrat and Weigt
(2000) derived C(p) ~ C(0)(1-p)^3 for this construction. The same sweep is run here on
`model.network.watts_strogatz`, measuring C with the model's own metric
(`model.metrics.clustering_sample` over every node) and L exactly (breadth-first search
from every node, scipy.sparse.csgraph). The scale-free and random generators are checked
against their defining properties too (Barabasi and Albert 1999; Erdos and Renyi 1959).
"""

from __future__ import annotations

import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse.csgraph import shortest_path

from anomie.model.metrics import clustering_sample
from anomie.model.network import SocialNetwork, barabasi_albert, erdos_renyi, watts_strogatz

from .checks import Check, Section, markdown_table, plt, save_figure

WATTS_STROGATZ_1998 = (
    "Watts & Strogatz (1998), Collective dynamics of 'small-world' networks, Nature 393, 440-442"
)
BARRAT_WEIGT_2000 = (
    "Barrat & Weigt (2000), On the properties of small-world network models, Eur. Phys. J. B 13, 547-560"
)
BARABASI_ALBERT_1999 = (
    "Barabasi & Albert (1999), Emergence of scaling in random networks, Science 286, 509-512"
)
ERDOS_RENYI_1959 = "Erdos & Renyi (1959), On random graphs I, Publ. Math. Debrecen 6, 290-297"


def structure(u: np.ndarray, v: np.ndarray, n: int, seed: int = 0) -> tuple[float, float, float]:
    """(clustering C, mean path length L over connected pairs, share of nodes in the largest component)."""
    net = SocialNetwork(n, u, v, np.random.default_rng(seed))
    adj = net.adjacency
    c = clustering_sample(adj, np.arange(n))
    dist = shortest_path(adj, directed=False, unweighted=True)
    off = ~np.eye(n, dtype=bool)
    reach = np.isfinite(dist) & off
    path = float(dist[reach].mean()) if reach.any() else float("nan")
    lcc = float(reach.sum(axis=1).max() + 1) / n
    return c, path, lcc


def lattice_clustering(k: int) -> float:
    """C(0) of the ring lattice (Watts and Strogatz 1998; Barrat and Weigt 2000)."""
    return 3.0 * (k - 2) / (4.0 * (k - 1))


def lattice_path_length(n: int, k: int) -> float:
    """L(0) of the ring lattice, exactly: the node j steps round the ring is ceil(min(j, n-j) / (k/2)) ties away."""
    j = np.arange(1, n)
    return float(np.ceil(np.minimum(j, n - j) / (k // 2)).mean())


def ws_sweep(n: int, k: int, p_values, seeds: int) -> pd.DataFrame:
    rows = []
    for p in p_values:
        for seed in range(seeds):
            rng = np.random.default_rng([seed, int(p * 1e6)])
            u, v = watts_strogatz(n, k, float(p), rng)
            c, path, lcc = structure(u, v, n, seed)
            rows.append({"p": float(p), "seed": seed, "C": c, "L": path, "lcc": lcc,
                         "mean_degree": 2 * u.size / n})
    return pd.DataFrame(rows)


def powerlaw_exponent(degree: np.ndarray, k_min: int) -> float:
    """Maximum-likelihood exponent of a discrete power-law tail (Clauset, Shalizi and Newman 2009, eq. 3.7)."""
    tail = degree[degree >= k_min].astype(np.float64)
    return float(1.0 + tail.size / np.log(tail / (k_min - 0.5)).sum())


def evaluate_ws(df: pd.DataFrame, n: int, k: int) -> list[Check]:
    seeds = int(df.seed.nunique())
    g = df.groupby("p")[["C", "L", "lcc", "mean_degree"]].mean()
    c0, l0 = lattice_clustering(k), lattice_path_length(n, k)
    checks = [Check(
        "Watts-Strogatz: the ring lattice (p = 0)",
        WATTS_STROGATZ_1998,
        f"C(0) = 3(k-2)/(4(k-1)) = {c0:.4f} and L(0) = the exact lattice value {l0:.3f} (about n/2k)",
        f"C(0) = {g.C.iloc[0]:.4f}, L(0) = {g.L.iloc[0]:.3f}, mean degree {g.mean_degree.iloc[0]:.2f}",
        bool(g.index[0] == 0.0 and abs(g.C.iloc[0] - c0) < 1e-9 and abs(g.L.iloc[0] - l0) < 1e-9),
        seeds,
    )]
    ratio_c, ratio_l = g.C / c0, g.L / l0
    theory = (1.0 - g.index.to_numpy()) ** 3
    dev = np.abs(ratio_c.to_numpy() - theory)
    checks.append(Check(
        "Watts-Strogatz: clustering across p",
        BARRAT_WEIGT_2000,
        "C(p)/C(0) follows (1-p)^3 within 0.03 at every p",
        f"largest deviation {dev.max():.4f} (at p = {g.index[int(dev.argmax())]:.4g})",
        bool(dev.max() <= 0.03), seeds,
    ))
    near = g.index[np.argmin(np.abs(np.log10(np.maximum(g.index, 1e-9)) + 2))]  # p closest to 0.01
    checks.append(Check(
        "Watts-Strogatz: the small-world regime",
        WATTS_STROGATZ_1998,
        "at p = 0.01 paths have collapsed (L/L(0) < 0.3) while clustering is almost intact (C/C(0) > 0.9)",
        f"at p = {near:.3g}: L/L(0) = {ratio_l[near]:.3f}, C/C(0) = {ratio_c[near]:.3f}",
        bool(abs(near - 0.01) < 0.005 and ratio_l[near] < 0.3 and ratio_c[near] > 0.9), seeds,
    ))
    l_rand, c_rand = np.log(n) / np.log(k), k / n
    checks.append(Check(
        "Watts-Strogatz: the random limit (p = 1)",
        WATTS_STROGATZ_1998,
        f"L(1) close to ln n / ln k = {l_rand:.2f} (within 15%) and C(1) close to k/n = {c_rand:.3f} "
        "(within a factor 2)",
        f"L(1) = {g.L.iloc[-1]:.2f}, C(1) = {g.C.iloc[-1]:.4f}",
        bool(g.index[-1] == 1.0 and abs(g.L.iloc[-1] / l_rand - 1) <= 0.15
             and 0.5 <= g.C.iloc[-1] / c_rand <= 2.0), seeds,
    ))
    return checks


def other_generators(n: int, k: int, seeds: int) -> tuple[list[Check], list[list[object]]]:
    """Erdos-Renyi: exact mean degree, C near k/n, L near ln n / ln k. Barabasi-Albert: degree exponent near 3."""
    rows, er, gammas = [], [], []
    for seed in range(seeds):
        u, v = erdos_renyi(n, k, np.random.default_rng([seed, 1]))
        er.append((2 * u.size / n, *structure(u, v, n, seed)))
    big = max(10 * n, 10_000)
    for seed in range(seeds):
        u, v = barabasi_albert(big, k, np.random.default_rng([seed, 2]))
        degree = np.bincount(np.concatenate([u, v]), minlength=big)
        gammas.append(powerlaw_exponent(degree, 2 * k))
    er = np.array(er)
    deg, c, path = er[:, 0].mean(), er[:, 1].mean(), er[:, 2].mean()
    gamma = float(np.mean(gammas))
    checks = [
        Check(
            "Erdos-Renyi: random graph G(n, m)",
            ERDOS_RENYI_1959,
            f"mean degree exactly k = {k}; clustering near k/n = {k / n:.3f} (factor 2); "
            f"L near ln n / ln k = {np.log(n) / np.log(k):.2f} (within 15%)",
            f"mean degree {deg:.3f}, C = {c:.4f}, L = {path:.2f}",
            bool(abs(deg - k) < 1e-9 and 0.5 <= c / (k / n) <= 2 and abs(path / (np.log(n) / np.log(k)) - 1) <= 0.15),
            seeds,
        ),
        Check(
            "Barabasi-Albert: scale-free degrees",
            BARABASI_ALBERT_1999,
            "degree distribution P(k) ~ k^-gamma with gamma = 2.9 +- 0.1 as published (accept 2.6 to 3.2; "
            "maximum-likelihood fit of the tail from 2m)",
            f"gamma = {gamma:.3f} (n = {big}, per seed " + ", ".join(f"{x:.2f}" for x in gammas) + ")",
            bool(2.6 <= gamma <= 3.2), seeds,
        ),
    ]
    rows.append(["Erdos-Renyi", n, k, f"{deg:.2f}", f"{c:.4f}", f"{path:.2f}", ""])
    rows.append(["Barabasi-Albert", big, k, "", "", "", f"{gamma:.3f}"])
    return checks, rows


def networkx_agrees(n: int, k: int, p: float) -> Check:
    """The model's clustering metric against networkx's reference implementation, on one graph."""
    u, v = watts_strogatz(n, k, p, np.random.default_rng(99))
    ours = clustering_sample(SocialNetwork(n, u, v, np.random.default_rng(0)).adjacency, np.arange(n))
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(u.tolist(), v.tolist()))
    ref = nx.average_clustering(g)
    ref_l = nx.average_shortest_path_length(g) if nx.is_connected(g) else float("nan")
    _, our_l, _ = structure(u, v, n)
    return Check(
        "Clustering and path-length measures",
        "networkx average_clustering / average_shortest_path_length (reference implementation)",
        "the model's clustering metric and this module's path length equal networkx's on the same graph",
        f"C: {ours:.6f} vs {ref:.6f}; L: {our_l:.6f} vs {ref_l:.6f}",
        bool(abs(ours - ref) < 1e-9 and abs(our_l - ref_l) < 1e-9), 1,
    )


def figure(df: pd.DataFrame, n: int, k: int, path: Path) -> Path:
    g = df.groupby("p")[["C", "L"]].agg(["mean", "std"])
    c0, l0 = lattice_clustering(k), lattice_path_length(n, k)
    p = g.index.to_numpy()
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    pos = p > 0
    ax.errorbar(p[pos], g["C"]["mean"][pos] / c0, yerr=g["C"]["std"][pos] / c0, marker="s", ls="none",
                label="C(p) / C(0)", capsize=2)
    ax.errorbar(p[pos], g["L"]["mean"][pos] / l0, yerr=g["L"]["std"][pos] / l0, marker="o", ls="none",
                label="L(p) / L(0)", capsize=2)
    grid = np.logspace(np.log10(p[pos].min()), 0, 200)
    ax.plot(grid, (1 - grid) ** 3, color="grey", lw=1, label="(1-p)^3 (Barrat & Weigt 2000)")
    ax.set_xscale("log")
    ax.set_xlabel("rewiring probability p")
    ax.set_ylim(0, 1.05)
    ax.set_title(f"Watts-Strogatz generator, n = {n}, k = {k} (cf. Watts & Strogatz 1998, Fig. 2)")
    ax.legend(fontsize=8)
    return save_figure(fig, path)


def section(quick: bool, seeds: int | None, fig_dir: Path) -> Section:
    t0 = time.perf_counter()
    n, k = 1000, 10  # as in Watts and Strogatz (1998)
    # log-spaced from 1e-4 to 1 as in the paper, plus p = 0.01 where the small-world claim is checked
    p_values = np.unique(np.concatenate([[0.0, 0.01], np.logspace(-4, 0, 9 if quick else 14)]))
    seeds = seeds or (3 if quick else 20)
    df = ws_sweep(n, k, p_values, seeds)
    checks = evaluate_ws(df, n, k)
    more, rows = other_generators(n, k, min(seeds, 5))
    checks += more
    checks.append(networkx_agrees(300, 6, 0.1))
    fig_name = "watts_strogatz.png"
    figure(df, n, k, fig_dir / fig_name)
    g = df.groupby("p")[["C", "L", "lcc"]].mean()
    c0, l0 = lattice_clustering(k), lattice_path_length(n, k)
    ws_rows = [[f"{p:.4g}", f"{r.C:.4f}", f"{r.C / c0:.3f}", f"{(1 - p) ** 3:.3f}", f"{r.L:.2f}",
                f"{r.L / l0:.3f}", f"{r.lcc:.3f}"] for p, r in g.iterrows()]
    s = Section(
        "Network generators (Watts & Strogatz 1998 and others)",
        f"`model.network.watts_strogatz` with n = {n}, k = {k} as in the original paper, {len(p_values)} "
        f"rewiring probabilities, {seeds} graphs each. C is the model's own clustering metric over every "
        "node; L is the exact mean shortest path over connected pairs.",
        checks=checks,
        tables=[
            markdown_table(["p", "C", "C/C(0)", "(1-p)^3", "L", "L/L(0)", "largest component"], ws_rows),
            markdown_table(["generator", "n", "k", "mean degree", "C", "L", "degree exponent"], rows),
        ],
        figures=[(fig_name, "Clustering and path length against rewiring probability, normalised by the "
                            "ring lattice (mean and sd over graphs), with Barrat and Weigt's (1-p)^3.")],
    )
    s.seconds = time.perf_counter() - t0
    return s
