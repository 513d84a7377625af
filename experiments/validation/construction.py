"""Claims the model's formulas guarantee, checked on the formulas themselves and listed as such.

The crisis hazard is written as a U-shaped function of integration and regulation
(docs/theory.md section 1), so "crises are more frequent at the extremes than in the healthy
middle" is true of the model by construction: it is a check that the code says what the
documentation says, not evidence for Durkheim. It is checked here directly on the hazard
function over a grid, where it costs nothing, instead of dressing it up as a simulated fact.
Facts measured on whole runs that a formula forces (fact results labelled by construction)
are listed in the same part of the report.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable

import numpy as np

from .checks import CONSTRUCTION, Check, Section, markdown_table

DURKHEIM_1897 = "Durkheim (1897), Le Suicide, Book II ch. 2-5 (the curvilinear hazard is the model's assumption)"
GRID = 41


def default_hazard() -> Callable:
    from anomie.model.hazard import crisis_hazard

    return crisis_hazard


def _defaults() -> dict:
    from anomie.model.parameters import DEFAULTS

    return dict(DEFAULTS)


def hazard_along(hazard: Callable, axis: str, params: dict | None = None) -> tuple[np.ndarray, np.ndarray, float]:
    """Hazard over a grid of one axis, the other held at its healthy middle: (grid, hazard, middle)."""
    p = params or _defaults()
    mid_i = (p["integration_low"] + p["integration_high"]) / 2
    mid_r = (p["regulation_low"] + p["regulation_high"]) / 2
    grid = np.linspace(0.0, 1.0, GRID)
    other = np.full(GRID, mid_r if axis == "integration" else mid_i)
    integration, regulation = (grid, other) if axis == "integration" else (other, grid)
    half = max((p["integration_high"] - p["integration_low"]) / 2, (p["regulation_high"] - p["regulation_low"]) / 2)
    values = {
        "integration": integration, "regulation": regulation, "integration_mid": mid_i, "regulation_mid": mid_r,
        "half_width": half, "baseline": p.get("baseline_hazard"), "curvature": p.get("hazard_curvature"),
        "capacity": np.zeros(GRID), "capacity_protection": p.get("capacity_protection", 0.0),
    }
    names = inspect.signature(hazard).parameters
    missing = [n for n in names if n not in values and n not in p]
    if missing:
        raise TypeError(f"the hazard function takes {', '.join(missing)}, which this check does not know how to set")
    h = np.asarray(hazard(**{n: values[n] if n in values else p[n] for n in names}), dtype=float)
    return grid, h, mid_i if axis == "integration" else mid_r


def u_checks(hazard: Callable | None = None, params: dict | None = None) -> tuple[list[Check], list[list[object]]]:
    """Four checks: the hazard rises from the healthy middle towards each of the four pathologies."""
    hazard = hazard or default_hazard()
    checks, rows = [], []
    for axis, low, high in (("integration", "egoism", "altruism"), ("regulation", "anomie", "fatalism")):
        grid, h, mid = hazard_along(hazard, axis, params)
        at_mid = float(np.interp(mid, grid, h))
        for side, name, part in (("low", low, grid <= mid), ("high", high, grid >= mid)):
            seg = h[part] if side == "high" else h[part][::-1]  # from the middle outwards
            rises = bool(np.all(np.diff(seg) >= -1e-12) and seg[-1] > seg[0] * 1.5)
            end = float(seg[-1])
            checks.append(Check(
                f"Hazard is higher in {name} than in the healthy middle (by construction)", DURKHEIM_1897,
                f"the hazard formula rises monotonically from the middle of {axis} towards {name}, "
                "ending at least 1.5 times the middle's value",
                f"hazard at the middle {at_mid:.4g}, at the {name} end {end:.4g} (x{end / max(at_mid, 1e-12):.1f})",
                rises, kind=CONSTRUCTION))
            rows.append([axis, name, f"{at_mid:.4g}", f"{end:.4g}", "yes" if rises else "**no**"])
    return checks, rows


def section(fact_constructions: list[Check] | None = None) -> Section:
    t0 = time.perf_counter()
    s = Section("By construction: what the formulas guarantee",
                "These hold because a formula of the model says so. They check that the code does what "
                "docs/ODD.md says, and they would catch a change that broke it; they are not evidence for the "
                "theory and the headline does not count them.")
    checks, rows = u_checks()
    s.checks.extend(checks)
    s.tables.append(markdown_table(["axis", "towards", "hazard at the middle", "hazard at the end", "rises"], rows))
    s.checks.extend(fact_constructions or [])
    s.seconds = time.perf_counter() - t0
    return s
