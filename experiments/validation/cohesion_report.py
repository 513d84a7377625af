"""Cohesion, dimension by dimension, and how far the composite's verdict depends on its weights.

Two comparisons a reader of the dashboard makes, each over the same seeds (common random
numbers): the industrial revolution with and without social work, and migration into a
mechanical and into an organic society. For each, every dimension of `model/cohesion.py`
(its source beside it) in the weeks after the shocks, and the share of weightings of
Chan, To & Chan's four cells, drawn uniformly from the simplex, under which the composite
ranks the two the same way as with equal weights.
"""

from __future__ import annotations

import time

import numpy as np

from anomie.model import cohesion
from anomie.scenarios.loading import build_model

from . import facts
from .checks import Section, markdown_table

SOURCES = {
    "belonging": "Bollen & Hoyle 1990", "morale": "Bollen & Hoyle 1990", "mutual_regard": "Chan, To & Chan 2006",
    "participation": "Chan, To & Chan 2006", "structural": "Moody & White 2003 (k-core proxy)",
    "regulation": "Durkheim 1897; Chan, To & Chan 2006", "services_reach": "Chan, To & Chan 2006",
}
WEEKS = 160  # the shocks of both comparisons and a year after them


def dimensions_over(scenario: str, seeds: list[int], n: int, every: int = 10, **overrides) -> list[dict[str, float]]:
    """Per seed: each dimension averaged over the weeks after the first shock (measured every `every` weeks)."""
    start = facts.shock_start(scenario)
    out = []
    for seed in seeds:
        m = build_model(scenario, seed=seed, create_agents=False, n_citizens=n, **overrides)
        m.run_for(start)
        rows = []
        while m.steps < WEEKS:
            m.run_for(every)
            rows.append(cohesion.cohesion_dimensions(m))
        out.append({k: float(np.mean([r[k] for r in rows])) for k in cohesion.DIMENSIONS})
    return out


def compare(title: str, a_label: str, a, b_label: str, b) -> tuple[str, str]:
    rows = []
    for k in cohesion.DIMENSIONS:
        diff = [x[k] - y[k] for x, y in zip(a, b)]
        m, lo, hi = facts.mean_ci(diff)
        rows.append([k, SOURCES[k], f"{np.mean([x[k] for x in a]):.3f}", f"{np.mean([y[k] for y in b]):.3f}",
                     f"{m:+.4f} [{lo:+.4f}, {hi:+.4f}]"])
    comp = [cohesion.composite(x) - cohesion.composite(y) for x, y in zip(a, b)]
    m, lo, hi = facts.mean_ci(comp)
    rows.append(["**composite** (equal weights)", "Chan, To & Chan 2006 cells", "", "", f"{m:+.4f} [{lo:+.4f}, {hi:+.4f}]"])
    share = cohesion.weight_robustness(a, b, np.random.default_rng(0))
    table = markdown_table(["dimension", "source", a_label, b_label, "difference, 95% CI"], rows)
    note = (f"{title}: under {share:.0%} of 2,000 weightings of the four cells drawn uniformly from the simplex "
            f"the composite ranks {a_label} above {b_label}" + (" (equal weights agree)." if (m > 0) == (share > 0.5)
                                                                  else " (equal weights disagree)."))
    return table, note


def section(cfg: facts.FactConfig) -> Section:
    t0 = time.perf_counter()
    s = Section("Cohesion by dimension", __doc__.split("\n\n", 1)[1].strip())
    seeds, n = cfg.seed_list(), cfg.n_citizens
    with_sw = dimensions_over("industrial_revolution", seeds, n)
    without = dimensions_over("industrial_revolution_no_social_work", seeds, n)
    t, note = compare("Social work", "with social work", with_sw, "without", without)
    s.tables.append(t)
    s.notes.append(note)
    mech = dimensions_over("migration", seeds, n, organic_share=0.1)
    org = dimensions_over("migration", seeds, n, organic_share=0.9)
    t, note = compare("Migration", "organic society", org, "mechanical society", mech)
    s.tables.append(t)
    s.notes.append(note)
    s.notes.append("The composite's equal weights over the four cells are a convention (Chan, To & Chan give the "
                   "cells no weights); read the dimensions, and trust the composite's verdict only where nearly all "
                   "weightings agree.")
    s.seconds = time.perf_counter() - t0
    return s
